/**
 * Cross-validation of the local classifier on a labelled file (the shared train file): the
 * file's records are dealt into k folds by a hash of their id; each fold is classified by a
 * model trained on the corpus' training part minus that fold (minus any record with the
 * same text), so every record is scored by a model that never saw it. Held-back records are
 * never trained on here either.
 */
import { foldOf, selectSplit, type CorpusRecord } from './corpus.ts';
import { classifyAll, type EvalRecord, type EvalResult } from './eval.ts';
import { classifyLocal } from './local.ts';
import { buildExamples, trainModel, type TrainOptions } from './train.ts';

const textKey = (text: string) => text.trim().toLowerCase();

/** Classifies every record of `target` with a model that was not trained on it. */
export async function crossValidate(
  corpus: readonly CorpusRecord[],
  target: readonly EvalRecord[],
  k: number,
  options: TrainOptions,
  onFold?: (fold: number) => void,
): Promise<EvalResult[]> {
  const train = selectSplit(corpus, 'train');
  const examples = buildExamples(train, options);
  const results: EvalResult[] = [];
  for (let fold = 0; fold < k; fold++) {
    const test = target.filter((r) => foldOf(r.id, k) === fold);
    const ids = new Set(test.map((r) => r.id));
    const texts = new Set(test.map((r) => textKey(r.text)));
    const kept = examples.filter((e, i) => !ids.has(e.id) && !texts.has(textKey(train[i].text)));
    const model = trainModel(kept, options);
    results.push(...(await classifyAll(test, (input) => classifyLocal(input, { model }))));
    onFold?.(fold);
  }
  const order = new Map(target.map((r, i) => [r.id, i]));
  return results.sort((a, b) => order.get(a.record.id)! - order.get(b.record.id)!);
}
