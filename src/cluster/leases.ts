/**
 * Partition leases with fencing tokens. A partition is owned by the node named in its lease
 * row until `expires_at` (the database's clock); every acquisition adds one to the token,
 * so a token names one tenure and is never reused. A write for a partition runs
 * `assertOwner` in its transaction, locking the lease row FOR KEY SHARE: renewals (plain
 * updates) do not wait for it, an acquisition (FOR UPDATE) does. So a new owner gets the
 * partition only after every transaction that checked the old token has ended, and a node
 * that lost a partition (paused, cut off, too slow to renew) cannot commit a write for it.
 */
import type pg from 'pg';
import { execute, run, statement, type Queryable } from '../store/postgres/pool.ts';

/** One partition's lease as stored. */
export interface LeaseRow {
  partition: number;
  owner: string | null;
  token: number;
  expires_at: number;
}

/** A partition this node holds: the token its writes must carry and when the lease ends (database clock). */
export interface Lease {
  partition: number;
  token: number;
  expires_at: number;
}

/** Thrown by `assertOwner` inside a write transaction: roll it back, the partition is someone else's. */
export class FencedError extends Error {
  override readonly name = 'FencedError';
  constructor(
    readonly partition: number,
    readonly token: number,
  ) {
    super(`partition ${partition}: lease token ${token} is no longer valid (expired or taken over)`);
  }
}

const readPartitionCount = statement<[], { value: string }>(
  'lease_partition_count',
  `SELECT value FROM cluster_settings WHERE key = 'partitions'`,
);
const fixPartitionCount = statement<[string]>(
  'lease_fix_partition_count',
  `INSERT INTO cluster_settings (key, value) VALUES ('partitions', $1) ON CONFLICT (key) DO NOTHING`,
);
const createLeases = statement<[number]>(
  'lease_create',
  `INSERT INTO partition_leases (partition) SELECT generate_series(0, $1 - 1) ON CONFLICT (partition) DO NOTHING`,
);
const checkOwner = statement<[number, number], { partition: number }>(
  'lease_check_owner',
  `SELECT partition FROM partition_leases WHERE partition = $1 AND token = $2 AND expires_at > nudge_now_ms() FOR KEY SHARE`,
);
const checkOwners = statement<[number[], number[]], { partition: number }>(
  'lease_check_owners',
  `SELECT l.partition FROM partition_leases l JOIN unnest($1::int[], $2::bigint[]) AS mine(partition, token)
     ON l.partition = mine.partition AND l.token = mine.token
   WHERE l.expires_at > nudge_now_ms() FOR KEY SHARE OF l`,
);
const renewLeases = statement<[string, number, number[], number[]], Lease>(
  'lease_renew',
  `UPDATE partition_leases l SET expires_at = nudge_now_ms() + $2
   FROM unnest($3::int[], $4::bigint[]) AS mine(partition, token)
   WHERE l.partition = mine.partition AND l.token = mine.token AND l.owner = $1 AND l.expires_at > nudge_now_ms()
   RETURNING l.partition, l.token, l.expires_at`,
);
// SKIP LOCKED: a lease row locked by a write of its old owner is left for the next round,
// so a node never blocks on another's transaction.
const acquireLeases = statement<[string, number, number[]], Lease>(
  'lease_acquire',
  `UPDATE partition_leases l SET owner = $1, token = l.token + 1, acquired_at = nudge_now_ms(), expires_at = nudge_now_ms() + $2
   FROM (SELECT partition FROM partition_leases
         WHERE partition = ANY($3::int[]) AND (owner IS NULL OR expires_at <= nudge_now_ms())
         ORDER BY partition FOR UPDATE SKIP LOCKED) free
   WHERE l.partition = free.partition
   RETURNING l.partition, l.token, l.expires_at`,
);
const releaseLease = statement<[string, number, number]>(
  'lease_release',
  `UPDATE partition_leases SET owner = NULL, expires_at = 0 WHERE partition = $2 AND token = $3 AND owner = $1`,
);
const allLeases = statement<[], LeaseRow & { now: number }>(
  'lease_all',
  `SELECT partition, owner, token, expires_at, nudge_now_ms() AS now FROM partition_leases ORDER BY partition`,
);

/**
 * Creates the lease rows on first start and checks the partition count: contacts keep the
 * partition they were hashed to, so a database's count can never change under them.
 */
export async function ensurePartitions(pool: pg.Pool, partitions: number): Promise<void> {
  await execute(pool, fixPartitionCount, [String(partitions)]);
  const [{ value }] = await run(pool, readPartitionCount, []);
  if (Number(value) !== partitions) {
    throw new Error(
      `NUDGE_PARTITIONS is ${partitions} but this database was created with ${value} partitions; they cannot change`,
    );
  }
  await execute(pool, createLeases, [partitions]);
}

/**
 * Inside a write transaction: proves this node still owns `partition` with `token` and
 * keeps it so until the transaction ends. Throws FencedError otherwise.
 */
export async function assertOwner(client: Queryable, partition: number, token: number): Promise<void> {
  const rows = await run(client, checkOwner, [partition, token]);
  if (rows.length === 0) throw new FencedError(partition, token);
}

/**
 * `assertOwner` for several partitions in one round trip: returns those of `leases` this
 * node still owns, each kept so until the transaction ends; the others are fenced.
 */
export async function ownedAmong(
  client: Queryable,
  leases: readonly Pick<Lease, 'partition' | 'token'>[],
): Promise<Set<number>> {
  if (leases.length === 0) return new Set();
  const rows = await run(client, checkOwners, [leases.map((l) => l.partition), leases.map((l) => l.token)]);
  return new Set(rows.map((row) => row.partition));
}

/** Extends the leases this node still holds unexpired; returns those renewed (the others are lost). */
export async function renew(db: Queryable, nodeId: string, leaseMs: number, held: readonly Lease[]): Promise<Lease[]> {
  if (held.length === 0) return [];
  return run(db, renewLeases, [nodeId, leaseMs, held.map((l) => l.partition), held.map((l) => l.token)]);
}

/** Takes those of `partitions` that are free or expired and not locked right now; returns the leases won. */
export async function acquire(
  db: Queryable,
  nodeId: string,
  leaseMs: number,
  partitions: readonly number[],
): Promise<Lease[]> {
  if (partitions.length === 0) return [];
  return run(db, acquireLeases, [nodeId, leaseMs, [...partitions]]);
}

/** Gives a partition up at once (rebalance, shutdown); false when it was no longer this node's. */
export async function release(db: Queryable, nodeId: string, lease: Lease): Promise<boolean> {
  return (await execute(db, releaseLease, [nodeId, lease.partition, lease.token])) === 1;
}

/** Every lease row, with the database's clock at the time of reading. */
export async function readLeases(db: Queryable): Promise<{ leases: LeaseRow[]; now: number }> {
  const rows = await run(db, allLeases, []);
  return { leases: rows.map(({ now: _now, ...lease }) => lease), now: rows[0]?.now ?? 0 };
}
