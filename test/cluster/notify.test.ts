import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { appendToInbox } from '../../src/cluster/inbox.ts';
import { CHANNELS, NotifyListener, publish, type Channel } from '../../src/cluster/notify.ts';
import { migratePostgres } from '../../src/store/postgres/migrate.ts';
import { createPool } from '../../src/store/postgres/pool.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/postgres.ts';
import { deferred } from '../helpers/deferred.ts';

const skip = postgresSkipReason() ?? false;

async function twoNodes(t: { after(fn: () => Promise<void>): void }, name: string) {
  const url = await createTestDatabase();
  const writer = createPool({ url, poolSize: 2 });
  const heard: { channel: Channel; payload: string }[] = [];
  const waiters: (() => void)[] = [];
  const reconnected = deferred<void>();
  const listener = new NotifyListener({
    url,
    name,
    channels: [CHANNELS.inbox, CHANNELS.contact],
    retryMs: 20,
    onNotify: (channel, payload) => {
      heard.push({ channel, payload });
      waiters.splice(0).forEach((wake) => wake());
    },
    onReconnect: () => reconnected.resolve(),
  });
  t.after(async () => {
    await listener.stop();
    await writer.end();
  });
  await migratePostgres(writer);
  await listener.start();
  /** Resolves when `count` notifications have been heard, or rejects after 5 s. */
  const heardCount = async (count: number) => {
    const started = Date.now();
    while (heard.length < count) {
      if (Date.now() - started > 5_000) throw new Error(`heard ${heard.length} of ${count} notifications`);
      await Promise.race([new Promise<void>((wake) => waiters.push(wake)), sleep(50)]);
    }
  };
  return { writer, listener, heard, heardCount, reconnected: reconnected.promise };
}

test('a node hears of an event committed on another node when it commits, not before', { skip }, async (t) => {
  const { writer, heard, heardCount } = await twoNodes(t, 'listener-commit');
  const client = await writer.connect();
  try {
    await client.query('BEGIN');
    await appendToInbox(client, {
      partition: 7,
      contactId: 'c_1',
      kind: 'CONTACT_MESSAGE',
      payload: {},
      receivedBy: 'b',
      receivedAt: 1,
    });
    await sleep(200);
    assert.deepEqual(heard, [], 'nothing is announced before the commit');
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  await heardCount(1);
  assert.deepEqual(heard, [{ channel: CHANNELS.inbox, payload: '7' }]);
});

test('a rolled-back event is never announced', { skip }, async (t) => {
  const { writer, heard, heardCount } = await twoNodes(t, 'listener-rollback');
  const client = await writer.connect();
  try {
    await client.query('BEGIN');
    await publish(client, CHANNELS.contact, 'c_rolled_back');
    await client.query('ROLLBACK');
  } finally {
    client.release();
  }
  await publish(writer, CHANNELS.contact, 'c_committed');
  await heardCount(1);
  await sleep(100);
  assert.deepEqual(
    heard.map((h) => h.payload),
    ['c_committed'],
  );
});

test('a listener whose connection is cut reconnects, listens again and asks for a rescan', { skip }, async (t) => {
  const { writer, listener, heard, heardCount, reconnected } = await twoNodes(t, 'listener-cut');
  const cut = await writer.query(
    `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = 'listener-cut'`,
  );
  assert.equal(cut.rowCount, 1);
  await reconnected;
  assert.equal(listener.reconnects, 1);
  await publish(writer, CHANNELS.contact, 'c_after_cut');
  await heardCount(1);
  assert.deepEqual(heard, [{ channel: CHANNELS.contact, payload: 'c_after_cut' }]);
});
