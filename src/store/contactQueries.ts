/**
 * Reads over a bot's contacts beyond what the runtime's Store needs: the API's contact list,
 * the console's search with its previews, the calendar webhook's lookup by email and the
 * Response Info panel's latest log entries. Implements `ContactQueries`. Read-only. Every
 * list is scoped to one bot by its first condition; filter values are always parameters.
 * Prepared once per connection (the search once per combination of filters).
 */
import type { DB } from './db.ts';
import type { ContactRow, MaybePromise, TransitionRow } from './port.ts';
import { perConnection, StatementsByShape } from './perConnection.ts';
import { contactColumns, TRANSITION_SELECT } from './store.ts';

/** What the console's contact search filters and sorts by. */
export interface ContactSearch {
  /** Part of the name, email or phone (a number-like query also matches the phone's digits). */
  q?: string;
  /** Only contacts in one of these states. */
  states?: string[];
  /** Only contacts with a pending follow-up due at or before this instant. */
  dueBefore?: number;
  /** Only contacts held for review. */
  needsReview?: boolean;
  sort: 'updated' | 'name' | 'due';
  limit: number;
  offset: number;
}

/** A contact found by the search, with its visitor number and next due time. */
export type FoundContact = ContactRow & { next_due: number | null; visitor_number: number };

/** Reads over contacts for the API and the console. */
export interface ContactQueries {
  /** A page of the bot's contacts (in one state when given), most recently updated first. */
  contactsOfBot(botId: string, state: string | undefined, offset: number, limit: number): MaybePromise<ContactRow[]>;
  /** The bot's most recently updated contact with this email (case-insensitive). */
  contactByEmail(botId: string, email: string): MaybePromise<ContactRow | undefined>;
  /** A page of the search's matches and how many there are. */
  search(botId: string, search: ContactSearch): MaybePromise<{ rows: FoundContact[]; total: number }>;
  /** The contact's latest message, for a preview. */
  lastMessage(contactId: string): MaybePromise<{ sender: string; text: string; at: number } | undefined>;
  /** The contact's next pending follow-up (kind 'followup'). */
  nextFollowUp(
    contactId: string,
  ): MaybePromise<{ id: string; scenario: string; step: number; due_at: number } | undefined>;
  /** The contact's latest `limit` log entries, in order. */
  latestTransitions(contactId: string, limit: number): MaybePromise<TransitionRow[]>;
}

type SearchParams = Record<string, string | number>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const SEARCH_ORDER: Record<ContactSearch['sort'], string> = {
  name: `c.name IS NULL, c.name COLLATE NOCASE, c.id`,
  due: `next_due IS NULL, next_due, c.id`,
  updated: `c.updated_at DESC, c.id`,
};

/** The WHERE of a search (alias `c`) and its parameters. */
function searchWhere(botId: string, search: ContactSearch): { sql: string; params: SearchParams } {
  const where: string[] = ['c.bot_id = @botId'];
  const params: SearchParams = { botId };
  if (search.states) {
    where.push(`c.state IN (SELECT value FROM json_each(@states))`);
    params.states = JSON.stringify(search.states);
  }
  if (search.q) {
    params.like = `%${escapeLike(search.q)}%`;
    const alternatives = [
      `c.name LIKE @like ESCAPE '\\'`,
      `c.email LIKE @like ESCAPE '\\'`,
      `c.phone LIKE @like ESCAPE '\\'`,
    ];
    // "(415) 555-0123" finds +14155550123: compare digits when the query looks like a number.
    const digits = search.q.replace(/\D/g, '');
    if (digits.length >= 3 && /^[\d\s()+.-]+$/.test(search.q)) {
      params.digits = `%${digits}%`;
      alternatives.push(`c.phone LIKE @digits`);
    }
    where.push(`(${alternatives.join(' OR ')})`);
  }
  if (search.needsReview) where.push('c.review_at IS NOT NULL');
  if (search.dueBefore !== undefined) {
    params.dueBefore = search.dueBefore;
    where.push(
      `EXISTS (SELECT 1 FROM followups f WHERE f.contact_id = c.id AND f.status = 'pending' AND f.kind = 'followup' AND f.due_at <= @dueBefore)`,
    );
  }
  return { sql: where.join(' AND '), params };
}

export class SqliteContactQueries implements ContactQueries {
  private readonly s;
  private readonly searchCounts: StatementsByShape<[SearchParams], number>;
  private readonly searchPages: StatementsByShape<[SearchParams], FoundContact>;

  constructor(db: DB) {
    const columns = contactColumns();
    this.s = {
      contactsOfBot: db.prepare<[string, number, number], ContactRow>(
        `SELECT ${columns} FROM contacts WHERE bot_id = ? ORDER BY updated_at DESC, id LIMIT ? OFFSET ?`,
      ),
      contactsOfBotInState: db.prepare<[string, string, number, number], ContactRow>(
        `SELECT ${columns} FROM contacts WHERE bot_id = ? AND state = ? ORDER BY updated_at DESC, id LIMIT ? OFFSET ?`,
      ),
      contactByEmail: db.prepare<[string, string], ContactRow>(
        `SELECT ${columns} FROM contacts WHERE bot_id = ? AND email = ? COLLATE NOCASE ORDER BY updated_at DESC, id LIMIT 1`,
      ),
      lastMessage: db.prepare<[string], { sender: string; text: string; at: number }>(
        `SELECT sender, text, at FROM messages WHERE contact_id = ? ORDER BY seq DESC LIMIT 1`,
      ),
      nextFollowUp: db.prepare<[string], { id: string; scenario: string; step: number; due_at: number }>(
        `SELECT id, scenario, step, due_at FROM followups WHERE contact_id = ? AND status = 'pending' AND kind = 'followup' ORDER BY due_at, id LIMIT 1`,
      ),
      latestTransitions: db.prepare<[string, number], TransitionRow>(
        `SELECT * FROM (${TRANSITION_SELECT} WHERE t.contact_id = ? ORDER BY t.seq DESC LIMIT ?) ORDER BY seq`,
      ),
    };
    this.searchCounts = new StatementsByShape(db, { pluck: true });
    this.searchPages = new StatementsByShape(db);
  }

  contactsOfBot(botId: string, state: string | undefined, offset: number, limit: number): ContactRow[] {
    return state === undefined
      ? this.s.contactsOfBot.all(botId, limit, offset)
      : this.s.contactsOfBotInState.all(botId, state, limit, offset);
  }

  contactByEmail(botId: string, email: string): ContactRow | undefined {
    return this.s.contactByEmail.get(botId, email);
  }

  search(botId: string, search: ContactSearch): { rows: FoundContact[]; total: number } {
    const where = searchWhere(botId, search);
    const total = this.searchCounts.get(`SELECT COUNT(*) AS n FROM contacts c WHERE ${where.sql}`).get(where.params)!;
    const rows = this.searchPages
      .get(
        `SELECT ${contactColumns('c')}, c.rowid AS visitor_number,
           (SELECT MIN(f.due_at) FROM followups f WHERE f.contact_id = c.id AND f.status = 'pending' AND f.kind = 'followup') AS next_due
         FROM contacts c WHERE ${where.sql} ORDER BY ${SEARCH_ORDER[search.sort]} LIMIT @limit OFFSET @offset`,
      )
      .all({ ...where.params, limit: search.limit, offset: search.offset });
    return { rows, total };
  }

  lastMessage(contactId: string): { sender: string; text: string; at: number } | undefined {
    return this.s.lastMessage.get(contactId);
  }

  nextFollowUp(contactId: string): { id: string; scenario: string; step: number; due_at: number } | undefined {
    return this.s.nextFollowUp.get(contactId);
  }

  latestTransitions(contactId: string, limit: number): TransitionRow[] {
    return this.s.latestTransitions.all(contactId, limit);
  }
}

/** The connection's contact queries, prepared once. */
export const contactQueries = perConnection((db) => new SqliteContactQueries(db));
