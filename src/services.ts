/**
 * Wires the core together: SQLite store, group committer, contact runtime, durable
 * scheduler. No HTTP here (see server.ts), so tests and benchmarks can drive the core
 * directly with a fake clock.
 */
import { SCENARIOS } from '../machines/contact.ts';
import type { BotConfig } from './config/botConfig.ts';
import type { Clock } from './clock.ts';
import { newId, newSecret } from './ids.ts';
import { GroupCommitter } from './runtime/committer.ts';
import { ContactRuntime, type ClassifyFn, type ComposeFn, type PlanSendFn } from './runtime/runtime.ts';
import type { DurableScheduler } from './runtime/scheduler.ts';
import { openCore, type OpenedCore } from './openCore.ts';
import { botFollowUpRecords } from './store/botFollowUps.ts';
import { BackgroundCheckpointer } from './store/checkpointer.ts';
import { RetentionPruner } from './store/retention.ts';
import type { DB } from './store/db.ts';
import type { BotRow, Store } from './store/store.ts';

export interface ServicesOptions {
  dbPath: string;
  clock: Clock;
  classify: ClassifyFn;
  compose: ComposeFn;
  /** Built once the store exists (it reads presence and message history). */
  planSend?: (store: Store) => PlanSendFn;
  schedulerWindow?: number;
  actorCacheSize?: number;
  onOutbox?: () => void;
  onSchedulerError?: (error: unknown) => void;
  /**
   * WAL checkpoints in a worker thread instead of inside commits (default for a file
   * database; `NUDGE_SQLITE_CHECKPOINT=inline` turns it off).
   */
  backgroundCheckpoint?: boolean;
  /**
   * The database, store and scheduler already opened by bootCore (which reads the due
   * window before this module is loaded); the scheduler's delivery is bound here.
   */
  opened?: OpenedCore;
}

export interface NudgeServices {
  db: DB;
  store: Store;
  clock: Clock;
  committer: GroupCommitter;
  runtime: ContactRuntime;
  scheduler: DurableScheduler;
  checkpointer: BackgroundCheckpointer | null;
  /** Deletes history past each bot's retention; the server starts it (src/store/retention.ts). */
  retention: RetentionPruner;
  /** Group commits and WAL checkpoints, for `GET /api/health` → `storage`. */
  storageStatus(): StorageStatus;
  createBot(config: BotConfig, allowedOrigins?: string[]): BotRow;
  updateBotConfig(botId: string, config: BotConfig): void;
  setOutboxListener(listener: () => void): void;
  /** Stops the scheduler, waits for queued events, flushes and closes the database. */
  close(): Promise<void>;
}

export interface StorageStatus {
  /** Where WAL checkpoints run: a worker thread, or SQLite inside commits (env, or the worker died). */
  checkpoints: 'background' | 'inline';
  /** Frames in the WAL at the last background checkpoint, and how many it copied back. */
  walFrames: number | null;
  walFramesCopied: number | null;
  lastCheckpointAt: string | null;
  checkpointErrors: number;
  lastCheckpointError: string | null;
  commits: number;
  writes: number;
  /** Batches that waited for a checkpoint to catch up (the WAL past its bound). */
  commitWaits: number;
}

export function createServices(options: ServicesOptions): NudgeServices {
  const { db, store, scheduler } = options.opened ?? openCore(options);
  const committer = new GroupCommitter(db, undefined, store.tx);
  const checkpointer =
    (options.backgroundCheckpoint ?? process.env.NUDGE_SQLITE_CHECKPOINT !== 'inline') && !db.memory
      ? new BackgroundCheckpointer(db)
      : null;
  committer.setGate(checkpointer);
  let outboxListener = options.onOutbox ?? (() => {});
  const runtime = new ContactRuntime({
    store,
    committer,
    clock: options.clock,
    classify: options.classify,
    compose: options.compose,
    planSend: options.planSend?.(store),
    actorCacheSize: options.actorCacheSize,
    onTimer: (ref) => scheduler.notify(ref),
    onOutbox: () => outboxListener(),
  });
  scheduler.bindDelivery((ref) => runtime.deliverDue(ref));
  const retention = new RetentionPruner({ db, committer, clock: options.clock });
  const botFollowUps = botFollowUpRecords(db);

  return {
    db,
    store,
    clock: options.clock,
    committer,
    runtime,
    scheduler,
    checkpointer,
    retention,
    storageStatus() {
      const stats = checkpointer?.stats;
      const reported = stats && stats.checkpoints > 0 ? stats : null;
      return {
        checkpoints: stats?.running ? 'background' : 'inline',
        walFrames: reported?.lastLog ?? null,
        walFramesCopied: reported?.lastCheckpointed ?? null,
        lastCheckpointAt: reported ? new Date(reported.lastStartedAt).toISOString() : null,
        checkpointErrors: stats?.errors ?? 0,
        lastCheckpointError: stats?.lastError ?? null,
        commits: committer.commits,
        writes: committer.writes,
        commitWaits: committer.gateWaits,
      };
    },
    createBot(config, allowedOrigins = []) {
      const now = options.clock.now();
      const row: BotRow = {
        id: newId('bot'),
        name: config.name,
        widget_key: newSecret('wk', 18),
        allowed_origins: JSON.stringify(allowedOrigins),
        config: JSON.stringify(config),
        created_at: now,
        updated_at: now,
      };
      store.insertBot(row);
      return row;
    },
    updateBotConfig(botId, config) {
      const now = options.clock.now();
      db.transaction(() => {
        store.updateBotConfig(botId, config.name, JSON.stringify(config), now);
        // A scenario switched off must not fire what it armed before.
        for (const scenario of SCENARIOS) {
          if (!config.scenarios[scenario].enabled) {
            botFollowUps.cancelPendingOfScenario(botId, scenario, now);
          }
        }
      })();
      runtime.invalidateBot(botId);
    },
    setOutboxListener(listener) {
      outboxListener = listener;
    },
    async close() {
      scheduler.stop();
      await retention.stop();
      await runtime.idle();
      committer.flush();
      await checkpointer?.stop();
      if (db.open) db.close();
    },
  };
}
