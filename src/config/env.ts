/**
 * The service's environment as one schema, parsed by `npm start` before anything touches
 * the disk: a typo (`NUDGE_SQLITE_SYNC=ful`), an empty `NUDGE_DATA_DIR`, an out-of-range
 * `PORT` or half-set provider credentials refuse the start with the variable's name and the
 * values it accepts, instead of running with a default nobody chose or failing after the
 * database was created. `npm start -- --check-config` prints the result (secrets masked).
 * Settings with their own module (delay floor, threads, heap, cache, outbound allow-list,
 * channels) keep their parsing there and the schema calls it: each rule is written once.
 */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { channelsConfigFromEnv, type ChannelsConfig } from '../channels/config.ts';
import { logLevelFromEnv, logPrettyFromEnv } from '../log.ts';
import { parseOutboundAllow, type OutboundPolicy } from '../net/outboundGuard.ts';
import { parseTrustProxy } from '../net/trustProxy.ts';
import { sqliteCacheMiB } from '../store/db.ts';
import { classifyThreads } from '../process/classifyThreads.ts';
import { heapGrowingPercent } from '../process/heapGrowth.ts';
import { minDelaySeconds } from './minDelay.ts';

export const SQLITE_SYNC_MODES = ['NORMAL', 'FULL'] as const;
export const SQLITE_CHECKPOINT_MODES = ['background', 'inline'] as const;

/** Variables whose values `--check-config` never prints. */
const SECRET = /TOKEN|SECRET|PASSWORD|AUTH/;

type Ctx = z.RefinementCtx;

/** Unset or blank: the default applies. */
const optional = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** A setting parsed by its own module's function, which throws a message naming it. */
function byModule<T>(name: string, parse: (env: Record<string, string | undefined>) => T) {
  return z
    .string()
    .optional()
    .transform((value, ctx: Ctx) => {
      try {
        return parse({ [name]: value });
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    });
}

/** One of a few words (any case), or the default when unset. */
function oneOf<const T extends readonly string[]>(name: string, values: T, fallback: T[number]) {
  return optional.transform((value, ctx: Ctx) => {
    if (value === undefined) return fallback;
    const found = values.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
    if (found) return found as T[number];
    ctx.addIssue({ code: 'custom', message: `${name} must be one of ${values.join(', ')}, got "${value}"` });
    return z.NEVER;
  });
}

function wholeNumber(name: string, min: number, max: number, fallback: number, unit: string) {
  return optional.transform((value, ctx: Ctx) => {
    if (value === undefined) return fallback;
    const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (number >= min && number <= max) return number;
    ctx.addIssue({
      code: 'custom',
      message: `${name} must be a whole number from ${min} to ${max} (${unit}), got "${value}"`,
    });
    return z.NEVER;
  });
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

const envSchema = z.object({
  PORT: wholeNumber('PORT', 0, 65535, 3000, 'TCP port; 0 picks a free one'),
  HOST: optional.transform((value, ctx: Ctx) => {
    if (value === undefined) return '127.0.0.1';
    if (isIP(value) || HOSTNAME.test(value)) return value;
    ctx.addIssue({
      code: 'custom',
      message: `HOST must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name, got "${value}"`,
    });
    return z.NEVER;
  }),
  NUDGE_DATA_DIR: z
    .string()
    .optional()
    .transform((value, ctx: Ctx) => {
      if (value === undefined) return resolve('data');
      if (value.trim() !== '') return resolve(value);
      ctx.addIssue({
        code: 'custom',
        message: 'NUDGE_DATA_DIR must be a directory path (unset means ./data), got an empty value',
      });
      return z.NEVER;
    }),
  NUDGE_ADMIN_TOKEN: optional,
  OLLAMA_HOST: optional.transform((value, ctx: Ctx) => {
    if (value === undefined) return 'http://127.0.0.1:11434';
    if (/^https?:\/\/[^/\s]+/.test(value) && URL.canParse(value)) return value;
    ctx.addIssue({
      code: 'custom',
      message: `OLLAMA_HOST must be an http(s) URL like http://127.0.0.1:11434, got "${value}"`,
    });
    return z.NEVER;
  }),
  OLLAMA_MODEL: optional.transform((value) => value ?? 'llama3.2'),
  OLLAMA_TIMEOUT_MS: wholeNumber('OLLAMA_TIMEOUT_MS', 1, 600_000, 2500, 'milliseconds'),
  NUDGE_MIN_DELAY_SECONDS: byModule('NUDGE_MIN_DELAY_SECONDS', minDelaySeconds),
  NUDGE_SQLITE_CACHE_MIB: byModule('NUDGE_SQLITE_CACHE_MIB', sqliteCacheMiB),
  NUDGE_SQLITE_SYNC: oneOf('NUDGE_SQLITE_SYNC', SQLITE_SYNC_MODES, 'NORMAL'),
  NUDGE_SQLITE_CHECKPOINT: oneOf('NUDGE_SQLITE_CHECKPOINT', SQLITE_CHECKPOINT_MODES, 'background'),
  NUDGE_CLASSIFY_THREADS: byModule('NUDGE_CLASSIFY_THREADS', (env) => classifyThreads(env)),
  NUDGE_HEAP_GROWING_PERCENT: byModule('NUDGE_HEAP_GROWING_PERCENT', heapGrowingPercent),
  NUDGE_LOG_LEVEL: byModule('NUDGE_LOG_LEVEL', logLevelFromEnv),
  NUDGE_LOG_PRETTY: byModule('NUDGE_LOG_PRETTY', logPrettyFromEnv),
  NUDGE_SHUTDOWN_TIMEOUT_MS: wholeNumber('NUDGE_SHUTDOWN_TIMEOUT_MS', 1000, 600_000, 10_000, 'milliseconds'),
  NUDGE_TRUST_PROXY: byModule('NUDGE_TRUST_PROXY', (env) => {
    parseTrustProxy(env.NUDGE_TRUST_PROXY);
    return env.NUDGE_TRUST_PROXY?.trim() || undefined;
  }),
  NUDGE_OUTBOUND_ALLOW: byModule('NUDGE_OUTBOUND_ALLOW', (env) => parseOutboundAllow(env.NUDGE_OUTBOUND_ALLOW)),
});

/** The effective settings of one start. */
export type Environment = z.output<typeof envSchema> & { channels: ChannelsConfig };

/** The environment, or every problem in it (one line each, naming the variable). */
export function parseEnvironment(
  env: Record<string, string | undefined>,
): { ok: true; env: Environment } | { ok: false; errors: string[] } {
  const parsed = envSchema.safeParse(env);
  const errors = parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  let channels: ChannelsConfig | null = null;
  try {
    channels = channelsConfigFromEnv(env);
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }
  if (!parsed.success || !channels) return { ok: false, errors };
  return { ok: true, env: { ...parsed.data, channels } };
}

/**
 * The settings as `--check-config` prints them: every variable the service reads, its
 * effective value (the default when unset) and secrets masked.
 */
export function describeEnvironment(parsed: Environment, raw: Record<string, string | undefined>): string {
  const shown = (name: string, value: unknown): string => {
    if (SECRET.test(name)) return raw[name]?.trim() ? '******** (set)' : '(unset)';
    if (value === undefined || value === null) return '(unset)';
    if (typeof value === 'object' && 'source' in (value as OutboundPolicy))
      return (value as OutboundPolicy).source.join(', ') || '(none)';
    return String(value);
  };
  // Every variable of the schema, set or not (an unset optional one has no key in the output).
  const lines = Object.keys(envSchema.shape).map(
    (name) => `${name}=${shown(name, (parsed as Record<string, unknown>)[name])}`,
  );
  lines.push(`sms provider=${parsed.channels.sms.provider}`);
  const providerVars = Object.keys(raw)
    .filter((name) => /^(TWILIO_|META_|WHATSAPP_|NUDGE_PUBLIC_URL$|NUDGE_SMS_PROVIDER$)/.test(name))
    .sort();
  for (const name of providerVars) lines.push(`${name}=${shown(name, raw[name])}`);
  return lines.join('\n');
}
