import assert from 'node:assert/strict';
import { setImmediate as yieldTurn } from 'node:timers/promises';
import { test } from 'node:test';
import type pg from 'pg';
import { appendToInbox, consumeInbox, type InboxEvent } from '../../src/cluster/inbox.ts';
import { acquire, ensurePartitions, FencedError, release } from '../../src/cluster/leases.ts';
import { partitionOf } from '../../src/cluster/partitions.ts';
import { migratePostgres } from '../../src/store/postgres/migrate.ts';
import { createPool } from '../../src/store/postgres/pool.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/postgres.ts';

const skip = postgresSkipReason() ?? false;
const PARTITIONS = 4;

async function inboxCluster(t: { after(fn: () => Promise<void>): void }) {
  const url = await createTestDatabase();
  const pools = [createPool({ url, poolSize: 2 }), createPool({ url, poolSize: 2 }), createPool({ url, poolSize: 2 })];
  t.after(async () => {
    for (const pool of pools) await pool.end();
  });
  const [owner, nodeA, nodeB] = pools;
  await migratePostgres(owner);
  await ensurePartitions(owner, PARTITIONS);
  const leases = await acquire(owner, 'owner', 60_000, [0, 1, 2, 3]);
  return { owner, nodeA, nodeB, leases };
}

const event = (contactId: string, seq: number, node: string) => ({
  partition: partitionOf(contactId, PARTITIONS),
  contactId,
  kind: 'CONTACT_MESSAGE',
  payload: { seq },
  receivedBy: node,
  receivedAt: 1_765_000_000_000 + seq,
});

test('events committed on two nodes reach the owner once each, in order per contact', { skip }, async (t) => {
  const { owner, nodeA, nodeB, leases } = await inboxCluster(t);
  const contacts = Array.from({ length: 12 }, (_, i) => `c_${i}`);
  const perContact = 15;
  const applied: InboxEvent[] = [];

  // Each contact's client sends its next event after the previous one was acknowledged,
  // to whichever node the load balancer picks; the owner consumes meanwhile.
  const send = async (contact: string) => {
    for (let seq = 1; seq <= perContact; seq++)
      await appendToInbox(seq % 2 ? nodeA : nodeB, event(contact, seq, seq % 2 ? 'a' : 'b'));
  };
  const consume = async () => {
    while (applied.length < contacts.length * perContact) {
      let consumed = 0;
      for (const lease of leases)
        consumed += await consumeInbox(owner, lease, 7, async (_client, events) => void applied.push(...events));
      if (consumed === 0) await yieldTurn();
    }
  };
  await Promise.all([...contacts.map(send), consume()]);

  assert.equal(new Set(applied.map((e) => e.id)).size, applied.length, 'no event applied twice');
  for (const contact of contacts) {
    const seqs = applied.filter((e) => e.contact_id === contact).map((e) => (e.payload as { seq: number }).seq);
    assert.deepEqual(
      seqs,
      Array.from({ length: perContact }, (_, i) => i + 1),
      `${contact}'s events in order`,
    );
  }
  assert.equal((await owner.query('SELECT count(*) AS n FROM inbox')).rows[0].n, 0);
});

test('a node that lost the partition consumes nothing; the new owner gets the events', { skip }, async (t) => {
  const { owner, nodeA, leases } = await inboxCluster(t);
  const first = event('c_1', 1, 'a');
  await appendToInbox(nodeA, first);
  const old = leases.find((lease) => lease.partition === first.partition) as (typeof leases)[number];
  await release(owner, 'owner', old);
  const [taken] = await acquire(nodeA, 'a', 60_000, [first.partition]);

  let called = false;
  await assert.rejects(
    consumeInbox(owner, old, 10, async () => void (called = true)),
    (error: Error) => error instanceof FencedError,
  );
  assert.equal(called, false);
  const seen: unknown[] = [];
  assert.equal(
    await consumeInbox(nodeA, taken, 10, async (_client, events) => void seen.push(...events.map((e) => e.payload))),
    1,
  );
  assert.deepEqual(seen, [{ seq: 1 }]);
});

test('an apply that fails rolls back: the events stay for the next try', { skip }, async (t) => {
  const { owner, nodeA, leases } = await inboxCluster(t);
  const draft = event('c_2', 1, 'a');
  await appendToInbox(nodeA, draft);
  const lease = leases.find((l) => l.partition === draft.partition) as (typeof leases)[number];
  const writeThenFail = async (client: pg.PoolClient) => {
    await client.query(`INSERT INTO kv (key, value) VALUES ('applied', 'yes')`);
    throw new Error('classifier down');
  };
  await assert.rejects(consumeInbox(owner, lease, 10, writeThenFail), /classifier down/);
  assert.equal((await owner.query(`SELECT count(*) AS n FROM kv`)).rows[0].n, 0);
  assert.equal(await consumeInbox(owner, lease, 10, async () => {}), 1);
});
