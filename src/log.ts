/**
 * The service's one logger: pino, the logger fastify itself uses, so HTTP lines (with their
 * request id), WebSocket lines (with their connection id) and the core's own lines are the
 * same JSON stream. JSON lines on stdout by default; `NUDGE_LOG_PRETTY=1` formats them for
 * a terminal with pino-pretty; `NUDGE_LOG_LEVEL` sets the level (default `info`).
 *
 * Secrets (authorization headers, tokens, signatures) are censored at every level. Message
 * texts are censored unless the level is `debug` or `trace`: an operator's logs at `info`
 * never hold what a contact wrote.
 */
import { randomBytes } from 'node:crypto';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What replaces a censored value. */
export const REDACTED = '[redacted]';

/** Paths censored at every level (pino redact syntax; `*` is one level of any key). */
const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-hub-signature-256"]',
  'token',
  '*.token',
  'adminToken',
  'secret',
  '*.secret',
  'widgetKey',
  '*.widgetKey',
];

/** Paths holding what a contact, bot or operator wrote: censored above `debug`. */
const TEXT_PATHS = ['text', '*.text', 'body', '*.body'];

/** Query parameters whose values never reach a log line. */
const SECRET_QUERY_PARAM = /token|key|secret|sig|password/i;

/** `NUDGE_LOG_LEVEL` (default `info`); anything else is refused at start. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const raw = env.NUDGE_LOG_LEVEL;
  if (raw === undefined || raw === '') return 'info';
  const level = raw.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`NUDGE_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return level as LogLevel;
}

/** `NUDGE_LOG_PRETTY=1` (or `true`): human-readable lines instead of JSON. */
export function logPrettyFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = (env.NUDGE_LOG_PRETTY ?? '').toLowerCase();
  return raw === '1' || raw === 'true' || raw === 'yes';
}

/** A URL with the values of secret-looking query parameters censored. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return eq >= 0 && SECRET_QUERY_PARAM.test(decodeURIComponentSafe(name)) ? `${name}=${REDACTED}` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The request as an HTTP line shows it: fastify's fields, the query's secrets censored. */
function serializeRequest(req: {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}) {
  return {
    method: req.method,
    url: req.url === undefined ? undefined : redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

export interface LoggerConfig {
  level?: LogLevel;
  pretty?: boolean;
  /** Where lines go (tests collect them); default stdout. */
  destination?: DestinationStream;
}

/** The pino options for a level: which paths are censored depends on it. */
export function loggerOptions(level: LogLevel): LoggerOptions {
  const showsTexts = level === 'debug' || level === 'trace';
  return {
    level,
    base: { pid: process.pid },
    redact: { paths: showsTexts ? SECRET_PATHS : [...SECRET_PATHS, ...TEXT_PATHS], censor: REDACTED },
    serializers: { req: serializeRequest, err: pino.stdSerializers.err },
  };
}

/** The logger of one process (`npm start` builds it from the environment). */
export async function createLogger(config: LoggerConfig = {}): Promise<Logger> {
  const level = config.level ?? 'info';
  const options = loggerOptions(level);
  if (config.destination) return pino(options, config.destination);
  if (config.pretty) {
    // Loaded only when asked for: a synchronous stream, no transport thread.
    const { default: pretty } = await import('pino-pretty');
    return pino(options, pretty({ colorize: process.stdout.isTTY ?? false, sync: true }));
  }
  // Synchronous (pino's default): a line logged right before process.exit (a refused start,
  // the end of a shutdown) is never lost in a buffer.
  return pino(options, pino.destination({ dest: 1, sync: true }));
}

/** A logger that writes nothing (the default for servers started by tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** A short random id for one HTTP request or one WebSocket connection. */
export function newLogId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('base64url')}`;
}
