/**
 * PgOutbox, the port's OutboxQueue on PostgreSQL: every update names its claim and changes
 * nothing once the claim is gone; stale claims are settled whoever made them, except the
 * sends still live on this node. Concurrent claimers: test/cluster/outboxClaim.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PgOutbox } from '../../../src/store/postgres/outbox.ts';
import { postgresSkipReason } from '../../helpers/postgres.ts';
import { postgresStore } from '../../helpers/stores.ts';

const skip = postgresSkipReason() ?? false;
const NOW = 1_765_000_000_000;

async function queued(t: Parameters<typeof postgresStore>[0], contacts: string[]) {
  const store = await postgresStore(t);
  for (const [i, contact] of contacts.entries()) {
    await store.insertOutbox({
      idempotency_key: `k${i}`,
      bot_id: 'bot_1',
      contact_id: contact,
      channel: 'sms',
      recipient: '+14155550100',
      body: `body ${i}`,
      meta: null,
      next_attempt_at: NOW + i,
      created_at: NOW,
      updated_at: NOW,
    });
  }
  return { store, a: new PgOutbox(store.db, 'node-a'), b: new PgOutbox(store.db, 'node-b') };
}

test('a claimed row is delivered, retried or failed only under its claim and its node', { skip }, async (t) => {
  const { a, b } = await queued(t, ['c1', 'c2', 'c3']);
  const claimed = await a.claimReady(NOW + 10, 10);
  assert.deepEqual(
    claimed.map((row) => [row.idempotency_key, row.status, row.attempts, row.claimed_at]),
    [
      ['k0', 'sending', 1, NOW + 10],
      ['k1', 'sending', 1, NOW + 10],
      ['k2', 'sending', 1, NOW + 10],
    ],
  );
  const [first, second, third] = claimed;
  assert.equal(await b.markDelivered(first.id, NOW + 10, NOW + 11, 'p1'), false, 'another node’s claim');
  assert.equal(await a.markDelivered(first.id, NOW + 9, NOW + 11, 'p1'), false, 'another claim time');
  assert.equal(await a.markDelivered(first.id, NOW + 10, NOW + 11, 'p1'), true);
  assert.equal(await a.markDelivered(first.id, NOW + 10, NOW + 12, 'p1'), false, 'once');
  assert.deepEqual(await a.byId(first.id).then((row) => [row?.status, row?.provider_id, row?.claimed_at]), [
    'delivered',
    'p1',
    null,
  ]);

  assert.equal(await a.markRetry(second.id, NOW + 10, NOW + 12, NOW + 500, 'timeout'), true);
  assert.deepEqual(await a.byId(second.id).then((row) => [row?.status, row?.next_attempt_at, row?.last_error]), [
    'pending',
    NOW + 500,
    'timeout',
  ]);
  assert.equal(await a.nextWake(NOW + 12), NOW + 500);
  assert.deepEqual(await a.claimReady(NOW + 12, 10), [], 'not due before its retry time');

  assert.equal(await a.markFailed(third.id, NOW + 10, NOW + 13, 'rejected'), true);
  assert.equal(await a.markRetry(third.id, NOW + 10, NOW + 13, NOW + 14, 'late'), false, 'failed is final');
  assert.equal((await a.byId(third.id))?.status, 'failed');
  assert.equal(await a.byId(999), undefined);
});

test('a contact’s next row waits until its earlier one is settled', { skip }, async (t) => {
  const { a } = await queued(t, ['c1', 'c1']);
  const [head] = await a.claimReady(NOW + 10, 10);
  assert.equal(head.idempotency_key, 'k0');
  assert.deepEqual(await a.claimReady(NOW + 10, 10), [], 'k1 waits behind k0');
  await a.markDelivered(head.id, NOW + 10, NOW + 11, null);
  assert.deepEqual(
    (await a.claimReady(NOW + 11, 10)).map((row) => row.idempotency_key),
    ['k1'],
  );
});

test('stale claims are settled whoever made them, except the sends live on this node', { skip }, async (t) => {
  const { a, b } = await queued(t, ['c1', 'c2', 'c3']);
  const [r0, r1] = await a.claimReady(NOW + 1, 2); // node-a: r0 still sending here, r1 lost
  const [r2] = await b.claimReady(NOW + 2, 1); // node-b died mid-send
  const live = new Set([r0.id]);
  const settled = await a.reclaimStale(NOW + 5, NOW + 100, 1, (id) => live.has(id));
  assert.deepEqual(settled.sort(), [r1.id, r2.id].sort());
  // maxAttempts 1, one attempt made: given up, not sent a second time.
  for (const id of [r1.id, r2.id]) {
    const row = await a.byId(id);
    assert.equal(row?.status, 'failed');
    assert.match(row?.last_error ?? '', /giving up/);
  }
  assert.equal((await a.byId(r0.id))?.status, 'sending', 'a live send is left alone');

  const retried = await b.reclaimStale(NOW + 5, NOW + 200, 3, () => true);
  assert.deepEqual(retried, [r0.id], 'another node’s keep says nothing about node-a’s sends');
  const row = await b.byId(r0.id);
  assert.deepEqual([row?.status, row?.next_attempt_at], ['pending', NOW + 200]);
  assert.match(row?.last_error ?? '', /same idempotency key/);
  assert.equal(await a.markDelivered(r0.id, NOW + 1, NOW + 201, 'late'), false, 'the late result is refused');
});
