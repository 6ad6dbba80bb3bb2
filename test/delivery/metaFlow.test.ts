/**
 * Meta channels through the real server: the GET handshake, signed webhooks in, contacts
 * matched by the channel's sender id (Messenger) or phone (WhatsApp), re-deliveries ignored,
 * and a forged signature refused with nothing stored.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChannelsConfig } from '../../src/channels/config.ts';
import { metaSignature } from '../../src/channels/signatures.ts';
import { FakeClock } from '../../src/clock.ts';
import { settle } from '../helpers/core.ts';
import { api, makeServer } from '../helpers/server.ts';
import { messengerPayload, whatsappPayload } from '../channels/fixtures/metaPayloads.ts';

const APP_SECRET = 'meta-app-secret';

test('Messenger and WhatsApp webhooks reach the runtime once each, signed, matched per bot', async (t) => {
  const channels: ChannelsConfig = {
    publicUrl: null,
    sms: { provider: 'log' },
    meta: {
      appSecret: APP_SECRET,
      verifyToken: 'verify-me',
      baseUrl: 'http://127.0.0.1:9',
      timeoutMs: 1000,
      facebook: null,
      instagram: null,
      whatsapp: null,
    },
  };
  const server = await makeServer(t, { clock: new FakeClock('2026-01-05T09:00:00Z'), stack: null, channels });
  const http = api(server);
  const path = `/webhooks/meta/${server.demoBotId}`;

  const handshake = await fetch(
    `${server.url}${path}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=12345`,
  );
  assert.equal(handshake.status, 200);
  assert.equal(await handshake.text(), '12345');
  const badHandshake = await fetch(`${server.url}${path}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
  assert.equal(badHandshake.status, 403);

  const post = (payload: unknown, signature?: string) => {
    const body = JSON.stringify(payload);
    return fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature !== undefined
          ? { 'x-hub-signature-256': signature }
          : { 'x-hub-signature-256': metaSignature(APP_SECRET, body) }),
      },
      body,
    });
  };
  const count = () => (server.services.db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;

  const forged = await post(messengerPayload, 'sha256=' + '0'.repeat(64));
  assert.equal(forged.status, 403);
  assert.equal(count(), 0, 'nothing stored from a forged webhook');

  assert.equal((await post(messengerPayload)).status, 200);
  assert.equal((await post(messengerPayload)).status, 200); // Meta re-delivers
  await settle(server.services);
  const link = server.services.db
    .prepare(`SELECT contact_id FROM contact_channels WHERE channel = 'facebook' AND external_id = 'PSID1'`)
    .get() as { contact_id: string };
  assert.ok(link, 'contact linked to the Messenger sender id');
  const messages = server.services.store.messagesAfter(link.contact_id, 0);
  assert.deepEqual(
    messages.map((m) => [m.sender, m.channel, m.text]),
    [['contact', 'facebook', 'Can we talk tomorrow?']],
  );
  const contact = (await http.get(`/api/contacts/${link.contact_id}`)).body;
  assert.equal(contact.contact.lastChannel, 'facebook');

  assert.equal((await post(whatsappPayload)).status, 200);
  await settle(server.services);
  const wa = server.services.store.getContactByPhone(server.demoBotId, '+14155550123');
  assert.ok(wa, 'WhatsApp sender matched by phone');
  const waDetail = (await http.get(`/api/contacts/${wa!.id}`)).body;
  assert.equal(waDetail.state, 'scheduled', '"call me at 3pm" asks for a time');
  assert.equal(waDetail.pendingFollowUps[0].scenario, 'requestedTime');
});
