/**
 * Behind a reverse proxy (issue 25, fault 7) every visitor had the proxy's address and
 * shared its per-address limits: 20 of 30 distinct visitors got in. NUDGE_TRUST_PROXY (hops
 * or addresses/CIDRs, fastify's trustProxy semantics) now tells the HTTP API and the
 * live-chat gateway alike who the client is; without it the header is ignored, so a client
 * cannot pick its own address.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import WebSocket from 'ws';
import { FakeClock } from '../../src/clock.ts';
import { createLogger } from '../../src/log.ts';
import { parseTrustProxy } from '../../src/net/trustProxy.ts';
import { startServer } from '../../src/server.ts';
import { tableStack } from '../helpers/server.ts';

async function serverBehindProxy(t: TestContext, trustProxy: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'nudge-proxy-'));
  // The request log names the client as fastify sees it (request.ip).
  const lines: { req?: { url?: string; remoteAddress?: string } }[] = [];
  const logger = await createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  const server = await startServer({
    logger,
    dataDir,
    port: 0,
    clock: new FakeClock('2026-01-05T09:00:00Z'),
    adminToken: 'test-admin-token',
    ollamaHost: null,
    responder: false,
    classifierStack: tableStack,
    trustProxy,
    chatLimits: { maxConnectionsPerIp: 2 },
  });
  t.after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  /** The client address the HTTP API saw for a request forwarded for `client`. */
  const apiSees = async (client: string) => {
    await fetch(`${server.url}/api/health?as=${client}`, { headers: { 'x-forwarded-for': client } }).then((r) =>
      r.arrayBuffer(),
    );
    return lines.find((line) => line.req?.url === `/api/health?as=${client}`)?.req?.remoteAddress;
  };
  return Object.assign(server, { apiSees });
}

/** Opens a widget socket as the proxy would, forwarding for `client`; resolves to the HTTP status of a refusal, or 101. */
function openAs(url: string, origin: string, client: string, sockets: WebSocket[]): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin, headers: { 'x-forwarded-for': client } });
    sockets.push(ws);
    ws.once('open', () => resolve(101));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}

test('with NUDGE_TRUST_PROXY the live-chat limits count each forwarded client, not the proxy', async (t) => {
  const server = await serverBehindProxy(t, 'loopback');
  const key = server.services.store.getBot(server.demoBotId)!.widget_key;
  const url = `${server.url.replace('http', 'ws')}/ws/chat?botKey=${key}`;
  const sockets: WebSocket[] = [];
  t.after(() => sockets.forEach((ws) => ws.terminate()));
  const statuses = [];
  for (let i = 1; i <= 6; i++) statuses.push(await openAs(url, server.url, `203.0.113.${i}`, sockets));
  assert.deepEqual(
    statuses,
    [101, 101, 101, 101, 101, 101],
    'six visitors behind one proxy all get in (limit 2 per address)',
  );
  // One client still has its own limit.
  assert.equal(await openAs(url, server.url, '203.0.113.1', sockets), 101);
  assert.equal(await openAs(url, server.url, '203.0.113.1', sockets), 429);
  // The HTTP API sees the same client.
  assert.equal(await server.apiSees('198.51.100.7'), '198.51.100.7');
});

test('without it the forwarded header is ignored: a client cannot choose its address', async (t) => {
  const server = await serverBehindProxy(t, '');
  const key = server.services.store.getBot(server.demoBotId)!.widget_key;
  const url = `${server.url.replace('http', 'ws')}/ws/chat?botKey=${key}`;
  const sockets: WebSocket[] = [];
  t.after(() => sockets.forEach((ws) => ws.terminate()));
  const statuses = [];
  for (let i = 1; i <= 3; i++) statuses.push(await openAs(url, server.url, `203.0.113.${i}`, sockets));
  assert.deepEqual(statuses, [101, 101, 429]);
  assert.equal(await server.apiSees('198.51.100.7'), '127.0.0.1');
});

test('NUDGE_TRUST_PROXY takes hops or addresses/CIDRs and refuses anything else by name', () => {
  const hops = parseTrustProxy('1')!;
  assert.equal(hops('10.0.0.1', 0), true);
  assert.equal(hops('10.0.0.1', 1), false);
  const cidrs = parseTrustProxy('10.0.0.0/8, loopback')!;
  assert.equal(cidrs('10.1.2.3', 0), true);
  assert.equal(cidrs('127.0.0.1', 0), true);
  assert.equal(cidrs('203.0.113.9', 0), false);
  assert.equal(parseTrustProxy(' '), null);
  for (const bad of ['0', '11', 'proxy.example', '10.0.0.0/99'])
    assert.throws(() => parseTrustProxy(bad), /NUDGE_TRUST_PROXY must be/);
});
