import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type Database from 'better-sqlite3';
import { FakeClock } from '../../src/clock.ts';
import {
  OutboxDispatcher,
  type OutboxDispatcherOptions,
  type OutboxRow,
  backoffDelay,
} from '../../src/channels/dispatcher.ts';
import {
  type ChannelAdapter,
  type OutboundMessage,
  PermanentDeliveryError,
  RetryableDeliveryError,
} from '../../src/channels/types.ts';
import { flush, insertOutbox, tempDb } from './helpers.ts';
import { deferred } from '../helpers/deferred.ts';
import { SqliteOutbox } from '../../src/store/outbox.ts';

type Behaviour = (msg: OutboundMessage, call: number) => Promise<{ providerId?: string }> | { providerId?: string };

/** An in-memory adapter whose answer per call is scripted by the test. */
class ScriptedAdapter implements ChannelAdapter {
  calls: OutboundMessage[] = [];
  active = 0;
  maxActive = 0;
  constructor(
    readonly channel: ChannelAdapter['channel'],
    private behaviour: Behaviour = () => ({ providerId: 'ok' }),
  ) {}
  setBehaviour(b: Behaviour) {
    this.behaviour = b;
  }
  async send(msg: OutboundMessage) {
    this.calls.push(msg);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      return await this.behaviour(msg, this.calls.length);
    } finally {
      this.active--;
    }
  }
}

function setup(
  t: TestContext,
  adapters: Partial<Record<string, ChannelAdapter>>,
  options: OutboxDispatcherOptions = {},
) {
  const { db } = tempDb(t);
  const clock = new FakeClock();
  const changes: OutboxRow[] = [];
  const logs: string[] = [];
  const dispatcher = new OutboxDispatcher({
    outbox: new SqliteOutbox(db),
    clock,
    adapters,
    options: { random: () => 0.5, ...options },
    onChange: (row) => changes.push(row),
    log: (l) => logs.push(l),
  });
  t.after(() => dispatcher.stop());
  return { db, clock, dispatcher, changes, logs };
}

const get = (db: Database.Database, id: number) => db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow;

describe('OutboxDispatcher: delivery and ordering', () => {
  test('delivers due rows with the row idempotency key, recipient, body, meta and bot', async (t) => {
    const sms = new ScriptedAdapter('sms', (m) => ({ providerId: `p-${m.idempotencyKey}` }));
    const { db, clock, dispatcher, changes } = setup(t, { sms });
    const id = insertOutbox(db, {
      key: 'c1:busy:1:0',
      nextAttemptAt: clock.now(),
      meta: '{"followupId":"f1"}',
      body: 'Hey',
    });
    const later = insertOutbox(db, { key: 'c2:busy:1:0', contactId: 'c2', nextAttemptAt: clock.now() + 60_000 });
    await dispatcher.drain();
    assert.equal(sms.calls.length, 1);
    const call = sms.calls[0];
    assert.deepEqual(
      {
        key: call.idempotencyKey,
        to: call.to,
        body: call.body,
        meta: call.meta,
        botId: call.botId,
        contactId: call.contactId,
      },
      {
        key: 'c1:busy:1:0',
        to: '+14155550100',
        body: 'Hey',
        meta: { followupId: 'f1' },
        botId: 'bot1',
        contactId: 'c1',
      },
    );
    const row = get(db, id);
    assert.equal(row.status, 'delivered');
    assert.equal(row.provider_id, 'p-c1:busy:1:0');
    assert.equal(row.attempts, 1);
    assert.equal(row.claimed_at, null);
    assert.equal(get(db, later).status, 'pending', 'not due yet');
    assert.deepEqual(
      changes.map((c) => [c.id, c.status]),
      [
        [id, 'sending'],
        [id, 'delivered'],
      ],
    );
  });

  test('in order per contact: row N+1 waits while row N is retrying; other contacts are not held up', async (t) => {
    const sms = new ScriptedAdapter('sms', (m) => {
      if (m.idempotencyKey === 'a1' && sms.calls.filter((c) => c.idempotencyKey === 'a1').length === 1) {
        throw new RetryableDeliveryError('provider hiccup');
      }
      return { providerId: m.idempotencyKey };
    });
    const { db, clock, dispatcher } = setup(t, { sms }, { baseBackoffMs: 1000 });
    const now = clock.now();
    insertOutbox(db, { key: 'a1', contactId: 'A', nextAttemptAt: now });
    insertOutbox(db, { key: 'a2', contactId: 'A', nextAttemptAt: now });
    insertOutbox(db, { key: 'b1', contactId: 'B', nextAttemptAt: now });
    insertOutbox(db, { key: 'a3', contactId: 'A', nextAttemptAt: now });
    insertOutbox(db, { key: 'b2', contactId: 'B', nextAttemptAt: now });
    await dispatcher.drain();
    assert.deepEqual(
      sms.calls.map((c) => c.idempotencyKey),
      ['a1', 'b1', 'b2'],
      'A is blocked behind its retrying head',
    );
    clock.advance(1000);
    await dispatcher.drain();
    assert.deepEqual(
      sms.calls.map((c) => c.idempotencyKey),
      ['a1', 'b1', 'b2', 'a1', 'a2', 'a3'],
    );
    const statuses = db.prepare('SELECT idempotency_key AS k, status FROM outbox ORDER BY id').all();
    assert.deepEqual(statuses, [
      { k: 'a1', status: 'delivered' },
      { k: 'a2', status: 'delivered' },
      { k: 'b1', status: 'delivered' },
      { k: 'a3', status: 'delivered' },
      { k: 'b2', status: 'delivered' },
    ]);
  });

  test('never two sends of one contact at once; different contacts run concurrently up to the limit', async (t) => {
    const gates = new Map<string, ReturnType<typeof deferred<{ providerId: string }>>>();
    const sms = new ScriptedAdapter('sms', (m) => {
      const d = deferred<{ providerId: string }>();
      gates.set(m.idempotencyKey, d);
      return d.promise;
    });
    const { db, clock, dispatcher } = setup(t, { sms }, { concurrency: 2 });
    const now = clock.now();
    insertOutbox(db, { key: 'a1', contactId: 'A', nextAttemptAt: now });
    insertOutbox(db, { key: 'a2', contactId: 'A', nextAttemptAt: now });
    insertOutbox(db, { key: 'b1', contactId: 'B', nextAttemptAt: now });
    insertOutbox(db, { key: 'c1', contactId: 'C', nextAttemptAt: now });
    const draining = dispatcher.drain();
    await flush();
    assert.deepEqual(
      sms.calls.map((c) => c.idempotencyKey),
      ['a1', 'b1'],
      'a2 waits for a1; c1 waits for a slot',
    );
    assert.equal(dispatcher.inFlightCount, 2);
    gates.get('a1')!.resolve({ providerId: 'x' });
    await flush();
    assert.deepEqual(
      sms.calls.map((c) => c.idempotencyKey),
      ['a1', 'b1', 'a2'],
    );
    gates.get('b1')!.resolve({ providerId: 'x' });
    await flush();
    assert.deepEqual(
      sms.calls.map((c) => c.idempotencyKey),
      ['a1', 'b1', 'a2', 'c1'],
    );
    gates.get('a2')!.resolve({ providerId: 'x' });
    gates.get('c1')!.resolve({ providerId: 'x' });
    await draining;
    assert.equal(sms.maxActive, 2);
  });

  test('a failed row does not block the rows after it; rows without a contact are independent', async (t) => {
    const sms = new ScriptedAdapter('sms', (m) => {
      if (m.idempotencyKey === 'a1') throw new PermanentDeliveryError('invalid number', '21211');
      return {};
    });
    const webhook = new ScriptedAdapter('webhook');
    const { db, clock, dispatcher } = setup(t, { sms, webhook });
    const now = clock.now();
    insertOutbox(db, { key: 'a1', contactId: 'A', nextAttemptAt: now });
    insertOutbox(db, { key: 'a2', contactId: 'A', nextAttemptAt: now });
    insertOutbox(db, {
      key: 'w1',
      contactId: null,
      channel: 'webhook',
      recipient: 'http://127.0.0.1:1/x',
      nextAttemptAt: now + 5000,
    });
    insertOutbox(db, {
      key: 'w2',
      contactId: null,
      channel: 'webhook',
      recipient: 'http://127.0.0.1:1/x',
      nextAttemptAt: now,
    });
    await dispatcher.drain();
    assert.deepEqual(
      sms.calls.map((c) => c.idempotencyKey),
      ['a1', 'a2'],
    );
    assert.deepEqual(
      webhook.calls.map((c) => c.idempotencyKey),
      ['w2'],
      'w2 is not held behind w1',
    );
  });

  test('permanent error → failed at once with last_error (and the code)', async (t) => {
    const sms = new ScriptedAdapter('sms', () => {
      throw new PermanentDeliveryError('Twilio 400 [21211]: invalid "To" phone number', '21211');
    });
    const { db, clock, dispatcher } = setup(t, { sms });
    const id = insertOutbox(db, { nextAttemptAt: clock.now() });
    await dispatcher.drain();
    const row = get(db, id);
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 1);
    assert.equal(row.last_error, 'Twilio 400 [21211]: invalid "To" phone number (code 21211)');
  });

  test('no adapter for the channel, unknown channel, or bad meta JSON → failed with a clear error', async (t) => {
    const sms = new ScriptedAdapter('sms');
    const { db, clock, dispatcher } = setup(t, { sms });
    const a = insertOutbox(db, { contactId: 'A', channel: 'whatsapp', nextAttemptAt: clock.now() });
    const b = insertOutbox(db, { contactId: 'B', channel: 'pigeon', nextAttemptAt: clock.now() });
    const c = insertOutbox(db, { contactId: 'C', meta: '[1,2]', nextAttemptAt: clock.now() });
    await dispatcher.drain();
    assert.equal(get(db, a).last_error, 'no adapter configured for channel "whatsapp"');
    assert.equal(get(db, b).last_error, 'unknown channel "pigeon"');
    assert.match(get(db, c).last_error ?? '', /meta is not a JSON object/);
    for (const id of [a, b, c]) assert.equal(get(db, id).status, 'failed');
    assert.equal(sms.calls.length, 0);
  });
});

describe('OutboxDispatcher: retries and backoff', () => {
  test('backoffDelay: doubling, equal jitter, cap', () => {
    const o = { baseBackoffMs: 1000, maxBackoffMs: 10_000 };
    assert.equal(backoffDelay(1, { ...o, random: () => 0 }), 500);
    assert.equal(backoffDelay(1, { ...o, random: () => 0.999999 }), 1000);
    assert.equal(backoffDelay(3, { ...o, random: () => 0.5 }), 3000);
    assert.equal(backoffDelay(10, { ...o, random: () => 1 }), 10_000);
    assert.equal(backoffDelay(10, { ...o, random: () => 0 }), 5000);
  });

  test('schedule with an injected random, then failed with last_error after maxAttempts', async (t) => {
    const randoms = [0, 1, 0.5, 0.25, 0];
    let r = 0;
    const sms = new ScriptedAdapter('sms', (_m, call) => {
      throw new RetryableDeliveryError(`Twilio 503: provider error (call ${call})`);
    });
    const { db, clock, dispatcher, changes } = setup(
      t,
      { sms },
      {
        maxAttempts: 6,
        baseBackoffMs: 1000,
        maxBackoffMs: 10_000,
        random: () => randoms[r++],
      },
    );
    const id = insertOutbox(db, { nextAttemptAt: clock.now() });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      await dispatcher.drain();
      const row = get(db, id);
      assert.equal(row.attempts, attempt);
      if (attempt < 6) {
        assert.equal(row.status, 'pending');
        assert.equal(row.last_error, `attempt ${attempt}: Twilio 503: provider error (call ${attempt})`);
        waits.push(row.next_attempt_at - clock.now());
        // Not a millisecond early.
        clock.advance(row.next_attempt_at - clock.now() - 1);
        await dispatcher.drain();
        assert.equal(get(db, id).attempts, attempt);
        clock.advance(1);
      }
    }
    // base·2^(n-1) capped at 10 s, then uniform in [half, full] by the injected random.
    assert.deepEqual(waits, [500, 2000, 3000, 5000, 5000]);
    const final = get(db, id);
    assert.equal(final.status, 'failed');
    assert.equal(final.last_error, 'gave up after 6 attempts; last error: Twilio 503: provider error (call 6)');
    assert.equal(sms.calls.length, 6);
    assert.ok(sms.calls.every((c) => c.idempotencyKey === final.idempotency_key));
    assert.equal(changes.at(-1)?.status, 'failed');
  });

  test('unknown errors and synchronous throws are retried like retryable ones', async (t) => {
    const sms: ChannelAdapter = {
      channel: 'sms',
      send: ((): never => {
        throw new TypeError('adapter bug');
      }) as ChannelAdapter['send'],
    };
    const { db, clock, dispatcher } = setup(t, { sms });
    const id = insertOutbox(db, { nextAttemptAt: clock.now() });
    await dispatcher.drain();
    const row = get(db, id);
    assert.equal(row.status, 'pending');
    assert.equal(row.last_error, 'attempt 1: unexpected adapter error: adapter bug');
  });

  test('a send that never settles times out on the injected clock, is aborted, and retried', async (t) => {
    const signals: AbortSignal[] = [];
    const sms = new ScriptedAdapter('sms', (m, call) => {
      signals.push(m.signal!);
      return call === 1 ? new Promise(() => {}) : { providerId: 'second' };
    });
    const { db, clock, dispatcher } = setup(t, { sms }, { sendTimeoutMs: 5000, claimTimeoutMs: 30_000 });
    const id = insertOutbox(db, { nextAttemptAt: clock.now() });
    const draining = dispatcher.drain();
    await flush();
    assert.equal(get(db, id).status, 'sending');
    clock.advance(4999);
    await flush();
    assert.equal(get(db, id).status, 'sending');
    clock.advance(1);
    await draining;
    assert.equal(signals[0].aborted, true);
    const row = get(db, id);
    assert.equal(row.status, 'pending');
    assert.match(row.last_error ?? '', /within 5000 ms/);
    clock.advanceTo(row.next_attempt_at);
    await dispatcher.drain();
    assert.equal(get(db, id).provider_id, 'second');
  });
});

describe('OutboxDispatcher: crashes, timers and lifecycle', () => {
  test('start() reclaims a row left in sending by a dead process and delivers it with the same key', async (t) => {
    const sms = new ScriptedAdapter('sms', () => ({ providerId: 'again' }));
    const { db, clock, dispatcher, changes } = setup(t, { sms }, { claimTimeoutMs: 60_000 });
    const now = clock.now();
    const stale = insertOutbox(db, {
      key: 'k-stale',
      contactId: 'A',
      status: 'sending',
      attempts: 1,
      claimedAt: now - 60_001,
      nextAttemptAt: now - 60_001,
    });
    const next = insertOutbox(db, { key: 'k-next', contactId: 'A', nextAttemptAt: now });
    const fresh = insertOutbox(db, {
      key: 'k-fresh',
      contactId: 'B',
      status: 'sending',
      attempts: 1,
      claimedAt: now - 1000,
      nextAttemptAt: now - 1000,
    });
    dispatcher.start();
    await flush();
    await dispatcher.drain();
    assert.deepEqual(
      sms.calls.map((c) => c.idempotencyKey),
      ['k-stale', 'k-next'],
      'stale first, then its successor',
    );
    assert.equal(get(db, stale).status, 'delivered');
    assert.equal(get(db, stale).attempts, 2);
    assert.equal(get(db, fresh).status, 'sending', 'a recent claim may still be alive: left alone');
    assert.ok(
      changes.some((c) => c.id === stale && c.status === 'pending' && /claim expired/.test(c.last_error ?? '')),
    );
    // The periodic reclaim (every claimTimeoutMs / 2) picks it up once it is stale.
    clock.advance(30_000);
    await flush();
    assert.equal(get(db, fresh).status, 'sending');
    clock.advance(30_000);
    await flush();
    await dispatcher.drain();
    assert.equal(get(db, fresh).status, 'delivered');
    assert.equal(get(db, next).status, 'delivered');
  });

  test('reclaim never touches a row this process is still sending', async (t) => {
    const sms = new ScriptedAdapter('sms', () => new Promise(() => {}));
    const { db, clock, dispatcher, logs } = setup(
      t,
      { sms },
      { sendTimeoutMs: 5000, claimTimeoutMs: 6000, reclaimIntervalMs: 6000 },
    );
    const id = insertOutbox(db, { nextAttemptAt: clock.now() });
    dispatcher.start();
    await flush();
    assert.equal(get(db, id).status, 'sending');
    // One synchronous jump fires the send timeout and the reclaim sweep before the send's
    // own failure handling has run: the sweep must leave the in-flight row alone.
    clock.advance(6000);
    await flush();
    const row = get(db, id);
    assert.equal(row.status, 'pending');
    assert.match(row.last_error ?? '', /within 5000 ms/);
    assert.deepEqual(logs, []);
  });

  test('a stale claim that already used every attempt is failed, not resent forever', (t) => {
    const sms = new ScriptedAdapter('sms');
    const { db, clock, dispatcher } = setup(t, { sms }, { maxAttempts: 3 });
    const id = insertOutbox(db, { status: 'sending', attempts: 3, claimedAt: clock.now() - 120_000, nextAttemptAt: 0 });
    assert.equal(dispatcher.reclaimStale(), 1);
    const row = get(db, id);
    assert.equal(row.status, 'failed');
    assert.match(row.last_error ?? '', /claim expired .* attempt 3 of 3/);
  });

  test('running: kick() picks up new rows; retries and future rows are woken by the clock', async (t) => {
    let fail = true;
    const sms = new ScriptedAdapter('sms', () => {
      if (fail) {
        fail = false;
        throw new RetryableDeliveryError('busy');
      }
      return { providerId: 'ok' };
    });
    const { db, clock, dispatcher } = setup(t, { sms }, { baseBackoffMs: 2000 });
    dispatcher.start();
    const id = insertOutbox(db, { contactId: 'A', nextAttemptAt: clock.now() });
    const future = insertOutbox(db, { contactId: 'B', nextAttemptAt: clock.now() + 10_000 });
    dispatcher.kick();
    await flush();
    assert.equal(get(db, id).status, 'pending', 'first attempt failed');
    assert.equal(sms.calls.length, 1);
    clock.advance(1500); // backoff is 1500 with random 0.5
    await flush();
    assert.equal(get(db, id).status, 'delivered');
    assert.equal(get(db, future).status, 'pending');
    clock.advance(8500);
    await flush();
    assert.equal(get(db, future).status, 'delivered');
  });

  test('a row falling due between a claim and the next-wake lookup is still woken for', async (t) => {
    const sms = new ScriptedAdapter('sms', () => ({ providerId: 'ok' }));
    const { db } = tempDb(t);
    const clock = new FakeClock();
    const inner = new SqliteOutbox(db);
    // The claim takes one millisecond: the row below is not due when the claim reads the
    // clock, and due when the dispatcher then asks for its next wake.
    const outbox = Object.assign(Object.create(inner) as SqliteOutbox, {
      claimReady(now: number, limit: number) {
        const claimed = inner.claimReady(now, limit);
        clock.advance(1);
        return claimed;
      },
    });
    const dispatcher = new OutboxDispatcher({ outbox, clock, adapters: { sms }, options: { random: () => 0.5 } });
    t.after(() => dispatcher.stop());
    const id = insertOutbox(db, { contactId: 'A', nextAttemptAt: clock.now() + 1 });
    dispatcher.start();
    await flush();
    clock.advance(0);
    await flush();
    assert.equal(get(db, id).status, 'delivered', 'woken for the row that fell due during the claim');
    assert.equal(sms.calls.length, 1);
  });

  test('stop() waits for in-flight sends and records their outcome; nothing is claimed after', async (t) => {
    const gate = deferred<{ providerId: string }>();
    const sms = new ScriptedAdapter('sms', () => gate.promise);
    const { db, clock, dispatcher } = setup(t, { sms });
    const id = insertOutbox(db, { contactId: 'A', nextAttemptAt: clock.now() });
    dispatcher.start();
    await flush();
    assert.equal(sms.calls.length, 1);
    let stopped = false;
    const stopping = dispatcher.stop().then(() => (stopped = true));
    insertOutbox(db, { contactId: 'B', nextAttemptAt: clock.now() });
    dispatcher.kick();
    await flush();
    assert.equal(stopped, false, 'still waiting for the send');
    gate.resolve({ providerId: 'done' });
    await stopping;
    assert.equal(get(db, id).status, 'delivered');
    assert.equal(sms.calls.length, 1, 'nothing new after stop()');
    assert.equal(clock.pendingTimers(), 0, 'no timers left behind');
    await assert.rejects(dispatcher.drain(), /after stop/);
  });

  test('a throwing onChange listener does not break delivery', async (t) => {
    const { db } = tempDb(t);
    const clock = new FakeClock();
    const logs: string[] = [];
    const dispatcher = new OutboxDispatcher({
      outbox: new SqliteOutbox(db),
      clock,
      adapters: { sms: new ScriptedAdapter('sms') },
      onChange: () => {
        throw new Error('listener broke');
      },
      log: (l) => logs.push(l),
    });
    const id = insertOutbox(db, { nextAttemptAt: clock.now() });
    await dispatcher.drain();
    assert.equal(get(db, id).status, 'delivered');
    assert.ok(logs.some((l) => /listener broke/.test(l)));
  });

  test('options are validated', (t) => {
    const { db } = tempDb(t);
    const clock = new FakeClock();
    assert.throws(
      () =>
        new OutboxDispatcher({
          outbox: new SqliteOutbox(db),
          clock,
          adapters: {},
          options: { sendTimeoutMs: 60_000, claimTimeoutMs: 60_000 },
        }),
      /claimTimeoutMs .* must be greater than sendTimeoutMs/,
    );
    assert.throws(
      () => new OutboxDispatcher({ outbox: new SqliteOutbox(db), clock, adapters: {}, options: { maxAttempts: 0 } }),
      /maxAttempts/,
    );
    assert.throws(
      () =>
        new OutboxDispatcher({
          outbox: new SqliteOutbox(db),
          clock,
          adapters: { sms: new ScriptedAdapter('whatsapp') },
        }),
      /registered for "sms" handles "whatsapp"/,
    );
  });
});
