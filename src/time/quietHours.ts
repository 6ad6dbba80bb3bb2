/**
 * Contact-local SMS quiet hours (default 21:00–08:00 in the contact's zone): an SMS due
 * inside them waits until they end. The window may wrap midnight (21:00–08:00) or not
 * (13:00–14:00); start is quiet, end is not. Business working hours can never override it:
 * `combineDeferrals` applies both until both hold.
 */
import { IANAZone } from 'luxon';
import { guessZoneFromPhone } from './phoneZone.ts';
import { ianaZone, parseHHMM } from './wallTime.ts';
import {
  firstOpenInstant,
  nextAllowedInstant,
  WEEKDAYS,
  type AllowedSlot,
  type TimeInterval,
  type Weekday,
  type WorkingHours,
} from './workingHours.ts';

export interface QuietHours {
  start: string; // "HH:MM", first quiet minute
  end: string; // "HH:MM", first minute SMS may go out again
}

export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

/** The first instant ≥ dueAt outside the quiet window, read in `zone`. */
export function nextOutsideQuietHours(
  dueAt: number,
  zone: string,
  quiet: QuietHours = DEFAULT_QUIET_HOURS,
): AllowedSlot<'quiet_hours'> {
  const at = firstOpenInstant(dueAt, ianaZone(zone), allowedTable(quiet));
  if (at === null) throw new Error(`quiet hours ${quiet.start}–${quiet.end} leave no time to send`);
  return at === dueAt ? { at, deferred: false } : { at, deferred: true, reason: 'quiet_hours' };
}

export function isQuietAt(at: number, zone: string, quiet: QuietHours = DEFAULT_QUIET_HOURS): boolean {
  return nextOutsideQuietHours(at, zone, quiet).deferred;
}

/** The complement of the quiet window as a weekly table, so the DST-aware scan is shared. */
function allowedTable(quiet: QuietHours): Partial<Record<Weekday, TimeInterval[]>> {
  const start = parseHHMM(quiet.start);
  const end = parseHHMM(quiet.end);
  if (start === null || end === null)
    throw new Error(`invalid quiet hours ${quiet.start}–${quiet.end} (expected HH:MM)`);
  if (start === end) throw new Error('quiet hours must not be empty (start equals end)');
  const intervals: TimeInterval[] =
    start > end
      ? [{ start: quiet.end, end: quiet.start }] // wraps midnight: allowed between end and start
      : [...(start > 0 ? [{ start: '00:00', end: quiet.start }] : []), { start: quiet.end, end: '24:00' }];
  return Object.fromEntries(WEEKDAYS.map((d) => [d, intervals]));
}

export type ZoneSource = 'contact' | 'phone' | 'bot';

/**
 * Which zone to read a contact's quiet hours in: the contact's own zone when known and
 * valid, else a guess from the phone number's country (and area code where a country
 * spans zones, see phoneZone.ts), else the bot's zone.
 */
export function contactZone(input: { contactTimezone?: string | null; phone?: string | null; botTimezone: string }): {
  zone: string;
  source: ZoneSource;
} {
  if (input.contactTimezone && IANAZone.isValidZone(input.contactTimezone))
    return { zone: input.contactTimezone, source: 'contact' };
  if (input.phone) {
    const guess = guessZoneFromPhone(input.phone);
    if (guess) return { zone: guess, source: 'phone' };
  }
  return { zone: input.botTimezone, source: 'bot' };
}

export type DeferralReason = 'working_hours' | 'quiet_hours';

export type DeferralStep =
  | { kind: 'working_hours'; zone: string; hours: WorkingHours }
  | { kind: 'quiet_hours'; zone: string; quiet?: QuietHours };

export type CombinedDeferral =
  | { at: number; deferred: boolean; reasons: DeferralReason[] }
  | { at: null; deferred: true; reason: 'no_allowed_slot'; reasons: DeferralReason[] };

/** How far ahead combined constraints are searched before giving up. */
export const MAX_DEFERRAL_MS = 14 * 86_400_000;
const MAX_ROUNDS = 1_000;

/**
 * Apply every constraint (business working hours, contact quiet hours, …) repeatedly
 * until one instant satisfies all of them. Each constraint only moves time forward, so
 * this reaches the earliest common instant; if none exists within 14 days of dueAt
 * (e.g. business open only while the contact's quiet hours run) the answer is
 * `{ at: null, reason: 'no_allowed_slot' }`, never a silent send inside a forbidden window.
 */
export function combineDeferrals(dueAt: number, steps: readonly DeferralStep[]): CombinedDeferral {
  const reasons: DeferralReason[] = [];
  let at = dueAt;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let moved = false;
    for (const step of steps) {
      const slot =
        step.kind === 'working_hours'
          ? nextAllowedInstant(at, step.zone, step.hours)
          : nextOutsideQuietHours(at, step.zone, step.quiet);
      if (slot.deferred) {
        at = slot.at;
        moved = true;
        if (!reasons.includes(step.kind)) reasons.push(step.kind);
      }
      if (at - dueAt > MAX_DEFERRAL_MS) return { at: null, deferred: true, reason: 'no_allowed_slot', reasons };
    }
    if (!moved) return { at, deferred: at !== dueAt, reasons };
  }
  return { at: null, deferred: true, reason: 'no_allowed_slot', reasons };
}
