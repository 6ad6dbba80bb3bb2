/**
 * SMS consent (issue 25, fault 8): a widget visitor could type any phone number and the
 * follow-ups went there by SMS, so anyone could make a business text a stranger. Now the
 * number gets one question ("Reply YES…"); follow-ups stay on live chat until the YES comes
 * back, which is recorded with its time and source and shown with the contact.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { twilioSignature } from '../../src/channels/signatures.ts';
import { FakeClock } from '../../src/clock.ts';
import { startFakeTwilio, twilioChannels } from '../channels/fakes/fakeTwilio.ts';
import { settle } from '../helpers/core.ts';
import { api, makeServer } from '../helpers/server.ts';
import { openWidget } from '../helpers/widget.ts';

const PUBLIC_URL = 'https://nudge.example.test';
const PHONE = '+14155550164';
const HOUR = 3_600_000;

test(
  'a number typed into the widget is asked once and gets no follow-up by SMS until it replies YES',
  { timeout: 60_000 },
  async (t) => {
    const twilio = await startFakeTwilio();
    t.after(() => twilio.close());
    const channels = twilioChannels(twilio, PUBLIC_URL);
    const clock = new FakeClock('2026-01-05T15:00:00Z'); // 10:00 in New York
    const server = await makeServer(t, { clock, channels });
    const http = api(server);
    const patched = await http.patch(`/api/bots/${server.demoBotId}/config`, {
      timezone: 'America/New_York',
      scenarios: { stoppedReplying: { cadence: [{ delay: '1h' }] } },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.config?.smsConsent ?? patched.body.smsConsent, true, 'on by default');

    // A visitor chats, types a number, and leaves.
    const key = server.services.store.getBot(server.demoBotId)!.widget_key;
    const { ws, waitFor: next } = await openWidget(server.url, key);
    ws.send(JSON.stringify({ type: 'hello', botKey: key }));
    const { contactId } = await next((f) => f.type === 'welcome');
    ws.send(JSON.stringify({ type: 'message', clientId: 'm-1', text: 'do you have slots on friday?' }));
    await next((f) => f.type === 'ack' && f.clientId === 'm-1');
    ws.send(JSON.stringify({ type: 'contact', clientId: 'c-1', phone: PHONE }));
    await next((f) => f.type === 'ack' && f.clientId === 'c-1');
    ws.close();
    await new Promise((r) => setTimeout(r, 100));

    await server.dispatcher.drain();
    const toPhone = () => twilio.messages.filter((m) => m.to === PHONE);
    assert.equal(toPhone().length, 1, 'one question');
    assert.match(toPhone()[0].body, /Reply YES to get texts from Harbor Street Bikes/);
    let detail = (await http.get(`/api/contacts/${contactId}`)).body;
    assert.equal(detail.smsConsent.status, 'pending');
    assert.equal(detail.smsConsent.confirmedAt, null);

    // The follow-up falls due with no widget open: without consent it stays on live chat.
    await http.post(`/api/contacts/${contactId}/messages/outbound`, { text: 'We do! 10am?', sender: 'bot' });
    clock.advance(HOUR);
    await settle(server.services);
    await server.dispatcher.drain();
    detail = (await http.get(`/api/contacts/${contactId}`)).body;
    const first = detail.pastFollowUps.find((f: any) => f.status === 'sent');
    assert.equal(first.channel, 'livechat');
    assert.match(first.channelReason, /not yet confirmed/);
    assert.equal(toPhone().length, 1, 'no follow-up by SMS before the YES');

    // The owner replies YES by SMS (without the +, as some gateways send it).
    const params = {
      MessageSid: 'SM1',
      AccountSid: twilio.accountSid,
      From: PHONE.slice(1),
      To: '+15005550006',
      Body: 'Yes',
    };
    const path = `/webhooks/sms/${server.demoBotId}`;
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(twilio.authToken, `${PUBLIC_URL}${path}`, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    assert.equal(response.status, 200);
    await settle(server.services);
    detail = (await http.get(`/api/contacts/${contactId}`)).body;
    assert.equal(detail.smsConsent.status, 'confirmed');
    assert.equal(detail.smsConsent.source, 'sms_yes');
    assert.equal(detail.smsConsent.confirmedAt, new Date(clock.now()).toISOString());

    // From now on the follow-ups may go by SMS.
    await http.post(`/api/contacts/${contactId}/messages/outbound`, { text: 'Friday 10am then?', sender: 'bot' });
    clock.advance(HOUR);
    await settle(server.services);
    await server.dispatcher.drain();
    detail = (await http.get(`/api/contacts/${contactId}`)).body;
    const sentBySms = detail.pastFollowUps.filter((f: any) => f.status === 'sent' && f.channel === 'sms');
    assert.equal(
      sentBySms.length,
      1,
      JSON.stringify(detail.pastFollowUps.map((f: any) => [f.status, f.channel, f.channelReason])),
    );
    assert.ok(
      toPhone().some((m) => /follow-up stoppedReplying/.test(m.body)),
      'the follow-up reached the number',
    );
  },
);

test('with smsConsent off the typed number is neither asked nor held back', { timeout: 60_000 }, async (t) => {
  const server = await makeServer(t);
  const http = api(server);
  const patched = await http.patch(`/api/bots/${server.demoBotId}/config`, { smsConsent: false });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const contact = (await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: 'Ana' })).body;
  const backend = (await import('../../src/livechat/backend.ts')).createChatBackend(
    server.services.runtime,
    server.services.store,
  );
  await backend.updateContact(contact.id, { phone: PHONE });
  assert.equal((await http.get(`/api/contacts/${contact.id}`)).body.smsConsent, null);
});
