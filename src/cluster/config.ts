/**
 * The cluster settings of a node on PostgreSQL: how many partitions contacts are spread
 * over, the node's name, and how long a partition's lease lasts. Validated at start.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export interface ClusterConfig {
  /** `NUDGE_PARTITIONS` (default 64): fixed for the life of a database, every node must agree. */
  partitions: number;
  /** `NUDGE_NODE_ID` (default host-pid-random): unique among the live nodes. */
  nodeId: string;
  /** `NUDGE_LEASE_MS` (default 5,000): a node silent this long loses its partitions and its membership. */
  leaseMs: number;
  /** How often a node renews its leases and rebalances: a fifth of the lease, so four renewals may fail first. */
  renewMs: number;
}

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

const SETTINGS = {
  NUDGE_PARTITIONS: { schema: wholeNumber(1, 4096), fallback: 64 },
  NUDGE_LEASE_MS: { schema: wholeNumber(500, 600_000), fallback: 5_000 },
} as const;

const nodeIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, { error: 'must be 1 to 64 letters, digits or . _ : -' });

function setting(env: Record<string, string | undefined>, name: keyof typeof SETTINGS): number {
  const raw = env[name]?.trim();
  const parsed = SETTINGS[name].schema.safeParse(raw ? raw : SETTINGS[name].fallback);
  if (!parsed.success) throw new Error(`${name} ${parsed.error.issues[0].message}, got "${raw}"`);
  return parsed.data;
}

/** The cluster settings from the environment; throws naming the first invalid one. */
export function clusterConfig(env: Record<string, string | undefined> = process.env): ClusterConfig {
  const rawId = env.NUDGE_NODE_ID?.trim();
  const nodeId = rawId || `${hostname().slice(0, 40)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const id = nodeIdSchema.safeParse(nodeId);
  if (!id.success) throw new Error(`NUDGE_NODE_ID ${id.error.issues[0].message}, got "${nodeId}"`);
  const leaseMs = setting(env, 'NUDGE_LEASE_MS');
  return {
    partitions: setting(env, 'NUDGE_PARTITIONS'),
    nodeId: id.data,
    leaseMs,
    renewMs: Math.max(100, Math.floor(leaseMs / 5)),
  };
}
