/**
 * The visualizer's replay thread (src/readers/replayThread.ts, src/viz/importRead.ts): uploaded
 * files parsed and replayed from their bytes, and stored contacts' histories, with the
 * answers the event loop would give; bad files keep their codes and details; a replay that
 * needs more than the thread's heap bound is refused and never replayed on the event loop;
 * one replay at a time, bounded queues.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildExport, type ExportFile } from '../../src/viz/exportFile.ts';
import { answerImport, type ImportKind } from '../../src/viz/importRead.ts';
import { MAX_QUEUED_UPLOADS, ReplayRefusedError, VizReplays } from '../../src/readers/replayThread.ts';
import { openHistoryReader, type ContactHistory } from '../../src/viz/reader.ts';
import { replayHistory, VizInputError } from '../../src/viz/replay.ts';
import { buildTimeline, whatIfView } from '../../src/viz/timeline.ts';
import { makeCore, type Core } from '../helpers/core.ts';

const DYING = new URL('../fixtures/readers/dyingConsoleReaderWorker.ts', import.meta.url);
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** One contact's stored history and its export file. */
async function exported(core: Core): Promise<{ history: ContactHistory; file: ExportFile }> {
  const { runtime } = core.services;
  const contact = runtime.createContact(core.botId, { name: 'Ana' });
  await runtime.inbound({ contactId: contact.id, text: 'busy right now' });
  await runtime.outbound({ contactId: contact.id, text: 'Happy to help', sender: 'bot' });
  await runtime.inbound({ contactId: contact.id, text: 'thanks' });
  await core.advance(86_400_000);
  const histories = openHistoryReader(core.services.db.name);
  try {
    const history = histories.history(contact.id) ?? assert.fail('a stored history');
    return { history, file: buildExport(history, replayHistory(history), { now: core.clock.now() }) };
  } finally {
    histories.close();
  }
}

/** A valid file of `entries` minimal log entries: small to upload, large to replay. */
function manyEntries(file: ExportFile, entries: number): ExportFile {
  const at = file.log[0]?.at ?? 0;
  const log = Array.from({ length: entries }, (_, i) => ({
    seq: i + 1,
    at: at + i,
    event: { type: 'OPT_IN' },
    from: 'active',
    to: 'active',
    effects: [],
  }));
  return { ...file, log, snapshots: [], messages: [], followUps: [] };
}

async function refusal(answer: Promise<unknown>): Promise<Error> {
  const outcome = await answer.then(
    () => null,
    (error: unknown) => error,
  );
  assert.ok(outcome instanceof Error, 'refused');
  return outcome;
}

test("the thread parses the upload's bytes and answers what the event loop would; bad files keep their codes and details", async (t) => {
  const core = makeCore(t);
  const { history, file } = await exported(core);
  const imports = new VizReplays(core.services);
  t.after(() => imports.close());

  const upload = bytes(file);
  const uploaded = Buffer.from(upload);
  const imported = await imports.upload(upload, 'timeline');
  assert.equal(imported.toString('utf8'), answerImport(upload, 'timeline'));
  assert.deepEqual(JSON.parse(imported.toString('utf8')), { ...buildTimeline(history, 'database'), source: 'import' });
  assert.deepEqual(Buffer.from(upload), uploaded, "the caller's bytes stay intact (the thread gets a copy)");
  const afterSeq = history.log.length;
  const whatIf = await imports.upload(bytes({ file, afterSeq, event: { type: 'OPT_IN' } }), 'whatIf');
  assert.deepEqual(JSON.parse(whatIf.toString('utf8')), whatIfView(history, afterSeq, { type: 'OPT_IN' }));

  const refused = async (
    body: Uint8Array | null,
    kind: ImportKind,
    code: string,
    message: RegExp,
  ): Promise<VizInputError> => {
    const error = await refusal(imports.upload(body, kind));
    assert.ok(error instanceof VizInputError, `${code}: ${String(error)}`);
    assert.deepEqual([error.code, error.message], [code, error.message]);
    assert.match(error.message, message);
    assert.throws(
      () => answerImport(body, kind),
      (onLoop: unknown) => onLoop instanceof VizInputError && onLoop.code === code && onLoop.message === error.message,
    );
    return error;
  };
  await refused(null, 'timeline', 'invalid_request', /request body must be an exported contact-history JSON object/);
  await refused(new Uint8Array(0), 'timeline', 'invalid_json', /empty JSON body/);
  await refused(new TextEncoder().encode('{"format":'), 'timeline', 'invalid_json', /not valid JSON/);
  await refused(
    new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    'timeline',
    'invalid_json',
    /not valid UTF-8/,
  );
  await refused(
    new TextEncoder().encode('{"format":"nudge.contact-history","__proto__":{"polluted":true}}'),
    'timeline',
    'invalid_json',
    /forbidden prototype property/,
  );
  const notAFile = await refused(
    bytes({ ...file, version: 2, log: 'none' }),
    'timeline',
    'invalid_export',
    /not a valid contact-history file: version/,
  );
  assert.deepEqual((notAFile.details as { path: string }[]).map((problem) => problem.path).sort(), ['log', 'version']);
  const badEvent = await refused(
    bytes({ file, afterSeq: 0, event: { type: 'NOPE' } }),
    'whatIf',
    'invalid_request',
    /invalid request body: event/,
  );
  assert.ok(Array.isArray(badEvent.details) && badEvent.details.length > 0);
  await refused(
    bytes({ file, afterSeq: afterSeq + 5, event: { type: 'OPT_IN' } }),
    'whatIf',
    'invalid_request',
    /no log entry/,
  );
  await refused(
    bytes({ file: [1], afterSeq: 0, event: { type: 'OPT_IN' } }),
    'whatIf',
    'invalid_request',
    /file must be an exported contact-history JSON object/,
  );
  const stats = imports.stats();
  assert.deepEqual([stats.answeredByThread, stats.answeredOnLoop, stats.deaths, stats.queuedUploads], [11, 0, 0, 0]);
});

test('a file whose replay needs more than the heap bound is refused (import_too_large), never replayed on the event loop; the next upload gets a new thread', async (t) => {
  const core = makeCore(t);
  const { file } = await exported(core);
  const imports = new VizReplays(core.services, {
    heapLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 4 },
  });
  t.after(() => imports.close());
  const small = await imports.upload(bytes(file), 'timeline');
  assert.equal(JSON.parse(small.toString('utf8')).source, 'import', 'a real file fits');

  const heavy = bytes(manyEntries(file, 60_000));
  const error = await refusal(imports.upload(heavy, 'timeline'));
  assert.ok(error instanceof ReplayRefusedError, String(error));
  assert.deepEqual([error.status, error.code], [413, 'import_too_large']);
  assert.match(error.message, /more than the 52 MiB of memory a replay may use/);
  let stats = imports.stats();
  assert.deepEqual([stats.deaths, stats.answeredOnLoop], [1, 0], 'the loop never replayed it');
  assert.match(stats.lastError ?? '', /memory/i);

  await imports.upload(bytes(file), 'timeline');
  stats = imports.stats();
  assert.deepEqual(
    [stats.starts, stats.answeredByThread, stats.answeredOnLoop, stats.queuedUploads, stats.tooLarge],
    [2, 2, 0, 0, 1],
  );
});

test('a thread that dies of anything else refuses the upload (import_failed) and the next one is answered', async (t) => {
  const core = makeCore(t);
  const { file } = await exported(core);
  const imports = new VizReplays(core.services, { workerUrl: DYING });
  t.after(() => imports.close());
  const error = await refusal(imports.upload(bytes('die now'), 'timeline'));
  assert.ok(error instanceof ReplayRefusedError, String(error));
  assert.deepEqual([error.status, error.code], [503, 'import_failed']);
  assert.match(error.message, /exited with code 7/);
  assert.equal(JSON.parse((await imports.upload(bytes(file), 'timeline')).toString('utf8')).source, 'import');
  assert.deepEqual([imports.stats().deaths, imports.stats().answeredOnLoop], [1, 0]);
});

test(`uploads replay one at a time; beyond ${MAX_QUEUED_UPLOADS} accepted at once, the next is refused (replay_busy)`, async (t) => {
  const core = makeCore(t);
  const { file } = await exported(core);
  const imports = new VizReplays(core.services);
  t.after(() => imports.close());
  const accepted = Array.from({ length: MAX_QUEUED_UPLOADS }, () => imports.upload(bytes(file), 'timeline'));
  assert.equal(imports.stats().queuedUploads, MAX_QUEUED_UPLOADS);
  const busy = await refusal(imports.upload(bytes(file), 'timeline'));
  assert.ok(busy instanceof ReplayRefusedError);
  assert.deepEqual([busy.status, busy.code], [503, 'replay_busy']);
  const answers = await Promise.all(accepted);
  assert.ok(answers.every((answer) => answer.equals(answers[0])));
  assert.equal(imports.stats().queuedUploads, 0);
  await imports.upload(bytes(file), 'timeline'); // room again
});

test("a stored contact's replays: the thread answers what the event loop would, in turn with uploads", async (t) => {
  const core = makeCore(t);
  const { history, file } = await exported(core);
  const replays = new VizReplays(core.services);
  t.after(() => replays.close());
  const never = () => assert.fail('answered on the event loop');
  const contactId = history.contact.id;
  const upload = replays.upload(bytes(file), 'timeline');
  const timeline = replays.stored({ type: 'vizTimeline', contactId }, never);
  assert.deepEqual([replays.stats().queuedUploads, replays.stats().queuedStored], [1, 1]);
  assert.equal((await timeline).toString('utf8'), JSON.stringify(buildTimeline(history, 'database')));
  assert.equal(JSON.parse((await upload).toString('utf8')).source, 'import');
  const afterSeq = history.log.length;
  const whatIf = await replays.stored({ type: 'vizWhatIf', contactId, afterSeq, event: { type: 'OPT_IN' } }, never);
  assert.equal(whatIf.toString('utf8'), JSON.stringify(whatIfView(history, afterSeq, { type: 'OPT_IN' })));
  const missing = await refusal(replays.stored({ type: 'vizTimeline', contactId: 'ct_missing' }, never));
  assert.match(missing.message, /not found/);
  const stats = replays.stats();
  assert.deepEqual(
    [stats.answeredByThread, stats.answeredOnLoop, stats.queuedUploads, stats.queuedStored],
    [4, 0, 0, 0],
  );
});

test("a stored contact's replay that outgrows the heap bound is refused (history_too_large), not replayed on the event loop; another death is answered there", async (t) => {
  const core = makeCore(t);
  const { history } = await exported(core);
  const contactId = history.contact.id;
  // A bound no thread can start under: every replay dies of ERR_WORKER_OUT_OF_MEMORY.
  const starved = new VizReplays(core.services, {
    heapLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 },
  });
  t.after(() => starved.close());
  const error = await refusal(
    starved.stored({ type: 'vizTimeline', contactId }, () => assert.fail('answered on the event loop')),
  );
  assert.ok(error instanceof ReplayRefusedError, String(error));
  assert.deepEqual([error.status, error.code], [413, 'history_too_large']);
  assert.match(error.message, new RegExp(`npm run viz -- --contact ${contactId}`));
  assert.deepEqual([starved.stats().deaths, starved.stats().answeredOnLoop, starved.stats().tooLarge], [1, 0, 1]);

  // A crash is not the history's doing: the event loop answers, as the console reader would.
  const crashing = new VizReplays(core.services, { workerUrl: DYING });
  t.after(() => crashing.close());
  const answer = await crashing.stored({ type: 'vizTimeline', contactId: 'die now' }, () => '{"on":"loop"}');
  assert.equal(answer.toString('utf8'), '{"on":"loop"}');
  assert.deepEqual([crashing.stats().deaths, crashing.stats().answeredOnLoop], [1, 1]);
});
