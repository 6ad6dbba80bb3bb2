/**
 * The visualizer's routes: bearer auth and bot scoping like the operator API, validation
 * with clear 400s, the history/export/import round trip, the page and its bundle, and the
 * /ws/console notification socket (auth, scoping, and leaving other upgrade paths alone).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { attachConsoleSocket } from '../../src/console/consoleSocket.ts';
import { MAX_IMPORT_BYTES } from '../../src/viz/exportFile.ts';
import { botConfig, makeCore } from '../helpers/core.ts';
import { authed, startVizApp, testVerifiers } from './helpers.ts';

async function setup(t: Parameters<typeof makeCore>[0]) {
  const core = makeCore(t);
  const other = core.services.createBot(botConfig({ name: 'Other Salon' }));
  const rt = core.services.runtime;
  const contact = rt.createContact(core.botId, { name: 'Ana', phone: '+14155550123' });
  await rt.inbound({ contactId: contact.id, text: 'hello there' });
  await rt.outbound({ contactId: contact.id, sender: 'bot', text: 'Hi Ana!' });
  await rt.inbound({ contactId: contact.id, text: 'call me at+90' });
  const foreign = rt.createContact(other.id, {});
  await rt.inbound({ contactId: foreign.id, text: 'busy now' });
  await core.settle();
  const app = await startVizApp(t, core.services, testVerifiers({ mine: [core.botId], theirs: [other.id] }));
  return { core, contact, foreign, otherBotId: other.id, app };
}

/** Opens a WebSocket and collects its frames; resolves when open (or rejects with the HTTP status). */
function connect(
  url: string,
): Promise<{ ws: WebSocket; frames: any[]; next: (pred: (f: any) => boolean, ms?: number) => Promise<any> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames: any[] = [];
    const waiters: Array<{ pred: (f: any) => boolean; resolve: (f: any) => void }> = [];
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      frames.push(frame);
      for (const w of [...waiters]) {
        if (w.pred(frame)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(frame);
        }
      }
    });
    ws.on('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
    );
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        ws,
        frames,
        next: (pred, ms = 3000) =>
          new Promise((res, rej) => {
            const seen = frames.find(pred);
            if (seen) return res(seen);
            const timer = setTimeout(
              () => rej(new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(frames)}`)),
              ms,
            );
            waiters.push({ pred, resolve: (f) => (clearTimeout(timer), res(f)) });
          }),
      }),
    );
  });
}

describe('viz routes', () => {
  test('every route needs a valid bearer token', async (t) => {
    const { contact, app } = await setup(t);
    const anonymous = authed(app.url, null);
    const wrong = authed(app.url, 'not-a-token');
    for (const client of [anonymous, wrong]) {
      for (const res of [
        await client.get('/api/machine/graph'),
        await client.get(`/api/contacts/${contact.id}/history`),
        await client.post(`/api/contacts/${contact.id}/what-if`, { afterSeq: 0, event: { type: 'OPT_IN' } }),
        await client.get(`/api/contacts/${contact.id}/export`),
        await client.post('/api/viz/import', {}),
      ]) {
        assert.equal(res.status, 401);
        assert.equal(res.body.error.code, 'unauthorized');
      }
    }
  });

  test('bot scoping: a contact of another bot is 404, like a missing one', async (t) => {
    const { contact, foreign, app } = await setup(t);
    const mine = authed(app.url, 'mine');
    assert.equal((await mine.get(`/api/contacts/${contact.id}/history`)).status, 200);
    for (const res of [
      await mine.get(`/api/contacts/${foreign.id}/history`),
      await mine.get(`/api/contacts/${foreign.id}/export`),
      await mine.post(`/api/contacts/${foreign.id}/what-if`, { afterSeq: 0, event: { type: 'OPT_IN' } }),
      await mine.get('/api/contacts/ct_missing/history'),
    ]) {
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'not_found');
      assert.match(res.body.error.message, /^contact \S+ not found$/);
    }
    assert.equal((await authed(app.url, 'theirs').get(`/api/contacts/${foreign.id}/history`)).status, 200);
  });

  test('machine graph route returns nodes, edges and a layout', async (t) => {
    const { app } = await setup(t);
    const res = await authed(app.url).get('/api/machine/graph');
    assert.equal(res.status, 200);
    assert.equal(res.body.machineId, 'contact');
    assert.deepEqual(res.body.states, [
      'contact.active',
      'contact.awaiting',
      'contact.busy',
      'contact.scheduled',
      'contact.stopped',
      'contact.booked',
    ]);
    assert.ok(res.body.edges.length > 25);
    assert.ok(res.body.layout.nodes['contact.scheduled'].width > 0);
  });

  test('history: timeline with classification, effects with due times, replayed snapshots and pending timers', async (t) => {
    const { contact, app } = await setup(t);
    const res = await authed(app.url).get(`/api/contacts/${contact.id}/history`);
    assert.equal(res.status, 200);
    const tl = res.body;
    assert.equal(tl.source, 'database');
    assert.equal(tl.mismatchCount, 0);
    assert.deepEqual(
      tl.entries.map((e: any) => [e.seq, e.type, e.from, e.to]),
      [
        [1, 'CONTACT_MESSAGE', 'active', 'active'],
        [2, 'BOT_MESSAGE', 'active', 'awaiting'],
        [3, 'CONTACT_MESSAGE', 'awaiting', 'scheduled'],
      ],
    );
    const asked = tl.entries[2];
    assert.equal(asked.payload.intent, 'request_time');
    assert.equal(asked.payload.text, 'call me at+90');
    assert.equal(asked.payload.classification.intent, 'request_time');
    assert.equal(asked.payload.requestedAt, '2026-01-05T10:30:00.000Z');
    assert.match(asked.payload.summary, /"call me at\+90" → request_time @ 2026-01-05T10:30:00.000Z/);
    assert.deepEqual(
      asked.effects.map((e: any) => e.kind),
      ['cancelled', 'armed'],
    );
    assert.equal(asked.effects[1].dueAt, '2026-01-05T10:30:00.000Z');
    assert.equal(asked.effects[1].status, 'pending');
    assert.equal(asked.snapshot.value, 'scheduled');
    assert.equal(asked.snapshot.context.timer.scenario, 'requestedTime');
    assert.equal(asked.mismatch, null);
    assert.deepEqual(
      tl.pendingTimers.map((p: any) => [p.scenario, p.step, p.ownerState, p.dueAt]),
      [['requestedTime', 1, 'scheduled', '2026-01-05T10:30:00.000Z']],
    );
    assert.equal(tl.initial.value, 'active');
    assert.equal(tl.final.stored.value, 'scheduled');
  });

  test('what-if validation: bad input is a 400 with a JSON error', async (t) => {
    const { contact, app } = await setup(t);
    const http = authed(app.url);
    const cases: Array<[unknown, RegExp]> = [
      [{ event: { type: 'OPT_IN' } }, /afterSeq/],
      [{ afterSeq: -1, event: { type: 'OPT_IN' } }, /afterSeq/],
      [{ afterSeq: 1.5, event: { type: 'OPT_IN' } }, /afterSeq/],
      [{ afterSeq: 0, event: { type: 'TELEPORT' } }, /event\.type must be one of/],
      [{ afterSeq: 0, event: { type: 'CONTACT_MESSAGE' } }, /intent/],
      [{ afterSeq: 0, event: { type: 'CONTACT_MESSAGE', intent: 'angry' } }, /intent/],
      [
        { afterSeq: 0, event: { type: 'CONTACT_MESSAGE', intent: 'request_time', requestedAt: 'tomorrow at 3' } },
        /requestedAt: must be an ISO-8601 instant/,
      ],
      [
        { afterSeq: 0, event: { type: 'CONTACT_MESSAGE', intent: 'busy', requestedAt: '2026-01-05T15:00:00Z' } },
        /only goes with intent request_time/,
      ],
      [{ afterSeq: 0, event: { type: 'OPT_IN', surprise: 1 } }, /surprise|unrecognized/i],
      [{ afterSeq: 0, event: { type: 'OPT_IN' }, extra: true }, /extra|unrecognized/i],
      [{ afterSeq: 7, event: { type: 'OPT_IN' } }, /no log entry #7/],
      [{ afterSeq: 3, event: { type: 'OPT_IN', at: '2020-01-01T00:00:00Z' } }, /before the chosen entry/],
      [{ afterSeq: 0, event: { type: 'FOLLOWUP_DUE' } }, /no timer is armed/],
      [{ afterSeq: 0, policy: 'tomorrow', event: { type: 'OPT_IN' } }, /policy/],
    ];
    for (const [body, pattern] of cases) {
      const res = await http.post(`/api/contacts/${contact.id}/what-if`, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body.error.code, 'string');
      assert.match(res.body.error.message, pattern, JSON.stringify(body));
    }
    const notJson = await http.post(`/api/contacts/${contact.id}/what-if`, '{"afterSeq":', {});
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.error.code, 'invalid_json');
    const ok = await http.post(`/api/contacts/${contact.id}/what-if`, { afterSeq: 3, event: { type: 'FOLLOWUP_DUE' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.event.at, '2026-01-05T10:30:00.000Z', 'defaults to when the armed timer fires');
    assert.deepEqual(
      ok.body.effects.map((e: any) => e.kind),
      ['sent', 'workflow', 'armed'],
    );
  });

  test('export then import replays to the same timeline, and nothing is stored', async (t) => {
    const { core, contact, app } = await setup(t);
    const http = authed(app.url);
    const exported = await http.get(`/api/contacts/${contact.id}/export`);
    assert.equal(exported.status, 200);
    assert.match(
      exported.headers.get('content-disposition') ?? '',
      /attachment; filename="nudge-contact-ct_[\w-]+\.json"/,
    );
    const file = exported.body;
    assert.equal(file.format, 'nudge.contact-history');
    assert.equal(file.version, 1);
    assert.equal(file.contact.id, contact.id);
    assert.equal(file.bot.policy.scenarios.requestedTime.enabled, true);
    assert.equal(file.log.length, 3);
    assert.equal(file.log[0].event.policy.active, true, 'events carry the policy they were decided with');
    assert.equal(file.snapshots.length, 3);
    assert.ok(file.followUps.some((f: any) => f.status === 'pending'));
    assert.equal(file.messages.length, 3);

    const history = (await http.get(`/api/contacts/${contact.id}/history`)).body;
    const contactsBefore = core.services.db.prepare('SELECT COUNT(*) AS n FROM contacts').get();
    const imported = await http.post('/api/viz/import', file);
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    assert.equal(imported.body.source, 'import');
    assert.deepEqual({ ...imported.body, source: 'database' }, history);
    assert.deepEqual(core.services.db.prepare('SELECT COUNT(*) AS n FROM contacts').get(), contactsBefore);

    // What-if works on an imported file too.
    const w = await http.post('/api/viz/import/what-if', {
      file,
      afterSeq: 2,
      event: { type: 'CONTACT_MESSAGE', intent: 'busy' },
    });
    assert.equal(w.status, 200, JSON.stringify(w.body));
    assert.equal(w.body.state, 'busy');

    // A tampered file shows where it disagrees.
    const tampered = structuredClone(file);
    tampered.log[1].to = 'booked';
    const flagged = await http.post('/api/viz/import', tampered);
    assert.equal(flagged.status, 200);
    assert.deepEqual(
      flagged.body.entries.filter((e: any) => e.mismatch).map((e: any) => e.seq),
      [2],
    );

    // Redaction hides personal data but keeps the replay intact.
    const redacted = (await http.get(`/api/contacts/${contact.id}/export?redact=true`)).body;
    assert.equal(redacted.contact.phone, '[redacted]');
    assert.ok(redacted.messages.every((m: any) => m.text.startsWith('[redacted')));
    assert.equal((await http.post('/api/viz/import', redacted)).body.mismatchCount, 0);
  });

  test('import validation: not a history file is a 400 naming the problem', async (t) => {
    const { app } = await setup(t);
    const http = authed(app.url);
    const cases: Array<[unknown, RegExp]> = [
      [[1, 2], /must be an exported contact-history JSON object/],
      [{ format: 'something-else', version: 1 }, /format must be "nudge.contact-history"/],
      [{ format: 'nudge.contact-history', version: 2 }, /version must be 1/],
      [{ format: 'nudge.contact-history', version: 1, contact: { id: 'x' } }, /contact\.botId|contact/],
    ];
    for (const [body, pattern] of cases) {
      const res = await http.post('/api/viz/import', body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(res.body.error.message, pattern);
    }
    const badJson = await http.post('/api/viz/import', '{"format":');
    assert.equal(badJson.status, 400);
    assert.equal(badJson.body.error.code, 'invalid_json');
    // The file's problems are listed as details.
    const wrong = await http.post('/api/viz/import', { format: 'nudge.contact-history', version: 2 });
    assert.equal(wrong.body.error.code, 'invalid_export');
    assert.ok(
      wrong.body.error.details.some((problem: { path: string }) => problem.path === 'version'),
      JSON.stringify(wrong.body),
    );

    // The upload is read as raw bytes (and parsed on the console reader thread): each bad body still gets its clear error.
    const raw = async (path: string, body: BodyInit | undefined, contentType?: string) => {
      const response = await fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { authorization: 'Bearer test-admin-token', ...(contentType ? { 'content-type': contentType } : {}) },
        body,
      });
      return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
    };
    for (const [body, contentType, status, code, message] of [
      ['', 'application/json', 400, 'invalid_json', /empty JSON body/],
      [undefined, undefined, 400, 'invalid_request', /must be an exported contact-history JSON object/],
      [
        new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
        'application/json',
        400,
        'invalid_json',
        /not valid UTF-8/,
      ],
      ['{"__proto__":{"x":1}}', 'application/json; charset=utf-8', 400, 'invalid_json', /forbidden prototype property/],
      ['format=x', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type', /application\/json/],
      ['{}', 'text/plain', 415, 'unsupported_media_type', /application\/json/],
    ] as const) {
      for (const path of ['/api/viz/import', '/api/viz/import/what-if']) {
        const res = await raw(path, body as BodyInit | undefined, contentType);
        const expected = path.endsWith('what-if') && code === 'invalid_request' ? /invalid request body/ : message;
        assert.deepEqual(
          [res.status, res.body.error.code],
          [status, code],
          `${path} ${String(body)}: ${JSON.stringify(res.body)}`,
        );
        assert.match(res.body.error.message, expected);
      }
    }
    // Over the size bound: 413 before anything is parsed.
    const huge = await raw('/api/viz/import', `{"pad":"${'x'.repeat(MAX_IMPORT_BYTES)}"}`, 'application/json');
    assert.deepEqual([huge.status, huge.body.error.code], [413, 'payload_too_large']);
  });

  test('a file too costly to replay is a 413 (import_too_large) and the service keeps answering; too many at once is a 503 (replay_busy)', async (t) => {
    const { contact, app } = await setup(t);
    const http = authed(app.url);
    const file = (await http.get(`/api/contacts/${contact.id}/export`)).body;
    // 20 MB of minimal log entries: a valid file whose replay needs ~0.6-0.9 GiB of heap and
    // would answer ~140 MB of JSON (docs/visualizer.md), past what an import may use.
    const at = file.log[0].at;
    const log = Array.from({ length: 200_000 }, (_, i) => ({
      seq: i + 1,
      at: at + i,
      event: { type: 'OPT_IN' },
      from: 'active',
      to: 'active',
      effects: [],
    }));
    const heavy = JSON.stringify({ ...file, log, snapshots: [], messages: [], followUps: [] });
    assert.ok(heavy.length < MAX_IMPORT_BYTES, `${heavy.length} bytes`);
    const refused = await http.post('/api/viz/import', heavy);
    assert.equal(refused.status, 413, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, 'import_too_large');
    assert.equal((await http.get('/api/machine/graph')).status, 200);
    assert.equal((await http.post('/api/viz/import', file)).status, 200, 'the next upload is answered');

    const uploads = await Promise.all(Array.from({ length: 6 }, () => http.post('/api/viz/import', file)));
    const statuses = uploads.map((upload) => upload.status);
    assert.ok(statuses.filter((status) => status === 200).length >= 3, statuses.join());
    for (const upload of uploads.filter((u) => u.status !== 200))
      assert.deepEqual([upload.status, upload.body.error.code], [503, 'replay_busy']);
  });

  test('the page and its bundle are served from the service, with a strict CSP', async (t) => {
    const { app } = await setup(t);
    const page = await fetch(`${app.url}/viz`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await page.text();
    // The bundle built on demand, or the hashed one of `npm run build` (src/web/assetRoutes.ts).
    assert.match(html, /<script src="\/(viz\/viz|assets\/viz-[0-9a-f]{12})\.js"/);
    // A data: URI (the inline icon) loads nothing, whatever namespace URL it names.
    assert.doesNotMatch(html.replace(/"data:[^"]*"/g, '""'), /https?:\/\//, 'nothing is loaded from elsewhere');
    const js = await fetch(`${app.url}/viz/viz.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    const code = await js.text();
    assert.ok(code.length > 5000);
    assert.match(code, /\/api\/machine\/graph/);
    const css = await fetch(`${app.url}/viz/viz.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
  });
});

describe('/ws/console', () => {
  test('refuses missing or invalid tokens', async (t) => {
    const { app } = await setup(t);
    const base = app.url.replace('http', 'ws');
    await assert.rejects(connect(`${base}/ws/console`), (e: any) => e.status === 401);
    await assert.rejects(connect(`${base}/ws/console?token=nope`), (e: any) => e.status === 401);
  });

  test('pushes transition, message and followups notices for contacts in scope only', async (t) => {
    const { core, contact, foreign, app } = await setup(t);
    const base = app.url.replace('http', 'ws');
    const admin = await connect(`${base}/ws/console?token=test-admin-token`);
    const mine = await connect(`${base}/ws/console?token=mine`);
    const narrowed = await connect(`${base}/ws/console?token=test-admin-token&contact=${foreign.id}`);
    t.after(() => {
      for (const c of [admin, mine, narrowed]) c.ws.close();
    });
    await admin.next((f) => f.type === 'hello');
    await mine.next((f) => f.type === 'hello');

    await core.services.runtime.inbound({ contactId: contact.id, text: 'busy now' });
    const transition = await admin.next((f) => f.type === 'transition' && f.contactId === contact.id);
    assert.deepEqual([transition.from, transition.to, transition.event], ['scheduled', 'busy', 'CONTACT_MESSAGE']);
    await admin.next((f) => f.type === 'message' && f.contactId === contact.id);
    await admin.next((f) => f.type === 'followups' && f.contactId === contact.id);
    await mine.next((f) => f.type === 'transition' && f.contactId === contact.id);

    await core.services.runtime.inbound({ contactId: foreign.id, text: 'hello again' });
    await admin.next((f) => f.type === 'transition' && f.contactId === foreign.id);
    await narrowed.next((f) => f.type === 'transition' && f.contactId === foreign.id);
    // Give any wrongly routed frame the chance to arrive before asserting its absence.
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!mine.frames.some((f) => f.contactId === foreign.id), 'a scoped operator never hears of other bots');
    assert.ok(!narrowed.frames.some((f) => f.contactId === contact.id), 'a narrowed socket hears only its contacts');

    // Subscription can change; bad frames get an error frame, not a disconnect.
    mine.ws.send(JSON.stringify({ type: 'subscribe', contactIds: [contact.id] }));
    await mine.next((f) => f.type === 'subscribed');
    mine.ws.send('not json');
    await mine.next((f) => f.type === 'error' && f.error.code === 'invalid_json');
    mine.ws.send(JSON.stringify({ type: 'ping' }));
    await mine.next((f) => f.type === 'pong');
  });

  test('handles only /ws/console and leaves other upgrade paths to their handlers', async (t) => {
    const core = makeCore(t);
    const server = createServer((_req, res) => res.end('ok'));
    const chat = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith('/ws/chat'))
        chat.handleUpgrade(req, socket, head, (ws) => ws.send(JSON.stringify({ type: 'chat-hello' })));
    });
    const consoleSocket = attachConsoleSocket(server, core.services, testVerifiers());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(async () => {
      await consoleSocket.close();
      chat.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });
    const port = (server.address() as { port: number }).port;
    const chatClient = await connect(`ws://127.0.0.1:${port}/ws/chat`);
    assert.equal((await chatClient.next((f) => f.type === 'chat-hello')).type, 'chat-hello');
    chatClient.ws.close();
    const consoleClient = await connect(`ws://127.0.0.1:${port}/ws/console?token=test-admin-token`);
    await consoleClient.next((f) => f.type === 'hello');
    assert.equal(consoleSocket.size, 1);
    const closed = new Promise((r) => consoleClient.ws.once('close', r));
    await consoleSocket.close();
    await closed;
    assert.equal(server.listenerCount('upgrade'), 1, 'close() removes our listener');
  });
});
