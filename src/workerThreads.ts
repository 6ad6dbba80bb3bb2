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
