/**
 * Where the PostgreSQL store connects: `NUDGE_DATABASE_URL` (postgres://…) selects it, and
 * without it Nudge runs on its embedded SQLite file. Validated at start so a typo fails
 * with the setting's name instead of a connection error later.
 */
import { z } from 'zod';

export interface PostgresConfig {
  /** The connection URL as given (it may hold a password: log `redactUrl(url)`). */
  url: string;
  /** Connections in the pool (`NUDGE_DATABASE_POOL`, default 10). */
  poolSize: number;
}

const urlSchema = z
  .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
  .refine(namesHost, { error: 'must name a host', abort: true });

/** A host in the authority, or a `?host=` (a Unix socket directory). */
function namesHost(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.hostname !== '' || parsed.searchParams.has('host');
  } catch {
    return false;
  }
}

const poolSchema = z.coerce
  .number({ error: 'must be a whole number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(200, { error: 'must be at most 200' });

/** The PostgreSQL settings, or null when `NUDGE_DATABASE_URL` is unset (SQLite). Throws on invalid values. */
export function postgresConfig(env: Record<string, string | undefined> = process.env): PostgresConfig | null {
  const url = env.NUDGE_DATABASE_URL?.trim();
  if (!url) return null;
  const parsedUrl = urlSchema.safeParse(url);
  if (!parsedUrl.success)
    throw new Error(`NUDGE_DATABASE_URL ${parsedUrl.error.issues[0].message}, got "${redactUrl(url)}"`);
  const rawPool = env.NUDGE_DATABASE_POOL?.trim();
  const pool = poolSchema.safeParse(rawPool ? rawPool : 10);
  if (!pool.success) throw new Error(`NUDGE_DATABASE_POOL ${pool.error.issues[0].message}, got "${rawPool}"`);
  return { url, poolSize: pool.data };
}

/** The URL with its password replaced, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}
