/**
 * The service's log is pino JSON lines: HTTP lines carry a request id, a refused webhook
 * says why, each follow-up decision is one line with its id, and nothing secret or written
 * by a contact appears at `info`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { twilioSignature } from '../src/channels/signatures.ts';
import { FakeClock } from '../src/clock.ts';
import { createLogger, logLevelFromEnv, logPrettyFromEnv, redactUrl, type LogLevel } from '../src/log.ts';
import { settle } from './helpers/core.ts';
import { api, makeServer } from './helpers/server.ts';
import { startFakeTwilio, twilioChannels } from './channels/fakes/fakeTwilio.ts';

const PUBLIC_URL = 'https://nudge.example.test';
const MIN = 60_000;

type Line = Record<string, any>;

/** A logger whose JSON lines land in an array, parsed. */
async function collectingLogger(level: LogLevel = 'info') {
  const lines: Line[] = [];
  const logger = await createLogger({
    level,
    destination: { write: (chunk: string) => void lines.push(JSON.parse(chunk)) },
  });
  return { logger, lines };
}

async function smsServer(t: import('node:test').TestContext, level: LogLevel = 'info') {
  const twilio = await startFakeTwilio();
  t.after(() => twilio.close());
  const channels = twilioChannels(twilio, PUBLIC_URL);
  const clock = new FakeClock('2026-01-05T15:00:00Z');
  const { logger, lines } = await collectingLogger(level);
  const server = await makeServer(t, { clock, stack: null, channels, logger });
  const path = `/webhooks/sms/${server.demoBotId}`;
  const sms = (params: Record<string, string>, signature: string) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
  const sign = (params: Record<string, string>) => twilioSignature(twilio.authToken, `${PUBLIC_URL}${path}`, params);
  return { server, clock, lines, sms, sign, twilio };
}

describe('structured logs', () => {
  test('a refused webhook is one warn line with the request id of its request and completion lines', async (t) => {
    const { lines, sms } = await smsServer(t);
    const response = await sms(
      { MessageSid: 'SM1', From: '+12125550123', To: '+15005550006', Body: 'my secret text' },
      'forged',
    );
    assert.equal(response.status, 403);
    await response.arrayBuffer();
    const refused = lines.find((line) => line.msg === 'SMS webhook rejected: bad X-Twilio-Signature');
    assert.ok(refused, JSON.stringify(lines));
    assert.equal(refused.level, 40, 'warn');
    assert.match(refused.reqId, /^req-/);
    const sameRequest = lines.filter((line) => line.reqId === refused.reqId);
    assert.ok(sameRequest.some((line) => line.msg === 'incoming request' && line.req.method === 'POST'));
    assert.ok(sameRequest.some((line) => line.msg === 'request completed' && line.res.statusCode === 403));
    assert.doesNotMatch(JSON.stringify(lines), /forged|my secret text/, 'neither the signature nor the text is logged');
  });

  test('a sent follow-up is one info line naming its id; texts are censored at info', async (t) => {
    const { server, clock, lines, sms, sign } = await smsServer(t);
    const http = api(server);
    await http.patch(`/api/bots/${server.demoBotId}/config`, {
      timezone: 'America/New_York',
      scenarios: { stoppedReplying: { cadence: [{ delay: '30m' }] } },
    });
    const params = { MessageSid: 'SM1', From: '+12125550123', To: '+15005550006', Body: 'do you do balayage?' };
    assert.equal((await sms(params, sign(params))).status, 200);
    await settle(server.services);
    const contact = server.services.store.getContactByPhone(server.demoBotId, '+12125550123')!;
    await http.post(`/api/contacts/${contact.id}/messages/outbound`, { text: 'We do! Want a slot?' });
    clock.advance(30 * MIN);
    await settle(server.services);
    await server.dispatcher.drain();
    const sent = lines.filter((line) => line.msg === 'follow-up sent');
    assert.equal(sent.length, 1, JSON.stringify(lines.filter((l) => l.component === 'followups')));
    assert.equal(sent[0].level, 30);
    assert.equal(sent[0].contactId, contact.id);
    assert.equal(sent[0].outcome, 'sent');
    assert.equal(server.services.store.getFollowUp(sent[0].followUpId)?.status, 'sent', 'the line names the row');
    assert.doesNotMatch(JSON.stringify(lines), /balayage|Want a slot/, 'no message text at info');
  });

  test('a follow-up refused at send time (bot inactive) is one line with its id and reason', async (t) => {
    const { server, clock, lines, sms, sign } = await smsServer(t);
    const http = api(server);
    await http.patch(`/api/bots/${server.demoBotId}/config`, {
      timezone: 'America/New_York',
      scenarios: { stoppedReplying: { cadence: [{ delay: '30m' }] } },
    });
    const params = { MessageSid: 'SM1', From: '+12125550123', To: '+15005550006', Body: 'hi' };
    await sms(params, sign(params));
    await settle(server.services);
    const contact = server.services.store.getContactByPhone(server.demoBotId, '+12125550123')!;
    await http.post(`/api/contacts/${contact.id}/messages/outbound`, { text: 'Hello!' });
    await http.patch(`/api/bots/${server.demoBotId}/config`, { active: false });
    clock.advance(30 * MIN);
    await settle(server.services);
    const refused = lines.filter((line) => line.msg === 'follow-up refused');
    assert.equal(refused.length, 1, JSON.stringify(lines.filter((l) => l.component === 'followups')));
    const row = server.services.store.getFollowUp(refused[0].followUpId)!;
    assert.equal(row.status, 'skipped');
    assert.equal(refused[0].reason, row.reason);
  });

  test('a follow-up moved by quiet hours is one deferred line with its new instant', async (t) => {
    const { server, clock, lines, sms, sign } = await smsServer(t);
    const http = api(server);
    await http.patch(`/api/bots/${server.demoBotId}/config`, {
      timezone: 'America/New_York',
      scenarios: { stoppedReplying: { cadence: [{ delay: '30m' }] } },
    });
    // 20:45 in New York: the follow-up falls due at 21:15, in the contact's SMS quiet hours.
    clock.advanceTo(Date.parse('2026-01-06T01:45:00Z'));
    const params = { MessageSid: 'SM1', From: '+12125550123', To: '+15005550006', Body: 'hi' };
    await sms(params, sign(params));
    await settle(server.services);
    const contact = server.services.store.getContactByPhone(server.demoBotId, '+12125550123')!;
    await http.post(`/api/contacts/${contact.id}/messages/outbound`, { text: 'Hello!' });
    clock.advance(30 * MIN);
    await settle(server.services);
    const deferred = lines.find((line) => line.msg === 'follow-up deferred');
    assert.ok(deferred, JSON.stringify(lines.filter((l) => l.component === 'followups')));
    assert.equal(deferred.outcome, 'deferred');
    assert.equal(server.services.store.getFollowUp(deferred.followUpId)?.due_at, Date.parse(deferred.until));
  });

  test('message texts appear at debug, secrets at no level', async (t) => {
    const { lines, sms, sign } = await smsServer(t, 'debug');
    const params = { MessageSid: 'SM1', From: '+12125550123', To: '+15005550006', Body: 'hello there' };
    assert.equal((await sms(params, sign(params))).status, 200);
    const { logger, lines: own } = await collectingLogger('debug');
    logger.info(
      {
        text: 'visible at debug',
        token: 'nat_secret',
        req: { url: '/ws/console?token=nat_secret&x=1', method: 'GET' },
      },
      'x',
    );
    assert.equal(own[0].text, 'visible at debug');
    assert.equal(own[0].token, '[redacted]');
    assert.equal(own[0].req.url, '/ws/console?token=[redacted]&x=1');
    assert.doesNotMatch(
      JSON.stringify(lines),
      new RegExp(sign(params).replace(/[+/=]/g, '.')),
      'the signature header is never logged',
    );
  });

  test('NUDGE_LOG_LEVEL and NUDGE_LOG_PRETTY are read, a wrong level is refused', () => {
    assert.equal(logLevelFromEnv({}), 'info');
    assert.equal(logLevelFromEnv({ NUDGE_LOG_LEVEL: 'DEBUG' }), 'debug');
    assert.throws(() => logLevelFromEnv({ NUDGE_LOG_LEVEL: 'loud' }), /NUDGE_LOG_LEVEL must be one of/);
    assert.equal(logPrettyFromEnv({ NUDGE_LOG_PRETTY: '1' }), true);
    assert.equal(logPrettyFromEnv({}), false);
    assert.equal(redactUrl('/a?widgetKey=wk_1&b=2'), '/a?widgetKey=[redacted]&b=2');
  });
});
