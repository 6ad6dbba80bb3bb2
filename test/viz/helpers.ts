/**
 * Test plumbing for the visualizer: an HTTP app carrying the viz routes and the console
 * socket on top of existing services (with whatever token verifiers a test needs), and a
 * real server (makeServer) that serves the visualizer — directly once the lead has wired
 * `registerVizRoutes` / `attachConsoleSocket` into src/server.ts, else through a companion
 * app on the same services and database.
 */
import Fastify from 'fastify';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { TestContext } from 'node:test';
import type { Clock } from '../../src/clock.ts';
import { adminTokenVerifier, hashSecret, type TokenVerifier } from '../../src/http/auth.ts';
import { installErrorHandling } from '../../src/http/errors.ts';
import type { NudgeServices } from '../../src/services.ts';
import { attachConsoleSocket } from '../../src/console/consoleSocket.ts';
import { registerVizRoutes } from '../../src/viz/routes.ts';

export interface VizApp {
  url: string;
  close(): Promise<void>;
}

/** The viz routes + console socket on their own port, over `services`. */
export async function startVizApp(
  t: TestContext,
  services: NudgeServices,
  verifiers: TokenVerifier[],
): Promise<VizApp> {
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  installErrorHandling(app);
  app.removeContentTypeParser('text/plain');
  registerVizRoutes(app, services, verifiers);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const socket = attachConsoleSocket(app.server, services, verifiers);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await socket.close();
    await app.close();
  };
  t.after(close);
  return { url: `http://127.0.0.1:${port}`, close };
}

/** Verifiers for tests: the admin token plus operators scoped to given bots. */
export function testVerifiers(scoped: Record<string, string[]> = {}): TokenVerifier[] {
  return [
    adminTokenVerifier(hashSecret('test-admin-token')),
    {
      verify(token) {
        const bots = scoped[token];
        return bots ? { operatorId: `op-${token}`, admin: false, botIds: bots } : null;
      },
    },
  ];
}

/**
 * A real server (API, scheduler, SQLite) plus the URL where its visualizer is served:
 * the server itself when src/server.ts wires the viz routes, else a companion app.
 */
export async function startServerWithViz(t: TestContext, options: { clock?: Clock } = {}) {
  // Imported lazily: the full server pulls in every subsystem, most viz tests need none.
  const { makeServer } = await import('../helpers/server.ts');
  const server = await makeServer(t, options);
  const probe = await fetch(`${server.url}/viz`);
  await probe.arrayBuffer();
  if (probe.status === 200) return { server, vizUrl: server.url, wired: true };
  const companion = await startVizApp(t, server.services, [adminTokenVerifier(hashSecret(server.adminToken))]);
  return { server, vizUrl: companion.url, wired: false };
}

export function authed(base: string, token: string | null = 'test-admin-token') {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { raw: text };
    }
    return { status: response.status, body: json, headers: response.headers, text };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
  };
}

/** Hashes of the database file and its WAL, and row counts of every table. */
export function databaseFingerprint(services: NudgeServices): {
  files: Record<string, string>;
  rows: Record<string, number>;
} {
  const path = services.db.name;
  const files: Record<string, string> = {};
  for (const file of [path, `${path}-wal`]) {
    try {
      statSync(file);
      files[file] = createHash('sha256').update(readFileSync(file)).digest('hex');
    } catch {
      files[file] = 'absent';
    }
  }
  const tables = services.db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
    .all() as Array<{ name: string }>;
  const rows: Record<string, number> = {};
  for (const { name } of tables)
    rows[name] = (services.db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n;
  return { files, rows };
}
