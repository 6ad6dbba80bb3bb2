/** Test helpers: a temp SQLite database with the real schema, and outbox row inserts. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { migrations } from '../../src/store/migrations.ts';

export function openTempDb(dir: string): Database.Database {
  const db = new Database(join(dir, 'nudge.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** A fresh WAL database with migration 1 applied; removed after the test. */
export function tempDb(t: TestContext): { db: Database.Database; dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-channels-'));
  const db = openTempDb(dir);
  db.exec(migrations[0]);
  t.after(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, dir, path: join(dir, 'nudge.db') };
}

export interface OutboxInsert {
  key?: string;
  botId?: string;
  contactId?: string | null;
  channel?: string;
  recipient?: string | null;
  body?: string;
  meta?: string | null;
  status?: string;
  attempts?: number;
  nextAttemptAt: number;
  claimedAt?: number | null;
}

let seq = 0;

export function insertOutbox(db: Database.Database, row: OutboxInsert): number {
  const key = row.key ?? `key-${++seq}-${Math.random().toString(36).slice(2)}`;
  const info = db
    .prepare(
      `INSERT INTO outbox (idempotency_key, bot_id, contact_id, channel, recipient, body, meta, status, attempts,
         next_attempt_at, claimed_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      key,
      row.botId ?? 'bot1',
      row.contactId === undefined ? 'c1' : row.contactId,
      row.channel ?? 'sms',
      row.recipient === undefined ? '+14155550100' : row.recipient,
      row.body ?? 'hello',
      row.meta === undefined ? '{}' : row.meta,
      row.status ?? 'pending',
      row.attempts ?? 0,
      row.nextAttemptAt,
      row.claimedAt ?? null,
      row.nextAttemptAt,
      row.nextAttemptAt,
    );
  return Number(info.lastInsertRowid);
}

/** Lets pending promise callbacks (and microtasks they queue) run. */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/** Polls (real time) until `condition` holds: for waits on real HTTP round trips only. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
