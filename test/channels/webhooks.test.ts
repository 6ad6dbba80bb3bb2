import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { FakeClock } from '../../src/clock.ts';
import { OutboxDispatcher } from '../../src/channels/dispatcher.ts';
import { metaSignature, twilioSignature } from '../../src/channels/signatures.ts';
import { LogSmsAdapter } from '../../src/channels/sms.ts';
import { keywordReply } from '../../src/channels/smsKeywords.ts';
import {
  type DeliveryStatusUpdate,
  EMPTY_TWIML,
  type InboundMessage,
  type InboundSink,
  metaWebhookRoutes,
  smsWebhookRoutes,
} from '../../src/channels/webhooks.ts';
import { instagramPayload, messengerPayload, whatsappPayload } from './fixtures/metaPayloads.ts';
import { tempDb } from './helpers.ts';
import { SqliteOutbox } from '../../src/store/outbox.ts';

const AUTH_TOKEN = 'twilio-token-bot1';
const PUBLIC_URL = 'https://nudge.example.com';
const APP_SECRET = 'meta-app-secret';
const VERIFY_TOKEN = 'meta-verify-token';

class RecordingSink implements InboundSink {
  inbounds: InboundMessage[] = [];
  keywords: (InboundMessage & { keyword: string })[] = [];
  statuses: DeliveryStatusUpdate[] = [];
  failInbound = false;
  constructor(private readonly onKeyword?: (msg: InboundMessage & { keyword: 'stop' | 'start' | 'help' }) => void) {}
  smsConfig(botId: string) {
    return botId === 'bot1' ? { authToken: AUTH_TOKEN, publicUrl: `${PUBLIC_URL}/` } : null;
  }
  async metaConfig(botId: string) {
    return botId === 'bot1' ? { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN } : null;
  }
  async inbound(msg: InboundMessage) {
    if (this.failInbound) throw new Error('database is locked');
    this.inbounds.push(msg);
  }
  async keyword(msg: InboundMessage & { keyword: 'stop' | 'start' | 'help' }) {
    this.keywords.push(msg);
    this.onKeyword?.(msg);
  }
  deliveryStatus(update: DeliveryStatusUpdate) {
    this.statuses.push(update);
  }
  get calls() {
    return this.inbounds.length + this.keywords.length + this.statuses.length;
  }
}

async function buildApp(t: TestContext, sink: InboundSink, clock = new FakeClock()): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  // The host app may have its own form parser and uses the default JSON parser elsewhere:
  // the plugins must coexist with both without changing them.
  await app.register(formbody);
  app.post('/echo', async (req) => ({ got: req.body }));
  await app.register(smsWebhookRoutes, { sink, clock });
  await app.register(metaWebhookRoutes, { sink, clock });
  await app.ready();
  t.after(() => app.close());
  return app;
}

function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

const inboundParams = (body: string, over: Record<string, string> = {}) => ({
  MessageSid: 'SM0001',
  AccountSid: 'AC1',
  From: '+14155550123',
  To: '+15005550006',
  Body: body,
  NumMedia: '0',
  ...over,
});

function signed(path: string, params: Record<string, string>, token = AUTH_TOKEN) {
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': twilioSignature(token, `${PUBLIC_URL}${path}`, params),
  };
}

describe('SMS webhook', () => {
  test('valid signature: inbound reaches the sink, Twilio gets empty TwiML', async (t) => {
    const sink = new RecordingSink();
    const clock = new FakeClock();
    const app = await buildApp(t, sink, clock);
    const params = inboundParams('Sorry, in a meeting');
    const res = await app.inject({
      method: 'POST',
      url: '/webhooks/sms/bot1',
      headers: signed('/webhooks/sms/bot1', params),
      payload: form(params),
    });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/xml/);
    assert.equal(res.body, EMPTY_TWIML);
    assert.deepEqual(sink.inbounds, [
      {
        botId: 'bot1',
        channel: 'sms',
        from: '+14155550123',
        to: '+15005550006',
        text: 'Sorry, in a meeting',
        at: clock.now(),
        receivedAt: clock.now(),
        providerMessageId: 'SM0001',
        phone: '+14155550123',
        numMedia: 0,
      },
    ]);
  });

  test('the query string is part of the signed URL', async (t) => {
    const sink = new RecordingSink();
    const app = await buildApp(t, sink);
    const params = inboundParams('hello');
    const path = '/webhooks/sms/bot1?src=twilio';
    const ok = await app.inject({ method: 'POST', url: path, headers: signed(path, params), payload: form(params) });
    assert.equal(ok.statusCode, 200);
    const bad = await app.inject({
      method: 'POST',
      url: path,
      headers: signed('/webhooks/sms/bot1', params),
      payload: form(params),
    });
    assert.equal(bad.statusCode, 403);
  });

  test('missing or wrong signature → 403 JSON error and the sink is not called', async (t) => {
    const sink = new RecordingSink();
    const app = await buildApp(t, sink);
    const params = inboundParams('hello');
    const cases: Record<string, string>[] = [
      { 'content-type': 'application/x-www-form-urlencoded' },
      signed('/webhooks/sms/bot1', params, 'another-token'),
      signed('/webhooks/sms/bot2', params),
      signed('/webhooks/sms/bot1', { ...params, Body: 'hello!' }),
      { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'garbage' },
    ];
    for (const headers of cases) {
      const res = await app.inject({ method: 'POST', url: '/webhooks/sms/bot1', headers, payload: form(params) });
      assert.equal(res.statusCode, 403, JSON.stringify(headers));
      assert.deepEqual(res.json(), {
        error: { code: 'bad_signature', message: 'missing or invalid X-Twilio-Signature' },
      });
    }
    // Status callbacks are verified the same way.
    const status = { MessageSid: 'SM9', MessageStatus: 'delivered' };
    const res = await app.inject({
      method: 'POST',
      url: '/webhooks/sms/bot1/status',
      headers: signed('/webhooks/sms/bot1', status),
      payload: form(status),
    });
    assert.equal(res.statusCode, 403);
    assert.equal(sink.calls, 0);
  });

  test('malformed bodies → 400 (after the signature check), wrong media type → 415, too large → 413', async (t) => {
    const sink = new RecordingSink();
    const app = await buildApp(t, sink);
    const malformed: [Record<string, string>, RegExp][] = [
      [{ MessageSid: 'SM1', To: '+15005550006', Body: 'hi' }, /missing field From/],
      [{ MessageSid: 'SM1', From: '+14155550123', To: '+15005550006' }, /missing field Body/],
      [{ From: '+14155550123', To: '+15005550006', Body: 'hi' }, /missing field MessageSid/],
      [{ MessageSid: 'SM1', From: '+14155550123', To: '+15005550006', Body: '  ' }, /empty message/],
      [{ MessageSid: 'SM1', From: '+14155550123', To: '+15005550006', Body: 'x', NumMedia: 'lots' }, /NumMedia/],
    ];
    for (const [params, message] of malformed) {
      const res = await app.inject({
        method: 'POST',
        url: '/webhooks/sms/bot1',
        headers: signed('/webhooks/sms/bot1', params),
        payload: form(params),
      });
      assert.equal(res.statusCode, 400, JSON.stringify(params));
      assert.equal(res.json().error.code, 'invalid_request');
      assert.match(res.json().error.message, message);
    }
    // A repeated field is ambiguous.
    const dup = 'MessageSid=SM1&From=%2B1&From=%2B2&To=%2B3&Body=hi';
    const dupParams = { MessageSid: 'SM1', From: ['+1', '+2'], To: '+3', Body: 'hi' };
    const dupRes = await app.inject({
      method: 'POST',
      url: '/webhooks/sms/bot1',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/webhooks/sms/bot1`, dupParams),
      },
      payload: dup,
    });
    assert.equal(dupRes.statusCode, 400);
    assert.match(dupRes.json().error.message, /From must appear once/);

    const json = await app.inject({
      method: 'POST',
      url: '/webhooks/sms/bot1',
      headers: { 'content-type': 'application/json' },
      payload: '{"From":"+1"}',
    });
    assert.equal(json.statusCode, 415);
    assert.equal(json.json().error.code, 'unsupported_media_type');

    const big = await app.inject({
      method: 'POST',
      url: '/webhooks/sms/bot1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `Body=${'x'.repeat(70 * 1024)}`,
    });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().error.code, 'payload_too_large');
    assert.equal(sink.calls, 0);
  });

  test('unknown bot → 404', async (t) => {
    const sink = new RecordingSink();
    const app = await buildApp(t, sink);
    const params = inboundParams('hi');
    for (const url of ['/webhooks/sms/nobot', '/webhooks/sms/bad%20id', '/webhooks/sms/nobot/status']) {
      const res = await app.inject({ method: 'POST', url, headers: signed(url, params), payload: form(params) });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().error.code, 'not_found');
    }
  });

  test('STOP / START / HELP go to sink.keyword (not inbound); the confirmation goes through the outbox once', async (t) => {
    const { db } = tempDb(t);
    const clock = new FakeClock();
    const lines: string[] = [];
    const smsLog = new LogSmsAdapter({ log: (l) => lines.push(l), clock });
    const dispatcher = new OutboxDispatcher({ outbox: new SqliteOutbox(db), clock, adapters: { sms: smsLog } });
    t.after(() => dispatcher.stop());
    // A minimal stand-in for the runtime: record the opt-out and enqueue the reply, keyed
    // by the inbound message id so a webhook re-delivery cannot send a second confirmation.
    const optedOut = new Set<string>();
    const sink = new RecordingSink((msg) => {
      if (msg.keyword === 'stop') optedOut.add(msg.from);
      if (msg.keyword === 'start') optedOut.delete(msg.from);
      db.prepare(
        'INSERT OR IGNORE INTO outbox (idempotency_key, bot_id, contact_id, channel, recipient, body, meta, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        `keyword:${msg.providerMessageId}`,
        msg.botId,
        'c1',
        'sms',
        msg.from,
        keywordReply(msg.keyword, { businessName: 'Acme' }),
        '{}',
        clock.now(),
        clock.now(),
        clock.now(),
      );
    });
    const app = await buildApp(t, sink, clock);
    const post = async (body: string, sid: string) => {
      const params = inboundParams(body, { MessageSid: sid });
      return app.inject({
        method: 'POST',
        url: '/webhooks/sms/bot1',
        headers: signed('/webhooks/sms/bot1', params),
        payload: form(params),
      });
    };
    assert.equal((await post(' Stop ', 'SM-stop')).body, EMPTY_TWIML);
    assert.equal((await post(' Stop ', 'SM-stop')).statusCode, 200, 'a re-delivery is accepted');
    assert.equal(optedOut.has('+14155550123'), true);
    await post('help', 'SM-help');
    await post('UNSTOP', 'SM-start');
    assert.equal(optedOut.has('+14155550123'), false);
    assert.deepEqual(
      sink.keywords.map((k) => k.keyword),
      ['stop', 'stop', 'help', 'start'],
    );
    assert.equal(sink.inbounds.length, 0, 'keywords never reach the bot');
    await post('stop calling me at work', 'SM-text');
    assert.equal(sink.inbounds.length, 1, 'a sentence is a normal message (the classifier handles it)');

    await dispatcher.drain();
    const sent = smsLog.sent().map((m) => m.body);
    assert.equal(sent.length, 3, 'one confirmation per keyword message, despite the re-delivery');
    assert.match(sent[0], /unsubscribed/);
    assert.match(sent[1], /Reply STOP to unsubscribe, START to resubscribe/);
    assert.match(sent[2], /subscribed again/);
  });

  test('delivery status callbacks reach the sink', async (t) => {
    const sink = new RecordingSink();
    const clock = new FakeClock();
    const app = await buildApp(t, sink, clock);
    const path = '/webhooks/sms/bot1/status';
    const ok = { MessageSid: 'SM77', MessageStatus: 'delivered', AccountSid: 'AC1' };
    const failed = { MessageSid: 'SM78', MessageStatus: 'undelivered', ErrorCode: '30003' };
    assert.equal(
      (await app.inject({ method: 'POST', url: path, headers: signed(path, ok), payload: form(ok) })).statusCode,
      204,
    );
    assert.equal(
      (await app.inject({ method: 'POST', url: path, headers: signed(path, failed), payload: form(failed) }))
        .statusCode,
      204,
    );
    assert.deepEqual(sink.statuses, [
      { botId: 'bot1', channel: 'sms', providerId: 'SM77', status: 'delivered', at: clock.now() },
      { botId: 'bot1', channel: 'sms', providerId: 'SM78', status: 'undelivered', errorCode: '30003', at: clock.now() },
    ]);
    const bad = { MessageSid: 'SM79' };
    const res = await app.inject({ method: 'POST', url: path, headers: signed(path, bad), payload: form(bad) });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.message, /MessageStatus/);
  });

  test('a failing sink → 500 JSON (the provider may retry), never a silent 200', async (t) => {
    const sink = new RecordingSink();
    sink.failInbound = true;
    const app = await buildApp(t, sink);
    const params = inboundParams('hello');
    const res = await app.inject({
      method: 'POST',
      url: '/webhooks/sms/bot1',
      headers: signed('/webhooks/sms/bot1', params),
      payload: form(params),
    });
    assert.equal(res.statusCode, 500);
    assert.equal(res.json().error.code, 'internal');
  });

  test('the host app keeps its own parsers', async (t) => {
    const app = await buildApp(t, new RecordingSink());
    const json = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":1}',
    });
    assert.deepEqual(json.json(), { got: { a: 1 } });
    const formRes = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=1',
    });
    assert.deepEqual(formRes.json(), { got: { a: '1' } });
  });
});

describe('Meta webhook', () => {
  const post = (app: FastifyInstance, body: string, signature: string | undefined, url = '/webhooks/meta/bot1') =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
      payload: body,
    });

  test('GET handshake: challenge echoed as text; wrong token 403; missing params 400; unknown bot 404', async (t) => {
    const app = await buildApp(t, new RecordingSink());
    const ok = await app.inject({
      method: 'GET',
      url: `/webhooks/meta/bot1?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=987654`,
    });
    assert.equal(ok.statusCode, 200);
    assert.match(String(ok.headers['content-type']), /^text\/plain/);
    assert.equal(ok.body, '987654');
    const wrong = await app.inject({
      method: 'GET',
      url: '/webhooks/meta/bot1?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1',
    });
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json().error.code, 'bad_verify_token');
    const missing = await app.inject({ method: 'GET', url: '/webhooks/meta/bot1' });
    assert.equal(missing.statusCode, 400);
    const unknown = await app.inject({
      method: 'GET',
      url: `/webhooks/meta/zzz?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
    });
    assert.equal(unknown.statusCode, 404);
  });

  test('valid signature: the three payload shapes reach the sink in order, statuses too', async (t) => {
    const sink = new RecordingSink();
    const clock = new FakeClock();
    const app = await buildApp(t, sink, clock);
    for (const payload of [messengerPayload, instagramPayload, whatsappPayload]) {
      const body = JSON.stringify(payload);
      const res = await post(app, body, metaSignature(APP_SECRET, body));
      assert.equal(res.statusCode, 200, res.body);
    }
    assert.deepEqual(
      sink.inbounds.map((m) => [m.channel, m.from, m.text, m.botId, m.receivedAt]),
      [
        ['facebook', 'PSID1', 'Can we talk tomorrow?', 'bot1', clock.now()],
        ['instagram', 'IGSID9', 'busy now, later', 'bot1', clock.now()],
        ['whatsapp', '14155550123', 'call me at 3pm', 'bot1', clock.now()],
      ],
    );
    assert.equal(sink.inbounds[2].phone, '+14155550123');
    assert.deepEqual(
      sink.statuses.map((s) => [s.channel, s.providerId, s.status, s.errorCode]),
      [
        ['facebook', 'm_out_1', 'delivered', undefined],
        ['whatsapp', 'wamid.OUT1', 'delivered', undefined],
        ['whatsapp', 'wamid.OUT2', 'failed', '131047'],
      ],
    );
  });

  test('the signature covers the exact bytes: re-serialised JSON fails', async (t) => {
    const sink = new RecordingSink();
    const app = await buildApp(t, sink);
    const body = JSON.stringify(messengerPayload, null, 2);
    const sigOfCompact = metaSignature(APP_SECRET, JSON.stringify(messengerPayload));
    assert.equal((await post(app, body, sigOfCompact)).statusCode, 403);
    assert.equal((await post(app, body, metaSignature(APP_SECRET, body))).statusCode, 200);
  });

  test('missing or wrong signature → 403 and the sink is not called', async (t) => {
    const sink = new RecordingSink();
    const app = await buildApp(t, sink);
    const body = JSON.stringify(messengerPayload);
    for (const sig of [
      undefined,
      metaSignature('wrong-secret', body),
      'sha256=',
      'sha1=abc',
      metaSignature(APP_SECRET, `${body} `),
    ]) {
      const res = await post(app, body, sig);
      assert.equal(res.statusCode, 403, String(sig));
      assert.deepEqual(res.json(), {
        error: { code: 'bad_signature', message: 'missing or invalid X-Hub-Signature-256' },
      });
    }
    assert.equal(sink.calls, 0);
  });

  test('malformed (but signed) bodies → 400; unknown bot → 404', async (t) => {
    const sink = new RecordingSink();
    const app = await buildApp(t, sink);
    const invalid = '{"object":"page",';
    const r1 = await post(app, invalid, metaSignature(APP_SECRET, invalid));
    assert.equal(r1.statusCode, 400);
    assert.equal(r1.json().error.code, 'invalid_json');
    const wrongShape = JSON.stringify({ object: 'page', entry: 'nope' });
    const r2 = await post(app, wrongShape, metaSignature(APP_SECRET, wrongShape));
    assert.equal(r2.statusCode, 400);
    assert.deepEqual(r2.json(), { error: { code: 'invalid_request', message: 'entry must be an array' } });
    const body = JSON.stringify(messengerPayload);
    const r3 = await post(app, body, metaSignature(APP_SECRET, body), '/webhooks/meta/other');
    assert.equal(r3.statusCode, 404);
    assert.equal(sink.calls, 0);
  });
});
