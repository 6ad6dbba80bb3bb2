/**
 * One Nudge node of a cluster on PostgreSQL, put together: the pool, the schema brought up
 * to date, the partitions it owns and the connection it listens on. What runs on the owned
 * partitions (the runtime, the scheduler, the gateway's fan-out) plugs in through
 * `onOwnershipChange` and `onNotify`; `health()` is what GET /api/health reports.
 */
import type pg from 'pg';
import { clusterConfig, type ClusterConfig } from './config.ts';
import { CHANNELS, NotifyListener, type Channel } from './notify.ts';
import { PartitionManager, type OwnershipChange } from './partitionManager.ts';
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
}

export interface ClusterNodeOptions {
  database: PostgresConfig;
  cluster: ClusterConfig;
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
    readonly partitions: PartitionManager,
    private readonly listener: NotifyListener,
  ) {}

  /** Connects, migrates, starts listening, then joins and takes its share of the partitions. */
  static async start(options: ClusterNodeOptions): Promise<ClusterNode> {
    const { nodeId } = options.cluster;
    const pool = createPool(options.database, nodeId, (error) =>
      options.log?.(`[cluster] idle connection lost: ${error.message}`),
    );
    try {
      await migratePostgres(pool, (line) => options.log?.(`[cluster] ${line}`));
      const listener = new NotifyListener({
        url: options.database.url,
        name: `${nodeId}-listen`,
        channels: [CHANNELS.inbox, CHANNELS.contact],
        onNotify: options.onNotify ?? (() => {}),
        onReconnect: options.onReconnect,
        log: options.log,
      });
      // Listen before owning anything, so no notification for a gained partition is missed.
      await listener.start();
      const partitions = new PartitionManager({
        pool,
        ...options.cluster,
        onChange: options.onOwnershipChange,
        log: options.log,
      });
      try {
        await partitions.start();
      } catch (error) {
        await listener.stop();
        throw error;
      }
      return new ClusterNode(pool, partitions, listener);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  health(): ClusterHealth {
    return {
      nodeId: this.partitions.nodeId,
      partitions: this.partitions.owned().map((lease) => lease.partition),
      members: [...this.partitions.clusterMembers()],
    };
  }

  /** Hands the partitions over, stops listening and closes the pool. */
  async stop(): Promise<void> {
    await this.partitions.stop();
    await this.listener.stop();
    await this.pool.end();
  }
}
