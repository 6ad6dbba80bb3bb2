/**
 * Restores a backup into a data directory, only while nothing else uses it. Two locks, both
 * dropped by the kernel with their process (a crashed server never blocks a restore):
 * - the data dir's lock (src/store/dataDirLock.ts), which every server takes at start: a
 *   running server refuses the restore, and no server can start while it runs;
 * - SQLite's exclusive lock on `nudge.sqlite`, which nothing else may hold either (reader
 *   threads, an `npm run backup` in progress): held while the current database is folded
 *   (WAL checkpoint) and kept as `nudge.sqlite.before-restore-<time>`.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkBackupFile, type CheckedBackup } from './backup.ts';
import { lockDataDir } from './dataDirLock.ts';
import { openDatabase, schemaVersion } from './db.ts';

/** Another process has the data directory's database open. */
export class DataDirBusyError extends Error {
  readonly code = 'data_dir_in_use';
}

export interface RestoreResult {
  database: string;
  /** The database that was there before, kept; null when there was none. */
  previous: string | null;
  backup: CheckedBackup;
  /** The schema version after opening it (older backups are migrated). */
  schemaVersion: number;
}

/** The file name the previous database is kept under. */
function previousName(database: string, at: Date): string {
  return `${database}.before-restore-${at.toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Takes the database file's exclusive lock, or throws `DataDirBusyError`. The connection
 * returned holds it until closed; the WAL is folded into the file, so the file alone is
 * the whole database.
 */
function lockDatabase(database: string): Database.Database {
  const db = new Database(database, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.exec('COMMIT');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new DataDirBusyError(
        `${database} is open in another process (a running Nudge server?); stop it before restoring`,
      );
    }
    throw error;
  }
}

/** Replaces `dataDir`'s database with the backup `from`, keeping the previous one. */
export function restoreDatabase(options: {
  from: string;
  dataDir: string;
  now?: Date;
  onMigration?: (line: string) => void;
}): RestoreResult {
  const backup = checkBackupFile(options.from);
  mkdirSync(options.dataDir, { recursive: true });
  const dirLock = lockDataDir(options.dataDir);
  try {
    return restoreLocked(options, backup);
  } finally {
    dirLock.release();
  }
}

function restoreLocked(
  options: { from: string; dataDir: string; now?: Date; onMigration?: (line: string) => void },
  backup: CheckedBackup,
): RestoreResult {
  const database = join(options.dataDir, 'nudge.sqlite');
  const incoming = `${database}.restoring-${process.pid}`;
  let previous: string | null = null;
  try {
    copyFileSync(options.from, incoming);
    if (existsSync(database)) {
      const held = lockDatabase(database);
      try {
        previous = previousName(database, options.now ?? new Date());
        copyFileSync(database, previous);
      } finally {
        held.close();
      }
    }
    // The old database's WAL and index belong to the old file: the new one starts without.
    rmSync(`${database}-wal`, { force: true });
    rmSync(`${database}-shm`, { force: true });
    renameSync(incoming, database);
  } finally {
    rmSync(incoming, { force: true });
  }
  const opened = openDatabase(database, { onMigration: options.onMigration });
  try {
    return { database, previous, backup, schemaVersion: schemaVersion(opened) };
  } finally {
    opened.close();
  }
}
