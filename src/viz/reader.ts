/**
 * Read-only access to one contact's recorded history (the rows come from
 * src/store/contactHistory.ts). The visualizer opens its OWN SQLite connection in read-only
 * mode (plus `query_only`), so nothing it does — replay, what-if, export, import — can
 * write to the database, by construction.
 */
import { existsSync } from 'node:fs';
import type { Policy } from '../../machines/contact.ts';
import type { BotConfig } from '../config/botConfig.ts';
import { policyFromConfig } from '../runtime/policy.ts';
import { contactHistoryQueries, type SqliteContactHistoryQueries } from '../store/contactHistory.ts';
import { openReadOnlyDatabase, type DB } from '../store/db.ts';
import type { PrunedHistory } from '../store/pruned.ts';
import type { ContactRow, FollowUpRow, MessageRow, TransitionRow } from '../store/store.ts';

/** Everything the visualizer knows about one contact; also the export file's body. */
export interface ContactHistory {
  contact: ContactRecord;
  bot: { id: string; name: string; config: BotConfig | null; policy: Policy };
  log: LogRecord[];
  /** The persisted XState snapshot as stored (null if missing). */
  storedSnapshot: unknown | null;
  followUps: FollowUpRow[];
  messages: MessageRecord[];
  /** What retention deleted (absent in exported files written before it existed). */
  pruned?: PrunedHistory | null;
}

export interface ContactRecord {
  id: string;
  botId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  timezone: string | null;
  state: string;
  epoch: number;
  lastChannel: string;
  createdAt: number;
  updatedAt: number;
}

/** A transition-log row with its JSON columns parsed (or the parse error kept). */
export interface LogRecord {
  seq: number;
  at: number;
  event: unknown;
  from: string;
  to: string;
  effects: unknown;
  /** Set when a JSON column could not be read. */
  corrupt?: string;
}

export interface MessageRecord {
  id: string;
  seq: number;
  sender: string;
  channel: string;
  text: string;
  at: number;
  classification: unknown;
  followUpId: string | null;
}

export class HistoryReader {
  private readonly queries: SqliteContactHistoryQueries;

  constructor(readonly db: DB) {
    this.queries = contactHistoryQueries(db);
  }

  contact(id: string): ContactRow | undefined {
    return this.queries.contact(id);
  }

  /** Everything about one contact, or null when it does not exist. */
  history(contactId: string): ContactHistory | null {
    // One read transaction, so the log, snapshot and follow-ups are mutually consistent
    // even while the runtime commits concurrently on its own connection.
    const q = this.queries;
    return this.db.transaction(() => {
      const contact = q.contact(contactId);
      if (!contact) return null;
      const botRow = q.bot(contact.bot_id);
      const config = botRow ? (parseJson(botRow.config).value as BotConfig | null) : null;
      const snapshot = q.snapshotText(contactId);
      return {
        contact: contactRecord(contact),
        bot: {
          id: contact.bot_id,
          name: botRow?.name ?? '(deleted bot)',
          config,
          policy: config ? policyFromConfig(config) : inactivePolicy(),
        },
        log: q.transitions(contactId).map(logRecord),
        storedSnapshot: snapshot === null ? null : (parseJson(snapshot).value ?? null),
        followUps: q.followUps(contactId),
        messages: q.messages(contactId).map(messageRecord),
        pruned: q.pruned(contactId),
      } satisfies ContactHistory;
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens the SQLite file read-only; throws a clear error when it does not exist. */
export function openHistoryReader(path: string): HistoryReader {
  if (!existsSync(path)) throw new Error(`no database at ${path}`);
  return new HistoryReader(openReadOnlyDatabase(path));
}

export function contactRecord(c: ContactRow): ContactRecord {
  return {
    id: c.id,
    botId: c.bot_id,
    name: c.name,
    phone: c.phone,
    email: c.email,
    timezone: c.timezone,
    state: c.state,
    epoch: c.epoch,
    lastChannel: c.last_channel,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}

function logRecord(row: TransitionRow): LogRecord {
  const event = parseJson(row.event);
  const effects = parseJson(row.actions);
  const record: LogRecord = {
    seq: row.seq,
    at: row.at,
    event: event.value,
    from: row.from_state,
    to: row.to_state,
    effects: effects.value ?? [],
  };
  const problems = [event.error && `event: ${event.error}`, effects.error && `actions: ${effects.error}`].filter(
    Boolean,
  );
  if (problems.length) record.corrupt = problems.join('; ');
  return record;
}

function messageRecord(m: MessageRow): MessageRecord {
  return {
    id: m.id,
    seq: m.seq,
    sender: m.sender,
    channel: m.channel,
    text: m.text,
    at: m.at,
    classification: m.classification === null ? null : (parseJson(m.classification).value ?? null),
    followUpId: m.followup_id,
  };
}

function parseJson(text: string): { value: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { value: null, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Used only when a contact's bot row is gone: nothing would be armed or sent. */
function inactivePolicy(): Policy {
  const off = { enabled: false, delaysMs: [] };
  return {
    active: false,
    capPer24h: 0,
    botReplyTimeoutMs: 0,
    scenarios: { stoppedReplying: off, busy: off, requestedTime: off },
  };
}
