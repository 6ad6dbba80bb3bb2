/**
 * One contact's whole recorded history, as the visualizer replays and exports it: the
 * contact and bot rows, the full transition log (each event whole again), the stored
 * snapshot, every follow-up and message, and what retention deleted. Implements
 * `ContactHistoryQueries`. Read-only: the visualizer and the console reader thread run it
 * on their own read-only connections, inside one read transaction per history.
 */
import type { DB } from './db.ts';
import type { BotRow, ContactRow, FollowUpRow, MaybePromise, MessageRow, TransitionRow } from './port.ts';
import { perConnection } from './perConnection.ts';
import { prunedHistory, type ContactPruningRow, type PrunedHistory } from './pruned.ts';
import { contactColumns, TRANSITION_SELECT } from './store.ts';

/** The rows of one contact's history. */
export interface ContactHistoryQueries {
  contact(id: string): MaybePromise<ContactRow | undefined>;
  bot(id: string): MaybePromise<BotRow | undefined>;
  /** The whole transition log, in order. */
  transitions(contactId: string): MaybePromise<TransitionRow[]>;
  /** The stored machine snapshot as text, or null. */
  snapshotText(contactId: string): MaybePromise<string | null>;
  /** Every follow-up and timer, in creation order. */
  followUps(contactId: string): MaybePromise<FollowUpRow[]>;
  /** Every message, in order. */
  messages(contactId: string): MaybePromise<MessageRow[]>;
  /** What retention deleted, or null. */
  pruned(contactId: string): MaybePromise<PrunedHistory | null>;
}

export class SqliteContactHistoryQueries implements ContactHistoryQueries {
  private readonly s;

  constructor(db: DB) {
    this.s = {
      contact: db.prepare<[string], ContactRow>(`SELECT ${contactColumns()} FROM contacts WHERE id = ?`),
      bot: db.prepare<[string], BotRow>(`SELECT * FROM bots WHERE id = ?`),
      transitions: db.prepare<[string], TransitionRow>(`${TRANSITION_SELECT} WHERE t.contact_id = ? ORDER BY t.seq`),
      snapshot: db.prepare<[string], string | null>(`SELECT snapshot FROM contacts WHERE id = ?`).pluck(),
      followUps: db.prepare<[string], FollowUpRow>(
        `SELECT * FROM followups WHERE contact_id = ? ORDER BY created_at, id`,
      ),
      messages: db.prepare<[string], MessageRow>(`SELECT * FROM messages WHERE contact_id = ? ORDER BY seq`),
      pruning: db.prepare<[string], ContactPruningRow>(`SELECT * FROM contact_pruning WHERE contact_id = ?`),
    };
  }

  contact(id: string): ContactRow | undefined {
    return this.s.contact.get(id);
  }
  bot(id: string): BotRow | undefined {
    return this.s.bot.get(id);
  }
  transitions(contactId: string): TransitionRow[] {
    return this.s.transitions.all(contactId);
  }
  snapshotText(contactId: string): string | null {
    return this.s.snapshot.get(contactId) ?? null;
  }
  followUps(contactId: string): FollowUpRow[] {
    return this.s.followUps.all(contactId);
  }
  messages(contactId: string): MessageRow[] {
    return this.s.messages.all(contactId);
  }
  pruned(contactId: string): PrunedHistory | null {
    const row = this.s.pruning.get(contactId);
    return row ? prunedHistory(row) : null;
  }
}

/** The connection's history queries, prepared once. */
export const contactHistoryQueries = perConnection((db) => new SqliteContactHistoryQueries(db));
