/**
 * Bad input, fuzzed: a few hundred WebSocket frames and HTTP bodies (random JSON, wrong
 * types, huge strings, deep nesting, invalid UTF-8, binary frames/bodies, oversized
 * frames/bodies, wrong content types — test/faults/lib/fuzzArbitraries.ts) against a real
 * server on 127.0.0.1 with a real SQLite file. For every case:
 *
 * - the server answers with a clear error: WS `error` frame with a documented code and a
 *   message, or a documented close code (1007 / 1008 / 1009); HTTP 4xx with a JSON
 *   `{error: {code, message}}` body — the specific one where the protocol names it;
 * - stored data is unchanged (row count + checksum of every table, before and after);
 * - the server still answers /api/health (checked along the way and at the end).
 *
 * fast-check seed: NUDGE_FAULT_SEED (default fixed, printed); case counts:
 * NUDGE_FUZZ_WS_RUNS / NUDGE_FUZZ_HTTP_RUNS (default 300 each).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { FakeClock } from '../../src/clock.ts';
import type { ChannelsConfig } from '../../src/channels/config.ts';
import { ERROR_CODES } from '../../src/gateway/protocol.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { fingerprint, integrity } from './lib/dbCheck.ts';
import {
  HTTP_ROUTES,
  httpCases,
  wsCases,
  withInvalidUtf8,
  type HttpCase,
  type HttpRoute,
  type WsCase,
} from './lib/fuzzArbitraries.ts';

const SEED = Number(process.env.NUDGE_FAULT_SEED ?? 20260105);
const WS_RUNS = Number(process.env.NUDGE_FUZZ_WS_RUNS ?? 300);
const HTTP_RUNS = Number(process.env.NUDGE_FUZZ_HTTP_RUNS ?? 300);
const TOKEN = 'fuzz-admin-token';
const DOCUMENTED_CLOSE = new Set([1007, 1008, 1009]);

/** Channels configured (loopback-only fake endpoints that are never called), so the webhooks verify signatures. */
const CHANNELS: ChannelsConfig = {
  publicUrl: 'http://127.0.0.1:9',
  sms: {
    provider: 'twilio',
    accountSid: 'AC00000000000000000000000000000001',
    authToken: 'fuzz-twilio-token',
    from: '+15550001111',
    baseUrl: 'http://127.0.0.1:9',
    timeoutMs: 1000,
  },
  meta: {
    appSecret: 'fuzz-app-secret',
    verifyToken: 'fuzz-verify',
    baseUrl: 'http://127.0.0.1:9',
    timeoutMs: 1000,
    facebook: null,
    instagram: null,
    whatsapp: null,
  },
};

interface Fixture {
  server: RunningServer;
  botId: string;
  widgetKey: string;
  origin: string;
  contactId: string;
  followUpId: string;
  visitorToken: string;
}

async function call(server: RunningServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function setUp(t: TestContext): Promise<Fixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nudge-fuzz-'));
  const server = await startServer({
    dataDir,
    port: 0,
    clock: new FakeClock('2026-01-05T09:00:00Z'), // nothing falls due while fuzzing
    adminToken: TOKEN,
    ollamaHost: null,
    responder: false,
    channels: CHANNELS,
    chatLimits: {
      // One connection per case from one address: lift the per-IP and rate limits, keep the sizes.
      perConnection: { burst: 10_000, perSecond: 10_000 },
      perIp: { burst: 100_000, perSecond: 100_000 },
      connectsPerIp: { burst: 100_000, perSecond: 100_000 },
      maxConnectionsPerIp: 10_000,
    },
  });
  t.after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const botId = server.demoBotId;
  const bot = (await call(server, 'GET', `/api/bots/${botId}`)).body;
  const contact = (
    await call(server, 'POST', `/api/bots/${botId}/contacts`, { name: 'Fuzz Target', phone: '+14155552671' })
  ).body;
  const inbound = await call(server, 'POST', `/api/contacts/${contact.id}/messages/inbound`, {
    text: "I'm busy right now, driving",
    clientId: 'seed-1',
  });
  assert.equal(inbound.status, 201);
  const detail = (await call(server, 'GET', `/api/contacts/${contact.id}`)).body;
  const followUpId = detail.pendingFollowUps[0]?.id;
  assert.ok(followUpId, 'the fixture has a pending follow-up');
  const origin = new URL(server.url).origin;
  const visitor = await openWidget(server, bot.widgetKey, origin);
  visitor.ws.terminate();
  return {
    server,
    botId,
    widgetKey: bot.widgetKey,
    origin,
    contactId: contact.id,
    followUpId,
    visitorToken: visitor.token,
  };
}

/** Opens /ws/chat and says hello (with a token when given); resolves after welcome. */
function openWidget(
  server: RunningServer,
  widgetKey: string,
  origin: string,
  token?: string,
): Promise<{ ws: WebSocket; token: string; frames: any[] }> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/chat?botKey=${encodeURIComponent(widgetKey)}`, {
    origin,
    perMessageDeflate: false,
  });
  const frames: any[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no welcome')), 5000);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', ...(token ? { visitorToken: token } : {}) })));
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      frames.push(frame);
      if (frame.type === 'welcome') {
        clearTimeout(timer);
        resolve({ ws, token: frame.visitorToken, frames });
      }
    });
    ws.on('error', reject);
    ws.on('close', (code) => reject(new Error(`closed ${code} before welcome`)));
  });
}

interface WsOutcome {
  error?: { code: string; message: string };
  close?: number;
}

async function runWsCase(f: Fixture, c: WsCase): Promise<WsOutcome> {
  const ws = new WebSocket(`${f.server.url.replace('http', 'ws')}/ws/chat?botKey=${encodeURIComponent(f.widgetKey)}`, {
    origin: f.origin,
    perMessageDeflate: false,
  });
  try {
    return await new Promise<WsOutcome>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within 5 s to ${c.family}`)), 5000);
      const done = (o: WsOutcome) => {
        clearTimeout(timer);
        resolve(o);
      };
      let ready = !c.afterHello;
      const fire = () => {
        const p = c.payload;
        if (p.kind === 'text') ws.send(p.data);
        else ws.send(Buffer.from(p.data), { binary: p.kind === 'binary' });
      };
      ws.on('open', () => {
        if (c.afterHello) ws.send(JSON.stringify({ type: 'hello', visitorToken: f.visitorToken }));
        else fire();
      });
      ws.on('message', (data, isBinary) => {
        if (isBinary) return reject(new Error('binary frame from the server'));
        const frame = JSON.parse(data.toString());
        if (!ready) {
          if (frame.type === 'welcome') {
            ready = true;
            fire();
          } else if (frame.type === 'error') reject(new Error(`hello refused: ${frame.code}`));
          return; // replayed messages
        }
        if (frame.type === 'error') done({ error: { code: frame.code, message: frame.message } });
        else if (frame.type !== 'message') reject(new Error(`unexpected ${frame.type} frame in answer to ${c.family}`));
      });
      ws.on('close', (code) => done({ close: code }));
      ws.on('error', () => {}); // the close that follows carries the code
    });
  } finally {
    ws.terminate();
  }
}

function checkWsOutcome(c: WsCase, o: WsOutcome): void {
  if (o.error) {
    assert.ok((ERROR_CODES as readonly string[]).includes(o.error.code), `undocumented error code ${o.error.code}`);
    assert.notEqual(o.error.code, 'internal', `the server failed on ${c.family}: ${o.error.message}`);
    assert.ok(typeof o.error.message === 'string' && o.error.message.length > 0, 'error frame without a message');
  } else {
    assert.ok(
      o.close !== undefined && DOCUMENTED_CLOSE.has(o.close),
      `closed with ${o.close} (documented: 1007, 1008, 1009)`,
    );
  }
  if (c.expect && 'error' in c.expect)
    assert.equal(
      o.error?.code,
      c.expect.error,
      `${c.family}: expected error ${c.expect.error}, got ${JSON.stringify(o)}`,
    );
  if (c.expect && 'close' in c.expect)
    assert.equal(o.close, c.expect.close, `${c.family}: expected close ${c.expect.close}, got ${JSON.stringify(o)}`);
}

function pathOf(f: Fixture, path: string): string {
  return path
    .replace(':bot', f.botId)
    .replace(':contact', f.contactId)
    .replace(':followup', encodeURIComponent(f.followUpId));
}

async function runHttpCase(f: Fixture, c: HttpCase) {
  const response = await fetch(`${f.server.url}${pathOf(f, c.route.path)}`, {
    method: c.route.method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(c.contentType ? { 'content-type': c.contentType } : {}) },
    body: typeof c.body === 'string' ? c.body : Buffer.from(c.body),
  });
  const text = await response.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    // checked below
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, body };
}

async function healthy(f: Fixture): Promise<void> {
  const response = await fetch(`${f.server.url}/api/health`);
  assert.equal(response.status, 200, 'the server still answers /api/health');
  await response.arrayBuffer();
}

test(
  `fuzzed WebSocket frames and HTTP bodies: no crash, a clear error each, nothing stored (seed ${SEED})`,
  { timeout: 180_000 },
  async (t) => {
    t.diagnostic(
      `fast-check seed ${SEED} (rerun with NUDGE_FAULT_SEED=${SEED}); ${WS_RUNS} WebSocket cases, ${HTTP_RUNS} HTTP cases`,
    );
    const f = await setUp(t);
    const db = f.server.services.db;
    const initial = fingerprint(db);
    const families = new Map<string, number>();
    const count = (family: string) => families.set(family, (families.get(family) ?? 0) + 1);

    // Each part compares with the data as it found it, so one failure does not cascade.
    await t.test('WebSocket frames', async () => {
      const baseline = fingerprint(db);
      let n = 0;
      await fc.assert(
        fc.asyncProperty(wsCases(), async (c) => {
          count(`ws:${c.family}`);
          const outcome = await runWsCase(f, c);
          checkWsOutcome(c, outcome);
          assert.deepEqual(fingerprint(db), baseline, `${c.family} changed stored data`);
          if (++n % 50 === 0) await healthy(f);
        }),
        { seed: SEED, numRuns: WS_RUNS, endOnFailure: true },
      );
    });

    await t.test('HTTP bodies', async () => {
      const baseline = fingerprint(db);
      let n = 0;
      await fc.assert(
        fc.asyncProperty(httpCases(), async (c) => {
          count(`http:${c.family}`);
          const r = await runHttpCase(f, c);
          const what = `${c.family} → ${c.route.method} ${c.route.path}`;
          assert.ok(r.status >= 400 && r.status < 500, `${what}: status ${r.status} ${r.text.slice(0, 300)}`);
          if (c.expectStatus) assert.equal(r.status, c.expectStatus, `${what}: ${r.text.slice(0, 300)}`);
          assert.match(r.contentType, /^application\/json/, `${what}: content type ${r.contentType}`);
          assert.ok(
            typeof r.body?.error?.code === 'string' && r.body.error.code.length > 0,
            `${what}: no error code in ${r.text.slice(0, 200)}`,
          );
          assert.ok(
            typeof r.body?.error?.message === 'string' && r.body.error.message.length > 0,
            `${what}: no error message`,
          );
          assert.deepEqual(fingerprint(db), baseline, `${what} changed stored data`);
          if (++n % 50 === 0) await healthy(f);
        }),
        { seed: SEED, numRuns: HTTP_RUNS, endOnFailure: true },
      );
    });

    await t.test('unsigned and malformed provider webhooks', async () => {
      const baseline = fingerprint(db);
      // Not fuzzed field by field (signatures gate everything): the families that matter.
      const cases: { path: string; body: string | Uint8Array; contentType: string; status: number }[] = [
        {
          path: `/webhooks/sms/${f.botId}`,
          body: 'From=%2B14155552671&To=%2B15550001111&Body=hi&MessageSid=SM1',
          contentType: 'application/x-www-form-urlencoded',
          status: 403,
        },
        {
          path: `/webhooks/sms/${f.botId}`,
          body: '{"From":"+14155552671"}',
          contentType: 'application/json',
          status: 415,
        },
        {
          path: `/webhooks/sms/${f.botId}`,
          body: withInvalidUtf8('From=x&Body=y', 0, 7),
          contentType: 'application/x-www-form-urlencoded',
          status: 403,
        },
        {
          path: `/webhooks/sms/${f.botId}`,
          body: `Body=${'b'.repeat(70_000)}`,
          contentType: 'application/x-www-form-urlencoded',
          status: 413,
        },
        {
          path: '/webhooks/sms/..%2F..%2Fetc',
          body: 'Body=x',
          contentType: 'application/x-www-form-urlencoded',
          status: 404,
        },
        {
          path: `/webhooks/meta/${f.botId}`,
          body: '{"object":"page","entry":[]}',
          contentType: 'application/json',
          status: 403,
        },
        {
          path: `/webhooks/meta/${f.botId}`,
          body: Uint8Array.from([0xff, 0x00, 0x01]),
          contentType: 'application/octet-stream',
          status: 415,
        },
        { path: `/webhooks/meta/${f.botId}`, body: '['.repeat(50_000), contentType: 'application/json', status: 403 },
      ];
      for (const c of cases) {
        const response = await fetch(`${f.server.url}${c.path}`, {
          method: 'POST',
          headers: { 'content-type': c.contentType },
          body: typeof c.body === 'string' ? c.body : Buffer.from(c.body),
        });
        const text = await response.text();
        assert.equal(response.status, c.status, `${c.path} (${c.contentType}): ${text.slice(0, 200)}`);
        const body = JSON.parse(text);
        assert.ok(body.error?.code && body.error?.message, `${c.path}: ${text.slice(0, 200)}`);
        assert.deepEqual(fingerprint(db), baseline, `${c.path} changed stored data`);
      }
    });

    await healthy(f);
    assert.deepEqual(fingerprint(db), initial, 'stored data changed');
    assert.deepEqual(integrity(db), []);
    t.diagnostic(`cases by family: ${JSON.stringify(Object.fromEntries([...families].sort()))}`);
  },
);

/** One representative value of each JSON type, for the exhaustive wrong-type sweep. */
const REPRESENTATIVES: Record<string, unknown[]> = {
  string: ['', 'x'],
  number: [0, 5, -1.5],
  boolean: [true, false],
  null: [null],
  array: [[], [1]],
  object: [{}, { a: 1 }],
};

test('every known field of every API route, given each wrong JSON type: 400, nothing stored', async (t) => {
  // The random families above sample this space; this sweep covers it once, exhaustively.
  const f = await setUp(t);
  const db = f.server.services.db;
  const accepted: string[] = [];
  let cases = 0;
  for (const route of HTTP_ROUTES) {
    for (const [field, allowed] of Object.entries(route.fields)) {
      for (const [type, values] of Object.entries(REPRESENTATIVES)) {
        if (allowed.includes(type)) continue;
        for (const value of values) {
          cases++;
          const before = JSON.stringify(fingerprint(db)); // per case: one accepted body must not blame the next
          const body = JSON.stringify({ ...(route.valid as object), [field]: value });
          const r = await runHttpCase(f, { family: 'wrong-type-sweep', route, body, contentType: 'application/json' });
          const changed = JSON.stringify(fingerprint(db)) !== before;
          if (r.status !== 400 || !r.body?.error?.code || changed) {
            accepted.push(
              `${route.method} ${route.path} ${body.slice(0, 80)} → ${r.status}${changed ? ' and stored data changed' : ''}`,
            );
          }
        }
      }
    }
  }
  t.diagnostic(`${cases} wrong-type bodies`);
  assert.deepEqual(accepted, [], `${accepted.length} wrong-typed bodies were not refused with 400`);
});

test('invalid UTF-8 in an otherwise valid JSON body is refused with 400, not stored with U+FFFD', async (t) => {
  // The WebSocket refuses invalid UTF-8 (close 1007); the HTTP API must not quietly store
  // replacement characters instead of what the client sent.
  const f = await setUp(t);
  const before = fingerprint(f.server.services.db);
  const body = Buffer.concat([Buffer.from('{"text":"hello '), Buffer.from([0xff, 0xfe]), Buffer.from(' there"}')]);
  const r = await runHttpCase(f, {
    family: 'invalid-utf8-valid-body',
    route: { method: 'POST', path: '/api/contacts/:contact/messages/inbound', fields: {}, strings: [], valid: {} },
    body,
    contentType: 'application/json',
  });
  assert.equal(r.status, 400, `invalid UTF-8 was accepted: ${r.status} ${r.text.slice(0, 300)}`);
  assert.ok(typeof r.body?.error?.code === 'string' && r.body.error.message, r.text);
  assert.deepEqual(fingerprint(f.server.services.db), before, 'nothing may be stored');
});

test('a prototype key in an otherwise valid JSON body is refused with 400 invalid_json, as fastify refuses it, and nothing is stored', async (t) => {
  const f = await setUp(t);
  const before = fingerprint(f.server.services.db);
  const route: HttpRoute = {
    method: 'POST',
    path: '/api/contacts/:contact/messages/inbound',
    fields: {},
    strings: [],
    valid: {},
  };
  for (const body of [
    '{"text":"hello","__proto__":{"admin":true}}',
    '{"text":"hello","constructor":{"prototype":{"admin":true}}}',
  ]) {
    const r = await runHttpCase(f, { family: 'prototype-key', route, body, contentType: 'application/json' });
    assert.deepEqual([r.status, r.body?.error?.code], [400, 'invalid_json'], r.text);
    assert.match(r.body.error.message, /forbidden prototype property/);
  }
  // The same words without the poisoning shape are just text.
  const plain = await runHttpCase(f, {
    family: 'prototype-words',
    route,
    body: '{"text":"my __proto__ and constructor"}',
    contentType: 'application/json',
  });
  assert.equal(plain.status, 201, plain.text);
  assert.notDeepEqual(fingerprint(f.server.services.db), before, 'the plain message is stored');
});
