/**
 * Inbound SMS signatures as Twilio computes them, checked against Twilio's own Node library
 * (the `twilio` package, a dev dependency): repeated form values, URLs with escaped
 * characters, and the HMAC-SHA256 signatures named by X-Twilio-Webhooks-Signature-Settings.
 * Requests go to the real server over HTTP.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import twilio from 'twilio';
import type { ChannelsConfig } from '../../src/channels/config.ts';
import { twilioAlgorithm, twilioSignature } from '../../src/channels/signatures.ts';
import { FakeClock } from '../../src/clock.ts';
import { makeServer } from '../helpers/server.ts';
import { startFakeTwilio } from './fakes/fakeTwilio.ts';

const PUBLIC_URL = 'https://nudge.example.test';
const SIGNING_KEY = 'webhooks-signing-secret-0123456789';

async function setup(t: import('node:test').TestContext) {
  const fake = await startFakeTwilio();
  t.after(() => fake.close());
  const channels: ChannelsConfig = {
    publicUrl: PUBLIC_URL,
    sms: {
      provider: 'twilio',
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: '+15005550006',
      baseUrl: fake.url,
      timeoutMs: 2000,
      webhookSigningKey: SIGNING_KEY,
    },
    meta: {
      appSecret: null,
      verifyToken: null,
      baseUrl: 'http://127.0.0.1:9',
      timeoutMs: 1000,
      facebook: null,
      instagram: null,
      whatsapp: null,
    },
  };
  const server = await makeServer(t, { clock: new FakeClock('2026-01-05T15:00:00Z'), channels });
  let n = 0;
  /** Posts `pairs` (in this order, repeats kept) to `path` with the given headers. */
  const post = async (path: string, pairs: [string, string][], headers: Record<string, string>) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(pairs).toString(),
    });
    await response.arrayBuffer();
    return response.status;
  };
  const pairs = (extra: [string, string][] = []): [string, string][] => [
    ['MessageSid', `SM${++n}`],
    ['AccountSid', fake.accountSid],
    ['From', '+12125550123'],
    ['To', '+15005550006'],
    ['Body', 'hello'],
    ...extra,
  ];
  /** The params object Twilio's library signs: repeated names as arrays. */
  const asParams = (list: [string, string][]) => {
    const params: Record<string, string | string[]> = {};
    for (const [key, value] of list) {
      const seen = params[key];
      params[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    return params;
  };
  return { server, fake, post, pairs, asParams, path: `/webhooks/sms/${server.demoBotId}` };
}

test('a form with repeated values, signed by Twilio’s library (HMAC-SHA1), is accepted', async (t) => {
  const { fake, post, pairs, asParams, path } = await setup(t);
  // Repeats out of order and a duplicate value: Twilio signs each distinct value once, sorted.
  const list = pairs([
    ['Tag', 'zeta'],
    ['Tag', 'alpha'],
    ['Tag', 'zeta'],
  ]);
  const signature = twilio.getExpectedTwilioSignature(fake.authToken, `${PUBLIC_URL}${path}`, asParams(list));
  assert.equal(
    twilioSignature(fake.authToken, `${PUBLIC_URL}${path}`, asParams(list)),
    signature,
    'the same string is signed',
  );
  assert.equal(await post(path, list, { 'x-twilio-signature': signature }), 200);
  assert.equal(await post(path, pairs(), { 'x-twilio-signature': signature }), 403, 'another body, same signature');
});

test('a query string with characters Twilio escapes is accepted in the form Twilio’s library accepts', async (t) => {
  const { fake, post, pairs, asParams, path } = await setup(t);
  const query = `${path}?note=a b|c`;
  const list = pairs();
  const signature = twilio.getExpectedTwilioSignature(
    fake.authToken,
    new URL(`${PUBLIC_URL}${query}`).toString(),
    asParams(list),
  );
  assert.ok(
    twilio.validateRequest(fake.authToken, signature, `${PUBLIC_URL}${query}`, asParams(list)),
    'Twilio’s library accepts it',
  );
  assert.equal(await post(`${path}?note=a%20b|c`, list, { 'x-twilio-signature': signature }), 200);
});

test('HMAC-SHA256 signatures named by X-Twilio-Webhooks-Signature-Settings are accepted with the signing key', async (t) => {
  const { fake, post, pairs, asParams, path } = await setup(t);
  const settings = 'key=webhooks_sharedkey_0001,algorithm=HMAC_SHA256';
  const list = pairs([
    ['Tag', 'b'],
    ['Tag', 'a'],
  ]);
  const signature = twilio.getExpectedTwilioSignature(
    SIGNING_KEY,
    `${PUBLIC_URL}${path}`,
    asParams(list),
    twilio.getSignatureAlgorithm(settings),
  );
  assert.equal(
    await post(path, list, { 'x-twilio-signature': signature, 'x-twilio-webhooks-signature-settings': settings }),
    200,
  );
  assert.equal(
    await post(path, list, { 'x-twilio-signature': signature }),
    403,
    'without the settings header it is read as HMAC-SHA1',
  );
  const withToken = twilio.getExpectedTwilioSignature(
    fake.authToken,
    `${PUBLIC_URL}${path}`,
    asParams(list),
    'HMAC_SHA256',
  );
  assert.equal(
    await post(path, list, { 'x-twilio-signature': withToken, 'x-twilio-webhooks-signature-settings': settings }),
    403,
    'a signing key is configured: the auth token does not sign SHA-256',
  );
  assert.equal(
    await post(path, list, {
      'x-twilio-signature': signature,
      'x-twilio-webhooks-signature-settings': 'algorithm=HMAC_SHA512',
    }),
    403,
    'an unknown algorithm is refused',
  );
});

test('the signature settings header is read as Twilio’s library reads it', () => {
  for (const header of [
    undefined,
    '',
    'key=k',
    'key=k,algorithm=HMAC_SHA256',
    ' algorithm = hmac_sha256 ',
    'algorithm=HMAC_SHA1',
    'algorithm=',
    'algorithm=MD5',
  ]) {
    const theirs = twilio.getSignatureAlgorithm(header as string);
    const known = ['HMAC_SHA1', 'HMAC_SHA256'].includes(theirs.toUpperCase()) ? theirs.toUpperCase() : null;
    assert.equal(twilioAlgorithm(header), known, String(header));
  }
});
