import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoized } from '../src/memo.ts';
import { ianaZone } from '../src/time/wallTime.ts';
import { guessZoneFromPhone } from '../src/time/phoneZone.ts';

test('memoized computes each argument once while it stays among the most recent', () => {
  const calls: number[] = [];
  const square = memoized((n: number) => {
    calls.push(n);
    return n * n;
  }, 2);
  assert.equal(square(3), 9);
  assert.equal(square(3), 9);
  assert.deepEqual(calls, [3], 'a repeat is answered from the memo');
  square(4);
  square(3); // 3 is now the most recent, 4 the least
  square(5); // evicts 4
  square(3);
  assert.deepEqual(calls, [3, 4, 5]);
  square(4);
  assert.deepEqual(calls, [3, 4, 5, 4], 'the evicted argument is computed again');
});

test('memoized remembers null results (a phone number that says nothing)', () => {
  let calls = 0;
  const nothing = memoized((_: string) => {
    calls++;
    return null;
  }, 4);
  assert.equal(nothing('x'), null);
  assert.equal(nothing('x'), null);
  assert.equal(calls, 1);
});

test('the memoized zone gives the same offsets as luxon on both sides of a DST change', () => {
  const paris = ianaZone('Europe/Paris');
  const springForward = Date.parse('2026-03-29T01:00:00Z');
  for (let round = 0; round < 2; round++) {
    assert.equal(paris.offset(springForward - 1), 60);
    assert.equal(paris.offset(springForward), 120);
  }
  assert.equal(guessZoneFromPhone('+33 6 12 34 56 78'), 'Europe/Paris');
  assert.equal(guessZoneFromPhone('+33 6 12 34 56 78'), 'Europe/Paris');
  assert.equal(guessZoneFromPhone('not a number'), null);
});
