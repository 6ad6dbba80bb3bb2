import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { test } from 'node:test';
import type pg from 'pg';
import { FakeClock } from '../../src/clock.ts';
import { ClusterNode, clusterSettings } from '../../src/cluster/clusterNode.ts';
import { appendToInbox } from '../../src/cluster/inbox.ts';
import { FencedError, type Lease } from '../../src/cluster/leases.ts';
import { CHANNELS } from '../../src/cluster/notify.ts';
import { PartitionWork, type PartitionDue } from '../../src/cluster/partitionWork.ts';
import { PgStore } from '../../src/store/postgres/pgStore.ts';
import type { DueRef } from '../../src/store/port.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/postgres.ts';
import { seedDatabase, waitFor } from './lib/nodes.ts';

/** Contacts named `p<partition>-<n>` live in that partition. */
const partitionOf = (contactId: string) => Number(/^p(\d+)-/.exec(contactId)?.[1]);
const due = (id: string, partition: number, dueAt: number): DueRef => ({
  id,
  contact_id: `p${partition}-${id}`,
  due_at: dueAt,
});

/** Leases held in memory, with the database's due index as a list. */
function setup(rows: DueRef[]) {
  const clock = new FakeClock(1_000_000);
  const tokens = new Map<number, number>();
  const fired: { id: string; token: number }[] = [];
  const loads: number[][] = [];
  let fail: ((ref: PartitionDue) => Error | null) | null = null;
  const work = new PartitionWork({
    pool: null as unknown as pg.Pool,
    leases: {
      tokenFor: (partition) => tokens.get(partition),
      owned: () => [...tokens].map(([partition, token]): Lease => ({ partition, token, expires_at: 0 })),
    },
    partitionOf,
    applyEvents: async () => {},
    dueWindow: async (partitions, limit) => {
      loads.push(partitions);
      return rows
        .filter((row) => partitions.includes(partitionOf(row.contact_id)))
        .sort((a, b) => a.due_at - b.due_at)
        .slice(0, limit);
    },
    fireDue: async (ref, lease) => {
      const error = fail?.(ref);
      if (error) throw error;
      fired.push({ id: ref.id, token: lease.token });
      rows.splice(
        rows.findIndex((row) => row.id === ref.id),
        1,
      );
    },
    clock,
    sweepMs: 2_000,
    retryMs: 500,
  });
  const gain = (partition: number, token: number) => {
    tokens.set(partition, token);
    work.onOwnershipChange({ gained: [{ partition, token, expires_at: 0 }], lost: [] });
  };
  const lose = (partition: number) => {
    tokens.delete(partition);
    work.onOwnershipChange({ gained: [], lost: [partition] });
  };
  return { clock, work, fired, loads, gain, lose, failWith: (f: typeof fail) => (fail = f) };
}

test('on gaining a partition a node loads its pending follow-ups at once and fires the overdue ones', async () => {
  const now = 1_000_000;
  const { clock, work, fired, loads, gain } = setup([
    due('late', 3, now - 4_000),
    due('soon', 3, now + 1_000),
    due('other', 4, now - 4_000),
  ]);
  gain(3, 7);
  await tick();
  assert.deepEqual(loads, [[3]]);
  clock.advance(0);
  await tick();
  assert.deepEqual(fired, [{ id: 'late', token: 7 }], 'the overdue one fires at once, with the lease token');
  clock.advance(1_000);
  await tick();
  assert.deepEqual(
    fired.map((f) => f.id),
    ['late', 'soon'],
  );
  await work.stop();
});

test('a follow-up of a partition lost before it falls due never fires here', async () => {
  const now = 1_000_000;
  const { clock, work, fired, gain, lose } = setup([due('a', 1, now + 500), due('b', 2, now + 500)]);
  gain(1, 1);
  gain(2, 1);
  await tick();
  lose(2);
  clock.advance(500);
  await tick();
  assert.deepEqual(
    fired.map((f) => f.id),
    ['a'],
  );
  await work.stop();
});

test('the sweep re-reads the window of owned partitions without firing anything twice', async () => {
  const now = 1_000_000;
  const { clock, work, fired, loads, gain } = setup([due('x', 5, now + 5_000)]);
  work.start();
  gain(5, 2);
  await tick();
  clock.advance(2_000); // sweep
  await tick();
  clock.advance(2_000); // sweep
  await tick();
  assert.equal(loads.length, 3);
  clock.advance(1_000);
  await tick();
  clock.advance(2_000);
  await tick();
  assert.deepEqual(
    fired.map((f) => f.id),
    ['x'],
  );
  await work.stop();
});

test('a firing that failed is tried again; one refused by the fence is not', async () => {
  const now = 1_000_000;
  const { clock, work, fired, gain, failWith } = setup([due('flaky', 1, now), due('fenced', 2, now)]);
  let failures = 0;
  failWith((ref) =>
    ref.id === 'fenced' ? new FencedError(2, 1) : failures++ === 0 ? new Error('connection lost') : null,
  );
  gain(1, 1);
  gain(2, 1);
  await tick();
  clock.advance(0);
  await tick();
  assert.equal(fired.length, 0);
  assert.equal(work.stats.fenced, 1);
  clock.advance(500);
  await tick();
  clock.advance(0);
  await tick();
  assert.deepEqual(
    fired.map((f) => f.id),
    ['flaky'],
  );
  assert.equal(work.stats.fenced, 1, 'the fenced one was not tried again');
  await work.stop();
});

test('a contact notification reaches the sockets hook; an inbox one for a partition not owned is ignored', () => {
  const heard: string[] = [];
  const work = new PartitionWork({
    pool: null as unknown as pg.Pool,
    leases: { tokenFor: () => undefined, owned: () => [] },
    partitionOf,
    applyEvents: async () => assert.fail('no partition is owned'),
    dueWindow: async () => [],
    fireDue: async () => {},
    onContact: (contactId) => heard.push(contactId),
  });
  work.onNotify(CHANNELS.contact, 'p1-c');
  work.onNotify(CHANNELS.inbox, '1');
  assert.deepEqual(heard, ['p1-c']);
});

test(
  "a node gaining a partition applies the events queued while it had no owner before firing the partition's follow-ups",
  { skip: postgresSkipReason() ?? false },
  async (t) => {
    const url = await createTestDatabase();
    const { pool, contacts } = await seedDatabase(url, 1, 1);
    const [contactId] = contacts;
    const now = Date.now();
    await new PgStore(pool, { partitions: 1 }).insertFollowUp({
      id: 'f_overdue',
      contact_id: contactId,
      bot_id: 'bot_1',
      kind: 'followup',
      scenario: 'stoppedReplying',
      step: 1,
      epoch: 1,
      raw_due_at: now - 5_000,
      due_at: now - 5_000,
      defer_reason: null,
      channel: 'livechat',
      channel_reason: null,
      message_mode: 'custom',
      trigger_message_id: null,
      created_at: now - 10_000,
      updated_at: now - 10_000,
    });
    await appendToInbox(pool, {
      partition: 0,
      contactId,
      kind: 'message',
      payload: { text: 'sorry, I was away' },
      receivedBy: 'another-node',
      receivedAt: now - 1_000,
    });
    const order: string[] = [];
    const node = await ClusterNode.start({
      ...clusterSettings({
        NUDGE_DATABASE_URL: url,
        NUDGE_NODE_ID: 'n1',
        NUDGE_PARTITIONS: '1',
        NUDGE_DATABASE_POOL: '2',
      })!,
      work: () => ({
        partitionOf: () => 0,
        applyEvents: async (_client, events) => {
          order.push(...events.map((event) => `event ${event.kind}`));
        },
        dueWindow: async () => [{ id: 'f_overdue', contact_id: contactId, due_at: now - 5_000 }],
        fireDue: async (ref) => {
          order.push(`fire ${ref.id}`);
        },
      }),
    });
    t.after(async () => {
      await node.stop();
      await pool.end();
    });
    await waitFor(() => order.length === 2, 10_000);
    assert.deepEqual(order, ['event message', 'fire f_overdue']);
  },
);

test(
  'inbox transactions take at most half the pool at once, leaving connections to the firings',
  { skip: postgresSkipReason() ?? false },
  async (t) => {
    const url = await createTestDatabase();
    const { pool, contacts } = await seedDatabase(url, 4, 40);
    const store = new PgStore(pool, { partitions: 4 });
    for (const contactId of contacts)
      await appendToInbox(pool, {
        partition: store.partitionOf(contactId),
        contactId,
        kind: 'message',
        payload: {},
        receivedBy: 'another-node',
        receivedAt: Date.now(),
      });
    let running = 0;
    let most = 0;
    let applied = 0;
    const node = await ClusterNode.start({
      ...clusterSettings({
        NUDGE_DATABASE_URL: url,
        NUDGE_NODE_ID: 'n1',
        NUDGE_PARTITIONS: '4',
        NUDGE_DATABASE_POOL: '4',
      })!,
      work: () => ({
        partitionOf: (contactId) => store.partitionOf(contactId),
        inboxBatch: 2,
        applyEvents: async (_client, events) => {
          most = Math.max(most, ++running);
          await new Promise((resolve) => setTimeout(resolve, 20));
          running--;
          applied += events.length;
        },
        dueWindow: async () => [],
        fireDue: async () => {},
      }),
    });
    t.after(async () => {
      await node.stop();
      await pool.end();
    });
    await waitFor(() => applied === contacts.length, 20_000);
    assert.equal(applied, contacts.length);
    assert.equal(most, 2, 'two of four connections at most, and both used');
  },
);
