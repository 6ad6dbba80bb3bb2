/**
 * Disk full and read-only database: the service must refuse new work with a clear error
 * (HTTP 503 `storage_unavailable`; a WebSocket `error` frame — `internal`, "nothing was
 * stored; retry with the same clientId" — for chat messages), keep answering reads, resume
 * by itself when the storage comes back, lose nothing it acknowledged or scheduled, and
 * leave a database that passes `PRAGMA integrity_check`.
 *
 * How the faults are made, without root tricks (see docs/faults.md):
 * - disk full: `PRAGMA max_page_count` lowered to the current page count on the service's
 *   own connection, so the next write that needs a page fails with SQLITE_FULL exactly as
 *   on a full disk; raised again = space returns.
 * - read-only: `PRAGMA query_only = ON` on the service's connection (every write fails with
 *   SQLITE_READONLY). chmod of the file/dir does NOT affect a connection that is already open
 *   (checked: writes and checkpoints keep working through the open descriptors, as root and
 *   as an unprivileged user); it only stops new connections, i.e. a restart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { WebSocket } from 'ws';
import { FakeClock } from '../../src/clock.ts';
import { RetryableDeliveryError, type ChannelAdapter, type OutboundMessage } from '../../src/channels/types.ts';
import { LiveChatAdapter } from '../../src/delivery/localAdapters.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { fingerprint, integrity } from './lib/dbCheck.ts';
import { sleep } from './lib/util.ts';

process.env.NUDGE_MIN_DELAY_SECONDS = '1'; // second-level cadences in the bot config below
const TOKEN = 'disk-admin-token';
const UNLIMITED_PAGES = 1_073_741_823;

interface Fixture {
  server: RunningServer;
  clock: FakeClock;
  botId: string;
  widgetKey: string;
  origin: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

async function setUp(t: TestContext, adapters?: Record<string, ChannelAdapter>): Promise<Fixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nudge-disk-'));
  const clock = new FakeClock('2026-01-05T09:00:00Z');
  const server = await startServer({
    dataDir,
    port: 0,
    clock,
    adminToken: TOKEN,
    ollamaHost: null,
    responder: false,
    ...(adapters ? { adapters } : {}),
  });
  t.after(async () => {
    server.services.db.pragma(`max_page_count = ${UNLIMITED_PAGES}`);
    server.services.db.pragma('query_only = OFF');
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const botId = server.demoBotId;
  const patched = await call('PATCH', `/api/bots/${botId}/config`, {
    scenarios: { busy: { cadence: [{ delay: '2s' }, { delay: '2s' }] } },
  });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  return { server, clock, botId, widgetKey: patched.body.widgetKey, origin: new URL(server.url).origin, call };
}

/** A message text that cannot fit into a full database: ~6 KB of UTF-8 needs an overflow page. */
const BIG_TEXT = '€'.repeat(1990);

/**
 * Disk full: no new page may be allocated. Then writes to `contactId`'s conversation until
 * refused, with smaller and smaller messages, so the free space inside existing pages is
 * used up too; then a ~6 KB message (with a clientId, like a chat message) is written
 * until one is refused — SQLite may still hold a freed page or two, which such a message
 * takes first. After this, the same kind of write to the same contact needs a page that
 * does not exist and fails with SQLITE_FULL, exactly like on a full disk; a refused write
 * changes nothing, so this holds until space returns. Returns the first refusal.
 */
async function fillDisk(f: Fixture, contactId: string): Promise<{ status: number; body: any }> {
  const db = f.server.services.db;
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  let first: { status: number; body: any } | null = null;
  const fill = async (text: (i: number) => string, clientId?: (i: number) => string) => {
    for (let i = 0; i < 500; i++) {
      const r = await f.call('POST', `/api/contacts/${contactId}/messages/inbound`, {
        text: text(i),
        ...(clientId ? { clientId: clientId(i) } : {}),
      });
      if (r.status !== 201) {
        first ??= r;
        return;
      }
    }
    throw new Error('500 messages fitted into the pages of the database: max_page_count had no effect');
  };
  for (const size of [3000, 1000, 300, 30, 3]) await fill((i) => `${'€'.repeat(size)} ${i}`);
  await fill(
    () => BIG_TEXT,
    (i) => `fill-${i}`,
  );
  return first!;
}

function spaceReturns(f: Fixture): void {
  f.server.services.db.pragma(`max_page_count = ${UNLIMITED_PAGES}`);
}

/** A widget connection that has said hello; collects the frames it receives. */
async function widget(f: Fixture, token?: string) {
  const ws = new WebSocket(`${f.server.url.replace('http', 'ws')}/ws/chat?botKey=${encodeURIComponent(f.widgetKey)}`, {
    origin: f.origin,
  });
  const frames: any[] = [];
  const waiters: { match: (frame: any) => boolean; resolve: (frame: any) => void }[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    frames.push(frame);
    for (const w of [...waiters]) {
      if (w.match(frame)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
    }
  });
  const next = (match: (frame: any) => boolean, what: string) =>
    new Promise<any>((resolve, reject) => {
      const found = frames.find(match);
      if (found) return resolve(found);
      const timer = setTimeout(
        () => reject(new Error(`no ${what} within 5 s; got ${JSON.stringify(frames.slice(-5))}`)),
        5000,
      );
      waiters.push({ match, resolve: (frame) => (clearTimeout(timer), resolve(frame)) });
    });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'hello', ...(token ? { visitorToken: token } : {}) }));
  const welcome = await next((fr) => fr.type === 'welcome' || fr.type === 'error', 'welcome');
  return { ws, frames, next, welcome, close: () => ws.terminate() };
}

test('disk full: the API refuses new work with 503 storage_unavailable, reads keep working, and it resumes when space returns', async (t) => {
  const f = await setUp(t);
  const contact = await f.call('POST', `/api/bots/${f.botId}/contacts`, { name: 'Ana' });
  assert.equal(contact.status, 201);

  const refused = await fillDisk(f, contact.body.id);
  assert.equal(
    refused.status,
    503,
    `the first write that did not fit: ${refused.status} ${JSON.stringify(refused.body)}`,
  );
  assert.equal(refused.body?.error?.code, 'storage_unavailable');
  assert.match(refused.body.error.message, /storage|disk|read-only/i);

  const db = f.server.services.db;
  const whileFull = fingerprint(db);
  for (let i = 0; i < 3; i++) {
    const r = await f.call('POST', `/api/contacts/${contact.body.id}/messages/inbound`, { text: `${BIG_TEXT} ${i}` });
    assert.equal(r.status, 503, `a message that cannot fit, while full: ${r.status} ${JSON.stringify(r.body)}`);
    assert.equal(r.body?.error?.code, 'storage_unavailable');
  }
  assert.deepEqual(fingerprint(db), whileFull, 'nothing was stored while the disk was full');
  assert.equal((await f.call('GET', `/api/contacts/${contact.body.id}`)).status, 200, 'reads keep working');
  assert.equal((await fetch(`${f.server.url}/api/health`)).status, 200);

  spaceReturns(f);
  const resumed = await f.call('POST', `/api/contacts/${contact.body.id}/messages/inbound`, { text: BIG_TEXT });
  assert.equal(resumed.status, 201, JSON.stringify(resumed.body));
  const stored = (await f.call('GET', `/api/contacts/${contact.body.id}/messages?limit=1000`)).body.messages as {
    seq: number;
    text: string;
  }[];
  assert.deepEqual(
    stored.map((m) => m.seq),
    stored.map((_, i) => i + 1),
    'no gap: refused writes took no seq',
  );
  assert.equal(stored.at(-1)!.text, BIG_TEXT, 'the write after space returned is the last message');
  assert.deepEqual(integrity(db), []);
});

test('disk full: a chat message that cannot be stored gets an error frame (no ack), and the same clientId is stored once space returns', async (t) => {
  const f = await setUp(t);
  const visitor = await widget(f);
  assert.equal(visitor.welcome.type, 'welcome');
  visitor.ws.send(JSON.stringify({ type: 'message', clientId: 'before-full', text: 'first message' }));
  const firstAck = await visitor.next((fr) => fr.type === 'ack' && fr.clientId === 'before-full', 'ack');

  await fillDisk(f, visitor.welcome.contactId);
  const text = BIG_TEXT;
  visitor.ws.send(JSON.stringify({ type: 'message', clientId: 'during-full', text }));
  const error = await visitor.next(
    (fr) => (fr.type === 'error' || fr.type === 'ack') && fr.clientId === 'during-full',
    'answer',
  );
  assert.equal(error.type, 'error', `no ack may be sent for a message that was not stored: ${JSON.stringify(error)}`);
  assert.equal(error.code, 'internal');
  assert.equal(error.ref, 'message');
  assert.match(error.message, /retry with the same clientId/);

  spaceReturns(f);
  visitor.ws.send(JSON.stringify({ type: 'message', clientId: 'during-full', text }));
  const ack = await visitor.next(
    (fr) => fr.type === 'ack' && fr.clientId === 'during-full',
    'ack after space returned',
  );
  assert.equal(ack.duplicate, false);
  const last = f.server.services.db
    .prepare('SELECT MAX(seq) AS seq FROM messages WHERE contact_id = ?')
    .get(visitor.welcome.contactId) as { seq: number };
  assert.ok(ack.seq > firstAck.seq);
  assert.equal(ack.seq, last.seq, 'the refused attempt took no seq: the retry is the newest message');
  const rows = f.server.services.db
    .prepare(`SELECT COUNT(*) AS n FROM messages WHERE client_id = 'during-full'`)
    .get() as { n: number };
  assert.equal(rows.n, 1);
  visitor.close();
  assert.deepEqual(integrity(f.server.services.db), []);
});

test('storage unavailable when a follow-up falls due: it is sent (once) when storage returns', async (t) => {
  // Read-only here because it refuses every write deterministically; a full disk takes the
  // same path (the delivery's commit throws) whenever the send needs a new page.
  const f = await setUp(t);
  const contact = await f.call('POST', `/api/bots/${f.botId}/contacts`, { name: 'Ana' });
  const busy = await f.call('POST', `/api/contacts/${contact.body.id}/messages/inbound`, {
    text: "I'm busy right now, driving",
  });
  assert.equal(busy.status, 201);
  const armed = (await f.call('GET', `/api/contacts/${contact.body.id}`)).body.pendingFollowUps;
  assert.equal(armed.length, 1, 'a busy follow-up is armed');
  const followUpId: string = armed[0].id;

  const db = f.server.services.db;
  db.pragma('query_only = ON');
  f.clock.advance(2500); // due now; its delivery cannot be stored
  await sleep(100);
  const row = () =>
    db.prepare('SELECT status, due_at FROM followups WHERE id = ?').get(followUpId) as {
      status: string;
      due_at: number;
    };
  assert.equal(row().status, 'pending', 'not sent while storage is unavailable');

  db.pragma('query_only = OFF');
  // Give the service time (fake and real) to notice: well past the next cadence step.
  for (let i = 0; i < 20 && row().status === 'pending'; i++) {
    f.clock.advance(1000);
    await sleep(50);
  }
  const after = row();
  assert.equal(
    after.status,
    'sent',
    `follow-up ${followUpId} fell due while storage was unavailable and is still ${after.status}, ${f.clock.now() - after.due_at} ms overdue, after storage returned ` +
      `(the scheduler popped it from its in-memory heap when the delivery failed and never retries it; only a restart reloads it)`,
  );
  assert.equal(
    (db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE idempotency_key = ?').get(followUpId) as { n: number }).n,
    1,
  );
  assert.equal(
    (db.prepare('SELECT COUNT(*) AS n FROM messages WHERE followup_id = ?').get(followUpId) as { n: number }).n,
    1,
  );
  assert.deepEqual(integrity(db), []);
});

test('read-only database: 503 storage_unavailable and a chat error frame, nothing stored, resumes when writable again', async (t) => {
  const f = await setUp(t);
  const contact = await f.call('POST', `/api/bots/${f.botId}/contacts`, { name: 'Ana' });
  const visitor = await widget(f);
  const db = f.server.services.db;

  db.pragma('query_only = ON');
  const before = fingerprint(db);
  for (const [method, path, body] of [
    ['POST', `/api/contacts/${contact.body.id}/messages/inbound`, { text: 'hello' }],
    ['POST', `/api/bots/${f.botId}/contacts`, { name: 'Bea' }],
    ['PATCH', `/api/bots/${f.botId}/config`, { active: false }],
    ['POST', `/api/contacts/${contact.body.id}/stop`, {}],
  ] as const) {
    const r = await f.call(method, path, body);
    assert.equal(r.status, 503, `${method} ${path} on a read-only database: ${r.status} ${JSON.stringify(r.body)}`);
    assert.equal(r.body?.error?.code, 'storage_unavailable');
  }
  visitor.ws.send(JSON.stringify({ type: 'message', clientId: 'ro-1', text: 'hello' }));
  const answer = await visitor.next(
    (fr) => (fr.type === 'error' || fr.type === 'ack') && fr.clientId === 'ro-1',
    'answer',
  );
  assert.equal(answer.type, 'error');
  assert.equal(answer.code, 'internal');
  // A new visitor cannot be created either: a clear error, the socket stays open.
  const newcomer = await widget(f);
  assert.equal(newcomer.welcome.type, 'error', JSON.stringify(newcomer.welcome));
  assert.equal(newcomer.welcome.code, 'internal');
  assert.equal(newcomer.ws.readyState, WebSocket.OPEN);
  newcomer.close();
  assert.equal((await f.call('GET', `/api/contacts/${contact.body.id}`)).status, 200, 'reads keep working');
  assert.deepEqual(fingerprint(db), before, 'nothing was stored');

  db.pragma('query_only = OFF');
  assert.equal(
    (await f.call('POST', `/api/contacts/${contact.body.id}/messages/inbound`, { text: 'hello' })).status,
    201,
  );
  visitor.ws.send(JSON.stringify({ type: 'message', clientId: 'ro-1', text: 'hello' }));
  const ack = await visitor.next((fr) => fr.type === 'ack' && fr.clientId === 'ro-1', 'ack');
  assert.equal(ack.duplicate, false);
  visitor.close();
  assert.deepEqual(integrity(db), []);
});

test('read-only database while a delivery retry is waiting: the server does not crash, and the row is delivered afterwards', async (t) => {
  // The first live-chat delivery fails (a retryable error), so the outbox row waits for a
  // retry on the dispatcher's timer; the database turns read-only before that timer fires.
  let failures = 1;
  let real: LiveChatAdapter | null = null;
  const flaky: ChannelAdapter = {
    channel: 'livechat',
    async send(msg: OutboundMessage) {
      if (failures-- > 0) throw new RetryableDeliveryError('provider busy', 200);
      return real!.send(msg);
    },
  };
  const f = await setUp(t, { livechat: flaky });
  real = new LiveChatAdapter(f.server.services.store);
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => {
    uncaught.push(error);
    // node:test fails the test on its own as well; this says where it came from.
    process.stderr.write(
      `uncaught exception (it would end the real server process): ${(error as Error).stack ?? String(error)}\n`,
    );
  };
  process.on('uncaughtException', onUncaught);
  t.after(() => process.off('uncaughtException', onUncaught));

  const contact = await f.call('POST', `/api/bots/${f.botId}/contacts`, { name: 'Ana' });
  await f.call('POST', `/api/contacts/${contact.body.id}/messages/inbound`, { text: "I'm busy right now, driving" });
  f.clock.advance(2500); // the follow-up is sent: one outbox row
  const db = f.server.services.db;
  const outbox = () =>
    db.prepare('SELECT status, attempts FROM outbox').all() as { status: string; attempts: number }[];
  for (let i = 0; i < 40 && !(outbox()[0]?.attempts === 1 && outbox()[0]?.status === 'pending'); i++) await sleep(25);
  assert.deepEqual(outbox(), [{ status: 'pending', attempts: 1 }], 'the first attempt failed and a retry is scheduled');

  db.pragma('query_only = ON');
  await sleep(1500); // the retry timer fires while nothing can be written
  db.pragma('query_only = OFF');
  for (let i = 0; i < 100 && outbox()[0]?.status !== 'delivered'; i++) await sleep(50);

  assert.deepEqual(
    uncaught.map(
      (e) =>
        `${(e as { code?: string }).code ?? ''} ${(e as Error).message} @ ${(e as Error).stack?.split('\n')[1]?.trim()}`,
    ),
    [],
    'an uncaught exception here would end the real server process (main.ts has no handler)',
  );
  assert.equal(
    outbox()[0]?.status,
    'delivered',
    `the row is ${JSON.stringify(outbox())} 5 s after the database became writable again`,
  );
  assert.deepEqual(integrity(db), []);
});
