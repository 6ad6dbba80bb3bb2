import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationToMs, formatDuration, tryDurationMs, type Duration } from '../../src/config/duration.ts';

test('durationToMs accepts compact strings and {value, unit} objects', () => {
  const cases: [Duration, number][] = [
    ['0m', 0],
    ['90s', 90_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['365d', 365 * 86_400_000],
    [{ value: 0, unit: 'seconds' }, 0],
    [{ value: 15, unit: 'minutes' }, 900_000],
    [{ value: 1.5, unit: 'hours' }, 5_400_000],
    [{ value: 3, unit: 'days' }, 259_200_000],
  ];
  for (const [d, ms] of cases) assert.equal(durationToMs(d), ms, JSON.stringify(d));
});

test('durationToMs throws a clear error for anything else', () => {
  const bad: [unknown, RegExp][] = [
    ['5', /"5" is not a duration like "90s"/],
    ['5w', /not a duration/],
    ['-1m', /not a duration/],
    ['1.5h', /not a duration/],
    [' 5m', /not a duration/],
    ['366d', /at most 365 days/],
    [{ value: -1, unit: 'hours' }, /≥ 0/],
    [{ value: Number.NaN, unit: 'hours' }, /≥ 0/],
    [{ value: 1, unit: 'weeks' }, /unit must be one of/],
    [{ value: 1, unit: 'hours', extra: true }, /unknown field "extra"/],
    [42, /expected a duration/],
    [null, /expected a duration/],
  ];
  for (const [d, re] of bad) {
    assert.throws(() => durationToMs(d as Duration), re, JSON.stringify(d));
    assert.equal(tryDurationMs(d).ok, false);
  }
});

test('formatDuration gives compact human text', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(90_000), '1m 30s');
  assert.equal(formatDuration(3_600_000), '1h');
  assert.equal(formatDuration(86_400_000 + 7_200_000), '1d 2h');
  assert.equal(formatDuration(250), '250ms');
});
