/** The arithmetic of bench/ab.ts: run order, metric lookup and the per-round summary. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abbaOrder, metricAt, summarize } from '../../bench/abStats.ts';

test('runs go in A B B A rounds', () => {
  assert.deepEqual(abbaOrder(2), ['A', 'B', 'B', 'A', 'A', 'B', 'B', 'A']);
  assert.throws(() => abbaOrder(0), /rounds/);
  assert.throws(() => abbaOrder(1.5), /rounds/);
});

test('a metric is read at its dotted path, and only a finite number will do', () => {
  const result = { concurrent: { perSecond: 4067 }, label: 'x', nan: Number.NaN };
  assert.equal(metricAt(result, 'concurrent.perSecond'), 4067);
  assert.throws(() => metricAt(result, 'concurrent.perMinute'), /missing "perMinute"/);
  assert.throws(() => metricAt(result, 'label'), /not a finite number/);
  assert.throws(() => metricAt(result, 'nan'), /not a finite number/);
  assert.throws(() => metricAt(null, 'a'), /missing "a"/);
});

test('each round is compared on its own, so a drift across rounds does not decide', () => {
  // The machine halves its speed between the rounds; B is 10 % faster within each round.
  const values = [1000, 1100, 1100, 1000, 500, 550, 550, 500];
  const s = summarize(values, 'higher');
  assert.equal(s.rounds, 2);
  assert.deepEqual(s.a.values, [1000, 1000, 500, 500]);
  assert.deepEqual(s.b.values, [1100, 1100, 550, 550]);
  assert.deepEqual(
    s.roundRatios.map((x) => Math.round(x * 1000) / 1000),
    [1.1, 1.1],
  );
  assert.ok(Math.abs(s.geomeanRatio - 1.1) < 1e-9);
  assert.equal(s.roundsBWon, 2);
  assert.equal(s.a.median, 750);
  assert.equal(s.b.mean, 825);
});

test('for a lower-is-better figure B wins the rounds where it measured less', () => {
  const s = summarize([10, 8, 9, 11, 10, 12, 12, 10], 'lower');
  assert.equal(s.roundsBWon, 1);
  assert.equal(s.b.min, 8);
  assert.equal(s.a.max, 11);
});

test('an incomplete round or a non-positive value is refused', () => {
  assert.throws(() => summarize([1, 2, 3], 'higher'), /four runs a round/);
  assert.throws(() => summarize([], 'higher'), /four runs a round/);
  assert.throws(() => summarize([1, 0, 1, 1], 'higher'), /positive/);
});
