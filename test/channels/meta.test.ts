import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MetaGraphAdapter,
  MetaPayloadError,
  parseMetaWebhook,
  parseMetaWebhookEvents,
  verifyMetaHandshake,
} from '../../src/channels/meta.ts';
import { PermanentDeliveryError, RetryableDeliveryError } from '../../src/channels/types.ts';
import { startFakeGraph } from './fakes/fakeGraph.ts';
import { instagramPayload, messengerPayload, whatsappPayload } from './fixtures/metaPayloads.ts';

describe('parseMetaWebhook', () => {
  test('Messenger: text messages only; echoes, attachments, postbacks, reads are ignored explicitly', () => {
    const events = parseMetaWebhookEvents(messengerPayload);
    assert.deepEqual(events.messages, [
      {
        channel: 'facebook',
        from: 'PSID1',
        to: 'PAGE1',
        text: 'Can we talk tomorrow?',
        at: 1767603600123,
        providerMessageId: 'm_1',
      },
    ]);
    assert.deepEqual(
      events.ignored.map((i) => i.kind),
      ['echo', 'attachment', 'postback', 'read'],
    );
    assert.deepEqual(events.statuses, [
      { channel: 'facebook', providerId: 'm_out_1', status: 'delivered', at: 1767603600550 },
    ]);
  });

  test('Instagram: same messaging shape, reactions and deletions ignored', () => {
    const events = parseMetaWebhookEvents(instagramPayload);
    assert.deepEqual(events.messages, [
      {
        channel: 'instagram',
        from: 'IGSID9',
        to: 'IGACCOUNT1',
        text: 'busy now, later',
        at: 1767603601000,
        providerMessageId: 'ig_m_1',
      },
    ]);
    assert.deepEqual(
      events.ignored.map((i) => i.kind),
      ['reaction', 'deleted'],
    );
  });

  test('WhatsApp: text messages with phone and profile name; statuses with error codes; other types ignored', () => {
    const events = parseMetaWebhookEvents(whatsappPayload);
    assert.deepEqual(events.messages, [
      {
        channel: 'whatsapp',
        from: '14155550123',
        to: 'PNID1',
        text: 'call me at 3pm',
        at: 1767603600000,
        providerMessageId: 'wamid.A1',
        phone: '+14155550123',
        profileName: 'Ana',
      },
    ]);
    assert.deepEqual(events.statuses, [
      { channel: 'whatsapp', providerId: 'wamid.OUT1', status: 'delivered', at: 1767603700000 },
      { channel: 'whatsapp', providerId: 'wamid.OUT2', status: 'failed', at: 1767603701000, errorCode: '131047' },
    ]);
    assert.deepEqual(
      events.ignored.map((i) => i.kind),
      ['image', 'account_update'],
    );
    assert.deepEqual(parseMetaWebhook(whatsappPayload), events.messages);
  });

  test('malformed payloads throw MetaPayloadError with a useful message', () => {
    const bad: [unknown, RegExp][] = [
      [null, /JSON object/],
      [[], /JSON object/],
      [{ object: 'user', entry: [] }, /unsupported "object": "user"/],
      [{ object: 'page' }, /entry must be an array/],
      [{ object: 'page', entry: [1] }, /entry\[0\] must be an object/],
      [{ object: 'page', entry: [{ messaging: {} }] }, /entry\[0\]\.messaging must be an array/],
      [{ object: 'page', entry: [{ messaging: [{ message: { text: 'hi' } }] }] }, /needs sender\.id/],
      [{ object: 'whatsapp_business_account', entry: [{ changes: 'x' }] }, /changes must be an array/],
      [
        {
          object: 'whatsapp_business_account',
          entry: [
            {
              changes: [
                {
                  field: 'messages',
                  value: {
                    metadata: { phone_number_id: 'P' },
                    messages: [{ type: 'text', from: '1', id: 'w', timestamp: 'yesterday', text: { body: 'x' } }],
                  },
                },
              ],
            },
          ],
        },
        /numeric timestamp/,
      ],
    ];
    for (const [body, message] of bad) {
      assert.throws(
        () => parseMetaWebhook(body),
        (err: unknown) => err instanceof MetaPayloadError && message.test(err.message),
        JSON.stringify(body),
      );
    }
  });
});

describe('verifyMetaHandshake', () => {
  const q = (over: Record<string, unknown> = {}) => ({
    'hub.mode': 'subscribe',
    'hub.verify_token': 'vt-123',
    'hub.challenge': '1158201444',
    ...over,
  });
  test('matching token echoes the challenge', () => {
    assert.deepEqual(verifyMetaHandshake(q(), 'vt-123'), { ok: true, challenge: '1158201444' });
  });
  test('wrong token → 403', () => {
    const r = verifyMetaHandshake(q({ 'hub.verify_token': 'nope' }), 'vt-123');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.status, 403);
  });
  test('missing parameters or another mode → 400', () => {
    for (const query of [
      {},
      q({ 'hub.challenge': undefined }),
      q({ 'hub.mode': 'unsubscribe' }),
      q({ 'hub.verify_token': ['a', 'b'] }),
    ]) {
      const r = verifyMetaHandshake(query, 'vt-123');
      assert.equal(!r.ok && r.status, 400, JSON.stringify(query));
    }
  });
  test('an empty configured token never matches', () => {
    assert.equal(verifyMetaHandshake(q({ 'hub.verify_token': '' }), '').ok, false);
  });
});

describe('MetaGraphAdapter against the fake Graph API', () => {
  async function setup(t: import('node:test').TestContext) {
    const fake = await startFakeGraph();
    t.after(() => fake.close());
    return fake;
  }

  test('WhatsApp: Cloud API body to /v19.0/{phoneNumberId}/messages, wamid returned', async (t) => {
    const fake = await setup(t);
    const wa = new MetaGraphAdapter({
      channel: 'whatsapp',
      accessToken: fake.accessToken,
      baseUrl: fake.url,
      phoneNumberId: 'PNID1',
    });
    const res = await wa.send({ idempotencyKey: 'k1', to: '14155550123', body: 'Hi Ana', meta: {} });
    assert.equal(res.providerId, 'wamid.FAKE1');
    assert.equal(fake.messages[0].senderId, 'PNID1');
    assert.deepEqual(fake.messages[0].body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '14155550123',
      type: 'text',
      text: { body: 'Hi Ana', preview_url: false },
    });
    assert.equal(fake.messages[0].idempotencyKey, 'k1');
  });

  test('Facebook and Instagram: Send API body to /v19.0/{pageId}/messages', async (t) => {
    const fake = await setup(t);
    const fb = new MetaGraphAdapter({
      channel: 'facebook',
      accessToken: fake.accessToken,
      baseUrl: fake.url,
      pageId: 'PAGE1',
    });
    const ig = new MetaGraphAdapter({ channel: 'instagram', accessToken: fake.accessToken, baseUrl: fake.url });
    assert.equal((await fb.send({ idempotencyKey: 'k1', to: 'PSID1', body: 'Hello', meta: {} })).providerId, 'm_FAKE1');
    await ig.send({
      idempotencyKey: 'k2',
      to: 'IGSID9',
      body: 'Hey',
      meta: { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' },
    });
    assert.deepEqual(fake.messages[0].body, {
      recipient: { id: 'PSID1' },
      messaging_type: 'RESPONSE',
      message: { text: 'Hello' },
    });
    assert.equal(fake.messages[0].senderId, 'PAGE1');
    assert.deepEqual(fake.messages[1].body, {
      recipient: { id: 'IGSID9' },
      messaging_type: 'MESSAGE_TAG',
      message: { text: 'Hey' },
      tag: 'HUMAN_AGENT',
    });
    assert.equal(fake.messages[1].senderId, 'me');
  });

  test('error mapping: throttling/5xx/transient retryable; token, window, bad recipient permanent', async (t) => {
    const fake = await setup(t);
    const wa = new MetaGraphAdapter({
      channel: 'whatsapp',
      accessToken: fake.accessToken,
      baseUrl: fake.url,
      phoneNumberId: 'PNID1',
    });
    const send = (to = '1555') => wa.send({ idempotencyKey: 'k', to, body: 'x', meta: {} });

    fake.failNext(1, { status: 429, code: 130429, retryAfter: '3' });
    await assert.rejects(
      send(),
      (e: unknown) => e instanceof RetryableDeliveryError && e.retryAfterMs === 3000 && e.code === '130429',
    );
    fake.failNext(1, { status: 400, code: 4, message: '(#4) Application request limit reached' });
    await assert.rejects(send(), RetryableDeliveryError);
    fake.failNext(1, { status: 500, code: 2 });
    await assert.rejects(send(), RetryableDeliveryError);
    fake.failNext(1, { status: 400, code: 12345, isTransient: true });
    await assert.rejects(send(), RetryableDeliveryError);

    fake.rejectRecipient('1999', { status: 400, code: 131047, message: 'Re-engagement message: more than 24 hours' });
    await assert.rejects(
      send('1999'),
      (e: unknown) => e instanceof PermanentDeliveryError && e.code === '131047' && /24 hours/.test(e.message),
    );
    fake.failNext(1, { status: 400, code: 100, subcode: 2018001, message: 'No matching user found' });
    await assert.rejects(
      send(),
      (e: unknown) => e instanceof PermanentDeliveryError && /\[100\/2018001\]/.test(e.message),
    );

    const badToken = new MetaGraphAdapter({
      channel: 'whatsapp',
      accessToken: 'wrong',
      baseUrl: fake.url,
      phoneNumberId: 'PNID1',
    });
    await assert.rejects(
      badToken.send({ idempotencyKey: 'k', to: '1', body: 'x', meta: {} }),
      (e: unknown) => e instanceof PermanentDeliveryError && e.code === '190',
    );
    assert.equal(fake.messages.length, 0);
  });

  test('timeout → retryable', async (t) => {
    const fake = await setup(t);
    fake.hangNext(1);
    const fb = new MetaGraphAdapter({
      channel: 'facebook',
      accessToken: fake.accessToken,
      baseUrl: fake.url,
      pageId: 'P',
      timeoutMs: 100,
    });
    await assert.rejects(
      fb.send({ idempotencyKey: 'k', to: 'PSID', body: 'x', meta: {} }),
      (e: unknown) => e instanceof RetryableDeliveryError && e.code === 'timeout',
    );
  });

  test('configuration is validated', () => {
    assert.throws(
      () => new MetaGraphAdapter({ channel: 'whatsapp', accessToken: 't', baseUrl: 'http://127.0.0.1:1' }),
      /phoneNumberId/,
    );
    assert.throws(
      () => new MetaGraphAdapter({ channel: 'sms' as 'whatsapp', accessToken: 't', baseUrl: 'http://127.0.0.1:1' }),
      /facebook, instagram or whatsapp/,
    );
    assert.throws(
      () => new MetaGraphAdapter({ channel: 'facebook', accessToken: '', baseUrl: 'http://127.0.0.1:1' }),
      /accessToken/,
    );
  });
});
