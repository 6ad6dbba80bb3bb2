/**
 * The widget's protocol client (web/widget/chatClient.ts) against the real gateway over
 * real sockets: resume after a dropped connection, resend with the same clientId, dedup
 * by id, token recovery, fatal errors, contact details. The client's backoff timers run
 * on their own FakeClock, so reconnects happen exactly when the test says.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { FakeClock, type TimerHandle } from '../../src/clock.ts';
import {
  ChatClient,
  type ChatClientOptions,
  type KeyValueStore,
  type SocketLike,
} from '../../web/widget/chatClient.ts';
import { eventually, SHOP_ORIGIN, startGateway, type Harness } from './harness.ts';

class MemoryStore implements KeyValueStore {
  readonly map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

function widget(t: import('node:test').TestContext, h: Harness, overrides: Partial<ChatClientOptions> = {}) {
  const clock = new FakeClock();
  const sockets: WebSocket[] = [];
  let ids = 0;
  const storage = (overrides.storage as MemoryStore | undefined) ?? new MemoryStore();
  const botKey = overrides.botKey ?? 'key-1';
  const client = new ChatClient({
    url: `ws://127.0.0.1:${h.port}/ws/chat?botKey=${botKey}`,
    botKey,
    createSocket: (url) => {
      const ws = new WebSocket(url, { origin: SHOP_ORIGIN });
      sockets.push(ws);
      return ws as unknown as SocketLike;
    },
    storage,
    timers: {
      setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
      clearTimeout: (h) => clock.clearTimeout(h as TimerHandle),
    },
    random: () => 0.5,
    newId: () => `cid-${++ids}`,
    backoff: { initialMs: 1000, maxMs: 8000 },
    ...overrides,
  });
  t.after(() => {
    client.stop();
    for (const s of sockets) s.terminate();
  });
  const until = (check: () => boolean, what: string) => eventually(check, what);
  const summary = () => client.messages().map((m) => `${m.seq ?? '-'}:${m.from}:${m.text}:${m.status}`);
  /** Simulates the network dropping: the socket dies without a close handshake. */
  const drop = () => sockets[sockets.length - 1]?.terminate();
  return { client, clock, storage, sockets, until, summary, drop };
}

test('the widget client talks, survives a dropped connection, and resumes exactly where it was', async (t) => {
  const h = await startGateway(t);
  h.backend.autoReply = (text) => `Got it: ${text}`;
  const w = widget(t, h);
  w.client.start();
  await w.until(() => w.client.status === 'online', 'online');
  assert.ok(w.storage.getItem('nudge:v1:key-1:visitorToken')?.startsWith('v1.'));

  w.client.send('Hi, is the shop open Sunday?');
  await w.until(() => w.client.messages().length === 2, 'the reply');
  assert.deepEqual(w.summary(), [
    '1:contact:Hi, is the shop open Sunday?:sent',
    '2:bot:Got it: Hi, is the shop open Sunday?:sent',
  ]);
  assert.equal(w.client.lastSeq, 2);
  const contactId = w.client.contactId as string;

  h.backend.autoReply = null;
  w.drop();
  await w.until(() => w.client.status === 'offline', 'offline');
  h.backend.pushBotMessage(contactId, 'We open at 10 on Sundays.');
  h.backend.pushBotMessage(contactId, 'Want me to book you in?', { scenario: 'no_reply', step: 1 });
  const queued = w.client.send('Yes please, 11am');
  assert.equal(queued?.status, 'sending');

  w.clock.advance(1000); // the first backoff step (jitter fixed at the middle)
  await w.until(
    () => w.client.messages().every((m) => m.status === 'sent') && w.client.messages().length === 5,
    'resume',
  );
  assert.deepEqual(w.summary(), [
    '1:contact:Hi, is the shop open Sunday?:sent',
    '2:bot:Got it: Hi, is the shop open Sunday?:sent',
    '3:bot:We open at 10 on Sundays.:sent',
    '4:bot:Want me to book you in?:sent',
    '5:contact:Yes please, 11am:sent',
  ]);
  assert.deepEqual(w.client.messages()[3]?.followUp, { scenario: 'no_reply', step: 1 });
  assert.equal(w.client.contactId, contactId);
  assert.equal(h.backend.messages(contactId).length, 5);

  // A page reload: a new client with the same storage gets the whole conversation back.
  const reloaded = widget(t, h, { storage: w.storage });
  reloaded.client.start();
  await reloaded.until(() => reloaded.client.messages().length === 5, 'the replay after reload');
  assert.deepEqual(reloaded.summary(), w.summary());
});

test('a message whose ack was lost is resent with the same clientId and shown once', async (t) => {
  const h = await startGateway(t);
  const w = widget(t, h);
  w.client.start();
  await w.until(() => w.client.status === 'online', 'online');
  let release!: () => void;
  h.backend.acceptGate = new Promise((resolve) => (release = resolve));
  w.client.send('Can you fix a flat today?');
  await eventually(() => h.backend.acceptCalls === 1, 'the commit to start');
  w.drop(); // the connection dies while the server commits
  await w.until(() => w.client.status === 'offline', 'offline');
  h.backend.acceptGate = null;
  release();
  const contactId = w.client.contactId as string;
  await eventually(() => h.backend.messages(contactId).length === 1, 'the commit');

  w.clock.advance(1000);
  await w.until(() => w.client.messages()[0]?.status === 'sent' && h.backend.acceptCalls === 2, 'the resend');
  await w.until(() => w.client.messages().length === 1, 'one bubble');
  assert.deepEqual(w.summary(), ['1:contact:Can you fix a flat today?:sent']);
  assert.equal(h.backend.messages(contactId).length, 1, 'stored once');
});

test('backoff doubles up to its cap while the server is unreachable', async (t) => {
  const h = await startGateway(t);
  // A port nobody listens on: every attempt is refused, like a server that is down.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const deadPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const w = widget(t, h, { url: `ws://127.0.0.1:${deadPort}/ws/chat`, botKey: 'key-1' });
  w.client.start();
  const delays: number[] = [];
  for (let i = 0; i < 5; i++) {
    await w.until(() => w.client.status === 'offline' && w.clock.pendingTimers() === 1, `attempt ${i + 1} to fail`);
    const before = w.sockets.length;
    let waited = 0;
    while (w.sockets.length === before) {
      w.clock.advance(250);
      waited += 250;
    }
    delays.push(waited);
  }
  // Jitter picks between half and all of each step; random() = 0.5 gives three quarters.
  assert.deepEqual(delays, [750, 1500, 3000, 6000, 6000]);
});

test('a refused visitor token is dropped and a new conversation started', async (t) => {
  const h = await startGateway(t);
  const storage = new MemoryStore();
  storage.setItem('nudge:v1:key-1:visitorToken', 'v1.Y29udGFjdC05OQ.forged');
  const w = widget(t, h, { storage });
  w.client.start();
  await w.until(() => w.client.status === 'online', 'online');
  assert.equal(w.client.contactId, 'contact-1');
  assert.notEqual(storage.getItem('nudge:v1:key-1:visitorToken'), 'v1.Y29udGFjdC05OQ.forged');
});

test('an unknown widget key makes the chat unavailable without reconnect loops', async (t) => {
  const h = await startGateway(t);
  // Key only in hello so the server can answer with an error frame before closing.
  const w = widget(t, h, { url: `ws://127.0.0.1:${h.port}/ws/chat`, botKey: 'nope' });
  w.client.start();
  await w.until(() => w.client.status === 'unavailable', 'unavailable');
  assert.match(w.client.fatalError ?? '', /unknown widget key/);
  assert.equal(w.clock.pendingTimers(), 0, 'no reconnect scheduled');
});

test('a page whose site the bot does not allow shows the refusal and never reconnects', async (t) => {
  const h = await startGateway(t);
  const sockets: WebSocket[] = [];
  const w = widget(t, h, {
    url: `ws://127.0.0.1:${h.port}/ws/chat`,
    createSocket: (url) => {
      const ws = new WebSocket(url, { origin: 'https://elsewhere.example' });
      sockets.push(ws);
      return ws as unknown as SocketLike;
    },
  });
  t.after(() => sockets.forEach((s) => s.terminate()));
  w.client.start();
  await w.until(() => w.client.status === 'unavailable', 'unavailable');
  assert.equal(w.client.unavailableReason, 'origin');
  await w.until(() => sockets[0].readyState === WebSocket.CLOSED, 'closed');
  assert.equal(w.clock.pendingTimers(), 0, 'no reconnect scheduled');
  assert.equal(sockets.length, 1);
});

test('contact details: saved with E.164, or refused with the reason', async (t) => {
  const h = await startGateway(t);
  const w = widget(t, h, { country: 'US' });
  w.client.start();
  await w.until(() => w.client.status === 'online', 'online');
  assert.deepEqual(await w.client.saveContact({ name: 'Ana', phone: '(415) 555-2671' }), {
    ok: true,
    contact: { name: 'Ana', phone: '+14155552671' },
  });
  const bad = await w.client.saveContact({ phone: '12' });
  assert.equal(bad.ok, false);
  assert.equal(bad.ok === false && bad.code, 'bad_field');
  assert.deepEqual(h.backend.contacts.get(w.client.contactId as string)?.fields, {
    name: 'Ana',
    phone: '+14155552671',
  });
});

test('over-long text is refused locally and never sent', async (t) => {
  const h = await startGateway(t);
  const w = widget(t, h);
  w.client.start();
  await w.until(() => w.client.status === 'online', 'online');
  const item = w.client.send('x'.repeat(2001));
  assert.equal(item?.status, 'failed');
  assert.match(item?.error ?? '', /Too long/);
  assert.equal(w.client.send('   '), null);
  assert.equal(h.backend.acceptCalls, 0);
});

test('a server restart (close 1012) is not a failure: the widget comes back within 2–10 s, its backoff reset', async (t) => {
  const h = await startGateway(t);
  const w = widget(t, h);
  w.client.start();
  await w.until(() => w.client.status === 'online', 'online');
  const before = w.sockets.length;
  const closed = new Promise<number>((resolve) => w.sockets[before - 1].once('close', (code) => resolve(code)));
  await h.gateway.close();
  assert.equal(await closed, 1012);
  await w.until(() => w.client.status === 'offline', 'offline');
  // random() is 0.5: 2 s + 0.5 × 8 s.
  w.clock.advance(5999);
  assert.equal(w.sockets.length, before, 'not before the restart delay');
  w.clock.advance(1);
  assert.equal(w.sockets.length, before + 1, 'reconnects once the delay is over');
});
