/**
 * Retention: deletes history older than each bot's `retention` settings, in batches of at
 * most `batchSize` rows, each one group commit, yielding to the event loop between them; a
 * run starts every `intervalMs`. Tables are walked oldest first (one `walk` for all) and a
 * walk stops at the first batch younger than every bot's cutoff. Deleted: old messages
 * (not one that triggered a pending follow-up) with the delivered or failed outbox rows of
 * that age; finished follow-ups (not one whose reply window is open); a contact's whole
 * transition log once its last entry is old, keeping the snapshot after it so replays stay
 * exact. `contact_pruning` records per contact what was deleted.
 */
import type { Clock, TimerHandle } from '../clock.ts';
import { durationToMs, retentionOf, type BotConfig } from '../config/botConfig.ts';
import type { GroupCommitter } from '../runtime/committer.ts';
import type { DB } from './db.ts';
import type { ContactPruningRow } from './pruned.ts';

/** What one run deleted. */
export interface PruneReport {
  messages: number;
  outbox: number;
  followUps: number;
  transitions: number;
  /** Commits made (each at most `batchSize` deletions). */
  batches: number;
}

/** Cutoff instants of one bot (null: kept forever). */
interface Cutoffs {
  messages: number | null;
  transitions: number | null;
  followUps: number | null;
}

/** The statements of retention, prepared once. */
function prepare(db: DB) {
  return {
    bots: db.prepare<[], { id: string; config: string }>('SELECT id, config FROM bots'),
    messagesAfter: db.prepare<[number, number], { rid: number; contact_id: string; at: number; bot_id: string }>(
      `SELECT m.rowid AS rid, m.contact_id, m.at, c.bot_id FROM messages m JOIN contacts c ON c.id = m.contact_id
       WHERE m.rowid > ? ORDER BY m.rowid LIMIT ?`,
    ),
    pendingTriggers: db.prepare<[string], { trigger_message_id: string | null }>(
      `SELECT trigger_message_id FROM followups WHERE contact_id = ? AND status = 'pending'`,
    ),
    messageId: db.prepare<[number], { id: string }>('SELECT id FROM messages WHERE rowid = ?'),
    deleteMessage: db.prepare<[number]>('DELETE FROM messages WHERE rowid = ?'),
    outboxAfter: db.prepare<[number, number], { id: number; bot_id: string; status: string; created_at: number }>(
      'SELECT id, bot_id, status, created_at FROM outbox WHERE id > ? ORDER BY id LIMIT ?',
    ),
    deleteOutbox: db.prepare<[number]>(`DELETE FROM outbox WHERE id = ? AND status IN ('delivered', 'failed')`),
    followUpsAfter: db.prepare<
      [number, number],
      {
        rid: number;
        id: string;
        contact_id: string;
        bot_id: string;
        status: string;
        created_at: number;
        updated_at: number;
      }
    >(
      'SELECT rowid AS rid, id, contact_id, bot_id, status, created_at, updated_at FROM followups WHERE rowid > ? ORDER BY rowid LIMIT ?',
    ),
    openReplyWindow: db.prepare<[string], { last_followup_id: string | null }>(
      'SELECT last_followup_id FROM contacts WHERE id = ?',
    ),
    deleteFollowUp: db.prepare<[number]>(`DELETE FROM followups WHERE rowid = ? AND status <> 'pending'`),
    transitionsAfter: db.prepare<[number, number], { rid: number; contact_id: string; at: number }>(
      'SELECT rowid AS rid, contact_id, at FROM transitions WHERE rowid > ? ORDER BY rowid LIMIT ?',
    ),
    lastTransition: db.prepare<[string], { seq: number; at: number }>(
      'SELECT seq, at FROM transitions WHERE contact_id = ? ORDER BY seq DESC LIMIT 1',
    ),
    contactOf: db.prepare<[string], { bot_id: string; snapshot: string | null }>(
      'SELECT bot_id, snapshot FROM contacts WHERE id = ?',
    ),
    hasTransitionsThrough: db.prepare<[string, number], { one: number }>(
      'SELECT 1 AS one FROM transitions WHERE contact_id = ? AND seq <= ? LIMIT 1',
    ),
    deleteTransitionsThrough: db.prepare<[string, number, number]>(
      'DELETE FROM transitions WHERE rowid IN (SELECT rowid FROM transitions WHERE contact_id = ? AND seq <= ? ORDER BY seq LIMIT ?)',
    ),
    pruning: db.prepare<[string], ContactPruningRow>('SELECT * FROM contact_pruning WHERE contact_id = ?'),
    noteMessages: db.prepare<[{ contact: string; before: number; now: number }]>(
      `INSERT INTO contact_pruning (contact_id, messages_before, pruned_at) VALUES (@contact, @before, @now)
       ON CONFLICT(contact_id) DO UPDATE SET messages_before = max(COALESCE(messages_before, 0), @before), pruned_at = @now`,
    ),
    noteFollowUps: db.prepare<[{ contact: string; before: number; now: number }]>(
      `INSERT INTO contact_pruning (contact_id, followups_before, pruned_at) VALUES (@contact, @before, @now)
       ON CONFLICT(contact_id) DO UPDATE SET followups_before = max(COALESCE(followups_before, 0), @before), pruned_at = @now`,
    ),
    noteTransitions: db.prepare<
      [{ contact: string; through: number; at: number; snapshot: string | null; now: number }]
    >(
      `INSERT INTO contact_pruning (contact_id, transitions_through, transitions_at, transitions_snapshot, pruned_at)
       VALUES (@contact, @through, @at, @snapshot, @now)
       ON CONFLICT(contact_id) DO UPDATE SET transitions_through = @through, transitions_at = @at, transitions_snapshot = @snapshot, pruned_at = @now`,
    ),
  };
}

/** A table walked oldest first: a batch after a key, each row's key and time. */
interface Walked<R> {
  batch: (after: number, limit: number) => R[];
  key: (row: R) => number;
  time: (row: R) => number;
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface RetentionPrunerOptions {
  db: DB;
  committer: GroupCommitter;
  clock: Clock;
  /** Rows deleted per commit (default 500). */
  batchSize?: number;
  /** Time between runs (default 1 hour); the first run starts one interval after `start()`. */
  intervalMs?: number;
}

/** Who hears about scheduled runs (the server's logger). */
export interface PruneObserver {
  onRun(report: PruneReport): void;
  onError(error: unknown): void;
}

export class RetentionPruner {
  private readonly s: ReturnType<typeof prepare>;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private timer: TimerHandle | null = null;
  private running: Promise<PruneReport> | null = null;
  private stopped = true;
  private observer: PruneObserver | null = null;

  constructor(private readonly options: RetentionPrunerOptions) {
    this.s = prepare(options.db);
    this.batchSize = options.batchSize ?? 500;
    this.intervalMs = options.intervalMs ?? 3_600_000;
  }

  /** Starts a run every interval; `observer` hears how each went. */
  start(observer?: PruneObserver): void {
    this.observer = observer ?? null;
    this.stopped = false;
    this.schedule();
  }

  /** Stops scheduling runs and waits for the one under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      this.runOnce()
        .then(
          (report) => this.observer?.onRun(report),
          (error) => this.observer?.onError(error),
        )
        .finally(() => this.schedule());
    }, this.intervalMs);
  }

  /** One pass over every table; concurrent callers share it. */
  runOnce(): Promise<PruneReport> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private cutoffs(now: number): Map<string, Cutoffs> {
    const out = new Map<string, Cutoffs>();
    for (const bot of this.s.bots.all()) {
      let retention;
      try {
        retention = retentionOf(JSON.parse(bot.config) as BotConfig);
      } catch {
        continue;
      }
      const cutoff = (duration: BotConfig['missedGrace'] | null) =>
        duration === null ? null : now - durationToMs(duration);
      out.set(bot.id, {
        messages: cutoff(retention.messages),
        transitions: cutoff(retention.transitions),
        followUps: cutoff(retention.finishedFollowUps),
      });
    }
    return out;
  }

  private async pass(): Promise<PruneReport> {
    const now = this.options.clock.now();
    const cutoffs = this.cutoffs(now);
    const report: PruneReport = { messages: 0, outbox: 0, followUps: 0, transitions: 0, batches: 0 };
    const latest = (kind: keyof Cutoffs) => {
      const values = [...cutoffs.values()].map((c) => c[kind]).filter((v): v is number => v !== null);
      return values.length ? Math.max(...values) : null;
    };
    const cutoff = (botId: string, kind: keyof Cutoffs) => cutoffs.get(botId)?.[kind] ?? null;
    const before = (botId: string, kind: keyof Cutoffs, at: number) => {
      const instant = cutoff(botId, kind);
      return instant !== null && at < instant;
    };
    const s = this.s;

    await this.prune(
      { batch: (after, limit) => s.messagesAfter.all(after, limit), key: (row) => row.rid, time: (row) => row.at },
      latest('messages'),
      (row) => before(row.bot_id, 'messages', row.at),
      (old) => this.deleteMessages(old, cutoffs, now, report),
      report,
    );
    await this.prune(
      { batch: (after, limit) => s.outboxAfter.all(after, limit), key: (row) => row.id, time: (row) => row.created_at },
      latest('messages'),
      (row) =>
        before(row.bot_id, 'messages', row.created_at) && (row.status === 'delivered' || row.status === 'failed'),
      (old) => {
        for (const row of old) report.outbox += s.deleteOutbox.run(row.id).changes;
      },
      report,
    );
    // A follow-up created after every cutoff cannot have finished before one.
    await this.prune(
      {
        batch: (after, limit) => s.followUpsAfter.all(after, limit),
        key: (row) => row.rid,
        time: (row) => row.created_at,
      },
      latest('followUps'),
      (row) => row.status !== 'pending' && before(row.bot_id, 'followUps', row.updated_at),
      (old) => {
        for (const row of old) {
          // A follow-up whose reply window is open still counts a reply when it comes.
          if (s.openReplyWindow.get(row.contact_id)?.last_followup_id === row.id) continue;
          const deleted = s.deleteFollowUp.run(row.rid).changes;
          report.followUps += deleted;
          if (deleted) s.noteFollowUps.run({ contact: row.contact_id, before: cutoff(row.bot_id, 'followUps')!, now });
        }
      },
      report,
    );
    const transitions = latest('transitions');
    if (transitions !== null) {
      const decided = new Set<string>();
      await this.walk(
        { batch: (after, limit) => s.transitionsAfter.all(after, limit), key: (row) => row.rid, time: (row) => row.at },
        transitions,
        async (rows) => {
          for (const contactId of new Set(rows.map((row) => row.contact_id))) {
            if (decided.has(contactId)) continue;
            decided.add(contactId);
            await this.pruneLogOf(contactId, cutoffs, now, report);
          }
        },
      );
    }
    return report;
  }

  private async commit(fn: () => void, report: PruneReport): Promise<void> {
    await this.options.committer.commit(fn);
    report.batches++;
    await yieldToEvents();
  }

  /**
   * Walks a table oldest first, `batchSize` rows at a time after the last key seen, handing
   * each batch to `visit`; stops at the end or after a batch whose every row is at or after
   * `latest` (rows are appended in time order, so nothing older follows).
   */
  private async walk<R>(table: Walked<R>, latest: number, visit: (rows: R[]) => Promise<void>): Promise<void> {
    let after = 0;
    for (;;) {
      const rows = table.batch(after, this.batchSize);
      if (rows.length === 0) return;
      after = table.key(rows[rows.length - 1]);
      await visit(rows);
      if (rows.every((row) => table.time(row) >= latest)) return;
    }
  }

  /** Walks a table (unless no bot has a cutoff) and removes the rows `isOld` picks, one commit per batch. */
  private async prune<R>(
    table: Walked<R>,
    latest: number | null,
    isOld: (row: R) => boolean,
    remove: (old: R[]) => void,
    report: PruneReport,
  ): Promise<void> {
    if (latest === null) return;
    await this.walk(table, latest, async (rows) => {
      const old = rows.filter(isOld);
      if (old.length) await this.commit(() => remove(old), report);
    });
  }

  /** Deletes old messages, except those that triggered a pending follow-up (call inside a commit). */
  private deleteMessages(
    old: { rid: number; contact_id: string; bot_id: string }[],
    cutoffs: Map<string, Cutoffs>,
    now: number,
    report: PruneReport,
  ): void {
    const triggers = new Map<string, Set<string>>();
    for (const row of old) {
      let kept = triggers.get(row.contact_id);
      if (!kept) {
        kept = new Set(
          this.s.pendingTriggers
            .all(row.contact_id)
            .map((f) => f.trigger_message_id)
            .filter((id): id is string => id !== null),
        );
        triggers.set(row.contact_id, kept);
      }
      const id = this.s.messageId.get(row.rid)?.id;
      if (id === undefined || kept.has(id)) continue;
      report.messages += this.s.deleteMessage.run(row.rid).changes;
      this.s.noteMessages.run({ contact: row.contact_id, before: cutoffs.get(row.bot_id)?.messages as number, now });
    }
  }

  /**
   * Deletes one contact's log through its last entry when that entry is older than the
   * bot's cutoff (or through what an interrupted run recorded), `batchSize` rows a commit.
   */
  private async pruneLogOf(
    contactId: string,
    cutoffs: Map<string, Cutoffs>,
    now: number,
    report: PruneReport,
  ): Promise<void> {
    const contact = this.s.contactOf.get(contactId);
    const cutoff = contact ? (cutoffs.get(contact.bot_id)?.transitions ?? null) : null;
    const last = this.s.lastTransition.get(contactId);
    const expired = cutoff !== null && last !== undefined && last.at < cutoff;
    const recorded = this.s.pruning.get(contactId)?.transitions_through ?? null;
    const leftover = recorded !== null && this.s.hasTransitionsThrough.get(contactId, recorded) !== undefined;
    if (!expired && !leftover) return;
    let through = recorded;
    let first = expired;
    for (;;) {
      let deleted = 0;
      await this.commit(() => {
        if (first) {
          // Read again inside the transaction: the snapshot is the state right after the
          // last entry, even if an event was committed since the check above.
          const newest = this.s.lastTransition.get(contactId);
          const row = this.s.contactOf.get(contactId);
          if (!newest || !row || cutoff === null || newest.at >= cutoff) return;
          this.s.noteTransitions.run({
            contact: contactId,
            through: newest.seq,
            at: newest.at,
            snapshot: row.snapshot,
            now,
          });
          through = newest.seq;
        }
        if (through === null) return;
        deleted = this.s.deleteTransitionsThrough.run(contactId, through, this.batchSize).changes;
        report.transitions += deleted;
      }, report);
      first = false;
      if (deleted < this.batchSize) return;
    }
  }
}
