import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPool, execute, run, statement, transaction } from '../../../src/store/postgres/pool.ts';
import { createTestDatabase, postgresSkipReason } from '../../helpers/postgres.ts';

const skip = postgresSkipReason() ?? false;

const insertItem = statement<[string, number]>('test_insert_item', 'INSERT INTO items (name, at) VALUES ($1, $2)');
const itemsByName = statement<[string], { name: string; at: number }>(
  'test_items_by_name',
  'SELECT name, at FROM items WHERE name = $1',
);

test('epoch milliseconds in BIGINT columns come back as numbers, through named statements', { skip }, async (t) => {
  const pool = createPool({ url: await createTestDatabase(), poolSize: 1 });
  t.after(() => pool.end());
  await pool.query('CREATE TABLE items (name text, at bigint)');
  assert.equal(await execute(pool, insertItem, ['a', 1_765_000_000_123]), 1);
  assert.deepEqual(await run(pool, itemsByName, ['a']), [{ name: 'a', at: 1_765_000_000_123 }]);
  const prepared = await pool.query<{ name: string }>(
    `SELECT name FROM pg_prepared_statements WHERE name = 'test_items_by_name'`,
  );
  assert.equal(prepared.rowCount, 1, 'the statement is prepared on the connection by its name');
});

test('a transaction that throws leaves nothing behind', { skip }, async (t) => {
  const pool = createPool({ url: await createTestDatabase(), poolSize: 1 });
  t.after(() => pool.end());
  await pool.query('CREATE TABLE items (name text, at bigint)');
  await assert.rejects(
    transaction(pool, async (client) => {
      await execute(client, insertItem, ['b', 1]);
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.deepEqual(await run(pool, itemsByName, ['b']), []);
  await transaction(pool, (client) => execute(client, insertItem, ['c', 2]));
  assert.equal((await run(pool, itemsByName, ['c'])).length, 1);
});
