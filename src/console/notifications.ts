/**
 * Operator notifications: what the `notifyUser` workflow action wrote to the outbox —
 * `console` rows (shown here only) and `webhook` rows (shown here too, with their delivery
 * status, since the operator asked to be told). Each operator has a read mark (the highest
 * notification id they marked read), so the console can show an unread count.
 */
import type { DB } from '../store/db.ts';

interface Row {
  id: number;
  bot_id: string;
  contact_id: string | null;
  channel: string;
  recipient: string | null;
  body: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: number;
  contact_name: string | null;
}

export interface NotificationQuery {
  /** null = every bot (admin); otherwise only these bots. */
  botIds: string[] | null;
  botId?: string;
  contactId?: string;
  /** Only notifications with an id below this (older pages). */
  before?: number;
  limit: number;
}

function scope(query: NotificationQuery): { sql: string; params: unknown[] } | null {
  const where = [`o.channel IN ('console', 'webhook')`];
  const params: unknown[] = [];
  if (query.botId) {
    if (query.botIds !== null && !query.botIds.includes(query.botId)) return null;
    where.push('o.bot_id = ?');
    params.push(query.botId);
  } else if (query.botIds !== null) {
    if (query.botIds.length === 0) return null;
    where.push(`o.bot_id IN (${query.botIds.map(() => '?').join(', ')})`);
    params.push(...query.botIds);
  } else {
    // Every bot (bots are never deleted, so this keeps every row). Naming them lets SQLite
    // read outbox_bot_channel (bot, channel, id) for the few notification rows; without a
    // bot condition it scanned the whole outbox, every delivery ever made, at each read
    // (the soak's notifications read grew from 6 to 15 ms over 25 minutes).
    where.push('o.bot_id IN (SELECT id FROM bots)');
  }
  if (query.contactId) {
    where.push('o.contact_id = ?');
    params.push(query.contactId);
  }
  return { sql: where.join(' AND '), params };
}

export function lastReadId(db: DB, operatorId: string): number {
  return (
    (
      db.prepare(`SELECT last_read_id FROM notification_reads WHERE operator_id = ?`).get(operatorId) as
        { last_read_id: number } | undefined
    )?.last_read_id ?? 0
  );
}

export function markRead(db: DB, operatorId: string, upTo: number): number {
  db.prepare(
    `INSERT INTO notification_reads (operator_id, last_read_id) VALUES (?, ?)
     ON CONFLICT(operator_id) DO UPDATE SET last_read_id = MAX(last_read_id, excluded.last_read_id)`,
  ).run(operatorId, upTo);
  return lastReadId(db, operatorId);
}

export function listNotifications(db: DB, operatorId: string, query: NotificationQuery) {
  const where = scope(query);
  const readUpTo = lastReadId(db, operatorId);
  if (!where) return { notifications: [], unread: 0, lastReadId: readUpTo, nextBefore: null };
  const rows = db
    .prepare(
      `SELECT o.id, o.bot_id, o.contact_id, o.channel, o.recipient, o.body, o.status, o.attempts, o.last_error, o.created_at, c.name AS contact_name
       FROM outbox o LEFT JOIN contacts c ON c.id = o.contact_id
       WHERE ${where.sql} ${query.before ? 'AND o.id < ?' : ''} ORDER BY o.id DESC LIMIT ?`,
    )
    .all(...where.params, ...(query.before ? [query.before] : []), query.limit) as Row[];
  const unread = (
    db.prepare(`SELECT COUNT(*) AS n FROM outbox o WHERE ${where.sql} AND o.id > ?`).get(...where.params, readUpTo) as {
      n: number;
    }
  ).n;
  return {
    notifications: rows.map((row) => notificationView(row, readUpTo)),
    unread,
    lastReadId: readUpTo,
    nextBefore: rows.length === query.limit ? rows[rows.length - 1].id : null,
  };
}

function notificationView(row: Row, readUpTo: number) {
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(row.body) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    body = { message: row.body };
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: row.id,
    botId: row.bot_id,
    contactId: row.contact_id,
    contactName: row.contact_name,
    type: str(body.type) ?? 'notification',
    message: str(body.message),
    userId: str(body.userId),
    scenario: str(body.scenario),
    step: typeof body.step === 'number' ? body.step : null,
    followUpId: str(body.followUpId),
    channel: row.channel,
    webhookUrl: row.channel === 'webhook' ? row.recipient : null,
    // A console notification is delivered by being listed here; a webhook has a real delivery.
    delivery:
      row.channel === 'webhook' ? { status: row.status, attempts: row.attempts, lastError: row.last_error } : null,
    at: new Date(row.created_at).toISOString(),
    unread: row.id > readUpTo,
  };
}
