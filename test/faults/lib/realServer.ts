/**
 * The real service as a child process: what `npm run start:dev` runs (`node … --import tsx
 * src/main.ts`; or, with `launcher: 'npm-start'`, what `npm start` runs: the bundle via
 * scripts/start.mjs), with the scripts' node flags, and with its
 * environment (PORT, NUDGE_DATA_DIR, NUDGE_ADMIN_TOKEN, NUDGE_MIN_DELAY_SECONDS), on
 * 127.0.0.1 only. Ollama is pointed at a closed loopback port so the rules classifier is
 * used at once (no probe of anything else). Output is kept (the tail) for diagnostics and
 * always drained, so a chatty server never blocks on a full pipe.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const MAIN = join(REPO_ROOT, 'src', 'main.ts');
const START = join(REPO_ROOT, 'scripts', 'start.mjs');

/**
 * The node flags an npm script puts before its entry file (read from package.json, so the
 * launchers here and `npm start` / `npm run start:dev` never drift apart).
 */
export function npmScriptNodeFlags(script: 'start' | 'start:dev', entry: string, root = REPO_ROOT): string[] {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
  const command = scripts[script] ?? '';
  const at = command.indexOf(` ${entry}`);
  const match = /\bnode\s/.exec(command);
  if (at < 0 || !match || match.index > at)
    throw new Error(`package.json's ${script} script does not run "node … ${entry}": ${command}`);
  return command
    .slice(match.index + match[0].length, at)
    .split(/\s+/)
    .filter(Boolean);
}

const OUTPUT_TAIL = 64 * 1024;

/** A free TCP port on 127.0.0.1 (main.ts needs a fixed PORT: listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RealServerOptions {
  dataDir: string;
  port: number;
  adminToken: string;
  /** Extra environment (channel providers, NUDGE_PUBLIC_URL...). */
  env?: Record<string, string>;
  /** Extra node flags placed before the entry (e.g. a sampler `--import`). */
  nodeArgs?: string[];
  /** How long to wait for /api/health. */
  startTimeoutMs?: number;
  /**
   * `tsx` (default): the TypeScript sources through the tsx loader, as `npm run start:dev`.
   * `npm-start`: exactly what `npm start` runs (scripts/start.mjs → dist/server, built
   * first when stale; MALLOC_ARENA_MAX=2 unless the environment sets it).
   */
  launcher?: 'tsx' | 'npm-start';
}

export interface RealServer {
  readonly pid: number;
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Milliseconds from spawn to the first healthy answer. */
  readonly startMs: number;
  /** The last 64 KiB of stdout + stderr. */
  output(): string;
  /** SIGKILL now; resolves when the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful shutdown), SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
}

/** Environment of the real server: ours, plus the parent's minus anything that configures Nudge. */
function serverEnv(options: RealServerOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(NUDGE_|TWILIO_|META_|WHATSAPP_|OLLAMA_|PORT$|HOST$)/.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    PORT: String(options.port),
    HOST: '127.0.0.1',
    NUDGE_DATA_DIR: options.dataDir,
    NUDGE_ADMIN_TOKEN: options.adminToken,
    NUDGE_MIN_DELAY_SECONDS: '1',
    // Port 9 on loopback is closed: the probe fails at once and the rules classifier is used.
    OLLAMA_HOST: 'http://127.0.0.1:9',
    OLLAMA_TIMEOUT_MS: '500',
    ...options.env,
  };
}

export async function startRealServer(options: RealServerOptions): Promise<RealServer> {
  const started = performance.now();
  const npmStart = options.launcher === 'npm-start';
  const args = npmStart
    ? [...npmScriptNodeFlags('start', 'scripts/start.mjs'), ...(options.nodeArgs ?? []), START]
    : [...npmScriptNodeFlags('start:dev', 'src/main.ts'), ...(options.nodeArgs ?? []), MAIN];
  const env = serverEnv(options);
  if (npmStart) env.MALLOC_ARENA_MAX ??= '2';
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail += chunk.toString();
    if (tail.length > OUTPUT_TAIL * 2) tail = tail.slice(-OUTPUT_TAIL);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exitedNow = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedNow = true;
      resolve({ code, signal });
    });
  });
  const url = `http://127.0.0.1:${options.port}`;
  const pid = child.pid as number;

  const kill9 = async () => {
    if (!exitedNow) child.kill('SIGKILL');
    await exited;
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (exitedNow) throw new Error(`the server exited during start:\n${tail.slice(-4000)}`);
    if (Date.now() > deadline) {
      await kill9();
      throw new Error(
        `the server did not answer /api/health within ${options.startTimeoutMs ?? 30_000} ms:\n${tail.slice(-4000)}`,
      );
    }
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) {
        await response.arrayBuffer();
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 40));
  }
  const startMs = performance.now() - started;

  return {
    pid,
    url,
    port: options.port,
    process: child,
    exited,
    startMs,
    output: () => tail.slice(-OUTPUT_TAIL),
    kill9,
    async stop(graceMs = 15_000) {
      if (!exitedNow) child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!exitedNow) child.kill('SIGKILL');
      }, graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    alive: () => !exitedNow,
  };
}

/** A small JSON client for the operator API. */
export function apiClient(baseUrl: string, token: string) {
  return async function call<T = any>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { raw: text };
    }
    return { status: response.status, body: json as T };
  };
}
