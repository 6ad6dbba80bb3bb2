/**
 * Cluster membership: each node beats a row in `cluster_nodes`; a node is a member while
 * its row has not expired. Members decide each node's share of the partitions.
 */
import { execute, run, statement, type Queryable } from '../store/postgres/pool.ts';

const beat = statement<[string, number]>(
  'member_beat',
  `INSERT INTO cluster_nodes (id, started_at, heartbeat_at, expires_at) VALUES ($1, nudge_now_ms(), nudge_now_ms(), nudge_now_ms() + $2)
   ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at`,
);
const liveMembers = statement<[], { id: string }>(
  'member_live',
  `SELECT id FROM cluster_nodes WHERE expires_at > nudge_now_ms() ORDER BY id`,
);
const leave = statement<[string]>('member_leave', `DELETE FROM cluster_nodes WHERE id = $1`);
// Rows of nodes gone for an hour: kept that long so an operator can see who left.
const forgetGone = statement<[]>(
  'member_forget',
  `DELETE FROM cluster_nodes WHERE expires_at < nudge_now_ms() - 3600000`,
);

/** Renews this node's membership for `leaseMs`. */
export async function heartbeat(db: Queryable, nodeId: string, leaseMs: number): Promise<void> {
  await execute(db, beat, [nodeId, leaseMs]);
}

/** The ids of the live members, sorted (every node sees the same order). */
export async function members(db: Queryable): Promise<string[]> {
  return (await run(db, liveMembers, [])).map((row) => row.id);
}

/** Leaves the cluster at once (a clean shutdown), so the others need not wait for expiry. */
export async function leaveCluster(db: Queryable, nodeId: string): Promise<void> {
  await execute(db, leave, [nodeId]);
}

/** Deletes the rows of nodes long gone. */
export async function forgetGoneMembers(db: Queryable): Promise<number> {
  return execute(db, forgetGone, []);
}
