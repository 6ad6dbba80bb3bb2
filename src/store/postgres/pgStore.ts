/**
 * The store on PostgreSQL: every named operation of the SQLite Store (src/store/store.ts)
 * with the same semantics, asynchronous, through named statements (./statements.ts). A
 * PgStore on the pool runs each operation alone (one that writes several rows opens its
 * own transaction); `on(client)` gives the same operations inside a caller's transaction,
 * which is how the group committer (./committer.ts) batches and fences writes.
 */
import pg from 'pg';
import { partitionOf } from '../../cluster/partitions.ts';
import { prunedHistory, type PrunedHistory } from '../pruned.ts';
import type {
  BotRow,
  ContactFields,
  ContactRow,
  DueIndex,
  DueRef,
  FollowUpRow,
  FollowUpStatus,
  MessageRow,
  NewContact,
  NewFollowUp,
  NewMessage,
  NewOutboxRow,
  NewTransition,
  OutboxRow,
  RuntimeReads,
  TransitionRow,
} from '../port.ts';
import { execute, run, transaction, type Queryable, type Statement } from './pool.ts';
import { bots, contacts, followUps, kv, messages, outbox, transitions } from './statements.ts';

/** Channel names that can be a JSON key as they are (every channel Nudge knows), as in Store. */
const PLAIN_CHANNEL = /^[A-Za-z0-9_-]{1,64}$/;

export interface PgStoreOptions {
  /** The partition count contacts are hashed over (src/cluster/partitions.ts); fixed for a database's life. */
  partitions: number;
}

export class PgStore implements RuntimeReads, DueIndex {
  /** Every partition, the scheduler's window when no subset is asked for. */
  private readonly everyPartition: number[];

  constructor(
    readonly db: Queryable,
    readonly options: PgStoreOptions,
  ) {
    this.everyPartition = Array.from({ length: options.partitions }, (_, i) => i);
  }

  /** The partition a contact's rows carry. */
  partitionOf(contactId: string): number {
    return partitionOf(contactId, this.options.partitions);
  }

  /** The same operations on `client`, inside the transaction it holds open. */
  on(client: pg.PoolClient | pg.Client): PgStore {
    return new PgStore(client, this.options);
  }

  /** Runs many reads on one consistent snapshot (a read-only repeatable-read transaction). */
  async read<T>(fn: (store: PgStore) => Promise<T>): Promise<T> {
    if (!(this.db instanceof pg.Pool)) return fn(this);
    return transaction(this.db, (client) => fn(this.on(client)), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  /** Runs `fn` in one transaction: the caller's when there is one, its own otherwise. */
  private async atomically<T>(fn: (store: PgStore) => Promise<T>): Promise<T> {
    if (!(this.db instanceof pg.Pool)) return fn(this);
    return transaction(this.db, (client) => fn(this.on(client)));
  }

  private async one<P extends readonly unknown[], R>(st: Statement<P, R>, params: P): Promise<R | undefined> {
    return (await run(this.db, st, params))[0];
  }

  // bots
  async insertBot(row: BotRow): Promise<void> {
    await execute(this.db, bots.insert, [
      row.id,
      row.name,
      row.widget_key,
      row.allowed_origins,
      row.config,
      row.created_at,
      row.updated_at,
    ]);
  }
  async updateBotConfig(id: string, name: string, config: string, at: number): Promise<void> {
    await execute(this.db, bots.updateConfig, [id, config, name, at]);
  }
  async updateBotOrigins(id: string, origins: string[], at: number): Promise<void> {
    await execute(this.db, bots.updateOrigins, [id, JSON.stringify(origins), at]);
  }
  getBot(id: string): Promise<BotRow | undefined> {
    return this.one(bots.get, [id]);
  }
  getBotByWidgetKey(key: string): Promise<BotRow | undefined> {
    return this.one(bots.byWidgetKey, [key]);
  }
  listBots(): Promise<BotRow[]> {
    return run(this.db, bots.list, []);
  }

  // contacts
  /** A new contact with its machine's initial snapshot, in its partition. */
  async insertContact(row: NewContact, snapshot: unknown): Promise<void> {
    await execute(this.db, contacts.insert, [
      row.id,
      row.bot_id,
      this.partitionOf(row.id),
      row.name,
      row.phone,
      row.email,
      row.timezone,
      row.state,
      row.last_channel,
      JSON.stringify(snapshot),
      row.created_at,
      row.updated_at,
    ]);
  }
  /** "Visitor 12": the contact's insertion number, or null when it does not exist. */
  async visitorNumber(id: string): Promise<number | null> {
    return (await this.one(contacts.visitorNumber, [id]))?.n ?? null;
  }
  getContact(id: string): Promise<ContactRow | undefined> {
    return this.one(contacts.get, [id]);
  }
  getContactByPhone(botId: string, phone: string): Promise<ContactRow | undefined> {
    return this.one(contacts.byPhone, [botId, phone]);
  }
  /**
   * Saves the machine after an event, as Store.saveMachineState: the state column only when
   * it changed from `storedState`; with `readEpoch`, only if the row still holds that epoch.
   * Returns whether the row was written.
   */
  async saveMachineState(
    id: string,
    state: string,
    epoch: number,
    snapshot: unknown,
    at: number,
    storedState?: string,
    readEpoch?: number,
  ): Promise<boolean> {
    const fence = readEpoch ?? null;
    const json = JSON.stringify(snapshot);
    const changes =
      storedState === state
        ? await execute(this.db, contacts.saveSnapshot, [id, epoch, json, at, fence])
        : await execute(this.db, contacts.saveState, [id, state, epoch, json, at, fence]);
    return changes === 1;
  }
  async updateContactFields(id: string, fields: ContactFields, at: number): Promise<void> {
    await execute(this.db, contacts.updateFields, [
      id,
      fields.name ?? null,
      fields.phone ?? null,
      fields.email ?? null,
      fields.timezone ?? null,
      at,
    ]);
  }
  async setLastChannel(id: string, channel: string): Promise<void> {
    await execute(this.db, contacts.setLastChannel, [id, channel]);
  }
  async setTags(id: string, tags: string[], at: number): Promise<void> {
    await execute(this.db, contacts.setTags, [id, JSON.stringify(tags), at]);
  }
  async setAssignedUser(id: string, userId: string, at: number): Promise<void> {
    await execute(this.db, contacts.setAssigned, [id, userId, at]);
  }
  async setLastTemplate(id: string, templateId: string | null): Promise<void> {
    await execute(this.db, contacts.setLastTemplate, [id, templateId]);
  }
  /** The language the contact last wrote in (src/classify/language.ts knownLanguage). */
  async setLanguage(id: string, language: string): Promise<void> {
    await execute(this.db, contacts.setLanguage, [id, language]);
  }
  /** Projects the machine's pending review onto the row (null: none), for the review list. */
  async setReview(id: string, review: { at: number; json: string } | null): Promise<void> {
    await execute(this.db, contacts.setReview, [id, review?.at ?? null, review?.json ?? null]);
  }
  /** A page of the bot's contacts with a pending review, held longest first, and how many there are. */
  async contactsNeedingReview(
    botId: string,
    offset: number,
    limit: number,
  ): Promise<{ rows: ContactRow[]; total: number }> {
    const rows = await run(this.db, contacts.needingReview, [botId, limit, offset]);
    const [{ n }] = await run(this.db, contacts.countNeedingReview, [botId]);
    return { rows, total: n };
  }
  async getSnapshot(contactId: string): Promise<unknown | undefined> {
    const row = await this.one(contacts.snapshot, [contactId]);
    return row?.snapshot ? JSON.parse(row.snapshot) : undefined;
  }

  // messages
  /**
   * Stores a conversation message as the next `seq` of its contact, with what depends on it,
   * in one statement (see Store.insertMessage): a follow-up message opens a reply window, a
   * contact message marks the open window replied and moves its channel's last inbound time.
   */
  async insertMessage(draft: NewMessage): Promise<MessageRow> {
    const fromContact = draft.sender === 'contact';
    const stored = await this.one(messages.store, [
      draft.id,
      draft.contact_id,
      draft.sender,
      draft.channel,
      draft.text,
      draft.at,
      draft.client_id,
      draft.classification,
      draft.followup_id,
      draft.meta,
      fromContact && PLAIN_CHANNEL.test(draft.channel) ? draft.channel : null,
      fromContact && !draft.followup_id,
    ]);
    if (!stored) throw new Error(`contact ${draft.contact_id} not found`);
    return { ...draft, seq: stored.seq };
  }
  getMessage(id: string): Promise<MessageRow | undefined> {
    return this.one(messages.get, [id]);
  }
  getMessageByClientId(contactId: string, clientId: string): Promise<MessageRow | undefined> {
    return this.one(messages.byClientId, [contactId, clientId]);
  }
  messagesAfter(contactId: string, afterSeq: number, limit = 1000): Promise<MessageRow[]> {
    return run(this.db, messages.after, [contactId, afterSeq, limit]);
  }
  recentMessages(contactId: string, limit: number): Promise<MessageRow[]> {
    return run(this.db, messages.recent, [contactId, limit]);
  }

  // follow-ups
  /** Schedules a follow-up in its contact's partition; false when its id (the idempotency key) exists. */
  async insertFollowUp(row: NewFollowUp): Promise<boolean> {
    const changes = await execute(this.db, followUps.insert, [
      row.id,
      row.contact_id,
      row.bot_id,
      this.partitionOf(row.contact_id),
      row.kind,
      row.scenario,
      row.step,
      row.epoch,
      row.raw_due_at,
      row.due_at,
      row.defer_reason,
      row.channel,
      row.channel_reason,
      row.message_mode,
      row.trigger_message_id,
      row.created_at,
      row.updated_at,
    ]);
    return changes === 1;
  }
  getFollowUp(id: string): Promise<FollowUpRow | undefined> {
    return this.one(followUps.get, [id]);
  }
  cancelPendingFollowUps(contactId: string, reason: string, actor: string | null, at: number): Promise<number> {
    return execute(this.db, followUps.cancelPendingOfContact, [contactId, reason, actor, at]);
  }
  async cancelFollowUp(id: string, reason: string, actor: string | null, at: number): Promise<boolean> {
    return (await execute(this.db, followUps.cancel, [id, reason, actor, at])) === 1;
  }
  /** Moves a pending follow-up to a final status; false when it was no longer pending. */
  async finishFollowUp(
    id: string,
    status: Exclude<FollowUpStatus, 'pending'>,
    reason: string | null,
    at: number,
    channel?: { channel: string; reason: string },
  ): Promise<boolean> {
    const changes = await execute(this.db, followUps.finish, [
      id,
      status,
      reason,
      channel?.channel ?? null,
      channel?.reason ?? null,
      status === 'sent' ? at : null,
      at,
    ]);
    return changes === 1;
  }
  async retimeFollowUp(
    id: string,
    dueAt: number,
    deferReason: string | null,
    actor: string | null,
    at: number,
  ): Promise<boolean> {
    return (await execute(this.db, followUps.retime, [id, dueAt, deferReason, actor, at])) === 1;
  }
  followUpsOfContact(contactId: string): Promise<FollowUpRow[]> {
    return run(this.db, followUps.ofContact, [contactId]);
  }
  /** The contact's pending follow-ups (kind 'followup'), oldest first. */
  pendingFollowUpsOfContact(contactId: string): Promise<FollowUpRow[]> {
    return run(this.db, followUps.pendingOfContact, [contactId]);
  }
  /** The contact's `limit` latest past follow-ups (kind 'followup'), oldest first, and how many it has in all. */
  async latestPastFollowUpsOfContact(
    contactId: string,
    limit: number,
  ): Promise<{ rows: FollowUpRow[]; total: number }> {
    const rows = (await run(this.db, followUps.latestPastOfContact, [contactId, limit])).reverse();
    const [{ n }] = await run(this.db, followUps.countPastOfContact, [contactId]);
    return { rows, total: n };
  }
  /** A page of the contact's follow-ups (kind 'followup', any status) in creation order, and how many it has in all. */
  async followUpsOfContactPage(
    contactId: string,
    offset: number,
    limit: number,
  ): Promise<{ rows: FollowUpRow[]; total: number }> {
    const rows = await run(this.db, followUps.pageOfContact, [contactId, limit, offset]);
    const [{ n }] = await run(this.db, followUps.countOfContact, [contactId]);
    return { rows, total: n };
  }
  /** When the contact last wrote on each channel, kept in the contact row as messages are stored. */
  async lastInboundByChannel(contactId: string): Promise<Record<string, number>> {
    const row = await this.one(contacts.lastInbound, [contactId]);
    return row?.last_inbound ? (JSON.parse(row.last_inbound) as Record<string, number>) : {};
  }
  /** When the last follow-up sent by live chat went out, or null. */
  async lastLiveChatFollowUpSentAt(contactId: string): Promise<number | null> {
    return (await this.one(followUps.lastLiveChatSentAt, [contactId]))?.at ?? null;
  }
  /** The first `limit` pending follow-ups by due time, of `partitions` (a node's own) or of all. */
  pendingWindow(limit: number, partitions: readonly number[] = this.everyPartition): Promise<DueRef[]> {
    return run(this.db, followUps.pendingWindow, [[...partitions], limit]);
  }
  /** The next `limit` pending follow-ups after (dueAt, id), of `partitions` or of all. */
  pendingAfter(
    dueAt: number,
    id: string,
    limit: number,
    partitions: readonly number[] = this.everyPartition,
  ): Promise<DueRef[]> {
    return run(this.db, followUps.pendingAfter, [[...partitions], limit, dueAt, id]);
  }

  // outbox
  /** Queues a message; false when its idempotency key is already queued (it goes out once). */
  async insertOutbox(row: NewOutboxRow): Promise<boolean> {
    const changes = await execute(this.db, outbox.insert, [
      row.idempotency_key,
      row.bot_id,
      row.contact_id,
      row.channel,
      row.recipient,
      row.body,
      row.meta,
      row.next_attempt_at,
      row.created_at,
      row.updated_at,
    ]);
    return changes === 1;
  }
  outboxOfContact(contactId: string): Promise<OutboxRow[]> {
    return run(this.db, outbox.ofContact, [contactId]);
  }

  // transition log
  /** What retention deleted of the contact's history, or null. */
  async prunedHistory(contactId: string): Promise<PrunedHistory | null> {
    const row = await this.one(transitions.pruning, [contactId]);
    return row ? prunedHistory(row) : null;
  }
  async lastTransitionSeq(contactId: string): Promise<number> {
    const [{ seq }] = await run(this.db, transitions.lastSeq, [contactId]);
    return seq;
  }
  /** Logs a transition; `policy_id` names a policy stored with `insertPolicy` (the event then leaves it out). */
  async insertTransition(row: TransitionRow & { policy_id: string | null }): Promise<void> {
    await execute(this.db, transitions.insert, [
      row.contact_id,
      row.seq,
      row.event,
      row.policy_id,
      row.from_state,
      row.to_state,
      row.actions,
      row.at,
    ]);
  }
  /**
   * Appends to the contact's log as its next `seq` (returned); `policy`, when given, is
   * stored first under its id (once).
   */
  appendTransition(row: NewTransition, policy: { id: string; json: string } | null): Promise<number> {
    return this.atomically(async (tx) => {
      if (policy) await tx.insertPolicy(policy.id, policy.json);
      const [{ seq }] = await run(tx.db, transitions.append, [
        row.contact_id,
        row.event,
        row.policy_id,
        row.from_state,
        row.to_state,
        row.actions,
        row.at,
      ]);
      return seq;
    });
  }
  /** Stores a policy once under its id (a repeat is a no-op). */
  async insertPolicy(id: string, policyJson: string): Promise<void> {
    await execute(this.db, transitions.insertPolicy, [id, policyJson]);
  }
  transitionsOfContact(contactId: string): Promise<TransitionRow[]> {
    return run(this.db, transitions.ofContact, [contactId]);
  }
  /** A page of the log: up to `limit` entries after `afterSeq`, in order. */
  transitionsAfter(contactId: string, afterSeq: number, limit: number): Promise<TransitionRow[]> {
    return run(this.db, transitions.after, [contactId, afterSeq, limit]);
  }

  // small settings
  async getKv(key: string): Promise<string | undefined> {
    return (await this.one(kv.get, [key]))?.value;
  }
  async setKv(key: string, value: string): Promise<void> {
    await execute(this.db, kv.set, [key, value]);
  }
}
