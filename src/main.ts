/**
 * `npm start`: the service on one port with an embedded SQLite file under data/.
 * Environment: see src/config/env.ts and docs/configuration.md#environment;
 * `npm start -- --check-config` prints the effective settings and exits. Everything it
 * says goes through the logger (src/log.ts).
 */
import { join } from 'node:path';
import { bootCore } from './boot.ts';
import { channelModeWarnings } from './channels/modes.ts';
import { systemClock } from './clock.ts';
import { describeEnvironment, parseEnvironment } from './config/env.ts';
import { applyHeapGrowing } from './process/heapGrowth.ts';
import { createLogger, logLevelFromEnv, logPrettyFromEnv, type Logger } from './log.ts';

let log: Logger;
try {
  log = await createLogger({ level: logLevelFromEnv(), pretty: logPrettyFromEnv() });
} catch (error) {
  // No logger to say it with: a line on stderr, as JSON like every other line.
  process.stderr.write(
    `${JSON.stringify({ level: 60, time: Date.now(), msg: `nudge: ${error instanceof Error ? error.message : String(error)}` })}\n`,
  );
  process.exit(2);
}

/** Logs a fatal line and exits once the line is written. */
function exitWith(code: number, msg: string, err?: unknown): never {
  log.fatal(err === undefined ? {} : { err }, msg);
  log.flush?.();
  process.exit(code);
}

// The whole environment is checked before anything touches the disk (src/config/env.ts).
const parsed = parseEnvironment(process.env);
if (!parsed.ok) {
  // One line: every problem at once, written before the exit (the destination is asynchronous).
  exitWith(2, `nudge: ${parsed.errors.join('; ')} (refusing to start: docs/configuration.md#environment)`);
}
const env = parsed.env;
if (process.argv.includes('--check-config')) {
  console.log(describeEnvironment(env, process.env));
  process.exit(0);
}
// The store and the checkpointer read these two by name: give them the normalised spelling.
process.env.NUDGE_SQLITE_SYNC = env.NUDGE_SQLITE_SYNC;
process.env.NUDGE_SQLITE_CHECKPOINT = env.NUDGE_SQLITE_CHECKPOINT;
applyHeapGrowing(env.NUDGE_HEAP_GROWING_PERCENT);
const threads = env.NUDGE_CLASSIFY_THREADS;
const dataDir = env.NUDGE_DATA_DIR;
const port = env.PORT;
const ollama = {
  ollamaHost: env.OLLAMA_HOST,
  ollamaModel: env.OLLAMA_MODEL,
  ollamaTimeoutMs: env.OLLAMA_TIMEOUT_MS,
};
const fail = (error: unknown): never =>
  exitWith(1, `nudge: could not start: ${error instanceof Error ? error.message : String(error)}`, error);
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
  host: env.HOST,
  adminToken: env.NUDGE_ADMIN_TOKEN,
  channels: env.channels,
  outboundAllow: [...env.NUDGE_OUTBOUND_ALLOW.source],
  trustProxy: env.NUDGE_TRUST_PROXY ?? '',
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
    channels: channelModeWarnings(server.channels).length
      ? channelModeWarnings(server.channels)
      : 'SMS via Twilio; Meta channels connected as configured',
    try: `curl -H "Authorization: Bearer ${tokenFile ? `$(cat ${tokenFile})` : '$NUDGE_ADMIN_TOKEN'}" ${server.url}/api/bots`,
  },
  `Nudge is running at ${server.url}`,
);
// Said plainly, once each: a follow-up "switched to SMS" in log-only mode reaches nobody.
for (const warning of channelModeWarnings(server.channels)) log.warn({ component: 'channels' }, warning);

// SIGTERM/SIGINT drain: new requests and connections are refused, in-flight commits finish,
// live-chat sockets close with 1012 "server restarting" (the widget comes back by itself),
// the database is flushed and closed. Bounded: past NUDGE_SHUTDOWN_TIMEOUT_MS the process
// exits anyway; what was committed is on disk either way.
const shutdownTimeoutMs = env.NUDGE_SHUTDOWN_TIMEOUT_MS;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const started = performance.now();
    log.info({ signal, timeoutMs: shutdownTimeoutMs }, 'shutting down');
    const deadline = setTimeout(
      () => exitWith(1, `shutdown still draining after ${shutdownTimeoutMs} ms; exiting`),
      shutdownTimeoutMs,
    );
    deadline.unref();
    server
      .close()
      .then(() => {
        clearTimeout(deadline);
        log.info({ ms: Math.round(performance.now() - started) }, 'stopped');
        log.flush?.();
        process.exit(0);
      })
      .catch((error) => exitWith(1, 'shutdown failed', error));
  });
}
