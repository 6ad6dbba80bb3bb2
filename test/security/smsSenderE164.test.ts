/**
 * Phone numbers in E.164 on every path (issue 25, fault 6): an SMS webhook whose sender
 * lacked the `+` (`14155550164`) created a second contact, so its STOP missed the real
 * customer, who kept getting follow-ups. Now the sender is normalised before matching.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { twilioSignature } from '../../src/channels/signatures.ts';
import { FakeClock } from '../../src/clock.ts';
import { startFakeTwilio, twilioChannels } from '../channels/fakes/fakeTwilio.ts';
import { settle } from '../helpers/core.ts';
import { api, makeServer } from '../helpers/server.ts';

const PUBLIC_URL = 'https://nudge.example.test';

test('an SMS STOP from a sender without the + reaches the existing +E.164 contact; no second contact is made', async (t) => {
  const twilio = await startFakeTwilio();
  t.after(() => twilio.close());
  const channels = twilioChannels(twilio, PUBLIC_URL);
  const server = await makeServer(t, { clock: new FakeClock('2026-01-05T15:00:00Z'), stack: null, channels });
  const http = api(server);
  const customer = (await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: 'Ana', phone: '+14155550164' }))
    .body;
  await http.post(`/api/contacts/${customer.id}/messages/inbound`, { text: 'hi' });
  await http.post(`/api/contacts/${customer.id}/messages/outbound`, { text: 'Want a slot tomorrow?', sender: 'bot' });
  assert.equal((await http.get(`/api/contacts/${customer.id}`)).body.pendingFollowUps.length, 1);

  const params = {
    MessageSid: 'SM1',
    AccountSid: twilio.accountSid,
    From: '14155550164',
    To: '+15005550006',
    Body: 'STOP',
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

  const detail = (await http.get(`/api/contacts/${customer.id}`)).body;
  assert.equal(detail.state, 'stopped', 'the STOP reached the customer');
  assert.equal(detail.pendingFollowUps.length, 0);
  const contacts = (await http.get(`/api/bots/${server.demoBotId}/contacts`)).body;
  assert.equal((contacts.contacts ?? contacts).length, 1, 'no second contact');
});
