/**
 * Real node processes (./nodeApp.ts) on one throwaway PostgreSQL, and widgets that talk to
 * them: started, killed with SIGKILL, paused with SIGSTOP, as a load balancer's backends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { migratePostgres } from '../../../src/store/postgres/migrate.ts';
import { createPool } from '../../../src/store/postgres/pool.ts';
import { PgStore } from '../../../src/store/postgres/pgStore.ts';
import type pg from 'pg';

const APP = fileURLToPath(new URL('./nodeApp.ts', import.meta.url));

export interface NodeHandle {
  nodeId: string;
  port: number;
  process: ChildProcess;
  alive: boolean;
  stderr: string[];
}

/** Starts a node process and resolves once it listens (it has joined and taken its first partitions). */
export async function startNode(url: string, nodeId: string, env: Record<string, string>): Promise<NodeHandle> {
  const child = spawn(process.execPath, ['--import', 'tsx', APP], {
    env: { ...process.env, ...env, NUDGE_DATABASE_URL: url, NUDGE_NODE_ID: nodeId },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const handle: NodeHandle = { nodeId, port: 0, process: child, alive: true, stderr: [] };
  child.stderr?.on('data', (chunk: Buffer) => {
    handle.stderr.push(String(chunk));
    if (handle.stderr.length > 200) handle.stderr.shift();
  });
  child.on('exit', () => (handle.alive = false));
  handle.port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${nodeId} did not start: ${handle.stderr.join('')}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += String(chunk);
      const match = /READY (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${nodeId} exited with ${code}: ${handle.stderr.join('')}`));
    });
  });
  return handle;
}

/** SIGKILL and wait for the exit. */
export async function killNode(node: NodeHandle): Promise<void> {
  if (!node.alive) return;
  const exited = new Promise((resolve) => node.process.once('exit', resolve));
  node.process.kill('SIGKILL');
  await exited;
}

export interface Health {
  nodeId: string;
  partitions: number[];
  members: string[];
  work: { eventsApplied: number; fired: number; fenced: number; failures: number };
}

export async function health(node: NodeHandle): Promise<Health> {
  try {
    const response = await fetch(`http://127.0.0.1:${node.port}/health`);
    return (await response.json()) as Health;
  } catch (error) {
    const tail = node.stderr.join('').slice(-2_000);
    throw new Error(`${node.nodeId} (${node.alive ? 'alive' : 'exited'}) did not answer: ${tail}`, { cause: error });
  }
}

/** A migrated database with one bot and `count` contacts; returns a pool on it and the contact ids. */
export async function seedDatabase(
  url: string,
  partitions: number,
  count: number,
): Promise<{ pool: pg.Pool; contacts: string[] }> {
  const pool = createPool({ url, poolSize: 4 }, 'test-driver');
  await migratePostgres(pool);
  const store = new PgStore(pool, { partitions });
  const now = Date.now();
  await store.insertBot({
    id: 'bot_1',
    name: 'Cluster test',
    widget_key: 'wk_cluster',
    allowed_origins: '[]',
    config: '{}',
    created_at: now,
    updated_at: now,
  });
  const contacts = Array.from({ length: count }, (_, i) => `c_${String(i).padStart(4, '0')}`);
  for (const id of contacts) {
    await store.insertContact(
      {
        id,
        bot_id: 'bot_1',
        name: null,
        phone: null,
        email: null,
        timezone: null,
        state: 'active',
        last_channel: 'livechat',
        created_at: now,
        updated_at: now,
      },
      {},
    );
  }
  return { pool, contacts };
}

/**
 * One widget of one contact: sends a message, waits for its ack, and sends the same
 * client id again after a reconnect when the ack never came. Remembers every sequence
 * number it was sent, to check that a resumed socket replays exactly what it missed.
 */
export class Widget {
  socket: WebSocket | null = null;
  node: NodeHandle | null = null;
  /** Client ids acknowledged, and the one awaiting its ack. */
  readonly acked: string[] = [];
  unacked: string | null = null;
  /** Every seq received, in order (a duplicate shows twice). */
  readonly received: number[] = [];
  readonly followUpsSeen = new Set<number>();
  connects = 0;
  private counter = 0;
  private ackWaiter: ((ok: boolean) => void) | null = null;

  constructor(readonly contactId: string) {}

  get lastSeq(): number {
    return this.received.length ? Math.max(...this.received) : 0;
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Opens a socket on `node`, resuming after the last seq received; resolves on hello. */
  async connect(node: NodeHandle): Promise<void> {
    const socket = new WebSocket(`ws://127.0.0.1:${node.port}/?contact=${this.contactId}&after=${this.lastSeq}`);
    this.socket = socket;
    this.node = node;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.contactId}: no hello from ${node.nodeId}`)), 10_000);
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string; seq?: number; sender?: string; clientId?: string };
        if (frame.type === 'hello') {
          clearTimeout(timer);
          this.connects++;
          resolve();
        } else if (frame.type === 'message') {
          this.received.push(frame.seq as number);
          if (frame.sender === 'bot') this.followUpsSeen.add(frame.seq as number);
        } else if (frame.type === 'ack' && frame.clientId === this.unacked) {
          this.acked.push(frame.clientId);
          this.unacked = null;
          this.ackWaiter?.(true);
        } else if (frame.type === 'error') {
          this.ackWaiter?.(false);
        }
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        clearTimeout(timer);
        this.ackWaiter?.(false);
        reject(new Error(`${this.contactId}: closed before hello`));
      });
    });
  }

  /** Sends the next message (or the unacknowledged one again); true once acknowledged. */
  async send(timeoutMs = 5_000): Promise<boolean> {
    if (!this.connected) return false;
    this.unacked ??= `${this.contactId}-${++this.counter}`;
    const acked = new Promise<boolean>((resolve) => {
      this.ackWaiter = resolve;
      setTimeout(() => resolve(false), timeoutMs).unref();
    });
    this.socket?.send(JSON.stringify({ type: 'message', clientId: this.unacked, text: `hello ${this.counter}` }));
    const ok = await acked;
    this.ackWaiter = null;
    return ok;
  }

  close(): void {
    this.socket?.terminate();
    this.socket = null;
  }
}

/** Polls `check` until true or `timeoutMs` passed; returns whether it became true. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return check();
}
