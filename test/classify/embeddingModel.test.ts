import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCorpus, selectSplit } from '../../src/classify/corpus.ts';
import { deserializeModel, modelLogits, serializeModel, type IntentModel } from '../../src/classify/intentModel.ts';
import { classifyLocal } from '../../src/classify/local.ts';
import { buildModelFile } from '../../src/classify/trainCli.ts';
import { buildExamples, DEFAULT_TRAIN_OPTIONS, trainModel, type TrainOptions } from '../../src/classify/train.ts';
import { INTENTS } from '../../src/classify/types.ts';

const OPTIONS: TrainOptions = {
  ...DEFAULT_TRAIN_OPTIONS,
  method: 'embedding',
  embedding: { dim: 8, hidden: 8, activation: 'relu' },
  features: { ...DEFAULT_TRAIN_OPTIONS.features, bits: 12 },
  learningRate: 0.05,
  epochs: 4,
  calibrationFolds: 2,
};

/** A hand-made embedding model: 4 buckets of 2 dimensions, 2 hidden units, known weights. */
function tinyModel(activation: 'relu' | 'tanh'): IntentModel {
  return {
    format: 2,
    classes: [...INTENTS],
    features: { bits: 2, charMin: 2, charMax: 5, wordWeight: 1 },
    ruleHints: false,
    temperature: 1,
    bias: [0.5, 0, 0, 0, -0.5],
    scale: [0.5, 0.25],
    embedding: {
      dim: 2,
      hidden: 2,
      activation,
      w1: [1, 0, 0, -1],
      b1: [0, 0.25],
      w2: [1, 0, 0, 1, 1, 1, -1, 0, 0, 2],
    },
    fewShot: [],
    trainedOn: {},
    weights: Int8Array.from([2, 4, -2, 0, 0, 0, 1, -8]),
  };
}

describe('the fastText-style model', () => {
  test('scores a message as bucket vectors summed, a hidden layer, then the softmax layer', () => {
    // bucket 0 × 1 + bucket 3 × 0.5 = (2 + 0.5, 4 − 4) → scaled (1.25, 0)
    const x = { index: Int32Array.from([0, 3]), value: Float32Array.from([1, 0.5]) };
    const relu = [...modelLogits(tinyModel('relu'), x)];
    // hidden: relu(1.25) = 1.25, relu(−0 + 0.25) = 0.25
    assert.deepEqual(relu, [0.5 + 1.25, 0.25, 1.5, -1.25, -0.5 + 0.5]);
    const tanh = [...modelLogits(tinyModel('tanh'), x)];
    const [a, b] = [Math.tanh(1.25), Math.tanh(0.25)];
    assert.deepEqual(tanh, [0.5 + a, b, a + b, -a, -0.5 + 2 * b]);
  });

  test('its file reads back byte for byte; layers that do not fit the header are refused', () => {
    const bytes = serializeModel(tinyModel('relu'));
    const back = deserializeModel(bytes);
    assert.equal(back.format, 2);
    assert.deepEqual(serializeModel(back), bytes);
    const broken = tinyModel('relu');
    broken.embedding!.w2 = broken.embedding!.w2.slice(1);
    assert.throws(() => deserializeModel(serializeModel(broken)), /unsupported intent model header/);
    const noLayers = { ...tinyModel('relu'), embedding: undefined };
    assert.throws(() => deserializeModel(serializeModel(noLayers)), /unsupported intent model header/);
  });

  const sample = loadCorpus().filter((_, i) => i % 8 === 0);

  test('training is deterministic: the same records give the same bytes, and the model classifies', () => {
    const first = buildModelFile(sample, OPTIONS);
    assert.ok(first.equals(buildModelFile(sample, OPTIONS)));
    const model = deserializeModel(first);
    assert.equal(model.embedding?.hidden, 8);
    assert.ok(model.temperature > 0 && model.temperature !== 1, `temperature ${model.temperature}`);
    const c = classifyLocal(
      { text: 'can we talk next week?', now: Date.UTC(2026, 1, 4, 15), timezone: 'UTC' },
      { model },
    );
    assert.equal(c.source, 'model');
    assert.equal(c.readings?.length, 2);
  });

  test('training fits its examples (the gradients reach every layer)', () => {
    const train = selectSplit(sample, 'train');
    const options = { ...OPTIONS, epochs: 8, calibrationFolds: 0 };
    const examples = buildExamples(train, options);
    const model = trainModel(examples, options);
    const right = examples.filter((e) => {
      const z = modelLogits(model, e.x);
      return z.indexOf(Math.max(...z)) === e.y;
    }).length;
    assert.ok(right / examples.length > 0.9, `training accuracy ${right / examples.length}`);
  });
});
