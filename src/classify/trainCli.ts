/**
 * npm run train [-- --out FILE]
 * npm run train -- --compare [--folds K] [--only TEXT]
 *
 * Rebuilds the intent model from the training part of the corpus (data/corpus, held-back
 * split excluded) into data/model/intentModel.bin. Deterministic: two runs on the same
 * corpus write the same bytes. `--compare` cross-validates the candidate methods on the
 * training part (never the held-back split) and prints one line per method.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCorpus, selectSplit, HELD_BACK_PERCENT, type CorpusRecord } from './corpus.ts';
import { serializeModel, defaultModelPath } from './intentModel.ts';
import { crossValidate } from './crossValidate.ts';
import { selectFewShot } from './fewShot.ts';
import { summarize, type EvalReport } from './eval.ts';
import { buildExamples, DEFAULT_TRAIN_OPTIONS, trainModel, type TrainOptions } from './train.ts';

/** Digest of the training records (id, text, label), for the model's provenance. */
function corpusDigest(records: readonly CorpusRecord[]): string {
  const h = createHash('sha256');
  for (const r of records) h.update(`${r.id}\t${r.text}\t${r.intent}\n`);
  return h.digest('hex').slice(0, 16);
}

/** Trains on the corpus' training part and returns the model file's bytes. */
export function buildModelFile(
  records: readonly CorpusRecord[],
  options: TrainOptions = DEFAULT_TRAIN_OPTIONS,
): Buffer {
  const train = selectSplit(records, 'train');
  const model = trainModel(buildExamples(train, options), options, {
    records: train.length,
    heldBackPercent: HELD_BACK_PERCENT,
    files: [...new Set(records.map((r) => r.file))],
    digest: corpusDigest(train),
  });
  return serializeModel({ ...model, fewShot: selectFewShot(train) });
}

/**
 * The fastText-style candidate (train.ts, `fitEmbedding`): 2^16 buckets of 64-wide int8
 * vectors (4 MiB), a hidden layer of 64 ReLU units, the same rule hints and calibration.
 */
export const FASTTEXT_OPTIONS: TrainOptions = {
  ...DEFAULT_TRAIN_OPTIONS,
  method: 'embedding',
  features: { ...DEFAULT_TRAIN_OPTIONS.features, bits: 16 },
  embedding: { dim: 64, hidden: 64, activation: 'relu' },
  epochs: 10,
  learningRate: 0.05,
};

/** The methods `--compare` measures: the shipped one first. */
export const CANDIDATES: Record<string, TrainOptions> = {
  'logreg + rule hints': DEFAULT_TRAIN_OPTIONS,
  'logreg, no rule hints': { ...DEFAULT_TRAIN_OPTIONS, ruleHints: false },
  'naive Bayes + rule hints': { ...DEFAULT_TRAIN_OPTIONS, method: 'naiveBayes' },
  'fastText-style + rule hints': FASTTEXT_OPTIONS,
};

/** k-fold cross-validation of each candidate on the training part; one summary per candidate. */
export async function compareMethods(
  records: readonly CorpusRecord[],
  folds: number,
  candidates = CANDIDATES,
): Promise<Record<string, EvalReport>> {
  const train = selectSplit(records, 'train');
  const out: Record<string, EvalReport> = {};
  for (const [name, options] of Object.entries(candidates)) {
    out[name] = summarize(await crossValidate(records, train, folds, options), name);
  }
  return out;
}

const USAGE = `usage: npm run train [-- --out FILE]
       npm run train -- --compare [--folds K] [--only TEXT]
  --out FILE   where to write the model (default: data/model/intentModel.bin)
  --compare    cross-validate the candidate methods on the training part instead
  --folds K    folds for --compare (default 5)
  --only TEXT  compare only the methods whose name contains TEXT`;

const OPTIONS = {
  out: { type: 'string' },
  compare: { type: 'boolean', default: false },
  folds: { type: 'string' },
  only: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function usageError(message: string): never {
  console.error(`train: ${message}\n${USAGE}`);
  process.exit(2);
}

function commandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const args = commandLine(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (args.compare) {
    const folds = args.folds === undefined ? 5 : Number(args.folds);
    if (!Number.isInteger(folds) || folds < 2)
      usageError(`--folds needs a whole number of at least 2 (got ${JSON.stringify(args.folds)})`);
    const records = loadCorpus();
    console.log(
      `compare: ${folds}-fold cross-validation on the training part (${selectSplit(records, 'train').length} records)`,
    );
    console.log('method                       accuracy  NI recall  NI precision  ECE    needs_review  time');
    const candidates = Object.fromEntries(
      Object.entries(CANDIDATES).filter(([name]) => name.includes(args.only ?? '')),
    );
    if (Object.keys(candidates).length === 0) usageError(`no method's name contains ${JSON.stringify(args.only)}`);
    for (const [name, r] of Object.entries(await compareMethods(records, folds, candidates))) {
      const f = (x: number) => x.toFixed(3);
      console.log(
        `${name.padEnd(28)} ${f(r.accuracy)}     ${f(r.notInterestedRecall)}      ${f(r.notInterestedPrecision)}         ${f(r.calibration?.ece ?? NaN)}  ${f(r.needsReview.share)}         ${f(r.timeWithinTolerance)}`,
      );
    }
    process.exit(0);
  }
  const out = args.out ?? defaultModelPath();
  const t0 = performance.now();
  const records = loadCorpus();
  const bytes = buildModelFile(records);
  writeFileSync(out, bytes);
  const sha = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  console.log(
    `train: ${records.length} records (${selectSplit(records, 'train').length} trained on), ${bytes.length} bytes → ${out} (sha256 ${sha}) in ${Math.round(performance.now() - t0)} ms`,
  );
}
