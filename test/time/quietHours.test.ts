import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  combineDeferrals,
  contactZone,
  isQuietAt,
  nextOutsideQuietHours,
  type QuietHours,
} from '../../src/time/quietHours.ts';
import type { WorkingHours } from '../../src/time/workingHours.ts';

const ms = (iso: string) => Date.parse(iso);
const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

const quietCases: { name: string; zone: string; quiet?: QuietHours; due: string; at: string; deferred: boolean }[] = [
  {
    name: '22:30 → 08:00 next morning (default window wraps midnight)',
    zone: 'Europe/London',
    due: '2026-05-05T22:30:00+01:00',
    at: '2026-05-06T08:00:00+01:00',
    deferred: true,
  },
  {
    name: '03:00 → 08:00 same morning',
    zone: 'Europe/London',
    due: '2026-05-06T03:00:00+01:00',
    at: '2026-05-06T08:00:00+01:00',
    deferred: true,
  },
  {
    name: '21:00 is quiet (start inclusive)',
    zone: 'Europe/London',
    due: '2026-05-05T21:00:00+01:00',
    at: '2026-05-06T08:00:00+01:00',
    deferred: true,
  },
  {
    name: '20:59 is not quiet',
    zone: 'Europe/London',
    due: '2026-05-05T20:59:00+01:00',
    at: '2026-05-05T20:59:00+01:00',
    deferred: false,
  },
  {
    name: '08:00 is not quiet (end exclusive)',
    zone: 'Europe/London',
    due: '2026-05-06T08:00:00+01:00',
    at: '2026-05-06T08:00:00+01:00',
    deferred: false,
  },
  {
    name: 'read in the contact zone: 03:00Z is 20:00 in Los Angeles',
    zone: 'America/Los_Angeles',
    due: '2026-06-01T03:00:00Z',
    at: '2026-06-01T03:00:00Z',
    deferred: false,
  },
  {
    name: 'read in the contact zone: 03:00Z is 23:00 in New York',
    zone: 'America/New_York',
    due: '2026-06-01T03:00:00Z',
    at: '2026-06-01T08:00:00-04:00',
    deferred: true,
  },
  {
    name: 'non-wrapping window 13:00–14:00',
    zone: 'UTC',
    quiet: { start: '13:00', end: '14:00' },
    due: '2026-05-05T13:30:00Z',
    at: '2026-05-05T14:00:00Z',
    deferred: true,
  },
  {
    name: 'non-wrapping window, outside',
    zone: 'UTC',
    quiet: { start: '13:00', end: '14:00' },
    due: '2026-05-05T23:30:00Z',
    at: '2026-05-05T23:30:00Z',
    deferred: false,
  },
  {
    name: 'window starting at midnight',
    zone: 'UTC',
    quiet: { start: '00:00', end: '06:00' },
    due: '2026-05-05T00:00:00Z',
    at: '2026-05-05T06:00:00Z',
    deferred: true,
  },
  {
    name: 'window ending at midnight',
    zone: 'UTC',
    quiet: { start: '22:00', end: '00:00' },
    due: '2026-05-05T23:00:00Z',
    at: '2026-05-06T00:00:00Z',
    deferred: true,
  },
  {
    name: 'DST night: 01:00 EST → 08:00 EDT',
    zone: 'America/New_York',
    due: '2026-03-08T01:00:00-05:00',
    at: '2026-03-08T08:00:00-04:00',
    deferred: true,
  },
  {
    name: 'fall-back night: 23:00 CEST → 08:00 CET',
    zone: 'Europe/Berlin',
    due: '2026-10-24T23:00:00+02:00',
    at: '2026-10-25T08:00:00+01:00',
    deferred: true,
  },
];

for (const c of quietCases) {
  test(`nextOutsideQuietHours: ${c.name}`, () => {
    const result = nextOutsideQuietHours(ms(c.due), c.zone, c.quiet);
    assert.equal(iso(result.at), iso(ms(c.at)));
    assert.equal(result.deferred, c.deferred);
    assert.equal(result.reason, c.deferred ? 'quiet_hours' : undefined);
    assert.equal(isQuietAt(ms(c.due), c.zone, c.quiet), c.deferred);
  });
}

test('an empty or malformed quiet window is an error', () => {
  assert.throws(() => nextOutsideQuietHours(0, 'UTC', { start: '08:00', end: '08:00' }), /must not be empty/);
  assert.throws(() => nextOutsideQuietHours(0, 'UTC', { start: '9pm', end: '08:00' }), /expected HH:MM/);
});

// ---------------------------------------------------------------------------------------
// which zone a contact's quiet hours are read in

test('contactZone prefers a valid contact zone, then the phone, then the bot', () => {
  assert.deepEqual(contactZone({ contactTimezone: 'Asia/Tokyo', phone: '+12125550123', botTimezone: 'UTC' }), {
    zone: 'Asia/Tokyo',
    source: 'contact',
  });
  assert.deepEqual(contactZone({ contactTimezone: 'Mars/Olympus', phone: '+12125550123', botTimezone: 'UTC' }), {
    zone: 'America/New_York',
    source: 'phone',
  });
  assert.deepEqual(contactZone({ contactTimezone: null, phone: '+442079460000', botTimezone: 'UTC' }), {
    zone: 'Europe/London',
    source: 'phone',
  });
  assert.deepEqual(contactZone({ phone: null, botTimezone: 'Europe/Rome' }), { zone: 'Europe/Rome', source: 'bot' });
  assert.deepEqual(
    contactZone({ phone: '2125550123', botTimezone: 'Europe/Rome' }),
    { zone: 'Europe/Rome', source: 'bot' },
    'not E.164',
  );
  assert.deepEqual(contactZone({ phone: 'call me', botTimezone: 'Europe/Rome' }), {
    zone: 'Europe/Rome',
    source: 'bot',
  });
  assert.deepEqual(
    contactZone({ phone: '+15555550123', botTimezone: 'Europe/Rome' }),
    { zone: 'Europe/Rome', source: 'bot' },
    'unassigned area code',
  );
});

// ---------------------------------------------------------------------------------------
// working hours and quiet hours together

const nyNineToFive: WorkingHours = {
  mon: [{ start: '08:00', end: '17:00' }],
  tue: [{ start: '08:00', end: '17:00' }],
  wed: [{ start: '08:00', end: '17:00' }],
  thu: [{ start: '08:00', end: '17:00' }],
  fri: [{ start: '08:00', end: '17:00' }],
};
const business = { kind: 'working_hours' as const, zone: 'America/New_York', hours: nyNineToFive };

test('combineDeferrals: both already hold → unchanged', () => {
  const due = ms('2026-05-05T12:00:00-04:00');
  assert.deepEqual(combineDeferrals(due, [business, { kind: 'quiet_hours', zone: 'America/Los_Angeles' }]), {
    at: due,
    deferred: false,
    reasons: [],
  });
  assert.deepEqual(combineDeferrals(due, []), { at: due, deferred: false, reasons: [] });
});

test('combineDeferrals: business open but contact asleep → contact 08:00', () => {
  const result = combineDeferrals(ms('2026-05-05T08:00:00-04:00'), [
    business,
    { kind: 'quiet_hours', zone: 'America/Los_Angeles' },
  ]);
  assert.equal(iso(result.at), iso(ms('2026-05-05T08:00:00-07:00')));
  assert.deepEqual(result.reasons, ['quiet_hours']);
});

test('combineDeferrals: closed, then the next opening is inside the contact quiet hours', () => {
  const result = combineDeferrals(ms('2026-05-05T21:00:00-04:00'), [
    business,
    { kind: 'quiet_hours', zone: 'America/Los_Angeles' },
  ]);
  assert.equal(iso(result.at), iso(ms('2026-05-06T08:00:00-07:00')));
  assert.equal(result.deferred, true);
  assert.deepEqual(result.reasons, ['working_hours', 'quiet_hours']);
});

test('combineDeferrals: quiet hours push past Friday closing → the weekend is skipped too', () => {
  // 16:30 in New York is 22:30 in Berlin: quiet until Saturday 08:00 Berlin, when the
  // business is closed; Monday 08:00 New York (14:00 Berlin) satisfies both.
  const result = combineDeferrals(ms('2026-05-08T16:30:00-04:00'), [
    business,
    { kind: 'quiet_hours', zone: 'Europe/Berlin' },
  ]);
  assert.equal(iso(result.at), iso(ms('2026-05-11T08:00:00-04:00')));
  assert.deepEqual(result.reasons, ['quiet_hours', 'working_hours']);
});

test('combineDeferrals: business hours can never widen quiet hours → no_allowed_slot', () => {
  const lateShift = {
    kind: 'working_hours' as const,
    zone: 'UTC',
    hours: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '22:00', end: '23:00' }]]),
    ),
  };
  const result = combineDeferrals(ms('2026-05-05T12:00:00Z'), [lateShift, { kind: 'quiet_hours', zone: 'UTC' }]);
  assert.equal(result.at, null);
  assert.equal(result.at === null && result.reason, 'no_allowed_slot');
  assert.deepEqual(result.reasons, ['working_hours', 'quiet_hours']);
});

test('combineDeferrals: a custom quiet window and the order of the steps do not change the answer', () => {
  const due = ms('2026-05-05T21:00:00-04:00');
  const quiet = { kind: 'quiet_hours' as const, zone: 'Asia/Tokyo', quiet: { start: '22:00', end: '07:00' } };
  const a = combineDeferrals(due, [business, quiet]);
  const b = combineDeferrals(due, [quiet, business]);
  assert.equal(a.at, b.at);
  // Wed 08:00 New York = Wed 21:00 Tokyo: allowed by both.
  assert.equal(iso(a.at), iso(ms('2026-05-06T08:00:00-04:00')));
});
