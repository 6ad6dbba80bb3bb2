/**
 * Finds time mentions in (glossed, normalised) English text: clock times, parts of the day,
 * day words, weekdays, relative weeks/months, durations, holidays and past references, as
 * structured mentions; turning them into instants is timeResolver.ts's job. chrono-node reads
 * calendar dates ("march 10", "3/15"); the rest is here because chrono misses or mis-reads it
 * ("next week", "end of day", "after 5", bare hours, durations across DST, negations).
 */
import * as chrono from 'chrono-node';
import { HOLIDAY_NAMES, HOLIDAYS, type HolidayQuery, type Season } from './holidays.ts';

export type Mod = 'at' | 'after' | 'around' | 'before' | 'until';

export interface Clock {
  hour: number;
  minute: number;
  meridiem?: 'am' | 'pm';
  /** Written in 24-hour style (13–23, 0, or a leading zero "07:30"): never reinterpreted. */
  h24?: boolean;
}

export type PartName =
  | 'morning'
  | 'earlyMorning'
  | 'lateMorning'
  | 'noon'
  | 'afternoon'
  | 'earlyAfternoon'
  | 'lateAfternoon'
  | 'evening'
  | 'earlyEvening'
  | 'tonight'
  | 'night'
  | 'afterLunch'
  | 'beforeLunch'
  | 'endOfDay'
  | 'afterWork'
  | 'afterSchool'
  | 'afterDinner'
  | 'afterKidsBed'
  | 'afterLateDinner'
  | 'afterLateLunch'
  | 'lunchBreak'
  | 'midnight';

export type TimeOfDay =
  | { kind: 'clock'; clock: Clock; mod: Mod; part?: PartName }
  | { kind: 'window'; from: Clock; to: Clock; part?: PartName }
  | { kind: 'part'; part: PartName; mod: Mod }
  | { kind: 'keep' }
  | { kind: 'laterToday' };

export type DayRef =
  | { kind: 'offset'; days: number; keepTime?: boolean }
  /** `plusWeeks`: weeks after the coming one ("a week from Monday", "Monday week", "two weeks from Friday"). */
  | { kind: 'weekday'; weekday: number; next?: boolean; this?: boolean; weeksAhead?: number; plusWeeks?: number }
  /** `end`: the end of that week ("end of next week" → its Friday, end of day). */
  | { kind: 'week'; weeks: number; weekday?: number; end?: boolean }
  | { kind: 'endOfWeek' }
  | { kind: 'laterThisWeek' }
  | { kind: 'weekend'; next: boolean }
  | { kind: 'month'; months: number; day: number | 'last' | 'default' }
  /** `after`: the day after it ("after the 20th", "away until the 6th"). */
  | { kind: 'monthDay'; day: number; after?: boolean }
  /** A month by name or a quarter's first month: its `day` (1, 15 or the last), this year or next. */
  | { kind: 'monthName'; month: number; day: number | 'last' }
  | { kind: 'nextQuarter' }
  | { kind: 'date'; month: number; day: number; year?: number }
  | { kind: 'monthsOffset'; months: number }
  /** A holiday of the table in holidays.ts, the day after it or the day itself. */
  | ({ kind: 'holiday' } & HolidayQuery)
  /** "after the puente": the first working day after the next public holiday. */
  | { kind: 'puente' }
  | { kind: 'season'; season: Season; mode: 'in' | 'after' | 'next' };

export interface Mention {
  start: number;
  end: number;
  day?: DayRef;
  tod?: TimeOfDay;
  /** Elapsed time from now (minutes/hours durations: they move across DST changes). */
  elapsedMs?: number;
  /** A reference to the past ("yesterday", "last week", "2 days ago"). */
  past?: boolean;
  /** Preceded by a negation ("not tomorrow", "can't do friday"). */
  negated?: boolean;
  /** A day given as the end of a busy spell ("flat out until Friday"). */
  until?: boolean;
  /** Which matcher produced it (debugging and scoring). */
  source: string;
  /** Set when the span is not in the glossed text (chrono locale fallback): the phrase as written. */
  originalPhrase?: string;
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const WEEKDAY_RE = WEEKDAYS.join('|');
const weekdayNumber = (w: string) => WEEKDAYS.indexOf(w) + 1;

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_ABBR: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH_WORD_RE = new RegExp(`\\b(?:${MONTHS.join('|')}|${Object.keys(MONTH_ABBR).join('|')})\\b`);

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  'forty-five': 45,
  'forty five': 45,
  fifty: 50,
  sixty: 60,
  ninety: 90,
};

export interface GrammarOptions {
  couple: number;
  few: number;
  fewMinutes: number;
  several: number;
  /** Numeric dates like 3/4: 'mdy' (US) or 'dmy'. */
  dateOrder: 'mdy' | 'dmy';
  /**
   * chrono reference so dates resolve forward from the contact's today. A function: most
   * messages never reach chrono, so the zone offset is only computed when needed.
   */
  chronoRef: () => { instant: Date; timezone: number };
}

interface Ctx {
  text: string;
  taken: Uint8Array;
  out: Mention[];
}

function overlaps(ctx: Ctx, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (ctx.taken[i]) return true;
  return false;
}

function take(ctx: Ctx, m: Mention) {
  for (let i = m.start; i < m.end; i++) ctx.taken[i] = 1;
  ctx.out.push(m);
}

function scan(ctx: Ctx, re: RegExp, build: (m: RegExpExecArray) => Omit<Mention, 'start' | 'end'> | null) {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(ctx.text))) {
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) {
      re.lastIndex++;
      continue;
    }
    if (overlaps(ctx, start, end)) continue;
    const built = build(m);
    if (!built) continue;
    take(ctx, { start, end, ...built });
  }
}

function qty(word: string | undefined, unit: string, o: GrammarOptions): number | null {
  if (!word) return null;
  const w = word.trim();
  if (/^\d+(?:\.\d+)?$/.test(w)) return Number(w);
  if (/couple/.test(w)) return o.couple;
  if (/few/.test(w)) return /^min/.test(unit) ? o.fewMinutes : o.few;
  if (/several/.test(w)) return o.several;
  if (/^half/.test(w) || w === 'a half') return 0.5;
  return NUMBER_WORDS[w] ?? null;
}

const QTY =
  '(\\d+(?:\\.\\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty[- ]five|forty|fifty|sixty|ninety|a couple(?: of)?|couple(?: of)?|a few|few|several|half an?)';
const UNIT = '(minutes?|hours?|days?|weeks?|fortnights?|months?)';

function durationMention(n: number, unit: string, extraMinutes = 0): Omit<Mention, 'start' | 'end'> | null {
  if (!(n > 0)) return null;
  if (unit.startsWith('minute')) return { elapsedMs: Math.round((n + extraMinutes) * 60_000), source: 'duration' };
  if (unit.startsWith('hour'))
    return { elapsedMs: Math.round(n * 3_600_000 + extraMinutes * 60_000), source: 'duration' };
  if (unit.startsWith('day'))
    return { day: { kind: 'offset', days: Math.round(n), keepTime: true }, source: 'duration' };
  if (unit.startsWith('fortnight'))
    return { day: { kind: 'offset', days: Math.round(n * 14), keepTime: true }, source: 'duration' };
  if (unit.startsWith('week'))
    return { day: { kind: 'offset', days: Math.round(n * 7), keepTime: true }, source: 'duration' };
  if (unit.startsWith('month'))
    return { day: { kind: 'monthsOffset', months: Math.max(1, Math.round(n)) }, source: 'duration' };
  return null;
}

/** Words after a number that make it a quantity, not a clock time. */
const NOT_A_TIME_AFTER =
  /^\s*(?:%|k\b|x\b|bed|bath|br\b|ba\b|sq|ft\b|feet|foot|years?|yrs?|yo\b|people|persons?|guests?|kids?|children|minutes?|hours?|days?|weeks?|months?|times?|sessions?|dollars?|bucks|usd|eur|euros?|pounds?|miles?|km\b|units?|rooms?|bedrooms?|bathrooms?|cars?|dogs?|cats?|of\b|stars?|stor(?:y|ies)|floors?|inch|lbs?|kg\b|m\b|cm\b|mm\b|gb\b|adults?|sets?|nails?|treatments?|classes|visits?|pieces?|items?|questions?|others?|more\b|or more|sq\.?|square|acres?|seats?|spots?|slots?|appointments?|quotes?|options?|windows?|doors?|tickets?)/;

const STRONG_LEAD: Record<string, Mod> = {
  at: 'at',
  around: 'around',
  about: 'around',
  approximately: 'around',
  approx: 'around',
  roughly: 'around',
  after: 'after',
  'anytime after': 'after',
  'any time after': 'after',
  'anytime past': 'after',
  'any time past': 'after',
  'sometime after': 'after',
  'some time after': 'after',
  'no earlier than': 'after',
  'not before': 'after',
  from: 'after',
  by: 'before',
  before: 'before',
  until: 'until',
  till: 'until',
  til: 'until',
  'no later than': 'before',
};

const CLOCK_RE =
  /(?<![\w$€£#/:.,-])(?:(anytime after|any time after|anytime past|any time past|sometime after|some time after|no earlier than|no later than|not before|around|about|approximately|approx|roughly|after|at|by|before|until|till|til|from|like|say|maybe)\s+)?(\d{1,2})(?:([:.])(\d{2}))?(?:\s*(a\.?m\.?|p\.?m\.?)(?![a-z])|(a|p)(?![a-z]))?(?:\s*-?\s*(ish))?(?:\s*(o'?clock|sharp))?(?![\w:/%$]|\.\d)/g;

const WINDOW_RE =
  /(?<![\w$€£#/:.,-])(?:(between|from)\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s*(?:and|to|-|&|or)\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm)?(?:\s*-?\s*ish)?(?![\w:/%$])/g;

function makeClock(hourS: string, minS: string | undefined, mer: string | undefined): Clock | null {
  const hour = Number(hourS);
  const minute = minS ? Number(minS) : 0;
  if (!(hour >= 0 && hour <= 24 && minute >= 0 && minute < 60)) return null;
  const c: Clock = { hour: hour === 24 ? 0 : hour, minute };
  if (mer) {
    if (hour > 12 || hour === 0) return null;
    c.meridiem = mer.startsWith('a') ? 'am' : 'pm';
  } else if (hour >= 13 || hour === 0 || (hourS.length === 2 && hourS.startsWith('0'))) {
    c.h24 = true;
  }
  return c;
}

/** Events of the evening that make a bare hour pm ("after the kids are asleep, 9ish"). */
const EVENING_EVENT =
  /\b(?:kids?|children|baby|little ones?)\b[^.!?]{0,20}\b(?:asleep|down|in bed|to bed|sleeping|bed)\b|\bbed ?time\b|\bafter (?:dinner|supper|work|my shift|the gym)\b|\b(?:shop|store|office|restaurant|bar) closes\b|\b(?:till|until|til) (?:we )?close\b/;

/** "sunday after church, like 1": an hour given right after the event it follows. */
const AFTER_EVENT_BEFORE =
  /\bafter (?:church|mass|services?|practice|class|training|school|work|the (?:game|match|gym|service|school run|meeting))\s*,?\s*(?:like\s+|say\s+|maybe\s+|around\s+)?$/;
/** Words before "by <hour>" that say the contact is busy until then ("should be done by 6"). */
const BUSY_UNTIL_BY =
  /\b(?:done|back|free|home|out|finished|through|wrapped up|over|off|landed|signal again|available again|available)\s+$/;

/** Words right before/after a bare number that make it a time ("tomorrow 3", "5 tonight"). */
const DAYISH_BEFORE = new RegExp(
  `(?:tomorrow|today|tonight|${WEEKDAY_RE}|morning|afternoon|evening|night|noon)\\s*,?\\s*$`,
);
const DAYISH_AFTER = new RegExp(
  `^\\s*(?:tomorrow|today|tonight|this (?:morning|afternoon|evening)|in the (?:morning|afternoon|evening)|at night|on (?:${WEEKDAY_RE})|${WEEKDAY_RE})\\b`,
);

function partFromWord(mod: string | undefined, word: string): PartName | null {
  switch (word) {
    case 'morning':
      return mod === 'early' ? 'earlyMorning' : mod === 'late' || mod === 'mid' ? 'lateMorning' : 'morning';
    case 'afternoon':
      return mod === 'early' ? 'earlyAfternoon' : mod === 'late' ? 'lateAfternoon' : 'afternoon';
    case 'evening':
      return mod === 'early' ? 'earlyEvening' : 'evening';
    case 'night':
      return 'night';
  }
  return null;
}

const PAST_RE = new RegExp(
  [
    '\\byesterday\\b',
    '\\bthe other day\\b',
    `\\blast (?:night|week|month|year|time|weekend|${WEEKDAY_RE})\\b`,
    `\\bthis past (?:week|weekend|${WEEKDAY_RE})\\b`,
    '\\bearlier (?:today|this (?:morning|afternoon|evening|week)|on)\\b',
    `\\b(?:\\d+|an?|one|two|three|four|five|few|couple(?: of)?|several) (?:minutes?|hours?|days?|weeks?|months?|years?) ago\\b`,
    '\\ba while (?:ago|back)\\b',
    `\\bsince (?:yesterday|last \\w+|this morning|the \\d{1,2}(?:st|nd|rd|th)|(?:${WEEKDAY_RE})|\\d{1,2}(?::\\d\\d)?\\s*(?:am|pm)?|morning|noon|lunch|then)\\b`,
  ].join('|'),
  'g',
);

const escapeRe = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');

/** Holiday word → table key (holidays.ts). */
const HOLIDAY_KEY = new Map<string, string>();
for (const [key, names] of Object.entries(HOLIDAY_NAMES)) for (const n of names) HOLIDAY_KEY.set(n, key);
const holidayAlternatives = (names: Iterable<string>) =>
  [...names]
    .sort((a, b) => b.length - a.length)
    .map(escapeRe)
    .join('|');
const HOLIDAY_NAME_RE = holidayAlternatives(HOLIDAY_KEY.keys());
const DAY_HOLIDAY_NAME_RE = holidayAlternatives(
  [...HOLIDAY_KEY].filter(([, k]) => HOLIDAYS[k]?.namesADay).map(([n]) => n),
);
const holidayKeyOf = (word: string) => HOLIDAY_KEY.get(word.replace(/\s+/g, ' ')) ?? 'holidays';

/** "after" before a holiday, in every supported language. */
const HOLIDAY_AFTER = [
  'after',
  'right after',
  'just after',
  'sometime after',
  'past',
  'following',
  'once',
  'despues de(?:l| la| las| los)?',
  'pasad[oa]s?',
  'pasando(?: el| la| los| las)?',
  'apres(?: la| le| les)?',
  'depois d[oa]s?',
  'depois de',
  'apos(?: o| a| os| as)?',
  'nach(?: dem| der| den)?',
  'dopo(?: il| la| le| i)?',
  "dopo l'",
  'passat[oa]',
  'na(?: de| het)?',
  'po',
  'after ng',
  'pagkatapos ng',
  'a la vuelta de(?:l| la)?',
  'de vuelta de(?:l| la)?',
  'al volver de(?:l| la)?',
  'passou o',
  'passou a',
  'passado o',
  'passar o',
  'quando passar o',
].join('|');

/** "after X" with an optional "(on) the Monday after" naming the weekday. */
const HOLIDAY_RE = new RegExp(
  `\\b(?:(${WEEKDAY_RE})\\s+)?(?:${HOLIDAY_AFTER})(?:\\s+|(?<='))(?:the\\s+)?(${HOLIDAY_NAME_RE})(?!\\w)(?:\\s+(?:and|at|y|e|et|und|en|i|ve|&)\\s+(?:the\\s+|el\\s+|o\\s+|le\\s+|de\\s+)?(${HOLIDAY_NAME_RE})(?!\\w))?(?:(?:[\\s,.;-]+(?:please|like|so|say|maybe|probably|i guess|or|ideally|then))*[\\s,.;-]*(?:on\\s+)?the\\s+(${WEEKDAY_RE})\\s+after(?:\\s+that)?)?`,
  'g',
);
/** Postposed "after" (Turkish "Bayramdan sonra", Hinglish "Diwali ke baad"), or a dangling one ("it's Ramadan, let's talk after"). */
const HOLIDAY_POST_RE = new RegExp(
  `\\b(${HOLIDAY_NAME_RE})(?:'?n?(?:dan|den|tan|ten))?(?:\\s+(?:sonra|ke baad|ke bad|baad|ke baad mein)\\b|(?:'s)?\\s+(?:is\\s+|are\\s+)?(?:over|done|finished)\\b|(?=[^.!?]{0,40}\\bafter(?:\\s+(?:that|it))?\\s*(?:$|[,.!?])))`,
  'g',
);
/** The holiday as the day itself: "Boxing Day works", "on Christmas Eve", "à la rentrée". */
const HOLIDAY_DAY_RE = new RegExp(
  `\\b(?:(on|a la|a|el|le|am|op)\\s+)?(${DAY_HOLIDAY_NAME_RE})(?!\\w)(?!'(?!s\\s+(?:fine|good|ok|okay|great|best|better|perfect|works)\\b))`,
  'g',
);
/** Names that are days by themselves; others ("christmas") need "on" to be a date. */
const NAMES_A_DATE =
  /\b(?:day|eve|dag|tag|monday|montag|rentree|jahren|ferragosto|pasquetta|santo stefano|nochebuena|nochevieja|heiligabend|silvester|wigilia|reyes|muertos|between)\b|\b(?:4th|fourth|july|halloween|tiradentes|finados|whitsun)\b|\bbank holiday\b/;

const NEXT_YEAR_RE = /\bnext year\b|\b(?:in|after) the new year\b/g;
const PUENTE_RE =
  /\b(?:despues|pasado|pasando|after|apres|once|depois|apos)\s+(?:de\s+|del\s+|do\s+)?(?:el\s+|the\s+|le\s+|this\s+|o\s+)?(?:puente|pont|long weekend|bank holiday(?: weekend)?|feriadao|feriado prolongado|feriado)\b(?!\s+de\b)/g;

const SEASON_WORDS: Record<string, Season> = {
  spring: 'spring',
  summer: 'summer',
  autumn: 'autumn',
  fall: 'autumn',
  winter: 'winter',
  primavera: 'spring',
  verano: 'summer',
  otono: 'autumn',
  invierno: 'winter',
  printemps: 'spring',
  ete: 'summer',
  automne: 'autumn',
  hiver: 'winter',
  verao: 'summer',
  outono: 'autumn',
  inverno: 'winter',
  fruhling: 'spring',
  sommer: 'summer',
  herbst: 'autumn',
  estate: 'summer',
  lente: 'spring',
  zomer: 'summer',
  najaar: 'autumn',
  herfst: 'autumn',
  wiosna: 'spring',
  lato: 'summer',
  jesien: 'autumn',
  zima: 'winter',
};
/** "in the summer", "after the summer", "next spring", "this fall" (any supported language's season word). */
const SEASON_RE = new RegExp(
  `\\b(in|this|next|during|over|after|end of|by|until|till|early|late|${HOLIDAY_AFTER.replace('past|', '')})\\s+(?:the\\s+)?(${Object.keys(SEASON_WORDS).join('|')})\\b(?!\\s+(?:of|asleep|behind|through|apart|for|over|down|agent|sale|planning|break|cleaning|semester|term))`,
  'g',
);

/** "winter's our slow season, message me then": a season as the subject of the message. */
const SEASON_SUBJECT_RE = new RegExp(
  `^\\s*(?:maybe\\s+|prob(?:ably)?\\s+)?(?:the\\s+)?(${Object.keys(SEASON_WORDS).join('|')})(?='s\\b|\\s*\\?|\\s+(?:is|would be|works)\\b)`,
  'g',
);

// Patterns of extractMentions, compiled once (hot path).
const WEEKDAY_NEXT_WEEK_RE = new RegExp(
  `\\b(${WEEKDAY_RE})s?\\s+(?:of\\s+)?(?:the\\s+)?(next week|week after next|after next)\\b`,
  'g',
);
const NEXT_WEEK_WEEKDAY_RE = new RegExp(`\\bnext week\\s+(?:on\\s+)?(${WEEKDAY_RE})\\b`, 'g');
const DURATION_RE = new RegExp(
  `\\b(?:in|within|give me|give us|give it|after|another|wait|for another|check back in|back in)\\s+(?:like\\s+|about\\s+|around\\s+|roughly\\s+|approximately\\s+|maybe\\s+|just\\s+|another\\s+|a further\\s+|an extra\\s+)?${QTY}(?:\\s*(?:-|to|or)\\s*\\d+)?\\s*-?\\s*(?:more\\s+)?${UNIT}(\\s+(?:and\\s+)?a\\s+half)?(?:\\s+(?:and\\s+)?(\\d+)\\s*minutes?)?(?:\\s+or\\s+so)?(?:\\s+from\\s+now)?\\b`,
  'g',
);
const DURATION_FROM_NOW_RE = new RegExp(`\\b${QTY}(\\s+and\\s+a\\s+half)?\\s*${UNIT}\\s+from\\s+(?:now|today)\\b`, 'g');
/** A message that is only a duration ("24 hours", "ten minutes pls"). */
const DURATION_ALONE_RE = new RegExp(
  `^\\s*(?:like\\s+|about\\s+|maybe\\s+)?${QTY}\\s*${UNIT}(?:\\s+(?:pls|please|thanks|ok|or so|max|tops))?\\s*(?:[.!?]*\\s*$|\\?)`,
  'g',
);
const QUALIFIED_WEEKDAY_RE = new RegExp(
  `\\b(?:(next|this coming|this|coming|following|on|the)\\s+)?(${WEEKDAY_RE})s?\\b`,
  'g',
);
const WEEK_AFTER_NEXT_RE = /\b(?:the\s+)?week after next\b/g;
const MID_NEXT_WEEK_RE = /\b(?:mid|middle of)[\s-](?:the\s+)?next week\b/g;
const END_NEXT_WEEK_RE = /\b(?:(?:the\s+)?end of|late|later)\s+next week\b/g;
const NEXT_WEEK_RE =
  /\b(?:(?:early|sometime|some time|beginning of|start of|the start of|first thing|in)\s+)?(?:the\s+)?(?:next|following)\s+week\b/g;
const END_OF_WEEK_RE = /\b(?:by\s+)?(?:the\s+)?end of (?:the |this )?week\b|\bend of week\b/g;
const LATER_THIS_WEEK_RE = /\blater (?:this|in the) week\b/g;
const NEXT_WEEKEND_RE =
  /\bnext weekend\b|\b(?:the\s+)?(?:weekend after|following weekend)(?:\s+this(?:\s+one)?)?\b(?!\s+next)/g;
/** "fortnight", "in a fortnight's time": two weeks on, the same wall time (a count of fortnights is a duration). */
const FORTNIGHT_RE =
  /(?<!\b(?:last|past|this|every|per|a|each)\s+)\b(?:in\s+)?(?:a\s+)?fortnight(?:'?s(?:\s+time)?)?\b(?!\s+ago)/g;
const WEEKEND_RE = /\b(?:(?:this coming|this|the|over the|on the|at the)\s+)?weekend\b/g;
const MID_NEXT_MONTH_RE = /\b(?:mid|middle of)[\s-](?:the\s+)?next month\b/g;
const END_NEXT_MONTH_RE = /\b(?:the\s+)?end of next month\b/g;
const NEXT_MONTH_RE =
  /\b(?:(?:early|sometime|some time|beginning of|start of|the start of|the beginning of)\s+)?next month\b/g;
const END_OF_MONTH_RE = /\b(?:by\s+)?(?:the\s+)?end of (?:the |this )?month\b|\bmonth[- ]end\b/g;
const BARE_MINUTES_RE =
  /\b(?:in|give me|gimme|within|brb|back in)\s+(?:like\s+|about\s+|another\s+)?(\d{1,2})\b(?![:.]?\d|\s*(?:am\b|pm\b|a\.m|p\.m|%|x\b|-|to\b|or\s+\d|minutes?|hours?|days?|weeks?|months?|years?|o'clock|ish|th\b|st\b|nd\b|rd\b|people|of\b|\w+s\b))/g;
/** "brb 5 min", "back in 10 mins": minutes after a be-right-back word, however short. */
const BRB_MINUTES_RE =
  /\b(?:brb|be right back|back in|gimme|give me)\s+(?:like\s+|in\s+)?(\d{1,2})\s*(?:min(?:ute)?s?|m)\b/g;
const HOUR_AND_HALF_RE = /\b(?:in\s+)?(?:(?:an?|one)\s+)?hour\s+and\s+a\s+half\b/g;
const HALF_HOUR_RE = /\b(?:in\s+)?(?:a\s+)?half\s+an?\s+hour\b/g;
const WEEK_FROM_RE = /\b(?:a|one) week from (today|now|tomorrow)\b|\ba week (today|tomorrow)\b/g;
/** "a week from Monday", "Monday week" (UK): that weekday, then seven days on. */
const WEEK_FROM_WEEKDAY_RE = new RegExp(
  `\\b(a|one|two|three|four|\\d) weeks? (?:from|on|after) (${WEEKDAY_RE})\\b|\\b(${WEEKDAY_RE}) week\\b`,
  'g',
);
/** "after the kids are in bed" and other evening routines with a labelled hour. */
const KIDS_BED_RE =
  /\bafter (?:the |my )?(?:kids?|children|baby|little ones?|boys|girls)(?:'s?)?\b[^.!?,]{0,20}\b(?:asleep|down|in bed|to bed|go to bed|bedtime|sleeping)\b|\bafter (?:the kids'? )?bedtime\b|\bonce (?:the )?(?:kids?|children|baby) (?:are|is) (?:asleep|down|in bed)\b/g;
/** "when I get off work", "once I'm home from work": the end of the working day. */
const OFF_WORK_RE =
  /\b(?:when|once|after) (?:i|we) (?:get|am|'m|are|'re|finish|leave|get out of)\s*(?:off |out of |done with |back from |home from |home after )?(?:work|the office|my shift)\b/g;
const SAME_TIME_NEXT_WEEK_RE =
  /\b(?:this|same|at this|at the same) time next week\b|\bnext week (?:at )?(?:this|the same) time\b/g;
const AFTER_WEEKEND_RE = /\b(?:after|past|once)\s+(?:the\s+|this\s+)*weekend\b|\bearly next week\b/g;
const MONTH_ALONE_RE = new RegExp(
  `\\b(in|by|early|closer to|towards?|the first week of|first week of|beginning of|start of|the start of|the beginning of|mid|middle of|the middle of|end of|the end of|late|sometime in|some time in|around|like|maybe|until|till|en|em|im|ad|a|w|no mes de|en el mes de)[\\s-]+(${MONTHS.join('|')}|${Object.keys(MONTH_ABBR).join('|')})\\b\\.?(?!\\s*\\d)`,
  'g',
);
/** "december's better", "November would work": a month as the subject of the message. */
const MONTH_SUBJECT_RE = new RegExp(
  `^\\s*(?:maybe\\s+|prob(?:ably)?\\s+)?(${MONTHS.join('|')})(?='s\\b|\\s+(?:is|would be|works|might be|could be)\\b)`,
  'g',
);
const QUARTER_RE =
  /\b(?:(in|by|early|start of|beginning of|end of|the end of)\s+)?(?:the\s+)?(?:q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th) quarter|(next) quarter)\b/g;
const MILITARY_RE = new RegExp(
  `\\b(?:(at|around|by|after|before|until|till|from)\\s+|(?<=\\b(?:tomorrow|today|tonight|${WEEKDAY_RE})\\s+))([01]\\d|2[0-3])([0-5]\\d)(?:\\s*(?:hours|hrs|h)\\b)?(?![\\d:])|\\b([01]\\d|2[0-3])([0-5]\\d)(?=\\s+(?:tomorrow|today|tonight|on\\s+(?:${WEEKDAY_RE})|${WEEKDAY_RE})\\b)`,
  'g',
);
const ORDINAL_OF_MONTH_RE =
  /\b(?:on\s+)?(?:the\s+)?(\d{1,2}(?:st|nd|rd|th)|first|fifteenth)\s+of\s+(the|this|next)\s+month\b/g;
const SAME_TIME_RE = /\b(?:at\s+)?(?:this\s+|the\s+)?same time(?:\s+as\s+(?:today|now))?\b|\bat this (?:same )?time\b/g;
const ON_DAY_RE = /\bon day (\d{1,2})\b/g;
const SAME_TIME_TOMORROW_RE =
  /\b(?:this|same|at this|at the same) time tomorrow\b|\btomorrow (?:at )?(?:this|the same) time\b/g;
const LATER_TODAY_RE =
  /\blater (?:on\s+)?today\b|\blater (?:on\s+)?this (?:afternoon|evening)\b|\blater tonight\b|\blater on today\b/g;
const DAY_AFTER_TOMORROW_RE = /\b(?:the\s+)?day after tomorrow\b/g;
const TOMORROW_RE = /\btomorrow\b/g;
const TODAY_RE = /\btoday\b/g;
const TONIGHT_RE = /\btonight\b/g;
const THIS_PART_RE = /\bthis (morning|afternoon|evening)\b/g;
const ORDINAL_DAY_RE =
  /\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b(?:\s+of\s+(?:the|this|next)\s+month)?(?=\s*(?:$|[,.!?;)]|at\b|in\b|then\b|works?\b|is\b|please\b|morning|afternoon|evening|around\b|after\b|before\b|would\b|or\b|and\b|ok\b|pls\b|maybe\b|when\b|once\b|because\b|if\b|que\b|\d))/g;
const ON_ORDINAL_RE = /\bon\s+(\d{1,2})(?:st|nd|rd|th)\b/g;
const LATER_PART_RE = /\blater (?:on\s+)?(?:this\s+)?(?:afternoon|evening)\b/g;
const NAMED_TIME_RE =
  /\b(?:(after|before|by|until|till|til|around|at|over|during|for)\s+)?(?:the\s+)?(late dinner|late lunch|lunch break|lunch\s?time|lunch|noon|midday|midnight|end of (?:the\s+)?(?:business\s+)?day|close of business|end of business|first thing(?:\s+in the morning)?|work|school|dinner|supper)\b/g;
const PART_OF_DAY_RE =
  /\b(?:(until|till|til|by|before|after)\s+(?:the\s+)?)?(?:(early|late|mid)[\s-]?)?(morning|afternoon|evening|night)\b/g;

export function extractMentions(text: string, o: GrammarOptions): Mention[] {
  const ctx: Ctx = { text, taken: new Uint8Array(text.length), out: [] };

  // 1. Past references first, so their words are not read as future times.
  scan(ctx, PAST_RE, () => ({ past: true, source: 'past' }));

  // 2. Holidays and seasons ("after the holidays", "Bayramdan sonra", "Boxing Day works", "after the summer").
  scan(ctx, PUENTE_RE, () => ({ day: { kind: 'puente' }, source: 'holiday' }));
  scan(ctx, HOLIDAY_RE, (m) => {
    const weekday = m[1] ?? m[4];
    return {
      day: {
        kind: 'holiday',
        // "after Christmas and New Year": after the second, the later one.
        key: holidayKeyOf(m[3] ?? m[2]),
        after: true,
        weekday: weekday ? weekdayNumber(weekday) : undefined,
      },
      source: 'holiday',
    };
  });
  scan(ctx, HOLIDAY_POST_RE, (m) => ({
    day: { kind: 'holiday', key: holidayKeyOf(m[1]), after: true },
    source: 'holiday',
  }));
  scan(ctx, HOLIDAY_DAY_RE, (m) => {
    if (!m[1] && !NAMES_A_DATE.test(m[2])) return null;
    return { day: { kind: 'holiday', key: holidayKeyOf(m[2]), after: false }, source: 'holiday' };
  });
  scan(ctx, NEXT_YEAR_RE, () => ({ day: { kind: 'holiday', key: 'holidays', after: true }, source: 'holiday' }));
  scan(ctx, SEASON_SUBJECT_RE, (m) => ({
    day: { kind: 'season', season: SEASON_WORDS[m[1]], mode: 'in' },
    source: 'season',
  }));
  scan(ctx, SEASON_RE, (m) => {
    const lead = m[1];
    const mode =
      lead === 'next' ? 'next' : /^(?:in|this|during|over|early)$/.test(lead) ? 'in' : lead === 'late' ? 'in' : 'after';
    return { day: { kind: 'season', season: SEASON_WORDS[m[2]], mode }, source: 'season' };
  });

  // 3. Relative weeks, weekends and months ("the 3rd of next month" and "same time next week" first).
  scan(ctx, ORDINAL_OF_MONTH_RE, (m) => {
    const day = m[1] === 'first' ? 1 : m[1] === 'fifteenth' ? 15 : parseInt(m[1], 10);
    if (!(day >= 1 && day <= 31)) return null;
    return m[2] === 'next'
      ? { day: { kind: 'month', months: 1, day }, source: 'ordinal' }
      : dayOfMonth(String(day), text, m.index);
  });
  scan(ctx, SAME_TIME_NEXT_WEEK_RE, () => ({ day: { kind: 'offset', days: 7 }, tod: { kind: 'keep' }, source: 'day' }));
  scan(ctx, WEEK_AFTER_NEXT_RE, () => ({ day: { kind: 'week', weeks: 2 }, source: 'week' }));
  scan(ctx, WEEKDAY_NEXT_WEEK_RE, (m) => ({
    day: { kind: 'weekday', weekday: weekdayNumber(m[1]), weeksAhead: m[2] === 'next week' ? 1 : 2 },
    source: 'weekday',
  }));
  scan(ctx, NEXT_WEEK_WEEKDAY_RE, (m) => ({
    day: { kind: 'weekday', weekday: weekdayNumber(m[1]), weeksAhead: 1 },
    source: 'weekday',
  }));
  scan(ctx, MID_NEXT_WEEK_RE, () => ({ day: { kind: 'week', weeks: 1, weekday: 3 }, source: 'week' }));
  scan(ctx, END_NEXT_WEEK_RE, () => ({ day: { kind: 'week', weeks: 1, end: true }, source: 'week' }));
  scan(ctx, NEXT_WEEK_RE, () => ({
    day: { kind: 'week', weeks: 1 },
    source: 'week',
  }));
  scan(ctx, END_OF_WEEK_RE, () => ({ day: { kind: 'endOfWeek' }, source: 'week' }));
  scan(ctx, LATER_THIS_WEEK_RE, () => ({ day: { kind: 'laterThisWeek' }, source: 'week' }));
  scan(ctx, AFTER_WEEKEND_RE, () => ({ day: { kind: 'week', weeks: 1 }, source: 'week' }));
  scan(ctx, NEXT_WEEKEND_RE, () => ({ day: { kind: 'weekend', next: true }, source: 'weekend' }));
  scan(ctx, WEEKEND_RE, () => ({ day: { kind: 'weekend', next: false }, source: 'weekend' }));
  scan(ctx, MID_NEXT_MONTH_RE, () => ({ day: { kind: 'month', months: 1, day: 15 }, source: 'month' }));
  scan(ctx, END_NEXT_MONTH_RE, () => ({ day: { kind: 'month', months: 1, day: 'last' }, source: 'month' }));
  scan(ctx, NEXT_MONTH_RE, () => ({
    day: { kind: 'month', months: 1, day: 'default' },
    source: 'month',
  }));
  scan(ctx, END_OF_MONTH_RE, () => ({
    day: { kind: 'month', months: 0, day: 'last' },
    source: 'month',
  }));

  // 4. Durations.
  scan(ctx, DURATION_RE, (m) => {
    const unit = m[2];
    let n = qty(m[1], unit, o);
    if (n === null) return null;
    if (m[3]) n += 0.5;
    return durationMention(n, unit, m[4] ? Number(m[4]) : 0);
  });
  // "call me back in 15", "ttyl in 20": a bare number after "in" is minutes.
  scan(ctx, BRB_MINUTES_RE, (m) => ({ elapsedMs: Number(m[1]) * 60_000, source: 'duration' }));
  scan(ctx, BARE_MINUTES_RE, (m) => {
    const n = Number(m[1]);
    return n >= 5 && n <= 59 ? { elapsedMs: n * 60_000, source: 'duration' } : null;
  });
  scan(ctx, FORTNIGHT_RE, () => durationMention(1, 'fortnight'));
  scan(ctx, HOUR_AND_HALF_RE, () => ({ elapsedMs: 90 * 60_000, source: 'duration' }));
  scan(ctx, HALF_HOUR_RE, () => ({ elapsedMs: 30 * 60_000, source: 'duration' }));
  scan(ctx, DURATION_FROM_NOW_RE, (m) => {
    const n = qty(m[1], m[3], o);
    return n === null ? null : durationMention(n + (m[2] ? 0.5 : 0), m[3]);
  });
  scan(ctx, DURATION_ALONE_RE, (m) => {
    const n = qty(m[1], m[2], o);
    return n === null ? null : durationMention(n, m[2]);
  });
  scan(ctx, WEEK_FROM_RE, (m) => ({
    day: { kind: 'offset', days: (m[1] ?? m[2]) === 'tomorrow' ? 8 : 7, keepTime: true },
    source: 'duration',
  }));
  scan(ctx, WEEK_FROM_WEEKDAY_RE, (m) => ({
    day: {
      kind: 'weekday',
      weekday: weekdayNumber(m[2] ?? m[3]),
      plusWeeks: m[1] ? (NUMBER_WORDS[m[1]] ?? Number(m[1])) : 1,
    },
    source: 'weekday',
  }));
  scan(ctx, KIDS_BED_RE, () => ({ tod: { kind: 'part', part: 'afterKidsBed', mod: 'at' }, source: 'part' }));
  scan(ctx, OFF_WORK_RE, () => ({ tod: { kind: 'part', part: 'afterWork', mod: 'at' }, source: 'part' }));
  scan(ctx, SAME_TIME_TOMORROW_RE, () => ({
    day: { kind: 'offset', days: 1 },
    tod: { kind: 'keep' },
    source: 'day',
  }));

  scan(ctx, SAME_TIME_RE, () => ({ tod: { kind: 'keep' }, source: 'keep' }));

  // 5. "later today", day words, weekdays.
  scan(ctx, LATER_TODAY_RE, () => ({
    day: { kind: 'offset', days: 0 },
    tod: { kind: 'laterToday' },
    source: 'day',
  }));
  scan(ctx, DAY_AFTER_TOMORROW_RE, () => ({ day: { kind: 'offset', days: 2 }, source: 'day' }));
  scan(ctx, TOMORROW_RE, () => ({ day: { kind: 'offset', days: 1 }, source: 'day' }));
  scan(ctx, TODAY_RE, () => ({ day: { kind: 'offset', days: 0 }, source: 'day' }));
  scan(ctx, TONIGHT_RE, () => ({
    day: { kind: 'offset', days: 0 },
    tod: { kind: 'part', part: 'tonight', mod: 'at' },
    source: 'day',
  }));
  scan(ctx, THIS_PART_RE, (m) => ({
    day: { kind: 'offset', days: 0 },
    tod: { kind: 'part', part: partFromWord(undefined, m[1])!, mod: 'at' },
    source: 'day',
  }));
  scan(ctx, QUALIFIED_WEEKDAY_RE, (m) => {
    const q = m[1];
    const next = q === 'next' || q === 'following';
    const self = q === 'this' || q === 'this coming';
    return { day: { kind: 'weekday', weekday: weekdayNumber(m[2]), next, this: self }, source: 'weekday' };
  });

  // 6. Calendar dates: chrono reads month names and numeric dates well.
  if (MONTH_WORD_RE.test(text)) chronoDates(ctx, o, 'casual');
  else if (/\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b/.test(text))
    chronoDates(ctx, o, o.dateOrder === 'dmy' ? 'dmy' : 'casual');

  // 7. Ordinal day of month: "on the 2nd", "the 15th".
  scan(ctx, ON_DAY_RE, (m) => dayOfMonth(m[1], text, m.index));
  scan(ctx, ORDINAL_DAY_RE, (m) => dayOfMonth(m[1], text, m.index));
  scan(ctx, ON_ORDINAL_RE, (m) => dayOfMonth(m[1], text, m.index));
  scan(ctx, MONTH_ALONE_RE, (m) => {
    const lead = m[1];
    const day = /mid|middle/.test(lead) ? 15 : /end|late/.test(lead) ? 'last' : 1;
    const month = MONTH_ABBR[m[2]] ?? MONTHS.indexOf(m[2]) + 1;
    return { day: { kind: 'monthName', month, day }, source: 'month' };
  });
  scan(ctx, MONTH_SUBJECT_RE, (m) => ({
    day: { kind: 'monthName', month: MONTHS.indexOf(m[1]) + 1, day: 1 },
    source: 'month',
  }));
  scan(ctx, QUARTER_RE, (m) => {
    const ordinal = m[3]
      ? ['first', 'second', 'third', 'fourth'].findIndex(
          (w, i) => w === m[3] || `${i + 1}${['st', 'nd', 'rd', 'th'][i]}` === m[3],
        ) + 1
      : 0;
    const end = /end/.test(m[1] ?? '');
    if (m[4]) return { day: { kind: 'nextQuarter' }, source: 'quarter' };
    const q = m[2] ? Number(m[2]) : ordinal;
    if (!q) return null;
    return { day: { kind: 'monthName', month: end ? q * 3 : q * 3 - 2, day: end ? 'last' : 1 }, source: 'quarter' };
  });

  // 8. Named times and parts of the day.
  scan(ctx, LATER_PART_RE, () => ({
    day: { kind: 'offset', days: 0 },
    tod: { kind: 'laterToday' },
    source: 'day',
  }));
  scan(ctx, NAMED_TIME_RE, (m) => {
    const lead = m[1];
    const what = m[2].replace(/\s+/g, ' ');
    const before = text.slice(Math.max(0, m.index - 14), m.index);
    let part: PartName | null = null;
    let mod: Mod = 'at';
    if (what === 'lunch break') {
      part = 'lunchBreak';
    } else if (what === 'late dinner' || what === 'late lunch') {
      if (lead !== 'after') return null;
      part = what === 'late dinner' ? 'afterLateDinner' : 'afterLateLunch';
    } else if (what === 'work' || what === 'school' || what === 'dinner' || what === 'supper') {
      if (lead !== 'after') return null;
      part = what === 'work' ? 'afterWork' : what === 'school' ? 'afterSchool' : 'afterDinner';
      // "after school drop-off" / "after the school run" is the morning, not 15:30.
      if (what === 'school' && /^\s*(?:drop[- ]?offs?|run)\b/.test(text.slice(m.index + m[0].length))) part = 'morning';
    } else if (what.startsWith('lunch')) {
      // Bare "lunch" is a time only next to a day or a preposition ("lunch tomorrow", "at lunch"),
      // not in "grabbing lunch".
      if (
        !lead &&
        what === 'lunch' &&
        !DAYISH_BEFORE.test(before) &&
        !DAYISH_AFTER.test(text.slice(m.index + m[0].length))
      )
        return null;
      if (lead === 'after') part = 'afterLunch';
      else if (lead === 'before' || lead === 'by') part = 'beforeLunch';
      else {
        // "I'm at lunch" / "out for lunch" describes now, not a time.
        if ((lead === 'at' || lead === 'for') && /\b(?:i'm|i am|currently|still|out|we're|just)\s*$/.test(before))
          return null;
        if (lead === 'for' || lead === 'during') return null;
        part = 'noon';
        if (lead === 'until' || lead === 'till' || lead === 'til') mod = 'until';
      }
    } else if (what === 'noon' || what === 'midday') {
      part = 'noon';
      if (lead === 'after') part = 'afterLunch';
      if (lead === 'before' || lead === 'by') mod = 'before';
      if (lead === 'until' || lead === 'till' || lead === 'til') mod = 'until';
    } else if (what === 'midnight') {
      part = 'midnight';
    } else if (what.startsWith('first thing')) {
      part = 'morning';
    } else {
      part = 'endOfDay';
      if (lead === 'until' || lead === 'till' || lead === 'til') mod = 'until';
    }
    if (!part) return null;
    return { tod: { kind: 'part', part, mod }, source: 'part' };
  });
  scan(ctx, PART_OF_DAY_RE, (m) => {
    const before = text.slice(Math.max(0, m.index - 10), m.index);
    // Greetings are not times.
    if (/\bgood\s*$/.test(before)) return null;
    if (m.index === 0 && /^[a-z]+\s*[!,]/.test(text.slice(0, m[0].length + 2)) && !m[1] && !m[2]) return null;
    if (
      m[3] === 'night' &&
      !/(?:tomorrow|tonight|at|by|on|this|friday|saturday|sunday|monday|tuesday|wednesday|thursday|late|one)\s*$/.test(
        before,
      ) &&
      !m[2]
    )
      return null;
    const part = partFromWord(m[2], m[3]);
    if (!part) return null;
    const lead = m[1];
    const mod: Mod =
      lead === 'until' || lead === 'till' || lead === 'til'
        ? 'until'
        : lead === 'by' || lead === 'before'
          ? 'before'
          : lead === 'after'
            ? 'after'
            : 'at';
    return { tod: { kind: 'part', part, mod }, source: 'part' };
  });

  // 9. Clock windows ("between 4 and 5", "4-5pm") and clock times ("at 1300" included).
  scan(ctx, MILITARY_RE, (m) => ({
    tod: {
      kind: 'clock',
      clock: { hour: Number(m[2] ?? m[4]), minute: Number(m[3] ?? m[5]), h24: true },
      mod: STRONG_LEAD[m[1]] ?? 'at',
    },
    source: 'clock',
  }));
  scan(ctx, WINDOW_RE, (m) => {
    const lead = m[1];
    const from = makeClock(m[2], m[3], m[4]);
    const to = makeClock(m[5], m[6], m[7]);
    if (!from || !to) return null;
    const after = text.slice(m.index + m[0].length);
    if (NOT_A_TIME_AFTER.test(after)) return null;
    const sep = /\bor\b/.test(m[0]) ? 'or' : '';
    const strong = Boolean(lead) || Boolean(m[4] || m[7]) || Boolean(m[3] || m[6]);
    const before = text.slice(Math.max(0, m.index - 24), m.index);
    const leadBefore =
      /\b(?:at|around|about|between|from|call|text|ring)\s*$/.test(before) ||
      DAYISH_BEFORE.test(before) ||
      DAYISH_AFTER.test(after);
    if (!strong && !leadBefore) return null;
    if (sep === 'or' && !leadBefore && !lead) return null;
    if (m[7] && !m[4] && from.hour <= 12 && !from.h24) {
      // "4-5pm": the first hour shares the meridiem when that keeps the window ordered.
      const mer = m[7].startsWith('a') ? 'am' : 'pm';
      const fromH = (from.hour % 12) + (mer === 'pm' ? 12 : 0);
      const toH = (to.hour % 12) + (mer === 'pm' ? 12 : 0);
      if (fromH <= toH) from.meridiem = mer;
    }
    return { tod: { kind: 'window', from, to }, source: 'window' };
  });
  scan(ctx, CLOCK_RE, (m) => {
    const leadWord = m[1];
    const hourS = m[2];
    const sep = m[3];
    const minS = m[4];
    const mer = m[5] ?? m[6];
    const ish = m[7];
    const oclock = m[8];
    if (sep === '.' && !leadWord) return null;
    const clock = makeClock(hourS, minS, mer);
    if (!clock) return null;
    const after = text.slice(m.index + m[0].length);
    if (!mer && !minS && NOT_A_TIME_AFTER.test(after)) return null;
    const before = text.slice(Math.max(0, m.index - 24), m.index);
    const lead = leadWord && STRONG_LEAD[leadWord] ? leadWord : undefined;
    const weakLead = leadWord && !lead;
    const strong =
      Boolean(lead) ||
      Boolean(mer) ||
      sep === ':' ||
      Boolean(ish) ||
      Boolean(oclock) ||
      DAYISH_BEFORE.test(before) ||
      DAYISH_AFTER.test(after) ||
      AFTER_EVENT_BEFORE.test(before) ||
      /\b(?:at|around|after|till|until|by|call me|text me|ring me)\s*$/.test(before);
    // "bedtime is 8 so text me after that": the hour of an event, asked for afterwards;
    // "once the shop closes, 6": an hour given after the event it follows.
    const afterThat =
      !lead &&
      !mer &&
      /^[^.!?]{0,40}\b(?:after (?:that|this|it|then)|afterwards)\b/.test(after) &&
      /\b(?:is|'s|at|around|till|until|by)\s*$/.test(before);
    const afterEvent =
      (!leadWord || Boolean(weakLead)) &&
      /\b(?:once|after|when)\b[^.!?,]{2,40},\s*$/.test(text.slice(Math.max(0, m.index - 48), m.index)) &&
      /^\s*(?:$|[.!?]|ish\b|or so\b)/.test(after);
    if (!strong && !afterThat && !afterEvent) return null;
    if (
      weakLead &&
      !(
        mer ||
        sep === ':' ||
        ish ||
        oclock ||
        DAYISH_BEFORE.test(before) ||
        DAYISH_AFTER.test(after) ||
        AFTER_EVENT_BEFORE.test(before) ||
        afterEvent
      )
    )
      return null;
    if (!mer && !minS && clock.hour > 12 && !clock.h24) return null;
    let mod: Mod = ish ? 'around' : lead ? STRONG_LEAD[lead] : afterThat ? 'after' : 'at';
    if (!lead && /\b(?:after|anytime after)\s*$/.test(before)) mod = 'after';
    // "just not after 4": the latest acceptable hour, so the time before it.
    if (mod === 'after' && /\bnot\s*$/.test(text.slice(Math.max(0, m.index - 6), m.index))) mod = 'before';
    // "should be done by 6", "back by 6": busy until then, so that time itself.
    if (leadWord === 'by' && BUSY_UNTIL_BY.test(before)) mod = 'until';
    // "after the kids are asleep, 9ish": a bare hour next to an evening event is pm.
    const part: PartName | undefined = !mer && !clock.h24 && EVENING_EVENT.test(text) ? 'evening' : undefined;
    return { tod: { kind: 'clock', clock, mod, part }, source: 'clock' };
  });

  ctx.out.sort((a, b) => a.start - b.start);
  markNegations(text, ctx.out);
  return ctx.out;
}

/** Words before a day of month that make the follow-up the day after it ("after the 20th", "away until the 6th"). */
const DAY_AFTER_LEAD =
  /\b(?:after|past|until|till|til|through|thru|finish(?:es|ing)?(?: on)?|ends?(?: on)?|over on|done on)\s+(?:the\s+)?$/;

function dayOfMonth(d: string, text: string, index: number): Omit<Mention, 'start' | 'end'> | null {
  const day = Number(d);
  if (!(day >= 1 && day <= 31)) return null;
  const after =
    DAY_AFTER_LEAD.test(text.slice(Math.max(0, index - 24), index)) ||
    /^\s*after\b/.test(text.slice(index, index + 12));
  return { day: { kind: 'monthDay', day, after: after || undefined }, source: 'ordinal' };
}

const MONTH_NAMES_RE = `(?:${MONTHS.join('|')}|${Object.keys(MONTH_ABBR).join('|')})`;
/** The date words inside a chrono result ("march 10th", "the 14th of march", "3/15"). */
const DATE_WORDS_RE = new RegExp(
  `(?:the\\s+)?\\d{1,2}(?:st|nd|rd|th)?(?:\\s+of)?\\s+${MONTH_NAMES_RE}\\b\\.?(?:,?\\s+\\d{4})?|${MONTH_NAMES_RE}\\.?\\s+(?:the\\s+)?\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?|\\d{1,2}[/.]\\d{1,2}(?:[/.]\\d{2,4})?`,
);

/** Month names are unambiguous (casual parser); numeric dates follow the zone's habit (GB = day first). */
function chronoDates(ctx: Ctx, o: GrammarOptions, mode: 'casual' | 'dmy') {
  const parser = mode === 'dmy' ? chrono.en.GB : chrono.en.casual;
  let results: chrono.ParsedResult[];
  try {
    results = parser.parse(ctx.text, o.chronoRef(), { forwardDate: true });
  } catch {
    return;
  }
  for (const r of results) {
    const c = r.start;
    if (!c.isCertain('month') || !c.isCertain('day')) continue;
    // Only the date part is taken from chrono; a clock in the same phrase is read by our
    // own grammar (bare-hour conventions), so trim the span to the date words.
    const rel = r.text;
    DATE_WORDS_RE.lastIndex = 0;
    const dateMatch = DATE_WORDS_RE.exec(rel);
    if (!dateMatch) continue;
    const start = r.index + dateMatch.index;
    const end = start + dateMatch[0].length;
    if (overlaps(ctx, start, end)) continue;
    const year = c.isCertain('year') ? (c.get('year') ?? undefined) : undefined;
    take(ctx, {
      start,
      end,
      day: { kind: 'date', month: c.get('month')!, day: c.get('day')!, year },
      source: 'chrono-date',
    });
  }
}

const NEGATION_BEFORE =
  /\b(?:not|except|but not|never|can't do|cannot do|can't make|won't be around|anything but)\b\s*(?:on\s+|at\s+|this\s+)?$/;

function markNegations(text: string, mentions: Mention[]) {
  for (const m of mentions) {
    const before = text.slice(Math.max(0, m.start - 22), m.start);
    if (m.day && /\b(?:until|till|til|through|thru)\s+$/.test(before)) m.until = true;
    if (NEGATION_BEFORE.test(before)) {
      // "not before 5" means after 5: handled by the clock lead, not a negation.
      if (/\bnot\s*$/.test(before) && m.tod?.kind === 'clock' && (m.tod.mod === 'after' || m.tod.mod === 'before'))
        continue;
      m.negated = true;
    }
  }
}

/** Joins adjacent mentions that complete each other: "friday" + "after 3", "tomorrow" + "morning" + "at 9". */
export function mergeMentions(text: string, mentions: Mention[]): Mention[] {
  const out: Mention[] = [];
  for (const m of mentions) {
    const prev = out[out.length - 1];
    if (prev && canMerge(text, prev, m)) {
      out[out.length - 1] = combine(prev, m);
    } else {
      out.push({ ...m });
    }
  }
  return out;
}

/** Moments named by what precedes them ("after dinner"): more precise than a part of the day. */
const AFTER_PARTS: ReadonlySet<PartName> = new Set([
  'afterKidsBed',
  'afterLunch',
  'afterWork',
  'afterSchool',
  'afterDinner',
  'afterLateDinner',
  'afterLateLunch',
  'lunchBreak',
]);

function canMerge(text: string, a: Mention, b: Mention): boolean {
  if (a.past || b.past || a.elapsedMs !== undefined || b.elapsedMs !== undefined) return false;
  if (Boolean(a.negated) !== Boolean(b.negated)) return false;
  const gap = text.slice(a.end, b.start);
  // "Saturday works. Around 11?": a gap of only filler joins a day and a time across a full stop.
  const fillerOnly =
    /^[\s,.!?;:-]*(?:(?:works?|works for me|would work|ok|okay|fine|good|is good|is fine|then|maybe|say|like|please)[\s,.!?;:-]*)*$/.test(
      gap,
    );
  if (gap.length > 28 || (/[.!?;]/.test(gap) && !fillerOnly)) return false;
  const notBefore = /\bnot\s*$/.test(gap) && b.tod?.kind === 'clock' && b.tod.mod === 'before';
  if (!notBefore && /\b(?:but|or|not|instead of|rather than|because|since)\b/.test(gap)) return false;
  const aUntil = a.tod && 'mod' in a.tod && a.tod.mod === 'until';
  const bUntil = b.tod && 'mod' in b.tod && b.tod.mod === 'until';
  if (aUntil || bUntil) return false;
  // "later today, after 6": the clock makes "later today" precise.
  if (
    a.tod?.kind === 'laterToday' &&
    !b.day &&
    b.tod &&
    (b.tod.kind === 'clock' || b.tod.kind === 'part' || b.tod.kind === 'window')
  )
    return true;
  // "next week is better, maybe wednesday": the weekday narrows the week.
  if (
    a.day?.kind === 'week' &&
    !a.day.end &&
    b.day?.kind === 'weekday' &&
    !b.day.next &&
    !b.day.this &&
    !b.day.weeksAhead &&
    !/\bor\b/.test(gap)
  )
    return true;
  if (a.day && b.day) return false;
  if (a.day?.kind === 'offset' && a.day.keepTime) return false;
  if (b.day?.kind === 'offset' && b.day.keepTime) return false;
  if (a.tod && b.tod) {
    // "tonight after dinner": the named moment makes the part of the day precise.
    if (a.tod.kind === 'part' && b.tod.kind === 'part' && !b.day && AFTER_PARTS.has(b.tod.part)) return true;
    // A part of the day and a clock complete each other ("tonight around 8", "10 in the morning").
    const kinds = [a.tod.kind, b.tod.kind].sort().join('+');
    return kinds === 'clock+part' || kinds === 'part+window';
  }
  return Boolean(a.day || b.day) && Boolean(a.tod || b.tod);
}

function combine(a: Mention, b: Mention): Mention {
  let day = a.day ?? b.day;
  if (a.day?.kind === 'week' && b.day?.kind === 'weekday')
    day = { kind: 'weekday', weekday: b.day.weekday, weeksAhead: a.day.weeks };
  let tod =
    a.tod?.kind === 'laterToday' || (b.tod?.kind === 'part' && AFTER_PARTS.has(b.tod.part)) ? b.tod : (a.tod ?? b.tod);
  if (a.tod && b.tod) {
    const part = a.tod.kind === 'part' ? a.tod : b.tod.kind === 'part' ? b.tod : undefined;
    const other = a.tod.kind === 'part' ? b.tod : a.tod;
    if (part && part.kind === 'part' && (other.kind === 'clock' || other.kind === 'window'))
      tod = { ...other, part: part.part };
  }
  return { start: a.start, end: b.end, day, tod, negated: a.negated, source: `${a.source}+${b.source}` };
}

const LOCALE_PARSERS = { es: chrono.es, fr: chrono.fr, pt: chrono.pt, de: chrono.de } as const;

/**
 * Last resort for Spanish, French, Portuguese and German messages in which the glossed grammar
 * found nothing: chrono's own locale parser. Only calendar facts chrono is sure of are kept
 * (a date, a weekday, an hour); relative durations are skipped because chrono computes them
 * with a fixed UTC offset, which is wrong across DST.
 */
export function chronoLocaleMentions(
  original: string,
  lang: 'es' | 'fr' | 'pt' | 'de',
  o: GrammarOptions,
  glossLength: number,
): Mention[] {
  let results: chrono.ParsedResult[];
  try {
    results = LOCALE_PARSERS[lang].casual.parse(original, o.chronoRef(), { forwardDate: true });
  } catch {
    return [];
  }
  const out: Mention[] = [];
  for (const r of results) {
    const c = r.start;
    if (
      /\d+\s*(?:h|hr|hrs|heures?|horas?|stunden?|minut\w*|min)\b/i.test(r.text) &&
      !c.isCertain('day') &&
      !c.isCertain('weekday')
    )
      continue;
    let day: DayRef | undefined;
    if (c.isCertain('month') && c.isCertain('day'))
      day = {
        kind: 'date',
        month: c.get('month')!,
        day: c.get('day')!,
        year: c.isCertain('year') ? (c.get('year') ?? undefined) : undefined,
      };
    else if (c.isCertain('weekday')) day = { kind: 'weekday', weekday: ((c.get('weekday')! + 6) % 7) + 1 };
    let tod: TimeOfDay | undefined;
    if (c.isCertain('hour')) {
      const clock: Clock = { hour: c.get('hour')!, minute: c.get('minute') ?? 0 };
      if (c.isCertain('meridiem')) clock.meridiem = c.get('meridiem') === 1 ? 'pm' : 'am';
      if (clock.meridiem && clock.hour > 12) clock.hour -= 12;
      if (!clock.meridiem && (clock.hour >= 13 || clock.hour === 0)) clock.h24 = true;
      tod = { kind: 'clock', clock, mod: 'at' };
    }
    if (!day && !tod) continue;
    out.push({ start: 0, end: glossLength, day, tod, source: `chrono-${lang}`, originalPhrase: r.text });
  }
  return out.slice(0, 1);
}
