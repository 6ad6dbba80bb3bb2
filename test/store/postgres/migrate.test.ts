import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from '../../../src/store/db.ts';
import { migratePostgres } from '../../../src/store/postgres/migrate.ts';
import { postgresMigrations } from '../../../src/store/postgres/migrations.ts';
import { createPool } from '../../../src/store/postgres/pool.ts';
import { createTestDatabase, postgresSkipReason } from '../../helpers/postgres.ts';

const skip = postgresSkipReason() ?? false;

/** Columns PostgreSQL has and SQLite does not, each for a reason given in migrations.ts. */
const EXTRA_COLUMNS = new Set([
  'contacts.partition',
  'contacts.created_seq',
  'followups.partition',
  'followups.created_seq',
  'outbox.claimed_by',
]);
/** Tables of the cluster and of the migration runner, which SQLite's single node has no use for. */
const CLUSTER_TABLES = new Set(['schema_migrations', 'cluster_settings', 'cluster_nodes', 'partition_leases', 'inbox']);

async function migratedPool(t: { after(fn: () => Promise<void>): void }) {
  const pool = createPool({ url: await createTestDatabase(), poolSize: 2 });
  t.after(() => pool.end());
  await migratePostgres(pool);
  return pool;
}

test('two nodes starting at once migrate the database once, and both start', { skip }, async (t) => {
  const url = await createTestDatabase();
  const pools = [createPool({ url, poolSize: 1 }), createPool({ url, poolSize: 1 })];
  t.after(() => Promise.all(pools.map((pool) => pool.end())).then(() => undefined));
  const logs: string[][] = [[], []];
  const versions = await Promise.all(pools.map((pool, i) => migratePostgres(pool, (line) => logs[i].push(line))));
  assert.deepEqual(versions, [postgresMigrations.length, postgresMigrations.length]);
  assert.deepEqual(
    logs.map((lines) => lines.length).sort(),
    [0, postgresMigrations.length],
    'one node migrated, the other found it done',
  );
  const recorded = await pools[0].query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  assert.deepEqual(
    recorded.rows.map((row) => row.version),
    postgresMigrations.map((_, i) => i + 1),
  );
  assert.equal(await migratePostgres(pools[1]), postgresMigrations.length, 'a restart applies nothing');
});

test('a database migrated by a newer build is refused, untouched', { skip }, async (t) => {
  const pool = await migratedPool(t);
  await pool.query('INSERT INTO schema_migrations VALUES ($1, 0, $2)', [
    postgresMigrations.length + 1,
    'from the future',
  ]);
  const known = postgresMigrations.length;
  await assert.rejects(migratePostgres(pool), {
    message: `database schema version ${known + 1} is newer than this build knows (${known}); refusing to run`,
  });
});

test('PostgreSQL has every table, column and index of SQLite’s schema, times as BIGINT', { skip }, async (t) => {
  const sqlite = openDatabase(':memory:');
  t.after(() => sqlite.close());
  const sqliteTables = (
    sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]
  ).map((r) => r.name);
  const sqliteColumns = sqliteTables.flatMap((table) =>
    (sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map(
      (c) => `${table}.${c.name}`,
    ),
  );
  const sqliteIndexes = (
    sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'`)
      .all() as { name: string }[]
  ).map((r) => r.name);

  const pool = await migratedPool(t);
  const columns = await pool.query<{ name: string; type: string }>(
    `SELECT table_name || '.' || column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  const pgTables = new Set(columns.rows.map((c) => c.name.split('.')[0]));
  const pgColumns = new Map(columns.rows.map((c) => [c.name, c.type]));
  const pgIndexes = new Set(
    (await pool.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`)).rows.map(
      (r) => r.indexname,
    ),
  );

  assert.deepEqual([...pgTables].filter((table) => !CLUSTER_TABLES.has(table)).sort(), [...sqliteTables].sort());
  const nudgeColumns = [...pgColumns.keys()].filter(
    (name) => !CLUSTER_TABLES.has(name.split('.')[0]) && !EXTRA_COLUMNS.has(name),
  );
  assert.deepEqual(nudgeColumns.sort(), [...sqliteColumns].sort());
  assert.deepEqual(
    sqliteIndexes.filter((index) => !pgIndexes.has(index)),
    [],
    'indexes missing in PostgreSQL',
  );
  const timesNotBigint = [...pgColumns].filter(([name, type]) => /_at$/.test(name) && type !== 'bigint');
  assert.deepEqual(timesNotBigint, []);
});

test('the outbox idempotency key, follow-up ids and transition seqs stay unique', { skip }, async (t) => {
  const pool = await migratedPool(t);
  await pool.query(
    `INSERT INTO bots (id, name, widget_key, config, created_at, updated_at) VALUES ('b', 'B', 'k', '{}', 0, 0)`,
  );
  await pool.query(
    `INSERT INTO contacts (id, bot_id, partition, state, phone, created_at, updated_at) VALUES ('c', 'b', 0, 'active', '+15550001', 0, 0)`,
  );
  const outbox = `INSERT INTO outbox (idempotency_key, bot_id, contact_id, channel, body, next_attempt_at, created_at, updated_at)
                  VALUES ('c:busy:1:3', 'b', 'c', 'sms', 'hi', 0, 0, 0)`;
  await pool.query(outbox);
  await assert.rejects(pool.query(outbox), { code: '23505', constraint: 'outbox_idempotency_key_key' });
  const onConflict = await pool.query(`${outbox} ON CONFLICT (idempotency_key) DO NOTHING`);
  assert.equal(onConflict.rowCount, 0, 'a retried send inserts nothing');

  const followUp = `INSERT INTO followups (id, contact_id, bot_id, partition, scenario, step, epoch, raw_due_at, due_at, created_at, updated_at)
                    VALUES ('c:busy:1:3', 'c', 'b', 0, 'busy', 1, 3, 0, 0, 0, 0)`;
  await pool.query(followUp);
  await assert.rejects(pool.query(followUp), { code: '23505' });

  const transition = `INSERT INTO transitions (contact_id, seq, event, from_state, to_state, at) VALUES ('c', 1, '{}', 'active', 'awaiting', 0)`;
  await pool.query(transition);
  await assert.rejects(pool.query(transition), { code: '23505', constraint: 'transitions_contact_seq' });

  await assert.rejects(
    pool.query(
      `INSERT INTO contacts (id, bot_id, partition, state, phone, created_at, updated_at) VALUES ('d', 'b', 0, 'active', '+15550001', 0, 0)`,
    ),
    { code: '23505', constraint: 'contacts_bot_phone' },
  );
  await pool.query(
    `INSERT INTO contacts (id, bot_id, partition, state, created_at, updated_at) VALUES ('e', 'b', 0, 'active', 0, 0), ('f', 'b', 0, 'active', 0, 0)`,
  );
});
