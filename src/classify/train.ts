/**
 * Trains the intent model (intentModel.ts) deterministically: the same corpus and options
 * give the same bytes on every run and machine (a seeded shuffle, sequential float64
 * arithmetic, no threads, no clock).
 *
 * Method: multinomial logistic regression over the hashed features, fitted by per-example
 * AdaGrad with L2 regularisation; weights quantised to int8 per class; the temperature is
 * fitted by minimising the log-loss of out-of-fold predictions (each fold of the training
 * part scored by a model trained on the others), never on the held-back split.
 */
import type { CorpusRecord } from './corpus.ts';
import { foldOf } from './corpus.ts';
import type { FeatureOptions, FeatureVector } from './features.ts';
import { DEFAULT_FEATURE_OPTIONS } from './features.ts';
import { modelLogits, softmax, type IntentModel } from './intentModel.ts';
import { featurizeRecord } from './local.ts';
import { INTENTS, type Intent } from './types.ts';

export interface TrainOptions {
  /** Logistic regression (the shipped model) or naive Bayes (the measured alternative). */
  method: 'logreg' | 'naiveBayes';
  features: FeatureOptions;
  ruleHints: boolean;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Folds for the out-of-fold predictions the temperature is fitted on (0: temperature 1). */
  calibrationFolds: number;
  /** Loss weight of each gold intent (a missed refusal costs more than a held follow-up). */
  classWeights: Partial<Record<Intent, number>>;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  method: 'logreg',
  features: DEFAULT_FEATURE_OPTIONS,
  ruleHints: true,
  epochs: 12,
  learningRate: 0.2,
  l2: 1e-4,
  seed: 20261207,
  calibrationFolds: 5,
  classWeights: {},
};

export interface Example {
  id: string;
  x: FeatureVector;
  y: number;
}

/** Mulberry32: a small seeded generator, enough for shuffling. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Features of labelled records (the rules run on each when the options use their hints). */
export function buildExamples(records: readonly CorpusRecord[], options: TrainOptions): Example[] {
  return records.map((r) => ({
    id: r.id,
    x: featurizeRecord(r, options.features, options.ruleHints),
    y: INTENTS.indexOf(r.intent),
  }));
}

/** Float weights of one training run. */
interface RawModel {
  weights: Float64Array;
  bias: Float64Array;
}

function fit(examples: readonly Example[], options: TrainOptions): RawModel {
  return options.method === 'naiveBayes' ? fitNaiveBayes(examples, options) : fitLogReg(examples, options);
}

/**
 * Multinomial naive Bayes on the same features, as a linear model: log priors and
 * log-likelihoods, centred per bucket across classes (a shift that no softmax sees) so int8
 * keeps their differences.
 */
function fitNaiveBayes(examples: readonly Example[], options: TrainOptions): RawModel {
  const K = INTENTS.length;
  const D = 1 << options.features.bits;
  const alpha = 0.1;
  const counts = new Float64Array(D * K);
  const totals = new Float64Array(K);
  const docs = new Float64Array(K);
  for (const { x, y } of examples) {
    docs[y]++;
    for (let n = 0; n < x.index.length; n++) {
      counts[x.index[n] * K + y] += x.value[n];
      totals[y] += x.value[n];
    }
  }
  const weights = new Float64Array(D * K);
  for (let d = 0; d < D; d++) {
    let mean = 0;
    for (let k = 0; k < K; k++) {
      weights[d * K + k] = Math.log((counts[d * K + k] + alpha) / (totals[k] + alpha * D));
      mean += weights[d * K + k] / K;
    }
    for (let k = 0; k < K; k++) weights[d * K + k] -= mean;
  }
  const bias = Float64Array.from(docs, (n) => Math.log((n + 1) / (examples.length + K)));
  return { weights, bias };
}

function fitLogReg(examples: readonly Example[], options: TrainOptions): RawModel {
  const K = INTENTS.length;
  const D = 1 << options.features.bits;
  const weights = new Float64Array(D * K);
  const g2 = new Float64Array(D * K);
  const bias = new Float64Array(K);
  const b2 = new Float64Array(K);
  const random = mulberry32(options.seed);
  const order = examples.map((_, i) => i);
  const classWeight = INTENTS.map((c) => options.classWeights[c] ?? 1);
  const scores = new Float64Array(K);
  const eps = 1e-8;
  const lr = options.learningRate;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const e of order) {
      const { x, y } = examples[e];
      for (let k = 0; k < K; k++) scores[k] = bias[k];
      for (let n = 0; n < x.index.length; n++) {
        const row = x.index[n] * K;
        for (let k = 0; k < K; k++) scores[k] += weights[row + k] * x.value[n];
      }
      const p = softmax(scores);
      const w = classWeight[y];
      for (let k = 0; k < K; k++) {
        const g = w * (p[k] - (k === y ? 1 : 0));
        b2[k] += g * g;
        bias[k] -= (lr * g) / Math.sqrt(b2[k] + eps);
        for (let n = 0; n < x.index.length; n++) {
          const at = x.index[n] * K + k;
          const grad = g * x.value[n] + options.l2 * weights[at];
          g2[at] += grad * grad;
          weights[at] -= (lr * grad) / Math.sqrt(g2[at] + eps);
        }
      }
    }
  }
  return { weights, bias };
}

/** int8 weights with one scale per class (largest magnitude → 127). */
function quantize(
  raw: RawModel,
  options: TrainOptions,
  temperature: number,
  trainedOn: Record<string, unknown>,
): IntentModel {
  const K = INTENTS.length;
  const D = raw.weights.length / K;
  const scale: number[] = [];
  for (let k = 0; k < K; k++) {
    let max = 0;
    for (let d = 0; d < D; d++) max = Math.max(max, Math.abs(raw.weights[d * K + k]));
    scale.push(max > 0 ? Math.fround(max / 127) : 1);
  }
  const weights = new Int8Array(D * K);
  for (let d = 0; d < D; d++)
    for (let k = 0; k < K; k++) weights[d * K + k] = Math.round(raw.weights[d * K + k] / scale[k]);
  return {
    format: 1,
    classes: [...INTENTS],
    features: options.features,
    ruleHints: options.ruleHints,
    temperature,
    bias: Array.from(raw.bias, (b) => Math.fround(b)),
    scale,
    fewShot: [],
    trainedOn,
    weights,
  };
}

/** A quantised model with temperature 1 (what the calibration folds score with). */
export function trainUncalibrated(examples: readonly Example[], options: TrainOptions): IntentModel {
  return quantize(fit(examples, options), options, 1, {});
}

/** The temperature minimising the log-loss of these logits (golden-section search on log T). */
export function fitTemperature(logits: readonly ArrayLike<number>[], gold: readonly number[]): number {
  const loss = (t: number) => {
    let s = 0;
    for (let i = 0; i < logits.length; i++) s -= Math.log(Math.max(softmax(logits[i], t)[gold[i]], 1e-12));
    return s;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 80; i++) {
    const a = hi - phi * (hi - lo);
    const b = lo + phi * (hi - lo);
    if (loss(Math.exp(a)) <= loss(Math.exp(b))) hi = b;
    else lo = a;
  }
  return Math.round(Math.exp((lo + hi) / 2) * 1e6) / 1e6;
}

/** Out-of-fold logits: each example scored by a model trained on the other folds. */
export function outOfFoldLogits(examples: readonly Example[], options: TrainOptions, folds: number): Float64Array[] {
  const out: Float64Array[] = new Array(examples.length);
  for (let f = 0; f < folds; f++) {
    const model = trainUncalibrated(
      examples.filter((e) => foldOf(e.id, folds) !== f),
      options,
    );
    examples.forEach((e, i) => {
      if (foldOf(e.id, folds) === f) out[i] = modelLogits(model, e.x);
    });
  }
  return out;
}

/** Trains the model on `examples` and calibrates it on their out-of-fold predictions. */
export function trainModel(
  examples: readonly Example[],
  options: TrainOptions,
  trainedOn: Record<string, unknown> = {},
): IntentModel {
  let temperature = 1;
  if (options.calibrationFolds > 1) {
    const logits = outOfFoldLogits(examples, options, options.calibrationFolds);
    temperature = fitTemperature(
      logits,
      examples.map((e) => e.y),
    );
  }
  const { calibrationFolds, ...rest } = options;
  return quantize(fit(examples, options), options, temperature, {
    ...trainedOn,
    options: { ...rest, calibrationFolds },
  });
}
