/**
 * The console's metrics and the Prometheus text, read on a thread of their own
 * (src/console/metricsReader.ts): the same answers as on the event loop, from committed
 * data; a dead thread loses no request; an idle thread is stopped and started again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { botMetrics, prometheusText } from '../../src/console/metrics.ts';
import { MetricsReader } from '../../src/console/metricsReader.ts';
import { openDatabase } from '../../src/store/db.ts';
import { makeCore, type Core } from '../helpers/core.ts';
import { api, makeServer } from '../helpers/server.ts';

const DYING = new URL('../fixtures/console/dyingMetricsWorker.ts', import.meta.url);
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
  const reader = new MetricsReader(db);
  t.after(() => reader.close());
  const bots = [{ id: core.botId, name: 'Salon', active: true }];
  const now = core.clock.now();
  const [metrics, text] = await Promise.all([reader.botMetrics(core.botId, now - WEEK, now), reader.prometheus(bots)]);
  assert.deepEqual(metrics, db.transaction(() => botMetrics(db, core.botId, now - WEEK, now))());
  assert.ok(metrics.sent.total > 0 && metrics.armed.total > metrics.sent.total, JSON.stringify(metrics));
  assert.equal(text, prometheusText(db, bots));
  assert.deepEqual(reader.stats(), { running: true, starts: 1, retirements: 0, answeredByThread: 2, answeredOnLoop: 0, deaths: 0, lastError: null });

  // What commits next is in the next answer.
  const contact = core.services.runtime.createContact(core.botId, { name: 'Late' });
  await core.services.runtime.inbound({ contactId: contact.id, text: 'busy, driving' });
  const later = core.clock.now();
  const again = await reader.botMetrics(core.botId, later - WEEK, later);
  assert.equal(again.armed.total, metrics.armed.total + 1);
  assert.deepEqual(again, db.transaction(() => botMetrics(db, core.botId, later - WEEK, later))());
});

test('a thread that dies loses no request: the event loop answers it, and the next request starts a new thread', async (t) => {
  const core = makeCore(t);
  await withHistory(core);
  const db = core.services.db;
  const reader = new MetricsReader(db, { workerUrl: DYING, maxRestarts: 1 });
  t.after(() => reader.close());
  const now = core.clock.now();
  const expected = db.transaction(() => botMetrics(db, core.botId, now - WEEK, now))();
  assert.deepEqual(await reader.botMetrics(core.botId, now - WEEK, now), expected);
  // This request kills the thread before its answer; the one behind it is owed too.
  const [killer, behind] = await Promise.all([reader.botMetrics('die now', now - WEEK, now), reader.botMetrics(core.botId, now - WEEK, now)]);
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
  assert.deepEqual([stats.starts, stats.deaths, stats.answeredByThread, stats.answeredOnLoop, stats.running], [2, 2, 2, 4, false]);
});

test('an idle thread is stopped after idleMs without a request, never while it owes an answer, and starts again', async (t) => {
  const core = makeCore(t);
  let now = 0;
  const reader = new MetricsReader(core.services.db, { idleMs: 60_000, now: () => now });
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
  assert.deepEqual([reader.stats().running, reader.stats().retirements], [false, 1]);
  assert.match(await reader.prometheus(bots), /nudge_bot_info/);
  assert.deepEqual([reader.stats().running, reader.stats().starts], [true, 2]);
});

test('an in-memory database is read on the event loop; bad options are refused', async () => {
  const db = openDatabase(':memory:');
  try {
    const reader = new MetricsReader(db);
    assert.equal(await reader.prometheus([]), prometheusText(db, []));
    assert.deepEqual([reader.stats().answeredOnLoop, reader.stats().starts], [1, 0]);
    await reader.close();
    assert.throws(() => new MetricsReader(db, { idleMs: 0 }), /idleMs must be a positive number/);
  } finally {
    db.close();
  }
});

test('the service answers GET /api/bots/:id/metrics and GET /metrics from the thread, and health says so', async (t) => {
  const server = await makeServer(t);
  const http = api(server);
  const before = (await http.get('/api/health')).body.metrics;
  assert.deepEqual([before.running, before.starts], [false, 0], 'no thread before the first metrics read');
  const metrics = await http.get(`/api/bots/${server.demoBotId}/metrics`);
  assert.equal(metrics.status, 200);
  assert.equal(metrics.body.botId, server.demoBotId);
  const prometheus = await http.get('/metrics');
  assert.equal(prometheus.status, 200);
  assert.match(prometheus.body.raw, new RegExp(`nudge_bot_info\\{bot="${server.demoBotId}"`));
  const after = (await http.get('/api/health')).body.metrics;
  assert.deepEqual([after.running, after.starts, after.answeredByThread, after.answeredOnLoop, after.deaths], [true, 1, 2, 0, 0]);
});
