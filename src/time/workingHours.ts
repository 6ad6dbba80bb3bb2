/**
 * Business working hours: when may a follow-up go out? A follow-up due outside the weekly
 * table is deferred to the next opening, read in the bot's zone. The table is validated
 * by the config schema (HH:MM, start < end, no overlaps, some open time in the week); the
 * functions here still refuse a table with no opening at all rather than loop.
 *
 * DST, per src/time/wallTime.ts: an opening at a wall time that does not exist starts at
 * the first instant after the gap; an opening or closing at a wall time that exists twice
 * uses the earlier occurrence (so an interval is never counted twice).
 */
import type { IANAZone } from 'luxon';
import {
  addDays,
  civilDateAt,
  ianaZone,
  isoWeekday,
  parseHHMM,
  wallTimeToInstant,
  type CivilDate,
} from './wallTime.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface TimeInterval {
  start: string; // "HH:MM"
  end: string; // "HH:MM", or "24:00" for end of day
}

/** null = always open; a missing or empty day = closed that day. */
export type WorkingHours = null | Partial<Record<Weekday, TimeInterval[]>>;

export interface AllowedSlot<R extends string> {
  at: number;
  deferred: boolean;
  reason?: R;
}

/** Days scanned before concluding the table has no opening (one week plus slack). */
const SCAN_DAYS = 15;

/**
 * The first instant ≥ dueAt inside an opening. `deferred` is false (and `at === dueAt`)
 * when dueAt is already inside one.
 */
export function nextAllowedInstant(dueAt: number, zone: string, hours: WorkingHours): AllowedSlot<'working_hours'> {
  if (hours === null || hours === undefined) return { at: dueAt, deferred: false };
  const at = firstOpenInstant(dueAt, ianaZone(zone), hours);
  if (at === null) throw new Error('working hours have no opening in the week; cannot schedule inside them');
  return at === dueAt ? { at, deferred: false } : { at, deferred: true, reason: 'working_hours' };
}

/** Whether `at` lies inside an opening (always true when hours is null). */
export function isOpenAt(at: number, zone: string, hours: WorkingHours): boolean {
  if (hours === null || hours === undefined) return true;
  return firstOpenInstant(at, ianaZone(zone), hours) === at;
}

/**
 * Core scan shared with quiet hours: walk calendar days from the day before dueAt's local
 * date (an interval ending at 24:00 the previous day can still matter around DST) and
 * return the first opening that has not closed yet.
 */
export function firstOpenInstant(
  dueAt: number,
  zone: IANAZone,
  hours: Partial<Record<Weekday, TimeInterval[]>>,
): number | null {
  const today = civilDateAt(dueAt, zone);
  for (let i = -1; i < SCAN_DAYS; i++) {
    const date = addDays(today, i);
    const intervals = hours[WEEKDAYS[isoWeekday(date) - 1]];
    if (!intervals || intervals.length === 0) continue;
    let best: number | null = null;
    for (const interval of intervals) {
      const span = intervalInstants(zone, date, interval);
      if (!span || dueAt >= span.close) continue;
      const at = Math.max(dueAt, span.open);
      if (best === null || at < best) best = at;
    }
    if (best !== null) return best;
  }
  return null;
}

/** The real-time span of one interval on one date, or null when it is empty (e.g. in a DST gap). */
function intervalInstants(
  zone: IANAZone,
  date: CivilDate,
  interval: TimeInterval,
): { open: number; close: number } | null {
  const start = parseHHMM(interval.start);
  const end = parseHHMM(interval.end, true);
  if (start === null || end === null)
    throw new Error(`invalid working-hours interval ${interval.start}–${interval.end}`);
  const open = wallTimeToInstant(zone, date, start);
  const close = wallTimeToInstant(zone, date, end);
  return close > open ? { open, close } : null;
}
