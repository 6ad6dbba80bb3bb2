/**
 * The contact statechart (DESIGN §2): one pure machine per contact, six top-level states.
 * It never reads the clock, sets timers or touches I/O: time comes from `event.at`, the
 * bot's policy comes with every event, so a replay of the transition log reproduces every
 * decision. Effects are named actions with params the runtime turns into rows in the same
 * transaction as the snapshot. Timers are durable rows (`armTimer` → `FOLLOWUP_DUE` with
 * its id); only the timer in `context.timer` may fire (the epoch fence). Doubt is a flag
 * in context, not a state: while `context.review` is set no timer is armed
 * (docs/architecture.md#doubt).
 */
import { and, assign, enqueueActions, setup, stateIn } from 'xstate';
import {
  BOT_SILENCE,
  SCENARIO_OF_STATE,
  type ContactEventName,
  TIMER_KIND,
  type ArmingState,
  type DoubtMode,
  type Intent,
  type Scenario,
  type TimerKind,
  type TimerScenario,
} from './vocabulary.ts';

export {
  ARMING_STATES,
  BOT_SILENCE,
  CONTACT_EVENTS,
  CONTACT_STATES,
  DOUBT_MODES,
  INTENTS,
  SCENARIOS,
  SCENARIO_OF_STATE,
  TIMER_KIND,
  TIMER_KINDS,
  type ArmingState,
  type ContactEventName,
  type ContactStateName,
  type DoubtMode,
  type Intent,
  type Scenario,
  type TimerKind,
  type TimerScenario,
} from './vocabulary.ts';

/** The slice of bot configuration the machine decides with (see policyFromConfig). */
export interface Policy {
  active: boolean;
  scenarios: Record<Scenario, { enabled: boolean; delaysMs: number[] }>;
  capPer24h: number;
  botReplyTimeoutMs: number;
  /**
   * Below this confidence a contact message is doubtful. Absent in policies logged before the
   * doubt path existed: their replays then decide as those events were decided, without it.
   */
  uncertainThreshold?: number;
  /** What a doubtful message does: hold for an operator, or apply as classified. Absent: as classified. */
  onDoubt?: DoubtMode;
}

/** One reading of a contact message: an intent and its calibrated probability. */
export interface Reading {
  intent: Intent;
  confidence: number;
}

/** A contact message held for an operator's decision. */
export interface PendingReview {
  messageId: string;
  at: number;
  /** The classifier's intent and confidence (null: not given). */
  intent: Intent;
  confidence: number | null;
  /** The classifier's top readings, best first (at most two). */
  readings: Reading[];
  refusalCue: boolean;
  /** The instant the classifier resolved, when it read a time (the operator's prefill). */
  requestedAt: number | null;
}

/** The one durable timer a contact may have armed at a time. */
export interface ArmedTimer {
  /** `contact:scenario:step:epoch` — also the idempotency key of its send. */
  id: string;
  kind: TimerKind;
  scenario: TimerScenario;
  step: number;
  epoch: number;
  dueAt: number;
  triggerMessageId: string | null;
}

export interface ContactContext {
  contactId: string;
  /** Bumped by every contact reply, operator message and state change. */
  epoch: number;
  timer: ArmedTimer | null;
  humanActive: boolean;
  bookingLinkSent: boolean;
  /** Set when the last cadence ran out: the state is kept, with no timer. */
  cadenceComplete: Scenario | null;
  requested: { at: number; phrase: string | null; zone: string | null } | null;
  /** Send times of follow-ups not answered yet, for the rolling 24 h cap. */
  unansweredSends: number[];
  lastContactAt: number | null;
  lastBotAt: number | null;
  lastMessageId: string | null;
  /**
   * Set while a doubtful contact message waits for an operator: no timer is armed meanwhile.
   * Absent in snapshots stored before the doubt path existed (read as null).
   */
  review?: PendingReview | null;
}

interface Base {
  at: number;
  policy: Policy;
}
export type ContactEvent =
  | (Base & {
      type: 'CONTACT_MESSAGE';
      messageId: string;
      intent: Intent;
      requestedAt?: number;
      phrase?: string;
      zone?: string;
      /** Calibrated probability of `intent`; absent = confident. */
      confidence?: number;
      readings?: Reading[];
      /** The text carries a refusal cue the intent does not resolve. */
      refusalCue?: boolean;
    })
  | (Base & {
      type: 'REVIEW_RESOLVED';
      /** The reviewed message: a decision about any other one is stale and ignored. */
      messageId: string;
      intent: Intent;
      requestedAt?: number;
      phrase?: string;
      zone?: string;
      operatorId?: string;
    })
  | (Base & { type: 'BOT_MESSAGE'; messageId: string; bookingLink?: boolean })
  | (Base & { type: 'OPERATOR_MESSAGE'; messageId: string; operatorId?: string })
  | (Base & { type: 'OPERATOR_HANDBACK'; operatorId?: string })
  | (Base & { type: 'FOLLOWUP_DUE'; followUpId: string })
  | (Base & { type: 'FOLLOWUP_CANCELLED'; followUpId: string; operatorId?: string })
  | (Base & { type: 'FOLLOWUP_RETIMED'; followUpId: string; dueAt: number; operatorId?: string })
  | (Base & { type: 'APPOINTMENT_BOOKED'; source?: string })
  | (Base & { type: 'APPOINTMENT_CANCELLED'; source?: string })
  | (Base & { type: 'OPT_IN'; source?: string })
  | (Base & { type: 'OPERATOR_STOP'; operatorId?: string })
  | (Base & { type: 'CONTACT_UPDATED'; fields?: Record<string, string> });
export type ContactEventType = ContactEvent['type'];

// The vocabulary's event list and this union name the same events (a compile error otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _eventsMatch: Same<ContactEventType, ContactEventName> = true;
void _eventsMatch;

export interface SendParams {
  followUpId: string;
  scenario: Scenario;
  step: number;
  epoch: number;
  triggerMessageId: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The effects the machine declares, as data (typed here; enqueued by name below). */
export type ContactEffect =
  | { type: 'armTimer'; params: ArmedTimer }
  | { type: 'cancelTimers'; params: { timerId: string; reason: string } }
  | { type: 'sendFollowUp'; params: SendParams }
  | { type: 'skipFollowUp'; params: { followUpId: string; reason: string } }
  | { type: 'runWorkflow'; params: { scenario: Scenario; step: number; followUpId: string } }
  | { type: 'flagReview'; params: PendingReview }
  | { type: 'clearReview'; params: { messageId: string; reason: ReviewCloseReason } };

/** Why a pending review ended: an operator's decision, a later confident message, a stop or a booking. */
export type ReviewCloseReason = 'resolved' | 'superseded' | 'operator_stop' | 'booked';

// enqueueActions inside setup() cannot see its sibling actions' types; this keeps the
// effect objects checked against ContactEffect instead.
const effect = (e: ContactEffect) => e as never;

export function timerId(contactId: string, scenario: ArmedTimer['scenario'], step: number, epoch: number): string {
  return `${contactId}:${scenario}:${step}:${epoch}`;
}

/** The timer a state arms on entry, or null (scenario disabled, human active, no cadence). */
export function timerForState(
  state: ArmingState,
  context: ContactContext,
  event: ContactEvent,
  epoch: number,
): ArmedTimer | null {
  // The initial entry (xstate.init) carries no time or policy: nothing to arm yet. A pending
  // review holds every timer: the operator's decision re-arms.
  if (context.humanActive || context.review || !('policy' in event)) return null;
  const trigger = 'messageId' in event ? event.messageId : context.lastMessageId;
  if (state === 'active') {
    return {
      id: timerId(context.contactId, BOT_SILENCE, 0, epoch),
      kind: TIMER_KIND.botSilence,
      scenario: BOT_SILENCE,
      step: 0,
      epoch,
      dueAt: event.at + event.policy.botReplyTimeoutMs,
      triggerMessageId: trigger,
    };
  }
  const scenario: Scenario = SCENARIO_OF_STATE[state];
  const config = event.policy.scenarios[scenario];
  if (!config.enabled || config.delaysMs.length === 0) return null;
  let dueAt = event.at + config.delaysMs[0];
  if (scenario === 'requestedTime') {
    const requestedAt = context.requested?.at ?? event.at;
    dueAt = Math.max(requestedAt, event.at) + config.delaysMs[0];
  }
  return {
    id: timerId(context.contactId, scenario, 1, epoch),
    kind: TIMER_KIND.followUp,
    scenario,
    step: 1,
    epoch,
    dueAt,
    triggerMessageId: trigger,
  };
}

/**
 * A contact message the bot's policy holds for an operator: under `onDoubt: 'hold'`, one read
 * below the threshold, or one with a refusal cue its intent does not resolve (any intent but
 * not_interested). A missing confidence is a confident one.
 */
export function isDoubtful(event: Extract<ContactEvent, { type: 'CONTACT_MESSAGE' }>): boolean {
  const policy = event.policy;
  if (policy.onDoubt !== 'hold') return false;
  const unsure =
    event.confidence !== undefined &&
    policy.uncertainThreshold !== undefined &&
    event.confidence < policy.uncertainThreshold;
  return unsure || (event.refusalCue === true && event.intent !== 'not_interested');
}

/**
 * The operator hands the contact back to the bot: the state is re-entered, so its cadence is
 * armed afresh from the hand-back, and the timer the operator's takeover left is reset.
 */
function handBackTo(state: 'active' | 'awaiting' | 'busy' | 'scheduled') {
  return {
    target: state,
    reenter: true,
    actions: [
      assign<ContactContext, ContactEvent, undefined, ContactEvent, never>({ humanActive: false }),
      { type: 'resetTimers' as const, params: { reason: 'handback' } },
    ],
  };
}

/**
 * The transitions of the two states that wait for the contact's own word (busy, scheduled):
 * a bot message is recorded without touching the timer (the bot acknowledging "I'm driving"
 * must not cancel the follow-up), the current timer fires, and a hand-back re-enters.
 */
function waitingForContact(state: 'busy' | 'scheduled') {
  return {
    BOT_MESSAGE: { actions: 'recordBotMessage' as const },
    FOLLOWUP_DUE: { guard: 'isCurrentTimer' as const, actions: 'fireFollowUp' as const },
    OPERATOR_HANDBACK: handBackTo(state),
  };
}

export const contactMachine = setup({
  types: {
    context: {} as ContactContext,
    events: {} as ContactEvent,
    input: {} as { contactId: string },
  },
  actions: {
    // Effect declarations. The runtime supplies implementations (machine.provide) that
    // turn them into follow-up, outbox and log rows; the pure `transition()` API returns
    // them as data. They must stay free of logic here.
    armTimer: (_, _params: ArmedTimer) => {},
    cancelTimers: (_, _params: { timerId: string; reason: string }) => {},
    sendFollowUp: (_, _params: SendParams) => {},
    skipFollowUp: (_, _params: { followUpId: string; reason: string }) => {},
    runWorkflow: (_, _params: { scenario: Scenario; step: number; followUpId: string }) => {},
    flagReview: (_, _params: PendingReview) => {},
    clearReview: (_, _params: { messageId: string; reason: ReviewCloseReason }) => {},
  },
  guards: {
    isDoubtful: ({ event }) => event.type === 'CONTACT_MESSAGE' && isDoubtful(event),
    isCurrentReview: ({ context, event }) =>
      event.type === 'REVIEW_RESOLVED' && !!context.review && context.review.messageId === event.messageId,
    resolvesAs: ({ context, event }, params: { intent: Intent }) =>
      event.type === 'REVIEW_RESOLVED' &&
      !!context.review &&
      context.review.messageId === event.messageId &&
      event.intent === params.intent &&
      (params.intent !== 'request_time' || event.requestedAt !== undefined),
    resolvesEngagedWhileAwaiting: and([{ type: 'resolvesAs', params: { intent: 'engaged' } }, stateIn('awaiting')]),

    saysNotInterested: ({ event }) => event.type === 'CONTACT_MESSAGE' && event.intent === 'not_interested',
    saysBooked: ({ event }) => event.type === 'CONTACT_MESSAGE' && event.intent === 'booked',
    requestsTime: ({ event }) =>
      event.type === 'CONTACT_MESSAGE' && event.intent === 'request_time' && event.requestedAt !== undefined,
    saysBusy: ({ event }) =>
      event.type === 'CONTACT_MESSAGE' &&
      (event.intent === 'busy' || (event.intent === 'request_time' && event.requestedAt === undefined)),
    isCurrentTimer: ({ context, event }) =>
      event.type === 'FOLLOWUP_DUE' &&
      context.timer?.kind === TIMER_KIND.followUp &&
      context.timer.id === event.followUpId,
    isBotSilenceTimer: ({ context, event }) =>
      event.type === 'FOLLOWUP_DUE' &&
      context.timer?.kind === TIMER_KIND.botSilence &&
      context.timer.id === event.followUpId,
    /** An operator's cancel names the follow-up the machine has armed (never the bot-silence timer). */
    cancelsCurrentFollowUp: ({ context, event }) =>
      event.type === 'FOLLOWUP_CANCELLED' &&
      context.timer?.kind === TIMER_KIND.followUp &&
      context.timer.id === event.followUpId,
    /** An operator's reschedule names the armed timer, of either kind. */
    retimesCurrentTimer: ({ context, event }) =>
      event.type === 'FOLLOWUP_RETIMED' && !!context.timer && context.timer.id === event.followUpId,
    linksBooking: ({ event }) => event.type === 'BOT_MESSAGE' && event.bookingLink === true,
  },
})
  .extend({
    // Composite decisions, declared after the effects so they can enqueue them by name.
    actions: {
      /** Disarms the current timer (if any) and moves the epoch on: anything armed before is stale. */
      resetTimers: enqueueActions(({ context, enqueue }, params: { reason: string }) => {
        if (context.timer)
          enqueue(effect({ type: 'cancelTimers', params: { timerId: context.timer.id, reason: params.reason } }));
        enqueue.assign({ epoch: context.epoch + 1, timer: null, cadenceComplete: null });
      }),

      /** Entry of a waiting state: arm its scenario's first step. */
      armEntryTimer: enqueueActions(({ context, event, enqueue }, params: { state: ArmingState }) => {
        const timer = timerForState(params.state, context, event, context.epoch);
        enqueue.assign({ timer });
        if (timer) enqueue(effect({ type: 'armTimer', params: timer }));
      }),

      recordContactMessage: assign(({ event }) => {
        if (event.type !== 'CONTACT_MESSAGE') return {};
        return {
          lastContactAt: event.at,
          lastMessageId: event.messageId,
          humanActive: false,
          unansweredSends: [],
          requested:
            event.intent === 'request_time' && event.requestedAt !== undefined
              ? { at: event.requestedAt, phrase: event.phrase ?? null, zone: event.zone ?? null }
              : null,
        };
      }),

      /** Holds a doubtful message for an operator (replacing an older pending review). */
      openReview: enqueueActions(({ event, enqueue }) => {
        if (event.type !== 'CONTACT_MESSAGE') return;
        const review: PendingReview = {
          messageId: event.messageId,
          at: event.at,
          intent: event.intent,
          confidence: event.confidence ?? null,
          readings: (event.readings ?? []).slice(0, 2),
          refusalCue: event.refusalCue === true,
          requestedAt: event.requestedAt ?? null,
        };
        // Nothing of a doubtful reading is acted upon, its requested time included.
        enqueue.assign({ review, requested: null });
        enqueue(effect({ type: 'flagReview', params: review }));
      }),

      /** Ends a pending review (if any), saying why. */
      closeReview: enqueueActions(({ context, event, enqueue }) => {
        if (!context.review) return;
        const reason: ReviewCloseReason =
          event.type === 'REVIEW_RESOLVED'
            ? 'resolved'
            : event.type === 'OPERATOR_STOP'
              ? 'operator_stop'
              : event.type === 'APPOINTMENT_BOOKED'
                ? 'booked'
                : 'superseded';
        enqueue(effect({ type: 'clearReview', params: { messageId: context.review.messageId, reason } }));
        enqueue.assign({ review: null });
      }),

      /** An operator's request_time decision: the time they chose, as a classified message would set it. */
      recordDecidedTime: assign(({ event }) => {
        if (event.type !== 'REVIEW_RESOLVED' || event.requestedAt === undefined) return {};
        return { requested: { at: event.requestedAt, phrase: event.phrase ?? null, zone: event.zone ?? null } };
      }),

      recordBotMessage: assign(({ context, event }) => {
        if (event.type !== 'BOT_MESSAGE') return {};
        return {
          lastBotAt: event.at,
          lastMessageId: event.messageId,
          bookingLinkSent: context.bookingLinkSent || event.bookingLink === true,
        };
      }),

      /** A due follow-up: re-check everything, then send it and arm the next step, or skip. */
      fireFollowUp: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'FOLLOWUP_DUE' || !context.timer || context.timer.kind !== TIMER_KIND.followUp) return;
        const timer = context.timer;
        const scenario = timer.scenario as Scenario;
        const config = event.policy.scenarios[scenario];
        const recent = context.unansweredSends.filter((t) => t > event.at - DAY_MS);
        let skipReason: string | null = null;
        if (!event.policy.active) skipReason = 'bot_inactive';
        else if (context.humanActive) skipReason = 'human_active';
        else if (!config.enabled) skipReason = 'scenario_disabled';
        else if (recent.length >= event.policy.capPer24h) skipReason = 'cap_reached';
        if (skipReason) {
          enqueue(effect({ type: 'skipFollowUp', params: { followUpId: timer.id, reason: skipReason } }));
          enqueue.assign({ timer: null });
          return;
        }
        enqueue(
          effect({
            type: 'sendFollowUp',
            params: {
              followUpId: timer.id,
              scenario,
              step: timer.step,
              epoch: timer.epoch,
              triggerMessageId: timer.triggerMessageId,
            },
          }),
        );
        enqueue(effect({ type: 'runWorkflow', params: { scenario, step: timer.step, followUpId: timer.id } }));
        const nextDelay = config.delaysMs[timer.step];
        const next: ArmedTimer | null =
          nextDelay === undefined
            ? null
            : {
                ...timer,
                id: timerId(context.contactId, scenario, timer.step + 1, timer.epoch),
                step: timer.step + 1,
                dueAt: event.at + nextDelay,
              };
        enqueue.assign({
          timer: next,
          unansweredSends: [...recent, event.at],
          cadenceComplete: next ? null : scenario,
        });
        if (next) enqueue(effect({ type: 'armTimer', params: next }));
      }),
    },
  })
  .createMachine({
    id: 'contact',
    context: ({ input }) => ({
      contactId: input.contactId,
      epoch: 0,
      timer: null,
      humanActive: false,
      bookingLinkSent: false,
      cadenceComplete: null,
      requested: null,
      unansweredSends: [],
      lastContactAt: null,
      lastBotAt: null,
      lastMessageId: null,
      review: null,
    }),
    // A new contact is created by its first inbound message, so it starts owing a reply.
    // The runtime's first event is that message, which re-enters `active` and arms the
    // bot-silence timer.
    initial: 'active',
    on: {
      // Any reply from the contact resets the cadence, from every state but `stopped`
      // (which overrides this below): classification picks the next state.
      //
      // A doubtful message is a reply too (the cadence resets), but it is held for an operator:
      // the contact owes nothing and is owed a reply, so it goes to `active`, where the review
      // keeps the bot-silence timer unarmed. A later confident message that says what to do
      // next (stop, booked, a time) supersedes the review; engaged and busy keep the hold.
      CONTACT_MESSAGE: [
        {
          guard: 'isDoubtful',
          target: '.active',
          reenter: true,
          actions: [
            { type: 'resetTimers', params: { reason: 'contact_replied' } },
            'recordContactMessage',
            'openReview',
          ],
        },
        {
          guard: 'saysNotInterested',
          target: '.stopped',
          actions: [
            'closeReview',
            { type: 'resetTimers', params: { reason: 'not_interested' } },
            'recordContactMessage',
          ],
        },
        {
          guard: 'saysBooked',
          target: '.booked',
          actions: ['closeReview', { type: 'resetTimers', params: { reason: 'booked' } }, 'recordContactMessage'],
        },
        {
          guard: 'requestsTime',
          target: '.scheduled',
          reenter: true,
          actions: [
            'closeReview',
            { type: 'resetTimers', params: { reason: 'contact_replied' } },
            'recordContactMessage',
          ],
        },
        {
          guard: 'saysBusy',
          target: '.busy',
          reenter: true,
          actions: [{ type: 'resetTimers', params: { reason: 'contact_replied' } }, 'recordContactMessage'],
        },
        {
          target: '.active',
          reenter: true,
          actions: [{ type: 'resetTimers', params: { reason: 'contact_replied' } }, 'recordContactMessage'],
        },
      ],
      // An operator's decision on the pending review, applied once as a classified message of
      // that intent would be (timers count from the decision). A decision about another
      // message, or when none is pending, matches no guard: ignored.
      REVIEW_RESOLVED: [
        {
          guard: { type: 'resolvesAs', params: { intent: 'not_interested' } },
          target: '.stopped',
          actions: ['closeReview', { type: 'resetTimers', params: { reason: 'not_interested' } }],
        },
        {
          guard: { type: 'resolvesAs', params: { intent: 'booked' } },
          target: '.booked',
          actions: ['closeReview', { type: 'resetTimers', params: { reason: 'booked' } }],
        },
        {
          guard: { type: 'resolvesAs', params: { intent: 'request_time' } },
          target: '.scheduled',
          reenter: true,
          actions: ['closeReview', { type: 'resetTimers', params: { reason: 'review_resolved' } }, 'recordDecidedTime'],
        },
        {
          guard: { type: 'resolvesAs', params: { intent: 'busy' } },
          target: '.busy',
          reenter: true,
          actions: ['closeReview', { type: 'resetTimers', params: { reason: 'review_resolved' } }],
        },
        // Engaged: the contact is owed the bot's reply, unless the bot already answered meanwhile
        // (then it waits for the contact, as after any bot reply).
        {
          guard: 'resolvesEngagedWhileAwaiting',
          target: '.awaiting',
          reenter: true,
          actions: ['closeReview', { type: 'resetTimers', params: { reason: 'review_resolved' } }],
        },
        {
          guard: { type: 'resolvesAs', params: { intent: 'engaged' } },
          target: '.active',
          reenter: true,
          actions: ['closeReview', { type: 'resetTimers', params: { reason: 'review_resolved' } }],
        },
      ],
      OPERATOR_STOP: {
        target: '.stopped',
        actions: ['closeReview', { type: 'resetTimers', params: { reason: 'operator_stop' } }],
      },
      APPOINTMENT_BOOKED: {
        target: '.booked',
        actions: ['closeReview', { type: 'resetTimers', params: { reason: 'booked' } }],
      },
      // A human operator writing takes over: follow-ups are disarmed until hand-back or the
      // contact writes again. The bot no longer owes a reply, so the contact waits.
      OPERATOR_MESSAGE: {
        target: '.awaiting',
        reenter: true,
        actions: [{ type: 'resetTimers', params: { reason: 'human_active' } }, assign({ humanActive: true })],
      },
      CONTACT_UPDATED: {},
      // An operator cancelled the armed follow-up: the timer goes, the state stays. The state
      // records what the contact said (busy, a time, silence after the bot), which is still
      // true; entering another state would arm its cadence and undo the cancel. The contact
      // waits with no timer, as after a cadence that ran out, until something happens.
      FOLLOWUP_CANCELLED: {
        guard: 'cancelsCurrentFollowUp',
        actions: assign({ timer: null }),
      },
      // An operator moved the armed timer: same timer (same id and idempotency key), new due time.
      FOLLOWUP_RETIMED: {
        guard: 'retimesCurrentTimer',
        actions: assign(({ context, event }) =>
          event.type === 'FOLLOWUP_RETIMED' && context.timer ? { timer: { ...context.timer, dueAt: event.dueAt } } : {},
        ),
      },
    },
    states: {
      active: {
        description: 'The contact just wrote; the bot owes a reply. Falls through to awaiting if the bot stays silent.',
        entry: { type: 'armEntryTimer', params: { state: 'active' } },
        on: {
          BOT_MESSAGE: {
            target: 'awaiting',
            actions: [{ type: 'resetTimers', params: { reason: 'bot_replied' } }, 'recordBotMessage'],
          },
          FOLLOWUP_DUE: {
            guard: 'isBotSilenceTimer',
            target: 'awaiting',
            actions: { type: 'resetTimers', params: { reason: 'bot_silent' } },
          },
          OPERATOR_HANDBACK: handBackTo('active'),
        },
      },
      awaiting: {
        description: 'The bot replied; waiting for the contact. stoppedReplying cadence.',
        entry: { type: 'armEntryTimer', params: { state: 'awaiting' } },
        on: {
          // Another bot message restarts the wait from that message.
          BOT_MESSAGE: {
            target: 'awaiting',
            reenter: true,
            actions: [{ type: 'resetTimers', params: { reason: 'bot_replied' } }, 'recordBotMessage'],
          },
          FOLLOWUP_DUE: { guard: 'isCurrentTimer', actions: 'fireFollowUp' },
          OPERATOR_HANDBACK: handBackTo('awaiting'),
        },
      },
      busy: {
        description: 'The contact said they are busy. busy cadence.',
        entry: { type: 'armEntryTimer', params: { state: 'busy' } },
        on: waitingForContact('busy'),
      },
      scheduled: {
        description: 'The contact asked for a specific time. requestedTime cadence, step 1 at that instant.',
        entry: { type: 'armEntryTimer', params: { state: 'scheduled' } },
        on: waitingForContact('scheduled'),
      },
      stopped: {
        description: 'Not interested or opted out. No follow-up, ever, until an explicit opt-in.',
        on: {
          // Messages are still stored, but nothing re-arms and nothing leaves this state.
          CONTACT_MESSAGE: { actions: assign(({ event }) => ({ lastContactAt: event.at })) },
          OPERATOR_STOP: {},
          OPERATOR_MESSAGE: {},
          APPOINTMENT_BOOKED: {},
          OPT_IN: {
            target: 'awaiting',
            actions: [{ type: 'resetTimers', params: { reason: 'opt_in' } }, assign({ humanActive: false })],
          },
        },
      },
      booked: {
        description: 'An appointment is booked: no follow-ups. A new inbound message resumes them.',
        on: {
          BOT_MESSAGE: { actions: 'recordBotMessage' },
          OPERATOR_MESSAGE: { actions: assign({ humanActive: true }) },
          APPOINTMENT_BOOKED: {},
          APPOINTMENT_CANCELLED: {
            target: 'awaiting',
            actions: { type: 'resetTimers', params: { reason: 'booking_cancelled' } },
          },
        },
      },
    },
  });

export type ContactMachine = typeof contactMachine;
