/**
 * Brings a PostgreSQL database to this build's schema. Every node runs it at start, so it
 * holds a transaction-scoped advisory lock: nodes starting together wait for the first,
 * then find nothing left to do. All pending migrations commit in one transaction
 * (PostgreSQL's DDL is transactional), so a failure leaves the schema as it was.
 */
import type pg from 'pg';
import { describeMigration } from '../db.ts';
import { postgresMigrations } from './migrations.ts';
import { run, statement } from './pool.ts';

/** The advisory lock key of migrations ('nudge' in ASCII); only Nudge's migrations take it. */
export const MIGRATION_LOCK_KEY = 0x6e75646765;

const lockMigrations = statement<[number], never>('migrate_lock', 'SELECT pg_advisory_xact_lock($1)');
const appliedVersion = statement<[], { version: number }>(
  'migrate_version',
  'SELECT COALESCE(MAX(version), 0)::int AS version FROM schema_migrations',
);
const recordMigration = statement<[number, string], never>(
  'migrate_record',
  `INSERT INTO schema_migrations (version, applied_at, description) VALUES ($1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, $2)`,
);

/** Applies the pending migrations; returns the schema version. `onMigration` gets one line per migration. */
export async function migratePostgres(pool: pg.Pool, onMigration?: (line: string) => void): Promise<number> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await run(client, lockMigrations, [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL, description TEXT NOT NULL)`);
    const [{ version: current }] = await run(client, appliedVersion, []);
    if (current > postgresMigrations.length) {
      throw new Error(
        `database schema version ${current} is newer than this build knows (${postgresMigrations.length}); refusing to run`,
      );
    }
    const lines: string[] = [];
    for (let version = current; version < postgresMigrations.length; version++) {
      const started = performance.now();
      const description = describeMigration(postgresMigrations[version]);
      await client.query(postgresMigrations[version]);
      await run(client, recordMigration, [version + 1, description]);
      lines.push(`schema ${version} → ${version + 1} in ${Math.round(performance.now() - started)} ms: ${description}`);
    }
    await client.query('COMMIT');
    for (const line of lines) onMigration?.(line);
    return postgresMigrations.length;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
