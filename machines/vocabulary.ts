/**
 * The contact machine's words: its scenarios, states, intents and timer kinds. Declared here
 * once, free of xstate, so the browser bundles and the classifier threads can import them
 * without loading the machine; `machines/contact.ts` re-exports them for everyone else.
 */

/** The follow-up cadences, one per waiting state (awaiting, busy, scheduled). */
export const SCENARIOS = ['stoppedReplying', 'busy', 'requestedTime'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The bot-silence timer's scenario: armed in `active`, it moves the contact on when the bot never replies. */
export const BOT_SILENCE = 'botSilence';
/** A timer's scenario: a follow-up cadence, or bot silence. */
export type TimerScenario = Scenario | typeof BOT_SILENCE;

/** The contact's top-level states. */
export const CONTACT_STATES = ['active', 'awaiting', 'busy', 'scheduled', 'stopped', 'booked'] as const;
export type ContactStateName = (typeof CONTACT_STATES)[number];

/** The states that arm a timer on entry (bot silence in `active`, a cadence in the others); the rest arm none. */
export const ARMING_STATES = ['active', 'awaiting', 'busy', 'scheduled'] as const satisfies readonly ContactStateName[];
export type ArmingState = (typeof ARMING_STATES)[number];

/** The cadence each waiting state runs. */
export const SCENARIO_OF_STATE = {
  awaiting: 'stoppedReplying',
  busy: 'busy',
  scheduled: 'requestedTime',
} as const satisfies Partial<Record<ContactStateName, Scenario>>;

/**
 * The events the contact machine takes. `FOLLOWUP_CANCELLED` and `FOLLOWUP_RETIMED` are an
 * operator's cancel and reschedule of the armed follow-up: the row changes and the machine's
 * timer follows in the same transaction.
 */
export const CONTACT_EVENTS = [
  'CONTACT_MESSAGE',
  'BOT_MESSAGE',
  'OPERATOR_MESSAGE',
  'OPERATOR_HANDBACK',
  'FOLLOWUP_DUE',
  'FOLLOWUP_CANCELLED',
  'FOLLOWUP_RETIMED',
  'APPOINTMENT_BOOKED',
  'APPOINTMENT_CANCELLED',
  'OPT_IN',
  'OPERATOR_STOP',
  'CONTACT_UPDATED',
  'REVIEW_RESOLVED',
] as const;
export type ContactEventName = (typeof CONTACT_EVENTS)[number];

/** What a contact message means to the machine. */
export const INTENTS = ['busy', 'request_time', 'not_interested', 'booked', 'engaged'] as const;
export type Intent = (typeof INTENTS)[number];

/** What a doubtful contact message does: hold for an operator, or apply as classified. */
export const DOUBT_MODES = ['hold', 'treatAsEngaged'] as const;
export type DoubtMode = (typeof DOUBT_MODES)[number];

/**
 * The two kinds of durable timer, by their name in code → the value stored in follow-up rows,
 * snapshots, the transition log and export files. The bot-silence timer's stored value stays
 * 'fallthrough': renaming it would rewrite every stored snapshot and logged effect that
 * replays compare against, and the `kind` the API already answers.
 */
export const TIMER_KIND = { followUp: 'followup', botSilence: 'fallthrough' } as const;
export type TimerKind = (typeof TIMER_KIND)[keyof typeof TIMER_KIND];
export const TIMER_KINDS = [TIMER_KIND.followUp, TIMER_KIND.botSilence] as const;
