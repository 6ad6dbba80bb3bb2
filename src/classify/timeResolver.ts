/**
 * Turns time mentions into instants in the contact's zone, following the conventions
 * (conventions.ts). All calendar arithmetic happens in luxon on wall-clock fields, so DST
 * days come out right: "tomorrow at 10" across a spring-forward night is 10:00 local in the
 * new offset, while "in 10 hours" is elapsed time and lands on a different wall-clock hour.
 *
 * Also the public entry point for a phrase a model extracted: resolveTimePhrase().
 */
import { DateTime } from 'luxon';
import { luxonZone } from '../time/wallTime.ts';
import { DEFAULT_CONVENTIONS, PART_WINDOWS, type TimeConventions } from './conventions.ts';
import { glossToEnglish } from './gloss.ts';
import { countryOfZone, resolveHoliday, resolvePuente, resolveSeason } from './holidays.ts';
import { rankLanguages } from './language.ts';
import type { MappedText } from './mappedText.ts';
import { normalizeMessage } from './normalize.ts';
import {
  chronoLocaleMentions,
  extractMentions,
  mergeMentions,
  type Clock,
  type DayRef,
  type GrammarOptions,
  type Mention,
  type PartName,
} from './timeGrammar.ts';
import type { Language } from './types.ts';

export interface ResolvedTime {
  /** UTC epoch ms. */
  at: number;
  /** The phrase as the contact wrote it. */
  phrase: string;
  /** Zone the phrase was resolved in. */
  zone: string;
  /** e.g. "Tue 3:00 PM" (with the date when it is a week or more away). */
  wallClock: string;
}

export interface MentionResolution {
  at: number;
  /** The mention points at a time already gone (e.g. "this morning" said at 3 pm). */
  past: boolean;
  /** Zone actually used (an explicit "6 pm EST" overrides the contact's zone). */
  zone: string;
}

export class InvalidZoneError extends Error {
  constructor(zone: string) {
    super(`unknown IANA time zone: ${JSON.stringify(zone)}`);
    this.name = 'InvalidZoneError';
  }
}

const AM_PARTS = new Set<PartName>(['morning', 'earlyMorning', 'lateMorning']);
const PM_PARTS = new Set<PartName>([
  'afternoon',
  'earlyAfternoon',
  'lateAfternoon',
  'evening',
  'earlyEvening',
  'tonight',
  'night',
  'afterLunch',
  'afterWork',
  'afterSchool',
  'afterDinner',
  'endOfDay',
  'afterLateDinner',
  'afterLateLunch',
  'afterKidsBed',
]);

function partMinutes(part: PartName, c: TimeConventions): number {
  switch (part) {
    case 'morning':
      return c.morning;
    case 'earlyMorning':
      return c.earlyMorning;
    case 'lateMorning':
      return c.lateMorning;
    case 'noon':
      return c.noon;
    case 'afternoon':
      return c.afternoon;
    case 'earlyAfternoon':
      return c.earlyAfternoon;
    case 'lateAfternoon':
      return c.lateAfternoon;
    case 'evening':
      return c.evening;
    case 'earlyEvening':
      return c.earlyEvening;
    case 'tonight':
      return c.tonight;
    case 'night':
      return c.tonight;
    case 'afterLunch':
      return c.afterLunch;
    case 'beforeLunch':
      return c.beforeLunch;
    case 'endOfDay':
      return c.endOfDay;
    case 'afterWork':
      return c.afterWork;
    case 'afterSchool':
      return c.afterSchool;
    case 'afterDinner':
      return c.afterDinner;
    case 'afterLateDinner':
      return c.afterLateDinner;
    case 'afterKidsBed':
      return c.afterKidsBed;
    case 'afterLateLunch':
      return c.afterLateLunch;
    case 'lunchBreak':
      return c.lunchBreak;
    case 'midnight':
      return 24 * 60;
  }
}

/** Minutes after midnight for a clock, applying am/pm context and the bare-hour convention. */
export function clockMinutes(clock: Clock, part: PartName | undefined, c: TimeConventions): number {
  let h = clock.hour;
  if (clock.meridiem) {
    h = (h % 12) + (clock.meridiem === 'pm' ? 12 : 0);
  } else if (!clock.h24 && h <= 12) {
    if (part && AM_PARTS.has(part)) {
      if (h === 12) h = 12;
    } else if (part && PM_PARTS.has(part)) {
      if (h < 12) h += 12;
      else if (part === 'tonight' || part === 'night') h = 24;
    } else if (part === 'noon') {
      if (h < 12 && h <= c.bareHourPmTo) h += 12;
    } else if (h >= c.bareHourPmFrom && h <= c.bareHourPmTo) {
      h += 12;
    }
  }
  return h * 60 + clock.minute;
}

function windowMid(from: Clock, to: Clock, part: PartName | undefined, c: TimeConventions): number {
  const toM = clockMinutes(to, part, c);
  let fromM = clockMinutes(from, part, c);
  if (fromM > toM && !from.meridiem && !from.h24) {
    // "between 11 and 1": the first hour is the morning one.
    const alt = from.hour * 60 + from.minute;
    if (alt <= toM) fromM = alt;
  }
  if (fromM > toM) return fromM;
  return Math.round((fromM + toM) / 2);
}

function mondayOf(d: DateTime): DateTime {
  return d.minus({ days: d.weekday - 1 }).startOf('day');
}

function at(date: DateTime, minutes: number): DateTime {
  const dayShift = Math.floor(minutes / 1440);
  const m = minutes - dayShift * 1440;
  const d = dayShift ? date.plus({ days: dayShift }) : date;
  // luxon moves a wall time that does not exist (spring-forward gap) forward by the gap.
  return d.set({ hour: Math.floor(m / 60), minute: m % 60, second: 0, millisecond: 0 });
}

const zoneValidity = new Map<string, boolean>();

/** IANA zone check, cached: it runs on every classification. */
export function isValidZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  let ok = zoneValidity.get(zone);
  if (ok === undefined) {
    ok = DateTime.fromMillis(0, { zone }).isValid;
    if (zoneValidity.size > 1000) zoneValidity.clear();
    zoneValidity.set(zone, ok);
  }
  return ok;
}

/** Resolves one mention to an instant; null when it cannot be placed (e.g. 31 February). */
export function resolveMention(
  m: Mention,
  now: number,
  zone: string,
  c: TimeConventions = DEFAULT_CONVENTIONS,
): MentionResolution | null {
  const local = DateTime.fromMillis(now, { zone: luxonZone(zone) });
  if (!local.isValid) throw new InvalidZoneError(zone);
  if (m.past) return { at: now, past: true, zone };
  if (m.elapsedMs !== undefined) return { at: now + m.elapsedMs, past: false, zone };

  const today = local.startOf('day');
  const nowMin = local.hour * 60 + local.minute;
  const day: DayRef | undefined = m.day;
  const tod = m.tod;

  // ---- the date
  let date: DateTime = today;
  let implicitDay = false;
  let rollWeek = false;
  let rollMonth = false;
  let explicitToday = false;
  let keep = false;
  let defaultMinutes = c.dateOnly;
  let weekendCandidates: DateTime[] | null = null;

  switch (day?.kind) {
    case undefined:
      implicitDay = true;
      break;
    case 'offset':
      date = today.plus({ days: day.days });
      keep = Boolean(day.keepTime);
      explicitToday = day.days === 0;
      break;
    case 'weekday': {
      if (day.weeksAhead) {
        date = mondayOf(today).plus({ weeks: day.weeksAhead, days: day.weekday - 1 });
      } else if (day.next && c.nextWeekday === 'following-week') {
        date = mondayOf(today).plus({ weeks: 1, days: day.weekday - 1 });
      } else {
        let d = (day.weekday - local.weekday + 7) % 7;
        if (d === 0) {
          // "Friday" said on a Friday means next Friday (today would be "today");
          // "this Friday" is today while still ahead.
          if (day.this) rollWeek = true;
          else d = 7;
        }
        date = today.plus({ days: d });
      }
      if (day.plusWeeks) date = date.plus({ weeks: day.plusWeeks });
      break;
    }
    case 'week':
      date = mondayOf(today).plus({
        weeks: day.weeks,
        days: (day.end ? c.endOfWeekWeekday : (day.weekday ?? c.nextWeekWeekday)) - 1,
      });
      if (day.end) defaultMinutes = c.endOfDay;
      break;
    case 'endOfWeek': {
      const d = (c.endOfWeekWeekday - local.weekday + 7) % 7;
      date = today.plus({ days: d });
      rollWeek = d === 0;
      defaultMinutes = c.endOfDay;
      break;
    }
    case 'laterThisWeek':
      date = today.plus({ days: 2 });
      break;
    case 'weekend': {
      const sat = mondayOf(today).plus({ days: c.weekendWeekday - 1 + (day.next ? 7 : 0) });
      weekendCandidates = [sat, sat.plus({ days: 1 })];
      date = sat;
      break;
    }
    case 'month': {
      const base = today.startOf('month').plus({ months: day.months });
      if (day.day === 'last') {
        date = base.endOf('month').startOf('day');
        defaultMinutes = c.endOfDay;
      } else {
        const dd = day.day === 'default' ? c.nextMonthDay : day.day;
        date = base.set({ day: Math.min(dd, base.daysInMonth ?? 28) });
      }
      break;
    }
    case 'monthDay': {
      let base = today.startOf('month');
      if (day.day < local.day) base = base.plus({ months: 1 });
      // "on the 31st" in a 30-day month: the next month that has that day.
      for (let i = 0; i < 12 && (base.daysInMonth ?? 31) < day.day; i++) base = base.plus({ months: 1 });
      date = base.set({ day: day.day });
      rollMonth = date.hasSame(today, 'day');
      if (day.after) {
        // The date is today or ahead, so the day after it is always ahead.
        date = date.plus({ days: 1 });
        rollMonth = false;
      }
      break;
    }
    case 'monthName': {
      let base = today.set({ month: day.month }).startOf('month');
      const pick = (b: DateTime) => (day.day === 'last' ? b.endOf('month').startOf('day') : b.set({ day: day.day }));
      if (at(pick(base), day.day === 'last' ? c.endOfDay : c.dateOnly).toMillis() <= now)
        base = base.plus({ years: 1 });
      date = pick(base);
      if (day.day === 'last') defaultMinutes = c.endOfDay;
      break;
    }
    case 'nextQuarter':
      date = today.startOf('quarter').plus({ quarters: 1 });
      break;
    case 'date': {
      const year = day.year ?? local.year;
      let d = DateTime.fromObject({ year, month: day.month, day: day.day }, { zone: luxonZone(zone) });
      if (!d.isValid) return null;
      if (day.year === undefined && d < today) d = d.plus({ years: 1 });
      date = d;
      break;
    }
    case 'monthsOffset':
      date = today.plus({ months: day.months });
      keep = true;
      break;
    case 'holiday': {
      const found = resolveHoliday(day, local, c.dateOnly, zone);
      if (!found) return null;
      date = found;
      break;
    }
    case 'puente': {
      const found = resolvePuente(local, zone);
      if (!found) return null;
      date = found;
      break;
    }
    case 'season':
      date = resolveSeason(day.season, local, zone, day.mode);
      break;
  }

  // ---- the time of day
  let minutes: number;
  let window: readonly [number, number] | undefined;
  if (!tod) {
    if (keep) minutes = nowMin;
    else if (explicitToday) minutes = Math.max(c.dateOnly, nowMin + 60);
    else minutes = defaultMinutes;
  } else {
    switch (tod.kind) {
      case 'keep':
        minutes = nowMin;
        break;
      case 'laterToday': {
        let t = now + c.laterTodayMinutes * 60_000;
        const latest = at(today, c.laterTodayLatest).toMillis();
        if (t > latest && latest - now >= 60 * 60_000) t = latest;
        return { at: t, past: false, zone };
      }
      case 'part':
        minutes = partMinutes(tod.part, c);
        if (tod.mod === 'before') minutes -= c.beforeOffsetMinutes;
        window = PART_WINDOWS[tod.part];
        break;
      case 'clock':
        minutes = clockMinutes(tod.clock, tod.part, c);
        // "till 8" / "after 9" said at 11:00: the end of today's busy spell is 20:00, not 08:00
        // tomorrow; a bare 8–11 takes the evening reading when only that one is still ahead.
        if (
          implicitDay &&
          (tod.mod === 'until' || tod.mod === 'after') &&
          !tod.clock.meridiem &&
          !tod.clock.h24 &&
          !tod.part &&
          tod.clock.hour >= 8 &&
          tod.clock.hour <= 11 &&
          minutes <= nowMin &&
          minutes + 720 > nowMin
        ) {
          minutes += 720;
        }
        if (tod.mod === 'before') minutes -= c.beforeOffsetMinutes;
        break;
      case 'window':
        minutes = windowMid(tod.from, tod.to, tod.part, c);
        break;
    }
  }

  if (weekendCandidates) {
    for (const cand of weekendCandidates) {
      const t = at(cand, minutes).toMillis();
      if (t > now) return { at: t, past: false, zone };
    }
    return { at: at(weekendCandidates[0].plus({ weeks: 1 }), minutes).toMillis(), past: false, zone };
  }

  let result = at(date, minutes);
  let past = false;
  if (result.toMillis() <= now) {
    const inWindow = window !== undefined && nowMin >= window[0] && nowMin < window[1];
    if (implicitDay) {
      if (inWindow) return { at: now + c.vagueSoonMinutes * 60_000, past: false, zone };
      result = at(date.plus({ days: 1 }), minutes);
    } else if (rollWeek) {
      result = at(date.plus({ weeks: 1 }), minutes);
    } else if (rollMonth) {
      let base = date.startOf('month').plus({ months: 1 });
      for (let i = 0; i < 12 && (base.daysInMonth ?? 31) < date.day; i++) base = base.plus({ months: 1 });
      result = at(base.set({ day: date.day }), minutes);
    } else if (explicitToday && inWindow) {
      return { at: now + c.vagueSoonMinutes * 60_000, past: false, zone };
    } else {
      past = true;
    }
  }
  return { at: result.toMillis(), past, zone };
}

/** "Tue 3:00 PM", or "Tue Mar 17, 3:00 PM" when six days or more away (unambiguous echo). */
export function formatWallClock(atMs: number, zone: string, now?: number): string {
  const dt = DateTime.fromMillis(atMs, { zone: luxonZone(zone), locale: 'en-US' });
  const far = now !== undefined && atMs - now >= 6 * 24 * 3_600_000;
  return dt.toFormat(far ? 'ccc LLL d, h:mm a' : 'ccc h:mm a');
}

const ZONE_ABBR: Record<string, string> = {
  est: 'America/New_York',
  edt: 'America/New_York',
  et: 'America/New_York',
  eastern: 'America/New_York',
  cst: 'America/Chicago',
  cdt: 'America/Chicago',
  ct: 'America/Chicago',
  central: 'America/Chicago',
  mst: 'America/Denver',
  mdt: 'America/Denver',
  mt: 'America/Denver',
  mountain: 'America/Denver',
  pst: 'America/Los_Angeles',
  pdt: 'America/Los_Angeles',
  pt: 'America/Los_Angeles',
  pacific: 'America/Los_Angeles',
  // GMT is read as UTC: in summer London is on BST.
  gmt: 'UTC',
  bst: 'Europe/London',
  uk: 'Europe/London',
  london: 'Europe/London',
  utc: 'UTC',
  cet: 'Europe/Paris',
  cest: 'Europe/Paris',
  ist: 'Asia/Kolkata',
  aest: 'Australia/Sydney',
  aedt: 'Australia/Sydney',
  awst: 'Australia/Perth',
};

/**
 * An explicit zone written right after the time ("6 pm IST", "3pm eastern") overrides the
 * contact's zone, unless it is the contact's own zone under another name.
 */
const ZONE_WORD_RE = new RegExp(`^\\s*\\(?(${Object.keys(ZONE_ABBR).join('|')})\\b(?:\\s+time)?`);
/** A zone word right after a clock inside a mention ("10am pacific on monday", "noon ET friday"). */
const ZONE_INSIDE_RE = new RegExp(`(?:\\d|am|pm|noon|midnight)\\s*\\(?(${Object.keys(ZONE_ABBR).join('|')})\\b`);

/** The explicit zone of a mention spanning [start, end), else the contact's zone (see zoneAfter). */
export function zoneOfMention(text: string, start: number, end: number, contactZone: string, now: number): string {
  const inside = ZONE_INSIDE_RE.exec(text.slice(start, end));
  if (inside) return zoneAfter(text, start + inside.index + inside[0].length - inside[1].length, contactZone, now);
  return zoneAfter(text, end, contactZone, now);
}

export function zoneAfter(text: string, end: number, contactZone: string, now: number): string {
  const m = ZONE_WORD_RE.exec(text.slice(end));
  if (!m) return contactZone;
  let z = ZONE_ABBR[m[1]];
  if (m[1] === 'ist' && contactZone === 'Europe/Dublin') z = contactZone;
  // The contact's own zone under another name keeps its IANA name, judged over the next day
  // and a half: "9:30 pacific tomorrow" said in Phoenix before the fall-back shares only today's offset.
  const same = [0, 36 * 3_600_000].every(
    (dt) =>
      DateTime.fromMillis(now + dt, { zone: luxonZone(z) }).offset ===
      DateTime.fromMillis(now + dt, { zone: luxonZone(contactZone) }).offset,
  );
  return same ? contactZone : z;
}

export interface TimeAnalysis {
  language: Language;
  /** Normalised text (lower case, folded, slang expanded). */
  normalized: string;
  /** English gloss used by the time grammar. */
  gloss: MappedText;
  /** Mentions after merging, in text order. */
  mentions: Mention[];
}

/** Countries that write numeric dates month first (12/1 is 1 December). */
const MONTH_FIRST: ReadonlySet<string> = new Set(['US', 'CA', 'PH']);

/** Numeric dates: month first where the contact's country writes them so, day first elsewhere (Brazil, Mexico, Europe…). */
function dateOrderOf(zone: string): 'mdy' | 'dmy' {
  const country = countryOfZone(zone);
  if (country) return MONTH_FIRST.has(country) ? 'mdy' : 'dmy';
  return zone.startsWith('America/') || zone === 'US' || zone.startsWith('US/') ? 'mdy' : 'dmy';
}

export function grammarOptions(now: number, zone: string, c: TimeConventions = DEFAULT_CONVENTIONS): GrammarOptions {
  if (!isValidZone(zone)) throw new InvalidZoneError(zone);
  return {
    couple: c.couple,
    few: c.few,
    fewMinutes: c.fewMinutes,
    several: c.several,
    dateOrder: dateOrderOf(zone),
    // chrono ignores IANA names: pass the numeric offset at the reference instant.
    chronoRef: () => ({ instant: new Date(now), timezone: DateTime.fromMillis(now, { zone: luxonZone(zone) }).offset }),
  };
}

/** Normalise → language → English gloss → mentions. Shared by the rules classifier and the phrase resolver. */
export function analyzeText(
  text: string,
  now: number,
  zone: string,
  c: TimeConventions = DEFAULT_CONVENTIONS,
  languageHint?: Language,
): TimeAnalysis {
  const norm = normalizeMessage(text);
  // A short phrase ("am 10. März") says little about its language: a hint from the whole
  // message wins when the phrase itself looks English (the default).
  const ranked = rankLanguages(norm.text);
  const guessed = ranked[0] ?? 'en';
  let language = languageHint && guessed === 'en' ? languageHint : guessed;
  const options = grammarOptions(now, zone, c);
  let gloss = glossToEnglish(norm.mapped, language);
  let mentions = mergeMentions(gloss.text, extractMentions(gloss.text, options));
  // Short messages say little about their language ("morgenvroeg", "po majówce"): when the
  // best guess reads no time, the other languages whose words appear get their turn.
  for (const other of mentions.length ? [] : ranked) {
    if (other === language) continue;
    const g = glossToEnglish(norm.mapped, other);
    const found = mergeMentions(g.text, extractMentions(g.text, options));
    if (found.length) {
      language = other;
      gloss = g;
      mentions = found;
      break;
    }
  }
  if (
    mentions.length === 0 &&
    (language === 'es' || language === 'fr' || language === 'pt' || language === 'de') &&
    /\d/.test(text)
  ) {
    mentions = chronoLocaleMentions(text, language, options, gloss.text.length);
  }
  return { language, normalized: norm.text, gloss, mentions };
}

/** How specific a mention is, to pick the best one in a phrase. */
export function specificity(m: Mention): number {
  let s = 0;
  if (m.day) s += 2;
  // A calendar date is more precise than a holiday or a weekday in the same message.
  if (m.day?.kind === 'date' || m.day?.kind === 'monthDay' || m.day?.kind === 'monthName') s += 1;
  if (m.tod?.kind === 'clock' || m.tod?.kind === 'window') s += 3;
  else if (m.tod) s += 1;
  if (m.elapsedMs !== undefined) s += 4;
  return s;
}

/** Words right before a mention that make it the proposed time rather than a described one. */
const PROPOSAL_LEAD = /\b(?:so|maybe|instead|rather|how about|what about|prefer|better|try)\s+(?:on\s+)?$/;
/** A contact verb right before a mention ("call me around 3:30"). */
const CONTACT_LEAD =
  /\b(?:call|text|ring|message|ping|reach|contact|email|talk|chat)(?: me| us)?(?: back)?\s+(?:again\s+)?(?:on\s+|at\s+)?$/;

/**
 * Resolves a time phrase (typically extracted by a model) to an instant in `zone`.
 * Returns null when the phrase holds no future time. Throws InvalidZoneError on a bad zone.
 */
export function resolveTimePhrase(
  phrase: string,
  now: number,
  zone: string,
  options: { conventions?: Partial<TimeConventions>; language?: Language } = {},
): ResolvedTime | null {
  const c = { ...DEFAULT_CONVENTIONS, ...options.conventions };
  if (!isValidZone(zone)) throw new InvalidZoneError(zone);
  if (typeof phrase !== 'string' || !phrase.trim()) return null;
  return pickFutureTime(analyzeText(phrase, now, zone, c, options.language), now, zone, c);
}

/**
 * The most specific future time of an analysed text (resolveTimePhrase after its analysis), or
 * null. `zone` must be valid and `c` complete, as analyzeText was given.
 */
export function pickFutureTime(a: TimeAnalysis, now: number, zone: string, c: TimeConventions): ResolvedTime | null {
  let best: { m: Mention; r: MentionResolution; score: number } | null = null;
  for (const m of a.mentions) {
    if (m.past || m.negated) continue;
    const z = zoneOfMention(a.gloss.text, m.start, m.end, zone, now);
    const r = resolveMention(m, now, z, c);
    if (!r || r.past || r.at <= now - 60_000) continue;
    // "having surgery tuesday so maybe thursday?", "presenting at 2, call me around 3:30",
    // "4pm your time is fine, 8pm mine": the proposed time follows a preference or contact word.
    const lead = a.gloss.text.slice(Math.max(0, m.start - 24), m.start);
    const tail = a.gloss.text.slice(m.end, m.end + 12);
    const score =
      specificity(m) +
      (PROPOSAL_LEAD.test(lead) ? 1 : 0) +
      (CONTACT_LEAD.test(lead) ? 2 : 0) +
      (/^\s*(?:mine|my time)\b/.test(tail) ? 3 : 0) -
      (/^\s*your time\b/.test(tail) ? 3 : 0);
    if (!best || score > best.score) best = { m, r, score };
  }
  if (!best) return null;
  return {
    at: best.r.at,
    phrase: best.m.originalPhrase ?? a.gloss.originalSlice(best.m.start, best.m.end).trim(),
    zone: best.r.zone,
    wallClock: formatWallClock(best.r.at, best.r.zone, now),
  };
}
