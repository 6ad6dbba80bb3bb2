/** English time phrasings by category (shared/data/README.md conventions), one row per form. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { resolveTimePhrase } from '../../src/classify/timeResolver.ts';

/** Resolves `text` said at local wall time `now` in `zone`; the answer as local "yyyy-MM-ddTHH:mm". */
function resolveAt(text: string, now: string, zone: string): string | null {
  const r = resolveTimePhrase(text, DateTime.fromISO(now, { zone }).toMillis(), zone);
  return r ? DateTime.fromMillis(r.at, { zone }).toFormat("yyyy-LL-dd'T'HH:mm") : null;
}

describe('clock idioms: quarters and halves said in words, 24-hour clocks', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['next tues 1030', '2026-03-04T10:00', 'Europe/London', '2026-03-10T10:30'],
    ['1300 tomorrow', '2026-03-04T10:00', 'Europe/London', '2026-03-05T13:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('parts of the day, also joined to a day word', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['yarın öğleden sonra', '2026-03-04T10:00', 'Europe/Istanbul', '2026-03-05T14:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('"after the weekend" is Monday 09:00', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['hafta sonundan sonra', '2026-03-04T10:00', 'Europe/Istanbul', '2026-03-09T09:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('"next weekend" is Saturday of next week', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['the weekend after this one', '2026-03-04T10:00', 'America/Chicago', '2026-03-14T09:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('"end of next week" is Friday of next week, 17:00', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['gelecek haftanın sonunda', '2026-03-04T10:00', 'Europe/Istanbul', '2026-03-13T17:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('a fortnight is 14 days on, the same wall time', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['fortnight', '2026-03-04T10:00', 'Europe/London', '2026-03-18T10:00'],
    ["in a fortnight's time", '2026-03-04T10:00', 'Europe/London', '2026-03-18T10:00'],
    ['iki hafta sonra', '2026-03-04T10:00', 'Europe/Istanbul', '2026-03-18T10:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('durations in diminutives and loose words', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ["6 weeks? we're waiting on the permit", '2026-03-04T10:00', 'Europe/London', '2026-04-15T10:00'],
    ['brb 5 min', '2026-03-04T10:00', 'Asia/Manila', '2026-03-04T10:05'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('a day of the month is the next such date; "after the 20th" the day after', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['after the 20th', '2026-03-04T10:00', 'Europe/London', '2026-03-21T09:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('busy until a time, and an hour given after an event', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['with customers till close at 8, text after', '2026-03-04T10:00', 'America/New_York', '2026-03-04T20:00'],
    ["at my son's game, should be done by 6", '2026-03-04T10:00', 'America/Denver', '2026-03-04T18:00'],
    ['should have signal again by 6 tonight, text me then', '2026-03-04T07:00', 'America/Chicago', '2026-03-04T18:00'],
    ['sunday after church, like 1', '2026-03-04T10:00', 'America/Chicago', '2026-03-08T13:00'],
    ['after the kids are down, like 8', '2026-03-04T10:00', 'America/Chicago', '2026-03-04T20:00'],
    ['after the kids are down, like 8pm', '2026-03-04T10:00', 'America/Chicago', '2026-03-04T20:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('a month named as the subject is its first day', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ["december's better, things quiet down", '2026-09-15T10:00', 'America/Los_Angeles', '2026-12-01T09:00'],
    ['closer to november', '2026-08-20T10:00', 'America/New_York', '2026-11-01T09:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});
