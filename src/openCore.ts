/**
 * The durable core's first step: the SQLite file (opened, migrated, statements prepared)
 * and the scheduler over its due index. Kept apart from services.ts, which loads the
 * runtime (XState, zod, luxon…): start-up imports only this much before it knows the next
 * due follow-up (src/boot.ts).
 */
import type { Clock } from './clock.ts';
import { DurableScheduler } from './runtime/scheduler.ts';
import { openDatabase, type DB } from './store/db.ts';
import { Store } from './store/store.ts';

export interface OpenedCore {
  db: DB;
  store: Store;
  scheduler: DurableScheduler;
}

/** Opens the database and builds the scheduler over it; `load()` it to know the next due. */
export function openCore(options: {
  dbPath: string;
  clock: Clock;
  schedulerWindow?: number;
  onSchedulerError?: (error: unknown) => void;
  /** One line per schema migration applied (src/store/db.ts `migrate`). */
  onMigration?: (line: string) => void;
}): OpenedCore {
  const db = openDatabase(options.dbPath, { onMigration: options.onMigration });
  const store = new Store(db);
  const scheduler = new DurableScheduler({
    store,
    clock: options.clock,
    windowSize: options.schedulerWindow,
    onError: (error) => options.onSchedulerError?.(error),
  });
  return { db, store, scheduler };
}
