/**
 * Display helpers: times, labels for codes the API returns. Every time on screen is the
 * server's label format ("Mon 5 Jan 2026 10:30 UTC", src/time/zonedLabel.ts) in the open
 * bot's business zone, so the console, the API and the visualizer read alike.
 */
import type { Language } from '../../src/classify/types.ts';
import { SCENARIO_OF_STATE, type ContactStateName, type TimerScenario } from '../../machines/vocabulary.ts';
import { zonedLabel } from '../../src/time/zonedLabel.ts';
import { ApiError } from './api.ts';
import { h } from './dom.ts';
export const SCENARIO_LABELS: Record<string, string> = {
  stoppedReplying: 'Stopped replying',
  busy: 'Busy',
  requestedTime: 'Requested a time',
  botSilence: 'Bot silence',
} satisfies Record<TimerScenario, string>;

export const STATE_LABELS: Record<string, string> = {
  active: 'Active — bot owes a reply',
  awaiting: 'Awaiting the contact',
  busy: 'Busy',
  scheduled: 'Scheduled (asked for a time)',
  stopped: 'Stopped (opted out)',
  booked: 'Booked',
} satisfies Record<ContactStateName, string>;

/** The languages built-in texts are written in, by the code the classifier reports. */
export const LANGUAGE_LABELS: Record<string, string> = {
  en: 'English',
  es: 'Spanish',
  pt: 'Portuguese',
  fr: 'French',
  de: 'German',
  it: 'Italian',
  nl: 'Dutch',
  pl: 'Polish',
  tr: 'Turkish',
  'hi-Latn': 'Hinglish',
  tl: 'Tagalog',
} satisfies Record<Language, string>;

export const CHANNEL_LABELS: Record<string, string> = {
  livechat: 'Live chat',
  sms: 'SMS',
  facebook: 'Facebook',
  instagram: 'Instagram',
  whatsapp: 'WhatsApp',
  webhook: 'Webhook',
  console: 'Console',
};

const REASON_LABELS: Record<string, string> = {
  contact_replied: 'the contact replied',
  operator_cancelled: 'cancelled by an operator',
  operator_rescheduled: 'rescheduled by an operator',
  human_active: 'a human operator took over',
  bot_inactive: 'the bot is inactive',
  scenario_disabled: 'the scenario is disabled',
  cap_reached: 'the per-contact cap for 24 h was reached',
  no_allowed_slot: 'no allowed time within 14 days',
  not_interested: 'the contact is not interested',
  operator_stop: 'stopped by an operator',
  booked: 'the contact booked',
  booking_cancelled: 'the booking was cancelled',
  bot_replied: 'the bot replied',
  handback: 'handed back to the bot',
  opt_in: 'the contact opted in',
  stale: 'superseded (stale)',
  working_hours: 'outside working hours',
  quiet_hours: 'SMS quiet hours',
  missed_while_down: 'missed while the service was down',
  no_text: 'no text could be composed',
};

export function reasonLabel(code: string | null | undefined): string {
  if (!code) return '';
  return REASON_LABELS[code] ?? code.replace(/_/g, ' ');
}

let businessZone = 'UTC';

/** The open bot's zone; every label is read in it. */
export function setBusinessZone(zone: string): void {
  businessZone = zonedLabel(0, zone) === null ? 'UTC' : zone;
}

export function getBusinessZone(): string {
  return businessZone;
}

/** "Mon 5 Jan 2026 10:30 UTC" in the business zone, or in `zone`. */
export function shortTime(iso: string | number | null | undefined, zone = businessZone): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  return zonedLabel(ms, zone) ?? new Date(ms).toISOString();
}

/** The business-zone label, with the contact's wall clock beside it when its zone differs. */
export function bothZones(iso: string | null | undefined, contactZone: string | null | undefined): string {
  const business = shortTime(iso);
  if (!iso || !contactZone || contactZone === businessZone) return business;
  const contact = zonedLabel(Date.parse(iso), contactZone);
  // Another zone name on the same clock (Europe/Lisbon in winter, beside UTC) adds nothing.
  const clock = (label: string) => label.split(' ').slice(0, -1).join(' ');
  if (!contact || clock(contact) === clock(business)) return business;
  // The contact's wall clock; its date only when it is another day there.
  const words = contact.split(' ');
  const sameDay = words.slice(0, 4).join(' ') === business.split(' ').slice(0, 4).join(' ');
  return `${business} (contact: ${(sameDay ? words.slice(4) : [...words.slice(0, 3), ...words.slice(4)]).join(' ')})`;
}

/** Wall-clock parts of `ms` in `zone`. */
function partsIn(ms: number, zone: string): { y: number; mo: number; d: number; h: number; mi: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour') % 24, mi: get('minute') };
}

/** ISO → the value a datetime-local input shows, on the wall clock of `zone`. */
export function toZonedInput(iso: string, zone: string): string {
  const p = partsIn(Date.parse(iso), zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}`;
}

/**
 * A datetime-local value read on the wall clock of `zone` → epoch ms, or null when it is not a
 * date and time. Two passes find the offset in force at that wall time (DST included).
 */
export function fromZonedInput(value: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const offsetAt = (ms: number) => {
    const p = partsIn(ms, zone);
    return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi) - ms;
  };
  let guess = wall - offsetAt(wall);
  guess = wall - offsetAt(guess);
  return Number.isFinite(guess) ? guess : null;
}

/** States in which a follow-up timer is expected; without one the badge says so. */
const TIMED_STATES: ReadonlySet<string> = new Set(Object.keys(SCENARIO_OF_STATE));

/** The contact's state, and "nothing pending" when a timed state has no follow-up left. */
export function stateBadge(state: string, pending: number, testid?: string): HTMLElement {
  const idle = TIMED_STATES.has(state) && pending === 0;
  return h(
    'span',
    {
      className: `state-badge state-${state}${idle ? ' idle' : ''}`,
      testid: testid ?? null,
      'data-state': state,
      'data-pending': pending,
      title: STATE_LABELS[state] ?? state,
    },
    idle ? `${state} · nothing pending` : state,
  );
}

/** "in 1 h 30 min" / "5 min ago", relative to `now` (epoch ms). */
export function relative(iso: string | null | undefined, now: number): string {
  if (!iso) return '';
  const diff = Date.parse(iso) - now;
  const abs = Math.abs(diff);
  const minutes = Math.round(abs / 60_000);
  let text: string;
  if (minutes < 1) text = 'less than a minute';
  else if (minutes < 60) text = `${minutes} min`;
  else if (minutes < 48 * 60) text = `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  else text = `${Math.round(minutes / 1440)} days`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

export function contactName(c: {
  name: string | null;
  phone?: string | null;
  email?: string | null;
  id: string;
  visitorNumber?: number | null;
  place?: string | null;
}): string {
  if (c.name || c.phone || c.email) return (c.name || c.phone || c.email) as string;
  const visitor = c.visitorNumber ? `Visitor ${c.visitorNumber}` : 'Visitor';
  return c.place ? `${visitor} · ${c.place}` : visitor;
}

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

/** Known validation messages, reworded for the person at the console. */
const FIELD_MESSAGES: [RegExp, string][] = [
  [/must not be in the past/, 'Pick a time in the future.'],
  [/must be an ISO-8601 instant|Invalid ISO datetime/i, 'Pick a date and a time.'],
];

/**
 * An API failure in operator words: what happened and what to do, without codes or paths.
 * Validation messages are already written for people; the rest is mapped by status.
 */
export function operatorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return error instanceof TypeError
      ? 'Could not reach the Nudge server. Check your connection and try again.'
      : String((error as Error)?.message ?? error);
  }
  const detail = error.details[0]?.message ?? error.message.replace(/^[\w.]+: /, '');
  for (const [pattern, words] of FIELD_MESSAGES) if (pattern.test(detail) || pattern.test(error.message)) return words;
  switch (error.status) {
    case 400:
      return detail.charAt(0).toUpperCase() + detail.slice(1);
    case 401:
      return 'Your session ended. Log in again.';
    case 403:
      return 'Your operator account is not allowed to do this. Ask an admin.';
    case 404:
      return 'This no longer exists, or you no longer have access to it. Reload to see the current state.';
    case 409:
      return error.code === 'contact_stopped'
        ? 'This contact opted out: nothing can be sent until they opt back in.'
        : 'Not possible right now: the contact or follow-up changed meanwhile. Reload and try again.';
    case 413:
      return 'That is too large to upload.';
    case 429:
      return 'Too many requests at once. Wait a moment and try again.';
    case 503:
      return 'The server cannot save right now. Nothing was changed; try again in a minute.';
    default:
      return 'Something went wrong on the server. Nothing was changed; try again.';
  }
}
