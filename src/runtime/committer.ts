/**
 * Group commit: writes queued within one turn of the event loop are committed together in
 * one SQLite transaction, each inside its own savepoint so that one failing write rolls
 * back alone. A caller's promise settles only after the transaction holding its write has
 * committed — the durability promise is unchanged, the fsync cost is shared.
 */
import type { DB } from '../store/db.ts';

interface Pending<T> {
  write: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitter {
  private queue: Pending<unknown>[] = [];
  private scheduled = false;
  private readonly runBatch: (items: Pending<unknown>[]) => { ok: boolean; value?: unknown; error?: unknown }[];
  commits = 0;
  writes = 0;

  constructor(private readonly db: DB, private readonly maxBatch = 500) {
    const one = db.transaction((write: () => unknown) => write());
    this.runBatch = db.transaction((items: Pending<unknown>[]) =>
      items.map((item) => {
        try {
          return { ok: true, value: one(item.write) };
        } catch (error) {
          // Disk full / read-only / I/O: SQLite may already have rolled back the whole
          // transaction, and no later write can succeed either. Abort the batch with the
          // real cause so every caller sees it (the API answers 503 storage_unavailable).
          if (isStorageError(error)) throw error;
          return { ok: false, error };
        }
      }),
    );
  }

  commit<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve, reject } as Pending<unknown>);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushBatch();
      if (this.queue.length) this.schedule();
    });
  }

  /** Commits everything queued now (shutdown, tests). */
  flush(): void {
    while (this.queue.length) this.flushBatch();
  }

  /** One transaction of at most maxBatch writes, so one turn of the event loop stays short. */
  private flushBatch(): void {
    if (this.queue.length === 0) return;
    const items = this.queue.splice(0, this.maxBatch);
    let results: { ok: boolean; value?: unknown; error?: unknown }[];
    try {
      results = this.runBatch(items);
    } catch (error) {
      // The commit itself failed (disk full, read-only): nothing of the batch is stored.
      for (const item of items) item.reject(error);
      return;
    }
    this.commits++;
    this.writes += items.length;
    results.forEach((r, i) => (r.ok ? items[i].resolve(r.value) : items[i].reject(r.error)));
  }
}

const STORAGE_ERRORS = new Set(['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_NOMEM', 'SQLITE_CORRUPT']);

export function isStorageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (STORAGE_ERRORS.has(code) || [...STORAGE_ERRORS].some((c) => code.startsWith(`${c}_`)));
}
