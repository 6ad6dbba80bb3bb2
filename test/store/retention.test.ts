/**
 * Retention: history older than a bot's settings is deleted in small batches by a pruner
 * on the injected clock, keeping what is still needed (the message behind a pending
 * follow-up, the follow-up whose reply window is open, any log still in use); what was
 * deleted is recorded, and the visualizer's replay of a deleted log stays exact.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBotConfig } from '../../src/config/botConfig.ts';
import { RetentionPruner, type PruneReport } from '../../src/store/retention.ts';
import { HistoryReader } from '../../src/viz/reader.ts';
import { replayHistory } from '../../src/viz/replay.ts';
import { botConfig, makeCore } from '../helpers/core.ts';

const MIN = 60_000;
const DAY = 86_400_000;

function retentionCore(
  t: import('node:test').TestContext,
  retention: Record<string, unknown> = { messages: '30d', transitions: '30d', finishedFollowUps: '30d' },
) {
  return makeCore(t, {
    config: botConfig({ retention, scenarios: { stoppedReplying: { cadence: [{ delay: '1h' }] } } }),
  });
}

const count = (core: ReturnType<typeof retentionCore>, sql: string, ...params: unknown[]) =>
  (core.services.db.prepare(sql).get(...params) as { n: number }).n;

test('history past retention is deleted in batches; the trigger of a pending follow-up, an open reply window and recent history stay', async (t) => {
  const core = retentionCore(t);
  const { runtime, store, db } = core.services;
  // idle: one exchange and a sent follow-up, then silence.
  const idle = runtime.createContact(core.botId, { name: 'idle' });
  await runtime.inbound({ contactId: idle.id, text: 'hi' });
  await runtime.outbound({ contactId: idle.id, text: 'hello', sender: 'bot' });
  // replied: its follow-up was cancelled by a reply (a finished follow-up, no reply window).
  const replied = runtime.createContact(core.botId, { name: 'replied' });
  await runtime.inbound({ contactId: replied.id, text: 'hi' });
  await runtime.outbound({ contactId: replied.id, text: 'hello', sender: 'bot' });
  await core.advance(10 * MIN);
  await runtime.inbound({ contactId: replied.id, text: 'thanks' });
  // later: asked to be contacted in 60 days; its message triggers that pending follow-up.
  const later = runtime.createContact(core.botId, { name: 'later' });
  await runtime.inbound({ contactId: later.id, text: `at+${60 * 24 * 60}` });
  await core.advance(40 * DAY);
  // chatty: wrote long ago and again today: old messages go, its log stays whole.
  const chatty = runtime.createContact(core.botId, { name: 'chatty' });
  db.prepare('UPDATE contacts SET created_at = ? WHERE id = ?').run(core.clock.now() - 40 * DAY, chatty.id);
  await runtime.inbound({ contactId: chatty.id, text: 'back again' });
  db.prepare(`UPDATE messages SET at = at - ${40 * DAY} WHERE contact_id = ?`).run(chatty.id);
  await runtime.inbound({ contactId: chatty.id, text: 'today' });
  await core.settle();

  const idleSent = store.followUpsOfContact(idle.id).find((f) => f.status === 'sent')!;
  assert.ok(idleSent, 'the idle contact got its follow-up');
  const laterTrigger = store.followUpsOfContact(later.id).find((f) => f.status === 'pending')!.trigger_message_id!;
  const idleLog = store.transitionsOfContact(idle.id);
  const idleSnapshot = (db.prepare('SELECT snapshot FROM contacts WHERE id = ?').get(idle.id) as { snapshot: string })
    .snapshot;

  const pruner = new RetentionPruner({ db, committer: core.services.committer, clock: core.clock, batchSize: 2 });
  const commitsBefore = core.services.committer.commits;
  const report = await pruner.runOnce();

  assert.equal(
    count(core, 'SELECT count(*) AS n FROM messages WHERE contact_id = ?', idle.id),
    0,
    "the idle contact's messages",
  );
  assert.equal(
    count(core, 'SELECT count(*) AS n FROM transitions WHERE contact_id = ?', idle.id),
    0,
    "the idle contact's log",
  );
  assert.equal(store.getFollowUp(idleSent.id)?.status, 'sent', 'its sent follow-up stays: its reply window is open');
  assert.equal(
    count(
      core,
      "SELECT count(*) AS n FROM followups WHERE contact_id = ? AND status = 'cancelled' AND kind = 'followup'",
      replied.id,
    ),
    0,
    'the cancelled follow-up',
  );
  assert.deepEqual(
    store.recentMessages(later.id, 10).map((m) => m.id),
    [laterTrigger],
    'the message behind a pending follow-up',
  );
  assert.deepEqual(
    store.recentMessages(chatty.id, 10).map((m) => m.text),
    ['today'],
  );
  assert.equal(
    count(core, 'SELECT count(*) AS n FROM transitions WHERE contact_id = ?', chatty.id),
    2,
    'a log in use stays whole',
  );
  assert.equal(
    count(
      core,
      "SELECT count(*) AS n FROM outbox WHERE status IN ('delivered', 'failed') AND created_at < ?",
      core.clock.now() - 30 * DAY,
    ),
    0,
  );

  // Small batches: no commit deleted more than two rows of a table.
  const deleted = report.messages + report.followUps + report.transitions + report.outbox;
  assert.ok(deleted >= 8, JSON.stringify(report));
  assert.ok(report.batches >= Math.ceil(deleted / 2) - 1, JSON.stringify(report));
  assert.equal(core.services.committer.commits - commitsBefore, report.batches);

  // What was deleted is recorded; the log's numbering and its replay go on from it.
  const pruned = store.prunedHistory(idle.id)!;
  assert.equal(pruned.transitionsThrough, idleLog.at(-1)!.seq);
  assert.equal(pruned.transitionsAt, idleLog.at(-1)!.at);
  assert.deepEqual(pruned.transitionsSnapshot, JSON.parse(idleSnapshot));
  assert.equal(pruned.messagesBefore, core.clock.now() - 30 * DAY);
  await runtime.inbound({ contactId: idle.id, text: 'still there?' });
  assert.deepEqual(
    store.transitionsOfContact(idle.id).map((row) => row.seq),
    [idleLog.at(-1)!.seq + 1],
  );
  const history = new HistoryReader(db).history(idle.id)!;
  const replay = replayHistory(history);
  assert.equal(replay.steps.length, 1);
  assert.equal(replay.steps[0].mismatch, null, JSON.stringify(replay.steps[0].mismatch));
  assert.equal(replay.final.mismatch, null, JSON.stringify(replay.final.mismatch));
  assert.equal(store.prunedHistory(chatty.id)?.transitionsThrough ?? null, null);

  const again = await pruner.runOnce();
  assert.deepEqual([again.messages, again.followUps, again.transitions], [0, 0, 0], 'a second run finds nothing');
});

test('the pruner runs once per interval on the injected clock', async (t) => {
  const core = retentionCore(t);
  const { runtime, db } = core.services;
  const contact = runtime.createContact(core.botId);
  await runtime.inbound({ contactId: contact.id, text: 'hi' });
  await core.advance(31 * DAY);
  const runs: PruneReport[] = [];
  const pruner = new RetentionPruner({
    db,
    committer: core.services.committer,
    clock: core.clock,
    intervalMs: 3_600_000,
  });
  const ran = new Promise<void>((resolve) =>
    pruner.start({ onRun: (report) => (runs.push(report), resolve()), onError: (error) => assert.fail(String(error)) }),
  );
  t.after(() => pruner.stop());
  core.clock.advance(59 * MIN);
  await core.settle();
  assert.equal(runs.length, 0, 'not before the interval');
  core.clock.advance(MIN);
  await ran;
  assert.ok(runs[0].messages >= 1, JSON.stringify(runs[0]));
  assert.equal(count(core, 'SELECT count(*) AS n FROM messages WHERE contact_id = ?', contact.id), 0);
});

test('retention null keeps history forever; settings below a day or above a year are refused', async (t) => {
  const core = retentionCore(t, { messages: null, transitions: null, finishedFollowUps: null });
  const { runtime, db } = core.services;
  const contact = runtime.createContact(core.botId);
  await runtime.inbound({ contactId: contact.id, text: 'hi' });
  core.clock.advance(400 * DAY);
  const report = await new RetentionPruner({ db, committer: core.services.committer, clock: core.clock }).runOnce();
  assert.deepEqual(report, { messages: 0, outbox: 0, followUps: 0, transitions: 0, batches: 0 });

  const short = parseBotConfig({
    name: 'x',
    retention: { messages: '12h', transitions: '30d', finishedFollowUps: '30d' },
  });
  assert.equal(short.ok, false);
  assert.match(JSON.stringify(!short.ok && short.errors), /retention.messages must be between 1d and 365d, got 12h/);
  const defaults = parseBotConfig({ name: 'x' });
  assert.deepEqual(defaults.ok && defaults.config.retention, {
    messages: '365d',
    transitions: '90d',
    finishedFollowUps: '365d',
  });
});
