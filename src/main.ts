/**
 * `npm start`: the service on one port with an embedded SQLite file under data/.
 * Environment: PORT (default 3000), HOST (default 127.0.0.1), NUDGE_DATA_DIR (default ./data),
 * NUDGE_ADMIN_TOKEN, OLLAMA_HOST, OLLAMA_MODEL, OLLAMA_TIMEOUT_MS, NUDGE_MIN_DELAY_SECONDS,
 * NUDGE_SQLITE_CACHE_MIB, NUDGE_CLASSIFY_THREADS, NUDGE_HEAP_GROWING_PERCENT.
 */
import { resolve } from 'node:path';
import { bootCore } from './boot.ts';
import { systemClock } from './clock.ts';
import { classifyThreads } from './config/classifyThreads.ts';
import { applyHeapGrowing, heapGrowingPercent } from './config/heapGrowth.ts';
import { minDelaySeconds } from './config/minDelay.ts';
import { sqliteCacheMiB } from './store/db.ts';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535 * 1000) {
    console.error(`${name} must be a non-negative integer, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

// Fail at start, not on every config request, when an override is invalid.
let threads = 0;
try {
  minDelaySeconds();
  sqliteCacheMiB();
  threads = classifyThreads();
  applyHeapGrowing(heapGrowingPercent());
} catch (error) {
  console.error(`nudge: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}

const dataDir = resolve(process.env.NUDGE_DATA_DIR ?? 'data');
const port = envInt('PORT', 3000);
const ollama = {
  ollamaHost: process.env.OLLAMA_HOST || 'http://127.0.0.1:11434',
  ollamaModel: process.env.OLLAMA_MODEL || 'llama3.2',
  ollamaTimeoutMs: envInt('OLLAMA_TIMEOUT_MS', 2500),
};
const fail = (error: unknown): never => {
  console.error(`nudge: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
};
// The durable core first (store + the due index's head), the HTTP side after: the server's
// modules are imported only once the next due follow-up is known (src/boot.ts).
let core: Awaited<ReturnType<typeof bootCore>>;
try {
  core = await bootCore({ dataDir, clock: systemClock, ...ollama, classifyThreads: threads, onSchedulerError: (error) => console.error('scheduler delivery failed:', error) });
} catch (error) {
  fail(error);
}
const { startServer } = await import('./server.ts');
const server = await startServer({
  dataDir,
  port,
  host: process.env.HOST ?? '127.0.0.1',
  adminToken: process.env.NUDGE_ADMIN_TOKEN || undefined,
  core: core!,
}).catch(fail);

const demo = server.services.store.getBot(server.demoBotId)!;
console.log(
  [
    `Nudge is running at ${server.url}`,
    `  widget demo:     ${server.url}/`,
    `  console:         ${server.url}/console`,
    `  visualizer:      ${server.url}/viz`,
    `  data:            ${dataDir}`,
    `  classifier:      ${server.classifier.mode} (${server.classifier.reason})${threads && server.classifier.threads?.() ? `, rules on ${threads} worker thread${threads === 1 ? '' : 's'}` : ''}`,
    `  demo bot:        ${demo.id}  widget key ${demo.widget_key}`,
    `  operator token:  ${server.adminToken}`,
    `  started:         next due follow-up known ${Math.round(server.startup.firstDueKnownMs)} ms, serving ${Math.round(server.startup.servingMs ?? 0)} ms after process start`,
    `  try:             curl -H "Authorization: Bearer ${server.adminToken}" ${server.url}/api/bots`,
  ].join('\n'),
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down…`);
    server
      .close()
      .then(() => process.exit(0))
      .catch((error) => {
        console.error('shutdown failed:', error);
        process.exit(1);
      });
  });
}
