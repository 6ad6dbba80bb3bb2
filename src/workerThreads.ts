/**
 * Starting the service's worker threads the same way from sources (tsx: `npm test`,
 * `npm run start:dev`) and from the bundle (`npm start`, dist/server/).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The entry of a worker: `source` next to the calling module when it runs from sources,
 * else the bundle's `bundled` entry (the calling module is dist/server/main.mjs or a chunk
 * under dist/server/chunks/). `here` is the caller's `import.meta.url`.
 */
export function workerEntryUrl(here: string, source: string, bundled: string): URL {
  if (here.endsWith('.ts')) return new URL(source, here);
  for (const candidate of [`./${bundled}`, `../${bundled}`]) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`the worker bundle ${bundled} is missing next to ${here}: run \`npm run build\``);
}

/**
 * A TypeScript entry (sources run under tsx) needs the loader inside the thread too: Node 20
 * does not apply the parent's `--import tsx` to a worker's entry, so the thread registers it
 * before importing the entry. The bundle is plain JavaScript.
 */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** A running idle check (`idleRetirementTimer`); `stop` cancels it (the owner closes). */
export interface IdleRetirement {
  stop(): void;
}

/**
 * While `running()` holds, calls `retireIfIdle` every quarter of `idleMs` (at most a minute
 * apart), then stops by itself and calls `onStopped`, so the owner can forget it. An idle
 * check only frees memory, so it never keeps the process alive.
 */
export function idleRetirementTimer(idleMs: number, retireIfIdle: () => void, running: () => boolean, onStopped: () => void): IdleRetirement {
  const period = Math.min(Math.max(idleMs / 4, 1), 60_000);
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    timer = setTimeout(check, period);
    timer.unref();
  };
  const check = () => {
    retireIfIdle();
    if (running()) return arm();
    timer = null;
    onStopped();
  };
  arm();
  return {
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
