import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { DEFAULT_CONVENTIONS } from '../../src/classify/conventions.ts';
import { classifyRules } from '../../src/classify/rules.ts';
import { InvalidZoneError, resolveTimePhrase } from '../../src/classify/timeResolver.ts';

/** Epoch ms of an ISO string (with offset), or of a local wall time in `zone`. */
const ms = (iso: string, zone?: string) => DateTime.fromISO(iso, zone ? { zone } : { setZone: true }).toMillis();

interface Case {
  text: string;
  now: string;
  zone: string;
  /** Expected instant, ISO with offset. */
  expect: string;
}

function check(c: Case) {
  test(`${JSON.stringify(c.text)} at ${c.now} (${c.zone}) → ${c.expect}`, () => {
    const r = classifyRules({ text: c.text, now: ms(c.now), timezone: c.zone });
    assert.equal(r.intent, 'request_time', `intent for ${c.text}`);
    const got = DateTime.fromMillis(r.requestedAt!, { zone: c.zone }).toISO();
    assert.equal(r.requestedAt, ms(c.expect), `got ${got}`);
  });
}

describe('vague-time conventions', () => {
  const NOW = '2026-02-04T10:00:00-05:00'; // Wednesday, New York
  const Z = 'America/New_York';
  const cases: [string, string][] = [
    ['call me tomorrow at 3', '2026-02-05T15:00:00-05:00'], // bare 1–7 → pm
    ['call me at 9', '2026-02-05T09:00:00-05:00'], // bare 8–11 → am, next occurrence
    ['tomorrow morning', '2026-02-05T09:00:00-05:00'],
    ['this afternoon if you can', '2026-02-04T14:00:00-05:00'],
    ['tomorrow evening is good', '2026-02-05T18:00:00-05:00'],
    ['text me tonight', '2026-02-04T19:00:00-05:00'],
    ['tonight around 8 is better', '2026-02-04T20:00:00-05:00'],
    ['can you reach out end of day?', '2026-02-04T17:00:00-05:00'],
    ['lunch time tomorrow', '2026-02-05T12:00:00-05:00'],
    ['ping me after lunch', '2026-02-04T14:00:00-05:00'],
    ['after 5', '2026-02-04T17:00:00-05:00'],
    ['around 3ish', '2026-02-04T15:00:00-05:00'],
    ['Call me tomorrow between 4 and 5', '2026-02-05T16:30:00-05:00'],
    ['next week', '2026-02-09T09:00:00-05:00'],
    ['shoot me a text the week after next', '2026-02-16T09:00:00-05:00'],
    ['this weekend is better for me', '2026-02-07T09:00:00-05:00'],
    ['can we pick this up next month?', '2026-03-01T09:00:00-05:00'],
    ['try me thursday', '2026-02-05T09:00:00-05:00'], // date without time → 09:00
    ['next Tuesday at 11 works', '2026-02-10T11:00:00-05:00'],
    ['give me 15 mins', '2026-02-04T10:15:00-05:00'],
    ['in an hour and a half', '2026-02-04T11:30:00-05:00'],
    ['try me again in a couple days', '2026-02-06T10:00:00-05:00'], // days keep the wall clock
    ['Could you follow up in 3 days?', '2026-02-07T10:00:00-05:00'],
    ['Try again in a week', '2026-02-11T10:00:00-05:00'],
    ['message me again on the 15th', '2026-02-15T09:00:00-05:00'],
    ['call me at 7:30 pm', '2026-02-04T19:30:00-05:00'],
    ['CALL ME AT 5', '2026-02-04T17:00:00-05:00'],
  ];
  for (const [text, expect] of cases) check({ text, now: NOW, zone: Z, expect });

  test('a weekday said on that weekday is next week\'s; "this Friday" is today', () => {
    const fri = ms('2026-02-20T11:00:00-05:00');
    assert.equal(
      classifyRules({ text: 'try me friday', now: fri, timezone: Z }).requestedAt,
      ms('2026-02-27T09:00:00-05:00'),
    );
    assert.equal(
      classifyRules({ text: 'this friday after 1', now: fri, timezone: Z }).requestedAt,
      ms('2026-02-20T13:00:00-05:00'),
    );
  });
  test('"till 8" / "after 9" said late morning means this evening', () => {
    const r = classifyRules({ text: 'on shift till 8, call after', now: ms('2026-02-20T11:00:00-05:00'), timezone: Z });
    assert.equal(r.requestedAt, ms('2026-02-20T20:00:00-05:00'));
    const s = classifyRules({ text: 'call me at 9', now: ms('2026-02-20T11:00:00-05:00'), timezone: Z });
    assert.equal(s.requestedAt, ms('2026-02-21T09:00:00-05:00'), 'a plain "at 9" keeps the morning convention');
  });
  test('"next week" said on a Sunday is tomorrow', () => {
    const r = classifyRules({ text: 'catch me next week', now: ms('2026-02-08T15:00:00-05:00'), timezone: Z });
    assert.equal(r.requestedAt, ms('2026-02-09T09:00:00-05:00'));
  });
  test('"later" alone is busy, "later today, after 6" is 18:00', () => {
    assert.equal(classifyRules({ text: 'Later.', now: ms(NOW), timezone: Z }).intent, 'busy');
    const r = classifyRules({ text: 'later today, after 6', now: ms(NOW), timezone: Z });
    assert.equal(r.requestedAt, ms('2026-02-04T18:00:00-05:00'));
  });
  test('holidays: "after the holidays" is the first Monday after New Year', () => {
    const r = classifyRules({ text: 'after the holidays pls', now: ms('2025-12-18T14:00:00-05:00'), timezone: Z });
    assert.equal(r.requestedAt, ms('2026-01-05T09:00:00-05:00'));
  });
  test('conventions are configurable', () => {
    const r = classifyRules(
      { text: 'tomorrow evening', now: ms(NOW), timezone: Z },
      { conventions: { evening: 19 * 60 + 30 } },
    );
    assert.equal(r.requestedAt, ms('2026-02-05T19:30:00-05:00'));
    const s = classifyRules({ text: 'call me at 6', now: ms(NOW), timezone: Z }, { conventions: { bareHourPmTo: 5 } });
    assert.equal(s.requestedAt, ms('2026-02-05T06:00:00-05:00'));
    assert.equal(DEFAULT_CONVENTIONS.evening, 18 * 60, 'defaults are not mutated');
  });
});

describe('DST days', () => {
  // America/New_York springs forward 2026-03-08 02:00 → 03:00.
  check({
    text: 'Tomorrow at 10 is better',
    now: '2026-03-07T21:40:00-05:00',
    zone: 'America/New_York',
    expect: '2026-03-08T10:00:00-04:00',
  });
  check({
    text: 'can you text me in 10 hours? going to sleep',
    now: '2026-03-07T23:50:00-05:00',
    zone: 'America/New_York',
    expect: '2026-03-08T10:50:00-04:00',
  });
  check({
    text: 'in 2 days',
    now: '2026-03-07T10:00:00-05:00',
    zone: 'America/New_York',
    expect: '2026-03-09T10:00:00-04:00',
  });
  check({
    text: 'Sunday at 2 pm?',
    now: '2026-03-06T18:00:00-05:00',
    zone: 'America/New_York',
    expect: '2026-03-08T14:00:00-04:00',
  });
  test('a wall time inside the spring-forward gap moves forward by the gap', () => {
    const r = classifyRules({
      text: 'call me tomorrow at 2:30 am',
      now: ms('2026-03-07T20:00:00-05:00'),
      timezone: 'America/New_York',
    });
    assert.equal(r.requestedAt, ms('2026-03-08T03:30:00-04:00'));
  });
  // America/New_York falls back 2026-11-01 02:00 → 01:00.
  check({
    text: 'Sunday 3pm works, call then',
    now: '2026-10-31T20:00:00-04:00',
    zone: 'America/New_York',
    expect: '2026-11-01T15:00:00-05:00',
  });
  check({
    text: 'call me tomorrow at 9',
    now: '2026-10-31T22:00:00-04:00',
    zone: 'America/New_York',
    expect: '2026-11-01T09:00:00-05:00',
  });
  check({
    text: 'in 2 hours',
    now: '2026-11-01T00:30:00-04:00',
    zone: 'America/New_York',
    expect: '2026-11-01T01:30:00-05:00',
  });
  // Europe/London: BST starts 2026-03-29 01:00 GMT, ends 2026-10-25 02:00 BST.
  check({
    text: 'text me at 10 in the morning',
    now: '2026-03-29T00:20:00+00:00',
    zone: 'Europe/London',
    expect: '2026-03-29T10:00:00+01:00',
  });
  check({
    text: 'ring me tomorrow morning',
    now: '2026-03-28T22:00:00+00:00',
    zone: 'Europe/London',
    expect: '2026-03-29T09:00:00+01:00',
  });
  check({
    text: 'call me tomorrow at 9',
    now: '2026-10-24T20:00:00+01:00',
    zone: 'Europe/London',
    expect: '2026-10-25T09:00:00+00:00',
  });
  check({
    text: 'in 3 hours',
    now: '2026-10-25T00:30:00+01:00',
    zone: 'Europe/London',
    expect: '2026-10-25T02:30:00+00:00',
  });
  // Europe/Berlin: elapsed hours across the change move the wall clock.
  check({
    text: 'Schreib mir in 10 Stunden, ich schlafe jetzt',
    now: '2026-03-28T23:00:00+01:00',
    zone: 'Europe/Berlin',
    expect: '2026-03-29T10:00:00+02:00',
  });
  // Australia/Sydney: DST ends 2026-04-05 03:00 → 02:00.
  check({
    text: 'call me sunday 10am',
    now: '2026-04-04T18:00:00+11:00',
    zone: 'Australia/Sydney',
    expect: '2026-04-05T10:00:00+10:00',
  });
  // Australia/Lord_Howe moves by half an hour: DST ends 2026-04-05 02:00 (+11:00 → +10:30).
  check({
    text: 'call me sunday 10am',
    now: '2026-04-04T18:00:00+11:00',
    zone: 'Australia/Lord_Howe',
    expect: '2026-04-05T10:00:00+10:30',
  });
  check({
    text: 'in 3 hours',
    now: '2026-04-05T00:30:00+11:00',
    zone: 'Australia/Lord_Howe',
    expect: '2026-04-05T03:00:00+10:30',
  });
  // Arizona has no DST; "UTC" is luxon's fixed zone, not an IANA one.
  check({
    text: 'tomorrow 9am pls',
    now: '2026-03-07T16:00:00-07:00',
    zone: 'America/Phoenix',
    expect: '2026-03-08T09:00:00-07:00',
  });
  check({ text: 'tomorrow 9am pls', now: '2026-03-07T16:00:00Z', zone: 'UTC', expect: '2026-03-08T09:00:00Z' });
  // A `now` given in UTC is read in the contact's zone.
  check({
    text: 'pls call tmrw morning at 9 sharp',
    now: '2026-03-09T02:30:00Z',
    zone: 'America/New_York',
    expect: '2026-03-09T09:00:00-04:00',
  });
  check({
    text: 'can you call me at 4 today',
    now: '2026-02-10T22:00:00Z',
    zone: 'Australia/Sydney',
    expect: '2026-02-11T16:00:00+11:00',
  });
});

describe('month and year ends', () => {
  check({
    text: 'tomorrow morning works better for me',
    now: '2026-03-31T17:00:00+02:00',
    zone: 'Europe/Berlin',
    expect: '2026-04-01T09:00:00+02:00',
  });
  check({
    text: 'tomorrow evening is good',
    now: '2026-02-28T14:00:00+05:30',
    zone: 'Asia/Kolkata',
    expect: '2026-03-01T18:00:00+05:30',
  });
  check({
    text: 'call me tomorrow at 11, happy new year!',
    now: '2025-12-31T16:00:00-05:00',
    zone: 'America/New_York',
    expect: '2026-01-01T11:00:00-05:00',
  });
  check({
    text: 'text me on the 2nd',
    now: '2025-12-30T10:00:00-03:00',
    zone: 'America/Sao_Paulo',
    expect: '2026-01-02T09:00:00-03:00',
  });
  check({
    text: "reach out again on the 1st, that's when I get paid",
    now: '2026-01-20T12:00:00-05:00',
    zone: 'America/New_York',
    expect: '2026-02-01T09:00:00-05:00',
  });
  check({
    text: 'text me on the 31st',
    now: '2026-02-10T09:00:00-05:00',
    zone: 'America/New_York',
    expect: '2026-03-31T09:00:00-04:00',
  });
  check({
    text: 'follow up next week please',
    now: '2026-12-30T16:00:00-06:00',
    zone: 'America/Chicago',
    expect: '2027-01-04T09:00:00-06:00',
  });
  check({
    text: 'sometime next month',
    now: '2026-12-10T12:00:00+01:00',
    zone: 'Europe/Berlin',
    expect: '2027-01-01T09:00:00+01:00',
  });
  check({
    text: 'try me again in a couple days',
    now: '2026-01-31T10:00:00-08:00',
    zone: 'America/Los_Angeles',
    expect: '2026-02-02T10:00:00-08:00',
  });
  check({
    text: 'catch me next week',
    now: '2025-11-30T15:00:00+11:00',
    zone: 'Australia/Sydney',
    expect: '2025-12-01T09:00:00+11:00',
  });
});

describe('other languages resolve with the same conventions', () => {
  check({
    text: 'Appelez-moi lundi à 9h',
    now: '2026-03-06T16:00:00-05:00',
    zone: 'America/Toronto',
    expect: '2026-03-09T09:00:00-04:00',
  });
  check({
    text: 'llámame mañana a las 4',
    now: '2026-02-12T09:15:00-06:00',
    zone: 'America/Mexico_City',
    expect: '2026-02-13T16:00:00-06:00',
  });
  check({
    text: 'Escríbeme el lunes por la mañana',
    now: '2026-03-27T12:00:00+01:00',
    zone: 'Europe/Madrid',
    expect: '2026-03-30T09:00:00+02:00',
  });
  check({
    text: 'Fala comigo amanhã às 11',
    now: '2026-03-28T20:00:00+00:00',
    zone: 'Europe/Lisbon',
    expect: '2026-03-29T11:00:00+01:00',
  });
  check({
    text: 'Können Sie mich morgen um 10 anrufen?',
    now: '2025-11-25T15:35:00+01:00',
    zone: 'Europe/Berlin',
    expect: '2025-11-26T10:00:00+01:00',
  });
  check({
    text: 'ruf mich um halb 3 an',
    now: '2026-02-05T10:00:00+01:00',
    zone: 'Europe/Berlin',
    expect: '2026-02-05T14:30:00+01:00',
  });
});

describe('resolveTimePhrase (for model-extracted phrases)', () => {
  const now = ms('2026-02-04T10:00:00-05:00');
  test('resolves a phrase and reports it as written', () => {
    const r = resolveTimePhrase('Friday afternoon', now, 'America/New_York');
    assert.ok(r);
    assert.equal(r.at, ms('2026-02-06T14:00:00-05:00'));
    assert.equal(r.phrase, 'Friday afternoon');
    assert.equal(r.zone, 'America/New_York');
    assert.equal(r.wallClock, 'Fri 2:00 PM');
  });
  test('month-name dates (chrono) in several languages', () => {
    assert.equal(resolveTimePhrase('march 10', now, 'America/New_York')?.at, ms('2026-03-10T09:00:00-04:00'));
    assert.equal(resolveTimePhrase('le 10 mars à 15h', now, 'Europe/Paris')?.at, ms('2026-03-10T15:00:00+01:00'));
    assert.equal(resolveTimePhrase('am 10. März', now, 'Europe/Berlin')?.at, ms('2026-03-10T09:00:00+01:00'));
    assert.equal(resolveTimePhrase('10 de marzo', now, 'Europe/Madrid')?.at, ms('2026-03-10T09:00:00+01:00'));
  });
  test('an explicit zone abbreviation overrides the contact zone', () => {
    const r = resolveTimePhrase('6 pm EST', now, 'Europe/London');
    assert.ok(r);
    assert.equal(r.at, ms('2026-02-04T18:00:00-05:00'));
    assert.equal(r.zone, 'America/New_York');
  });
  test('the wall clock shows the date when a week or more away', () => {
    assert.equal(resolveTimePhrase('in 2 weeks', now, 'America/New_York')?.wallClock, 'Wed Feb 18, 10:00 AM');
  });
  test('no future time → null; bad zone → InvalidZoneError', () => {
    assert.equal(resolveTimePhrase('whenever', now, 'UTC'), null);
    assert.equal(resolveTimePhrase('yesterday', now, 'UTC'), null);
    assert.equal(resolveTimePhrase('', now, 'UTC'), null);
    assert.throws(() => resolveTimePhrase('tomorrow', now, 'Not/AZone'), InvalidZoneError);
  });
});
