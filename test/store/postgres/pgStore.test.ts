/**
 * What PgStore adds to the storage contract every store keeps (test/store/store.test.ts):
 * partitions on the rows, the scheduler's window per owned partition, transactions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type pg from 'pg';
import { partitionOf } from '../../../src/cluster/partitions.ts';
import type { PgStore } from '../../../src/store/postgres/pgStore.ts';
import { transaction } from '../../../src/store/postgres/pool.ts';
import { postgresSkipReason } from '../../helpers/postgres.ts';
import { postgresStore, TEST_PARTITIONS } from '../../helpers/stores.ts';

const skip = postgresSkipReason() ?? false;

async function seed(store: PgStore, contacts: number): Promise<string[]> {
  await store.insertBot({
    id: 'bot_1',
    name: 'Salon',
    widget_key: 'wk',
    allowed_origins: '[]',
    config: '{}',
    created_at: 0,
    updated_at: 0,
  });
  const ids = Array.from({ length: contacts }, (_, i) => `ct_${i}`);
  for (const id of ids) {
    await store.insertContact(
      {
        id,
        bot_id: 'bot_1',
        name: null,
        phone: null,
        email: null,
        timezone: null,
        state: 'active',
        last_channel: 'livechat',
        created_at: 0,
        updated_at: 0,
      },
      {},
    );
    await store.insertFollowUp({
      id: `${id}:f`,
      contact_id: id,
      bot_id: 'bot_1',
      kind: 'followup',
      scenario: 'stoppedReplying',
      step: 1,
      epoch: 0,
      raw_due_at: 1000,
      due_at: 1000 + ((id.length * 37) % 11),
      defer_reason: null,
      channel: null,
      channel_reason: null,
      message_mode: null,
      trigger_message_id: null,
      created_at: 0,
      updated_at: 0,
    });
  }
  return ids;
}

test('contacts and their follow-ups carry the contact’s partition', { skip }, async (t) => {
  const store = await postgresStore(t);
  const ids = await seed(store, 20);
  const rows = await (store.db as pg.Pool).query<{ id: string; c: number; f: number }>(
    `SELECT c.id, c.partition AS c, f.partition AS f FROM contacts c JOIN followups f ON f.contact_id = c.id ORDER BY c.id`,
  );
  assert.equal(rows.rows.length, ids.length);
  for (const row of rows.rows) {
    assert.equal(row.c, partitionOf(row.id, TEST_PARTITIONS), row.id);
    assert.equal(row.f, row.c, row.id);
  }
  assert.ok(new Set(rows.rows.map((row) => row.c)).size > 3, 'spread over partitions');
});

test('the pending window of a set of partitions holds their follow-ups only, in due order', { skip }, async (t) => {
  const store = await postgresStore(t);
  await seed(store, 40);
  const mine = [1, 4, 6];
  const all = await store.pendingWindow(100);
  const expected = all.filter((ref) => mine.includes(partitionOf(ref.contact_id, TEST_PARTITIONS)));
  assert.ok(expected.length > 3 && expected.length < all.length);
  assert.deepEqual(await store.pendingWindow(100, mine), expected);
  const head = await store.pendingWindow(3, mine);
  assert.deepEqual(head, expected.slice(0, 3));
  const last = head.at(-1)!;
  assert.deepEqual(await store.pendingAfter(last.due_at, last.id, 100, mine), expected.slice(3));
  assert.deepEqual(await store.pendingWindow(10, []), [], 'a node that owns nothing schedules nothing');
});

test('a message that fails to store leaves its contact’s numbering as it was', { skip }, async (t) => {
  const store = await postgresStore(t);
  await seed(store, 1);
  const draft = {
    id: 'm1',
    contact_id: 'ct_0',
    sender: 'contact' as const,
    channel: 'livechat',
    text: 'hi',
    at: 5,
    client_id: null,
    classification: null,
    followup_id: null,
    meta: null,
  };
  await store.insertMessage(draft);
  await assert.rejects(store.insertMessage({ ...draft, at: 9 }), /duplicate key/);
  const row = (await store.getContact('ct_0'))!;
  assert.equal(row.last_seq, 1, 'the seq taken by the failed insert was rolled back with it');
  assert.deepEqual(await store.lastInboundByChannel('ct_0'), { livechat: 5 });
});

test('operations on a transaction’s client commit and roll back with it', { skip }, async (t) => {
  const store = await postgresStore(t);
  await seed(store, 1);
  await assert.rejects(
    transaction(store.db as pg.Pool, async (client) => {
      await store.on(client).setKv('k', 'rolled back');
      await store.on(client).finishFollowUp('ct_0:f', 'fired', null, 7);
      throw new Error('abort');
    }),
  );
  assert.equal(await store.getKv('k'), undefined);
  assert.equal((await store.getFollowUp('ct_0:f'))!.status, 'pending');
});

test('reads in read() see one snapshot, whatever commits meanwhile', { skip }, async (t) => {
  const store = await postgresStore(t);
  await seed(store, 1);
  await store.setKv('k', 'before');
  const seen = await store.read(async (tx) => {
    const first = await tx.getKv('k');
    await store.setKv('k', 'after'); // on another connection of the pool
    return [first, await tx.getKv('k')];
  });
  assert.deepEqual(seen, ['before', 'before']);
  assert.equal(await store.getKv('k'), 'after');
});
