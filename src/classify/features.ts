/**
 * Features of a message for the intent model: hashed word unigrams and bigrams and character
 * 2–5-grams of the normalised text (normalize.ts), plus symbolic hints from the rules.
 *
 * Character n-grams carry the model across languages, inflections and typos ("cancelar",
 * "cancela", "cancelen" share most of theirs); word n-grams carry phrases ("not now",
 * "wrong person"). Digits are folded to 0 so "at 3" and "at 4" are one feature. Each group is
 * scaled to unit length, so a long message does not outvote a short one by its length.
 */
import { fnv1a } from './corpus.ts';

/** A sparse feature vector: bucket indexes (ascending) and their values. */
export interface FeatureVector {
  index: Int32Array;
  value: Float32Array;
}

const WORD_SEED = 0x9e3779b1;
const BIGRAM_SEED = 0x85ebca6b;
const CHAR_SEED = 0xc2b2ae35;
const HINT_SEED = 0x27d4eb2f;

const TOKEN_RE = /[\p{L}\p{N}']+|[?!]/gu;

/** Spreads FNV's weak low bits before masking. */
function bucket(h: number, mask: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) & mask;
}

function addScaled(into: Map<number, number>, group: Map<number, number>, weight: number): void {
  let norm = 0;
  for (const v of group.values()) norm += v * v;
  if (norm === 0) return;
  const k = weight / Math.sqrt(norm);
  for (const [i, v] of group) into.set(i, (into.get(i) ?? 0) + v * k);
}

/** Options of the feature extractor (stored with the model, so training and use agree). */
export interface FeatureOptions {
  /** log2 of the number of buckets. */
  bits: number;
  /** Smallest and largest character n-gram. */
  charMin: number;
  charMax: number;
  /** Weight of the word group relative to the character group (each has unit length first). */
  wordWeight: number;
  /**
   * Value of each rule hint feature (1 when absent). Below 1 the rules' answer informs the model
   * without outvoting the words: measured in docs/classification.md (Choices).
   */
  hintWeight?: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  bits: 17,
  charMin: 2,
  charMax: 5,
  wordWeight: 1,
  hintWeight: 0.3,
};

/**
 * The feature vector of an already normalised message; `hints` are symbolic features
 * ("rules:busy", "time:future") added with value 1.
 */
export function extractFeatures(
  normalized: string,
  options: FeatureOptions,
  hints: readonly string[] = [],
): FeatureVector {
  const mask = (1 << options.bits) - 1;
  const tokens = (normalized.replace(/\d/g, '0').match(TOKEN_RE) ?? [])
    .map((t) => t.replace(/^'+|'+$/g, ''))
    .filter(Boolean);

  const words = new Map<number, number>();
  let previous = '<s>';
  for (const token of [...tokens, '</s>']) {
    if (token !== '</s>') {
      const u = bucket(fnv1a(token, WORD_SEED), mask);
      words.set(u, (words.get(u) ?? 0) + 1);
    }
    const b = bucket(fnv1a(`${previous} ${token}`, BIGRAM_SEED), mask);
    words.set(b, (words.get(b) ?? 0) + 1);
    previous = token;
  }

  const chars = new Map<number, number>();
  const text = ` ${tokens.join(' ')} `;
  for (let i = 0; i < text.length; i++) {
    let h = CHAR_SEED;
    for (let j = i; j < text.length && j - i < options.charMax; j++) {
      h ^= text.charCodeAt(j);
      h = Math.imul(h, 0x01000193) >>> 0;
      if (j - i + 1 >= options.charMin) {
        const c = bucket(h, mask);
        chars.set(c, (chars.get(c) ?? 0) + 1);
      }
    }
  }

  const all = new Map<number, number>();
  addScaled(all, chars, 1);
  addScaled(all, words, options.wordWeight);
  for (const hint of hints) {
    const i = bucket(fnv1a(hint, HINT_SEED), mask);
    all.set(i, (all.get(i) ?? 0) + (options.hintWeight ?? 1));
  }
  const index = Int32Array.from([...all.keys()].sort((a, b) => a - b));
  const value = new Float32Array(index.length);
  for (let k = 0; k < index.length; k++) value[k] = all.get(index[k])!;
  return { index, value };
}
