/**
 * The contact runtime: the edge between the pure contact machine and the world. One mailbox
 * per contact applies its events strictly in order; actors are hydrated from the stored
 * snapshot on demand and kept in a bounded cache. Each event commits ONE transaction (the
 * message, snapshot, follow-up rows, outbox rows, transition row) before its caller is
 * answered. A send re-checks the follow-up row in the transaction that writes the outbox row,
 * and the outbox's unique idempotency key (`contact:scenario:step:epoch`) makes a second send
 * of a step impossible.
 */
import { EventEmitter } from 'node:events';
import { createActor, type Actor } from 'xstate';
import {
  contactMachine,
  INTENTS,
  TIMER_KIND,
  type ArmedTimer,
  type ContactEffect,
  type ContactContext,
  type ContactEvent,
  type ContactStateName,
  type Intent,
  type PendingReview,
  type Reading,
  type Scenario,
  type SendParams,
} from '../../machines/contact.ts';
import type { MessageSpec, WorkflowAction } from '../config/botConfig.ts';
import { durationToMs } from '../config/botConfig.ts';
import { knownLanguage } from '../classify/language.ts';
import type { Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import type {
  Committer,
  ContactRow,
  DueRef,
  FollowUpRow,
  MaybePromise,
  MessageRow,
  NewOutboxRow,
  RuntimeStore,
  Step,
  StoreTx,
} from '../store/port.ts';
import { nextAllowedInstant } from '../time/workingHours.ts';
import { LruCache } from './lru.ts';
import { Mailboxes } from './mailbox.ts';
import { loadBot, type LoadedBot } from './loadedBot.ts';
import { RuntimeError } from './errors.ts';

export type Sender = 'contact' | 'bot' | 'operator';

export interface ClassificationLike {
  intent: Intent;
  requestedAt?: number;
  phrase?: string;
  zone?: string;
  [key: string]: unknown;
}

export type ClassifyFn = (input: {
  text: string;
  now: number;
  timezone: string;
}) => Promise<ClassificationLike> | ClassificationLike;

/** The text of a follow-up, composed before the send decision (composition may be slow). */
export interface ComposedText {
  text: string;
  templateId?: string | null;
  source: string;
}

export type ComposeFn = (input: {
  bot: LoadedBot;
  contact: ContactRow;
  scenario: Scenario;
  step: number;
  message: MessageSpec;
  /**
   * The latest messages of the conversation, read only when called: only AI composition
   * with a model available needs them (reading them for every send was 7 % of a delivery).
   */
  recent: () => MaybePromise<MessageRow[]>;
}) => Promise<ComposedText>;

/** Where and whether a due follow-up goes now (channel switching, quiet hours). */
export interface SendPlan {
  channel: string;
  recipient: string | null;
  reason: string;
  /** Set when the follow-up must wait (e.g. SMS quiet hours): it is re-timed, not sent. */
  deferUntil?: { at: number; reason: string } | null;
}
export type PlanSendFn = (input: {
  bot: LoadedBot;
  contact: ContactRow;
  followUp: FollowUpRow;
  now: number;
}) => SendPlan;

/** The event as logged when its policy is stored apart (see TRANSITION_SELECT). */
function withoutPolicy(event: ContactEvent): Omit<ContactEvent, 'policy'> {
  const { policy: _stored, ...logged } = event as ContactEvent & { policy?: unknown };
  return logged;
}

export interface RuntimeDeps {
  store: RuntimeStore;
  committer: Committer;
  clock: Clock;
  classify: ClassifyFn;
  compose: ComposeFn;
  planSend?: PlanSendFn;
  /** Called after commit for every follow-up armed or re-timed (the scheduler). */
  onTimer?: (ref: DueRef) => void;
  /** Called after commit when outbox rows were written (the dispatcher). */
  onOutbox?: () => void;
  actorCacheSize?: number;
}

export interface ProcessResult {
  contactId: string;
  from: ContactStateName;
  to: ContactStateName;
  message: MessageRow | null;
  effects: Effect[];
  duplicate: boolean;
}

export type Effect = ContactEffect;

type ContactActor = Actor<typeof contactMachine>;

export { RuntimeError, type LoadedBot };

interface MessageDraft {
  sender: Sender;
  channel: string;
  text: string;
  clientId?: string | null;
  classification?: unknown;
  followUpId?: string | null;
  meta?: Record<string, unknown> | null;
  /** Deliver through the outbox (non-live-chat channels). */
  outbox?: { channel: string; recipient: string | null } | null;
}

/**
 * The machine's event for a classified contact message. Confidence, readings and a refusal
 * cue go along only when well-formed: anything else reads as a confident classification.
 */
export function contactMessageEvent(
  classification: ClassificationLike,
  at: number,
  policy: LoadedBot['policy'],
  messageId: string,
): ContactEvent {
  const confidence = probability(classification.confidence);
  const readings = readingsOf(classification.readings);
  return {
    type: 'CONTACT_MESSAGE',
    at,
    policy,
    messageId,
    intent: classification.intent,
    ...(classification.requestedAt !== undefined ? { requestedAt: classification.requestedAt } : {}),
    ...(classification.phrase ? { phrase: classification.phrase } : {}),
    ...(classification.zone ? { zone: classification.zone } : {}),
    ...(confidence !== null ? { confidence } : {}),
    ...(readings.length ? { readings } : {}),
    ...(classification.refusalCue === true ? { refusalCue: true } : {}),
  };
}

const INTENT_SET: ReadonlySet<string> = new Set<Intent>(INTENTS);

function probability(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1 ? value : null;
}

/** The classifier's top two readings, dropping any malformed entry. */
function readingsOf(value: unknown): Reading[] {
  if (!Array.isArray(value)) return [];
  const out: Reading[] = [];
  for (const item of value) {
    const reading = item as { intent?: unknown; confidence?: unknown } | null;
    const confidence = probability(reading?.confidence);
    if (typeof reading?.intent === 'string' && INTENT_SET.has(reading.intent) && confidence !== null) {
      out.push({ intent: reading.intent as Intent, confidence });
    }
    if (out.length === 2) break;
  }
  return out;
}

/** An operator's decision on a contact's pending review. */
export interface ReviewDecision {
  /** The reviewed message: a decision about another one is stale. */
  messageId: string;
  intent: Intent;
  /** For request_time: the instant chosen (epoch ms). */
  requestedAt?: number;
  operatorId?: string;
}

/**
 * The contact machine whose declared effects are handed to `push`, never executed in place:
 * the runtime turns them into rows inside the event's transaction.
 */
export function collectingContactMachine(push: (effect: Effect) => void): typeof contactMachine {
  const collect =
    (type: Effect['type']) =>
    (_: unknown, params: unknown): void => {
      push({ type, params } as Effect);
    };
  return contactMachine.provide({
    actions: {
      armTimer: collect('armTimer'),
      cancelTimers: collect('cancelTimers'),
      sendFollowUp: collect('sendFollowUp'),
      skipFollowUp: collect('skipFollowUp'),
      runWorkflow: collect('runWorkflow'),
      flagReview: collect('flagReview'),
      clearReview: collect('clearReview'),
    },
  });
}

export class ContactRuntime {
  /** After each commit: `message`, `transition`, `followups`, `erased` (contact id), `deferred` (row, until, reason). */
  readonly events = new EventEmitter();
  private readonly mailboxes = new Mailboxes();
  private readonly actors: LruCache<string, ContactActor>;
  private readonly bots = new Map<string, LoadedBot>();
  private effects: Effect[] = [];
  private readonly machine: typeof contactMachine;

  constructor(private readonly deps: RuntimeDeps) {
    this.actors = new LruCache(deps.actorCacheSize ?? 10_000);
    this.events.setMaxListeners(100);
    this.machine = collectingContactMachine((effect) => this.effects.push(effect));
  }

  get store(): RuntimeStore {
    return this.deps.store;
  }

  // ---------------------------------------------------------------- bots

  /** The bot as cached (loaded on first use; needs a synchronous store then, see `loadBot`). */
  bot(botId: string): LoadedBot {
    const cached = this.bots.get(botId);
    if (cached) return cached;
    const row = synchronous(this.deps.store.getBot(botId), 'bot');
    const loaded = loadBot({ getBot: () => row }, botId);
    this.bots.set(botId, loaded);
    return loaded;
  }

  /** The bot as cached, loaded through the store port on first use. */
  private async loadBot(botId: string): Promise<LoadedBot> {
    const cached = this.bots.get(botId);
    if (cached) return cached;
    const row = await this.deps.store.getBot(botId);
    const loaded = this.bots.get(botId) ?? loadBot({ getBot: () => row }, botId);
    this.bots.set(botId, loaded);
    return loaded;
  }

  /** Forget cached bot configuration after it was changed in the store. */
  invalidateBot(botId: string): void {
    this.bots.delete(botId);
  }

  // ---------------------------------------------------------------- contacts

  createContact(
    botId: string,
    fields: {
      name?: string | null;
      phone?: string | null;
      email?: string | null;
      timezone?: string | null;
      channel?: string;
    } = {},
  ): ContactRow {
    this.bot(botId);
    const now = this.deps.clock.now();
    const id = newId('ct');
    const snapshot = createActor(this.machine, { input: { contactId: id } }).getPersistedSnapshot();
    synchronous(
      this.deps.store.insertContact(
        {
          id,
          bot_id: botId,
          name: fields.name ?? null,
          phone: fields.phone ?? null,
          email: fields.email ?? null,
          timezone: fields.timezone ?? null,
          state: 'active',
          last_channel: fields.channel ?? 'livechat',
          created_at: now,
          updated_at: now,
        },
        snapshot,
      ),
      'createContact',
    );
    return this.contact(id);
  }

  contact(contactId: string): ContactRow {
    return existing(synchronous(this.deps.store.getContact(contactId), 'contact'), contactId);
  }

  /** The contact's row through the store port (the mailboxes' read). */
  private async loadContact(contactId: string): Promise<ContactRow> {
    return existing(await this.deps.store.getContact(contactId), contactId);
  }

  /** The machine context as last committed (hydrates the actor). */
  snapshotOf(contactId: string): { value: ContactStateName; context: ContactContext } {
    const snap = this.actor(contactId).getSnapshot();
    return { value: snap.value as ContactStateName, context: snap.context };
  }

  // ---------------------------------------------------------------- inbound API

  /**
   * An inbound message from the contact. A repeated `clientId` returns the stored message
   * (duplicate) without storing or processing anything again.
   */
  inbound(input: {
    contactId: string;
    text: string;
    channel?: string;
    clientId?: string | null;
  }): Promise<ProcessResult> {
    return this.mailboxes.run(input.contactId, async () => {
      const contact = await this.loadContact(input.contactId);
      if (input.clientId) {
        const stored = await this.deps.store.getMessageByClientId(contact.id, input.clientId);
        if (stored) return this.duplicateResult(contact, stored);
      }
      const bot = await this.loadBot(contact.bot_id);
      const at = this.deps.clock.now();
      const classification = await this.deps.classify({
        text: input.text,
        now: at,
        timezone: contact.timezone ?? bot.config.timezone,
      });
      const messageId = newId('msg');
      const event = contactMessageEvent(classification, at, bot.policy, messageId);
      const channel = input.channel ?? contact.last_channel;
      const webhookUrl = bot.config.inboundWebhookUrl;
      const language = knownLanguage(input.text, classification.language, contact.language);
      const result = await this.apply(contact, bot, event, {
        messageId,
        draft: { sender: 'contact', channel, text: input.text, clientId: input.clientId ?? null, classification },
        extra: function* (tx) {
          if (channel !== contact.last_channel) yield* tx.setLastChannel(contact.id, channel);
          // Built-in texts are written in the language the contact last wrote in.
          if (language && language !== contact.language) yield* tx.setLanguage(contact.id, language);
          // Businesses with their own bot hear of each inbound message through a signed
          // webhook, written in the same transaction as the message (never lost, never doubled).
          if (webhookUrl) {
            yield* tx.insertOutbox({
              idempotency_key: `inbound:${messageId}`,
              bot_id: bot.row.id,
              contact_id: contact.id,
              channel: 'webhook',
              recipient: webhookUrl,
              body: JSON.stringify({
                type: 'message.inbound',
                botId: bot.row.id,
                contactId: contact.id,
                messageId,
                channel,
                text: input.text,
                at: new Date(at).toISOString(),
                classification,
              }),
              meta: JSON.stringify({ messageId, webhook: 'inbound' }),
              next_attempt_at: at,
              created_at: at,
              updated_at: at,
            });
          }
        },
      });
      if (webhookUrl) this.deps.onOutbox?.();
      return result;
    });
  }

  /**
   * A message to the contact written by the bot, or by a human operator (who then takes
   * over: follow-ups are disarmed with reason `human_active`).
   */
  outbound(input: {
    contactId: string;
    text: string;
    sender: 'bot' | 'operator';
    operatorId?: string;
    channel?: string;
    meta?: Record<string, unknown>;
  }): Promise<ProcessResult> {
    return this.mailboxes.run(input.contactId, async () => {
      const contact = await this.loadContact(input.contactId);
      const bot = await this.loadBot(contact.bot_id);
      const at = this.deps.clock.now();
      const messageId = newId('msg');
      const bookingUrl = bot.config.bookingUrl;
      const event: ContactEvent =
        input.sender === 'operator'
          ? {
              type: 'OPERATOR_MESSAGE',
              at,
              policy: bot.policy,
              messageId,
              ...(input.operatorId ? { operatorId: input.operatorId } : {}),
            }
          : {
              type: 'BOT_MESSAGE',
              at,
              policy: bot.policy,
              messageId,
              bookingLink: !!bookingUrl && input.text.includes(bookingUrl),
            };
      const channel = input.channel ?? contact.last_channel;
      return this.apply(contact, bot, event, {
        messageId,
        draft: {
          sender: input.sender,
          channel,
          text: input.text,
          meta: input.meta ?? (input.operatorId ? { operatorId: input.operatorId } : null),
          outbox: channel === 'livechat' ? null : { channel, recipient: recipientFor(contact, channel) },
        },
      });
    });
  }

  /** Events without a message: bookings, opt-in/out, hand-back, contact updates. */
  signal(
    contactId: string,
    type: 'APPOINTMENT_BOOKED' | 'APPOINTMENT_CANCELLED' | 'OPT_IN' | 'OPERATOR_STOP' | 'OPERATOR_HANDBACK',
    details: { source?: string; operatorId?: string } = {},
  ): Promise<ProcessResult> {
    return this.mailboxes.run(contactId, async () => {
      const contact = await this.loadContact(contactId);
      const bot = await this.loadBot(contact.bot_id);
      const event = { type, at: this.deps.clock.now(), policy: bot.policy, ...details } as ContactEvent;
      return this.apply(contact, bot, event, {});
    });
  }

  /**
   * An operator's decision on the contact's pending review, applied through its mailbox like
   * any event. Refused (nothing stored) when no review is pending (already decided) or the
   * pending one is about another message (a newer doubtful message replaced it).
   */
  resolveReview(contactId: string, decision: ReviewDecision): Promise<ProcessResult> {
    return this.mailboxes.run(contactId, async () => {
      const contact = await this.loadContact(contactId);
      const bot = await this.loadBot(contact.bot_id);
      const review = (await this.loadActor(contactId)).getSnapshot().context.review;
      if (!review)
        throw new RuntimeError(
          'review_not_pending',
          `contact ${contactId} has no message waiting for review (already decided?)`,
        );
      if (review.messageId !== decision.messageId) {
        throw new RuntimeError(
          'review_stale',
          `message ${decision.messageId} is no longer the one under review (now ${review.messageId})`,
        );
      }
      if (decision.intent === 'request_time' && decision.requestedAt === undefined) {
        throw new RuntimeError('invalid', 'requestedAt is required when the intent is request_time');
      }
      const zone = contact.timezone ?? bot.config.timezone;
      const event: ContactEvent = {
        type: 'REVIEW_RESOLVED',
        at: this.deps.clock.now(),
        policy: bot.policy,
        messageId: decision.messageId,
        intent: decision.intent,
        ...(decision.requestedAt !== undefined ? { requestedAt: decision.requestedAt, zone } : {}),
        ...(decision.operatorId ? { operatorId: decision.operatorId } : {}),
      };
      return this.apply(contact, bot, event, {});
    });
  }

  /** Contact details changed (e.g. a phone number was given): logged, state unchanged. */
  updateContact(
    contactId: string,
    fields: { name?: string; phone?: string; email?: string; timezone?: string },
  ): Promise<ProcessResult> {
    return this.mailboxes.run(contactId, async () => {
      const contact = await this.loadContact(contactId);
      const bot = await this.loadBot(contact.bot_id);
      const at = this.deps.clock.now();
      const event: ContactEvent = {
        type: 'CONTACT_UPDATED',
        at,
        policy: bot.policy,
        fields: Object.fromEntries(Object.keys(fields).map((k) => [k, 'set'])),
      };
      return this.apply(contact, bot, event, {
        extra: (tx) => tx.updateContactFields(contactId, fields, at),
      });
    });
  }

  // ---------------------------------------------------------------- timers

  /**
   * The scheduler's delivery: a follow-up (or bot-silence timer) fell due. Re-reads the
   * row first, so a cancelled or re-timed entry never fires; applies the missed-while-down
   * policy and the send plan (channel, quiet hours) before the machine decides.
   */
  deliverDue(ref: DueRef): Promise<ProcessResult | null> {
    return this.mailboxes.run(ref.contact_id, async () => {
      const now = this.deps.clock.now();
      const row = await this.deps.store.getFollowUp(ref.id);
      if (!row || row.status !== 'pending') return null;
      if (row.due_at > now) {
        this.deps.onTimer?.({ id: row.id, contact_id: row.contact_id, due_at: row.due_at });
        return null;
      }
      const contact = await this.loadContact(row.contact_id);
      const bot = await this.loadBot(contact.bot_id);
      const event: ContactEvent = { type: 'FOLLOWUP_DUE', at: now, policy: bot.policy, followUpId: row.id };
      if (row.kind === TIMER_KIND.botSilence) {
        return this.apply(contact, bot, event, {
          extra: function* (tx) {
            yield* tx.finishFollowUp(row.id, 'fired', 'bot_silent', now);
          },
        });
      }

      // Missed while down: within the grace period it goes now; later than that it waits
      // for the next working-hours opening (now, if the business is open).
      const grace = durationToMs(bot.config.missedGrace);
      if (now - row.due_at > grace) {
        const slot = nextAllowedInstant(now, bot.config.timezone, bot.config.workingHours);
        if (slot.at > now) return this.retime(row, slot.at, 'missed_while_down');
      }
      const plan = this.planSend(bot, contact, row, now);
      if (plan.deferUntil && plan.deferUntil.at > now)
        return this.retime(row, plan.deferUntil.at, plan.deferUntil.reason);

      const actor = await this.loadActor(contact.id);
      const timer = actor.getSnapshot().context.timer;
      let composed: ComposedText | null = null;
      if (timer && timer.id === row.id && bot.policy.active) {
        const scenario = row.scenario as Scenario;
        const step = bot.config.scenarios[scenario].cadence[row.step - 1];
        const message = step?.message ?? bot.config.scenarios[scenario].message;
        composed = await this.deps.compose({
          bot,
          contact,
          scenario,
          step: row.step,
          message,
          recent: () => this.deps.store.recentMessages(contact.id, 12),
        });
      }
      return this.apply(contact, bot, event, { plan, composed });
    });
  }

  private retime(row: FollowUpRow, at: number, reason: string): Promise<null> {
    const now = this.deps.clock.now();
    return this.deps.committer
      .write((tx) => tx.retimeFollowUp(row.id, at, reason, null, now), row.contact_id)
      .then((changed) => {
        if (changed) {
          this.deps.onTimer?.({ id: row.id, contact_id: row.contact_id, due_at: at });
          this.events.emit('deferred', row, at, reason);
        }
        this.events.emit('followups', row.contact_id);
        return null;
      });
  }

  private planSend(bot: LoadedBot, contact: ContactRow, row: FollowUpRow, now: number): SendPlan {
    if (this.deps.planSend) return this.deps.planSend({ bot, contact, followUp: row, now });
    const channel = contact.last_channel;
    return { channel, recipient: recipientFor(contact, channel), reason: `stays on ${channel}` };
  }

  // ---------------------------------------------------------------- operator control

  /**
   * Cancels one pending follow-up (recorded with who did it). The row change and the machine's
   * `FOLLOWUP_CANCELLED` commit together, so the snapshot drops the timer the row no longer has.
   * The bot-silence timer is refused: it is what keeps a contact the bot never answered from
   * waiting in `active` for ever.
   */
  cancelFollowUp(followUpId: string, actor: string): Promise<FollowUpRow> {
    return this.operatorTimerChange(followUpId, actor, null);
  }

  /** Moves one pending follow-up to another instant (`now` = send now); the machine's timer follows. */
  rescheduleFollowUp(followUpId: string, at: number, actor: string): Promise<FollowUpRow> {
    return this.operatorTimerChange(followUpId, actor, at);
  }

  /** An operator's cancel (`dueAt` null) or reschedule, applied as a machine event with its row change. */
  private operatorTimerChange(followUpId: string, actor: string, dueAt: number | null): Promise<FollowUpRow> {
    return Promise.resolve(this.deps.store.getFollowUp(followUpId)).then((found) => {
      if (!found) throw new RuntimeError('not_found', `follow-up ${followUpId} not found`);
      return this.mailboxes.run(found.contact_id, () => this.changeTimer(followUpId, actor, dueAt));
    });
  }

  private async changeTimer(followUpId: string, actor: string, dueAt: number | null): Promise<FollowUpRow> {
    {
      const row = await this.deps.store.getFollowUp(followUpId);
      if (!row || row.status !== 'pending')
        throw new RuntimeError('conflict', `follow-up ${followUpId} is not pending`);
      if (dueAt === null && row.kind === TIMER_KIND.botSilence)
        throw new RuntimeError(
          'conflict',
          `follow-up ${followUpId} is the bot-silence timer: it cannot be cancelled (stop the contact's follow-ups instead)`,
        );
      const contact = await this.loadContact(row.contact_id);
      const bot = await this.loadBot(contact.bot_id);
      const now = this.deps.clock.now();
      const event: ContactEvent =
        dueAt === null
          ? { type: 'FOLLOWUP_CANCELLED', at: now, policy: bot.policy, followUpId, operatorId: actor }
          : { type: 'FOLLOWUP_RETIMED', at: now, policy: bot.policy, followUpId, dueAt, operatorId: actor };
      await this.apply(contact, bot, event, {
        extra: function* (tx) {
          const changed =
            dueAt === null
              ? yield* tx.cancelFollowUp(followUpId, 'operator_cancelled', actor, now)
              : yield* tx.retimeFollowUp(followUpId, dueAt, 'operator_rescheduled', actor, now);
          if (!changed) throw new RuntimeError('conflict', `follow-up ${followUpId} is not pending`);
        },
      });
      if (dueAt !== null) this.deps.onTimer?.({ id: row.id, contact_id: row.contact_id, due_at: dueAt });
      this.events.emit('followups', row.contact_id);
      return (await this.deps.store.getFollowUp(followUpId)) as FollowUpRow;
    }
  }

  /**
   * Erases a contact: `erase` (the store's deletions, src/store/erasure.ts) commits in the
   * contact's mailbox after every event queued before it, and the cached actor is dropped,
   * so no later event of this contact can write from memory what was erased.
   */
  eraseContact(contactId: string, erase: () => void): Promise<void> {
    return this.mailboxes.run(contactId, async () => {
      // eslint-disable-next-line require-yield -- SQLite's eraser runs its own statements in the transaction
      await this.deps.committer.write(function* () {
        erase();
      }, contactId);
      this.actors.delete(contactId);
      this.events.emit('erased', contactId);
    });
  }

  /** Resolves when every queued event has been processed. */
  idle(): Promise<void> {
    return this.mailboxes.idle();
  }

  // ---------------------------------------------------------------- core

  /** The contact's actor, from the cache or hydrated from the stored snapshot (needs a synchronous store then). */
  private actor(contactId: string): ContactActor {
    return (
      this.actors.get(contactId) ??
      this.hydrate(contactId, synchronous(this.deps.store.getSnapshot(contactId), 'actor'))
    );
  }

  /** The contact's actor, hydrated through the store port on a cache miss (the mailboxes' read). */
  private async loadActor(contactId: string): Promise<ContactActor> {
    const cached = this.actors.get(contactId);
    if (cached) return cached;
    const stored = await this.deps.store.getSnapshot(contactId);
    return this.actors.get(contactId) ?? this.hydrate(contactId, stored);
  }

  private hydrate(contactId: string, stored: unknown): ContactActor {
    if (!stored) throw new RuntimeError('not_found', `contact ${contactId} has no stored state`);
    const actor = createActor(this.machine, { snapshot: stored as never, input: { contactId } });
    actor.start();
    this.actors.set(contactId, actor);
    return actor;
  }

  private duplicateResult(contact: ContactRow, message: MessageRow): ProcessResult {
    const state = contact.state as ContactStateName;
    return { contactId: contact.id, from: state, to: state, message, effects: [], duplicate: true };
  }

  private async apply(
    contact: ContactRow,
    bot: LoadedBot,
    event: ContactEvent,
    opts: EventOptions,
    reloaded = false,
  ): Promise<ProcessResult> {
    const actor = await this.loadActor(contact.id);
    const from = actor.getSnapshot().value as ContactStateName;
    const readEpoch = actor.getSnapshot().context.epoch;
    this.effects = [];
    actor.send(event);
    const effects = this.effects;
    this.effects = [];
    const snap = actor.getSnapshot();
    const decision: Decision = {
      contact,
      bot,
      event,
      opts,
      from,
      to: snap.value as ContactStateName,
      epoch: snap.context.epoch,
      readEpoch,
      persisted: actor.getPersistedSnapshot(),
      effects,
    };

    let written: Written;
    try {
      written = await this.deps.committer.write((tx) => this.writeDecision(tx, decision), contact.id);
      bot.policyStored = true;
    } catch (error) {
      // The actor moved on but the store did not: drop it, the next event rehydrates.
      this.actors.delete(contact.id);
      // Another writer moved the contact on since this actor was read: nothing of this run
      // was stored; the event runs once more on the stored state.
      if (error instanceof StaleActorError && !reloaded) {
        const fresh = await this.deps.store.getContact(contact.id);
        if (fresh) return this.apply(fresh, bot, event, opts, true);
      }
      throw error;
    }
    const { to } = decision;
    for (const ref of written.armed) this.deps.onTimer?.(ref);
    if (written.outbox) this.deps.onOutbox?.();
    for (const message of written.created) this.events.emit('message', contact.id, message);
    this.events.emit('transition', contact.id, { from, to, event: event.type, effects });
    if (effects.length) this.events.emit('followups', contact.id);
    return { contactId: contact.id, from, to, message: written.created[0] ?? null, effects, duplicate: false };
  }

  /**
   * The event's one write: its message, the machine's effects, the machine itself (fenced by
   * the epoch it was read at) and the log entry. Re-runnable (the committer may run it in a
   * batch that is rolled back, then alone): what it collects is fresh on every run.
   */
  private *writeDecision(tx: StoreTx, decision: Decision): Step<Written> {
    const { contact, bot, event, opts } = decision;
    const written: Written = { armed: [], created: [], outbox: false };
    const at = event.at;
    if (opts.extra) yield* opts.extra(tx);
    if (opts.draft) {
      const message = yield* this.insertMessage(tx, contact.id, opts.messageId ?? newId('msg'), at, opts.draft);
      written.created.push(message);
      if (opts.draft.outbox) {
        const { channel, recipient } = opts.draft.outbox;
        if (yield* this.insertOutbox(tx, contact, message, channel, recipient)) written.outbox = true;
      }
    }
    yield* this.applyEffects(tx, decision, written);
    // A due event the machine ignored was stale: make sure its row can never fire again.
    if (event.type === 'FOLLOWUP_DUE') {
      const row = yield* tx.getFollowUp(event.followUpId);
      if (row?.status === 'pending') yield* tx.finishFollowUp(row.id, 'cancelled', 'stale', at);
    }
    // contact.state is the row as this event found it (only this write changes it, and
    // the contact's mailbox runs one event at a time).
    const saved = yield* tx.saveMachineState(
      contact.id,
      decision.to,
      decision.epoch,
      decision.persisted,
      at,
      contact.state,
      decision.readEpoch,
    );
    if (!saved) throw new StaleActorError(contact.id, decision.readEpoch);
    // The bot's policy is logged once (policies) and named by id, not repeated per event.
    const ownPolicy = 'policy' in event && event.policy === bot.policy;
    yield* tx.appendTransition(
      {
        contact_id: contact.id,
        event: JSON.stringify(ownPolicy ? withoutPolicy(event) : event),
        policy_id: ownPolicy ? bot.policyId : null,
        from_state: decision.from,
        to_state: decision.to,
        actions: JSON.stringify(decision.effects),
        at,
      },
      ownPolicy && !bot.policyStored ? { id: bot.policyId, json: bot.policyJson } : null,
    );
    return written;
  }

  /** Turns the machine's declared effects into rows, in order: one writer per kind of effect. */
  private *applyEffects(tx: StoreTx, decision: Decision, written: Written): Step<void> {
    const { contact, bot, event, opts } = decision;
    const at = event.at;
    for (const effect of decision.effects) {
      switch (effect.type) {
        case 'armTimer': {
          const ref = yield* this.armTimer(tx, contact, bot, effect.params, at);
          if (ref) written.armed.push(ref);
          break;
        }
        case 'cancelTimers':
          yield* tx.cancelPendingFollowUps(contact.id, effect.params.reason, null, at);
          break;
        case 'skipFollowUp':
          yield* tx.finishFollowUp(effect.params.followUpId, 'skipped', effect.params.reason, at);
          break;
        case 'sendFollowUp': {
          const sent = yield* this.sendFollowUp(tx, contact, effect.params, at, opts.plan, opts.composed ?? null);
          if (sent) {
            written.created.push(sent.message);
            if (sent.outbox) written.outbox = true;
          }
          break;
        }
        case 'runWorkflow':
          if (yield* this.runWorkflow(tx, contact, bot, effect.params, at)) written.outbox = true;
          break;
        case 'flagReview':
          if (yield* this.flagReview(tx, contact, bot, effect.params, opts.draft?.text ?? null)) written.outbox = true;
          break;
        case 'clearReview':
          yield* tx.setReview(contact.id, null);
          break;
      }
    }
  }

  private insertMessage(tx: StoreTx, contactId: string, id: string, at: number, draft: MessageDraft): Step<MessageRow> {
    return tx.insertMessage({
      id,
      contact_id: contactId,
      sender: draft.sender,
      channel: draft.channel,
      text: draft.text,
      at,
      client_id: draft.clientId ?? null,
      classification: draft.classification === undefined ? null : JSON.stringify(draft.classification),
      followup_id: draft.followUpId ?? null,
      meta: draft.meta ? JSON.stringify(draft.meta) : null,
    });
  }

  private insertOutbox(
    tx: StoreTx,
    contact: ContactRow,
    message: MessageRow,
    channel: string,
    recipient: string | null,
  ): Step<boolean> {
    return tx.insertOutbox({
      idempotency_key: message.id,
      bot_id: contact.bot_id,
      contact_id: contact.id,
      channel,
      recipient,
      body: message.text,
      meta: JSON.stringify({ messageId: message.id, followUpId: message.followup_id }),
      next_attempt_at: message.at,
      created_at: message.at,
      updated_at: message.at,
    });
  }

  /** Arms a timer: working hours push a follow-up to the next opening. */
  private *armTimer(
    tx: StoreTx,
    contact: ContactRow,
    bot: LoadedBot,
    timer: ArmedTimer,
    at: number,
  ): Step<DueRef | null> {
    let dueAt = timer.dueAt;
    let deferReason: string | null = null;
    let mode: string | null = null;
    if (timer.kind === TIMER_KIND.followUp) {
      const slot = nextAllowedInstant(timer.dueAt, bot.config.timezone, bot.config.workingHours);
      if (slot.deferred) {
        dueAt = slot.at;
        deferReason = slot.reason ?? 'working_hours';
      }
      const scenario = bot.config.scenarios[timer.scenario as Scenario];
      mode = (scenario.cadence[timer.step - 1]?.message ?? scenario.message).mode;
    }
    const inserted = yield* tx.insertFollowUp({
      id: timer.id,
      contact_id: contact.id,
      bot_id: contact.bot_id,
      kind: timer.kind,
      scenario: timer.scenario,
      step: timer.step,
      epoch: timer.epoch,
      raw_due_at: timer.dueAt,
      due_at: dueAt,
      defer_reason: deferReason,
      channel: timer.kind === TIMER_KIND.followUp ? contact.last_channel : null,
      channel_reason: null,
      message_mode: mode,
      trigger_message_id: timer.triggerMessageId,
      created_at: at,
      updated_at: at,
    });
    return inserted ? { id: timer.id, contact_id: contact.id, due_at: dueAt } : null;
  }

  /**
   * The send, re-checked inside the transaction: only a still-pending row of the current
   * epoch becomes a message and an outbox row; the outbox key is the follow-up id, so the
   * same step can never be sent twice even if this path runs twice.
   */
  private *sendFollowUp(
    tx: StoreTx,
    contact: ContactRow,
    params: SendParams,
    at: number,
    plan: SendPlan | undefined,
    composed: ComposedText | null,
  ): Step<{ message: MessageRow; outbox: boolean } | null> {
    const current = yield* tx.getContact(contact.id);
    const row = yield* tx.getFollowUp(params.followUpId);
    if (!current || !row || row.status !== 'pending' || row.epoch !== params.epoch) return null;
    const chosen = plan ?? {
      channel: current.last_channel,
      recipient: recipientFor(current, current.last_channel),
      reason: `stays on ${current.last_channel}`,
    };
    if (!composed) {
      yield* tx.finishFollowUp(row.id, 'skipped', 'no_text', at);
      return null;
    }
    if (!(yield* tx.finishFollowUp(row.id, 'sent', null, at, { channel: chosen.channel, reason: chosen.reason })))
      return null;
    // The outbox row goes first: its unique key (the follow-up id) is the last line of
    // defence, so even a send path run twice can produce neither a second delivery nor a
    // second message in the conversation.
    const messageId = newId('msg');
    const outbox = yield* tx.insertOutbox({
      idempotency_key: row.id,
      bot_id: current.bot_id,
      contact_id: current.id,
      channel: chosen.channel,
      recipient: chosen.recipient,
      body: composed.text,
      meta: JSON.stringify({ messageId, followUpId: row.id, scenario: params.scenario, step: params.step }),
      next_attempt_at: at,
      created_at: at,
      updated_at: at,
    });
    if (!outbox) return null;
    const message = yield* this.insertMessage(tx, contact.id, messageId, at, {
      sender: 'bot',
      channel: chosen.channel,
      text: composed.text,
      followUpId: row.id,
      meta: {
        followUp: { scenario: params.scenario, step: params.step },
        source: composed.source,
        templateId: composed.templateId ?? null,
      },
    });
    if (composed.templateId) yield* tx.setLastTemplate(contact.id, composed.templateId);
    return { message, outbox };
  }

  /**
   * Projects the pending review onto the contact row and tells the bot's operators a message
   * is held for them: a console notification, and the signed `contact.needs_review` webhook
   * when the bot names one. The body carries the message text, as the inbound-message
   * webhook does. Keyed by message: written once. Returns whether an outbox row was written.
   */
  private *flagReview(
    tx: StoreTx,
    contact: ContactRow,
    bot: LoadedBot,
    review: PendingReview,
    text: string | null,
  ): Step<boolean> {
    yield* tx.setReview(contact.id, { at: review.at, json: JSON.stringify(review) });
    const body = JSON.stringify({
      type: 'contact.needs_review',
      botId: contact.bot_id,
      contactId: contact.id,
      messageId: review.messageId,
      text,
      intent: review.intent,
      confidence: review.confidence,
      readings: review.readings,
      refusalCue: review.refusalCue,
      requestedAt: review.requestedAt === null ? null : new Date(review.requestedAt).toISOString(),
      message: reviewLine(text, review),
      at: new Date(review.at).toISOString(),
    });
    const row = (channel: 'console' | 'webhook', recipient: string | null) =>
      tx.insertOutbox({
        idempotency_key: `review:${review.messageId}:${channel}`,
        bot_id: contact.bot_id,
        contact_id: contact.id,
        channel,
        recipient,
        body,
        meta: JSON.stringify({ messageId: review.messageId, notify: 'needs_review' }),
        next_attempt_at: review.at,
        created_at: review.at,
        updated_at: review.at,
      });
    let written = yield* row('console', null);
    if (bot.config.reviewWebhookUrl) written = (yield* row('webhook', bot.config.reviewWebhookUrl)) || written;
    return written;
  }

  /** Workflow actions of the sent step (the step's own, else the scenario's); whether an outbox row was written. */
  private *runWorkflow(
    tx: StoreTx,
    contact: ContactRow,
    bot: LoadedBot,
    params: { scenario: Scenario; step: number; followUpId: string },
    at: number,
  ): Step<boolean> {
    const scenario = bot.config.scenarios[params.scenario];
    const actions: WorkflowAction[] = scenario.cadence[params.step - 1]?.workflow ?? scenario.workflow;
    if (actions.length === 0) return false;
    const current = (yield* tx.getContact(contact.id)) as ContactRow;
    const tags = new Set<string>(JSON.parse(current.tags) as string[]);
    let outbox = false;
    for (const [index, action] of actions.entries()) {
      switch (action.type) {
        case 'addTag':
          tags.add(action.tag);
          break;
        case 'removeTag':
          tags.delete(action.tag);
          break;
        case 'assignUser':
          yield* tx.setAssignedUser(contact.id, action.userId, at);
          break;
        case 'notifyUser':
          if (yield* tx.insertOutbox(notifyRow(contact, params, action, index, at))) outbox = true;
          break;
      }
    }
    yield* tx.setTags(contact.id, [...tags], at);
    return outbox;
  }
}

/** The outbox row of a `notifyUser` workflow action: a console notification, or a signed webhook. */
function notifyRow(
  contact: ContactRow,
  params: { scenario: Scenario; step: number; followUpId: string },
  action: Extract<WorkflowAction, { type: 'notifyUser' }>,
  index: number,
  at: number,
): NewOutboxRow {
  return {
    idempotency_key: `${params.followUpId}:notify:${index}`,
    bot_id: contact.bot_id,
    contact_id: contact.id,
    channel: action.webhookUrl ? 'webhook' : 'console',
    recipient: action.webhookUrl ?? action.userId ?? null,
    body: JSON.stringify({
      type: 'followup.sent',
      botId: contact.bot_id,
      contactId: contact.id,
      followUpId: params.followUpId,
      scenario: params.scenario,
      step: params.step,
      userId: action.userId ?? null,
      message: action.message ?? null,
      at: new Date(at).toISOString(),
    }),
    meta: JSON.stringify({ followUpId: params.followUpId, workflow: 'notifyUser' }),
    next_attempt_at: at,
    created_at: at,
    updated_at: at,
  };
}

/** What `apply` passes along with the event: its message, and for a send the plan and the text. */
interface EventOptions {
  messageId?: string;
  draft?: MessageDraft;
  plan?: SendPlan;
  composed?: ComposedText | null;
  /** Statements of the event's own, run first in its write. */
  extra?: (tx: StoreTx) => Step<void>;
}

/** The machine's decision on one event, as its write needs it. */
interface Decision {
  contact: ContactRow;
  bot: LoadedBot;
  event: ContactEvent;
  opts: EventOptions;
  from: ContactStateName;
  to: ContactStateName;
  /** The epoch after the event, and the one the actor was read at (the fence). */
  epoch: number;
  readEpoch: number;
  persisted: unknown;
  effects: Effect[];
}

/** What one run of an event's write stored: timers armed, messages created, whether the outbox grew. */
interface Written {
  armed: DueRef[];
  created: MessageRow[];
  outbox: boolean;
}

/** A synchronous read's value; the synchronous API (`contact`, `snapshotOf`, …) cannot wait for a network store. */
function synchronous<T>(value: MaybePromise<T>, what: string): T {
  if (value instanceof Promise) {
    value.catch(() => {});
    throw new Error(`ContactRuntime.${what} reads synchronously: it needs a synchronous store (SQLite)`);
  }
  return value;
}

function existing(row: ContactRow | undefined, contactId: string): ContactRow {
  if (!row) throw new RuntimeError('not_found', `contact ${contactId} not found`);
  return row;
}

/** The notification's one line: the message and the classifier's top readings. */
function reviewLine(text: string | null, review: PendingReview): string {
  const quoted = text === null ? 'A message' : `“${text.length > 120 ? `${text.slice(0, 119)}…` : text}”`;
  const readings = review.readings.length
    ? review.readings
    : [{ intent: review.intent, confidence: review.confidence ?? 1 }];
  const read = readings.map((r) => `${r.intent} ${Math.round(r.confidence * 100)} %`).join(' or ');
  return `Needs review: ${quoted} reads as ${read}${review.refusalCue ? ' (refusal cue)' : ''}`;
}

export function recipientFor(contact: ContactRow, channel: string): string | null {
  if (channel === 'sms' || channel === 'whatsapp') return contact.phone;
  return null;
}

/** The contact row holds a newer epoch than the actor was read at: its write is refused. */
class StaleActorError extends Error {
  constructor(contactId: string, readEpoch: number) {
    super(`contact ${contactId} was written by someone else since its machine was read (epoch ${readEpoch})`);
  }
}
