/**
 * Test plumbing for the console: the same pieces src/server.ts wires — the core API, the
 * console routes, the console WebSocket and the production send planner, with the admin
 * token and the operator-token verifier — on a real SQLite file, a FakeClock and the table classifier
 * ("busy…" → busy, "call me at+90" → request_time in 90 min, "stop" → not_interested,
 * "booked" → booked). Composed here rather than through startServer so these tests only
 * depend on what they test.
 */
import Fastify from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { FakeClock } from '../../src/clock.ts';
import { registerApi } from '../../src/http/api.ts';
import { adminTokenVerifier, hashSecret, type TokenVerifier } from '../../src/http/auth.ts';
import { installErrorHandling } from '../../src/http/errors.ts';
import { createServices, type NudgeServices } from '../../src/services.ts';
import { createSendPlanner } from '../../src/delivery/planSend.ts';
import { attachConsoleSocket } from '../../src/console/consoleSocket.ts';
import { operatorTokenVerifier } from '../../src/console/operators.ts';
import { registerConsole } from '../../src/console/routes.ts';
import { botConfig, labelCompose, settle, tableClassify } from '../helpers/core.ts';
import type { ClassifyFn } from '../../src/runtime/runtime.ts';

export const ADMIN = 'test-admin-token';

export class FakePresence {
  readonly open = new Set<string>();
  isConnected(contactId: string): boolean {
    return this.open.has(contactId);
  }
}

export interface ConsoleServer {
  url: string;
  services: NudgeServices;
  clock: FakeClock;
  botId: string;
  presence: FakePresence;
  verifiers: TokenVerifier[];
  settle(): Promise<void>;
  /** Advance the fake clock, delivering each due follow-up in order. */
  advance(ms: number): Promise<void>;
}

export async function startConsoleServer(
  t: TestContext,
  options: { clock?: FakeClock; config?: Record<string, unknown>; classify?: ClassifyFn } = {},
): Promise<ConsoleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-console-'));
  const clock = options.clock ?? new FakeClock('2026-01-05T09:00:00Z'); // a Monday
  const presence = new FakePresence();
  // The production send planner (switching, quiet hours), with presence the test controls.
  const services = createServices({
    dbPath: join(dir, 'nudge.sqlite'),
    clock,
    classify: options.classify ?? tableClassify,
    compose: labelCompose,
    planSend: (store) => createSendPlanner(store, presence),
  });
  const verifiers = [adminTokenVerifier(hashSecret(ADMIN)), operatorTokenVerifier(services.db)];
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  installErrorHandling(app);
  app.removeContentTypeParser('text/plain');
  registerApi(app, services, verifiers);
  await registerConsole(app, services, { verifiers, presence });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const socket = attachConsoleSocket(app.server, services, verifiers);
  services.scheduler.start();
  const bot = services.createBot(botConfig(options.config ?? {}));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  t.after(async () => {
    await socket.close();
    await app.close();
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const server: ConsoleServer = {
    url: `http://127.0.0.1:${port}`,
    services,
    clock,
    botId: bot.id,
    presence,
    verifiers,
    settle: () => settle(services),
    async advance(ms: number) {
      const target = clock.now() + ms;
      for (;;) {
        await settle(services);
        const next = services.scheduler.nextDue();
        if (!next || next.due_at > target) break;
        clock.advanceTo(Math.max(clock.now(), next.due_at));
        await settle(services);
      }
      clock.advanceTo(target);
      await settle(services);
    },
  };
  return server;
}

export interface Reply {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export function client(base: string, token: string | null = ADMIN) {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> => {
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
      json = null;
    }
    return { status: response.status, body: json, text, headers: response.headers };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    patch: (path: string, body?: unknown) => call('PATCH', path, body),
    delete: (path: string) => call('DELETE', path),
    call,
  };
}

/** Creates an operator through the API; returns its id and token. */
export async function createOperator(
  server: ConsoleServer,
  name: string,
  botIds: string[],
  admin = false,
): Promise<{ id: string; token: string }> {
  const res = await client(server.url).post('/api/operators', { name, botIds, admin });
  if (res.status !== 201) throw new Error(`could not create operator: ${res.status} ${res.text}`);
  return { id: res.body.operator.id, token: res.body.token };
}

/** A contact with a conversation: created, then the given inbound texts (and bot replies between). */
export async function contactSaying(
  server: ConsoleServer,
  fields: Record<string, unknown>,
  ...texts: string[]
): Promise<string> {
  const http = client(server.url);
  const created = await http.post(`/api/bots/${server.botId}/contacts`, fields);
  if (created.status !== 201) throw new Error(`could not create contact: ${created.status} ${created.text}`);
  for (const text of texts) {
    const res = await http.post(`/api/contacts/${created.body.id}/messages/inbound`, { text });
    if (res.status !== 201) throw new Error(`inbound failed: ${res.status} ${res.text}`);
  }
  return created.body.id as string;
}
