import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClock } from '../../src/clock.ts';
import { OutboxDispatcher, type OutboxRow } from '../../src/channels/dispatcher.ts';
import { parseRetryAfter } from '../../src/channels/http.ts';
import { LogSmsAdapter, TwilioSmsAdapter } from '../../src/channels/sms.ts';
import { PermanentDeliveryError, RetryableDeliveryError } from '../../src/channels/types.ts';
import { type FakeTwilio, startFakeTwilio } from './fakes/fakeTwilio.ts';
import { insertOutbox, tempDb, waitFor } from './helpers.ts';
import { SqliteOutbox } from '../../src/store/outbox.ts';

const FROM = '+15005550006';

async function setup(
  t: import('node:test').TestContext,
  adapterOpts: Partial<ConstructorParameters<typeof TwilioSmsAdapter>[0]> = {},
) {
  const fake = await startFakeTwilio();
  t.after(() => fake.close());
  const adapter = new TwilioSmsAdapter({
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    from: FROM,
    baseUrl: fake.url,
    timeoutMs: 5_000,
    ...adapterOpts,
  });
  return { fake, adapter };
}

const msg = (key: string, to = '+14155550123', body = 'Hi there') => ({ idempotencyKey: key, to, body, meta: {} });

describe('TwilioSmsAdapter against the fake provider', () => {
  test('success: form fields, basic auth, idempotency header, provider id', async (t) => {
    const { fake, adapter } = await setup(t, {
      statusCallbackUrl: (botId) => `https://nudge.example/webhooks/sms/${botId}/status`,
    });
    const res = await adapter.send({ ...msg('c1:stoppedReplying:1:0'), botId: 'bot1' });
    assert.equal(res.providerId, fake.messages[0].sid);
    assert.equal(fake.messages.length, 1);
    assert.deepEqual(
      {
        to: fake.messages[0].to,
        from: fake.messages[0].from,
        body: fake.messages[0].body,
        token: fake.messages[0].idempotencyToken,
      },
      { to: '+14155550123', from: FROM, body: 'Hi there', token: 'c1:stoppedReplying:1:0' },
    );
    assert.equal(fake.messages[0].statusCallback, 'https://nudge.example/webhooks/sms/bot1/status');
  });

  test('a Messaging Service SID is sent as MessagingServiceSid', async (t) => {
    const { fake, adapter } = await setup(t, { from: 'MG0123456789abcdef0123456789abcdef' });
    await adapter.send(msg('k-mg'));
    assert.equal(fake.messages[0].from, null);
    assert.equal(fake.messages[0].messagingServiceSid, 'MG0123456789abcdef0123456789abcdef');
  });

  test('4xx errors are permanent, with the Twilio code and an explanation', async (t) => {
    const { fake, adapter } = await setup(t);
    fake.rejectNumber('+15550000001', 21211);
    fake.rejectNumber('+15550000002', 21610);
    fake.rejectNumber('+15550000003', 21614);
    const cases: [string, string, RegExp][] = [
      ['+15550000001', '21211', /invalid "To" phone number/],
      ['+15550000002', '21610', /unsubscribed/],
      ['+15550000003', '21614', /not a mobile number/],
    ];
    for (const [to, code, text] of cases) {
      await assert.rejects(adapter.send(msg(`k-${to}`, to)), (err: unknown) => {
        assert.ok(err instanceof PermanentDeliveryError, String(err));
        assert.equal(err.code, code);
        assert.match(err.message, text);
        assert.match(err.message, /^Twilio 400/);
        return true;
      });
    }
    assert.equal(fake.messages.length, 0);
  });

  test('wrong credentials are permanent (20003)', async (t) => {
    const { adapter } = await setup(t, { authToken: 'wrong' });
    await assert.rejects(adapter.send(msg('k-auth')), (err: unknown) => {
      assert.ok(err instanceof PermanentDeliveryError);
      assert.equal(err.code, '20003');
      return true;
    });
  });

  test('429 is retryable and carries Retry-After; 5xx is retryable', async (t) => {
    const { fake, adapter } = await setup(t);
    fake.failNext(1, 429, { retryAfter: '7' });
    await assert.rejects(adapter.send(msg('k-429')), (err: unknown) => {
      assert.ok(err instanceof RetryableDeliveryError);
      assert.equal(err.retryAfterMs, 7000);
      assert.match(err.message, /rate limited/);
      return true;
    });
    fake.failNext(1, 503);
    await assert.rejects(adapter.send(msg('k-503')), RetryableDeliveryError);
    assert.equal(fake.messages.length, 0);
    // And the next attempt goes through.
    await adapter.send(msg('k-429'));
    assert.equal(fake.messages.length, 1);
  });

  test('no answer within timeoutMs → retryable timeout', async (t) => {
    const { fake, adapter } = await setup(t, { timeoutMs: 100 });
    fake.hangNext(1);
    await assert.rejects(adapter.send(msg('k-hang')), (err: unknown) => {
      assert.ok(err instanceof RetryableDeliveryError);
      assert.equal(err.code, 'timeout');
      return true;
    });
  });

  test('connection refused → retryable network error', async (t) => {
    const { fake, adapter } = await setup(t);
    await fake.close();
    await assert.rejects(adapter.send(msg('k-down')), (err: unknown) => {
      assert.ok(err instanceof RetryableDeliveryError);
      assert.equal(err.code, 'network');
      return true;
    });
  });

  test('duplicate suppression: the same idempotency key is one message at the provider', async (t) => {
    const { fake, adapter } = await setup(t);
    const a = await adapter.send(msg('c1:busy:1:3'));
    const b = await adapter.send(msg('c1:busy:1:3'));
    const c = await adapter.send(msg('c1:busy:2:3'));
    assert.equal(a.providerId, b.providerId);
    assert.notEqual(a.providerId, c.providerId);
    assert.equal(fake.messages.length, 2);
    assert.deepEqual(
      fake.requests.map((r) => r.outcome),
      ['201', '201 duplicate', '201'],
    );
  });

  test('a missing recipient is permanent and never reaches the provider', async (t) => {
    const { fake, adapter } = await setup(t);
    await assert.rejects(adapter.send({ ...msg('k-none'), to: null }), PermanentDeliveryError);
    assert.equal(fake.requests.length, 0);
  });

  test('constructor rejects missing options', () => {
    assert.throws(
      () => new TwilioSmsAdapter({ accountSid: '', authToken: 'x', from: FROM, baseUrl: 'http://127.0.0.1:1' }),
      /accountSid/,
    );
    assert.throws(
      () => new TwilioSmsAdapter({ accountSid: 'AC1', authToken: 'x', from: FROM, baseUrl: 'not a url' }),
      /baseUrl/,
    );
  });
});

describe('TwilioSmsAdapter through the outbox dispatcher (fake clock, real HTTP)', () => {
  async function withDispatcher(t: import('node:test').TestContext, fake: FakeTwilio, adapter: TwilioSmsAdapter) {
    const { db } = tempDb(t);
    const clock = new FakeClock();
    const changes: OutboxRow[] = [];
    const dispatcher = new OutboxDispatcher({
      outbox: new SqliteOutbox(db),
      clock,
      adapters: { sms: adapter },
      options: { random: () => 0.5, baseBackoffMs: 1000, sendTimeoutMs: 2000, claimTimeoutMs: 10_000 },
      onChange: (row) => changes.push(row),
    });
    t.after(() => dispatcher.stop());
    return { db, clock, dispatcher, changes };
  }
  const row = (db: import('better-sqlite3').Database, id: number) =>
    db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow;

  test('429 then success: waits at least Retry-After, then delivers once', async (t) => {
    const { fake, adapter } = await setup(t);
    const { db, clock, dispatcher } = await withDispatcher(t, fake, adapter);
    fake.failNext(1, 429, { retryAfter: '30' });
    const id = insertOutbox(db, { nextAttemptAt: clock.now() });
    await dispatcher.drain();
    let r = row(db, id);
    assert.equal(r.status, 'pending');
    assert.equal(r.attempts, 1);
    assert.equal(r.next_attempt_at - clock.now(), 30_000, 'Retry-After (30 s) beats the 750 ms backoff');
    assert.match(r.last_error ?? '', /429.*rate limited/);
    clock.advance(29_999);
    await dispatcher.drain();
    assert.equal(row(db, id).attempts, 1, 'not retried before Retry-After');
    clock.advance(1);
    await dispatcher.drain();
    r = row(db, id);
    assert.equal(r.status, 'delivered');
    assert.equal(r.attempts, 2);
    assert.equal(r.provider_id, fake.messages[0].sid);
    assert.equal(r.last_error, null);
    assert.equal(fake.messages.length, 1);
  });

  test('timeout then retry: the hung request reached the provider, the retry is deduplicated', async (t) => {
    const { fake, adapter } = await setup(t);
    const { db, clock, dispatcher } = await withDispatcher(t, fake, adapter);
    fake.hangNext(1);
    const id = insertOutbox(db, { nextAttemptAt: clock.now() });
    const draining = dispatcher.drain();
    // Wait until the request is at the (hanging) provider, then let the dispatcher's timeout fire.
    await waitFor(() => fake.requests.length === 1, 'the request to reach the fake provider');
    clock.advance(2000);
    await draining;
    let r = row(db, id);
    assert.equal(r.status, 'pending');
    assert.match(r.last_error ?? '', /no answer from the sms adapter within 2000 ms/);
    clock.advanceTo(r.next_attempt_at);
    await dispatcher.drain();
    r = row(db, id);
    assert.equal(r.status, 'delivered');
    assert.equal(fake.messages.length, 1, 'one message at the provider');
    assert.deepEqual(
      fake.requests.map((q) => q.outcome),
      ['hang (recorded)', '201 duplicate'],
    );
    assert.equal(r.provider_id, fake.messages[0].sid);
  });

  test('4xx permanent: failed after one attempt with the provider error', async (t) => {
    const { fake, adapter } = await setup(t);
    const { db, clock, dispatcher, changes } = await withDispatcher(t, fake, adapter);
    fake.rejectNumber('+15550000002', 21610);
    const id = insertOutbox(db, { nextAttemptAt: clock.now(), recipient: '+15550000002' });
    await dispatcher.drain();
    const r = row(db, id);
    assert.equal(r.status, 'failed');
    assert.equal(r.attempts, 1);
    assert.match(r.last_error ?? '', /Twilio 400 \[21610\].*unsubscribed.*\(code 21610\)/);
    assert.deepEqual(
      changes.map((c) => c.status),
      ['sending', 'failed'],
    );
  });
});

describe('LogSmsAdapter', () => {
  test('keeps what would be sent in a ring buffer and prints one line each', async () => {
    const lines: string[] = [];
    const clock = new FakeClock();
    const log = new LogSmsAdapter({ log: (l) => lines.push(l), capacity: 2, clock });
    const a = await log.send({ ...msg('k1', '+14155550001', 'one'), botId: 'bot1' });
    await log.send(msg('k2', '+14155550002', 'two'));
    await log.send(msg('k3', '+14155550003', 'three "quoted"'));
    assert.equal(a.providerId, 'log-1');
    assert.deepEqual(
      log.sent().map((m) => m.body),
      ['two', 'three "quoted"'],
    );
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '[sms:log] to=+14155550003 key=k3 body="three \\"quoted\\""');
    assert.equal(log.sent()[0].at, clock.now());
  });

  test('a repeated idempotency key is not logged twice', async () => {
    const lines: string[] = [];
    const log = new LogSmsAdapter({ log: (l) => lines.push(l) });
    const a = await log.send(msg('same'));
    const b = await log.send(msg('same'));
    assert.equal(a.providerId, b.providerId);
    assert.equal(lines.length, 1);
    assert.equal(log.sent().length, 1);
  });

  test('no recipient is a permanent error; bad capacity is rejected', async () => {
    const log = new LogSmsAdapter({ log: () => {} });
    await assert.rejects(log.send({ ...msg('x'), to: null }), PermanentDeliveryError);
    assert.throws(() => new LogSmsAdapter({ capacity: 0 }), /capacity/);
  });
});

test('parseRetryAfter: seconds, HTTP date, garbage, cap', () => {
  const now = Date.UTC(2026, 0, 5, 9, 0, 0);
  assert.equal(parseRetryAfter('5', now), 5000);
  assert.equal(parseRetryAfter(new Date(now + 12_000).toUTCString(), now), 12_000);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
  assert.equal(parseRetryAfter('999999', now), 60 * 60_000);
});
