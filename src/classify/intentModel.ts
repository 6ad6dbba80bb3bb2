/**
 * The learned intent model: a multinomial logistic regression over hashed features
 * (features.ts), its weights quantised to int8 with one scale per intent, and a temperature
 * that calibrates its probabilities. Serialised as one small binary file
 * (data/model/intentModel.bin): a magic, a JSON header and the weights, read without copying.
 */
import { readFileSync } from 'node:fs';
import type { FeatureOptions, FeatureVector } from './features.ts';
import type { FewShotExample } from './fewShot.ts';
import { findRepoFile } from './repoFiles.ts';
import { INTENTS, type Intent } from './types.ts';

/** What the model file's header holds besides the weights. */
export interface IntentModelHeader {
  format: 1;
  /** Intents in the order of the weight columns. */
  classes: Intent[];
  features: FeatureOptions;
  /** The rules' answer is a feature (local.ts, `ruleHints`). */
  ruleHints: boolean;
  /** Logits are divided by this before the softmax (fitted on out-of-fold predictions). */
  temperature: number;
  /** Per-class bias. */
  bias: number[];
  /** Per-class factor of the int8 weights. */
  scale: number[];
  /** Examples from the training part for the Ollama prompt (fewShot.ts). */
  fewShot: FewShotExample[];
  /** Provenance: training options, corpus size and digest. */
  trainedOn: Record<string, unknown>;
}

export interface IntentModel extends IntentModelHeader {
  /** Row-major: bucket × class. */
  weights: Int8Array;
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
  if (header.format !== 1 || K !== INTENTS.length || !header.classes.every((c) => INTENTS.includes(c))) {
    throw new ModelFileError('unsupported intent model header');
  }
  const start = 12 + headerLength;
  const expected = (1 << header.features.bits) * K;
  if (buf.length - start !== expected)
    throw new ModelFileError(`weights: expected ${expected} bytes, found ${buf.length - start}`);
  return { ...header, weights: new Int8Array(buf.buffer, buf.byteOffset + start, expected) };
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
