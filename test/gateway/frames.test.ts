/**
 * Every frame type of the live-chat protocol over real sockets, and every bad input
 * answered with its error code without changing what is stored.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { verifyVisitorToken } from '../../src/gateway/visitorToken.ts';
import { SECRET, startGateway, type Frame } from './harness.ts';

test('hello is answered with a welcome carrying a token bound to a new contact', async (t) => {
  const h = await startGateway(t);
  const { client, welcome } = await h.visitor();
  assert.equal(welcome.type, 'welcome');
  assert.equal(welcome.contactId, 'contact-1');
  assert.equal(welcome.conversationId, 'conv-contact-1');
  assert.equal(welcome.maxTextLength, 2000);
  assert.equal(verifyVisitorToken(SECRET, 'bot-1', welcome.visitorToken), 'contact-1');
  assert.equal(verifyVisitorToken(SECRET, 'bot-2', welcome.visitorToken), null);
  await client.barrier();
  assert.deepEqual(client.frames, [], 'a new conversation replays nothing');
  assert.equal(h.gateway.presence.isConnected('contact-1'), true);
  assert.equal(h.gateway.presence.connections('contact-1'), 1);
});

test('the widget key may come in the URL instead of hello', async (t) => {
  const h = await startGateway(t);
  const client = await h.connect({ query: 'botKey=key-1' });
  client.send({ type: 'hello' });
  const welcome = await client.next('welcome');
  assert.equal(verifyVisitorToken(SECRET, 'bot-1', welcome.visitorToken), welcome.contactId);
});

test('message is acked with id and seq, stored once, and the bot reply arrives as a message frame', async (t) => {
  const h = await startGateway(t);
  h.backend.autoReply = (text) => `You said: ${text}`;
  const { client, welcome } = await h.visitor();
  client.send({ type: 'message', clientId: 'c-1', text: "I'm driving, text me later" });
  const ack = await client.next('ack');
  assert.deepEqual(ack, {
    type: 'ack',
    for: 'message',
    clientId: 'c-1',
    id: 'msg-1',
    seq: 1,
    at: new Date(h.clock.now()).toISOString(),
    duplicate: false,
  });
  const reply = await client.next('message');
  assert.deepEqual(reply, {
    type: 'message',
    id: 'msg-2',
    seq: 2,
    from: 'bot',
    text: "You said: I'm driving, text me later",
    at: new Date(h.clock.now()).toISOString(),
  });
  const stored = h.backend.messages(welcome.contactId);
  assert.deepEqual(
    stored.map((m) => [m.seq, m.from, m.text]),
    [
      [1, 'contact', "I'm driving, text me later"],
      [2, 'bot', "You said: I'm driving, text me later"],
    ],
  );
});

test('follow-ups reach the widget as bot messages with their scenario and step', async (t) => {
  const h = await startGateway(t);
  const { client, welcome } = await h.visitor();
  h.backend.pushBotMessage(welcome.contactId, 'Still keen on that booking?', { scenario: 'no_reply', step: 2 });
  const frame = await client.next('message');
  assert.equal(frame.from, 'bot');
  assert.deepEqual(frame.followUp, { scenario: 'no_reply', step: 2 });
  assert.match(frame.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('contact frame stores a validated E.164 phone and is acked', async (t) => {
  const h = await startGateway(t);
  const { client, welcome } = await h.visitor();
  client.send({ type: 'contact', clientId: 'k-1', name: '  Ana Lima ', phone: '+1 (415) 555-2671' });
  assert.deepEqual(await client.next('ack'), {
    type: 'ack',
    for: 'contact',
    clientId: 'k-1',
    contact: { name: 'Ana Lima', phone: '+14155552671' },
  });
  // A national number is read with the visitor's country.
  client.send({ type: 'contact', phone: '020 7183 8750', country: 'GB', email: 'ana@example.com' });
  assert.deepEqual(await client.next('ack'), {
    type: 'ack',
    for: 'contact',
    contact: { phone: '+442071838750', email: 'ana@example.com' },
  });
  assert.deepEqual(h.backend.contacts.get(welcome.contactId)?.fields, {
    name: 'Ana Lima',
    phone: '+442071838750',
    email: 'ana@example.com',
  });
});

test('typing goes both ways', async (t) => {
  const seen: Array<[string, boolean]> = [];
  const h = await startGateway(t, { onVisitorTyping: (contactId, typing) => seen.push([contactId, typing]) });
  const { client, welcome } = await h.visitor();
  h.backend.setTyping(welcome.contactId, true);
  assert.deepEqual(await client.next('typing'), { type: 'typing', typing: true });
  h.backend.setTyping(welcome.contactId, false);
  assert.deepEqual(await client.next('typing'), { type: 'typing', typing: false });
  client.send({ type: 'typing', typing: true });
  client.send({ type: 'typing' });
  client.send({ type: 'typing', typing: false });
  await client.barrier();
  assert.deepEqual(seen, [
    [welcome.contactId, true],
    [welcome.contactId, true],
    [welcome.contactId, false],
  ]);
  assert.deepEqual(client.frames, [], 'visitor typing is not answered');
});

test('every bad input is answered with its error code and changes nothing', async (t) => {
  const h = await startGateway(t, {
    limits: { strikes: { burst: 100, perSecond: 0 }, perConnection: { burst: 100, perSecond: 0 } },
  });
  const client = await h.connect();

  async function expectError(frame: Frame | string | Buffer, code: string, extra: Frame = {}): Promise<void> {
    const before = h.backend.snapshot();
    if (Buffer.isBuffer(frame)) client.ws.send(frame, { binary: true });
    else client.send(frame);
    const error = await client.next('error');
    assert.equal(error.code, code, `for ${String(frame)}: ${JSON.stringify(error)}`);
    assert.equal(typeof error.message, 'string');
    assert.ok(error.message.length > 0);
    for (const [k, v] of Object.entries(extra))
      assert.equal(error[k], v, `${k} of the error for ${JSON.stringify(frame)}`);
    assert.equal(h.backend.snapshot(), before, `no stored change for ${JSON.stringify(frame)}`);
  }

  // Before hello.
  await expectError('not json', 'invalid_json');
  await expectError('[1,2]', 'invalid_json');
  await expectError('"hello"', 'invalid_json');
  await expectError(Buffer.from('{"type":"hello"}'), 'invalid_json');
  await expectError({ botKey: 'key-1' }, 'missing_field');
  await expectError({ type: 7 }, 'bad_field');
  await expectError({ type: 'dance' }, 'unknown_type', { ref: 'dance' });
  await expectError({ type: 'message', clientId: 'c-1', text: 'hi' }, 'not_ready', { clientId: 'c-1', ref: 'message' });
  await expectError({ type: 'contact', name: 'Ana' }, 'not_ready');
  await expectError({ type: 'typing' }, 'not_ready');
  await expectError({ type: 'hello' }, 'missing_field', { ref: 'hello' });
  await expectError({ type: 'hello', botKey: 42 }, 'bad_field');
  await expectError({ type: 'hello', botKey: 'key-1', lastSeq: -1 }, 'bad_field');
  await expectError({ type: 'hello', botKey: 'key-1', lastSeq: 1.5 }, 'bad_field');
  await expectError({ type: 'hello', botKey: 'key-1', visitorToken: 'v1.abc.def' }, 'bad_token');
  assert.equal(h.backend.contacts.size, 0, 'no contact was created by the refused hellos');

  client.send({ type: 'hello', botKey: 'key-1' });
  const welcome = await client.next('welcome');
  h.backend.pushBotMessage(welcome.contactId, 'Hi! How can I help?');
  await client.next('message');

  // After hello.
  await expectError({ type: 'hello', botKey: 'key-1' }, 'duplicate_hello');
  await expectError({ type: 'message', text: 'hi' }, 'missing_field');
  await expectError({ type: 'message', clientId: 'c-1' }, 'missing_field', { clientId: 'c-1' });
  await expectError({ type: 'message', clientId: 'c-1', text: 5 }, 'bad_field', { clientId: 'c-1' });
  await expectError({ type: 'message', clientId: 'c-1', text: '   \n ' }, 'bad_field');
  await expectError({ type: 'message', clientId: 'has space', text: 'hi' }, 'bad_field');
  await expectError({ type: 'message', clientId: '', text: 'hi' }, 'bad_field');
  await expectError({ type: 'message', clientId: 'x'.repeat(129), text: 'hi' }, 'bad_field');
  await expectError({ type: 'message', clientId: 'c-2', text: 'x'.repeat(2001) }, 'text_too_long', { clientId: 'c-2' });
  await expectError({ type: 'contact' }, 'missing_field');
  await expectError({ type: 'contact', phone: 'call me maybe' }, 'bad_field');
  await expectError({ type: 'contact', phone: '+1 555 0100' }, 'bad_field');
  await expectError({ type: 'contact', phone: '020 7183 8750' }, 'bad_field'); // national format without country
  await expectError({ type: 'contact', phone: '020 7183 8750', country: 'GBR' }, 'bad_field');
  await expectError({ type: 'contact', email: 'not-an-address' }, 'bad_field');
  await expectError({ type: 'contact', name: 5 }, 'bad_field');
  await expectError({ type: 'contact', name: '   ' }, 'bad_field');
  await expectError({ type: 'contact', name: 'x'.repeat(101) }, 'bad_field');
  await expectError({ type: 'contact', name: 'Ana', phone: 'nope' }, 'bad_field'); // all-or-nothing
  await expectError({ type: 'typing', typing: 'yes' }, 'bad_field');

  // The exact limit is fine, and the connection is still usable after all that.
  client.send({ type: 'message', clientId: 'c-ok', text: 'y'.repeat(2000) });
  const ack = await client.next('ack');
  assert.equal(ack.seq, 2);
  assert.equal(h.backend.messages(welcome.contactId).length, 2);
  assert.ok(client.isOpen());
  assert.ok((h.gateway.stats().errors.bad_field ?? 0) >= 10);
});

test('a failed commit is reported as internal with the clientId, and the retry is stored once', async (t) => {
  const h = await startGateway(t);
  const { client, welcome } = await h.visitor();
  h.backend.failNext = true;
  client.send({ type: 'message', clientId: 'c-1', text: 'hello?' });
  const error = await client.next('error');
  assert.equal(error.code, 'internal');
  assert.equal(error.clientId, 'c-1');
  assert.equal(h.backend.messages(welcome.contactId).length, 0);
  client.send({ type: 'message', clientId: 'c-1', text: 'hello?' });
  const ack = await client.next('ack');
  assert.equal(ack.duplicate, false);
  assert.equal(h.backend.messages(welcome.contactId).length, 1);
  h.backend.failNext = true;
  client.send({ type: 'contact', clientId: 'k', name: 'Ana' });
  assert.equal((await client.next('error')).code, 'internal');
  assert.deepEqual(h.backend.contacts.get(welcome.contactId)?.fields, {});
});

test('acks come back in the order the messages were sent', async (t) => {
  const h = await startGateway(t);
  const { client } = await h.visitor();
  for (let i = 1; i <= 8; i++) client.send({ type: 'message', clientId: `c-${i}`, text: `message ${i}` });
  const acks: Frame[] = [];
  for (let i = 1; i <= 8; i++) acks.push(await client.next('ack'));
  assert.deepEqual(
    acks.map((a) => [a.clientId, a.seq]),
    [1, 2, 3, 4, 5, 6, 7, 8].map((i) => [`c-${i}`, i]),
  );
});

test('unknown widget key: refused with 403 on upgrade, or error + close 4404 after hello', async (t) => {
  const h = await startGateway(t);
  await assert.rejects(h.connect({ query: 'botKey=nope' }), (err: { status?: number; body?: string }) => {
    assert.equal(err.status, 403);
    assert.equal(JSON.parse(err.body ?? '{}').error.code, 'bad_bot_key');
    return true;
  });
  const client = await h.connect();
  client.send({ type: 'hello', botKey: 'nope' });
  assert.equal((await client.next('error')).code, 'bad_bot_key');
  assert.equal((await client.closed).code, 4404);
  assert.equal(h.backend.contacts.size, 0);
});

test('a hello key that differs from the URL key is refused', async (t) => {
  const h = await startGateway(t);
  const client = await h.connect({ query: 'botKey=key-1' });
  client.send({ type: 'hello', botKey: 'key-2' });
  assert.equal((await client.next('error')).code, 'bad_bot_key');
  assert.equal((await client.closed).code, 4404);
});

test('origins not allowed for the bot are refused before the upgrade, or at hello with close 4403, and reported', async (t) => {
  const h = await startGateway(t);
  for (const origin of ['https://evil.example', 'http://shop.example', 'https://shop.example:8443', null]) {
    await assert.rejects(h.connect({ query: 'botKey=key-1', origin }), (err: { status?: number; body?: string }) => {
      assert.equal(err.status, 403, `origin ${origin}`);
      assert.equal(JSON.parse(err.body ?? '{}').error.code, 'bad_origin');
      return true;
    });
  }
  // Same origin written differently is the same origin.
  const ok = await h.connect({ query: 'botKey=key-1', origin: 'https://SHOP.example:443' });
  assert.ok(ok.isOpen());

  const late = await h.connect({ origin: 'https://evil.example' });
  late.send({ type: 'hello', botKey: 'key-1' });
  assert.equal((await late.next('error')).code, 'bad_origin');
  const closed = await late.closed;
  assert.equal(closed.code, 4403, 'a page can read this close code; it cannot read a handshake 403');
  assert.deepEqual(h.backend.refusedOrigins.at(-1), { botId: 'bot-1', origin: 'https://evil.example' });
  assert.deepEqual(
    h.backend.refusedOrigins.map((r) => r.origin),
    ['https://evil.example', 'http://shop.example', 'https://shop.example:8443', null, 'https://evil.example'],
  );

  // A bot that allows `*` takes any origin, even none.
  const any = await h.connect({ query: 'botKey=key-any', origin: null });
  any.send({ type: 'hello' });
  assert.equal((await any.next('welcome')).type, 'welcome');
  assert.equal(h.gateway.stats().rejectedUpgrades, 4);
});

test('upgrades for other paths are left to their own handlers', async (t) => {
  const h = await startGateway(t);
  const other = new WebSocketServer({ noServer: true });
  const onUpgrade = (req: import('node:http').IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
    if (req.url === '/ws/console') other.handleUpgrade(req, socket, head, (ws) => ws.send('console says hi'));
  };
  h.server.on('upgrade', onUpgrade);
  t.after(() => {
    h.server.off('upgrade', onUpgrade);
    other.close();
  });
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}/ws/console`);
  const text = await new Promise<string>((resolve, reject) => {
    ws.once('message', (data) => resolve(data.toString()));
    ws.once('error', reject);
  });
  assert.equal(text, 'console says hi');
  ws.terminate();
  assert.equal(h.gateway.stats().connections, 0, 'the chat gateway did not take the console socket');
});
