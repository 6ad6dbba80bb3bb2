/**
 * A node's partitions: joins the cluster, then every `renewMs` beats its membership, renews
 * its leases and rebalances (src/cluster/rebalance.ts). It reports partitions gained and
 * lost; the work of a partition (its contacts' events and timers) starts on gain and stops
 * on loss. A lease counts as held locally only until `leaseMs` after the renewal was sent,
 * which is never later than the database's expiry, so a node that cannot renew stops
 * working on its own; fencing (`assertOwner`) refuses whatever it still tries to write.
 */
import type pg from 'pg';
import { systemClock, type Clock, type TimerHandle } from '../clock.ts';
import type { ClusterConfig } from './config.ts';
import { acquire, ensurePartitions, readLeases, release, renew, type Lease } from './leases.ts';
import { forgetGoneMembers, heartbeat, leaveCluster, members } from './membership.ts';
import { planRebalance } from './rebalance.ts';

/** What changed in one round: leases won and partitions given up or lost. */
export interface OwnershipChange {
  gained: Lease[];
  lost: number[];
}

export interface PartitionManagerOptions extends Pick<ClusterConfig, 'nodeId' | 'partitions' | 'leaseMs' | 'renewMs'> {
  pool: pg.Pool;
  clock?: Clock;
  onChange?: (change: OwnershipChange) => void;
  /** Awaited before a partition is released by rebalancing: stop its work first. */
  beforeRelease?: (partition: number) => Promise<void>;
  log?: (line: string) => void;
}

interface Held extends Lease {
  /** Local clock time after which the lease is not trusted any more. */
  localDeadline: number;
}

export class PartitionManager {
  private readonly pool: pg.Pool;
  private readonly clock: Clock;
  private readonly held = new Map<number, Held>();
  private members: string[] = [];
  private timer: TimerHandle | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Rounds that failed (database unreachable…); each is logged. */
  failedRounds = 0;

  constructor(private readonly options: PartitionManagerOptions) {
    this.pool = options.pool;
    this.clock = options.clock ?? systemClock;
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** Creates the lease rows if needed, runs a first round, then one every renewMs. */
  async start(): Promise<void> {
    await ensurePartitions(this.pool, this.options.partitions);
    await this.tick();
    this.schedule();
  }

  /** The leases held now, by partition. */
  owned(): Lease[] {
    const now = this.clock.now();
    return [...this.held.values()]
      .filter((lease) => lease.localDeadline > now)
      .map(({ partition, token, expires_at }) => ({ partition, token, expires_at }))
      .sort((a, b) => a.partition - b.partition);
  }

  /** The fencing token to write `partition` with, or undefined when this node does not hold it. */
  tokenFor(partition: number): number | undefined {
    const lease = this.held.get(partition);
    return lease && lease.localDeadline > this.clock.now() ? lease.token : undefined;
  }

  /** The live members as last read. */
  clusterMembers(): readonly string[] {
    return this.members;
  }

  /** One round: heartbeat, renew, rebalance. Rounds never overlap; a failed one is logged and counted. */
  tick(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = null));
    return this.running;
  }

  /** Stops the rounds, releases every partition and leaves the cluster so others take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    await this.running;
    const lost = [...this.held.values()];
    this.held.clear();
    try {
      for (const lease of lost) await release(this.pool, this.nodeId, lease);
      await leaveCluster(this.pool, this.nodeId);
    } finally {
      if (lost.length) this.options.onChange?.({ gained: [], lost: lost.map((lease) => lease.partition) });
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      void this.tick().then(() => this.schedule());
    }, this.options.renewMs);
  }

  private async round(): Promise<void> {
    const { nodeId, leaseMs } = this.options;
    const change: OwnershipChange = { gained: [], lost: [] };
    try {
      const sentAt = this.clock.now();
      await heartbeat(this.pool, nodeId, leaseMs);
      this.dropLapsed(change);
      const renewed = await renew(this.pool, nodeId, leaseMs, [...this.held.values()]);
      const kept = new Set(renewed.map((lease) => lease.partition));
      for (const partition of [...this.held.keys()]) {
        if (!kept.has(partition)) this.lose(partition, change);
      }
      for (const lease of renewed) this.held.set(lease.partition, { ...lease, localDeadline: sentAt + leaseMs });

      this.members = await members(this.pool);
      const { leases, now } = await readLeases(this.pool);
      const plan = planRebalance({
        nodeId,
        members: this.members,
        partitions: this.options.partitions,
        held: [...this.held.keys()],
        leases,
        now,
      });
      for (const partition of plan.release) {
        const lease = this.held.get(partition);
        if (!lease) continue;
        await this.options.beforeRelease?.(partition);
        this.lose(partition, change);
        await release(this.pool, nodeId, lease);
      }
      const acquiredAt = this.clock.now();
      for (const lease of await acquire(this.pool, nodeId, leaseMs, plan.acquire)) {
        this.held.set(lease.partition, { ...lease, localDeadline: acquiredAt + leaseMs });
        change.gained.push(lease);
      }
      if (Math.random() < 0.01) await forgetGoneMembers(this.pool);
    } catch (error) {
      this.failedRounds++;
      this.dropLapsed(change);
      this.options.log?.(`[cluster] ${nodeId}: round failed: ${(error as Error).message}`);
    } finally {
      if (change.gained.length || change.lost.length) this.options.onChange?.(change);
    }
  }

  /** Forgets leases whose local deadline passed: they may already be someone else's. */
  private dropLapsed(change: OwnershipChange): void {
    const now = this.clock.now();
    for (const lease of [...this.held.values()]) if (lease.localDeadline <= now) this.lose(lease.partition, change);
  }

  private lose(partition: number, change: OwnershipChange): void {
    if (this.held.delete(partition)) change.lost.push(partition);
  }
}
