/**
 * The store as a port: what the contact runtime, the durable scheduler and the outbox
 * dispatcher need from storage, with the row types of the tables they touch. SQLite
 * implements it in-process and synchronously; PostgreSQL the same interfaces asynchronously.
 * A write is a generator program over `StoreTx` (`yield* tx.getFollowUp(id)`): SQLite runs it
 * to the end inside its group-commit transaction, a network store awaits each statement it
 * yields. Reads and outbox operations return `MaybePromise`; callers `await` either
 * (docs/architecture.md, "Storage").
 */
import type { TimerKind } from '../../machines/vocabulary.ts';

// ------------------------------------------------------------------------------ rows

export interface BotRow {
  id: string;
  name: string;
  widget_key: string;
  allowed_origins: string;
  config: string;
  created_at: number;
  updated_at: number;
}

export interface ContactRow {
  id: string;
  bot_id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  timezone: string | null;
  state: string;
  epoch: number;
  last_channel: string;
  last_seq: number;
  tags: string;
  assigned_user: string | null;
  last_template_id: string | null;
  /** The follow-up whose message opened the current reply window (migration 5). */
  last_followup_id: string | null;
  /** When the pending review opened, or null (migration 10). */
  review_at: number | null;
  /** JSON PendingReview of machines/contact.ts, or null (migration 10). */
  review: string | null;
  /** The language the contact last wrote in, or null while unknown (migration 13). */
  language: string | null;
  created_at: number;
  updated_at: number;
}

export interface MessageRow {
  id: string;
  contact_id: string;
  seq: number;
  sender: 'contact' | 'bot' | 'operator';
  channel: string;
  text: string;
  at: number;
  client_id: string | null;
  classification: string | null;
  followup_id: string | null;
  meta: string | null;
}

export type FollowUpStatus = 'pending' | 'sent' | 'cancelled' | 'skipped' | 'fired';

export interface FollowUpRow {
  id: string;
  contact_id: string;
  bot_id: string;
  kind: TimerKind;
  scenario: string;
  step: number;
  epoch: number;
  raw_due_at: number;
  due_at: number;
  defer_reason: string | null;
  channel: string | null;
  channel_reason: string | null;
  message_mode: string | null;
  status: FollowUpStatus;
  reason: string | null;
  actor: string | null;
  trigger_message_id: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  /** First contact message in this follow-up's reply window (migration 5). */
  replied_at?: number | null;
}

export type OutboxStatus = 'pending' | 'sending' | 'delivered' | 'failed';

/** A row of the `outbox` table, as stored (`meta` as JSON text). */
export interface OutboxRow {
  id: number;
  idempotency_key: string;
  bot_id: string;
  contact_id: string | null;
  channel: string;
  recipient: string | null;
  body: string;
  meta: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  claimed_at: number | null;
  last_error: string | null;
  provider_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface TransitionRow {
  contact_id: string;
  seq: number;
  event: string;
  from_state: string;
  to_state: string;
  actions: string;
  at: number;
}

/** A pending follow-up as the due index orders it. */
export interface DueRef {
  id: string;
  contact_id: string;
  due_at: number;
}

/** A new contact's columns (its machine snapshot goes beside them). */
export type NewContact = Pick<
  ContactRow,
  'id' | 'bot_id' | 'name' | 'phone' | 'email' | 'timezone' | 'state' | 'last_channel' | 'created_at' | 'updated_at'
>;
/** A message before the store numbers it in its conversation. */
export type NewMessage = Omit<MessageRow, 'seq'>;
export type NewFollowUp = Omit<FollowUpRow, 'status' | 'reason' | 'actor' | 'sent_at' | 'replied_at'>;
export type NewOutboxRow = Omit<OutboxRow, 'id' | 'status' | 'attempts' | 'claimed_at' | 'last_error' | 'provider_id'>;
/** A log entry before the store numbers it; `policy_id` names a policy stored once apart. */
export type NewTransition = Omit<TransitionRow, 'seq'> & { policy_id: string | null };
export type ContactFields = {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  timezone?: string | null;
};

// ------------------------------------------------------------------------------ the async boundary

/** A value, or the promise of one from a network database: callers `await` it. */
export type MaybePromise<T> = T | Promise<T>;

/** Applies `then` to a value now, or to a promise's value once it resolves. */
export function settle<T, R>(value: MaybePromise<T>, then: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(then) : then(value as T);
}

/** What a write program hands its driver while a network database runs a statement. */
export type Pending = PromiseLike<unknown>;

/**
 * One storage operation inside a write, used as `const row = yield* tx.getFollowUp(id)`.
 * A synchronous store completes it without yielding; an asynchronous one yields the
 * statement's promise and is resumed with its result (or has the error thrown in).
 */
export type Step<T> = Generator<Pending, T, unknown>;

/**
 * The writes of one event (or one operator action) as one program: every statement runs
 * in one transaction, which the store may share with other programs (group commit).
 * Re-runnable: a batch that fails is rolled back and each program runs again alone, so a
 * program resets what it collects at its start and only the committed run counts.
 */
export type WriteProgram<T> = (tx: StoreTx) => Step<T>;

/** Runs a program on a synchronous store: it must complete without yielding. */
export function runSync<T>(step: Step<T>): T {
  const next = step.next();
  if (!next.done) throw new Error('a synchronous store was handed an asynchronous step');
  return next.value;
}

/** Runs a program on an asynchronous store: each yielded statement is awaited and its result sent back in. */
export async function runAsync<T>(step: Step<T>): Promise<T> {
  let next = step.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = await next.value;
    } catch (error) {
      next = step.throw(error);
      continue;
    }
    next = step.next(result);
  }
  return next.value;
}

/**
 * The statements a write program may run. Reads here see the transaction's own writes.
 * Every `…FollowUp` write is conditional on the row still being `pending` and says whether
 * it changed it: that is how a send re-checks its row inside the transaction.
 */
export interface StoreTx {
  getContact(id: string): Step<ContactRow | undefined>;
  getFollowUp(id: string): Step<FollowUpRow | undefined>;
  /**
   * Stores the message as the next `seq` of its contact, with what depends on it: a
   * follow-up message opens a reply window; a contact message marks the open window
   * replied and moves the contact's last inbound time on its channel.
   */
  insertMessage(draft: NewMessage): Step<MessageRow>;
  /** False when a follow-up with this id exists already. */
  insertFollowUp(row: NewFollowUp): Step<boolean>;
  cancelPendingFollowUps(contactId: string, reason: string, actor: string | null, at: number): Step<number>;
  cancelFollowUp(id: string, reason: string, actor: string | null, at: number): Step<boolean>;
  /** Moves a pending follow-up to a final status; false when it was no longer pending. */
  finishFollowUp(
    id: string,
    status: Exclude<FollowUpStatus, 'pending'>,
    reason: string | null,
    at: number,
    channel?: { channel: string; reason: string },
  ): Step<boolean>;
  retimeFollowUp(
    id: string,
    dueAt: number,
    deferReason: string | null,
    actor: string | null,
    at: number,
  ): Step<boolean>;
  /** False when the idempotency key exists already: nothing is sent twice. */
  insertOutbox(row: NewOutboxRow): Step<boolean>;
  /**
   * Saves the machine after an event. `storedState` is the state column as the event found
   * it (unchanged: the column is not written). With `readEpoch` the write happens only if
   * the row still holds that epoch (the epoch fence). Returns whether the row was written.
   */
  saveMachineState(
    id: string,
    state: string,
    epoch: number,
    snapshot: unknown,
    at: number,
    storedState?: string,
    readEpoch?: number,
  ): Step<boolean>;
  updateContactFields(id: string, fields: ContactFields, at: number): Step<void>;
  setLastChannel(id: string, channel: string): Step<void>;
  setTags(id: string, tags: string[], at: number): Step<void>;
  setAssignedUser(id: string, userId: string, at: number): Step<void>;
  setLastTemplate(id: string, templateId: string | null): Step<void>;
  /** The language the contact last wrote in (src/classify/language.ts knownLanguage). */
  setLanguage(id: string, language: string): Step<void>;
  /** Projects the machine's pending review onto the contact row (null: none). */
  setReview(id: string, review: { at: number; json: string } | null): Step<void>;
  /**
   * Appends to the contact's transition log as its next `seq` (returned). `policy`, when
   * given, is stored first under its id (once: a repeat is a no-op).
   */
  appendTransition(row: NewTransition, policy: { id: string; json: string } | null): Step<number>;
}

/** Commits write programs; the promise settles after the transaction holding the write committed. */
export interface Committer {
  /** `contactId` names the contact the write is for: a cluster node fences the write on its partition. */
  write<T>(program: WriteProgram<T>, contactId?: string): Promise<T>;
}

// ------------------------------------------------------------------------------ reads and queues

/** The reads the contact runtime makes outside a write, before deciding. */
export interface RuntimeReads {
  getBot(id: string): MaybePromise<BotRow | undefined>;
  getContact(id: string): MaybePromise<ContactRow | undefined>;
  /** The contact's persisted machine snapshot, parsed, or undefined. */
  getSnapshot(contactId: string): MaybePromise<unknown>;
  getMessageByClientId(contactId: string, clientId: string): MaybePromise<MessageRow | undefined>;
  getFollowUp(id: string): MaybePromise<FollowUpRow | undefined>;
  /** The latest `limit` messages of the conversation, oldest first. */
  recentMessages(contactId: string, limit: number): MaybePromise<MessageRow[]>;
}

/** What the contact runtime reads, and the one write it makes outside the committer (a new contact). */
export interface RuntimeStore extends RuntimeReads {
  insertContact(row: NewContact, snapshot: unknown): MaybePromise<void>;
}

/** The pending follow-ups in due order (`due_at`, then id): the scheduler's window and refill. */
export interface DueIndex {
  pendingWindow(limit: number): MaybePromise<DueRef[]>;
  pendingAfter(dueAt: number, id: string, limit: number): MaybePromise<DueRef[]>;
}

/**
 * The outbox as the dispatcher works it. A claim makes a row `sending` with `claimed_at`
 * and one more attempt; every later update names that claim and changes nothing when the
 * claim was taken away meanwhile (it returns false). Per contact, only the head of the
 * queue is ready: no row is claimable while an earlier row of its contact is pending or
 * sending. A network store claims with FOR UPDATE SKIP LOCKED so claimers never collide.
 */
export interface OutboxQueue {
  /** Claims up to `limit` ready rows due at `now`, in due order, and returns them as claimed. */
  claimReady(now: number, limit: number): MaybePromise<OutboxRow[]>;
  markDelivered(id: number, claimedAt: number, now: number, providerId: string | null): MaybePromise<boolean>;
  /** Back to `pending`, due at `nextAt`, with the error of the failed attempt. */
  markRetry(id: number, claimedAt: number, now: number, nextAt: number, error: string): MaybePromise<boolean>;
  markFailed(id: number, claimedAt: number, now: number, error: string): MaybePromise<boolean>;
  /**
   * Settles claims made at or before `cutoff` by a process that stopped mid-send (except
   * those `keep` says are live here): due again now, or failed when their attempts are
   * used up (`staleClaimOutcome`). Returns the ids touched.
   */
  reclaimStale(cutoff: number, now: number, maxAttempts: number, keep: (id: number) => boolean): MaybePromise<number[]>;
  /** The earliest `next_attempt_at` of a pending row after `now`, or null. */
  nextWake(now: number): MaybePromise<number | null>;
  byId(id: number): MaybePromise<OutboxRow | undefined>;
}

/** What a reclaimed claim becomes: sent again with the same key, or failed when its attempts are used up. */
export function staleClaimOutcome(
  row: Pick<OutboxRow, 'attempts' | 'claimed_at'>,
  now: number,
  maxAttempts: number,
): { status: 'pending' | 'failed'; error: string } {
  const age = now - (row.claimed_at as number);
  return row.attempts >= maxAttempts
    ? {
        status: 'failed',
        error: `claim expired after ${age} ms on attempt ${row.attempts} of ${maxAttempts} (process stopped mid-send); giving up`,
      }
    : {
        status: 'pending',
        error: `claim expired after ${age} ms (process stopped or hung mid-send); resending with the same idempotency key`,
      };
}

/**
 * The port a storage implementation provides beside its `Committer`: the runtime's reads,
 * the due index and the outbox queue.
 */
export interface ContactStore extends RuntimeStore, DueIndex {
  readonly outbox: OutboxQueue;
}
