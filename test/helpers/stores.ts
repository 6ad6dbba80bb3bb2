/**
 * The store test matrix: `storeTest(name, fn)` declares one test per store, on SQLite and,
 * where its binaries are present, on PostgreSQL (a throwaway cluster, test/helpers/postgres.ts),
 * so one suite states the storage contract for both; `committerTest` does the same for
 * the group committers. Without the binaries the PostgreSQL case
 * skips with a printed reason; with NUDGE_REQUIRE_POSTGRES=1 (CI) it fails instead.
 */
import { test, type TestContext } from 'node:test';
import type pg from 'pg';
import { GroupCommitter } from '../../src/runtime/committer.ts';
import { openDatabase } from '../../src/store/db.ts';
import type { Committer } from '../../src/store/port.ts';
import { PgGroupCommitter } from '../../src/store/postgres/committer.ts';
import { migratePostgres } from '../../src/store/postgres/migrate.ts';
import { PgStore } from '../../src/store/postgres/pgStore.ts';
import { createPool } from '../../src/store/postgres/pool.ts';
import { Store } from '../../src/store/store.ts';
import { createTestDatabase, postgresSkipReason } from './postgres.ts';

export type StoreKind = 'sqlite' | 'postgres';
/** Either store: every call is awaited, which a synchronous SQLite result passes through. */
export type AnyStore = Store | PgStore;

/** The partition count of the PostgreSQL stores under test. */
export const TEST_PARTITIONS = 8;

let template: Promise<string> | null = null;

/** A database migrated once per test process, copied for each test (cheaper than migrating each). */
function migratedTemplate(): Promise<string> {
  return (template ??= (async () => {
    const url = await createTestDatabase();
    const pool = createPool({ url, poolSize: 1 });
    try {
      await migratePostgres(pool);
    } finally {
      await pool.end();
    }
    return url;
  })());
}

/** A SQLite store on a fresh in-memory database, closed after the test. */
export function sqliteStore(t: TestContext): Store {
  const db = openDatabase(':memory:');
  t.after(() => db.close());
  return new Store(db);
}

/** A PgStore on a fresh migrated database, its pool ended after the test. */
export async function postgresStore(t: TestContext, poolSize = 4): Promise<PgStore> {
  const pool = createPool({ url: await createTestDatabase(await migratedTemplate()), poolSize });
  t.after(() => pool.end());
  return new PgStore(pool, { partitions: TEST_PARTITIONS });
}

/** Declares `name` once per store kind; `fn` gets a fresh, empty store. */
export function storeTest(name: string, fn: (t: TestContext, store: AnyStore, kind: StoreKind) => Promise<void>): void {
  test(`${name} [sqlite]`, (t) => fn(t, sqliteStore(t), 'sqlite'));
  test(`${name} [postgres]`, { skip: postgresSkipReason() ?? false }, async (t) =>
    fn(t, await postgresStore(t), 'postgres'),
  );
}

/** A group committer with its counters, whichever store it commits to. */
export type AnyCommitter = Committer & { commits: number; writes: number; retriedBatches: number };

export interface CommitterCase {
  kind: StoreKind;
  store: AnyStore;
  /** A committer on the store (one per test unless a test needs another batch size). */
  committer(maxBatch?: number): AnyCommitter;
  /** Makes the database refuse writes (on) and accept them again (off): a storage failure. */
  readOnly(on: boolean): Promise<void>;
  /** The error code a refused write fails with. */
  readOnlyCode: string;
}

/** Declares `name` once per group committer; `fn` gets a fresh, empty store and its committer factory. */
export function committerTest(name: string, fn: (t: TestContext, c: CommitterCase) => Promise<void>): void {
  test(`${name} [sqlite]`, (t) => {
    const store = sqliteStore(t);
    return fn(t, {
      kind: 'sqlite',
      store,
      committer: (maxBatch) => new GroupCommitter(store.db, maxBatch, store.tx),
      readOnly: async (on) => void store.db.pragma(`query_only = ${on ? 'ON' : 'OFF'}`),
      readOnlyCode: 'SQLITE_READONLY',
    });
  });
  test(`${name} [postgres]`, { skip: postgresSkipReason() ?? false }, async (t) => {
    // One connection, so a session setting reaches the committer's transactions.
    const store = await postgresStore(t, 1);
    const pool = store.db as pg.Pool;
    return fn(t, {
      kind: 'postgres',
      store,
      committer: (maxBatch) => new PgGroupCommitter(store, { maxBatch }),
      readOnly: async (on) => void (await pool.query(`SET default_transaction_read_only = ${on ? 'on' : 'off'}`)),
      readOnlyCode: '25006',
    });
  });
}
