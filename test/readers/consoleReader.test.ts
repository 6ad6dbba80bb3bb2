/**
 * The console's metrics, the Prometheus text, the forecast and the Response Info panel,
 * read on a thread of their own (src/readers/consoleReader.ts): the same answers as on the
 * event loop, from committed data, with the presence the event loop knows; a dead thread
 * loses no request; an idle thread is stopped and started again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { botMetrics, prometheusText } from '../../src/console/metrics.ts';
import { ConsoleReader } from '../../src/readers/consoleReader.ts';
import { buildForecast } from '../../src/console/forecast.ts';
import { responseInfo } from '../../src/console/info.ts';
import { RuntimeError } from '../../src/runtime/runtime.ts';
import { Store } from '../../src/store/store.ts';
import { CommittedState } from '../../src/readers/committedState.ts';
import { searchContacts, searchQuerySchema } from '../../src/console/search.ts';
import { buildExport } from '../../src/viz/exportFile.ts';
import { openHistoryReader } from '../../src/viz/reader.ts';
import { replayHistory, VizInputError } from '../../src/viz/replay.ts';
import { buildTimeline, whatIfView } from '../../src/viz/timeline.ts';
import { openDatabase } from '../../src/store/db.ts';
import { makeCore, type Core } from '../helpers/core.ts';
import { api, makeServer } from '../helpers/server.ts';

const DYING = new URL('../fixtures/readers/dyingConsoleReaderWorker.ts', import.meta.url);
const WEEK = 7 * 86_400_000;

/** A bot with follow-ups armed, sent and cancelled, as the runtime writes them. */
async function withHistory(core: Core): Promise<void> {
  const { runtime } = core.services;
  for (let i = 0; i < 6; i++) {
    const contact = runtime.createContact(core.botId, { name: `C${i}` });
    await runtime.inbound({ contactId: contact.id, text: i % 2 ? 'busy right now' : 'hello' });
    await runtime.outbound({ contactId: contact.id, text: 'Happy to help', sender: 'bot' });
    if (i % 3 === 0) await runtime.inbound({ contactId: contact.id, text: 'thanks' });
  }
  await core.advance(3 * 86_400_000); // cadences fall due and are sent
}

test('the thread answers exactly what the event loop would, from committed data, and says where it answered', async (t) => {
  const core = makeCore(t);
  await withHistory(core);
  const db = core.services.db;
  const reader = new ConsoleReader(core.services);
  t.after(() => reader.close());
  const bots = [{ id: core.botId, name: 'Salon', active: true }];
  const now = core.clock.now();
  const [metrics, text] = await Promise.all([reader.botMetrics(core.botId, now - WEEK, now), reader.prometheus(bots)]);
  assert.deepEqual(metrics, db.transaction(() => botMetrics(db, core.botId, now - WEEK, now))());
  assert.ok(metrics.sent.total > 0 && metrics.armed.total > metrics.sent.total, JSON.stringify(metrics));
  assert.equal(text, prometheusText(db, bots));
  const { threadHeapMiB, ...stats } = reader.stats();
  assert.deepEqual(stats, {
    running: true,
    starts: 1,
    retirements: 0,
    answeredByThread: 2,
    answeredOnLoop: 0,
    deaths: 0,
    lastError: null,
  });
  assert.ok(
    threadHeapMiB !== null && threadHeapMiB > 1 && threadHeapMiB < 200,
    `the thread's heap, ${threadHeapMiB} MiB`,
  );

  // What commits next is in the next answer.
  const contact = core.services.runtime.createContact(core.botId, { name: 'Late' });
  await core.services.runtime.inbound({ contactId: contact.id, text: 'busy, driving' });
  const later = core.clock.now();
  const again = await reader.botMetrics(core.botId, later - WEEK, later);
  assert.equal(again.armed.total, metrics.armed.total + 1);
  assert.deepEqual(again, db.transaction(() => botMetrics(db, core.botId, later - WEEK, later))());
});

test('forecast and Response Info: the thread answers what the event loop would, with the presence the loop knows', async (t) => {
  const core = makeCore(t);
  const { runtime, store } = core.services;
  const ana = runtime.createContact(core.botId, { name: 'Ana', phone: '+14155550123' });
  const noor = runtime.createContact(core.botId, { name: 'Noor' });
  await runtime.inbound({ contactId: ana.id, text: 'busy right now' });
  await runtime.inbound({ contactId: noor.id, text: 'busy, driving' });
  const reader = new ConsoleReader(core.services);
  t.after(() => reader.close());
  const online = new Set<string>();
  const presence = { isConnected: (contactId: string) => online.has(contactId) };
  const onLoop = (now: number, known: typeof presence | null) =>
    store.read(() => buildForecast(core.services, core.botId, { hours: 72, limit: 100, now, presence: known }));
  const due = (
    store.followUpsOfContact(ana.id).find((f) => f.kind === 'followup' && f.status === 'pending') ??
    assert.fail('Ana has a follow-up')
  ).due_at;
  const item = (forecast: Awaited<ReturnType<ConsoleReader['forecast']>>, contactId: string) =>
    forecast.items.find((i) => i.contactId === contactId && i.kind === 'scheduled') ??
    assert.fail(`${contactId} in the forecast`);

  // Hours ahead, presence is not known for then: one read, no contact asked about.
  const now = core.clock.now();
  const ahead = await reader.forecast(core.botId, { hours: 72, limit: 100, now }, presence);
  assert.deepEqual(ahead, onLoop(now, presence));
  assert.equal(item(ahead, ana.id).presence, 'unknown');
  assert.equal(reader.stats().answeredByThread, 1);

  // Half a minute before Ana's step is due, her widget's presence decides the channel.
  const close = due - 30_000;
  const closed = await reader.forecast(core.botId, { hours: 72, limit: 100, now: close }, presence);
  assert.deepEqual(closed, onLoop(close, presence));
  assert.deepEqual([item(closed, ana.id).presence, item(closed, ana.id).channel], ['closed', 'sms']);
  assert.equal(reader.stats().answeredByThread, 2, 'nobody online: the first read holds');
  online.add(ana.id);
  const open = await reader.forecast(core.botId, { hours: 72, limit: 100, now: close }, presence);
  assert.deepEqual(open, onLoop(close, presence));
  assert.deepEqual([item(open, ana.id).presence, item(open, ana.id).channel], ['open', 'livechat']);
  assert.deepEqual([item(open, noor.id).presence], ['closed']);
  assert.equal(reader.stats().answeredByThread, 4, 'Ana online: read again knowing it');
  // Without live chat, presence is unknown on the thread as on the loop.
  const unknown = await reader.forecast(core.botId, { hours: 72, limit: 100, now: close }, null);
  assert.deepEqual(unknown, onLoop(close, null));
  assert.equal(item(unknown, ana.id).presence, 'unknown');

  // Response Info, with the widget open and closed, and without live chat.
  const scope = { operatorId: 'admin', botIds: null };
  for (const known of [presence, null]) {
    for (const isOpen of [true, false]) {
      if (isOpen) online.add(ana.id);
      else online.delete(ana.id);
      const options = { now: close, presence: known, ...scope };
      const info = await reader.responseInfo(ana.id, options);
      assert.deepEqual(
        info,
        store.read(() => responseInfo(core.services, ana.id, options)),
      );
      assert.equal(info.presence, known === null ? 'unknown' : isOpen ? 'open' : 'closed');
    }
  }
  // What the loop would throw, the thread's answer throws: a missing contact is a RuntimeError not_found (404).
  await assert.rejects(
    reader.responseInfo('ct_missing', { now, presence, ...scope }),
    (error: unknown) => error instanceof RuntimeError && error.code === 'not_found',
  );
  assert.throws(
    () => store.read(() => responseInfo(core.services, 'ct_missing', { now, presence, ...scope })),
    (error: unknown) => error instanceof RuntimeError && error.code === 'not_found',
  );
  assert.equal(reader.stats().answeredOnLoop, 0);
});

test('the contact search: the thread answers what the event loop would', async (t) => {
  const core = makeCore(t);
  await withHistory(core);
  const { runtime, store } = core.services;
  const late = runtime.createContact(core.botId, { name: 'Late Lee', phone: '+14155550199' });
  await runtime.inbound({ contactId: late.id, text: 'busy, driving' });
  const reader = new ConsoleReader(core.services);
  t.after(() => reader.close());
  const now = core.clock.now();
  const queries = [
    {},
    { sort: 'due' },
    { q: 'lee' },
    { q: '(415) 555-0199' },
    { dueWithinHours: '24', sort: 'due' },
    { state: 'busy,awaiting', sort: 'name', limit: '2', offset: '1' },
  ];
  for (const raw of queries) {
    const query = searchQuerySchema.parse(raw);
    const answer = await reader.search(core.botId, query, now);
    assert.deepEqual(
      answer,
      store.read(() => searchContacts(store, core.botId, query, now)),
      JSON.stringify(raw),
    );
  }
  const found = await reader.search(core.botId, searchQuerySchema.parse({ q: 'lee' }), now);
  assert.deepEqual(
    [found.total, found.contacts[0]?.id, found.contacts[0]?.nextFollowUp?.scenario],
    [1, late.id, 'busy'],
  );
  assert.deepEqual([reader.stats().answeredByThread, reader.stats().answeredOnLoop], [queries.length + 1, 0]);
});

test("the visualizer's replays: the thread answers what the event loop would, and a bad what-if keeps its code", async (t) => {
  const core = makeCore(t);
  await withHistory(core);
  const [{ id: contactId }] = core.services.db.prepare('SELECT id FROM contacts ORDER BY created_at LIMIT 1').all() as {
    id: string;
  }[];
  const histories = openHistoryReader(core.services.db.name);
  t.after(() => histories.close());
  const history = histories.history(contactId) ?? assert.fail('a stored history');
  const reader = new ConsoleReader(core.services);
  t.after(() => reader.close());
  const never = () => assert.fail('answered on the event loop');

  // UTF-8 JSON, as the route sends it (the export indented).
  const text = async (read: Parameters<ConsoleReader['visualizer']>[0]) =>
    (await reader.visualizer(read, never)).toString('utf8');
  assert.equal(await text({ type: 'vizTimeline', contactId }), JSON.stringify(buildTimeline(history, 'database')));
  const event = { type: 'OPT_IN' as const };
  const afterSeq = history.log.length;
  assert.equal(
    await text({ type: 'vizWhatIf', contactId, afterSeq, event }),
    JSON.stringify(whatIfView(history, afterSeq, event)),
  );
  const now = core.clock.now();
  assert.equal(
    await text({ type: 'vizExport', contactId, now, redact: true }),
    JSON.stringify(buildExport(history, replayHistory(history), { now, redact: true }), null, 2),
  );

  await assert.rejects(
    reader.visualizer({ type: 'vizWhatIf', contactId, afterSeq: afterSeq + 5, event }, never),
    (error: unknown) =>
      error instanceof VizInputError && error.code === 'invalid_request' && /no log entry/.test(error.message),
  );
  await assert.rejects(
    reader.visualizer({ type: 'vizTimeline', contactId: 'ct_missing' }, never),
    (error: unknown) => error instanceof RuntimeError && error.code === 'not_found',
  );
  assert.deepEqual([reader.stats().answeredByThread, reader.stats().answeredOnLoop], [5, 0]);
});

test('a thread that dies loses no request: the event loop answers it, and the next request starts a new thread', async (t) => {
  const core = makeCore(t);
  await withHistory(core);
  const db = core.services.db;
  let clock = 0;
  const reader = new ConsoleReader(core.services, {
    workerUrl: DYING,
    maxRestarts: 1,
    restartWindowMs: 600_000,
    now: () => clock,
  });
  t.after(() => reader.close());
  const now = core.clock.now();
  const expected = db.transaction(() => botMetrics(db, core.botId, now - WEEK, now))();
  assert.deepEqual(await reader.botMetrics(core.botId, now - WEEK, now), expected);
  // This request kills the thread before its answer; the one behind it is owed too.
  const [killer, behind] = await Promise.all([
    reader.botMetrics('die now', now - WEEK, now),
    reader.botMetrics(core.botId, now - WEEK, now),
  ]);
  assert.equal(killer.armed.total, 0, 'an unknown bot has no follow-ups, answered on the loop');
  assert.deepEqual(behind, expected);
  let stats = reader.stats();
  assert.deepEqual([stats.answeredByThread, stats.answeredOnLoop, stats.deaths, stats.running], [1, 2, 1, false]);
  assert.match(stats.lastError ?? '', /exited with code 7/);
  // A new thread (the one restart allowed) answers, then dies too; after that, the loop answers.
  assert.deepEqual(await reader.botMetrics(core.botId, now - WEEK, now), expected);
  await reader.botMetrics('die now', now - WEEK, now);
  assert.deepEqual(await reader.botMetrics(core.botId, now - WEEK, now), expected);
  stats = reader.stats();
  assert.deepEqual(
    [stats.starts, stats.deaths, stats.answeredByThread, stats.answeredOnLoop, stats.running],
    [2, 2, 2, 4, false],
  );
  // Once the first death has left the restart window, a thread may start again.
  clock = 600_000 - 1;
  await reader.botMetrics(core.botId, now - WEEK, now);
  assert.deepEqual(
    [reader.stats().starts, reader.stats().answeredOnLoop],
    [2, 5],
    'both deaths still inside the window',
  );
  clock = 600_000;
  assert.deepEqual(await reader.botMetrics(core.botId, now - WEEK, now), expected);
  stats = reader.stats();
  assert.deepEqual([stats.starts, stats.answeredByThread, stats.answeredOnLoop, stats.running], [3, 3, 5, true]);
});

test('a thread that runs out of heap is a death like any other: the event loop answers what it owed', async (t) => {
  const core = makeCore(t);
  await withHistory(core);
  const db = core.services.db;
  // A bound no thread can start under: it dies of ERR_WORKER_OUT_OF_MEMORY before answering.
  const reader = new ConsoleReader(core.services, {
    heapLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 },
    maxRestarts: 0,
  });
  t.after(() => reader.close());
  const now = core.clock.now();
  assert.deepEqual(
    await reader.botMetrics(core.botId, now - WEEK, now),
    db.transaction(() => botMetrics(db, core.botId, now - WEEK, now))(),
  );
  const stats = reader.stats();
  assert.deepEqual([stats.deaths, stats.answeredByThread, stats.answeredOnLoop, stats.running], [1, 0, 1, false]);
  assert.match(stats.lastError ?? '', /memory/i);
  await reader.botMetrics(core.botId, now - WEEK, now);
  assert.deepEqual([reader.stats().starts, reader.stats().answeredOnLoop], [1, 2], 'no restart left: the loop answers');
});

test('an idle thread is stopped after idleMs without a request, never while it owes an answer, and starts again', async (t) => {
  const core = makeCore(t);
  let now = 0;
  const reader = new ConsoleReader(core.services, { idleMs: 60_000, now: () => now });
  t.after(() => reader.close());
  const bots = [{ id: core.botId, name: 'Salon', active: true }];
  await reader.prometheus(bots);
  now = 59_999;
  assert.equal(reader.retireIfIdle(), false);
  now = 120_000;
  const owed = reader.prometheus(bots); // a request at 120 s
  now = 200_000;
  assert.equal(reader.retireIfIdle(), false, 'an answer is owed, and the last request was 80 s ago');
  await owed;
  now = 180_000 + 1;
  assert.equal(reader.retireIfIdle(), true);
  assert.deepEqual(
    [reader.stats().running, reader.stats().retirements, reader.stats().threadHeapMiB],
    [false, 1, null],
  );
  assert.match(await reader.prometheus(bots), /nudge_bot_info/);
  assert.deepEqual([reader.stats().running, reader.stats().starts], [true, 2]);
});

test('an in-memory database is read on the event loop; bad options are refused', async () => {
  const db = openDatabase(':memory:');
  try {
    const store = new Store(db);
    const services = { store, runtime: new CommittedState(store) };
    const reader = new ConsoleReader(services);
    assert.equal(await reader.prometheus([]), prometheusText(db, []));
    assert.equal(
      (await reader.visualizer({ type: 'vizTimeline', contactId: 'ct_x' }, () => '{"on":"loop"}')).toString('utf8'),
      '{"on":"loop"}',
    );
    assert.deepEqual([reader.stats().answeredOnLoop, reader.stats().starts], [2, 0]);
    await reader.close();
    assert.throws(() => new ConsoleReader(services, { idleMs: 0 }), /idleMs must be a positive number/);
  } finally {
    db.close();
  }
});

test('the service answers metrics, /metrics, the forecast, the contact search and Response Info from the thread, and health says so', async (t) => {
  const server = await makeServer(t);
  const http = api(server);
  const before = (await http.get('/api/health')).body.consoleReader;
  assert.deepEqual([before.running, before.starts], [false, 0], 'no thread before the first console read');
  const metrics = await http.get(`/api/bots/${server.demoBotId}/metrics`);
  assert.equal(metrics.status, 200);
  assert.equal(metrics.body.botId, server.demoBotId);
  const prometheus = await http.get('/metrics');
  assert.equal(prometheus.status, 200);
  assert.match(prometheus.body.raw, new RegExp(`nudge_bot_info\\{bot="${server.demoBotId}"`));
  const created = await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: 'Ana' });
  assert.equal(created.status, 201);
  assert.equal(
    (await http.post(`/api/contacts/${created.body.id}/messages/inbound`, { text: 'busy right now' })).status,
    201,
  );
  const forecast = await http.get(`/api/bots/${server.demoBotId}/forecast?hours=72`);
  assert.equal(forecast.status, 200);
  assert.ok(
    forecast.body.items.some((i: { contactId: string }) => i.contactId === created.body.id),
    JSON.stringify(forecast.body.items),
  );
  const search = await http.get(`/api/bots/${server.demoBotId}/contacts/search?q=ana`);
  assert.equal(search.status, 200);
  assert.deepEqual(
    search.body.contacts.map((c: { id: string }) => c.id),
    [created.body.id],
  );
  assert.equal((await http.get(`/api/bots/${server.demoBotId}/contacts/search?sort=nope`)).status, 400);
  const info = await http.get(`/api/contacts/${created.body.id}/info`);
  assert.equal(info.status, 200);
  assert.deepEqual([info.body.contact.id, info.body.state, info.body.presence], [created.body.id, 'busy', 'closed']);
  assert.equal((await http.get('/api/contacts/ct_missing/info')).status, 404);
  const after = (await http.get('/api/health')).body.consoleReader;
  assert.deepEqual(
    [after.running, after.starts, after.answeredByThread, after.answeredOnLoop, after.deaths],
    [true, 1, 5, 0, 0],
  );
});
