/**
 * `npm start`: the service on one port with an embedded SQLite file under data/.
 * Environment: PORT (default 3000), HOST (default 127.0.0.1), NUDGE_DATA_DIR (default ./data),
 * NUDGE_ADMIN_TOKEN, OLLAMA_HOST, OLLAMA_MODEL, OLLAMA_TIMEOUT_MS, NUDGE_MIN_DELAY_SECONDS,
 * NUDGE_SQLITE_CACHE_MIB, NUDGE_CLASSIFY_THREADS, NUDGE_HEAP_GROWING_PERCENT, NUDGE_LOG_LEVEL,
 * NUDGE_LOG_PRETTY. Everything it says goes through the logger (src/log.ts).
 */
import { join, resolve } from 'node:path';
import { bootCore } from './boot.ts';
import { channelModeWarnings } from './channels/modes.ts';
import { systemClock } from './clock.ts';
import { classifyThreads } from './config/classifyThreads.ts';
import { applyHeapGrowing, heapGrowingPercent } from './config/heapGrowth.ts';
import { minDelaySeconds } from './config/minDelay.ts';
import { createLogger, logLevelFromEnv, logPrettyFromEnv, type Logger } from './log.ts';
import { sqliteCacheMiB } from './store/db.ts';

let log: Logger;
try {
  log = await createLogger({ level: logLevelFromEnv(), pretty: logPrettyFromEnv() });
} catch (error) {
  // No logger to say it with: a line on stderr, as JSON like every other line.
  process.stderr.write(`${JSON.stringify({ level: 60, time: Date.now(), msg: `nudge: ${error instanceof Error ? error.message : String(error)}` })}\n`);
  process.exit(2);
}

/** Logs a fatal line and exits once the line is written. */
function exitWith(code: number, msg: string, err?: unknown): never {
  log.fatal(err === undefined ? {} : { err }, msg);
  log.flush?.();
  process.exit(code);
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535 * 1000) {
    exitWith(2, `${name} must be a non-negative integer, got "${raw}"`);
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
  exitWith(2, `nudge: ${error instanceof Error ? error.message : String(error)}`);
}

const dataDir = resolve(process.env.NUDGE_DATA_DIR ?? 'data');
const port = envInt('PORT', 3000);
const ollama = {
  ollamaHost: process.env.OLLAMA_HOST || 'http://127.0.0.1:11434',
  ollamaModel: process.env.OLLAMA_MODEL || 'llama3.2',
  ollamaTimeoutMs: envInt('OLLAMA_TIMEOUT_MS', 2500),
};
const fail = (error: unknown): never => exitWith(1, `nudge: could not start: ${error instanceof Error ? error.message : String(error)}`, error);
// The durable core first (store + the due index's head), the HTTP side after: the server's
// modules are imported only once the next due follow-up is known (src/boot.ts).
let core: Awaited<ReturnType<typeof bootCore>>;
try {
  core = await bootCore({
    dataDir,
    clock: systemClock,
    ...ollama,
    classifyThreads: threads,
    onSchedulerError: (err) => log.error({ err }, 'scheduler delivery failed'),
    onMigration: (line) => log.info({ component: 'store' }, `migration: ${line}`),
  });
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
  logger: log,
}).catch(fail);

const demo = server.services.store.getBot(server.demoBotId)!;
// One line, so it parses like every other; the admin token is a secret and stays out of
// the logs: it is in the data dir (or NUDGE_ADMIN_TOKEN).
const tokenFile = process.env.NUDGE_ADMIN_TOKEN ? null : join(dataDir, 'admin-token');
log.info(
  {
    url: server.url,
    widgetDemo: `${server.url}/`,
    console: `${server.url}/console`,
    visualizer: `${server.url}/viz`,
    dataDir,
    classifier: `${server.classifier.mode} (${server.classifier.reason})${threads && server.classifier.threads?.() ? `, on ${threads} worker thread${threads === 1 ? '' : 's'}` : ''}`,
    demoBot: demo.id,
    demoWidgetKey: demo.widget_key,
    adminTokenFile: tokenFile ?? 'NUDGE_ADMIN_TOKEN',
    firstDueKnownMs: Math.round(server.startup.firstDueKnownMs),
    servingMs: Math.round(server.startup.servingMs ?? 0),
    channels: channelModeWarnings(server.channels).length ? channelModeWarnings(server.channels) : 'SMS via Twilio; Meta channels connected as configured',
    try: `curl -H "Authorization: Bearer ${tokenFile ? `$(cat ${tokenFile})` : '$NUDGE_ADMIN_TOKEN'}" ${server.url}/api/bots`,
  },
  `Nudge is running at ${server.url}`,
);
// Said plainly, once each: a follow-up "switched to SMS" in log-only mode reaches nobody.
for (const warning of channelModeWarnings(server.channels)) log.warn({ component: 'channels' }, warning);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server
      .close()
      .then(() => {
        log.info('stopped');
        log.flush?.();
        process.exit(0);
      })
      .catch((error) => exitWith(1, 'shutdown failed', error));
  });
}
