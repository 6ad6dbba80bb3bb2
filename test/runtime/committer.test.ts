/**
 * The group commit contract, run against every committer (test/helpers/stores.ts): SQLite's
 * and PostgreSQL's. The gate (the WAL checkpointer's back-pressure) is SQLite's alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/store/db.ts';
import { GroupCommitter } from '../../src/runtime/committer.ts';
import type { NewMessage, WriteProgram } from '../../src/store/port.ts';
import { committerTest, type AnyStore } from '../helpers/stores.ts';

function setup() {
  const db = openDatabase(':memory:');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
  const rows = () => db.prepare('SELECT k, v FROM t ORDER BY k').all() as { k: string; v: number }[];
  return { db, insert, rows, committer: new GroupCommitter(db) };
}

const CONTACT = 'ct_1';

async function withContact(store: AnyStore): Promise<void> {
  await store.insertBot({
    id: 'bot_1',
    name: 'Salon',
    widget_key: 'wk',
    allowed_origins: '[]',
    config: '{}',
    created_at: 0,
    updated_at: 0,
  });
  await store.insertContact(
    {
      id: CONTACT,
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
}

function message(id: string): NewMessage {
  return {
    id,
    contact_id: CONTACT,
    sender: 'contact',
    channel: 'livechat',
    text: id,
    at: 1,
    client_id: null,
    classification: null,
    followup_id: null,
    meta: null,
  };
}

/** A program storing message `id`, counting its runs; it returns the message's seq. */
function store(id: string, runs?: Map<string, number>): WriteProgram<number> {
  return function* (tx) {
    runs?.set(id, (runs.get(id) ?? 0) + 1);
    return (yield* tx.insertMessage(message(id))).seq;
  };
}

async function stored(store: AnyStore): Promise<[string, number][]> {
  return (await store.messagesAfter(CONTACT, 0)).map((m) => [m.id, m.seq]);
}

committerTest('writes queued in one turn commit together in one transaction', async (_t, c) => {
  await withContact(c.store);
  const committer = c.committer();
  const results = await Promise.all(['a', 'b', 'c'].map((id) => committer.write(store(id))));
  assert.deepEqual(results, [1, 2, 3]);
  assert.equal(committer.commits, 1);
  assert.equal(committer.retriedBatches, 0);
  assert.deepEqual(await stored(c.store), [
    ['a', 1],
    ['b', 2],
    ['c', 3],
  ]);
});

committerTest(
  'a failing write fails alone: the batch is rolled back and every other write committed once',
  async (_t, c) => {
    await withContact(c.store);
    const committer = c.committer();
    const runs = new Map<string, number>();
    const settled = await Promise.allSettled([
      committer.write(store('a', runs)),
      committer.write(store('b', runs)),
      committer.write(store('a')), // primary key clash with the first write
      committer.write(store('c', runs)),
    ]);
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((settled[2] as PromiseRejectedResult).reason), /UNIQUE|duplicate key/);
    assert.equal(committer.retriedBatches, 1);
    // Rows of the rolled-back batch run are gone; each write is stored exactly once.
    assert.deepEqual(await stored(c.store), [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    assert.equal(runs.get('b'), 2, 'b ran in the rolled-back batch and again alone');
  },
);

committerTest('a write that throws a plain error does not take the batch with it', async (_t, c) => {
  await withContact(c.store);
  const committer = c.committer();
  const settled = await Promise.allSettled([
    committer.write(store('x')),
    committer.write(function* (tx) {
      yield* tx.insertMessage(message('y'));
      throw new Error('validation failed after a write');
    }),
  ]);
  assert.equal(settled[0].status, 'fulfilled');
  assert.equal(settled[1].status, 'rejected');
  assert.deepEqual(await stored(c.store), [['x', 1]], 'the failing write left nothing behind');
});

committerTest('a storage error rejects the whole batch with its real cause and stores nothing', async (_t, c) => {
  await withContact(c.store);
  const committer = c.committer();
  await c.readOnly(true);
  const settled = await Promise.allSettled([committer.write(store('a')), committer.write(store('b'))]);
  for (const s of settled) {
    assert.equal(s.status, 'rejected');
    assert.equal((s as PromiseRejectedResult).reason.code, c.readOnlyCode);
  }
  await c.readOnly(false);
  assert.deepEqual(await stored(c.store), []);
  await committer.write(store('a'));
  assert.deepEqual(await stored(c.store), [['a', 1]], 'works again once storage is back');
});

committerTest('a write program reads its own writes and those of earlier programs in its batch', async (_t, c) => {
  await withContact(c.store);
  const committer = c.committer();
  const [first, second] = await Promise.all([
    committer.write(function* (tx) {
      yield* tx.setLastChannel(CONTACT, 'sms');
      yield* tx.insertMessage(message('a'));
      return (yield* tx.getContact(CONTACT))?.last_channel;
    }),
    committer.write(function* (tx) {
      const seq = (yield* tx.insertMessage(message('b'))).seq;
      const contact = yield* tx.getContact(CONTACT);
      return [seq, contact?.last_seq, contact?.last_channel];
    }),
  ]);
  assert.equal(first, 'sms');
  assert.deepEqual(second, [2, 2, 'sms']);
  assert.equal(committer.commits, 1, 'both in one transaction');
});

committerTest('batches are bounded by maxBatch', async (_t, c) => {
  await withContact(c.store);
  const committer = c.committer(10);
  await Promise.all(Array.from({ length: 25 }, (_, i) => committer.write(store(`m${i}`))));
  assert.equal(committer.commits, 3);
  assert.equal(committer.writes, 25);
});

test('a gate holds the next batch without blocking: writes queued meanwhile join it, and every commit is reported', async () => {
  const { insert, rows, committer } = setup();
  let release: () => void = () => {};
  let closed = false;
  let reported = 0;
  committer.setGate({
    committed: () => reported++,
    roomToCommit: () =>
      closed ? new Promise<void>((resolve) => (release = () => ((closed = false), resolve()))) : null,
  });
  await committer.commit(() => insert.run('a', 1));
  assert.equal(reported, 1);

  closed = true;
  const first = committer.commit(() => insert.run('b', 2));
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(rows(), [{ k: 'a', v: 1 }], 'nothing commits while the gate is shut');
  const second = committer.commit(() => insert.run('c', 3)); // queued while waiting
  release();
  await Promise.all([first, second]);
  assert.deepEqual(rows(), [
    { k: 'a', v: 1 },
    { k: 'b', v: 2 },
    { k: 'c', v: 3 },
  ]);
  assert.equal(committer.commits, 2, 'the held write and the one queued meanwhile committed together');
  assert.equal(committer.gateWaits, 1);
  assert.equal(reported, 2);
});
