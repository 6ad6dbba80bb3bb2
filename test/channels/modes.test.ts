/**
 * Channels that do not really send are said plainly: SMS in log-only mode and unconnected
 * Meta channels, in the sentences the start line and the console show.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { channelsConfigFromEnv } from '../../src/channels/config.ts';
import { channelModes, channelModeWarnings } from '../../src/channels/modes.ts';
import { api, makeServer } from '../helpers/server.ts';

test('with nothing configured, SMS is log-only and Meta is not connected, in plain words', () => {
  const modes = channelModes(channelsConfigFromEnv({}));
  assert.deepEqual(modes, { sms: 'log', facebook: false, instagram: false, whatsapp: false });
  const warnings = channelModeWarnings(modes);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /^SMS is in log-only mode: texts are written to the log, not sent to phones/);
  assert.match(warnings[1], /^Facebook, Instagram and WhatsApp are not connected/);
});

test('Twilio and one Meta channel configured: only the others are named', () => {
  const modes = channelModes(
    channelsConfigFromEnv({
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 't',
      TWILIO_FROM: '+15550001111',
      META_ACCESS_TOKEN: 'x',
      META_PAGE_ID: '1',
    }),
  );
  assert.deepEqual(channelModeWarnings(modes), [
    'instagram and whatsapp not connected: messages for them are not sent',
  ]);
});

test('the console learns the modes with the operator it logs in as', async (t) => {
  const server = await makeServer(t, { channels: channelsConfigFromEnv({}) });
  const me = await api(server).get('/api/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.channels.sms, 'log');
  assert.match(me.body.channels.warnings[0], /log-only/);
  assert.deepEqual(server.channels, { sms: 'log', facebook: false, instagram: false, whatsapp: false });
});
