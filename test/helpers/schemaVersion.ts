/**
 * A database as an older release left it: the first `version` migrations applied and
 * `user_version` saying so, for tests of the migrations that follow. Opening it with
 * `openDatabase` then runs the rest.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DB } from '../../src/store/db.ts';
import { migrations } from '../../src/store/migrations.ts';

export function databaseAtVersion(path: string, version: number): DB {
  if (!Number.isInteger(version) || version < 1 || version > migrations.length)
    throw new Error(`no schema version ${version}`);
  const db = new Database(path) as DB;
  for (let v = 0; v < version; v++) db.exec(migrations[v]);
  db.pragma(`user_version = ${version}`);
  return db;
}

/** `databaseAtVersion` in a temp dir the test deletes when it ends; the caller closes `db`. */
export function databaseFileAtVersion(t: { after(fn: () => void): void }, version: number): { path: string; db: DB } {
  const dir = mkdtempSync(join(tmpdir(), `nudge-v${version}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'old.sqlite');
  return { path, db: databaseAtVersion(path, version) };
}
