/**
 * Operator notifications as stored: the outbox rows of the `console` and `webhook` channels
 * (written by the `notifyUser` workflow action) and the `notification_reads` table, one
 * read mark per operator that only moves forward. Implements `NotificationRecords`.
 * A scope always names its bots, so SQLite reads outbox_bot_channel, never the whole outbox.
 * Statements are prepared once per connection and scope shape.
 */
import type { DB } from './db.ts';
import type { MaybePromise } from './port.ts';
import { perConnection, StatementsByShape } from './perConnection.ts';

/** A notification row with its contact's name. */
export interface NotificationRow {
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

/** Which notifications an operator sees. */
export interface NotificationScope {
  /** null = every bot (admin); otherwise only these bots. */
  botIds: string[] | null;
  /** Only this bot (outside `botIds`: nothing). */
  botId?: string;
  /** Only this contact. */
  contactId?: string;
}

/** Notification rows and operators' read marks. */
export interface NotificationRecords {
  /** The highest notification id the operator marked read (0: none). */
  lastReadId(operatorId: string): MaybePromise<number>;
  /** Moves the operator's read mark up to `upTo` (never back); returns the mark. */
  markRead(operatorId: string, upTo: number): MaybePromise<number>;
  /** Whether the scope can hold any notification at all. */
  visible(scope: NotificationScope): MaybePromise<boolean>;
  /** Up to `limit` notifications in scope, newest first, with an id below `before` when given. */
  page(scope: NotificationScope, before: number | undefined, limit: number): MaybePromise<NotificationRow[]>;
  /** How many notifications in scope have an id above `afterId`. */
  countAfter(scope: NotificationScope, afterId: number): MaybePromise<number>;
}

type Where = { sql: string; params: (string | number)[] };

/** The WHERE of a scope (alias `o` for the outbox), or null when nothing is in it. */
function scopeWhere(scope: NotificationScope): Where | null {
  const where = [`o.channel IN ('console', 'webhook')`];
  const params: (string | number)[] = [];
  if (scope.botId) {
    if (scope.botIds !== null && !scope.botIds.includes(scope.botId)) return null;
    where.push('o.bot_id = ?');
    params.push(scope.botId);
  } else if (scope.botIds !== null) {
    if (scope.botIds.length === 0) return null;
    where.push('o.bot_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(scope.botIds));
  } else {
    // Every bot (bots are never deleted, so this keeps every row). Naming them lets SQLite
    // read outbox_bot_channel (bot, channel, id) for the few notification rows; without a
    // bot condition it scans the whole outbox, every delivery ever made, at each read.
    where.push('o.bot_id IN (SELECT id FROM bots)');
  }
  if (scope.contactId) {
    where.push('o.contact_id = ?');
    params.push(scope.contactId);
  }
  return { sql: where.join(' AND '), params };
}

export class SqliteNotificationRecords implements NotificationRecords {
  private readonly s;
  private readonly pages: StatementsByShape<(string | number)[], NotificationRow>;
  private readonly counts: StatementsByShape<(string | number)[], number>;

  constructor(db: DB) {
    this.s = {
      lastReadId: db
        .prepare<[string], number>(`SELECT last_read_id FROM notification_reads WHERE operator_id = ?`)
        .pluck(),
      markRead: db.prepare<[string, number]>(
        `INSERT INTO notification_reads (operator_id, last_read_id) VALUES (?, ?)
         ON CONFLICT(operator_id) DO UPDATE SET last_read_id = MAX(last_read_id, excluded.last_read_id)`,
      ),
    };
    this.pages = new StatementsByShape(db);
    this.counts = new StatementsByShape(db, { pluck: true });
  }

  lastReadId(operatorId: string): number {
    return this.s.lastReadId.get(operatorId) ?? 0;
  }

  markRead(operatorId: string, upTo: number): number {
    this.s.markRead.run(operatorId, upTo);
    return this.lastReadId(operatorId);
  }

  visible(scope: NotificationScope): boolean {
    return scopeWhere(scope) !== null;
  }

  page(scope: NotificationScope, before: number | undefined, limit: number): NotificationRow[] {
    const where = scopeWhere(scope);
    if (!where) return [];
    const sql = `SELECT o.id, o.bot_id, o.contact_id, o.channel, o.recipient, o.body, o.status, o.attempts, o.last_error, o.created_at, c.name AS contact_name
       FROM outbox o LEFT JOIN contacts c ON c.id = o.contact_id
       WHERE ${where.sql} ${before ? 'AND o.id < ?' : ''} ORDER BY o.id DESC LIMIT ?`;
    return this.pages.get(sql).all(...where.params, ...(before ? [before] : []), limit);
  }

  countAfter(scope: NotificationScope, afterId: number): number {
    const where = scopeWhere(scope);
    if (!where) return 0;
    const count = this.counts.get(`SELECT COUNT(*) AS n FROM outbox o WHERE ${where.sql} AND o.id > ?`);
    return count.get(...where.params, afterId) ?? 0;
  }
}

/** The connection's notification records, prepared once. */
export const notificationRecords = perConnection((db) => new SqliteNotificationRecords(db));
