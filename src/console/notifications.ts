/**
 * Operator notifications: what the `notifyUser` workflow action wrote to the outbox —
 * `console` rows (shown here only) and `webhook` rows (shown here too, with their delivery
 * status, since the operator asked to be told). Each operator has a read mark (the highest
 * notification id they marked read), so the console can show an unread count. The rows are
 * read through src/store/notifications.ts.
 */
import type { DB } from '../store/db.ts';
import { notificationRecords, type NotificationRow, type NotificationScope } from '../store/notifications.ts';

export interface NotificationQuery extends NotificationScope {
  /** Only notifications with an id below this (older pages). */
  before?: number;
  limit: number;
}

export function lastReadId(db: DB, operatorId: string): number {
  return notificationRecords(db).lastReadId(operatorId);
}

export function markRead(db: DB, operatorId: string, upTo: number): number {
  return notificationRecords(db).markRead(operatorId, upTo);
}

export function listNotifications(db: DB, operatorId: string, query: NotificationQuery) {
  const records = notificationRecords(db);
  const readUpTo = records.lastReadId(operatorId);
  if (!records.visible(query)) return { notifications: [], unread: 0, lastReadId: readUpTo, nextBefore: null };
  const rows = records.page(query, query.before, query.limit);
  const unread = records.countAfter(query, readUpTo);
  return {
    notifications: rows.map((row) => notificationView(row, readUpTo)),
    unread,
    lastReadId: readUpTo,
    nextBefore: rows.length === query.limit ? rows[rows.length - 1].id : null,
  };
}

function notificationView(row: NotificationRow, readUpTo: number) {
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
