/**
 * The labelled corpus the intent model learns from (`data/corpus/*.jsonl`, the format of
 * shared/data/README.md plus `lang`) and its held-back split.
 *
 * The split is decided by a hash of each record's id, never by hand: a record is held back
 * when its bucket is below `HELD_BACK_PERCENT`, so adding lines never moves an old line from
 * one side to the other, and the held-back part is chosen before any training. Training and
 * calibration only ever see the other part; `npm run eval -- --split held` measures on it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError, parseDataset, type EvalRecord } from './eval.ts';
import { findRepoFile } from './repoFiles.ts';

/** Share of the corpus (by id hash) kept out of training, in percent. */
export const HELD_BACK_PERCENT = 20;

export interface CorpusRecord extends EvalRecord {
  /** File name under the corpus directory. */
  file: string;
}

export type CorpusSplit = 'train' | 'held' | 'all';

/** 32-bit FNV-1a of a string's UTF-16 code units: stable across runs, machines and Node versions. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Bucket 0–99 of an id; the salt keeps the split independent of the feature hashing. */
export function splitBucket(id: string): number {
  return fnv1a(`split:${id}`) % 100;
}

/** True when the record with this id is held back from training. */
export function isHeldBack(id: string): boolean {
  return splitBucket(id) < HELD_BACK_PERCENT;
}

/** Fold 0..k-1 of an id for cross-validation and calibration (a hash independent of the split). */
export function foldOf(id: string, k: number): number {
  return fnv1a(`fold:${id}`) % k;
}

/** The corpus directory of the repository (data/corpus). */
export function defaultCorpusDir(): string {
  return findRepoFile('data/corpus');
}

/**
 * Reads every `*.jsonl` under `dir`, in file-name order. Ids must be unique across files;
 * every bad line is reported (DatasetError), none is skipped.
 */
export function loadCorpus(dir = defaultCorpusDir()): CorpusRecord[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  const out: CorpusRecord[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const records = parseDataset(readFileSync(join(dir, file), 'utf8'), file);
    for (const r of records) {
      const other = seen.get(r.id);
      if (other) throw new DatasetError(`${file}: id ${JSON.stringify(r.id)} (line ${r.line}) is also in ${other}`);
      seen.set(r.id, file);
      out.push({ ...r, file });
    }
  }
  if (out.length === 0) throw new DatasetError(`${dir}: no corpus files`);
  return out;
}

/** The records of one side of the split ('all': every record). */
export function selectSplit<T extends { id: string }>(records: readonly T[], split: CorpusSplit): T[] {
  if (split === 'all') return [...records];
  return records.filter((r) => isHeldBack(r.id) === (split === 'held'));
}
