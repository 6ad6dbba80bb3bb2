/**
 * What the PostgreSQL group committer adds to the contract every committer keeps
 * (test/runtime/committer.test.ts): fencing on a cluster node, and a lost connection.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type pg from 'pg';
import { acquire, ensurePartitions, FencedError } from '../../../src/cluster/leases.ts';
import { PgGroupCommitter } from '../../../src/store/postgres/committer.ts';
import { isPostgresStorageError } from '../../../src/store/postgres/errors.ts';
import type { PgStore } from '../../../src/store/postgres/pgStore.ts';
import { postgresSkipReason } from '../../helpers/postgres.ts';
import { postgresStore, TEST_PARTITIONS } from '../../helpers/stores.ts';

const skip = postgresSkipReason() ?? false;

async function keys(store: PgStore): Promise<string[]> {
  return (await (store.db as pg.Pool).query<{ key: string }>('SELECT key FROM kv ORDER BY key')).rows.map((r) => r.key);
}
const put = (key: string) => (tx: PgStore) => tx.setKv(key, 'v');

test(
  'on a cluster node a write for a partition it lost fails alone and writes nothing; the batch commits',
  { skip },
  async (t) => {
    const store = await postgresStore(t);
    const pool = store.db as pg.Pool;
    await ensurePartitions(pool, TEST_PARTITIONS);
    const tokens = new Map<number, number>();
    for (const lease of await acquire(pool, 'node-a', 60_000, [0, 1])) tokens.set(lease.partition, lease.token);
    // Partition 2: node-a's lease runs out and node-b takes it over, with a new token.
    const [stale] = await acquire(pool, 'node-a', 1, [2]);
    tokens.set(2, stale.token);
    await sleep(20);
    const [taken] = await acquire(pool, 'node-b', 60_000, [2]);
    assert.equal(taken.token, stale.token + 1);

    const committer = new PgGroupCommitter(store, { fence: { tokenFor: (partition) => tokens.get(partition) } });
    const settled = await Promise.allSettled([
      committer.commit(put('a0'), 0),
      committer.commit(put('b2'), 2), // lost to node-b
      committer.commit(put('c1'), 1),
      committer.commit(put('d3'), 3), // never held
      committer.commit(put('e'), undefined), // no partition: not fenced
    ]);
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'],
    );
    const lost = (settled[1] as PromiseRejectedResult).reason;
    assert.ok(lost instanceof FencedError);
    assert.deepEqual([lost.partition, lost.token], [2, stale.token]);
    assert.ok((settled[3] as PromiseRejectedResult).reason instanceof FencedError);
    assert.deepEqual(await keys(store), ['a0', 'c1', 'e']);
    assert.deepEqual([committer.commits, committer.retriedBatches, committer.fenced], [1, 0, 2]);
  },
);

test('a failing write fails alone on a cluster node too, and the others stay fenced', { skip }, async (t) => {
  const store = await postgresStore(t);
  const pool = store.db as pg.Pool;
  await ensurePartitions(pool, TEST_PARTITIONS);
  const [lease] = await acquire(pool, 'node-a', 60_000, [5]);
  const committer = new PgGroupCommitter(store, { fence: { tokenFor: (p) => (p === 5 ? lease.token : undefined) } });
  const settled = await Promise.allSettled([
    committer.commit(put('a'), 5),
    committer.commit(async (tx) => {
      await tx.setKv('b', 'v');
      throw new Error('validation failed after a write');
    }, 5),
    committer.commit(put('c'), 6),
    committer.commit(put('d'), 5),
  ]);
  assert.deepEqual(
    settled.map((s) => s.status),
    ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
  );
  assert.ok((settled[2] as PromiseRejectedResult).reason instanceof FencedError, 'fenced when run alone as well');
  assert.deepEqual(await keys(store), ['a', 'd']);
  assert.equal(committer.retriedBatches, 1);
});

test('a batch whose connection is cut fails whole with the cause; the next batch commits', { skip }, async (t) => {
  const store = await postgresStore(t);
  const committer = new PgGroupCommitter(store);
  const settled = await Promise.allSettled([
    committer.commit(put('a')),
    committer.commit(async (tx) => {
      await (tx.db as pg.PoolClient).query('SELECT pg_terminate_backend(pg_backend_pid())');
    }),
    committer.commit(put('c')),
  ]);
  for (const s of settled) {
    assert.equal(s.status, 'rejected');
    const reason = (s as PromiseRejectedResult).reason;
    assert.ok(isPostgresStorageError(reason), `the cause, not a rollback: ${reason}`);
  }
  assert.deepEqual(await keys(store), [], 'nothing of the batch is stored');
  await committer.commit(put('d'));
  assert.deepEqual(await keys(store), ['d'], 'a new connection serves the next batch');
});

test('writes commit in the order they were queued, across batches', { skip }, async (t) => {
  const store = await postgresStore(t);
  const pool = store.db as pg.Pool;
  await pool.query('CREATE TABLE log (n INT, at BIGINT GENERATED ALWAYS AS IDENTITY)');
  const committer = new PgGroupCommitter(store, { maxBatch: 7 });
  const appended = (n: number) => async (tx: PgStore) => {
    await (tx.db as pg.PoolClient).query('INSERT INTO log (n) VALUES ($1)', [n]);
  };
  const writes: Promise<void>[] = [];
  for (let n = 0; n < 30; n++) {
    writes.push(committer.commit(appended(n)));
    if (n % 9 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(writes);
  const rows = await pool.query<{ n: number }>('SELECT n FROM log ORDER BY at');
  assert.deepEqual(
    rows.rows.map((r) => r.n),
    Array.from({ length: 30 }, (_, n) => n),
  );
  assert.ok(committer.commits >= 5, `${committer.commits} commits of at most 7 writes`);
  await committer.flush();
});
