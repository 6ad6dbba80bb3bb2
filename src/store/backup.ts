/**
 * Backups through SQLite's online backup API (`db.backup()`): one consistent state of the
 * database taken while the service runs, never a file copy (which misses WAL pages). In the
 * server (`GET /api/admin/backup`) the copy moves a few pages per event-loop turn on the
 * writing connection and ends as the state at its last step; from another process
 * (`npm run backup`) it is one step in one read transaction on a read-only connection.
 * A backup is written to a temporary name, checked (integrity, schema version) and only then
 * renamed: a file under the target name is always a complete backup.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import type { DB } from './db.ts';
import { migrations } from './migrations.ts';

/** Pages copied per event-loop turn when the serving connection takes the backup. */
const PAGES_PER_TURN = 1000;

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  schemaVersion: number;
}

/** What a backup file holds, once checked. */
export interface CheckedBackup {
  schemaVersion: number;
  bots: number;
  contacts: number;
}

/** A file that is not a usable Nudge backup. */
export class BadBackupError extends Error {
  readonly code = 'bad_backup';
}

/**
 * Copies `db` into `to` (which must not exist yet). `inPlace`: `db` is the serving
 * connection, copied a few pages per turn; otherwise `db` is a connection of its own,
 * copied in one step.
 */
export async function backupDatabase(db: DB, to: string, options: { inPlace: boolean }): Promise<BackupResult> {
  if (existsSync(to)) throw new Error(`${to} already exists; choose a new file name`);
  const partial = `${to}.partial-${process.pid}`;
  try {
    const progress = await db.backup(partial, { progress: () => (options.inPlace ? PAGES_PER_TURN : 0x7fffffff) });
    selfContained(partial);
    const checked = checkBackupFile(partial);
    renameSync(partial, to);
    return { file: to, bytes: statSync(to).size, pages: progress.totalPages, schemaVersion: checked.schemaVersion };
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  }
}

/**
 * The copy inherits the live database's WAL mode; switched to a rollback journal it is one
 * file that opens anywhere, also read-only, without leaving -wal and -shm files beside it.
 * The service switches it back to WAL when it opens a restored copy.
 */
function selfContained(file: string): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

/**
 * Opens a would-be backup read-only and checks it: SQLite's integrity check passes, its
 * schema version is one this build knows (older ones are migrated when the service opens
 * them), and it has Nudge's tables. Throws `BadBackupError` saying what is wrong.
 */
export function checkBackupFile(file: string): CheckedBackup {
  if (!existsSync(file)) throw new BadBackupError(`${file} does not exist`);
  let db: DB;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BadBackupError(`${file} is not a SQLite database: ${(error as Error).message}`);
  }
  try {
    let integrity: string[];
    try {
      integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
    } catch (error) {
      throw new BadBackupError(`${file} is not a SQLite database: ${(error as Error).message}`);
    }
    if (integrity.length !== 1 || integrity[0] !== 'ok') {
      throw new BadBackupError(`${file} fails SQLite's integrity check: ${integrity.slice(0, 3).join('; ')}`);
    }
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    if (schemaVersion < 1) throw new BadBackupError(`${file} is not a Nudge database (schema version 0)`);
    if (schemaVersion > migrations.length) {
      throw new BadBackupError(
        `${file} has schema version ${schemaVersion}, newer than this build knows (${migrations.length}); restore it with a newer Nudge`,
      );
    }
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (row) => row.name,
      ),
    );
    for (const table of ['bots', 'contacts', 'messages', 'followups']) {
      if (!tables.has(table)) throw new BadBackupError(`${file} is not a Nudge database (no ${table} table)`);
    }
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { schemaVersion, bots: count('bots'), contacts: count('contacts') };
  } finally {
    db.close();
  }
}
