import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_FEATURE_OPTIONS, extractFeatures } from '../../src/classify/features.ts';

/** The buckets a hint adds: those of the vector with the hint that the vector without it lacks. */
function hintValues(hintWeight: number | undefined): number[] {
  const options = { ...DEFAULT_FEATURE_OPTIONS, hintWeight };
  const plain = extractFeatures('no thanks', options);
  const hinted = extractFeatures('no thanks', options, ['rules:not_interested']);
  const known = new Set(plain.index);
  return [...hinted.index].flatMap((i, k) => (known.has(i) ? [] : [hinted.value[k]]));
}

describe('features', () => {
  test('a rule hint carries the hint weight, and 1 for a model file written without one', () => {
    assert.deepEqual(
      hintValues(0.3).map((v) => Math.round(v * 1e6) / 1e6),
      [0.3],
    );
    assert.deepEqual(hintValues(undefined), [1]);
  });

  test('the shipped options give the rule hints less weight than a unit-length word group', () => {
    assert.ok((DEFAULT_FEATURE_OPTIONS.hintWeight ?? 1) < 1);
  });

  test('the same text gives the same vector', () => {
    const a = extractFeatures('Wir sind nach Hamburg gezogen', DEFAULT_FEATURE_OPTIONS, ['rules:engaged']);
    const b = extractFeatures('Wir sind nach Hamburg gezogen', DEFAULT_FEATURE_OPTIONS, ['rules:engaged']);
    assert.deepEqual([...a.index], [...b.index]);
    assert.deepEqual([...a.value], [...b.value]);
  });
});
