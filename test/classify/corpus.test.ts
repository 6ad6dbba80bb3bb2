import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { buildSource, SOURCES } from '../../scripts/corpus/build.ts';
import { checkCorpus, corpusFiles, normaliseText, recordProblems } from '../../scripts/corpus/check.ts';
import { buildPlain, PLAIN_OUTPUTS } from '../../scripts/corpus/plain.ts';

const valid = {
  id: 'x-1',
  text: 'call me tomorrow at 3',
  now: '2026-03-06T10:00:00-05:00',
  timezone: 'America/New_York',
  intent: 'request_time',
  followup_at: '2026-03-07T15:00:00-05:00',
  tolerance_minutes: 0,
  lang: 'en',
};

describe('corpus checker', () => {
  const files = corpusFiles();
  const noCorpus = files.length === 0 ? 'no data/corpus/*.jsonl yet' : false;

  test(
    'every data/corpus file is valid, with unique ids and no duplicate text (also against the train file)',
    { skip: noCorpus },
    () => {
      const result = checkCorpus(files);
      const shown = result.problems.slice(0, 20).map((p) => `${p.file}:${p.line}: ${p.message}`);
      assert.deepEqual(shown, []);
    },
  );

  test('the English files are exactly what their labelled sources build (followup_at computed, not typed)', () => {
    for (const name of SOURCES) {
      assert.equal(
        buildSource(name),
        readFileSync(`data/corpus/${name}.jsonl`, 'utf8'),
        `${name}: run scripts/corpus/build.ts`,
      );
    }
  });

  test('the files without follow-up times are exactly what their sources build', () => {
    for (const output of PLAIN_OUTPUTS) {
      assert.equal(
        buildPlain(output),
        readFileSync(`data/corpus/${output.file}`, 'utf8'),
        `${output.file}: run node --import tsx scripts/corpus/plain.ts`,
      );
    }
  });

  test('a valid time request has no problems', () => {
    assert.deepEqual(recordProblems(valid), []);
  });

  test('a time request needs a followup_at after now and a tolerance', () => {
    assert.ok(
      recordProblems({ ...valid, followup_at: '2026-03-06T09:00:00-05:00' }).some((m) => /not after now/.test(m)),
    );
    const { tolerance_minutes: _dropped, ...noTolerance } = valid;
    assert.ok(recordProblems(noTolerance).some((m) => /tolerance_minutes/.test(m)));
  });

  test('unknown intents, zones and missing lang are reported', () => {
    assert.ok(recordProblems({ ...valid, intent: 'maybe' }).some((m) => /unknown intent/.test(m)));
    assert.ok(recordProblems({ ...valid, timezone: 'Mars/Olympus' }).some((m) => /IANA/.test(m)));
    const { lang: _lang, ...noLang } = valid;
    assert.ok(recordProblems(noLang).some((m) => /lang/.test(m)));
  });

  test("a written offset must be the zone's at that instant", () => {
    assert.ok(recordProblems({ ...valid, followup_at: '2026-03-07T15:00:00-04:00' }).some((m) => /offset/.test(m)));
    assert.deepEqual(recordProblems({ ...valid, now: '2026-03-06T15:00:00Z' }), []);
  });

  test('only request_time carries a follow-up time', () => {
    assert.ok(recordProblems({ ...valid, intent: 'busy' }).some((m) => /only belong/.test(m)));
  });

  test('normalised text folds case, accents, punctuation and emoji', () => {
    assert.equal(normaliseText('  STOP!! 🙏 Café'), normaliseText('stop cafe'));
  });
});
