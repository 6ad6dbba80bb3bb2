import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { FakeClock, type Clock } from '../../src/clock.ts';
import type { ChannelsConfig } from '../../src/channels/config.ts';
import type { ClassifierStack } from '../../src/runtime/classifierStack.ts';
import type { Logger } from '../../src/log.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { labelCompose, tableClassify } from './core.ts';

export const tableStack: ClassifierStack = {
  mode: 'model',
  reason: 'test table classifier',
  classify: tableClassify,
  compose: labelCompose,
};

/** A real server on 127.0.0.1:0 with a real SQLite file in a temp dir, cleaned up after. */
export async function makeServer(
  t: TestContext,
  options: {
    clock?: Clock;
    stack?: ClassifierStack | null;
    dataDir?: string;
    responder?: boolean;
    channels?: ChannelsConfig;
    logger?: Logger;
    outboundAllow?: string;
  } = {},
): Promise<RunningServer & { dataDir: string }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'nudge-http-'));
  const server = await startServer({
    dataDir,
    port: 0,
    clock: options.clock ?? new FakeClock('2026-01-05T09:00:00Z'),
    adminToken: 'test-admin-token',
    ollamaHost: null,
    responder: options.responder ?? false,
    ...(options.channels ? { channels: options.channels } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.outboundAllow ? { outboundAllow: options.outboundAllow } : {}),
    ...(options.stack === null ? {} : { classifierStack: options.stack ?? tableStack }),
  });
  t.after(async () => {
    await server.close();
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return Object.assign(server, { dataDir });
}

export function api(server: RunningServer, token: string | null = 'test-admin-token') {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}${path}`, {
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
    return { status: response.status, body: json, headers: response.headers };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    patch: (path: string, body?: unknown) => call('PATCH', path, body),
    raw: call,
  };
}
