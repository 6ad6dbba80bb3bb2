import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, postgresSkipReason } from '../../helpers/postgres.ts';

const skip = postgresSkipReason() ?? false;

test('each test gets its own empty database on a loopback-only cluster', { skip }, async (t) => {
  const first = await createTestDatabase();
  const second = await createTestDatabase();
  assert.notEqual(first, second);
  const client = new pg.Client({ connectionString: first });
  await client.connect();
  t.after(() => client.end());
  await client.query('CREATE TABLE marker (id int)');
  const listen = await client.query<{ listen_addresses: string }>('SHOW listen_addresses');
  assert.equal(listen.rows[0].listen_addresses, '127.0.0.1');

  const other = new pg.Client({ connectionString: second });
  await other.connect();
  t.after(() => other.end());
  const tables = await other.query(`SELECT 1 FROM pg_tables WHERE tablename = 'marker'`);
  assert.equal(tables.rowCount, 0);
});
