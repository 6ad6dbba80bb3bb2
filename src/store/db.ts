/**
 * Opening the SQLite file: the serving connection (WAL, migrated to this build's schema)
 * and the read-only connections of the visualizer, the console reader thread and the ops
 * CLI, which cannot write by construction. Schema migrations run here, one per transaction.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations.ts';

export type DB = Database.Database;

/**
 * Opens (and migrates) the SQLite file. WAL with synchronous=NORMAL: a committed
 * transaction survives a process crash (SIGKILL); only an OS crash / power loss may lose
 * the last few commits. `NUDGE_SQLITE_SYNC=FULL` trades throughput for that too.
 */
export function openDatabase(
  path: string,
  options: { readonly?: boolean; onMigration?: (line: string) => void } = {},
): DB {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: options.readonly ?? false });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${process.env.NUDGE_SQLITE_SYNC === 'FULL' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Savepoints (one per event in a group commit) journal into temp storage: keep it in
  // memory instead of a temp file (measured: 25–35 % less CPU per delivery).
  db.pragma('temp_store = MEMORY');
  // SQLite's default page cache is 2 MiB: with a few thousand active contacts nearly every
  // lookup missed it and became a read system call (measured: 64 MiB took 10–12 % off the
  // CPU per event). The cache fills only with pages actually used, up to this bound.
  if (!options.readonly) db.pragma(`cache_size = ${-1024 * sqliteCacheMiB()}`);
  if (!options.readonly) migrate(db, options.onMigration);
  return db;
}

/**
 * A read-only connection to an existing file (`query_only` too), waiting up to 5 s for the
 * serving connection's locks.
 */
export function openReadOnlyDatabase(path: string): DB {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('query_only = ON');
  return db;
}

/** `NUDGE_SQLITE_CACHE_MIB` (default 64): the bound of the main connection's page cache. */
export function sqliteCacheMiB(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.NUDGE_SQLITE_CACHE_MIB;
  if (raw === undefined || raw === '') return 64;
  const mib = Number(raw);
  if (!Number.isInteger(mib) || mib < 1 || mib > 65536) {
    throw new Error(`NUDGE_SQLITE_CACHE_MIB must be a whole number of MiB from 1 to 65536, got "${raw}"`);
  }
  return mib;
}

export function schemaVersion(db: DB): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * What a migration does, read from its SQL: the tables and indexes it creates, alters or
 * drops, in order (`CREATE TABLE policies, ALTER TABLE contacts ADD COLUMN snapshot, …`).
 */
export function describeMigration(sql: string): string {
  const withoutComments = sql.replace(/--[^\n]*/g, '');
  const statements = [
    ...withoutComments.matchAll(
      /\b(CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)(?:\s+IF\s+NOT\s+EXISTS)?\s+\w+|DROP\s+(?:TABLE|INDEX|TRIGGER|VIEW)(?:\s+IF\s+EXISTS)?\s+\w+|ALTER\s+TABLE\s+\w+\s+(?:ADD\s+(?:COLUMN\s+)?\w+|RENAME\s+(?:COLUMN\s+\w+\s+)?TO\s+\w+|DROP\s+(?:COLUMN\s+)?\w+)|UPDATE\s+\w+|INSERT\s+(?:OR\s+\w+\s+)?INTO\s+\w+|DELETE\s+FROM\s+\w+)/gi,
    ),
  ].map((match) => match[1].replace(/\s+/g, ' '));
  return statements.length ? [...new Set(statements)].join(', ') : 'no schema statements';
}

/**
 * Brings the schema to this build's version, one migration per transaction. `onMigration`
 * receives one line per migration applied (npm start logs them).
 */
export function migrate(db: DB, onMigration?: (line: string) => void): number {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(
      `database schema version ${current} is newer than this build knows (${migrations.length}); refusing to run`,
    );
  }
  for (let version = current; version < migrations.length; version++) {
    const started = performance.now();
    db.transaction(() => {
      db.exec(migrations[version]);
      db.pragma(`user_version = ${version + 1}`);
    })();
    onMigration?.(
      `schema ${version} → ${version + 1} in ${Math.round(performance.now() - started)} ms: ${describeMigration(migrations[version])}`,
    );
  }
  return schemaVersion(db);
}
