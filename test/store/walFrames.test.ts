/**
 * bench/walFrames.ts reads page numbers out of a WAL file and names the b-tree owning each
 * page: checked against commits whose pages are known.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  frameCount,
  framesByOwner,
  pageOwners,
  WalTail,
  walPageSize,
  WAL_FRAME_HEADER_BYTES,
  WAL_HEADER_BYTES,
} from '../../bench/walFrames.ts';
import type { DB } from '../../src/store/db.ts';

test('WAL frames are attributed to the table or index whose page they hold', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-walframes-'));
  const db = new Database(join(dir, 'w.sqlite')) as DB;
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  db.pragma('page_size = 1024');
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, body TEXT NOT NULL)`);
  db.exec(`CREATE INDEX notes_owner ON notes(owner)`);
  const insert = db.prepare(`INSERT INTO notes (owner, body) VALUES (?, ?)`);
  const walPath = join(dir, 'w.sqlite-wal');
  const framesBefore = frameCount(readFileSync(walPath)); // the schema's commits
  const tail = new WalTail(walPath);
  db.transaction(() => {
    for (let i = 0; i < 400; i++) insert.run(`owner-${i % 37}`, 'x'.repeat(200));
  })();
  const wal = readFileSync(walPath);
  assert.equal(walPageSize(wal), 1024);
  assert.equal(
    frameCount(wal),
    (statSync(walPath).size - WAL_HEADER_BYTES) / (WAL_FRAME_HEADER_BYTES + 1024),
    'whole frames only',
  );
  const owners = pageOwners(db);
  const all = tail.pages();
  assert.ok(framesBefore > 0);
  assert.equal(all.length, frameCount(wal) - framesBefore, 'the tail reads every frame appended since it started');
  const byOwner = new Map(framesByOwner(all, owners));
  assert.ok(
    (byOwner.get('notes') ?? 0) >= 80,
    `400 rows of ~210 bytes fill 80+ pages of 1 KiB: ${JSON.stringify([...byOwner])}`,
  );
  assert.ok((byOwner.get('notes_owner') ?? 0) >= 1);

  // One more commit changing one row's body (not its indexed owner) writes the table page
  // holding that row and nothing of the index.
  db.prepare(`UPDATE notes SET body = 'y' WHERE id = 200`).run();
  const pages = tail.pages();
  const rowPage = (
    db.prepare(`SELECT pageno FROM dbstat WHERE name = 'notes' AND pagetype = 'leaf' ORDER BY pageno`).all() as {
      pageno: number;
    }[]
  ).map((r) => r.pageno);
  assert.ok(pages.length >= 1);
  assert.deepEqual(
    framesByOwner(pages, pageOwners(db)).filter(([owner]) => owner !== 'sqlite_schema'),
    [['notes', 1]],
    `frames of the update: pages ${pages}, table leaves ${rowPage.length}`,
  );
  assert.deepEqual(tail.pages(), [], 'nothing new');
  assert.equal(frameCount(Buffer.alloc(10)), 0, 'a file shorter than the header has no frames');
});
