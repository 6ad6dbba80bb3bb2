/**
 * Returning visitors: resume with replay of exactly the missed messages, clientId
 * idempotency across reconnects, several tabs of one visitor, and tokens that must not
 * open anyone else's conversation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signVisitorToken } from '../../src/gateway/visitorToken.ts';
import { eventually, OTHER_ORIGIN, SECRET, startGateway } from './harness.ts';

test('reconnecting with lastSeq replays exactly the missed messages, then goes live', async (t) => {
  const h = await startGateway(t);
  const first = await h.visitor();
  const contactId = first.welcome.contactId;
  const token = first.welcome.visitorToken;
  first.client.send({ type: 'message', clientId: 'c-1', text: 'Do you have Saturday slots?' });
  assert.equal((await first.client.next('ack')).seq, 1);
  h.backend.pushBotMessage(contactId, 'Yes, 10am or 2pm.');
  assert.equal((await first.client.next('message')).seq, 2);
  first.client.ws.close();
  await first.client.closed;
  await eventually(() => !h.gateway.presence.isConnected(contactId), 'presence to drop');

  // While the visitor is away: a bot reply and a follow-up.
  h.backend.pushBotMessage(contactId, 'Shall I hold 10am for you?');
  h.backend.pushBotMessage(contactId, 'Just checking in about Saturday.', { scenario: 'no_reply', step: 1 });

  const back = await h.visitor({ visitorToken: token, lastSeq: 2 });
  assert.equal(back.welcome.contactId, contactId, 'the token resumes the same conversation');
  assert.equal(back.welcome.visitorToken, token);
  const replay = [await back.client.next('message'), await back.client.next('message')];
  assert.deepEqual(
    replay.map((m) => [m.seq, m.from, m.text, m.followUp ?? null]),
    [
      [3, 'bot', 'Shall I hold 10am for you?', null],
      [4, 'bot', 'Just checking in about Saturday.', { scenario: 'no_reply', step: 1 }],
    ],
  );
  await back.client.barrier();
  assert.deepEqual(back.client.frames, [], 'nothing before lastSeq is replayed, nothing twice');

  h.backend.pushBotMessage(contactId, 'See you Saturday!');
  assert.equal((await back.client.next('message')).seq, 5);

  // Without lastSeq (a page reload) the whole conversation comes back in order.
  const reload = await h.visitor({ visitorToken: token });
  const all = [];
  for (let i = 0; i < 5; i++) all.push(await reload.client.next('message'));
  assert.deepEqual(
    all.map((m) => m.seq),
    [1, 2, 3, 4, 5],
  );
  assert.equal(all[0].from, 'contact');
  assert.equal(all[0].text, 'Do you have Saturday slots?');
});

test('a repeated clientId is acked again with the same id and seq and stored once, even after a reconnect', async (t) => {
  const h = await startGateway(t);
  const { client, welcome } = await h.visitor();
  client.send({ type: 'message', clientId: 'c-1', text: 'Can I book for 2?' });
  const ack1 = await client.next('ack');
  client.send({ type: 'message', clientId: 'c-1', text: 'Can I book for 2?' });
  const ack2 = await client.next('ack');
  assert.equal(ack1.duplicate, false);
  assert.equal(ack2.duplicate, true);
  assert.deepEqual([ack2.id, ack2.seq], [ack1.id, ack1.seq]);

  client.ws.close();
  const again = await h.visitor({ visitorToken: welcome.visitorToken, lastSeq: 1 });
  again.client.send({ type: 'message', clientId: 'c-1', text: 'Can I book for 2?' });
  const ack3 = await again.client.next('ack');
  assert.deepEqual([ack3.id, ack3.seq, ack3.duplicate], [ack1.id, ack1.seq, true]);
  assert.equal(h.backend.messages(welcome.contactId).length, 1);
});

test('two tabs of one visitor both receive everything; the sender gets an ack, not an echo', async (t) => {
  const h = await startGateway(t);
  const tabA = await h.visitor();
  const contactId = tabA.welcome.contactId;
  const tabB = await h.visitor({ visitorToken: tabA.welcome.visitorToken });
  assert.equal(tabB.welcome.contactId, contactId);
  assert.equal(h.gateway.presence.connections(contactId), 2);

  tabA.client.send({ type: 'message', clientId: 'a-1', text: 'from tab A' });
  const ack = await tabA.client.next('ack');
  const seenByB = await tabB.client.next('message');
  assert.deepEqual([seenByB.id, seenByB.seq, seenByB.from, seenByB.text], [ack.id, 1, 'contact', 'from tab A']);
  await tabA.client.barrier();
  assert.deepEqual(tabA.client.frames, [], 'tab A got no echo of its own message');

  h.backend.pushBotMessage(contactId, 'Hello both tabs');
  assert.equal((await tabA.client.next('message')).text, 'Hello both tabs');
  assert.equal((await tabB.client.next('message')).text, 'Hello both tabs');

  h.backend.setTyping(contactId, true);
  assert.equal((await tabA.client.next('typing')).typing, true);
  assert.equal((await tabB.client.next('typing')).typing, true);

  const changes: number[] = [];
  h.gateway.presence.onChange((id, n) => id === contactId && changes.push(n));
  tabA.client.ws.close();
  await eventually(() => h.gateway.presence.connections(contactId) === 1, 'one tab left');
  assert.equal(h.gateway.presence.isConnected(contactId), true);
  tabB.client.ws.close();
  await eventually(() => !h.gateway.presence.isConnected(contactId), 'no tab left');
  assert.deepEqual(changes, [1, 0]);
});

test("a token is refused for any conversation but its own, and never leaks another visitor's messages", async (t) => {
  const h = await startGateway(t);
  const ana = await h.visitor();
  ana.client.send({ type: 'message', clientId: 'c-1', text: 'my secret booking' });
  await ana.client.next('ack');
  const bob = await h.visitor();
  assert.notEqual(bob.welcome.contactId, ana.welcome.contactId);

  // Bob rewrites his token to name Ana's contact: the signature no longer matches.
  const [, , bobMac] = bob.welcome.visitorToken.split('.');
  const forged = `v1.${Buffer.from(ana.welcome.contactId).toString('base64url')}.${bobMac}`;
  // A token signed with another secret, and one of another bot, for Ana's contact.
  const wrongSecret = signVisitorToken(Buffer.alloc(32, 9), 'bot-1', ana.welcome.contactId);
  const otherBot = signVisitorToken(SECRET, 'bot-2', ana.welcome.contactId);
  for (const visitorToken of [forged, wrongSecret, otherBot, 'garbage', `${ana.welcome.visitorToken}x`]) {
    const client = await h.connect();
    client.send({ type: 'hello', botKey: 'key-1', visitorToken, lastSeq: 0 });
    const error = await client.next('error');
    assert.equal(error.code, 'bad_token', visitorToken);
    await client.barrier();
    assert.deepEqual(client.frames, [], 'no message of the conversation was sent');
    // The same connection may start over without a token, as a new visitor.
    client.send({ type: 'hello', botKey: 'key-1' });
    const welcome = await client.next('welcome');
    assert.notEqual(welcome.contactId, ana.welcome.contactId);
    client.ws.close();
  }
  assert.equal(h.gateway.presence.connections(ana.welcome.contactId), 1);
  assert.equal(h.backend.messages(ana.welcome.contactId).length, 1);
});

test("a token for bot-1 is refused on bot-2's widget", async (t) => {
  const h = await startGateway(t);
  const ana = await h.visitor();
  const client = await h.connect({ origin: OTHER_ORIGIN });
  client.send({ type: 'hello', botKey: 'key-2', visitorToken: ana.welcome.visitorToken });
  assert.equal((await client.next('error')).code, 'bad_token');
});

test('a valid token whose contact is gone is refused with bad_token', async (t) => {
  const h = await startGateway(t);
  const ana = await h.visitor();
  ana.client.ws.close();
  h.backend.contacts.delete(ana.welcome.contactId);
  const client = await h.connect();
  client.send({ type: 'hello', botKey: 'key-1', visitorToken: ana.welcome.visitorToken });
  const error = await client.next('error');
  assert.equal(error.code, 'bad_token');
  assert.match(error.message, /no longer exists/);
});

test('a message stored from another tab while this tab was sending is delivered once, in the right place', async (t) => {
  const h = await startGateway(t);
  const tabA = await h.visitor();
  const contactId = tabA.welcome.contactId;
  const tabB = await h.visitor({ visitorToken: tabA.welcome.visitorToken });
  // Hold tab A's commit so tab B's message lands while A's is in flight.
  let release!: () => void;
  h.backend.acceptGate = new Promise((resolve) => (release = resolve));
  tabA.client.send({ type: 'message', clientId: 'a-1', text: 'from A' });
  tabB.client.send({ type: 'message', clientId: 'b-1', text: 'from B' });
  await eventually(() => h.backend.acceptCalls === 2, 'both commits to start');
  h.backend.acceptGate = null;
  release();
  const ackA = await tabA.client.next('ack');
  const ackB = await tabB.client.next('ack');
  const aSaw = await tabA.client.next('message');
  const bSaw = await tabB.client.next('message');
  assert.equal(aSaw.id, ackB.id);
  assert.equal(bSaw.id, ackA.id);
  await tabA.client.barrier();
  await tabB.client.barrier();
  assert.deepEqual([tabA.client.frames, tabB.client.frames], [[], []]);
  assert.equal(h.backend.messages(contactId).length, 2);
});

test('a message both replayed and notified late is delivered once', async (t) => {
  const h = await startGateway(t);
  const first = await h.visitor();
  const contactId = first.welcome.contactId;
  h.backend.pushBotMessage(contactId, 'one');
  await first.client.next('message');
  first.client.ws.close();
  await first.client.closed;

  // The runtime has committed "two" but not yet told its subscribers when the visitor returns.
  h.backend.holdEmits = true;
  h.backend.pushBotMessage(contactId, 'two');
  const back = await h.visitor({ visitorToken: first.welcome.visitorToken, lastSeq: 1 });
  assert.equal((await back.client.next('message')).text, 'two');
  h.backend.holdEmits = false;
  h.backend.flushEmits();
  h.backend.pushBotMessage(contactId, 'three');
  assert.equal((await back.client.next('message')).text, 'three');
  await back.client.barrier();
  assert.deepEqual(back.client.frames, [], '"two" came once, from the replay');
});
