import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnSync } from 'node:child_process';
import { openDatabase } from '../../src/store/db.ts';
import { BackgroundCheckpointer } from '../../src/store/checkpointer.ts';
import { GroupCommitter } from '../../src/runtime/committer.ts';

function tempDb(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-ckpt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'test.sqlite');
  const db = openDatabase(path);
  db.exec('CREATE TABLE blob (id INTEGER PRIMARY KEY, data BLOB NOT NULL)');
  return { db, path, wal: `${path}-wal` };
}

/** Every row written is there and the file is sound. */
function assertRowsIntact(db: ReturnType<typeof openDatabase>, rows: number): void {
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM blob').get() as { n: number }).n, rows);
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
}

/** Polls a condition (the worker runs on its own timer; no fixed wait decides a result). */
async function until(condition: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

test('commits never checkpoint inline; the worker copies the WAL back and the writer rewinds it', async (t) => {
  const { db, wal } = tempDb(t);
  const checkpointer = new BackgroundCheckpointer(db, { intervalMs: 20 });
  t.after(async () => {
    await checkpointer.stop();
    db.close();
  });
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
  const insert = db.prepare('INSERT INTO blob (data) VALUES (?)');
  const chunk = Buffer.alloc(64 * 1024, 7);
  // ~16 MiB through the WAL, far past the 1000-page (4 MiB) automatic threshold.
  for (let round = 0; round < 8; round++) {
    db.transaction(() => {
      for (let i = 0; i < 32; i++) insert.run(chunk);
    })();
    // Reports still queued from before the write do not count: wait for a complete
    // checkpoint that started after it.
    const written = Date.now();
    await until(
      () =>
        checkpointer.stats.lastStartedAt > written &&
        checkpointer.stats.lastCheckpointed === checkpointer.stats.lastLog,
      'a complete checkpoint',
    );
  }
  assert.equal(checkpointer.stats.errors, 0, String(checkpointer.stats.lastError));
  // Everything was copied back, so the WAL restarts from its beginning: it holds about one
  // round (2 MiB of rows), never the 16 MiB written.
  assert.ok(statSync(wal).size < 6 * 1024 * 1024, `WAL is ${statSync(wal).size} bytes`);
  assertRowsIntact(db, 256);
});

test('a checkpointer that dies hands automatic checkpoints back to the main connection', async (t) => {
  const { db } = tempDb(t);
  const checkpointer = new BackgroundCheckpointer(db, { intervalMs: 50, autocheckpointPages: 1000 });
  t.after(() => db.close());
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
  await (checkpointer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  await until(() => !checkpointer.stats.running, 'the fallback');
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
  assert.match(String(checkpointer.stats.lastError), /exited/);
  await checkpointer.stop(); // stopping a dead checkpointer is harmless
});

test('stop ends the worker and restores automatic checkpoints; closing removes the WAL', async (t) => {
  const { db, path, wal } = tempDb(t);
  const checkpointer = new BackgroundCheckpointer(db, { intervalMs: 10 });
  db.prepare('INSERT INTO blob (data) VALUES (?)').run(Buffer.alloc(1000));
  await checkpointer.stop();
  assert.equal(checkpointer.stats.running, false);
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
  db.close();
  assert.equal(existsSync(wal), false, 'the last connection to close checkpointed and removed the WAL');
  const reopened = openDatabase(path);
  assert.equal((reopened.prepare('SELECT COUNT(*) AS n FROM blob').get() as { n: number }).n, 1);
  reopened.close();
});

test('under writes with no gap between commits the WAL stays bounded: batches wait for the checkpoint to catch up', async (t) => {
  const { db, wal } = tempDb(t);
  // A 20 s timer: only the after-commit requests can keep up here.
  const checkpointer = new BackgroundCheckpointer(db, { intervalMs: 20_000, maxWalFrames: 256 });
  const committer = new GroupCommitter(db);
  committer.setGate(checkpointer);
  t.after(async () => {
    await checkpointer.stop();
    db.close();
  });
  const insert = db.prepare('INSERT INTO blob (data) VALUES (?)');
  const chunk = Buffer.alloc(64 * 1024, 7);
  // 96 MiB through the WAL from four writers that queue their next write the moment the
  // previous one commits, so a commit follows every turn of the event loop. A checkpoint
  // started by a timer or after a commit overlaps the next commit and never sees the
  // whole WAL copied; without the gate the WAL grows by everything written.
  let maxWal = 0;
  const writer = async () => {
    for (let i = 0; i < 384; i++) {
      await committer.commit(() => insert.run(chunk));
      maxWal = Math.max(maxWal, existsSync(wal) ? statSync(wal).size : 0);
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
  assert.equal(checkpointer.stats.errors, 0, String(checkpointer.stats.lastError));
  assert.ok(committer.gateWaits > 0, 'some batches waited for the checkpointer');
  // 256 frames (1 MiB) plus what commits while an answer is on its way: a few MiB alone,
  // more when the suite loads the machine; without the gate, all 96 MiB.
  assert.ok(maxWal < 32 * 1024 * 1024, `WAL reached ${maxWal} bytes`);
  assertRowsIntact(db, 1536);
});

test('stopping the checkpointer releases a batch waiting at the gate', async (t) => {
  const { db } = tempDb(t);
  const checkpointer = new BackgroundCheckpointer(db, { intervalMs: 20_000, maxWalFrames: 1 });
  t.after(() => db.close());
  db.prepare('INSERT INTO blob (data) VALUES (?)').run(Buffer.alloc(8192));
  checkpointer.committed(); // a request in flight
  await until(() => checkpointer.stats.checkpoints > 0, 'the first answer');
  checkpointer.committed();
  checkpointer.stats.lastLog = 10; // as if the last answer had found the WAL past the bound
  const wait = checkpointer.roomToCommit();
  assert.ok(wait, 'past the bound with a request in flight, the batch waits');
  await checkpointer.stop();
  await wait; // settles: a stopped checkpointer holds nothing back
  assert.equal(checkpointer.roomToCommit(), null);
});

test('a batch held at the gate gets its checkpoint at once, not after the spacing between requests', async (t) => {
  const { db } = tempDb(t);
  // Requests at most once a minute, timer checkpoints never: only the held batch can
  // bring the next request forward.
  const checkpointer = new BackgroundCheckpointer(db, {
    intervalMs: 600_000,
    maxWalFrames: 1,
    minRequestGapMs: 60_000,
  });
  t.after(async () => {
    await checkpointer.stop();
    db.close();
  });
  const insert = db.prepare('INSERT INTO blob (data) VALUES (?)');
  insert.run(Buffer.alloc(8192));
  checkpointer.committed(); // asked at once: the first request of the minute
  await until(() => checkpointer.stats.checkpoints === 1, 'the first answer');
  insert.run(Buffer.alloc(8192));
  checkpointer.committed(); // within the minute: waits for the spacing timer
  assert.ok(checkpointer.stats.lastLog >= 1, 'the first answer found the WAL past the bound');
  const wait = checkpointer.roomToCommit();
  assert.ok(wait, 'past the bound with a request due, the batch waits');
  let released = false;
  void wait.then(() => (released = true));
  await until(() => released, 'the held batch released by a checkpoint asked for at once', 10_000);
  assert.equal(checkpointer.stats.checkpoints, 2);
  assert.equal(checkpointer.stats.lastCheckpointed, checkpointer.stats.lastLog, 'that checkpoint copied every frame');
  assertRowsIntact(db, 2);
});

test('a running checkpointer keeps the process alive only while a batch waits for it', (t) => {
  // In a child process: whether it stays for the held batch, then ends by itself with the
  // checkpointer never stopped, is what is measured (Node 20 re-refs a worker when a
  // 'message' listener is added after unref: the checkpointer used to hold every process).
  const { path } = tempDb(t);
  const script = `
    import { openDatabase } from ${JSON.stringify(new URL('../../src/store/db.ts', import.meta.url).href)};
    import { BackgroundCheckpointer } from ${JSON.stringify(new URL('../../src/store/checkpointer.ts', import.meta.url).href)};
    import { GroupCommitter } from ${JSON.stringify(new URL('../../src/runtime/committer.ts', import.meta.url).href)};
    const db = openDatabase(${JSON.stringify(path)});
    const checkpointer = new BackgroundCheckpointer(db);
    const committer = new GroupCommitter(db);
    committer.setGate(checkpointer);
    const insert = db.prepare('INSERT INTO blob (data) VALUES (?)');
    await committer.commit(() => insert.run(Buffer.alloc(10)));
    // The first commit asked for a checkpoint; until its answer the WAL's length is unknown,
    // so this batch waits at the gate for the worker, with nothing else keeping the process.
    await committer.commit(() => insert.run(Buffer.alloc(10)));
    console.log(checkpointer.stats.running && checkpointer.stats.checkpoints > 0 && committer.gateWaits === 1 ? 'held, then committed' : 'not held');
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(child.signal, null, `the process ended by itself; stderr: ${child.stderr}`);
  assert.equal(child.status, 0, `exit ${child.status} (13: it ended while the batch waited); stderr: ${child.stderr}`);
  assert.equal(child.stdout.trim(), 'held, then committed');
});
