/**
 * The learned intent model over hashed features (features.ts), with a temperature that
 * calibrates its probabilities. Two kinds share one binary file format (a magic, a JSON
 * header and int8 weights read without copying, data/model/intentModel.bin):
 *   - format 1, linear: one int8 weight per bucket and intent, one scale per intent;
 *   - format 2, embedding (fastText-style): one int8 vector of `dim` per bucket, one scale per
 *     dimension; the message's vector is the value-weighted sum of its buckets' vectors, read
 *     by an optional hidden layer and a softmax layer whose float weights live in the header.
 */
import { readFileSync } from 'node:fs';
import type { FeatureOptions, FeatureVector } from './features.ts';
import type { FewShotExample } from './fewShot.ts';
import { findRepoFile } from './repoFiles.ts';
import { INTENTS, type Intent } from './types.ts';

/** What the model file's header holds besides the weights. */
export interface IntentModelHeader {
  /** 1: linear; 2: embedding (`embedding` present). */
  format: 1 | 2;
  /** Intents in the order of the weight columns. */
  classes: Intent[];
  features: FeatureOptions;
  /** The rules' answer is a feature (local.ts, `ruleHints`). */
  ruleHints: boolean;
  /** Logits are divided by this before the softmax (fitted on out-of-fold predictions). */
  temperature: number;
  /** Per-class bias. */
  bias: number[];
  /** Factor of the int8 weights: per class (format 1) or per embedding dimension (format 2). */
  scale: number[];
  /** The dense layers of an embedding model (format 2). */
  embedding?: EmbeddingLayers;
  /** Examples from the training part for the Ollama prompt (fewShot.ts). */
  fewShot: FewShotExample[];
  /** Provenance: training options, corpus size and digest. */
  trainedOn: Record<string, unknown>;
}

/** The layers above the bucket vectors of an embedding model. */
export interface EmbeddingLayers {
  /** Width of a bucket's vector. */
  dim: number;
  /** Units of the hidden layer; 0: the softmax layer reads the message vector directly. */
  hidden: number;
  activation: 'relu' | 'tanh';
  /** Hidden layer, row-major hidden × dim, and its biases. */
  w1: number[];
  b1: number[];
  /** Softmax layer, row-major class × (hidden or dim); its biases are the header's `bias`. */
  w2: number[];
}

export interface IntentModel extends IntentModelHeader {
  /** Row-major: bucket × class (format 1) or bucket × dimension (format 2). */
  weights: Int8Array;
}

/** Columns of the int8 weight matrix: one per class, or one per embedding dimension. */
export function weightColumns(header: IntentModelHeader): number {
  return header.embedding ? header.embedding.dim : header.classes.length;
}

const MAGIC = 'NUDGEIM1';

/** The model as bytes: MAGIC, header length (uint32 LE), header JSON, int8 weights. */
export function serializeModel(model: IntentModel): Buffer {
  const { weights, ...header } = model;
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return Buffer.concat([
    Buffer.from(MAGIC, 'ascii'),
    length,
    json,
    Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength),
  ]);
}

export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/** Reads a serialised model; throws ModelFileError when the bytes are not one. */
export function deserializeModel(bytes: Uint8Array): IntentModel {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('ascii', 0, 8) !== MAGIC)
    throw new ModelFileError('not an intent model file (bad magic)');
  const headerLength = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength)) as IntentModelHeader;
  const K = header.classes?.length ?? 0;
  if (
    (header.format !== 1 && header.format !== 2) ||
    (header.format === 2) !== Boolean(header.embedding) ||
    K !== INTENTS.length ||
    !header.classes.every((c) => INTENTS.includes(c)) ||
    !validLayers(header.embedding, K)
  ) {
    throw new ModelFileError('unsupported intent model header');
  }
  const start = 12 + headerLength;
  const expected = (1 << header.features.bits) * weightColumns(header);
  if (buf.length - start !== expected)
    throw new ModelFileError(`weights: expected ${expected} bytes, found ${buf.length - start}`);
  return { ...header, weights: new Int8Array(buf.buffer, buf.byteOffset + start, expected) };
}

function validLayers(layers: EmbeddingLayers | undefined, K: number): boolean {
  if (!layers) return true;
  const { dim, hidden } = layers;
  return (
    dim > 0 &&
    hidden >= 0 &&
    (layers.activation === 'relu' || layers.activation === 'tanh') &&
    layers.w1.length === hidden * dim &&
    layers.b1.length === hidden &&
    layers.w2.length === K * (hidden || dim)
  );
}

/** The committed model file's path. */
export function defaultModelPath(): string {
  return findRepoFile('data/model/intentModel.bin');
}

let cached: IntentModel | null = null;

/** The committed model, read once per process (or thread). */
export function defaultIntentModel(): IntentModel {
  cached ??= deserializeModel(readFileSync(defaultModelPath()));
  return cached;
}

/** Raw class scores (before the temperature). */
export function modelLogits(model: IntentModel, x: FeatureVector): Float64Array {
  if (model.embedding) return embeddingLogits(model, model.embedding, x);
  const K = model.classes.length;
  const out = new Float64Array(K);
  const acc = new Float64Array(K);
  const { weights } = model;
  for (let n = 0; n < x.index.length; n++) {
    const row = x.index[n] * K;
    const v = x.value[n];
    for (let k = 0; k < K; k++) acc[k] += weights[row + k] * v;
  }
  for (let k = 0; k < K; k++) out[k] = model.bias[k] + acc[k] * model.scale[k];
  return out;
}

/** The message vector: the value-weighted sum of its buckets' vectors. */
export function messageVector(weights: Int8Array, scale: readonly number[], x: FeatureVector): Float64Array {
  const dim = scale.length;
  const h = new Float64Array(dim);
  for (let n = 0; n < x.index.length; n++) {
    const row = x.index[n] * dim;
    const v = x.value[n];
    for (let d = 0; d < dim; d++) h[d] += weights[row + d] * v;
  }
  for (let d = 0; d < dim; d++) h[d] *= scale[d];
  return h;
}

/** Activation of the hidden layer. */
export function activate(a: number, activation: EmbeddingLayers['activation']): number {
  return activation === 'relu' ? (a > 0 ? a : 0) : Math.tanh(a);
}

function embeddingLogits(model: IntentModel, layers: EmbeddingLayers, x: FeatureVector): Float64Array {
  const K = model.classes.length;
  const { dim, hidden, w1, b1, w2 } = layers;
  let h = messageVector(model.weights, model.scale, x);
  if (hidden > 0) {
    const h1 = new Float64Array(hidden);
    for (let j = 0; j < hidden; j++) {
      let a = b1[j];
      for (let d = 0; d < dim; d++) a += w1[j * dim + d] * h[d];
      h1[j] = activate(a, layers.activation);
    }
    h = h1;
  }
  const width = h.length;
  const out = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let z = model.bias[k];
    for (let j = 0; j < width; j++) z += w2[k * width + j] * h[j];
    out[k] = z;
  }
  return out;
}

/** Softmax of logits / temperature. */
export function softmax(logits: ArrayLike<number>, temperature = 1): number[] {
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k] / temperature);
  const exps = Array.from(logits, (z) => Math.exp(z / temperature - max));
  const sum = exps.reduce((s, e) => s + e, 0);
  return exps.map((e) => e / sum);
}

/** Calibrated probability of each class, in `model.classes` order. */
export function modelProbabilities(model: IntentModel, x: FeatureVector): number[] {
  return softmax(modelLogits(model, x), model.temperature);
}
