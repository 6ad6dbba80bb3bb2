/**
 * One Nudge node of a cluster on PostgreSQL, put together: the pool, the schema brought up
 * to date, the partitions it owns, the connection it listens on and, with `work`, what it
 * does on its partitions (src/cluster/partitionWork.ts: their inbox, their follow-ups, the
 * contact notifications for its sockets). `health()` is what GET /api/health reports.
 */
import type pg from 'pg';
import { clusterConfig, type ClusterConfig } from './config.ts';
import { CHANNELS, NotifyListener, type Channel } from './notify.ts';
import { PartitionManager, type OwnershipChange } from './partitionManager.ts';
import { PartitionWork, type PartitionWorkOptions, type PartitionWorkStats } from './partitionWork.ts';
import { postgresConfig, type PostgresConfig } from '../store/postgres/config.ts';
import { migratePostgres } from '../store/postgres/migrate.ts';
import { createPool } from '../store/postgres/pool.ts';

/** What a node reports about the cluster. */
export interface ClusterHealth {
  nodeId: string;
  /** The partitions this node owns now. */
  partitions: number[];
  /** The live members, sorted. */
  members: string[];
  /** Events applied, follow-ups fired, writes fenced on this node (with `work`). */
  work?: PartitionWorkStats;
}

/** What a node does on its partitions, given its pool and its leases (which it may wrap, tests do). */
export type NodeWork = (
  pool: pg.Pool,
  leases: PartitionManager,
) => Omit<PartitionWorkOptions, 'pool' | 'leases'> & Partial<Pick<PartitionWorkOptions, 'leases'>>;

export interface ClusterNodeOptions {
  database: PostgresConfig;
  cluster: ClusterConfig;
  /** Applies events and fires follow-ups on the owned partitions; without it the node only owns them. */
  work?: NodeWork;
  onOwnershipChange?: (change: OwnershipChange) => void;
  onNotify?: (channel: Channel, payload: string) => void;
  /** After the listening connection came back: notifications in between were lost. */
  onReconnect?: () => void;
  log?: (line: string) => void;
}

/** The database and cluster settings from the environment, or null without NUDGE_DATABASE_URL (SQLite). */
export function clusterSettings(
  env: Record<string, string | undefined> = process.env,
): { database: PostgresConfig; cluster: ClusterConfig } | null {
  const database = postgresConfig(env);
  return database ? { database, cluster: clusterConfig(env) } : null;
}

export class ClusterNode {
  private constructor(
    readonly pool: pg.Pool,
    private readonly leasePool: pg.Pool,
    readonly partitions: PartitionManager,
    private readonly listener: NotifyListener,
    readonly work: PartitionWork | null,
  ) {}

  /** Connects, migrates, starts listening, then joins and takes its share of the partitions. */
  static async start(options: ClusterNodeOptions): Promise<ClusterNode> {
    const { nodeId } = options.cluster;
    const idleLost = (error: Error) => options.log?.(`[cluster] idle connection lost: ${error.message}`);
    const pool = createPool(options.database, nodeId, idleLost);
    // Renewals on a connection of their own: queued behind a busy pool, a lease would lapse
    // while the node is merely loaded.
    const leasePool = createPool({ ...options.database, poolSize: 1 }, `${nodeId}-leases`, idleLost);
    try {
      await migratePostgres(pool, (line) => options.log?.(`[cluster] ${line}`));
      const partitions = new PartitionManager({
        pool: leasePool,
        ...options.cluster,
        onChange: (change) => {
          options.onOwnershipChange?.(change);
          work?.onOwnershipChange(change);
        },
        log: options.log,
      });
      const work = options.work
        ? new PartitionWork({ log: options.log, leases: partitions, ...options.work(pool, partitions), pool })
        : null;
      const listener = new NotifyListener({
        url: options.database.url,
        name: `${nodeId}-listen`,
        channels: [CHANNELS.inbox, CHANNELS.contact],
        onNotify: (channel, payload) => {
          options.onNotify?.(channel, payload);
          work?.onNotify(channel, payload);
        },
        onReconnect: () => {
          options.onReconnect?.();
          work?.onReconnect();
        },
        log: options.log,
      });
      // Listen before owning anything, so no notification for a gained partition is missed.
      await listener.start();
      try {
        await partitions.start();
      } catch (error) {
        await listener.stop();
        throw error;
      }
      work?.start();
      return new ClusterNode(pool, leasePool, partitions, listener, work);
    } catch (error) {
      await pool.end();
      await leasePool.end();
      throw error;
    }
  }

  health(): ClusterHealth {
    return {
      nodeId: this.partitions.nodeId,
      partitions: this.partitions.owned().map((lease) => lease.partition),
      members: [...this.partitions.clusterMembers()],
      ...(this.work ? { work: { ...this.work.stats } } : {}),
    };
  }

  /** Stops the work, hands the partitions over, stops listening and closes the pools. */
  async stop(): Promise<void> {
    await this.work?.stop();
    await this.partitions.stop();
    await this.listener.stop();
    await this.pool.end();
    await this.leasePool.end();
  }
}
