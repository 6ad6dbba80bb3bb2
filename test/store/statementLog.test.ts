/**
 * bench/statementLog.ts records the statements one connection runs and replays them on a
 * copy of the database taken before: the copy must end up holding the same rows (the
 * fault tests' `fingerprint`, test/faults/lib/dbCheck.ts), and a
 * replay on a database in another state must stop rather than measure something else.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordStatements, replayStatements } from '../../bench/statementLog.ts';
import { fingerprint } from '../faults/lib/dbCheck.ts';
import type { DB } from '../../src/store/db.ts';

function fixture(t: TestContext): { dir: string; open: (name: string) => DB } {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-statementlog-'));
  const opened: DB[] = [];
  t.after(() => {
    for (const db of opened) if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    open(name) {
      const db = new Database(join(dir, name)) as DB;
      opened.push(db);
      return db;
    },
  };
}

function seed(db: DB): void {
  db.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (owner, body))`);
  db.exec(`CREATE TABLE owners (name TEXT PRIMARY KEY, notes INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID`);
  db.prepare(`INSERT INTO notes (owner, body) VALUES ('ann', 'first')`).run();
}

/** A workload in the service's manner: group transactions, reads between them, a failing write caught. */
async function workload(db: DB): Promise<void> {
  const insert = db.prepare(`INSERT INTO notes (owner, body) VALUES (@owner, @body)`);
  const count = db.prepare(
    `INSERT INTO owners (name, notes) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET notes = notes + 1`,
  );
  const batch = db.transaction((items: { owner: string; body: string }[]) => {
    for (const item of items) {
      insert.run(item);
      count.run(item.owner);
    }
  });
  for (let round = 0; round < 5; round++) {
    batch(Array.from({ length: 20 }, (_, i) => ({ owner: `owner-${i % 7}`, body: `note ${round}-${i}` })));
    db.prepare(`SELECT COUNT(*) AS n FROM notes WHERE owner = ?`).get(`owner-${round}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.throws(() => insert.run({ owner: 'ann', body: 'first' }), /UNIQUE/);
  for (const _row of db.prepare(`SELECT * FROM notes ORDER BY id`).iterate());
}

test('a replay on the copy taken before recording writes the same rows', async (t) => {
  const { dir, open } = fixture(t);
  const db = open('a.sqlite');
  seed(db);
  copyFileSync(join(dir, 'a.sqlite'), join(dir, 'b.sqlite'));
  const other = open('c.sqlite');
  other.exec(`CREATE TABLE t (x)`);

  const log = await recordStatements(db, async () => {
    other.prepare(`INSERT INTO t VALUES (1)`).run(); // another connection: not logged
    await workload(db);
  });

  assert.equal(log.filter((s) => s.sql === 'BEGIN').length, 5);
  assert.equal(log.filter((s) => s.sql === 'COMMIT').length, 5);
  assert.equal(log.filter((s) => s.sql.startsWith('INSERT INTO notes')).length, 101);
  assert.ok(!log.some((s) => s.sql.includes('INTO t ')), 'statements of other connections are not logged');
  const failed = log.filter((s) => s.threw);
  assert.equal(failed.length, 1);
  assert.deepEqual(failed[0].args, [{ owner: 'ann', body: 'first' }]);
  assert.ok(log.some((s) => s.method === 'iterate'));
  assert.ok(log.every((s) => s.micros >= 0));

  const copy = open('b.sqlite');
  let commits = 0;
  const result = await replayStatements(copy, log, () => {
    commits++;
    return new Promise((resolve) => setImmediate(resolve));
  });
  assert.equal(result.commits, 5);
  assert.equal(commits, 5, 'afterCommit runs after each COMMIT and is awaited');
  assert.equal(result.statements, log.length);
  assert.ok(result.busyMs > 0 && result.busyMs <= result.wallMs);
  assert.deepEqual(fingerprint(copy), fingerprint(db));
  assert.equal((copy.prepare(`SELECT notes FROM owners WHERE name = 'owner-0'`).get() as { notes: number }).notes, 15);
});

test('a replay on a database in another state stops where it diverges', async (t) => {
  const { open } = fixture(t);
  const db = open('a.sqlite');
  seed(db);
  const log = await recordStatements(db, () => workload(db));

  // Without the seeded row the failing insert would succeed.
  const empty = open('empty.sqlite');
  seed(empty);
  empty.prepare(`DELETE FROM notes`).run();
  await assert.rejects(
    replayStatements(empty, log),
    /replay diverged at statement \d+ \(INSERT INTO notes.*it threw when recorded, not now/,
  );

  // Replayed a second time on the recorded database itself, the first insert collides.
  await assert.rejects(replayStatements(db, log), /replay diverged at statement \d+ \(INSERT INTO notes.*UNIQUE/);
});

test('recording refuses db.exec, and leaves statements as they were', async (t) => {
  const { open } = fixture(t);
  const db = open('a.sqlite');
  seed(db);
  const count = db.prepare(`SELECT COUNT(*) AS n FROM notes`);
  await assert.rejects(
    recordStatements(db, async () => {
      db.exec(`INSERT INTO notes (owner, body) VALUES ('bob', 'x')`);
    }),
    /called db\.exec 1 times/,
  );
  assert.equal((count.get() as { n: number }).n, 2, 'the workload ran');
  const log = await recordStatements(db, async () => {});
  assert.deepEqual(log, []);
  // After recording, a statement is called without the wrapper (nothing is logged anywhere).
  assert.equal((count.get() as { n: number }).n, 2);
  db.exec(`INSERT INTO notes (owner, body) VALUES ('bob', 'y')`);
  assert.equal((count.get() as { n: number }).n, 3);
});
