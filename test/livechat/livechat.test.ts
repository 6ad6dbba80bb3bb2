/**
 * Live chat through the real server: real WebSocket, real runtime, real SQLite file, the
 * built-in responder and the durable scheduler with a fake clock.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { FakeClock } from '../../src/clock.ts';
import { settle } from '../helpers/core.ts';
import { api, makeServer } from '../helpers/server.ts';

type Frame = Record<string, any>;

class Client {
  frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)));
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async open(url: string, origin: string): Promise<Client> {
    const ws = new WebSocket(url, { origin });
    const client = new Client(ws);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return client;
  }
  send(frame: Frame): void {
    this.ws.send(JSON.stringify(frame));
  }
  async waitFor(predicate: (f: Frame) => boolean, what: string, timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

describe('live chat through the real server', () => {
  test('hello → welcome, message → ack, bot reply, follow-up on the widget, resume with replay', async (t) => {
    const clock = new FakeClock('2026-01-05T15:00:00Z');
    const server = await makeServer(t, { clock, responder: true, stack: null });
    const http = api(server);
    await http.patch(`/api/bots/${server.demoBotId}/config`, { scenarios: { busy: { cadence: [{ delay: '2h' }] } } });
    const key = server.services.store.getBot(server.demoBotId)!.widget_key;
    const wsUrl = `${server.url.replace('http', 'ws')}/ws/chat?botKey=${key}`;
    const origin = server.url;

    const tab1 = await Client.open(wsUrl, origin);
    t.after(() => tab1.close());
    tab1.send({ type: 'hello', botKey: key });
    const welcome = await tab1.waitFor((f) => f.type === 'welcome', 'welcome');
    assert.ok(welcome.visitorToken && welcome.contactId);

    tab1.send({ type: 'message', clientId: 'm-1', text: "I'm driving, text me later" });
    const ack = await tab1.waitFor((f) => f.type === 'ack' && f.clientId === 'm-1', 'ack');
    assert.equal(ack.seq, 1);
    const reply = await tab1.waitFor((f) => f.type === 'message' && f.from === 'bot', 'bot reply');
    assert.equal(reply.seq, 2);
    await settle(server.services);

    // The bot's acknowledgement keeps the busy follow-up; it reaches the open widget.
    const detail = (await http.get(`/api/contacts/${welcome.contactId}`)).body;
    assert.equal(detail.state, 'busy');
    assert.equal(detail.pendingFollowUps[0].scenario, 'busy');

    // A second tab of the same visitor resumes with its token and sees everything.
    const tab2 = await Client.open(wsUrl, origin);
    t.after(() => tab2.close());
    tab2.send({ type: 'hello', botKey: key, visitorToken: welcome.visitorToken });
    await tab2.waitFor((f) => f.type === 'welcome', 'welcome 2');
    await tab2.waitFor((f) => f.type === 'message' && f.seq === 2, 'replay of seq 2');

    clock.advance(2 * 60 * 60_000);
    await settle(server.services);
    if (process.env.DEBUG_LC)
      console.log(JSON.stringify((await http.get(`/api/contacts/${welcome.contactId}`)).body, null, 1));
    const followUp = await tab1.waitFor((f) => f.type === 'message' && f.followUp, 'follow-up on tab 1');
    assert.deepEqual(followUp.followUp, { scenario: 'busy', step: 1 });
    await tab2.waitFor((f) => f.type === 'message' && f.followUp, 'follow-up on tab 2');

    // Duplicate clientId: acked again with the same id, not stored twice.
    tab1.send({ type: 'message', clientId: 'm-1', text: "I'm driving, text me later" });
    const dup = await tab1.waitFor((f) => f.type === 'ack' && f.clientId === 'm-1' && f.duplicate, 'duplicate ack');
    assert.equal(dup.id, ack.id);
    const stored = server.services.store.messagesAfter(welcome.contactId, 0).filter((m) => m.client_id === 'm-1');
    assert.equal(stored.length, 1);

    // Reconnect with lastSeq: exactly the missed messages are replayed.
    await tab2.close();
    const tab3 = await Client.open(wsUrl, origin);
    t.after(() => tab3.close());
    tab3.send({ type: 'hello', botKey: key, visitorToken: welcome.visitorToken, lastSeq: 2 });
    await tab3.waitFor((f) => f.type === 'welcome', 'welcome 3');
    const replayed = await tab3.waitFor((f) => f.type === 'message', 'replay');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(
      tab3.frames.filter((f) => f.type === 'message').map((f) => f.seq),
      [3],
      'only the follow-up after seq 2 is replayed',
    );
    assert.equal(replayed.followUp.scenario, 'busy');
  });

  test('a requested time is confirmed on the channel it will use; with no phone the bot asks for one', async (t) => {
    const clock = new FakeClock('2026-01-05T15:00:00Z');
    const server = await makeServer(t, { clock, responder: true, stack: null });
    const key = server.services.store.getBot(server.demoBotId)!.widget_key;
    const tab = await Client.open(`${server.url.replace('http', 'ws')}/ws/chat`, server.url);
    t.after(() => tab.close());
    tab.send({ type: 'hello', botKey: key });
    await tab.waitFor((f) => f.type === 'welcome', 'welcome');

    tab.send({ type: 'message', clientId: 'm-1', text: 'Can you call me tomorrow at 3pm?' });
    const first = await tab.waitFor((f) => f.type === 'message' && f.from === 'bot', 'bot reply');
    assert.match(first.text, /^Sure — I'll message you here Tue 3:00 PM\. Would you like a text instead\?/);
    assert.doesNotMatch(first.text, /text you/, 'no text is promised without a number');
    assert.equal(first.ask, 'phone');

    tab.send({ type: 'contact', clientId: 'k-1', phone: '+14155552671' });
    await tab.waitFor((f) => f.type === 'ack' && f.for === 'contact', 'contact ack');
    tab.send({ type: 'message', clientId: 'm-2', text: 'Actually, call me tomorrow at 4pm' });
    const second = await tab.waitFor(
      (f) => f.type === 'message' && f.from === 'bot' && f.seq > first.seq,
      'second reply',
    );
    assert.equal(second.text, "Sure — I'll text you Tue 4:00 PM.");
    assert.equal(second.ask, undefined);
  });

  test("one visitor's token is refused for another bot's conversation; bad key refused", async (t) => {
    const server = await makeServer(t, { responder: false });
    const http = api(server);
    const key = server.services.store.getBot(server.demoBotId)!.widget_key;
    const other = (await http.post('/api/bots', { name: 'Other', allowedOrigins: [server.url] })).body;
    const origin = server.url;
    const a = await Client.open(`${server.url.replace('http', 'ws')}/ws/chat?botKey=${key}`, origin);
    t.after(() => a.close());
    a.send({ type: 'hello', botKey: key });
    const welcome = await a.waitFor((f) => f.type === 'welcome', 'welcome');
    const b = await Client.open(`${server.url.replace('http', 'ws')}/ws/chat?botKey=${other.widgetKey}`, origin);
    t.after(() => b.close());
    b.send({ type: 'hello', botKey: other.widgetKey, visitorToken: welcome.visitorToken });
    const error = await b.waitFor((f) => f.type === 'error', 'bad_token');
    assert.equal(error.code, 'bad_token');

    const refused = new WebSocket(`${server.url.replace('http', 'ws')}/ws/chat?botKey=nope`, { origin });
    const status = await new Promise<number>((resolve) =>
      refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    assert.equal(status, 403);
    const badOrigin = new WebSocket(`${server.url.replace('http', 'ws')}/ws/chat?botKey=${key}`, {
      origin: 'https://evil.example',
    });
    const status2 = await new Promise<number>((resolve) =>
      badOrigin.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    assert.equal(status2, 403);
    const unknownPath = new WebSocket(`${server.url.replace('http', 'ws')}/ws/nowhere`);
    const status3 = await new Promise<number>((resolve) =>
      unknownPath.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    assert.equal(status3, 404);
  });
});
