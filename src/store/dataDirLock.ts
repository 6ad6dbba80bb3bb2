/**
 * One writer per data directory: two processes on one SQLite file would each keep cached
 * actors and silently undo each other's writes. The lock is taken before the database is
 * opened and held for the life of the process. It is SQLite's own file lock on `nudge.lock`
 * (`locking_mode = EXCLUSIVE`), which the kernel drops however the process exits, kill -9
 * included; a pid file alone was rejected (left behind, pids recycled). `nudge.pid` only
 * names the holder in the refusal; the lock decides.
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The lock, held until `release()` (the service's close) or the process's end. */
export interface DataDirLock {
  readonly dataDir: string;
  release(): void;
}

/** Another process holds the data directory. */
export class DataDirInUseError extends Error {
  readonly code = 'data_dir_in_use';
}

/** What the holder writes next to its lock, to be named in another process's refusal. */
interface Holder {
  pid: number;
  host: string;
  startedAt: string;
}

/** Takes the data directory's lock at once, or throws `DataDirInUseError` naming the holder. */
export function lockDataDir(dataDir: string): DataDirLock {
  const lockPath = join(dataDir, 'nudge.lock');
  const db = new Database(lockPath);
  try {
    // Fail at once rather than wait: a second start must say so, not hang.
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    // An exclusive transaction takes the file's exclusive lock; EXCLUSIVE locking mode keeps
    // it after the commit, until the connection closes.
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER, started_at TEXT)');
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new DataDirInUseError(
        `data dir ${dataDir} is in use by ${describeHolder(dataDir)}; stop it first or set NUDGE_DATA_DIR to another directory`,
      );
    }
    throw error;
  }
  const holder: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  writeFileSync(join(dataDir, 'nudge.pid'), `${JSON.stringify(holder)}\n`);
  let held = true;
  return {
    dataDir,
    release() {
      if (!held) return;
      held = false;
      db.close();
    },
  };
}

/** The other process as its pid file names it (best effort: the lock is what decides). */
function describeHolder(dataDir: string): string {
  try {
    const holder = JSON.parse(readFileSync(join(dataDir, 'nudge.pid'), 'utf8')) as Holder;
    const self = holder.pid === process.pid && holder.host === hostname() ? ' (this process)' : '';
    return `another Nudge process: pid ${holder.pid}${self} on ${holder.host}, started ${holder.startedAt}`;
  } catch {
    return 'another Nudge process';
  }
}
