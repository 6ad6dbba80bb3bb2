import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../src/clock.ts';
import {
  buildChannelAdapters,
  channelsConfigFromEnv,
  metaWebhookConfig,
  smsWebhookConfig,
} from '../../src/channels/config.ts';
import { MetaGraphAdapter } from '../../src/channels/meta.ts';
import { LogSmsAdapter, TwilioSmsAdapter } from '../../src/channels/sms.ts';

const clock = new FakeClock();

test('nothing configured: SMS to the log adapter, no Meta, no inbound webhooks', () => {
  const config = channelsConfigFromEnv({});
  assert.deepEqual(config.sms, { provider: 'log' });
  const adapters = buildChannelAdapters(config, { clock, log: () => {} });
  assert.ok(adapters.sms instanceof LogSmsAdapter);
  assert.deepEqual(Object.keys(adapters), ['sms']);
  assert.equal(smsWebhookConfig(config), null);
  assert.equal(metaWebhookConfig(config), null);
});

test('Twilio: selected by TWILIO_ACCOUNT_SID, validated, with status callbacks when the public URL is known', async () => {
  const env = {
    TWILIO_ACCOUNT_SID: 'AC1',
    TWILIO_AUTH_TOKEN: 'tok',
    TWILIO_FROM: '+15005550006',
    TWILIO_BASE_URL: 'http://127.0.0.1:9/',
    NUDGE_PUBLIC_URL: 'https://nudge.example.com/',
  };
  const config = channelsConfigFromEnv(env);
  assert.equal(config.sms.provider, 'twilio');
  assert.equal(config.publicUrl, 'https://nudge.example.com');
  assert.deepEqual(smsWebhookConfig(config), {
    authToken: 'tok',
    signingKey: null,
    publicUrl: 'https://nudge.example.com',
  });
  let sent: { url: string; body: string } | null = null;
  const adapters = buildChannelAdapters(config, {
    clock,
    fetch: async (u, init) => {
      sent = { url: u, body: String(init.body) };
      return new Response(JSON.stringify({ sid: 'SM1' }), { status: 201 });
    },
  });
  assert.ok(adapters.sms instanceof TwilioSmsAdapter);
  await adapters.sms.send({ idempotencyKey: 'k', to: '+14155550123', body: 'hi', meta: {}, botId: 'bot 1' });
  assert.equal(sent!.url, 'http://127.0.0.1:9/2010-04-01/Accounts/AC1/Messages.json');
  assert.equal(
    new URLSearchParams(sent!.body).get('StatusCallback'),
    'https://nudge.example.com/webhooks/sms/bot%201/status',
  );
});

test('bad or incomplete provider settings are refused with the variable named', () => {
  assert.throws(
    () => channelsConfigFromEnv({ NUDGE_SMS_PROVIDER: 'twillio' }),
    /NUDGE_SMS_PROVIDER must be "log" or "twilio"/,
  );
  assert.throws(
    () => channelsConfigFromEnv({ NUDGE_SMS_PROVIDER: 'twilio' }),
    /needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM/,
  );
  assert.throws(
    () => channelsConfigFromEnv({ TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '5550006' }),
    /TWILIO_FROM must be an E\.164/,
  );
  assert.throws(
    () =>
      channelsConfigFromEnv({
        TWILIO_ACCOUNT_SID: 'AC1',
        TWILIO_AUTH_TOKEN: 't',
        TWILIO_FROM: '+15005550006',
        TWILIO_TIMEOUT_MS: 'fast',
      }),
    /TWILIO_TIMEOUT_MS/,
  );
  assert.throws(
    () => channelsConfigFromEnv({ NUDGE_PUBLIC_URL: 'nudge.example.com' }),
    /NUDGE_PUBLIC_URL must be an absolute/,
  );
  assert.throws(() => channelsConfigFromEnv({ META_PAGE_ID: 'P1' }), /need META_ACCESS_TOKEN/);
  assert.throws(() => channelsConfigFromEnv({ META_APP_SECRET: 's' }), /both META_APP_SECRET and META_VERIFY_TOKEN/);
});

test('Meta: one adapter per configured channel, webhook config when secret and token are set', () => {
  const config = channelsConfigFromEnv({
    META_ACCESS_TOKEN: 'page-token',
    META_PAGE_ID: 'P1',
    META_INSTAGRAM_ID: 'IG1',
    WHATSAPP_PHONE_NUMBER_ID: 'PN1',
    WHATSAPP_ACCESS_TOKEN: 'wa-token',
    META_APP_SECRET: 'secret',
    META_VERIFY_TOKEN: 'verify',
  });
  const adapters = buildChannelAdapters(config, { clock, log: () => {} });
  assert.deepEqual(Object.keys(adapters).sort(), ['facebook', 'instagram', 'sms', 'whatsapp']);
  for (const ch of ['facebook', 'instagram', 'whatsapp'] as const) {
    assert.ok(adapters[ch] instanceof MetaGraphAdapter);
    assert.equal(adapters[ch]!.channel, ch);
  }
  assert.equal(config.meta.whatsapp?.accessToken, 'wa-token');
  assert.equal(config.meta.facebook?.accessToken, 'page-token');
  assert.deepEqual(metaWebhookConfig(config), { appSecret: 'secret', verifyToken: 'verify' });
});
