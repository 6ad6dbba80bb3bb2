import assert from 'node:assert/strict';
import { setImmediate as yieldTurn } from 'node:timers/promises';
import { test } from 'node:test';
import type pg from 'pg';
import { claimDueOutbox, markOutboxDelivered, reclaimStaleOutbox } from '../../src/cluster/outboxClaim.ts';
import { migratePostgres } from '../../src/store/postgres/migrate.ts';
import { createPool } from '../../src/store/postgres/pool.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/postgres.ts';

const skip = postgresSkipReason() ?? false;
const NOW = 1_765_000_000_000;

async function outboxDatabase(t: { after(fn: () => Promise<void>): void }) {
  const url = await createTestDatabase();
  const nodes: pg.Pool[] = [];
  t.after(async () => {
    for (const pool of nodes) await pool.end();
  });
  /** A pool of its own per node: its claims race the others' on separate connections. */
  const node = () => {
    const pool = createPool({ url, poolSize: 1 });
    nodes.push(pool);
    return pool;
  };
  const admin = node();
  await migratePostgres(admin);
  return { admin, node };
}

/** Rows for `contacts` contacts with `perContact` rows each, interleaved, plus `loose` rows without a contact. */
async function fillOutbox(pool: pg.Pool, contacts: number, perContact: number, loose: number): Promise<number> {
  await pool.query(
    `INSERT INTO outbox (idempotency_key, bot_id, contact_id, channel, body, next_attempt_at, created_at, updated_at)
    SELECT 'k' || i, 'b', CASE WHEN i < $1::int * $2::int THEN 'c' || (i % $1::int) END, 'sms', 'hi', $4::bigint, $4::bigint, $4::bigint
    FROM generate_series(0, $1::int * $2::int + $3::int - 1) AS i ORDER BY i`,
    [contacts, perContact, loose, NOW],
  );
  return contacts * perContact + loose;
}

test('concurrent claimers on four nodes deliver every row once, each contact’s rows in order', { skip }, async (t) => {
  const { admin, node } = await outboxDatabase(t);
  const total = await fillOutbox(admin, 40, 8, 40);
  const deliveries: { id: number; contact: string | null; by: string }[] = [];

  const claimer = async (nodeId: string) => {
    const pool = node();
    for (let idle = 0; deliveries.length < total && idle < 2_000;) {
      const rows = await claimDueOutbox(pool, nodeId, NOW, 8);
      if (rows.length === 0) {
        idle++;
        await yieldTurn();
        continue;
      }
      for (const row of rows) {
        deliveries.push({ id: row.id, contact: row.contact_id, by: nodeId });
        await yieldTurn();
        assert.equal(await markOutboxDelivered(pool, row, nodeId, NOW, `p-${row.id}`), true);
      }
    }
  };
  await Promise.all(['n1', 'n2', 'n3', 'n4'].map(claimer));

  const ids = deliveries.map((d) => d.id);
  assert.equal(ids.length, total);
  assert.equal(new Set(ids).size, total, 'no row delivered twice');
  assert.ok(new Set(deliveries.map((d) => d.by)).size >= 2, 'the claimers really competed');
  const byContact = new Map<string, number[]>();
  for (const d of deliveries) if (d.contact) byContact.set(d.contact, [...(byContact.get(d.contact) ?? []), d.id]);
  for (const [contact, order] of byContact)
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      `${contact} out of order`,
    );
  const left = await admin.query(`SELECT count(*) AS n FROM outbox WHERE status <> 'delivered' OR attempts <> 1`);
  assert.equal(left.rows[0].n, 0);
});

test(
  'a row claimed by a node that died is put back and sent by another with the same key; the dead claim cannot finish it',
  { skip },
  async (t) => {
    const { admin, node } = await outboxDatabase(t);
    await fillOutbox(admin, 0, 0, 1);
    const [dead, alive] = [node(), node()];
    const [claimed] = await claimDueOutbox(dead, 'dead', NOW, 10);
    assert.equal((await claimDueOutbox(alive, 'alive', NOW + 1, 10)).length, 0, 'a claimed row is not claimed again');

    assert.deepEqual(
      await reclaimStaleOutbox(alive, NOW + 59_999 - 60_000, NOW + 59_999),
      [],
      'a fresh claim is left alone',
    );
    assert.deepEqual(await reclaimStaleOutbox(alive, NOW + 60_000 - 60_000, NOW + 60_000), [claimed.id]);
    const [again] = await claimDueOutbox(alive, 'alive', NOW + 60_000, 10);
    assert.deepEqual([again.id, again.idempotency_key, again.attempts], [claimed.id, claimed.idempotency_key, 2]);
    assert.equal(await markOutboxDelivered(dead, claimed, 'dead', NOW + 60_001, null), false);
    assert.equal(await markOutboxDelivered(alive, again, 'alive', NOW + 60_001, 'p-1'), true);
  },
);

test('a row not yet due, or behind an earlier row of its contact, is not claimed', { skip }, async (t) => {
  const { admin, node } = await outboxDatabase(t);
  await fillOutbox(admin, 1, 2, 0);
  await admin.query(
    `INSERT INTO outbox (idempotency_key, bot_id, channel, body, next_attempt_at, created_at, updated_at)
    VALUES ('later', 'b', 'webhook', 'x', $1, $1, $1)`,
    [NOW + 1_000],
  );
  const pool = node();
  const rows = await claimDueOutbox(pool, 'n1', NOW, 10);
  assert.deepEqual(
    rows.map((row) => row.idempotency_key),
    ['k0'],
  );
  assert.equal(rows[0].meta, null);
});
