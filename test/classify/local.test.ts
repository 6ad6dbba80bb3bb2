import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { isHeldBack, loadCorpus, selectSplit, splitBucket, HELD_BACK_PERCENT } from '../../src/classify/corpus.ts';
import { classifyAll } from '../../src/classify/eval.ts';
import { reliability } from '../../src/classify/eval.ts';
import {
  deserializeModel,
  defaultModelPath,
  serializeModel,
  type IntentModel,
} from '../../src/classify/intentModel.ts';
import {
  classifyLocal,
  needsReview,
  DEFAULT_UNCERTAIN_THRESHOLD,
  REFUSAL_MIN_PROBABILITY,
  RULES_TIME_MIN_PROBABILITY,
} from '../../src/classify/local.ts';
import { classifyRules } from '../../src/classify/rules.ts';
import { resolveTimePhrase } from '../../src/classify/timeResolver.ts';
import { buildModelFile } from '../../src/classify/trainCli.ts';
import { DEFAULT_TRAIN_OPTIONS } from '../../src/classify/train.ts';
import { INTENTS, type Intent } from '../../src/classify/types.ts';

const ZONE = 'America/New_York';
const NOW = DateTime.fromISO('2026-02-04T10:00', { zone: ZONE }).toMillis();
const classify = (text: string, model?: IntentModel) =>
  classifyLocal({ text, now: NOW, timezone: ZONE }, model ? { model } : {});

/** A model that ignores the text: its bias alone ranks the intents (tests of the combination). */
function biasModel(bias: Partial<Record<Intent, number>>): IntentModel {
  const features = { bits: 4, charMin: 2, charMax: 5, wordWeight: 1 };
  return {
    format: 1,
    classes: [...INTENTS],
    features,
    ruleHints: false,
    temperature: 1,
    bias: INTENTS.map((i) => bias[i] ?? 0),
    scale: INTENTS.map(() => 1),
    fewShot: [],
    trainedOn: {},
    weights: new Int8Array((1 << features.bits) * INTENTS.length),
  };
}

describe('corpus split', () => {
  const corpus = loadCorpus();

  test('the held-back part is chosen by a hash of the id: the same ids every time, about a fifth of the corpus', () => {
    const held = selectSplit(corpus, 'held');
    assert.deepEqual(
      held.map((r) => r.id),
      corpus.filter((r) => splitBucket(r.id) < HELD_BACK_PERCENT).map((r) => r.id),
    );
    const share = held.length / corpus.length;
    assert.ok(share > 0.15 && share < 0.25, `held-back share ${share}`);
    assert.equal(selectSplit(corpus, 'train').length + held.length, corpus.length);
    assert.equal(isHeldBack('tr-0001'), isHeldBack('tr-0001'));
  });

  test('a record without lang takes the language its note names, else English', () => {
    assert.equal(corpus.find((r) => r.id === 'tr-0001')?.lang, 'pt');
    assert.equal(corpus.find((r) => r.id === 'tr-0002')?.lang, 'en');
  });
});

describe('the committed model', () => {
  test('loads from data/model, stays under 2 MB and classifies with calibrated readings', () => {
    const bytes = readFileSync(defaultModelPath());
    assert.ok(statSync(defaultModelPath()).size <= 2 * 1024 * 1024);
    const model = deserializeModel(bytes);
    assert.deepEqual(model.classes, [...INTENTS]);
    assert.ok(model.temperature > 0);
    const c = classify('can you call me tomorrow at 3?');
    assert.equal(c.source, 'model');
    assert.equal(c.intent, 'request_time');
    assert.equal(c.requestedAt, DateTime.fromISO('2026-02-05T15:00', { zone: ZONE }).toMillis());
    assert.equal(c.readings?.length, 2);
    assert.equal(c.readings?.[0].intent, 'request_time');
    assert.ok(c.readings![0].confidence >= c.readings![1].confidence);
    assert.equal(c.confidence, c.readings![0].confidence);
  });

  test('a serialised model reads back byte for byte; other bytes are refused', () => {
    const bytes = readFileSync(defaultModelPath());
    assert.deepEqual(serializeModel(deserializeModel(bytes)), bytes);
    assert.throws(() => deserializeModel(Buffer.from('not a model at all')), /bad magic/);
  });

  test('the same message gives the same classification every time', () => {
    const a = classify('ya no me interesa, gracias');
    const b = classify('ya no me interesa, gracias');
    assert.deepEqual({ ...a, latencyMs: 0 }, { ...b, latencyMs: 0 });
  });

  test('calibration: on the held-back split, confidence is within 0.10 of accuracy (expected calibration error)', async () => {
    const held = selectSplit(loadCorpus(), 'held');
    const results = await classifyAll(held, (input) => classifyLocal(input));
    const table = reliability(results);
    assert.ok(table);
    assert.equal(table.n, held.length);
    assert.ok(table.ece <= 0.1, `ECE ${table.ece}`);
  });
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

describe('training', () => {
  test('is deterministic: two trainings on the same records write the same bytes', () => {
    const sample = loadCorpus().filter((_, i) => i % 6 === 0);
    const options = { ...DEFAULT_TRAIN_OPTIONS, epochs: 3, calibrationFolds: 2 };
    const first = buildModelFile(sample, options);
    const second = buildModelFile(sample, options);
    assert.ok(first.equals(second));
    const model = deserializeModel(first);
    assert.ok(
      model.fewShot.every((e) => !isHeldBack(sample.find((r) => r.text === e.text)!.id)),
      'few-shot examples come from the training part',
    );
  });

  test('the committed weights are what npm run train writes from the corpus and the rules as they are', () => {
    // The model reads the rules' answer among its features: a change to the rules, the
    // gloss or the corpus leaves the committed file stale until it is retrained.
    const fresh = buildModelFile(loadCorpus());
    const committed = readFileSync(defaultModelPath());
    assert.ok(
      fresh.equals(committed),
      `data/model/intentModel.bin is stale (committed sha256 ${sha256(committed)}, a fresh training ${sha256(fresh)}): run npm run train and commit it`,
    );
  });
});

describe('combination with the rules', () => {
  const alwaysEngaged = biasModel({ engaged: 5, busy: 1 });

  test('opt-outs are decided by the rules first, with confidence 1, whatever the model says', () => {
    for (const text of ['STOP', 'unsubscribe', 'please stop texting me', 'wrong number', 'BAJA', 'Falsche Nummer']) {
      const c = classify(text, alwaysEngaged);
      assert.equal(c.intent, 'not_interested', text);
      assert.equal(c.optOut, true, text);
      assert.equal(c.confidence, 1, text);
      assert.deepEqual(c.readings, [{ intent: 'not_interested', confidence: 1 }]);
    }
  });

  test('the model decides the intent otherwise, and its top two readings are reported', () => {
    const c = classify('tomorrow at 3 works', alwaysEngaged);
    assert.equal(c.intent, 'engaged');
    assert.deepEqual(
      c.readings?.map((r) => r.intent),
      ['engaged', 'busy'],
    );
    assert.equal(c.requestedAt, undefined);
  });

  test('a time request takes its time from the grammar', () => {
    const wantsTime = biasModel({ request_time: 5, engaged: 2 });
    const c = classify('maybe after the kids are in bed, like 8pm tomorrow', wantsTime);
    assert.equal(c.intent, 'request_time');
    assert.equal(c.requestedAt, DateTime.fromISO('2026-02-05T20:00', { zone: ZONE }).toMillis());
    assert.ok(c.phrase && c.wallClock);
  });

  test('when the rules read no time request, the time is the most specific future time of their own reading', () => {
    // The rules read a question about the business (engaged); the model's request_time takes
    // the day the grammar found in the same reading, as resolveTimePhrase would.
    const wantsTime = biasModel({ request_time: 5, engaged: 2 });
    const text = 'what time do you close friday?';
    assert.equal(classifyRules({ text, now: NOW, timezone: ZONE }).intent, 'engaged');
    const c = classify(text, wantsTime);
    assert.equal(c.intent, 'request_time');
    assert.equal(c.requestedAt, DateTime.fromISO('2026-02-06T09:00', { zone: ZONE }).toMillis());
    assert.equal(c.requestedAt, resolveTimePhrase(text, NOW, ZONE)!.at);
    assert.equal(c.phrase, 'friday');
    assert.equal(c.wallClock, 'Fri 9:00 AM');
  });

  test('a time request the rules read, with its time, wins over busy from RULES_TIME_MIN_PROBABILITY', () => {
    const text = 'in a meeting, call me at 4';
    assert.equal(classifyRules({ text, now: NOW, timezone: ZONE }).intent, 'request_time');
    // busy 0.56, request_time 0.21: the rules' time request is chosen, with its own probability.
    const leansBusy = biasModel({ busy: 2, request_time: 1 });
    const c = classify(text, leansBusy);
    assert.equal(c.intent, 'request_time');
    assert.equal(c.requestedAt, DateTime.fromISO('2026-02-04T16:00', { zone: ZONE }).toMillis());
    assert.ok(c.confidence! >= RULES_TIME_MIN_PROBABILITY && c.confidence! < 0.5, String(c.confidence));
    assert.equal(c.readings![0].intent, 'busy');
    // request_time at 0.04: the model's busy stands.
    assert.equal(classify(text, biasModel({ busy: 3 })).intent, 'busy');
    // Without a time request from the rules, busy stands whatever request_time's probability.
    assert.equal(classify('in a meeting', leansBusy).intent, 'busy');
  });

  test('a time request without any future time stays a time request without requestedAt (the statechart reads it as busy)', () => {
    const wantsTime = biasModel({ request_time: 5, busy: 2 });
    const c = classify('sure, whenever suits', wantsTime);
    assert.equal(c.intent, 'request_time');
    assert.equal(c.requestedAt, undefined);
    assert.equal(c.confidence, c.readings![0].confidence);
  });

  test('a refusal wins from REFUSAL_MIN_PROBABILITY even when another intent is more probable', () => {
    const leaning = biasModel({ engaged: 0.2, not_interested: 0, busy: -20, request_time: -20, booked: -20 });
    const c = classify('hmm ok', leaning);
    assert.equal(c.intent, 'not_interested');
    assert.deepEqual(
      c.readings?.map((r) => r.intent),
      ['engaged', 'not_interested'],
    );
    assert.ok(c.confidence! >= REFUSAL_MIN_PROBABILITY && c.confidence! < 0.5);
    assert.ok(needsReview(c), 'an unsure refusal goes to an operator');
    const below = biasModel({ engaged: 1, not_interested: 0, busy: -20, request_time: -20, booked: -20 });
    assert.equal(classify('hmm ok', below).intent, 'engaged');
  });

  test('a refusal cue the intent does not resolve is flagged; a refusal or a plain message is not', () => {
    assert.equal(classify('no thanks. what does the premium plan cost?', alwaysEngaged).refusalCue, true);
    assert.equal(classify('how did you get my number? what is this about', alwaysEngaged).refusalCue, true);
    assert.equal(classify('Nee bedankt, geen interesse', alwaysEngaged).refusalCue, true);
    assert.equal(classify('what does the premium plan cost?', alwaysEngaged).refusalCue, undefined);
    assert.equal(classify('no thanks, not for me', biasModel({ not_interested: 5 })).refusalCue, undefined);
  });

  test('needs_review: below the threshold or an unresolved refusal cue', () => {
    assert.equal(
      needsReview({ intent: 'engaged', source: 'model', confidence: DEFAULT_UNCERTAIN_THRESHOLD - 0.01 }),
      true,
    );
    assert.equal(needsReview({ intent: 'engaged', source: 'model', confidence: 0.99, refusalCue: true }), true);
    assert.equal(needsReview({ intent: 'engaged', source: 'model', confidence: 0.99 }), false);
    assert.equal(needsReview({ intent: 'engaged', source: 'rules' }), false, 'no confidence counts as confident');
  });
});
