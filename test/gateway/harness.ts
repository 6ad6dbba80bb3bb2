/**
 * Real-socket test harness: a node:http server on 127.0.0.1:0 with the chat gateway and
 * the in-memory backend, plus a small frame-queue client on top of `ws`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { WebSocket } from 'ws';
import { FakeClock } from '../../src/clock.ts';
import {
  createChatGateway,
  type ChatGateway,
  type GatewayLimits,
  type GatewayLogger,
} from '../../src/gateway/chatGateway.ts';
import { FakeBackend } from './fakeBackend.ts';

export const SECRET = Buffer.alloc(32, 7);
export const SHOP_ORIGIN = 'https://shop.example';
export const OTHER_ORIGIN = 'https://other.example';

export type Frame = Record<string, any>;

export interface CloseInfo {
  code: number;
  reason: string;
}

/** Safety net so a broken test fails instead of hanging; not timer logic under test. */
const WAIT_MS = 5000;

export class TestClient {
  readonly frames: Frame[] = [];
  private waiter: (() => void) | null = null;
  readonly closed: Promise<CloseInfo>;
  pings = 0;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      this.frames.push(isBinary ? { binary: true } : JSON.parse(data.toString()));
      this.wake();
    });
    ws.on('ping', () => {
      this.pings++;
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.wake();
        resolve({ code, reason: reason.toString() });
      }),
    );
    ws.on('error', () => {});
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Waits until `check` holds, re-checking after every socket event. */
  async until<T>(check: () => T | undefined | false, what: string): Promise<T> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const v = check();
      if (v !== undefined && v !== false) return v as T;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 50).unref();
      });
    }
  }

  /** Removes and returns the next frame (optionally of `type`; frames of other types before it are an error). */
  async next(type?: string): Promise<Frame> {
    const frame = await this.until(() => (this.frames.length ? this.frames[0] : undefined), `a ${type ?? ''} frame`);
    this.frames.shift();
    if (type !== undefined && frame.type !== type)
      throw new Error(`expected a ${type} frame, got ${JSON.stringify(frame)}`);
    return frame;
  }

  send(frame: Frame | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Round-trips a ping: every frame the server sent before reading it has arrived. */
  async barrier(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.ws.once('pong', () => resolve());
      this.ws.ping((err?: Error) => err && reject(err));
    });
  }

  isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }
}

export interface ConnectOptions {
  /** null sends no Origin header. Default SHOP_ORIGIN. */
  origin?: string | null;
  /** Query string after `?`, e.g. `botKey=key-1`. */
  query?: string;
  path?: string;
  autoPong?: boolean;
}

export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade refused with ${status}: ${body}`);
  }
}

export interface Harness {
  backend: FakeBackend;
  clock: FakeClock;
  gateway: ChatGateway;
  server: Server;
  port: number;
  logs: Array<{ level: string; msg: string }>;
  connect(options?: ConnectOptions): Promise<TestClient>;
  /** Connects and completes hello; returns the client and its welcome frame. */
  visitor(hello?: Frame, options?: ConnectOptions): Promise<{ client: TestClient; welcome: Frame }>;
}

export async function startGateway(
  t: TestContext,
  options: { limits?: Partial<GatewayLimits>; onVisitorTyping?: (contactId: string, typing: boolean) => void } = {},
): Promise<Harness> {
  const clock = new FakeClock();
  const backend = new FakeBackend(() => clock.now());
  backend.addBot('bot-1', 'key-1', [SHOP_ORIGIN]);
  backend.addBot('bot-2', 'key-2', [OTHER_ORIGIN]);
  backend.addBot('bot-any', 'key-any', ['*']);
  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const logs: Array<{ level: string; msg: string }> = [];
  const logger: GatewayLogger = {
    info: (_o, msg) => logs.push({ level: 'info', msg }),
    warn: (_o, msg) => logs.push({ level: 'warn', msg }),
    error: (_o, msg) => logs.push({ level: 'error', msg }),
  };
  const gatewayOptions: Parameters<typeof createChatGateway>[0] = { server, backend, secret: SECRET, clock, logger };
  if (options.limits) gatewayOptions.limits = options.limits;
  if (options.onVisitorTyping) gatewayOptions.onVisitorTyping = options.onVisitorTyping;
  const gateway = createChatGateway(gatewayOptions);
  const clients = new Set<TestClient>();

  t.after(async () => {
    for (const c of clients) c.ws.terminate();
    await gateway.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function connect(o: ConnectOptions = {}): Promise<TestClient> {
    const url = `ws://127.0.0.1:${port}${o.path ?? '/ws/chat'}${o.query ? `?${o.query}` : ''}`;
    const origin = o.origin === undefined ? SHOP_ORIGIN : o.origin;
    const wsOptions: ConstructorParameters<typeof WebSocket>[2] = { autoPong: o.autoPong ?? true };
    if (origin !== null) wsOptions.origin = origin;
    const ws = new WebSocket(url, wsOptions);
    const client = new TestClient(ws);
    clients.add(client);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => reject(new UpgradeRefused(res.statusCode ?? 0, body)));
        res.on('error', () => reject(new UpgradeRefused(res.statusCode ?? 0, body)));
      });
      ws.once('error', (err) => reject(err));
    });
  }

  async function visitor(hello: Frame = {}, o: ConnectOptions = {}): Promise<{ client: TestClient; welcome: Frame }> {
    const client = await connect(o);
    client.send({ type: 'hello', botKey: 'key-1', ...hello });
    const welcome = await client.next('welcome');
    return { client, welcome };
  }

  return { backend, clock, gateway, server, port, logs, connect, visitor };
}

/** Polls `check` between event-loop turns (for server-side state that follows socket events). */
export async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
