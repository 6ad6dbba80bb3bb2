/**
 * Abuse and failure handling over real sockets: rate limits (per connection, per IP,
 * handshakes), payload limit, slow readers, dead peers, hello timeout, clean shutdown.
 * Time is the harness's FakeClock, so buckets refill and heartbeats fire only when told.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, startGateway, UpgradeRefused } from './harness.ts';

test('a connection over its frame rate gets rate_limited, then is closed with 1008', async (t) => {
  const h = await startGateway(t, {
    limits: { perConnection: { burst: 5, perSecond: 1 }, strikes: { burst: 3, perSecond: 0 } },
  });
  const { client } = await h.visitor(); // hello is frame 1
  for (let i = 0; i < 4; i++) client.send({ type: 'typing' });
  await client.barrier();
  assert.deepEqual(client.frames, [], 'within the burst nothing is refused');

  client.send({ type: 'message', clientId: 'c-1', text: 'too fast' });
  const error = await client.next('error');
  assert.equal(error.code, 'rate_limited');
  assert.equal(h.backend.contacts.get('contact-1')?.messages.length, 0, 'a refused message is not stored');

  // Time refills the bucket: one more frame is accepted.
  h.clock.advance(1000);
  client.send({ type: 'message', clientId: 'c-2', text: 'patient now' });
  assert.equal((await client.next('ack')).clientId, 'c-2');

  // Flooding on: two more errors are answered, the fourth strike closes the socket.
  for (let i = 0; i < 10; i++) client.send({ type: 'typing' });
  const codes = [];
  for (let i = 0; i < 3; i++) codes.push((await client.next('error')).code);
  assert.deepEqual(codes, ['rate_limited', 'rate_limited', 'rate_limited']);
  const closed = await client.closed;
  assert.equal(closed.code, 1008);
  assert.equal(h.gateway.stats().closedPolicy, 1);
});

test('bad frames also spend the error budget: repeated abuse closes with 1008', async (t) => {
  const h = await startGateway(t, { limits: { strikes: { burst: 4, perSecond: 0 } } });
  const client = await h.connect();
  for (let i = 0; i < 6; i++) client.send('{nope');
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push((await client.next('error')).code);
  assert.deepEqual(codes, Array(5).fill('invalid_json'));
  assert.equal((await client.closed).code, 1008);
});

test('the frame rate of all connections from one IP is limited together', async (t) => {
  const h = await startGateway(t, { limits: { perIp: { burst: 6, perSecond: 0 } } });
  const a = await h.visitor(); // 1 frame
  const b = await h.visitor({ visitorToken: undefined }); // 2 frames
  a.client.send({ type: 'typing' });
  a.client.send({ type: 'typing' });
  b.client.send({ type: 'typing' });
  b.client.send({ type: 'typing' }); // 6
  await a.client.barrier();
  await b.client.barrier();
  assert.deepEqual([a.client.frames, b.client.frames], [[], []]);
  b.client.send({ type: 'typing' });
  const error = await b.client.next('error');
  assert.equal(error.code, 'rate_limited');
  assert.match(error.message, /address/);
});

test('handshakes per IP and open connections per IP are limited with HTTP 429', async (t) => {
  const h = await startGateway(t, { limits: { connectsPerIp: { burst: 3, perSecond: 1 }, maxConnectionsPerIp: 2 } });
  const c1 = await h.connect();
  await h.connect();
  await assert.rejects(h.connect(), (err: UpgradeRefused) => {
    assert.equal(err.status, 429);
    assert.match(JSON.parse(err.body).error.message, /open connections/);
    return true;
  });
  c1.ws.close();
  await c1.closed;
  await eventually(() => h.gateway.stats().connections === 1, 'the server to see the close');
  await assert.rejects(h.connect(), (err: UpgradeRefused) => {
    assert.equal(err.status, 429);
    assert.equal(JSON.parse(err.body).error.code, 'rate_limited');
    assert.match(JSON.parse(err.body).error.message, /connection attempts/);
    return true;
  });
  h.clock.advance(1000);
  const c3 = await h.connect();
  assert.ok(c3.isOpen());
});

test('a frame over maxPayload closes the socket with 1009', async (t) => {
  const h = await startGateway(t);
  const { client, welcome } = await h.visitor();
  client.send({ type: 'message', clientId: 'big', text: 'x'.repeat(17 * 1024) });
  const closed = await client.closed;
  assert.equal(closed.code, 1009);
  assert.equal(h.backend.messages(welcome.contactId).length, 0);
  await eventually(() => h.gateway.stats().closedTooBig === 1, 'the 1009 to be counted');
});

test('a client that stops reading is cut off; the server does not buffer without bound', async (t) => {
  const maxBufferedBytes = 64 * 1024;
  const h = await startGateway(t, { limits: { maxBufferedBytes } });
  const { client, welcome } = await h.visitor();
  const reader = await h.visitor({ visitorToken: welcome.visitorToken }); // a healthy second tab
  let readerGot = 0;
  reader.client.ws.on('message', () => readerGot++);
  // Stop reading on the slow tab: the kernel buffers fill, then the server's queue grows.
  (client.ws as unknown as { _socket: { pause(): void } })._socket.pause();

  const text = 'z'.repeat(1800);
  let pushed = 0;
  while (h.gateway.stats().terminatedSlow === 0) {
    for (let i = 0; i < 200; i++) h.backend.pushBotMessage(welcome.contactId, text);
    pushed += 200;
    assert.ok(pushed < 40_000, 'the slow reader should have been cut off long before this');
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(h.gateway.stats().terminatedSlow, 1);
  await eventually(() => h.gateway.presence.connections(welcome.contactId) === 1, 'the slow tab to be gone');
  // The healthy tab keeps receiving everything.
  await eventually(() => readerGot >= pushed, 'the healthy tab to read everything');
  assert.ok(reader.client.isOpen());
});

test('heartbeat: a peer that does not answer pings is terminated; a live one stays', async (t) => {
  const h = await startGateway(t, { limits: { heartbeatIntervalMs: 10_000 } });
  const dead = await h.visitor({}, { autoPong: false });
  const live = await h.visitor();
  h.clock.advance(10_000); // first ping
  await dead.client.until(() => dead.client.pings === 1, 'the ping');
  await live.client.until(() => live.client.pings === 1, 'the ping');
  await live.client.barrier(); // the live pong has reached the server
  h.clock.advance(10_000); // second round: no pong from the dead peer
  const closed = await dead.client.closed;
  assert.equal(closed.code, 1006, 'terminated without a close handshake');
  assert.equal(h.gateway.stats().terminatedDead, 1);
  await live.client.barrier();
  assert.ok(live.client.isOpen());
  await eventually(() => h.gateway.presence.connections(dead.welcome.contactId) === 0, 'presence to drop');
});

test('a connection that never says hello is closed with 1008', async (t) => {
  const h = await startGateway(t, { limits: { heartbeatIntervalMs: 5_000, helloTimeoutMs: 10_000 } });
  const idle = await h.connect();
  const greeted = await h.visitor();
  h.clock.advance(5_000);
  await idle.barrier();
  assert.ok(idle.isOpen());
  await greeted.client.barrier();
  h.clock.advance(5_000);
  assert.equal((await idle.closed).code, 1008);
  await greeted.client.barrier();
  assert.ok(greeted.client.isOpen());
});

test('shutdown finishes in-flight messages, flushes, then closes every socket with 1012 server restarting', async (t) => {
  const h = await startGateway(t);
  const a = await h.visitor();
  const b = await h.visitor();
  let release!: () => void;
  h.backend.acceptGate = new Promise((resolve) => (release = resolve));
  a.client.send({ type: 'message', clientId: 'c-1', text: 'last words' });
  await eventually(() => h.backend.acceptCalls === 1, 'the commit to start');
  for (let i = 1; i <= 50; i++) h.backend.pushBotMessage(b.welcome.contactId, `update ${i}`);

  const closing = h.gateway.close();
  // New frames during shutdown are refused with a clear code, not dropped silently.
  b.client.send({ type: 'typing' });
  await b.client.until(() => b.client.frames.some((f) => f.type === 'error'), 'the shutting_down error');
  release();
  await closing;

  const [closedA, closedB] = await Promise.all([a.client.closed, b.client.closed]);
  assert.deepEqual([closedA.code, closedA.reason], [1012, 'server restarting']);
  assert.equal(closedB.code, 1012);
  assert.deepEqual(
    a.client.frames.map((f) => [f.type, f.clientId]),
    [['ack', 'c-1']],
    'the in-flight ack went out first',
  );
  const bMessages = b.client.frames.filter((f) => f.type === 'message');
  assert.equal(bMessages.length, 50, 'everything queued before the close was flushed');
  assert.deepEqual(
    b.client.frames.filter((f) => f.type === 'error').map((f) => f.code),
    ['shutting_down'],
  );
  assert.equal(h.backend.listenerCount(), 0, 'unsubscribed from the backend');
  assert.equal(h.gateway.stats().connections, 0);
});
