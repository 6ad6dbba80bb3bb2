/**
 * Wall-clock arithmetic in an IANA zone, with the two DST rules Nudge relies on stated
 * once, here:
 *  - a wall time that does not exist (spring-forward gap) maps to the first instant after
 *    the gap, i.e. the transition instant itself (02:30 on a 02:00→03:00 night → 03:00);
 *  - a wall time that exists twice (fall-back overlap) maps to its earlier occurrence.
 * Offsets come from luxon's IANAZone (backed by the platform's tz database).
 */
import { IANAZone, Info, type Zone } from 'luxon';
import { memoized } from '../memo.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** "HH:MM" for a time of day; "24:00" is accepted where `allow24` says so (end of day). */
export const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight of "HH:MM" (and "24:00" → 1440 when allowed), or null. */
export function parseHHMM(value: string, allow24 = false): number | null {
  if (allow24 && value === '24:00') return 1440;
  const m = HHMM.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/**
 * A luxon IANA zone that remembers the offsets it has computed. luxon derives each offset
 * from Intl's formatToParts (~3 µs), and the working-hours and quiet-hours arithmetic asks
 * for the same instants over and over (the same opening times of the same days, for every
 * follow-up a forecast or a send plans): it was the largest single cost of the console's
 * forecast. An offset is a pure function of the instant, so the memo cannot go stale. 512
 * offsets a zone (~37 KiB with luxon's zone object) keep the forecast's hit rate; all 418
 * zones Intl knows, each full, measured 15 MiB.
 */
class MemoizedIANAZone extends IANAZone {
  private readonly memoOffset = memoized((ts: number) => super.offset(ts), 512);

  override offset(ts: number): number {
    return this.memoOffset(ts);
  }
}

const zoneCache = new Map<string, IANAZone>();

/** The luxon zone for an IANA name; throws a clear error for an unknown one. */
export function ianaZone(name: string): IANAZone {
  let zone = zoneCache.get(name);
  if (!zone) {
    if (!IANAZone.isValidZone(name)) throw new Error(`unknown time zone "${name}"`);
    zone = new MemoizedIANAZone(name);
    zoneCache.set(name, zone);
  }
  return zone;
}

/**
 * The zone to hand luxon for a zone name: IANA names get the offset-memoizing zone above
 * (the rules classifier's time resolution asked for one or two offsets per `set`, `plus`
 * and `startOf`: 37 % of its time for a message with a time in it). Names luxon reads
 * otherwise ("UTC", fixed offsets) keep luxon's own zone; an unknown name stays a string,
 * so luxon reports it invalid exactly as it would the name. A pure function of the name,
 * so remembered (the last 1,000 names).
 */
export const luxonZone: (name: string) => Zone | string = memoized((name: string): Zone | string => {
  const normalized = Info.normalizeZone(name);
  if (!normalized?.isValid) return name;
  return normalized.type === 'iana' ? ianaZone(name) : normalized;
}, 1000);

export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

/** The calendar date an instant falls on in a zone. */
export function civilDateAt(at: number, zone: IANAZone): CivilDate {
  const shifted = new Date(at + zone.offset(at) * MINUTE);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** `date` moved by whole calendar days (month/year roll-over handled by Date.UTC). */
export function addDays(date: CivilDate, days: number): CivilDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CivilDate): number {
  const js = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return js === 0 ? 7 : js;
}

/**
 * The instant at which the wall clock in `zone` shows `minuteOfDay` on `date`
 * (minuteOfDay may be 1440: midnight at the end of the day), applying the gap and
 * overlap rules above.
 */
export function wallTimeToInstant(zone: IANAZone, date: CivilDate, minuteOfDay: number): number {
  // The wall time read as if it were UTC; subtracting the zone's offset gives the instant.
  const local = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * MINUTE;
  // Offsets in force a day either side cover any single transition near this wall time.
  const before = zone.offset(local - DAY);
  const after = zone.offset(local + DAY);
  const candidates: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const at = local - offset * MINUTE;
    if (zone.offset(at) === offset) candidates.push(at);
  }
  if (candidates.length > 0) return Math.min(...candidates); // overlap → earlier occurrence
  if (before === after) {
    // A transition came and went inside the ±1 day window (never in current tz data); fall
    // back to the offset in force at the naive instant.
    return local - zone.offset(local - before * MINUTE) * MINUTE;
  }
  // Gap: read with the old offset the wall time lands after the transition, with the new
  // one before it. Binary-search the transition instant between the two.
  let lo = local - after * MINUTE; // offset here is still `before`
  let hi = local - before * MINUTE; // offset here is already `after`
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Convenience for tests and callers holding an ISO-ish local time. */
export function localToInstant(zoneName: string, date: CivilDate, hhmm: string): number {
  const minutes = parseHHMM(hhmm, true);
  if (minutes === null) throw new Error(`invalid time of day "${hhmm}" (expected HH:MM)`);
  return wallTimeToInstant(ianaZone(zoneName), date, minutes);
}
