import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type pg from 'pg';
import { FakeClock } from '../../src/clock.ts';
import { assertOwner, ensurePartitions, FencedError } from '../../src/cluster/leases.ts';
import { PartitionManager, type OwnershipChange } from '../../src/cluster/partitionManager.ts';
import { migratePostgres } from '../../src/store/postgres/migrate.ts';
import { createPool, transaction } from '../../src/store/postgres/pool.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/postgres.ts';

const skip = postgresSkipReason() ?? false;
const PARTITIONS = 64;
const LEASE_MS = 1_000;
const RENEW_MS = 200;

type Context = { after(fn: () => Promise<void> | void): void };

async function cluster(t: Context) {
  const pool = createPool({ url: await createTestDatabase(), poolSize: 8 });
  t.after(() => pool.end());
  await migratePostgres(pool);
  const changes = new Map<string, OwnershipChange[]>();
  /** A node whose rounds run only when the test ticks it (its FakeClock never moves). */
  const node = async (nodeId: string, partitions = PARTITIONS) => {
    const manager = new PartitionManager({
      pool,
      nodeId,
      partitions,
      leaseMs: LEASE_MS,
      renewMs: RENEW_MS,
      clock: new FakeClock(),
      onChange: (change) => changes.set(nodeId, [...(changes.get(nodeId) ?? []), change]),
    });
    await manager.start();
    return manager;
  };
  return { pool, node, changes };
}

async function rounds(nodes: PartitionManager[], count: number): Promise<void> {
  for (let i = 0; i < count; i++) for (const node of nodes) await node.tick();
}

async function leaseOwners(
  pool: pg.Pool,
): Promise<Map<number, { owner: string | null; token: number; acquired_at: number | null }>> {
  const rows = await pool.query<{ partition: number; owner: string | null; token: number; acquired_at: number | null }>(
    'SELECT partition, owner, token, acquired_at FROM partition_leases WHERE expires_at > nudge_now_ms() ORDER BY partition',
  );
  return new Map(rows.rows.map(({ partition, ...rest }) => [partition, rest]));
}

test('three nodes share 64 partitions evenly, each partition with one owner', { skip }, async (t) => {
  const { pool, node } = await cluster(t);
  const a = await node('node-a');
  assert.equal(a.owned().length, PARTITIONS, 'a lone node owns every partition');
  const b = await node('node-b');
  const c = await node('node-c');
  await rounds([a, b, c], 3);

  assert.deepEqual(
    [a, b, c].map((n) => n.owned().length),
    [22, 21, 21],
  );
  const owners = await leaseOwners(pool);
  assert.equal(owners.size, PARTITIONS);
  for (const n of [a, b, c]) {
    for (const lease of n.owned())
      assert.deepEqual(
        [owners.get(lease.partition)?.owner, owners.get(lease.partition)?.token],
        [n.nodeId, lease.token],
      );
  }
  assert.deepEqual(a.clusterMembers(), ['node-a', 'node-b', 'node-c']);
});

test('a node that leaves hands its partitions to the others at once', { skip }, async (t) => {
  const { node, changes } = await cluster(t);
  const [a, b, c] = [await node('node-a'), await node('node-b'), await node('node-c')];
  await rounds([a, b, c], 3);
  const cHeld = c.owned().map((lease) => lease.partition);
  await c.stop();
  assert.deepEqual(changes.get('node-c')?.at(-1)?.lost, cHeld);
  await rounds([a, b], 2);
  assert.deepEqual([a.owned().length, b.owned().length], [32, 32]);
});

test(
  'a paused node loses its partitions within lease + renew interval; its old token is refused when it wakes',
  { skip },
  async (t) => {
    const { pool, node, changes } = await cluster(t);
    const [a, b, c] = [await node('node-a'), await node('node-b'), await node('node-c')];
    await rounds([a, b, c], 3);
    // a's last round, then it stops renewing: a process paused, a long GC, a network cut.
    await a.tick();
    const pausedAt = Date.now();
    const stale = a.owned();
    assert.equal(stale.length, 22);

    let takenOverAfter = Number.NaN;
    while (Date.now() - pausedAt < LEASE_MS + RENEW_MS + 5_000) {
      await rounds([b, c], 1);
      const owners = await leaseOwners(pool);
      if (stale.every((lease) => [b.nodeId, c.nodeId].includes(owners.get(lease.partition)?.owner ?? ''))) {
        takenOverAfter = Date.now() - pausedAt;
        break;
      }
      await sleep(RENEW_MS / 2);
    }
    assert.ok(takenOverAfter >= LEASE_MS, `taken over after ${takenOverAfter} ms, before the lease ran out`);
    // The bound is lease + one renew interval; the rest is slack for a loaded test machine.
    assert.ok(takenOverAfter <= LEASE_MS + RENEW_MS + 1_500, `taken over after ${takenOverAfter} ms`);
    assert.deepEqual([b.owned().length, c.owned().length].sort(), [32, 32]);
    const owners = await leaseOwners(pool);
    for (const lease of stale)
      assert.equal(owners.get(lease.partition)?.token, lease.token + 1, 'a takeover is a new token');

    // a wakes up still believing it owns its partitions, and writes with its old token.
    const [first] = stale;
    await assert.rejects(
      transaction(pool, async (client) => {
        await client.query(`INSERT INTO kv (key, value) VALUES ('written-by-a', 'stale')`);
        await assertOwner(client, first.partition, first.token);
      }),
      (error: Error) => error instanceof FencedError && error.partition === first.partition,
    );
    assert.equal(
      (await pool.query(`SELECT 1 FROM kv WHERE key = 'written-by-a'`)).rowCount,
      0,
      'nothing of the write was committed',
    );

    await a.tick();
    assert.deepEqual(
      changes.get('node-a')?.at(-1)?.lost,
      stale.map((lease) => lease.partition),
      'its first round after waking reports every partition lost',
    );
    await rounds([a, b, c], 3);
    assert.deepEqual([a, b, c].map((n) => n.owned().length).sort(), [21, 21, 22]);
  },
);

test('a takeover waits for the old owner’s write transaction in flight to end', { skip }, async (t) => {
  const { pool, node } = await cluster(t);
  const a = await node('node-a', 2);
  const b = await node('node-b', 2);
  await rounds([a, b], 3);
  const [lease] = a.owned();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await assertOwner(client, lease.partition, lease.token);
    await client.query(`INSERT INTO kv (key, value) VALUES ('in-flight', 'a')`);

    await sleep(LEASE_MS + 100);
    await rounds([b], 2);
    assert.equal(b.tokenFor(lease.partition), undefined, 'the lease expired, but a write holding it is still open');
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  await rounds([b], 1);
  assert.equal(b.tokenFor(lease.partition), lease.token + 1);
  assert.equal(
    (await pool.query(`SELECT 1 FROM kv WHERE key = 'in-flight'`)).rowCount,
    1,
    'the write checked in time committed',
  );
});

test('the partition count of a database cannot change', { skip }, async (t) => {
  const { pool } = await cluster(t);
  await ensurePartitions(pool, 64);
  await assert.rejects(
    ensurePartitions(pool, 128),
    /NUDGE_PARTITIONS is 128 but this database was created with 64 partitions/,
  );
});

test('a node cut off from the database stops trusting its leases at its local deadline', { skip }, async (t) => {
  const url = await createTestDatabase();
  const admin = createPool({ url, poolSize: 1 });
  t.after(() => admin.end());
  await migratePostgres(admin);
  const cutOff = createPool({ url, poolSize: 1 });
  const clock = new FakeClock();
  const changes: OwnershipChange[] = [];
  const logged: string[] = [];
  const node = new PartitionManager({
    pool: cutOff,
    nodeId: 'node-a',
    partitions: 4,
    leaseMs: LEASE_MS,
    renewMs: RENEW_MS,
    clock,
    onChange: (change) => changes.push(change),
    log: (line) => logged.push(line),
  });
  await node.start();
  assert.equal(node.owned().length, 4);
  await cutOff.end();

  clock.advance(LEASE_MS - 1);
  await node.tick();
  assert.equal(node.failedRounds, 1);
  assert.match(logged[0], /node-a: round failed/);
  assert.equal(node.owned().length, 4, 'still within the lease');
  clock.advance(1);
  assert.equal(node.tokenFor(0), undefined, 'past the deadline no token is handed out, even before a round');
  await node.tick();
  assert.deepEqual(changes.at(-1), { gained: [], lost: [0, 1, 2, 3] });
});

test('rebalancing waits for a partition’s work to stop before releasing it', { skip }, async (t) => {
  const { pool, node } = await cluster(t);
  const stopping: { partition: number; ownerDuringHook: string | null }[] = [];
  const a = new PartitionManager({
    pool,
    nodeId: 'node-a',
    partitions: 4,
    leaseMs: LEASE_MS,
    renewMs: RENEW_MS,
    clock: new FakeClock(),
    beforeRelease: async (partition) => {
      const owner = await pool.query<{ owner: string | null }>(
        'SELECT owner FROM partition_leases WHERE partition = $1',
        [partition],
      );
      stopping.push({ partition, ownerDuringHook: owner.rows[0].owner });
    },
  });
  await a.start();
  const b = await node('node-b', 4);
  await rounds([a, b], 2);
  assert.deepEqual(stopping, [
    { partition: 2, ownerDuringHook: 'node-a' },
    { partition: 3, ownerDuringHook: 'node-a' },
  ]);
  assert.deepEqual(
    b.owned().map((lease) => lease.partition),
    [2, 3],
  );
});
