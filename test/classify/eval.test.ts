import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { DatasetError, evaluate, parseDataset, percentile } from '../../src/classify/eval.ts';
import { runEvalCli } from '../../src/classify/evalCli.ts';
import { DEFAULT_UNCERTAIN_THRESHOLD } from '../../src/classify/local.ts';
import type { Classification } from '../../src/classify/types.ts';
import { closedPort, startFakeOllama, type FakeOllama } from './fakeOllama.ts';

const run = promisify(execFile);
const CLI = 'src/classify/evalCli.ts';
const SMALL = 'test/fixtures/classify/eval-small.jsonl';
const BAD = 'test/fixtures/classify/eval-bad.jsonl';

/** Spawns the real CLI (asynchronously: a fake server in this process must keep answering). */
async function spawnCli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** Runs the CLI in-process (same code path as the binary, minus process start-up). */
async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runEvalCli(
    args,
    { ...env },
    { stdout: (t) => (stdout += `${t}\n`), stderr: (t) => (stderr += `${t}\n`) },
  );
  return { code, stdout, stderr };
}

describe('parseDataset / evaluate', () => {
  test('every bad line is reported with its number', () => {
    const content = '{"text":"x","now":"2026-01-01T00:00:00Z","timezone":"UTC","intent":"busy"}\n{"text":1}\n\nnope\n';
    assert.throws(
      () => parseDataset(content, 'f.jsonl'),
      (e: unknown) =>
        e instanceof DatasetError &&
        e.problems.map((p) => p.line).join(',') === '2,4' &&
        /f\.jsonl: 2 invalid/.test(e.message),
    );
    assert.throws(() => parseDataset('\n\n', 'empty.jsonl'), /no records/);
  });

  test('metrics are computed from the predictions', async () => {
    const records = parseDataset(
      [
        '{"id":"1","text":"a","now":"2026-01-01T10:00:00Z","timezone":"UTC","intent":"busy"}',
        '{"id":"2","text":"b","now":"2026-01-01T10:00:00Z","timezone":"UTC","intent":"busy"}',
        '{"id":"3","text":"c","now":"2026-01-01T10:00:00Z","timezone":"UTC","intent":"request_time","followup_at":"2026-01-01T12:00:00Z","tolerance_minutes":10}',
        '{"id":"4","text":"d","now":"2026-01-01T10:00:00Z","timezone":"UTC","intent":"request_time","followup_at":"2026-01-01T12:00:00Z","tolerance_minutes":10}',
      ].join('\n'),
    );
    const predictions: Record<string, Classification> = {
      a: { intent: 'busy', source: 'rules' },
      b: { intent: 'engaged', source: 'rules' },
      c: { intent: 'request_time', requestedAt: Date.parse('2026-01-01T12:05:00Z'), source: 'rules' },
      d: {
        intent: 'request_time',
        requestedAt: Date.parse('2026-01-01T12:30:00Z'),
        source: 'rules',
        fallbackReason: 'timeout: 5',
      },
    };
    const { report } = await evaluate(records, (input) => predictions[input.text]);
    assert.equal(report.n, 4);
    assert.equal(report.accuracy, 0.75);
    assert.equal(report.timeWithinTolerance, 0.5);
    assert.equal(report.perIntent.busy.precision, 1);
    assert.equal(report.perIntent.busy.recall, 0.5);
    assert.equal(report.perIntent.engaged.precision, 0);
    assert.equal(report.confusion.busy.engaged, 1);
    assert.equal(report.fallbacks, 1);
  });

  test('percentile', () => {
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99), 10);
    assert.equal(percentile([], 50), 0);
  });
});

describe('eval CLI', () => {
  test('--json prints one JSON object with the figures (spawned as npm run eval does)', async () => {
    const r = await spawnCli(['--data', SMALL, '--classifier', 'rules', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.n, 10);
    assert.equal(report.accuracy, 1);
    assert.equal(report.timeWithinTolerance, 1);
    assert.deepEqual(Object.keys(report.perIntent).sort(), [
      'booked',
      'busy',
      'engaged',
      'not_interested',
      'request_time',
    ]);
    assert.equal(typeof report.latencyMs.p99, 'number');
  });

  test('the table output has the confusion matrix and latency', async () => {
    const r = await cli(['--data', SMALL, '--classifier', 'rules']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /confusion/);
    assert.match(r.stdout, /accuracy:\s+100\.0%/);
    assert.match(r.stdout, /p50 .* p99/);
  });

  test('a missing file exits non-zero from the real process', async () => {
    const r = await spawnCli(['--data', 'test/fixtures/classify/does-not-exist.jsonl']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read .*does-not-exist\.jsonl: no such file/);
  });

  test('missing file, bad lines and bad arguments are clear errors with a non-zero exit', async () => {
    const missing = await cli(['--data', 'test/fixtures/classify/does-not-exist.jsonl']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*does-not-exist\.jsonl: no such file/);
    const bad = await cli(['--data', BAD, '--json']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /line 2: .*"intent" must be one of/);
    assert.match(bad.stderr, /line 4: .*"now"/);
    assert.match(bad.stderr, /line 5: not valid JSON/);
    assert.equal(bad.stdout, '');
    const badSplit = await cli(['--data', SMALL, '--split', 'half']);
    assert.equal(badSplit.code, 2);
    assert.match(badSplit.stderr, /--split must be held, train or all/);
    const cvWithRules = await cli(['--cv', '5', '--classifier', 'rules']);
    assert.equal(cvWithRules.code, 2);
    const badClassifier = await cli(['--data', SMALL, '--classifier', 'gpt']);
    assert.equal(badClassifier.code, 2);
  });

  describe('--classifier ollama', () => {
    let server: FakeOllama;
    before(async () => {
      server = await startFakeOllama({
        models: ['tiny:latest'],
        chat: () => ({ content: JSON.stringify({ intent: 'engaged', time_phrase: null }) }),
      });
    });
    after(() => server.close());

    test('uses OLLAMA_HOST and OLLAMA_MODEL', async () => {
      const r = await cli(['--data', SMALL, '--classifier', 'ollama', '--json'], {
        OLLAMA_HOST: server.host,
        OLLAMA_MODEL: 'tiny',
        OLLAMA_TIMEOUT_MS: '10000',
      });
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.match(report.classifier, /ollama \(tiny at http:\/\/127\.0\.0\.1:\d+/);
      // Ollama's answers carry a confidence, so the doubt figures are computed for them too.
      assert.equal(report.calibration.n, 10);
      assert.equal(typeof report.needsReview.share, 'number');
      // The fake model says "engaged" to everything except opt-outs (decided by rules).
      assert.equal(report.perIntent.engaged.recall, 1);
      assert.equal(report.confusion.not_interested.not_interested, 1, 'STOP is decided by rules');
      assert.ok(server.requests.some((q) => q.url === '/api/chat' && q.body.model === 'tiny'));
    });

    test('refuses to report rules figures as Ollama ones when Ollama is unusable', async () => {
      const port = await closedPort();
      const r = await cli(['--data', SMALL, '--classifier', 'ollama'], { OLLAMA_HOST: `http://127.0.0.1:${port}` });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /Ollama is not usable.*connection refused/);
    });
  });
});

test('a missed refusal the doubt path holds is counted apart: strict recall stays strict', async () => {
  const line = (id: string, intent: string) =>
    `{"id":"${id}","text":"${id}","now":"2026-01-01T10:00:00Z","timezone":"UTC","intent":"${intent}"}`;
  const records = parseDataset(
    [
      line('r1', 'not_interested'),
      line('r2', 'not_interested'),
      line('r3', 'not_interested'),
      line('r4', 'not_interested'),
      line('e1', 'engaged'),
    ].join('\n'),
  );
  const predictions: Record<string, Classification> = {
    r1: { intent: 'not_interested', source: 'model', confidence: 0.9 },
    r2: { intent: 'engaged', source: 'model', confidence: 0.95, refusalCue: true },
    r3: { intent: 'engaged', source: 'model', confidence: DEFAULT_UNCERTAIN_THRESHOLD - 0.1 },
    r4: { intent: 'busy', source: 'model', confidence: 0.9 },
    e1: { intent: 'engaged', source: 'model', confidence: 0.4 },
  };
  const { report } = await evaluate(records, (input) => predictions[input.text]);
  assert.equal(report.notInterestedRecall, 0.25);
  assert.deepEqual(report.notInterestedMissed, { count: 3, heldForReview: 2, recallCountingReview: 0.75 });
});

describe('eval CLI: the model figures', () => {
  test('--split held --json keeps accuracy, timeWithinTolerance and n, and adds the doubt and calibration figures', async () => {
    const r = await cli(['--split', 'held', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    for (const key of [
      'accuracy',
      'timeWithinTolerance',
      'n',
      'perLanguage',
      'notInterestedRecall',
      'notInterestedPrecision',
      'notInterestedMissed',
      'needsReview',
      'calibration',
    ]) {
      assert.ok(key in report, key);
    }
    assert.match(report.classifier, /^model on corpus \(held split\)/);
    assert.equal(
      Object.values(report.perLanguage as Record<string, { n: number }>).reduce((s, l) => s + l.n, 0),
      report.n,
    );
    assert.equal(report.calibration.n, report.n);
    assert.equal(
      report.calibration.bins.reduce((s: number, b: { n: number }) => s + b.n, 0),
      report.n,
    );
    assert.ok(report.needsReview.count >= report.needsReview.lowConfidence);
    assert.equal(report.needsReview.threshold, DEFAULT_UNCERTAIN_THRESHOLD);
  });

  test('--data FILE --split keeps only that side of the split; the table shows languages and reliability', async () => {
    const r = await cli(['--data', SMALL, '--split', 'train', '--threshold', '0.9']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /needs_review: .*below confidence 0\.9/);
    assert.match(r.stdout, /per language/);
    assert.match(r.stdout, /reliability \(confidence bins; ECE/);
  });
});
