/**
 * Typed access to the tables, through prepared statements prepared once. Every write the
 * runtime makes for one event happens inside one transaction opened by the committer.
 */
import type { Statement } from 'better-sqlite3';
import type { DB } from './db.ts';
import type {
  BotRow,
  ContactFields,
  ContactStore,
  ContactRow,
  DueRef,
  FollowUpRow,
  MessageRow,
  NewContact,
  NewFollowUp,
  NewMessage,
  NewOutboxRow,
  NewTransition,
  OutboxRow,
  TransitionRow,
} from './port.ts';
import { prunedHistory, type ContactPruningRow, type PrunedHistory } from './pruned.ts';
import { SqliteOutbox } from './outbox.ts';
import { SqliteTx } from './sqliteTx.ts';

export type { BotRow, ContactRow, DueRef, FollowUpRow, MessageRow, OutboxRow, TransitionRow } from './port.ts';

const CONTACT_FIELDS = [
  'id',
  'bot_id',
  'name',
  'phone',
  'email',
  'timezone',
  'state',
  'epoch',
  'last_channel',
  'last_seq',
  'tags',
  'assigned_user',
  'last_template_id',
  'last_followup_id',
  'review_at',
  'review',
  'language',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof ContactRow)[];

/**
 * The select list of a ContactRow: every contact column but the machine snapshot (migration
 * 6 keeps it in the row; it is read on its own, by getSnapshot). `alias` prefixes them.
 */
export function contactColumns(alias?: string): string {
  return CONTACT_FIELDS.map((field) => (alias ? `${alias}.${field}` : field)).join(', ');
}
const CONTACT_COLUMNS = contactColumns();

/**
 * Transition rows as logged, with each event whole again: since migration 6 the policy is
 * stored once in `policies` and put back here (rows logged before keep theirs inline).
 * Alias `t`; append WHERE / ORDER BY.
 */
export const TRANSITION_SELECT = `SELECT t.contact_id, t.seq,
  CASE WHEN t.policy_id IS NULL THEN t.event ELSE json_set(t.event, '$.policy', json(p.policy)) END AS event,
  t.from_state, t.to_state, t.actions, t.at
  FROM transitions t LEFT JOIN policies p ON p.id = t.policy_id`;

/** Channel names that can be a JSON path label as they are (every channel Nudge knows). */
const PLAIN_CHANNEL = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The SQLite side of the store port (src/store/port.ts): its reads and due index are
 * synchronous methods, `tx` runs write programs' statements in the committer's transaction.
 */
export class Store implements ContactStore {
  readonly db: DB;
  /** The statements of write programs, for the group committer (they complete without yielding). */
  readonly tx: SqliteTx;
  /** The outbox as the dispatcher works it. */
  readonly outbox: SqliteOutbox;
  private readonly s: Record<string, Statement>;

  constructor(db: DB) {
    this.db = db;
    this.tx = new SqliteTx(this);
    this.outbox = new SqliteOutbox(db);
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      insertBot: p(`INSERT INTO bots (id, name, widget_key, allowed_origins, config, created_at, updated_at)
                    VALUES (@id, @name, @widget_key, @allowed_origins, @config, @created_at, @updated_at)`),
      updateBotConfig: p(`UPDATE bots SET config = ?, name = ?, updated_at = ? WHERE id = ?`),
      updateBotOrigins: p(`UPDATE bots SET allowed_origins = ?, updated_at = ? WHERE id = ?`),
      getBot: p(`SELECT * FROM bots WHERE id = ?`),
      getBotByKey: p(`SELECT * FROM bots WHERE widget_key = ?`),
      listBots: p(`SELECT * FROM bots ORDER BY created_at, id`),

      insertContact:
        p(`INSERT INTO contacts (id, bot_id, name, phone, email, timezone, state, epoch, last_channel, snapshot, created_at, updated_at)
                        VALUES (@id, @bot_id, @name, @phone, @email, @timezone, @state, 0, @last_channel, @snapshot, @created_at, @updated_at)`),
      getContact: p(`SELECT ${CONTACT_COLUMNS} FROM contacts WHERE id = ?`),
      // The row number: a short, stable "Visitor 12" for contacts who left no name.
      visitorNumber: p(`SELECT rowid AS n FROM contacts WHERE id = ?`),
      getContactByPhone: p(`SELECT ${CONTACT_COLUMNS} FROM contacts WHERE bot_id = ? AND phone = ?`),
      saveMachineState: p(
        `UPDATE contacts SET state = ?, epoch = ?, snapshot = ?, updated_at = ? WHERE id = ? AND epoch = COALESCE(?, epoch)`,
      ),
      // The same write without the state column, for events that leave the state as stored:
      // SQLite rewrites an index entry whenever its column is SET, even to the value it
      // already has, so naming state would cost contacts_bot_state a page write for nothing.
      saveMachineSnapshot: p(
        `UPDATE contacts SET epoch = ?, snapshot = ?, updated_at = ? WHERE id = ? AND epoch = COALESCE(?, epoch)`,
      ),
      updateContactFields: p(`UPDATE contacts SET name = COALESCE(@name, name), phone = COALESCE(@phone, phone),
                              email = COALESCE(@email, email), timezone = COALESCE(@timezone, timezone), updated_at = @updated_at WHERE id = @id`),
      setLastChannel: p(`UPDATE contacts SET last_channel = ? WHERE id = ?`),
      setTags: p(`UPDATE contacts SET tags = ?, updated_at = ? WHERE id = ?`),
      setAssigned: p(`UPDATE contacts SET assigned_user = ?, updated_at = ? WHERE id = ?`),
      setLastTemplate: p(`UPDATE contacts SET last_template_id = ? WHERE id = ?`),
      setLanguage: p(`UPDATE contacts SET language = ? WHERE id = ?`),
      setReview: p(`UPDATE contacts SET review_at = ?, review = ? WHERE id = ?`),
      // Oldest first: the contact held longest is the one to decide first.
      contactsNeedingReview: p(`SELECT ${CONTACT_COLUMNS} FROM contacts WHERE bot_id = ? AND review_at IS NOT NULL
                                ORDER BY review_at, id LIMIT ? OFFSET ?`),
      countNeedingReview: p(`SELECT COUNT(*) AS n FROM contacts WHERE bot_id = ? AND review_at IS NOT NULL`),
      markReplied: p(`UPDATE followups SET replied_at = ? WHERE id = ? AND replied_at IS NULL`),

      getSnapshot: p(`SELECT snapshot FROM contacts WHERE id = ?`),

      insertMessage:
        p(`INSERT INTO messages (id, contact_id, seq, sender, channel, text, at, client_id, classification, followup_id, meta)
                        VALUES (@id, @contact_id, @seq, @sender, @channel, @text, @at, @client_id, @classification, @followup_id, @meta)`),
      getMessage: p(`SELECT * FROM messages WHERE id = ?`),
      getMessageByClientId: p(`SELECT * FROM messages WHERE contact_id = ? AND client_id = ?`),
      messagesAfter: p(`SELECT * FROM messages WHERE contact_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
      recentMessages: p(
        `SELECT * FROM (SELECT * FROM messages WHERE contact_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
      ),

      insertFollowUp:
        p(`INSERT INTO followups (id, contact_id, bot_id, kind, scenario, step, epoch, raw_due_at, due_at, defer_reason,
                           channel, channel_reason, message_mode, status, trigger_message_id, created_at, updated_at)
                         VALUES (@id, @contact_id, @bot_id, @kind, @scenario, @step, @epoch, @raw_due_at, @due_at, @defer_reason,
                           @channel, @channel_reason, @message_mode, 'pending', @trigger_message_id, @created_at, @updated_at)
                         ON CONFLICT(id) DO NOTHING`),
      getFollowUp: p(`SELECT * FROM followups WHERE id = ?`),
      cancelPendingFollowUps: p(`UPDATE followups SET status = 'cancelled', reason = ?, actor = ?, updated_at = ?
                                 WHERE contact_id = ? AND status = 'pending'`),
      cancelFollowUp: p(
        `UPDATE followups SET status = 'cancelled', reason = ?, actor = ?, updated_at = ? WHERE id = ? AND status = 'pending'`,
      ),
      finishFollowUp:
        p(`UPDATE followups SET status = ?, reason = ?, channel = COALESCE(?, channel), channel_reason = COALESCE(?, channel_reason),
                         sent_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'`),
      retimeFollowUp: p(
        `UPDATE followups SET due_at = ?, defer_reason = ?, actor = COALESCE(?, actor), updated_at = ? WHERE id = ? AND status = 'pending'`,
      ),
      // In creation order: rowid breaks the ties of one millisecond (the id, a key such as
      // contact:scenario:step:epoch, would sort epoch 10 before 9).
      followUpsOfContact: p(`SELECT * FROM followups WHERE contact_id = ? ORDER BY created_at, rowid`),
      // A contact's follow-ups (kind 'followup') a part at a time: they grow with its history.
      pendingFollowUpsOfContact: p(
        `SELECT * FROM followups WHERE contact_id = ? AND kind = 'followup' AND status = 'pending' ORDER BY created_at, rowid`,
      ),
      latestPastFollowUpsOfContact: p(
        `SELECT * FROM followups WHERE contact_id = ? AND kind = 'followup' AND status != 'pending' ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      ),
      countPastFollowUpsOfContact: p(
        `SELECT COUNT(*) AS n FROM followups WHERE contact_id = ? AND kind = 'followup' AND status != 'pending'`,
      ),
      followUpsOfContactPage: p(
        `SELECT * FROM followups WHERE contact_id = ? AND kind = 'followup' ORDER BY created_at, rowid LIMIT ? OFFSET ?`,
      ),
      countFollowUpsOfContact: p(`SELECT COUNT(*) AS n FROM followups WHERE contact_id = ? AND kind = 'followup'`),
      lastInbound: p(`SELECT last_inbound FROM contacts WHERE id = ?`),
      // Everything a new message changes in its contact's row, in one write: the next seq; a
      // follow-up message opens a reply window (last_followup_id, migration 5); a contact
      // message moves last_inbound on its channel (migration 8; @inboundChannel is a quoted
      // JSON path label, insertMessage passes only plain names; the latest time wins even if
      // messages are stored out of time order). Returns the window a reply would answer.
      numberMessage: p(`UPDATE contacts SET last_seq = last_seq + 1,
                          last_followup_id = COALESCE(@followUpId, last_followup_id),
                          last_inbound = CASE WHEN @inboundChannel IS NULL THEN last_inbound ELSE
                            json_set(COALESCE(last_inbound, '{}'), '$."' || @inboundChannel || '"',
                              MAX(@at, COALESCE(json_extract(last_inbound, '$."' || @inboundChannel || '"'), @at))) END
                        WHERE id = @id RETURNING last_seq, last_followup_id`),
      lastLiveChatFollowUpSentAt: p(
        `SELECT MAX(sent_at) AS at FROM followups WHERE contact_id = ? AND status = 'sent' AND channel = 'livechat'`,
      ),
      pendingWindow: p(
        `SELECT id, contact_id, due_at FROM followups WHERE status = 'pending' ORDER BY due_at, id LIMIT ?`,
      ),
      pendingAfter:
        p(`SELECT id, contact_id, due_at FROM followups WHERE status = 'pending' AND (due_at > ? OR (due_at = ? AND id > ?))
                       ORDER BY due_at, id LIMIT ?`),

      insertOutbox:
        p(`INSERT INTO outbox (idempotency_key, bot_id, contact_id, channel, recipient, body, meta, status, attempts,
                         next_attempt_at, created_at, updated_at)
                       VALUES (@idempotency_key, @bot_id, @contact_id, @channel, @recipient, @body, @meta, 'pending', 0,
                         @next_attempt_at, @created_at, @updated_at)
                       ON CONFLICT(idempotency_key) DO NOTHING`),
      outboxOfContact: p(`SELECT * FROM outbox WHERE contact_id = ? ORDER BY id`),

      // After retention deleted a log (src/store/retention.ts), numbering goes on after it;
      // the second lookup runs only for a contact with no log rows.
      lastTransitionSeq: p(`SELECT COALESCE((SELECT MAX(seq) FROM transitions WHERE contact_id = @id),
                                            (SELECT transitions_through FROM contact_pruning WHERE contact_id = @id), 0) AS seq`),
      insertTransition:
        p(`INSERT INTO transitions (contact_id, seq, event, policy_id, from_state, to_state, actions, at)
                           VALUES (@contact_id, @seq, @event, @policy_id, @from_state, @to_state, @actions, @at)`),
      insertPolicy: p(`INSERT INTO policies (id, policy) VALUES (?, ?) ON CONFLICT(id) DO NOTHING`),
      transitionsOfContact: p(`${TRANSITION_SELECT} WHERE t.contact_id = ? ORDER BY t.seq`),
      transitionsAfter: p(`${TRANSITION_SELECT} WHERE t.contact_id = ? AND t.seq > ? ORDER BY t.seq LIMIT ?`),

      contactPruning: p(`SELECT * FROM contact_pruning WHERE contact_id = ?`),

      getKv: p(`SELECT value FROM kv WHERE key = ?`),
      setKv: p(`INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`),
    };
  }

  /**
   * Runs many reads in one read transaction: a consistent view, and one WAL read lock
   * instead of one per statement (7–10 µs each on this VM; the console's forecast makes
   * several per contact).
   */
  read<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // bots
  insertBot(row: BotRow): void {
    this.s.insertBot.run(row);
  }
  updateBotConfig(id: string, name: string, config: string, at: number): void {
    this.s.updateBotConfig.run(config, name, at, id);
  }
  updateBotOrigins(id: string, origins: string[], at: number): void {
    this.s.updateBotOrigins.run(JSON.stringify(origins), at, id);
  }
  getBot(id: string): BotRow | undefined {
    return this.s.getBot.get(id) as BotRow | undefined;
  }
  getBotByWidgetKey(key: string): BotRow | undefined {
    return this.s.getBotByKey.get(key) as BotRow | undefined;
  }
  listBots(): BotRow[] {
    return this.s.listBots.all() as BotRow[];
  }

  // contacts
  /** A new contact with its machine's initial snapshot. */
  insertContact(row: NewContact, snapshot: unknown): void {
    this.s.insertContact.run({ ...row, snapshot: JSON.stringify(snapshot) });
  }
  /** "Visitor 12": the contact's insertion number, or null when it does not exist. */
  visitorNumber(id: string): number | null {
    return (this.s.visitorNumber.get(id) as { n: number } | undefined)?.n ?? null;
  }
  getContact(id: string): ContactRow | undefined {
    return this.s.getContact.get(id) as ContactRow | undefined;
  }
  getContactByPhone(botId: string, phone: string): ContactRow | undefined {
    return this.s.getContactByPhone.get(botId, phone) as ContactRow | undefined;
  }
  /**
   * Saves the machine after an event. `storedState` is the state column as the event found
   * it: when the event left it unchanged, the column is not written, and neither is its
   * index entry (one page less in the commit). With `readEpoch` the write is optimistic: it
   * happens only if the row still holds the epoch the machine was read at, so an actor that
   * missed a newer write can never overwrite it. Returns whether the row was written.
   */
  saveMachineState(
    id: string,
    state: string,
    epoch: number,
    snapshot: unknown,
    at: number,
    storedState?: string,
    readEpoch?: number,
  ): boolean {
    const fence = readEpoch ?? null;
    const result =
      storedState === state
        ? this.s.saveMachineSnapshot.run(epoch, JSON.stringify(snapshot), at, id, fence)
        : this.s.saveMachineState.run(state, epoch, JSON.stringify(snapshot), at, id, fence);
    return result.changes === 1;
  }
  updateContactFields(id: string, fields: ContactFields, at: number): void {
    this.s.updateContactFields.run({
      id,
      name: fields.name ?? null,
      phone: fields.phone ?? null,
      email: fields.email ?? null,
      timezone: fields.timezone ?? null,
      updated_at: at,
    });
  }
  setLastChannel(id: string, channel: string): void {
    this.s.setLastChannel.run(channel, id);
  }
  setTags(id: string, tags: string[], at: number): void {
    this.s.setTags.run(JSON.stringify(tags), at, id);
  }
  setAssignedUser(id: string, userId: string, at: number): void {
    this.s.setAssigned.run(userId, at, id);
  }
  setLastTemplate(id: string, templateId: string | null): void {
    this.s.setLastTemplate.run(templateId, id);
  }
  /** The language the contact last wrote in (src/classify/language.ts knownLanguage). */
  setLanguage(id: string, language: string): void {
    this.s.setLanguage.run(language, id);
  }
  /** Projects the machine's pending review onto the row (null: none), for the review list. */
  setReview(id: string, review: { at: number; json: string } | null): void {
    this.s.setReview.run(review?.at ?? null, review?.json ?? null, id);
  }
  /** A page of the bot's contacts with a pending review, held longest first, and how many there are. */
  contactsNeedingReview(botId: string, offset: number, limit: number): { rows: ContactRow[]; total: number } {
    const rows = this.s.contactsNeedingReview.all(botId, limit, offset) as ContactRow[];
    return { rows, total: (this.s.countNeedingReview.get(botId) as { n: number }).n };
  }

  // snapshots (migration 6: in the contact row)
  getSnapshot(contactId: string): unknown | undefined {
    const row = this.s.getSnapshot.get(contactId) as { snapshot: string | null } | undefined;
    return row?.snapshot ? JSON.parse(row.snapshot) : undefined;
  }

  // messages
  /**
   * Stores a conversation message as the next `seq` of its contact (call inside a write
   * transaction), with what depends on it in the same transaction: a follow-up message
   * opens a reply window for the reply-rate metric (migration 5); a contact message marks
   * the open window replied (once) and moves the contact's last inbound time on its
   * channel (migration 8).
   */
  insertMessage(draft: NewMessage): MessageRow {
    const fromContact = draft.sender === 'contact';
    const numbered = this.s.numberMessage.get({
      id: draft.contact_id,
      at: draft.at,
      followUpId: draft.followup_id,
      inboundChannel: fromContact && PLAIN_CHANNEL.test(draft.channel) ? draft.channel : null,
    }) as { last_seq: number; last_followup_id: string | null } | undefined;
    if (!numbered) throw new Error(`contact ${draft.contact_id} not found`);
    const row: MessageRow = { ...draft, seq: numbered.last_seq };
    this.s.insertMessage.run(row);
    if (fromContact && !row.followup_id && numbered.last_followup_id)
      this.s.markReplied.run(row.at, numbered.last_followup_id);
    return row;
  }
  getMessage(id: string): MessageRow | undefined {
    return this.s.getMessage.get(id) as MessageRow | undefined;
  }
  getMessageByClientId(contactId: string, clientId: string): MessageRow | undefined {
    return this.s.getMessageByClientId.get(contactId, clientId) as MessageRow | undefined;
  }
  messagesAfter(contactId: string, afterSeq: number, limit = 1000): MessageRow[] {
    return this.s.messagesAfter.all(contactId, afterSeq, limit) as MessageRow[];
  }
  recentMessages(contactId: string, limit: number): MessageRow[] {
    return this.s.recentMessages.all(contactId, limit) as MessageRow[];
  }

  // follow-ups
  insertFollowUp(row: NewFollowUp): boolean {
    return this.s.insertFollowUp.run(row).changes === 1;
  }
  getFollowUp(id: string): FollowUpRow | undefined {
    return this.s.getFollowUp.get(id) as FollowUpRow | undefined;
  }
  cancelPendingFollowUps(contactId: string, reason: string, actor: string | null, at: number): number {
    return this.s.cancelPendingFollowUps.run(reason, actor, at, contactId).changes;
  }
  cancelFollowUp(id: string, reason: string, actor: string | null, at: number): boolean {
    return this.s.cancelFollowUp.run(reason, actor, at, id).changes === 1;
  }
  /** Moves a pending follow-up to a final status; false when it was no longer pending. */
  finishFollowUp(
    id: string,
    status: 'sent' | 'skipped' | 'fired' | 'cancelled',
    reason: string | null,
    at: number,
    channel?: { channel: string; reason: string },
  ): boolean {
    return (
      this.s.finishFollowUp.run(
        status,
        reason,
        channel?.channel ?? null,
        channel?.reason ?? null,
        status === 'sent' ? at : null,
        at,
        id,
      ).changes === 1
    );
  }
  retimeFollowUp(id: string, dueAt: number, deferReason: string | null, actor: string | null, at: number): boolean {
    return this.s.retimeFollowUp.run(dueAt, deferReason, actor, at, id).changes === 1;
  }
  followUpsOfContact(contactId: string): FollowUpRow[] {
    return this.s.followUpsOfContact.all(contactId) as FollowUpRow[];
  }
  /** The contact's pending follow-ups (kind 'followup'), oldest first. */
  pendingFollowUpsOfContact(contactId: string): FollowUpRow[] {
    return this.s.pendingFollowUpsOfContact.all(contactId) as FollowUpRow[];
  }
  /** The contact's `limit` latest past follow-ups (kind 'followup'), oldest first, and how many it has in all. */
  latestPastFollowUpsOfContact(contactId: string, limit: number): { rows: FollowUpRow[]; total: number } {
    const rows = (this.s.latestPastFollowUpsOfContact.all(contactId, limit) as FollowUpRow[]).reverse();
    return { rows, total: (this.s.countPastFollowUpsOfContact.get(contactId) as { n: number }).n };
  }
  /** A page of the contact's follow-ups (kind 'followup', any status) in creation order, and how many it has in all. */
  followUpsOfContactPage(contactId: string, offset: number, limit: number): { rows: FollowUpRow[]; total: number } {
    const rows = this.s.followUpsOfContactPage.all(contactId, limit, offset) as FollowUpRow[];
    return { rows, total: (this.s.countFollowUpsOfContact.get(contactId) as { n: number }).n };
  }
  /**
   * When the contact last wrote on each channel (the channel choice and the Meta 24 h
   * window read it): kept in the contact row as messages are stored (migration 8).
   */
  lastInboundByChannel(contactId: string): Record<string, number> {
    const row = this.s.lastInbound.get(contactId) as { last_inbound: string | null } | undefined;
    return row?.last_inbound ? (JSON.parse(row.last_inbound) as Record<string, number>) : {};
  }
  /** When the last follow-up sent by live chat went out, or null. */
  lastLiveChatFollowUpSentAt(contactId: string): number | null {
    return (this.s.lastLiveChatFollowUpSentAt.get(contactId) as { at: number | null }).at;
  }
  pendingWindow(limit: number): DueRef[] {
    return this.s.pendingWindow.all(limit) as DueRef[];
  }
  pendingAfter(dueAt: number, id: string, limit: number): DueRef[] {
    return this.s.pendingAfter.all(dueAt, dueAt, id, limit) as DueRef[];
  }

  // outbox
  insertOutbox(row: NewOutboxRow): boolean {
    return this.s.insertOutbox.run(row).changes === 1;
  }
  outboxOfContact(contactId: string): OutboxRow[] {
    return this.s.outboxOfContact.all(contactId) as OutboxRow[];
  }

  // transition log
  /** What retention deleted of the contact's history (src/store/retention.ts), or null. */
  prunedHistory(contactId: string): PrunedHistory | null {
    const row = this.s.contactPruning.get(contactId) as ContactPruningRow | undefined;
    return row ? prunedHistory(row) : null;
  }

  lastTransitionSeq(contactId: string): number {
    return (this.s.lastTransitionSeq.get({ id: contactId }) as { seq: number }).seq;
  }
  /** Logs a transition; `policy_id` names a policy stored with `insertPolicy` (the event then leaves it out). */
  insertTransition(row: NewTransition & { seq: number }): void {
    this.s.insertTransition.run(row);
  }
  /**
   * Logs a transition as the contact's next `seq` (call inside a write transaction) and
   * returns it; `policy`, when given, is stored first (once under its id).
   */
  appendTransition(row: NewTransition, policy: { id: string; json: string } | null): number {
    if (policy) this.insertPolicy(policy.id, policy.json);
    const seq = this.lastTransitionSeq(row.contact_id) + 1;
    this.s.insertTransition.run({ ...row, seq });
    return seq;
  }
  /** Stores a policy once under its id (a repeat is a no-op). */
  insertPolicy(id: string, policyJson: string): void {
    this.s.insertPolicy.run(id, policyJson);
  }
  transitionsOfContact(contactId: string): TransitionRow[] {
    return this.s.transitionsOfContact.all(contactId) as TransitionRow[];
  }
  /** A page of the log: up to `limit` entries after `afterSeq`, in order. */
  transitionsAfter(contactId: string, afterSeq: number, limit: number): TransitionRow[] {
    return this.s.transitionsAfter.all(contactId, afterSeq, limit) as TransitionRow[];
  }

  // small settings
  getKv(key: string): string | undefined {
    return (this.s.getKv.get(key) as { value: string } | undefined)?.value;
  }
  setKv(key: string, value: string): void {
    this.s.setKv.run(key, value);
  }
}
