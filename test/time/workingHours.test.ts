import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { isOpenAt, nextAllowedInstant, type WorkingHours } from '../../src/time/workingHours.ts';
import { localToInstant, wallTimeToInstant, ianaZone, luxonZone } from '../../src/time/wallTime.ts';

const ms = (iso: string) => Date.parse(iso);
const iso = (at: number) => new Date(at).toISOString();

const nineToFive = (start = '08:00', end = '17:00'): WorkingHours => ({
  mon: [{ start, end }],
  tue: [{ start, end }],
  wed: [{ start, end }],
  thu: [{ start, end }],
  fri: [{ start, end }],
});

// Inputs and expectations are written with explicit UTC offsets so the table itself does
// not depend on the code under test. 2026-03-06 is a Friday.
const cases: { name: string; zone: string; hours: WorkingHours; due: string; at: string; deferred: boolean }[] = [
  {
    name: 'due 21:00 → 08:00 next working day',
    zone: 'America/New_York',
    hours: nineToFive(),
    due: '2026-05-05T21:00:00-04:00',
    at: '2026-05-06T08:00:00-04:00',
    deferred: true,
  },
  {
    name: 'Friday evening → Monday morning',
    zone: 'America/New_York',
    hours: nineToFive(),
    due: '2026-05-08T18:30:00-04:00',
    at: '2026-05-11T08:00:00-04:00',
    deferred: true,
  },
  {
    name: 'Saturday → Monday',
    zone: 'Europe/Berlin',
    hours: nineToFive(),
    due: '2026-05-09T12:00:00+02:00',
    at: '2026-05-11T08:00:00+02:00',
    deferred: true,
  },
  {
    name: 'inside hours → unchanged',
    zone: 'America/New_York',
    hours: nineToFive(),
    due: '2026-05-05T10:15:00-04:00',
    at: '2026-05-05T10:15:00-04:00',
    deferred: false,
  },
  {
    name: 'exactly at opening → unchanged',
    zone: 'America/New_York',
    hours: nineToFive(),
    due: '2026-05-05T08:00:00-04:00',
    at: '2026-05-05T08:00:00-04:00',
    deferred: false,
  },
  {
    name: 'exactly at closing → next opening (end is exclusive)',
    zone: 'America/New_York',
    hours: nineToFive(),
    due: '2026-05-05T17:00:00-04:00',
    at: '2026-05-06T08:00:00-04:00',
    deferred: true,
  },
  {
    name: 'early morning → same day opening',
    zone: 'Asia/Tokyo',
    hours: nineToFive(),
    due: '2026-05-05T06:00:00+09:00',
    at: '2026-05-05T08:00:00+09:00',
    deferred: true,
  },
  {
    name: 'read in the bot zone, not UTC',
    zone: 'Asia/Tokyo',
    hours: nineToFive(),
    due: '2026-05-05T00:30:00Z',
    at: '2026-05-05T09:30:00+09:00',
    deferred: false,
  },
  {
    name: 'closed days are skipped (open Tue/Thu only, an explicit empty Wednesday)',
    zone: 'Europe/London',
    hours: { tue: [{ start: '09:00', end: '12:00' }], wed: [], thu: [{ start: '09:00', end: '12:00' }] },
    due: '2026-05-05T13:00:00+01:00',
    at: '2026-05-07T09:00:00+01:00',
    deferred: true,
  },
  {
    name: 'lunch break → afternoon interval',
    zone: 'Europe/Paris',
    hours: {
      mon: [
        { start: '13:00', end: '17:00' },
        { start: '09:00', end: '12:00' },
      ],
    },
    due: '2026-05-04T12:30:00+02:00',
    at: '2026-05-04T13:00:00+02:00',
    deferred: true,
  },
  {
    name: 'an interval ending at 24:00 includes 23:59',
    zone: 'UTC',
    hours: { sat: [{ start: '20:00', end: '24:00' }] },
    due: '2026-05-09T23:59:00Z',
    at: '2026-05-09T23:59:00Z',
    deferred: false,
  },
  {
    name: 'midnight after a 24:00 end → next week',
    zone: 'UTC',
    hours: { sat: [{ start: '20:00', end: '24:00' }] },
    due: '2026-05-10T00:00:00Z',
    at: '2026-05-16T20:00:00Z',
    deferred: true,
  },
  {
    name: 'once-a-week opening wraps the year end',
    zone: 'Pacific/Auckland',
    hours: { mon: [{ start: '10:00', end: '11:00' }] },
    due: '2026-12-29T12:00:00+13:00',
    at: '2027-01-04T10:00:00+13:00',
    deferred: true,
  },
  // --- DST, spring forward
  {
    name: 'New York spring forward: Friday evening → Monday 08:00 EDT',
    zone: 'America/New_York',
    hours: nineToFive(),
    due: '2026-03-06T18:00:00-05:00',
    at: '2026-03-09T08:00:00-04:00',
    deferred: true,
  },
  {
    name: 'New York 2026-03-08: an opening at 02:30 (does not exist) starts at 03:00 EDT',
    zone: 'America/New_York',
    hours: { sun: [{ start: '02:30', end: '05:00' }] },
    due: '2026-03-07T23:00:00-05:00',
    at: '2026-03-08T03:00:00-04:00',
    deferred: true,
  },
  {
    name: 'New York 2026-03-08: due just after the gap, inside the opening → unchanged',
    zone: 'America/New_York',
    hours: { sun: [{ start: '02:30', end: '05:00' }] },
    due: '2026-03-08T03:10:00-04:00',
    at: '2026-03-08T03:10:00-04:00',
    deferred: false,
  },
  {
    name: 'Berlin 2026-03-29: an opening at 02:30 (does not exist) starts at 03:00 CEST',
    zone: 'Europe/Berlin',
    hours: { sun: [{ start: '02:30', end: '06:00' }] },
    due: '2026-03-28T22:00:00+01:00',
    at: '2026-03-29T03:00:00+02:00',
    deferred: true,
  },
  {
    name: 'Berlin 2026-03-29: an interval entirely inside the gap is empty that day',
    zone: 'Europe/Berlin',
    hours: { sun: [{ start: '02:00', end: '02:45' }], mon: [{ start: '09:00', end: '10:00' }] },
    due: '2026-03-28T22:00:00+01:00',
    at: '2026-03-30T09:00:00+02:00',
    deferred: true,
  },
  // --- DST, fall back
  {
    name: 'New York 2026-11-01: an opening at 01:30 (exists twice) uses the earlier, EDT one',
    zone: 'America/New_York',
    hours: { sun: [{ start: '01:30', end: '02:30' }] },
    due: '2026-10-31T22:00:00-04:00',
    at: '2026-11-01T01:30:00-04:00',
    deferred: true,
  },
  {
    name: 'New York 2026-11-01: no double counting, the repeated 01:30–01:40 EST is not an opening',
    zone: 'America/New_York',
    hours: { sun: [{ start: '01:30', end: '01:40' }] },
    due: '2026-11-01T01:45:00-04:00',
    at: '2026-11-08T01:30:00-05:00',
    deferred: true,
  },
  {
    name: 'New York fall back: Sunday evening → Monday 08:00 EST',
    zone: 'America/New_York',
    hours: nineToFive(),
    due: '2026-11-01T20:00:00-05:00',
    at: '2026-11-02T08:00:00-05:00',
    deferred: true,
  },
  {
    name: 'Berlin 2026-10-25: an opening at 02:30 (exists twice) uses the earlier, CEST one',
    zone: 'Europe/Berlin',
    hours: { sun: [{ start: '02:30', end: '04:00' }] },
    due: '2026-10-24T22:00:00+02:00',
    at: '2026-10-25T02:30:00+02:00',
    deferred: true,
  },
  {
    name: 'Berlin 2026-10-25: no double counting, the repeated 02:15–02:45 CET is not an opening',
    zone: 'Europe/Berlin',
    hours: { sun: [{ start: '02:15', end: '02:45' }] },
    due: '2026-10-25T02:50:00+02:00',
    at: '2026-11-01T02:15:00+01:00',
    deferred: true,
  },
  {
    name: 'Berlin fall back: Saturday → Monday 08:00 CET',
    zone: 'Europe/Berlin',
    hours: nineToFive(),
    due: '2026-10-24T18:00:00+02:00',
    at: '2026-10-26T08:00:00+01:00',
    deferred: true,
  },
];

for (const c of cases) {
  test(`nextAllowedInstant: ${c.name}`, () => {
    const result = nextAllowedInstant(ms(c.due), c.zone, c.hours);
    assert.equal(iso(result.at), iso(ms(c.at)));
    assert.equal(result.deferred, c.deferred);
    assert.equal(result.reason, c.deferred ? 'working_hours' : undefined);
    assert.equal(isOpenAt(ms(c.due), c.zone, c.hours), !c.deferred);
  });
}

test('null working hours = always open', () => {
  const at = ms('2026-05-10T03:00:00Z');
  assert.deepEqual(nextAllowedInstant(at, 'America/New_York', null), { at, deferred: false });
  assert.equal(isOpenAt(at, 'America/New_York', null), true);
});

test('isOpenAt at the edges of an interval', () => {
  const hours = nineToFive();
  assert.equal(isOpenAt(ms('2026-05-05T07:59:59.999-04:00'), 'America/New_York', hours), false);
  assert.equal(isOpenAt(ms('2026-05-05T08:00:00-04:00'), 'America/New_York', hours), true);
  assert.equal(isOpenAt(ms('2026-05-05T16:59:59.999-04:00'), 'America/New_York', hours), true);
  assert.equal(isOpenAt(ms('2026-05-05T17:00:00-04:00'), 'America/New_York', hours), false);
});

test('a table with no opening or an unknown zone is a clear error, not a hang', () => {
  assert.throws(() => nextAllowedInstant(0, 'UTC', {}), /no opening/);
  assert.throws(() => nextAllowedInstant(0, 'Mars/Olympus', nineToFive()), /unknown time zone "Mars\/Olympus"/);
});

test('wall-time conversion: gap → transition instant, overlap → earlier occurrence, normal → exact', () => {
  const ny = ianaZone('America/New_York');
  assert.equal(iso(wallTimeToInstant(ny, { year: 2026, month: 3, day: 8 }, 2 * 60 + 30)), '2026-03-08T07:00:00.000Z');
  assert.equal(iso(wallTimeToInstant(ny, { year: 2026, month: 11, day: 1 }, 60 + 30)), '2026-11-01T05:30:00.000Z');
  assert.equal(iso(wallTimeToInstant(ny, { year: 2026, month: 7, day: 1 }, 12 * 60)), '2026-07-01T16:00:00.000Z');
  // Lord Howe shifts by 30 minutes: 02:15 on its spring-forward night does not exist.
  assert.equal(
    iso(localToInstant('Australia/Lord_Howe', { year: 2026, month: 10, day: 4 }, '02:15')),
    '2026-10-03T15:30:00.000Z',
  );
  assert.equal(iso(localToInstant('UTC', { year: 2026, month: 12, day: 31 }, '24:00')), '2027-01-01T00:00:00.000Z');
});

test('luxonZone: IANA names get the offset-memoizing zone, luxon keeps its own for the rest', () => {
  assert.equal(luxonZone('Europe/London'), ianaZone('Europe/London'), 'the same memoizing zone working hours use');
  const utc = luxonZone('UTC');
  assert.ok(typeof utc !== 'string' && utc.type === 'fixed', "UTC stays luxon's fixed zone");
  assert.equal(luxonZone('Mars/Olympus'), 'Mars/Olympus', 'an unknown name stays a string: luxon reports it invalid');
  assert.equal(DateTime.fromMillis(0, { zone: luxonZone('Mars/Olympus') }).isValid, false);
  const at = ms('2026-10-25T00:30:00Z');
  assert.equal(
    DateTime.fromMillis(at, { zone: luxonZone('Europe/London') }).toISO(),
    DateTime.fromMillis(at, { zone: 'Europe/London' }).toISO(),
  );
});
