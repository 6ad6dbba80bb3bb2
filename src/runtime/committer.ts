/**
 * Group commit: writes queued within one turn of the event loop are committed together in
 * one SQLite transaction; a caller's promise settles only after the transaction holding its
 * write has committed (durability unchanged, the fsync cost shared). The batch runs without
 * a savepoint per write (a statement journal costs CPU, docs/benchmarks.md R1): if one write
 * throws, the batch is rolled back and every write runs again alone, so one failing write
 * fails alone. Writes must therefore be re-runnable; only the committed run counts.
 */
import type { CommitGate } from '../store/commitGate.ts';
import type { DB } from '../store/db.ts';
import { runSync, type Committer, type StoreTx, type WriteProgram } from '../store/port.ts';

interface Pending<T> {
  write: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Thrown out of the batch transaction to roll it back; each write then runs alone. */
class BatchWriteFailed extends Error {}

export class GroupCommitter implements Committer {
  private queue: Pending<unknown>[] = [];
  private scheduled = false;
  private readonly runBatch: (items: Pending<unknown>[]) => unknown[];
  private readonly runOne: (write: () => unknown) => unknown;
  commits = 0;
  writes = 0;
  /** Batches rolled back because one of their writes failed (each write then ran alone). */
  retriedBatches = 0;
  /** Times a batch waited for the WAL checkpoint to catch up before committing. */
  gateWaits = 0;
  /** Hears each batch's transaction time (ms) and size: the commit-time histogram (src/metrics/). */
  onCommit: ((ms: number, writes: number) => void) | null = null;
  private gate: CommitGate | null = null;

  /**
   * `tx` runs the write programs' statements (`write`); without it only SQLite closures
   * (`commit`) can be committed.
   */
  constructor(
    private readonly db: DB,
    private readonly maxBatch = 500,
    private readonly tx: StoreTx | null = null,
  ) {
    this.runOne = db.transaction((write: () => unknown) => write());
    this.runBatch = db.transaction((items: Pending<unknown>[]) =>
      items.map((item) => {
        try {
          return item.write();
        } catch (error) {
          // Disk full / read-only / I/O: SQLite may already have rolled back the whole
          // transaction, and no later write can succeed either. Abort the batch with the
          // real cause so every caller sees it (the API answers 503 storage_unavailable).
          if (isStorageError(error)) throw error;
          throw new BatchWriteFailed('a write of the batch failed', { cause: error });
        }
      }),
    );
  }

  setGate(gate: CommitGate | null): void {
    this.gate = gate;
  }

  /** Commits a write program (the store port's `Committer`): run to its end in the batch transaction. */
  write<T>(program: WriteProgram<T>, _contactId?: string): Promise<T> {
    const tx = this.tx;
    if (!tx) return Promise.reject(new Error('GroupCommitter: write programs need the store tx (constructor)'));
    return this.commit(() => runSync(program(tx)));
  }

  /** Commits a closure of synchronous SQLite statements (retention, erasure: SQLite's own modules). */
  commit<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve, reject } as Pending<unknown>);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flushWhenRoom());
  }

  /**
   * Waiting keeps the event loop free: writes queued meanwhile join the batch. The gate's
   * promise always settles (a stopped or dead checkpointer releases its waiters).
   */
  private flushWhenRoom(): void {
    const wait = this.gate?.roomToCommit();
    if (wait) {
      this.gateWaits++;
      void wait.then(() => this.flushWhenRoom());
      return;
    }
    this.scheduled = false;
    this.flushBatch();
    if (this.queue.length) this.schedule();
  }

  /** Commits everything queued now (shutdown, tests). */
  flush(): void {
    while (this.queue.length) this.flushBatch();
  }

  /** One transaction of at most maxBatch writes, so one turn of the event loop stays short. */
  private flushBatch(): void {
    if (this.queue.length === 0) return;
    const items = this.queue.splice(0, this.maxBatch);
    let outcomes: Outcome[];
    try {
      const started = performance.now();
      outcomes = this.runBatch(items).map((value) => ({ ok: true, value }));
      this.onCommit?.(performance.now() - started, items.length);
      this.commits++;
      this.gate?.committed();
    } catch (error) {
      if (!(error instanceof BatchWriteFailed)) {
        // The commit itself failed (disk full, read-only): nothing of the batch is stored.
        for (const item of items) item.reject(error);
        return;
      }
      this.retriedBatches++;
      outcomes = this.runAlone(items);
    }
    this.writes += items.length;
    outcomes.forEach((r, i) => (r.ok ? items[i].resolve(r.value) : items[i].reject(r.error)));
  }

  /** Slow path after a failed batch: each write in its own transaction. */
  private runAlone(items: Pending<unknown>[]): Outcome[] {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < items.length; i++) {
      try {
        outcomes.push({ ok: true, value: this.runOne(items[i].write) });
        this.commits++;
        this.gate?.committed();
      } catch (error) {
        if (isStorageError(error)) {
          // Storage went away part-way: what committed stays committed, the rest fails
          // with the real cause.
          for (let j = i; j < items.length; j++) outcomes.push({ ok: false, error });
          break;
        }
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }
}

const STORAGE_ERRORS = new Set([
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_NOMEM',
  'SQLITE_CORRUPT',
]);

export function isStorageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (STORAGE_ERRORS.has(code) || [...STORAGE_ERRORS].some((c) => code.startsWith(`${c}_`)))
  );
}
