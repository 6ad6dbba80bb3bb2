import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/store/db.ts';
import { GroupCommitter } from '../../src/runtime/committer.ts';

function setup() {
  const db = openDatabase(':memory:');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
  const rows = () => db.prepare('SELECT k, v FROM t ORDER BY k').all() as { k: string; v: number }[];
  return { db, insert, rows, committer: new GroupCommitter(db) };
}

test('writes queued in one turn commit together in one transaction', async () => {
  const { insert, rows, committer } = setup();
  const results = await Promise.all(['a', 'b', 'c'].map((k, i) => committer.commit(() => insert.run(k, i).changes)));
  assert.deepEqual(results, [1, 1, 1]);
  assert.equal(committer.commits, 1);
  assert.equal(committer.retriedBatches, 0);
  assert.deepEqual(rows(), [
    { k: 'a', v: 0 },
    { k: 'b', v: 1 },
    { k: 'c', v: 2 },
  ]);
});

test('a failing write fails alone: the batch is rolled back and every other write committed once', async () => {
  const { insert, rows, committer } = setup();
  const runs = new Map<string, number>();
  const write = (k: string, v: number) => () => {
    runs.set(k, (runs.get(k) ?? 0) + 1);
    insert.run(k, v);
    return k;
  };
  const settled = await Promise.allSettled([
    committer.commit(write('a', 1)),
    committer.commit(write('b', 2)),
    committer.commit(write('a', 3)), // primary key clash with the first write
    committer.commit(write('c', 4)),
  ]);
  assert.deepEqual(
    settled.map((s) => s.status),
    ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
  );
  assert.match(String((settled[2] as PromiseRejectedResult).reason), /UNIQUE/);
  assert.equal(committer.retriedBatches, 1);
  // Rows of the rolled-back batch run are gone; each write is stored exactly once.
  assert.deepEqual(rows(), [
    { k: 'a', v: 1 },
    { k: 'b', v: 2 },
    { k: 'c', v: 4 },
  ]);
  assert.equal(runs.get('b'), 2, 'b ran in the rolled-back batch and again alone');
});

test('a write that throws a plain error does not take the batch with it', async () => {
  const { insert, rows, committer } = setup();
  const settled = await Promise.allSettled([
    committer.commit(() => insert.run('x', 1)),
    committer.commit(() => {
      insert.run('y', 2);
      throw new Error('validation failed after a write');
    }),
  ]);
  assert.equal(settled[0].status, 'fulfilled');
  assert.equal(settled[1].status, 'rejected');
  assert.deepEqual(rows(), [{ k: 'x', v: 1 }], 'the failing write left nothing behind');
});

test('a storage error rejects the whole batch with its real cause and stores nothing', async () => {
  const { db, insert, rows, committer } = setup();
  db.pragma('query_only = ON');
  const settled = await Promise.allSettled([
    committer.commit(() => insert.run('a', 1)),
    committer.commit(() => insert.run('b', 2)),
  ]);
  for (const s of settled) {
    assert.equal(s.status, 'rejected');
    assert.equal((s as PromiseRejectedResult).reason.code, 'SQLITE_READONLY');
  }
  db.pragma('query_only = OFF');
  assert.deepEqual(rows(), []);
  await committer.commit(() => insert.run('a', 1));
  assert.deepEqual(rows(), [{ k: 'a', v: 1 }], 'works again once storage is back');
});

test('batches are bounded by maxBatch', async () => {
  const db = openDatabase(':memory:');
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY)');
  const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
  const committer = new GroupCommitter(db, 10);
  await Promise.all(Array.from({ length: 25 }, (_, i) => committer.commit(() => insert.run(i))));
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
