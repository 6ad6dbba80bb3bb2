/**
 * Resolves the explicit time spec of a corpus line to its `followup_at`, in the contact's zone,
 * by the labelling conventions of the shared data README. The spec is written by the person who
 * labels the line (what the message means); this module only does the calendar arithmetic, so
 * no follow-up time in the corpus comes from mental arithmetic.
 *
 * The spec grammar is documented on `resolveSpec`.
 */
import { DateTime } from 'luxon';

export type Country = 'US' | 'CA' | 'UK' | 'IE' | 'AU' | 'NZ' | 'IN' | 'SG' | 'ZA' | 'PH' | 'OTHER';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

/** The country whose holidays and hemisphere apply to a zone (the corpus's zones only). */
export function countryOf(zone: string): Country {
  if (
    /^(America\/(New_York|Chicago|Denver|Los_Angeles|Phoenix|Anchorage|Detroit|Boise|Indiana|Puerto_Rico)|Pacific\/Honolulu)/.test(
      zone,
    )
  )
    return 'US';
  if (/^America\/(Toronto|Vancouver|Edmonton|Winnipeg|Halifax|St_Johns|Regina)/.test(zone)) return 'CA';
  if (zone === 'Europe/London') return 'UK';
  if (zone === 'Europe/Dublin') return 'IE';
  if (zone.startsWith('Australia/')) return 'AU';
  if (zone === 'Pacific/Auckland') return 'NZ';
  if (zone === 'Asia/Kolkata') return 'IN';
  if (zone === 'Asia/Singapore') return 'SG';
  if (zone === 'Africa/Johannesburg') return 'ZA';
  if (zone === 'Asia/Manila') return 'PH';
  return 'OTHER';
}

function southern(country: Country): boolean {
  return country === 'AU' || country === 'NZ' || country === 'ZA';
}

function easterSunday(year: number): { month: number; day: number } {
  // Anonymous Gregorian computus.
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

/** The nth (1-based; -1 = last) given weekday (1 = Monday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, nth: number, zone: string): DateTime {
  if (nth > 0) {
    const first = DateTime.fromObject({ year, month, day: 1 }, { zone });
    return first.plus({ days: ((weekday - first.weekday + 7) % 7) + 7 * (nth - 1) });
  }
  const last = DateTime.fromObject({ year, month, day: 1 }, { zone }).endOf('month').startOf('day');
  return last.minus({ days: (last.weekday - weekday + 7) % 7 });
}

/** Fixed-date holidays moved to Monday (and Tuesday for a pair) when they fall on a weekend. */
function observedDays(date: DateTime, pair: boolean): DateTime[] {
  const out = [date];
  if (date.weekday === 6) out.push(date.plus({ days: 2 }));
  if (date.weekday === 7) out.push(date.plus({ days: pair ? 2 : 1 }));
  return out;
}

/** Dates that are not working days besides weekends: enough of each country's calendar to step past a holiday. */
function publicHolidays(year: number, country: Country, zone: string): DateTime[] {
  const on = (month: number, day: number) => DateTime.fromObject({ year, month, day }, { zone });
  const easter = easterSunday(year);
  const easterDay = on(easter.month, easter.day);
  const days: DateTime[] = [on(1, 1), on(12, 25)];
  const commonwealth = ['UK', 'IE', 'AU', 'NZ', 'CA', 'ZA'].includes(country);
  if (commonwealth) {
    days.push(...observedDays(on(12, 25), true), ...observedDays(on(12, 26), true), on(12, 26));
    days.push(easterDay.minus({ days: 2 }));
    if (country !== 'CA') days.push(easterDay.plus({ days: 1 }));
  }
  if (country === 'US') {
    days.push(...observedDays(on(1, 1), false), ...observedDays(on(12, 25), false));
    const july4 = on(7, 4);
    days.push(july4.weekday === 6 ? july4.minus({ days: 1 }) : july4.weekday === 7 ? july4.plus({ days: 1 }) : july4);
    days.push(nthWeekday(year, 9, 1, 1, zone), nthWeekday(year, 5, 1, -1, zone), nthWeekday(year, 11, 4, 4, zone));
  }
  if (country === 'CA') days.push(on(7, 1), nthWeekday(year, 9, 1, 1, zone), nthWeekday(year, 10, 1, 2, zone));
  if (country === 'UK') days.push(nthWeekday(year, 8, 1, -1, zone), nthWeekday(year, 5, 1, -1, zone));
  if (country === 'AU') days.push(on(1, 26), on(4, 25));
  return days;
}

function isWorkingDay(date: DateTime, country: Country): boolean {
  if (date.weekday >= 6) return false;
  return !publicHolidays(date.year, country, date.zoneName ?? 'UTC').some((day) => day.hasSame(date, 'day'));
}

function firstWorkingDayAfter(date: DateTime, country: Country): DateTime {
  let day = date.plus({ days: 1 });
  while (!isWorkingDay(day, country)) day = day.plus({ days: 1 });
  return day;
}

/** Each holiday's date in a year; `after:` steps to the first working day after it unless noted. */
const HOLIDAYS: Record<string, (year: number, zone: string) => DateTime> = {
  labor: (y, z) => nthWeekday(y, 9, 1, 1, z),
  memorial: (y, z) => nthWeekday(y, 5, 1, -1, z),
  thanksgiving: (y, z) => nthWeekday(y, 11, 4, 4, z),
  'thanksgiving-ca': (y, z) => nthWeekday(y, 10, 1, 2, z),
  victoria: (y, z) => {
    const may25 = DateTime.fromObject({ year: y, month: 5, day: 24 }, { zone: z });
    return may25.minus({ days: (may25.weekday - 1 + 7) % 7 });
  },
  'canada-day': (y, z) => DateTime.fromObject({ year: y, month: 7, day: 1 }, { zone: z }),
  july4: (y, z) => DateTime.fromObject({ year: y, month: 7, day: 4 }, { zone: z }),
  'aug-bank': (y, z) => nthWeekday(y, 8, 1, -1, z),
  christmas: (y, z) => DateTime.fromObject({ year: y, month: 12, day: 25 }, { zone: z }),
  'christmas-eve': (y, z) => DateTime.fromObject({ year: y, month: 12, day: 24 }, { zone: z }),
  boxing: (y, z) => DateTime.fromObject({ year: y, month: 12, day: 26 }, { zone: z }),
  nye: (y, z) => DateTime.fromObject({ year: y, month: 12, day: 31 }, { zone: z }),
  newyear: (y, z) => DateTime.fromObject({ year: y, month: 1, day: 1 }, { zone: z }),
  easter: (y, z) => {
    const e = easterSunday(y);
    return DateTime.fromObject({ year: y, month: e.month, day: e.day }, { zone: z });
  },
  halloween: (y, z) => DateTime.fromObject({ year: y, month: 10, day: 31 }, { zone: z }),
  valentines: (y, z) => DateTime.fromObject({ year: y, month: 2, day: 14 }, { zone: z }),
  'australia-day': (y, z) => DateTime.fromObject({ year: y, month: 1, day: 26 }, { zone: z }),
  anzac: (y, z) => DateTime.fromObject({ year: y, month: 4, day: 25 }, { zone: z }),
  'st-patricks': (y, z) => DateTime.fromObject({ year: y, month: 3, day: 17 }, { zone: z }),
  /** Bhai Dooj, two days after Diwali (lunar: a table). */
  diwali: (y, z) => DateTime.fromISO({ 2025: '2025-10-23', 2026: '2026-11-11' }[y] ?? `${y}-11-01`, { zone: z }),
  /** Eid al-Fitr, expected (lunar: a table). */
  eid: (y, z) => DateTime.fromISO({ 2025: '2025-03-31', 2026: '2026-03-20' }[y] ?? `${y}-03-01`, { zone: z }),
};

/** The next occurrence of a holiday on or after the cursor's date. */
function nextHoliday(name: string, cursor: DateTime): DateTime {
  const of = HOLIDAYS[name];
  if (!of) throw new Error(`unknown holiday ${name}`);
  const zone = cursor.zoneName ?? 'UTC';
  const today = cursor.startOf('day');
  const thisYear = of(cursor.year, zone);
  return thisYear >= today ? thisYear : of(cursor.year + 1, zone);
}

/** The first working day after a holiday, by the README's conventions for the ones it names. */
function afterHoliday(name: string, cursor: DateTime, country: Country): DateTime {
  const zone = cursor.zoneName ?? 'UTC';
  if (name === 'thanksgiving') return nextHoliday(name, cursor).plus({ days: 4 });
  if (name === 'newyear' || name === 'holidays') {
    // "After the holidays / New Year": the first Monday after the coming 1 January.
    const year = cursor.month === 1 && cursor.day === 1 ? cursor.year : cursor.year + 1;
    const jan1 = DateTime.fromObject({ year, month: 1, day: 1 }, { zone });
    return jan1.plus({ days: (1 - jan1.weekday + 7) % 7 || 7 });
  }
  if (name === 'christmas') return firstWorkingDayAfter(nextHoliday('boxing', cursor), country);
  if (name === 'easter') {
    const easterTuesday = ['UK', 'IE', 'AU', 'NZ', 'ZA'].includes(country);
    return nextHoliday('easter', cursor).plus({ days: easterTuesday ? 2 : 1 });
  }
  return firstWorkingDayAfter(nextHoliday(name, cursor), country);
}

const SEASON_MONTH: Record<string, number> = { spring: 3, summer: 6, fall: 9, autumn: 9, winter: 12 };

export interface Resolved {
  at: DateTime;
  tolerance: number | undefined;
}

/**
 * A spec is a list of tokens applied left to right to a cursor that starts at `now` in the
 * record's zone:
 *   +3d +2w +1mo     wall-clock arithmetic (keeps the local time; months clamp the day)
 *   +90min +2h -60min elapsed arithmetic (moves across a DST change)
 *   @15:00           set the local time (seconds 0); @14:30/America/New_York sets it in that zone
 *   tom              +1d
 *   wd:mon           the first Monday after today; this:mon the Monday of this Monday-start week;
 *                    next:mon the Monday of next week
 *   nextweek         Monday of next week (said on a Sunday: tomorrow); w2 the Monday after that
 *   wkd / nwkd       Saturday of this / next week; awkd Monday after the weekend (= nextweek)
 *   eow / eonw       Friday of this / next week; eom the last day of this month
 *   dom:2            the next date whose day of month is 2 (after today)
 *   date:2026-12-24  that date
 *   nextmonth        the 1st of next month; month:mar the next 1st of March; mid:may the next 15 May
 *   season:fall      the first day of the next such meteorological season in the contact's hemisphere
 *   after:<holiday>  the first working day after a holiday (see HOLIDAYS), in the contact's country
 *   day:<holiday>    the holiday itself
 *
 * Applies a spec to `now` (already in the record's zone).
 */
export function resolveSpec(spec: string, now: DateTime): Resolved {
  const zone = now.zoneName ?? 'UTC';
  const country = countryOf(zone);
  let cursor = now;
  let tolerance: number | undefined;
  const weekStart = () =>
    cursor
      .startOf('day')
      .minus({ days: cursor.weekday - 1 })
      .set({ hour: cursor.hour, minute: cursor.minute, second: cursor.second });
  const keepTime = (date: DateTime) =>
    date.set({ hour: cursor.hour, minute: cursor.minute, second: cursor.second, millisecond: 0 });

  for (const token of spec.trim().split(/\s+/).filter(Boolean)) {
    let m: RegExpMatchArray | null;
    if ((m = token.match(/^~(\d+)$/))) tolerance = Number(m[1]);
    else if ((m = token.match(/^([+-])(\d+(?:\.\d+)?)(d|w|mo|h|min)$/))) {
      const amount = Number(m[2]) * (m[1] === '-' ? -1 : 1);
      const unit = m[3];
      if (unit === 'd') cursor = cursor.plus({ days: amount });
      else if (unit === 'w') cursor = cursor.plus({ weeks: amount });
      else if (unit === 'mo') cursor = cursor.plus({ months: amount });
      else if (unit === 'h') cursor = DateTime.fromMillis(cursor.toMillis() + amount * 3_600_000, { zone });
      else cursor = DateTime.fromMillis(cursor.toMillis() + amount * 60_000, { zone });
    } else if ((m = token.match(/^@(\d{1,2}):(\d{2})(?:\/(.+))?$/))) {
      const [hour, minute] = [Number(m[1]), Number(m[2])];
      if (m[3]) {
        const there = DateTime.fromObject(
          { year: cursor.year, month: cursor.month, day: cursor.day, hour, minute },
          { zone: m[3] },
        );
        if (!there.isValid) throw new Error(`invalid zone in ${token}`);
        cursor = there.setZone(zone);
      } else {
        cursor = cursor.set({ hour, minute, second: 0, millisecond: 0 });
        if (cursor.hour !== hour) throw new Error(`${token} falls in a DST gap on ${cursor.toISODate()}`);
      }
    } else if (token === 'tom') cursor = cursor.plus({ days: 1 });
    else if ((m = token.match(/^(wd|this|next):(mon|tue|wed|thu|fri|sat|sun)$/))) {
      const weekday = WEEKDAYS.indexOf(m[2] as (typeof WEEKDAYS)[number]) + 1;
      if (m[1] === 'wd') cursor = cursor.plus({ days: (weekday - cursor.weekday + 7) % 7 || 7 });
      else cursor = weekStart().plus({ days: weekday - 1 + (m[1] === 'next' ? 7 : 0) });
    } else if (token === 'nextweek' || token === 'awkd') cursor = weekStart().plus({ days: 7 });
    else if (token === 'w2') cursor = weekStart().plus({ days: 14 });
    else if (token === 'wkd') cursor = weekStart().plus({ days: 5 });
    else if (token === 'nwkd') cursor = weekStart().plus({ days: 12 });
    else if (token === 'eow') cursor = weekStart().plus({ days: 4 });
    else if (token === 'eonw') cursor = weekStart().plus({ days: 11 });
    else if (token === 'eom') cursor = keepTime(cursor.endOf('month'));
    else if ((m = token.match(/^dom:(\d{1,2})$/))) {
      const day = Number(m[1]);
      let candidate = cursor.plus({ days: 1 });
      while (candidate.day !== day) candidate = candidate.plus({ days: 1 });
      cursor = candidate;
    } else if ((m = token.match(/^date:(\d{4}-\d{2}-\d{2})$/))) {
      const date = DateTime.fromISO(m[1], { zone });
      cursor = cursor.set({ year: date.year, month: date.month, day: date.day });
    } else if (token === 'nextmonth') cursor = keepTime(cursor.startOf('month').plus({ months: 1 }));
    else if ((m = token.match(/^(month|mid):([a-z]{3})$/))) {
      const month = MONTHS.indexOf(m[2] as (typeof MONTHS)[number]) + 1;
      const year = month > cursor.month ? cursor.year : cursor.year + 1;
      cursor = cursor.set({ year, month, day: m[1] === 'mid' ? 15 : 1 });
    } else if ((m = token.match(/^season:([a-z]+)$/))) {
      let month = SEASON_MONTH[m[1]];
      if (!month) throw new Error(`unknown season ${m[1]}`);
      if (southern(country)) month = ((month + 5) % 12) + 1;
      const year = month > cursor.month ? cursor.year : cursor.year + 1;
      cursor = cursor.set({ year, month, day: 1 });
    } else if ((m = token.match(/^after:([a-z0-9-]+)$/))) cursor = keepTime(afterHoliday(m[1], cursor, country));
    else if ((m = token.match(/^day:([a-z0-9-]+)$/))) cursor = keepTime(nextHoliday(m[1], cursor));
    else throw new Error(`unknown spec token ${token}`);
  }
  return { at: cursor, tolerance };
}
