/**
 * Which partitions a node should give up or try to take, decided from what every node
 * reads alike (the sorted live members, the lease rows) so the nodes agree without talking:
 * each member's share is an even split, the first members in id order taking one more when
 * the count does not divide. A node takes only free or expired partitions and gives up its
 * surplus itself, so no live lease is ever taken from its owner.
 */
import { fnv1a32 } from './partitions.ts';
import type { LeaseRow } from './leases.ts';

/** How many partitions `nodeId` should own among `members` (sorted ids). */
export function shareOf(nodeId: string, members: readonly string[], partitions: number): number {
  const all = members.includes(nodeId) ? members : [...members, nodeId].sort();
  const index = all.indexOf(nodeId);
  return Math.floor(partitions / all.length) + (index < partitions % all.length ? 1 : 0);
}

/** A round of rebalancing for one node: partitions to release and partitions to try to acquire. */
export interface RebalancePlan {
  release: number[];
  acquire: number[];
}

/**
 * The plan for `nodeId` holding `held`. The surplus released is the highest-numbered held
 * partitions; the partitions tried are free or expired ones, starting at an offset derived
 * from the node's id so nodes taking at the same moment mostly try different ones.
 */
export function planRebalance(input: {
  nodeId: string;
  members: readonly string[];
  partitions: number;
  held: readonly number[];
  leases: readonly LeaseRow[];
  now: number;
}): RebalancePlan {
  const share = shareOf(input.nodeId, input.members, input.partitions);
  const held = [...input.held].sort((a, b) => a - b);
  if (held.length > share) return { release: held.slice(share), acquire: [] };
  const mine = new Set(held);
  const free = input.leases
    .filter((lease) => !mine.has(lease.partition) && (lease.owner === null || lease.expires_at <= input.now))
    .map((lease) => lease.partition);
  if (free.length === 0 || held.length === share) return { release: [], acquire: [] };
  const offset = fnv1a32(input.nodeId) % free.length;
  const rotated = [...free.slice(offset), ...free.slice(0, offset)];
  return { release: [], acquire: rotated.slice(0, share - held.length) };
}
