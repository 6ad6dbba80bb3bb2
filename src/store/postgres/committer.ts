/**
 * Group commit on PostgreSQL, with the contract of src/runtime/committer.ts: writes (the
 * port's write programs, or closures over PgStore) queued within one turn of the event loop
 * commit in one transaction on one pooled client; a caller's promise settles after that
 * commit. One batch runs at a time, so writes commit in queue order. If a write throws, the
 * batch is rolled back and every write runs again alone: one failing write fails alone.
 * On a cluster node each write names its contact's partition, and the batch first proves
 * this node's lease on every partition it touches (src/cluster/leases.ts): a write for a
 * partition the node lost fails with FencedError, alone, and is never run.
 */
import pg from 'pg';
import { FencedError, ownedAmong } from '../../cluster/leases.ts';
import { runAsync, type Committer, type WriteProgram } from '../port.ts';
import { isPostgresStorageError } from './errors.ts';
import type { PgStore } from './pgStore.ts';
import { PgTx } from './pgTx.ts';

/** A write: PgStore operations on the batch's transaction (write programs run as one). */
export type PgWrite<T> = (tx: PgStore) => Promise<T>;

/** The leases of a cluster node (PartitionManager): the token to write a partition with. */
export interface Fence {
  tokenFor(partition: number): number | undefined;
}

export interface PgCommitterOptions {
  /** Writes per transaction at most (default 500). */
  maxBatch?: number;
  /** A cluster node's leases; without it (one node) writes are not fenced. */
  fence?: Fence | null;
}

interface Pending<T> {
  write: PgWrite<T>;
  partition: number | undefined;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function ignore(): void {}

/** Thrown out of the batch transaction to roll it back; each write then runs alone. */
class BatchWriteFailed extends Error {}

export class PgGroupCommitter implements Committer {
  private queue: Pending<unknown>[] = [];
  private scheduled = false;
  private running: Promise<void> | null = null;
  private readonly pool: pg.Pool;
  private readonly maxBatch: number;
  private readonly fence: Fence | null;
  commits = 0;
  writes = 0;
  /** Batches rolled back because one of their writes failed (each write then ran alone). */
  retriedBatches = 0;
  /** Writes refused because this node did not own their partition. */
  fenced = 0;
  /** Hears each batch's transaction time (ms) and size. */
  onCommit: ((ms: number, writes: number) => void) | null = null;

  constructor(
    private readonly store: PgStore,
    options: PgCommitterOptions = {},
  ) {
    if (!(store.db instanceof pg.Pool)) throw new TypeError('the group committer needs a PgStore on a pool');
    this.pool = store.db;
    this.maxBatch = options.maxBatch ?? 500;
    this.fence = options.fence ?? null;
  }

  /**
   * Commits a write program (the store port's Committer), its statements awaited one by one
   * in the batch transaction; fenced on the partition of `contactId` as for `commit`.
   */
  write<T>(program: WriteProgram<T>, contactId?: string): Promise<T> {
    const partition = contactId === undefined ? undefined : this.store.partitionOf(contactId);
    return this.commit((tx) => runAsync(program(new PgTx(tx))), partition);
  }

  /** Queues a write; `partition` (its contact's) is fenced on a cluster node. Settles after its commit. */
  commit<T>(write: PgWrite<T>, partition?: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, partition, resolve, reject } as Pending<unknown>);
      this.schedule();
    });
  }

  /** Resolves once everything queued so far has committed or failed (shutdown, tests). */
  async flush(): Promise<void> {
    while (this.queue.length || this.running || this.scheduled) {
      if (this.running) await this.running;
      else if (this.queue.length) await this.runNext();
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.runNext();
    });
  }

  private runNext(): Promise<void> {
    this.running ??= this.flushBatch().finally(() => {
      this.running = null;
      if (this.queue.length) this.schedule();
    });
    return this.running;
  }

  /** One transaction of at most maxBatch writes. */
  private async flushBatch(): Promise<void> {
    const items = this.queue.splice(0, this.maxBatch);
    if (items.length === 0) return;
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    // A connection lost mid-batch is also emitted on the client: the failed query reports it.
    client.on('error', ignore);
    let outcomes: Outcome[];
    try {
      const started = performance.now();
      outcomes = await this.inTransaction(client, async () => {
        const refused = await this.refusedBy(client, items);
        const tx = this.store.on(client);
        const results: Outcome[] = [];
        for (const item of items) {
          const error = refused(item);
          if (error) {
            results.push({ ok: false, error });
            continue;
          }
          try {
            results.push({ ok: true, value: await item.write(tx) });
          } catch (error) {
            // The storage went away: no later write can succeed either; every caller sees the cause.
            if (isPostgresStorageError(error)) throw error;
            throw new BatchWriteFailed('a write of the batch failed', { cause: error });
          }
        }
        return results;
      });
      this.onCommit?.(performance.now() - started, items.length);
      this.commits++;
    } catch (error) {
      if (error instanceof BatchWriteFailed) {
        this.retriedBatches++;
        outcomes = await this.runAlone(client, items);
      } else {
        // The batch or its commit failed for the storage's sake: nothing of it is stored.
        outcomes = items.map(() => ({ ok: false, error }));
      }
    }
    // A client that lost its connection is destroyed, not handed to the next batch.
    const lost = outcomes.find((r) => !r.ok && isPostgresStorageError(r.error));
    client.off('error', ignore);
    client.release(lost && !lost.ok ? (lost.error as Error) : undefined);
    this.settle(items, outcomes);
  }

  private settle(items: Pending<unknown>[], outcomes: Outcome[]): void {
    this.writes += items.length;
    for (const outcome of outcomes) if (!outcome.ok && outcome.error instanceof FencedError) this.fenced++;
    outcomes.forEach((r, i) => (r.ok ? items[i].resolve(r.value) : items[i].reject(r.error)));
  }

  /** Slow path after a failed batch: each write in its own transaction, fenced on its own. */
  private async runAlone(client: pg.PoolClient, items: Pending<unknown>[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < items.length; i++) {
      try {
        const value = await this.inTransaction(client, async () => {
          const error = (await this.refusedBy(client, [items[i]]))(items[i]);
          if (error) throw error;
          return items[i].write(this.store.on(client));
        });
        outcomes.push({ ok: true, value });
        this.commits++;
      } catch (error) {
        if (isPostgresStorageError(error)) {
          // Storage went away part-way: what committed stays committed, the rest fails with the cause.
          for (let j = i; j < items.length; j++) outcomes.push({ ok: false, error });
          break;
        }
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }

  /** BEGIN … COMMIT around `fn`, rolled back when it throws (a failed rollback throws the storage error). */
  private async inTransaction<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
    await client.query('BEGIN');
    try {
      const value = await fn();
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }

  /**
   * On a cluster node: proves the lease of every partition the writes touch, in one round
   * trip, and returns which write is refused with which error. Without a fence, none is.
   */
  private async refusedBy(
    client: pg.PoolClient,
    items: Pending<unknown>[],
  ): Promise<(item: Pending<unknown>) => FencedError | null> {
    const fence = this.fence;
    if (!fence) return () => null;
    const leases = new Map<number, number>();
    for (const { partition } of items) {
      if (partition === undefined || leases.has(partition)) continue;
      const token = fence.tokenFor(partition);
      if (token !== undefined) leases.set(partition, token);
    }
    const owned = await ownedAmong(
      client,
      [...leases].map(([partition, token]) => ({ partition, token })),
    );
    return ({ partition }) =>
      partition === undefined || owned.has(partition) ? null : new FencedError(partition, leases.get(partition) ?? 0);
  }
}
