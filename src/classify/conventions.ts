/**
 * How vague or partial time phrases become an instant. These follow the labelling conventions
 * of the evaluation data (shared/data/README.md) and are deliberately one plain object: an
 * operator who disagrees (say "evening" should be 19:00) overrides a field, nothing else.
 * Times of day are minutes after local midnight.
 */
export interface TimeConventions {
  /** A bare hour in this range (no am/pm, no context) is read as pm: "at 3" → 15:00. */
  bareHourPmFrom: number;
  bareHourPmTo: number;
  morning: number;
  earlyMorning: number;
  lateMorning: number;
  noon: number;
  afternoon: number;
  earlyAfternoon: number;
  lateAfternoon: number;
  evening: number;
  earlyEvening: number;
  tonight: number;
  afterLunch: number;
  beforeLunch: number;
  endOfDay: number;
  afterWork: number;
  afterSchool: number;
  afterDinner: number;
  /** Local customs: Italian "dopo cena" (dinner is late), Spanish "después de comer", French "entre midi et deux". */
  afterLateDinner: number;
  /** "after the kids are in bed". */
  afterKidsBed: number;
  afterLateLunch: number;
  lunchBreak: number;
  /** A date without a time ("try me Thursday", "on the 2nd"). */
  dateOnly: number;
  /** "next week" → this weekday (1 = Monday … 7 = Sunday) of the next calendar week. */
  nextWeekWeekday: number;
  /** "end of the week" → this weekday. */
  endOfWeekWeekday: number;
  /** "this weekend" → this weekday. */
  weekendWeekday: number;
  /** "next month" → this day of the next month. */
  nextMonthDay: number;
  /** "before 5" → this many minutes before 5. */
  beforeOffsetMinutes: number;
  /** "later today" → now + this many minutes (bounded by `laterTodayLatest`). */
  laterTodayMinutes: number;
  laterTodayLatest: number;
  /**
   * A vague part of today that has started but not ended ("tonight" said at 20:00) resolves
   * to now + this many minutes instead of jumping to tomorrow.
   */
  vagueSoonMinutes: number;
  /**
   * "next Tuesday": 'following-week' = the Tuesday of next calendar week (weeks start on
   * Monday), 'coming' = the first Tuesday after today.
   */
  nextWeekday: 'following-week' | 'coming';
  /** "a couple" / "a few" / "several" as quantities. */
  couple: number;
  few: number;
  fewMinutes: number;
  several: number;
}

const h = (hours: number, minutes = 0) => hours * 60 + minutes;

export const DEFAULT_CONVENTIONS: Readonly<TimeConventions> = Object.freeze({
  bareHourPmFrom: 1,
  bareHourPmTo: 7,
  morning: h(9),
  earlyMorning: h(8),
  lateMorning: h(11),
  noon: h(12),
  afternoon: h(14),
  earlyAfternoon: h(13),
  lateAfternoon: h(16),
  evening: h(18),
  earlyEvening: h(17),
  tonight: h(19),
  afterLunch: h(14),
  beforeLunch: h(11),
  endOfDay: h(17),
  afterWork: h(18),
  afterSchool: h(15, 30),
  afterDinner: h(19, 30),
  afterLateDinner: h(21),
  afterKidsBed: h(20, 30),
  afterLateLunch: h(16),
  lunchBreak: h(13),
  dateOnly: h(9),
  nextWeekWeekday: 1,
  endOfWeekWeekday: 5,
  weekendWeekday: 6,
  nextMonthDay: 1,
  beforeOffsetMinutes: 60,
  laterTodayMinutes: 180,
  laterTodayLatest: h(20),
  vagueSoonMinutes: 30,
  nextWeekday: 'following-week',
  couple: 2,
  few: 3,
  fewMinutes: 5,
  several: 4,
});

/** Windows during which a vague part of the day is "still on" (minutes after midnight). */
export const PART_WINDOWS: Readonly<Record<string, readonly [number, number]>> = Object.freeze({
  morning: [h(5), h(12)],
  earlyMorning: [h(5), h(10)],
  lateMorning: [h(9), h(12)],
  afternoon: [h(12), h(18)],
  earlyAfternoon: [h(12), h(15)],
  lateAfternoon: [h(14), h(18)],
  evening: [h(17), h(22)],
  earlyEvening: [h(16), h(19)],
  tonight: [h(17), h(23, 30)],
  night: [h(18), h(23, 30)],
});
