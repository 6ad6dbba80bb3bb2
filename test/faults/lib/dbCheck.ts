/**
 * Read-only checks of a Nudge SQLite file, shared by the fault tests and scripts. Each
 * returns a list of violations (empty = fine) instead of throwing, so a script can report
 * every problem of a run at once.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Database as DB } from 'better-sqlite3';

export function openReadOnly(path: string): DB {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

export interface TableFingerprint {
  rows: number;
  sha256: string;
}

/**
 * Row count and a checksum of every user table (rows serialised as JSON and sorted, so
 * the order SQLite happens to return them in does not matter).
 */
export function fingerprint(db: DB): Record<string, TableFingerprint> {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
  const out: Record<string, TableFingerprint> = {};
  for (const table of tables) {
    const rows = (
      db
        .prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`)
        .raw()
        .all() as unknown[][]
    ).map((r) =>
      JSON.stringify(r, (_k, v) =>
        typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('base64') : v,
      ),
    );
    rows.sort();
    const hash = createHash('sha256');
    for (const row of rows) hash.update(row).update('\n');
    out[table] = { rows: rows.length, sha256: hash.digest('hex') };
  }
  return out;
}

export function integrity(db: DB): string[] {
  const problems: string[] = [];
  const check = db.pragma('integrity_check') as { integrity_check: string }[];
  if (check.length !== 1 || check[0].integrity_check !== 'ok')
    problems.push(`integrity_check: ${check.map((r) => r.integrity_check).join('; ')}`);
  const fk = db.pragma('foreign_key_check') as unknown[];
  if (fk.length > 0) problems.push(`foreign_key_check: ${fk.length} violations, e.g. ${JSON.stringify(fk[0])}`);
  return problems;
}

/** Every acknowledged message (clientId → contact, id, seq) is stored once, as acknowledged. */
export function checkAcked(
  db: DB,
  acks: Iterable<{ contactId: string; clientId: string; id: string; seq: number }>,
): string[] {
  const problems: string[] = [];
  const byClient = db.prepare('SELECT id, seq FROM messages WHERE contact_id = ? AND client_id = ?');
  for (const ack of acks) {
    const rows = byClient.all(ack.contactId, ack.clientId) as { id: string; seq: number }[];
    if (rows.length !== 1)
      problems.push(`acknowledged message ${ack.clientId} of ${ack.contactId}: ${rows.length} rows stored`);
    else if (rows[0].id !== ack.id || rows[0].seq !== ack.seq) {
      problems.push(
        `acknowledged message ${ack.clientId}: stored as ${rows[0].id}/${rows[0].seq}, acknowledged as ${ack.id}/${ack.seq}`,
      );
    }
  }
  return problems;
}

/**
 * None sent twice: every sent follow-up has exactly one outbox row (keyed by its id) and
 * exactly one conversation message; no message or outbox row belongs to a follow-up that
 * is not `sent`.
 */
export function checkSentOnce(db: DB): { problems: string[]; sent: number } {
  const problems: string[] = [];
  const sent = db
    .prepare(`SELECT id FROM followups WHERE status = 'sent' AND kind = 'followup'`)
    .pluck()
    .all() as string[];
  const outboxN = db.prepare('SELECT COUNT(*) FROM outbox WHERE idempotency_key = ?').pluck();
  const msgN = db.prepare('SELECT COUNT(*) FROM messages WHERE followup_id = ?').pluck();
  for (const id of sent) {
    const o = outboxN.get(id) as number;
    const m = msgN.get(id) as number;
    if (o !== 1) problems.push(`follow-up ${id}: ${o} outbox rows`);
    if (m !== 1) problems.push(`follow-up ${id}: ${m} messages`);
  }
  const strayMessages = db
    .prepare(
      `SELECT m.followup_id AS id, f.status FROM messages m LEFT JOIN followups f ON f.id = m.followup_id WHERE m.followup_id IS NOT NULL AND (f.id IS NULL OR f.status != 'sent')`,
    )
    .all() as { id: string; status: string | null }[];
  for (const s of strayMessages)
    problems.push(`message for follow-up ${s.id} whose status is ${s.status ?? 'missing'}`);
  const strayOutbox = db
    .prepare(
      `SELECT o.idempotency_key AS id, f.status FROM outbox o LEFT JOIN followups f ON f.id = o.idempotency_key
       WHERE json_extract(o.meta, '$.followUpId') = o.idempotency_key AND (f.id IS NULL OR f.status != 'sent')`,
    )
    .all() as { id: string; status: string | null }[];
  for (const s of strayOutbox)
    problems.push(`outbox row for follow-up ${s.id} whose status is ${s.status ?? 'missing'}`);
  return { problems, sent: sent.length };
}

/** Pending follow-ups already due more than `toleranceMs` before `now` (a drained service has none). */
export function overdueFollowUps(db: DB, now: number, toleranceMs: number): { id: string; due_at: number }[] {
  return db
    .prepare(`SELECT id, due_at FROM followups WHERE status = 'pending' AND due_at < ? ORDER BY due_at`)
    .all(now - toleranceMs) as { id: string; due_at: number }[];
}

/** Per contact, message seqs are exactly 1..last_seq (no gap, none twice). */
export function checkSeqs(db: DB): string[] {
  const problems: string[] = [];
  const rows = db
    .prepare(
      `SELECT c.id, c.last_seq, COUNT(m.id) AS n, COALESCE(MIN(m.seq), 0) AS lo, COALESCE(MAX(m.seq), 0) AS hi
              FROM contacts c LEFT JOIN messages m ON m.contact_id = c.id GROUP BY c.id`,
    )
    .all() as { id: string; last_seq: number; n: number; lo: number; hi: number }[];
  for (const r of rows) {
    if (r.n === 0) {
      if (r.last_seq !== 0) problems.push(`contact ${r.id}: last_seq ${r.last_seq} but no messages`);
      continue;
    }
    if (r.lo !== 1 || r.hi !== r.n || r.hi !== r.last_seq) {
      problems.push(`contact ${r.id}: ${r.n} messages with seq ${r.lo}..${r.hi}, last_seq ${r.last_seq}`);
    }
  }
  return problems;
}

/** The conversation of a contact as id by seq. */
export function conversationOf(
  db: DB,
): (contactId: string) => { seq: number; id: string; sender: string; at: number }[] {
  const stmt = db.prepare('SELECT seq, id, sender, at FROM messages WHERE contact_id = ? ORDER BY seq');
  return (contactId) => stmt.all(contactId) as { seq: number; id: string; sender: string; at: number }[];
}
