/**
 * Trains the intent model (intentModel.ts) deterministically: the same corpus and options
 * give the same bytes on every run and machine (a seeded shuffle, sequential float64
 * arithmetic, no threads, no clock). Method: multinomial logistic regression over the hashed
 * features, fitted by per-example AdaGrad with L2 regularisation; weights quantised to int8
 * per class; the temperature minimises the log-loss of out-of-fold predictions (each fold of
 * the training part scored by a model trained on the others), never the held-back split.
 * Naive Bayes and a fastText-style model (`fitEmbedding`) are the measured alternatives.
 */
import type { CorpusRecord } from './corpus.ts';
import { foldOf } from './corpus.ts';
import type { FeatureOptions, FeatureVector } from './features.ts';
import { DEFAULT_FEATURE_OPTIONS } from './features.ts';
import { activate, modelLogits, softmax, type EmbeddingLayers, type IntentModel } from './intentModel.ts';
import { featurizeRecord } from './local.ts';
import { INTENTS, type Intent } from './types.ts';
import { mulberry32 } from '../random.ts';

export interface TrainOptions {
  /** Logistic regression (the shipped model), naive Bayes or fastText-style (measured alternatives). */
  method: 'logreg' | 'naiveBayes' | 'embedding';
  /** Shape of the fastText-style model (method 'embedding'). */
  embedding?: EmbeddingShape;
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

/** Width of the bucket vectors, hidden units (0: none) and their activation. */
export type EmbeddingShape = Pick<EmbeddingLayers, 'dim' | 'hidden' | 'activation'>;

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

/** Features of labelled records (the rules run on each when the options use their hints). */
export function buildExamples(records: readonly CorpusRecord[], options: TrainOptions): Example[] {
  return records.map((r) => ({
    id: r.id,
    x: featurizeRecord(r, options.features, options.ruleHints),
    y: INTENTS.indexOf(r.intent),
  }));
}

/** Float weights of one training run (`layers`: those of an embedding model). */
interface RawModel {
  weights: Float64Array;
  bias: Float64Array;
  layers?: EmbeddingLayers;
}

function fit(examples: readonly Example[], options: TrainOptions): RawModel {
  if (options.method === 'naiveBayes') return fitNaiveBayes(examples, options);
  if (options.method === 'embedding') return fitEmbedding(examples, options);
  return fitLogReg(examples, options);
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

/** AdaGrad step on `w[at]` with gradient `g`, its squared sum kept in `g2`. */
function step(w: Float64Array, g2: Float64Array, at: number, g: number, lr: number): void {
  g2[at] += g * g;
  w[at] -= (lr * g) / Math.sqrt(g2[at] + 1e-8);
}

/**
 * The fastText-style model: each bucket a vector of `dim` (uniform ±1/√dim), the message's
 * vector their value-weighted sum (each feature group already has unit length), then an
 * optional hidden layer (Glorot-uniform) and a softmax layer (zero at start), all trained
 * together by per-example AdaGrad with the class weights; L2 on the bucket vectors touched.
 */
function fitEmbedding(examples: readonly Example[], options: TrainOptions): RawModel {
  const shape = options.embedding ?? { dim: 64, hidden: 0, activation: 'relu' };
  const { dim, hidden, activation } = shape;
  const K = INTENTS.length;
  const D = 1 << options.features.bits;
  const width = hidden || dim;
  const random = mulberry32(options.seed);
  const uniform = (a: number) => (random() * 2 - 1) * a;
  const E = Float64Array.from({ length: D * dim }, () => uniform(1 / Math.sqrt(dim)));
  const limit = Math.sqrt(6 / (dim + hidden));
  const W1 = Float64Array.from({ length: hidden * dim }, () => uniform(limit));
  const B1 = new Float64Array(hidden);
  const W2 = new Float64Array(K * width);
  const bias = new Float64Array(K);
  const [gE, gW1, gB1, gW2, gB] = [E, W1, B1, W2, bias].map((a) => new Float64Array(a.length));
  const order = examples.map((_, i) => i);
  const classWeight = INTENTS.map((c) => options.classWeights[c] ?? 1);
  const lr = options.learningRate;
  const h0 = new Float64Array(dim);
  const a1 = new Float64Array(hidden);
  const h1 = new Float64Array(hidden);
  const scores = new Float64Array(K);
  const dh = new Float64Array(width);
  const da1 = new Float64Array(hidden);
  const dh0 = new Float64Array(dim);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const e of order) {
      const { x, y } = examples[e];
      h0.fill(0);
      for (let n = 0; n < x.index.length; n++) {
        const row = x.index[n] * dim;
        for (let d = 0; d < dim; d++) h0[d] += E[row + d] * x.value[n];
      }
      for (let j = 0; j < hidden; j++) {
        let a = B1[j];
        for (let d = 0; d < dim; d++) a += W1[j * dim + d] * h0[d];
        a1[j] = a;
        h1[j] = activate(a, activation);
      }
      const h = hidden ? h1 : h0;
      for (let k = 0; k < K; k++) {
        let z = bias[k];
        for (let j = 0; j < width; j++) z += W2[k * width + j] * h[j];
        scores[k] = z;
      }
      const p = softmax(scores);
      dh.fill(0);
      for (let k = 0; k < K; k++) {
        const g = classWeight[y] * (p[k] - (k === y ? 1 : 0));
        for (let j = 0; j < width; j++) {
          dh[j] += W2[k * width + j] * g;
          step(W2, gW2, k * width + j, g * h[j], lr);
        }
        step(bias, gB, k, g, lr);
      }
      if (hidden) {
        dh0.fill(0);
        for (let j = 0; j < hidden; j++) {
          const grad = activation === 'relu' ? (a1[j] > 0 ? dh[j] : 0) : dh[j] * (1 - h1[j] * h1[j]);
          da1[j] = grad;
          if (grad === 0) continue;
          for (let d = 0; d < dim; d++) {
            dh0[d] += W1[j * dim + d] * grad;
            step(W1, gW1, j * dim + d, grad * h0[d], lr);
          }
          step(B1, gB1, j, grad, lr);
        }
      } else dh0.set(dh);
      for (let n = 0; n < x.index.length; n++) {
        const row = x.index[n] * dim;
        const v = x.value[n];
        for (let d = 0; d < dim; d++) step(E, gE, row + d, dh0[d] * v + options.l2 * E[row + d], lr);
      }
    }
  }
  const layers: EmbeddingLayers = {
    dim,
    hidden,
    activation,
    w1: Array.from(W1, Math.fround),
    b1: Array.from(B1, Math.fround),
    w2: Array.from(W2, Math.fround),
  };
  return { weights: E, bias, layers };
}

/** int8 weights with one scale per column (largest magnitude → 127). */
function quantize(
  raw: RawModel,
  options: TrainOptions,
  temperature: number,
  trainedOn: Record<string, unknown>,
): IntentModel {
  const K = raw.layers ? raw.layers.dim : INTENTS.length;
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
    format: raw.layers ? 2 : 1,
    ...(raw.layers ? { embedding: raw.layers } : {}),
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
