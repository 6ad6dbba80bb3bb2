/**
 * Regression guard on labelled sets: the rules classifier must keep the targets
 * (accuracy ≥ 0.95, timeWithinTolerance ≥ 0.92) on the shared dev set (when present) and on
 * the held-out sets written for this project under test/fixtures/classify/.
 * No latency assertion here (timing is measured by `npm run eval`, not asserted in tests).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { evaluate, parseDataset } from '../../src/classify/eval.ts';
import { classifyRules } from '../../src/classify/rules.ts';

const SETS = [
  '/work/shared/data/followup-intents.dev.jsonl',
  'test/fixtures/classify/holdout.jsonl',
  'test/fixtures/classify/holdout2.jsonl',
  'test/fixtures/classify/holdout3.jsonl',
  'test/fixtures/classify/holdout4.jsonl',
  'test/fixtures/classify/holdout5.jsonl',
  'test/fixtures/classify/holdout6.jsonl',
  'test/fixtures/classify/holdout7.jsonl',
  'test/fixtures/classify/holdout8.jsonl',
];

describe('rules classifier targets on labelled sets', () => {
  for (const file of SETS) {
    test(file, { skip: existsSync(file) ? false : 'file not present' }, async () => {
      const records = parseDataset(readFileSync(file, 'utf8'), file);
      const { report, results } = await evaluate(records, classifyRules);
      const misses = results
        .filter((r) => !r.correct || r.timeOk === false)
        .map((r) => `${r.record.id}: ${r.record.text}`);
      assert.ok(report.accuracy >= 0.95, `accuracy ${report.accuracy}\n${misses.join('\n')}`);
      assert.ok(
        report.timeWithinTolerance >= 0.92,
        `timeWithinTolerance ${report.timeWithinTolerance}\n${misses.join('\n')}`,
      );
    });
  }
});
