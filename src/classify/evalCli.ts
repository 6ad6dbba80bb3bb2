/**
 * npm run eval -- [--data FILE] [--split held|train|all] [--cv K] [--classifier model|rules|ollama]
 *                 [--threshold X] [--json] [--errors]
 * Measures a classifier on a labelled JSONL file, or on the corpus (data/corpus). `--split`
 * keeps one side of the held-back split (corpus.ts); `--cv K` cross-validates the local model
 * (crossValidate.ts). The ollama mode (OLLAMA_HOST, OLLAMA_MODEL, OLLAMA_TIMEOUT_MS) probes the
 * server first and exits 3 when it is not usable, so a fallback run is never reported as an
 * Ollama figure. Exit codes: 0 ok, 2 bad arguments or data file, 3 Ollama unavailable.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCorpus, selectSplit, type CorpusSplit } from './corpus.ts';
import { crossValidate } from './crossValidate.ts';
import {
  DatasetError,
  evaluate,
  formatReport,
  parseDataset,
  summarize,
  type ClassifyFn,
  type EvalRecord,
  type EvalReport,
  type EvalResult,
} from './eval.ts';
import { classifyLocal, DEFAULT_UNCERTAIN_THRESHOLD, warmUpLocal } from './local.ts';
import { findRepoFile } from './repoFiles.ts';
import { DEFAULT_TRAIN_OPTIONS } from './train.ts';
import { ollamaConfigFromEnv } from './ollamaConfig.ts';
import { classifyRules, warmUpRules } from './rules.ts';
import { selectClassifier } from './select.ts';

const USAGE = `usage: npm run eval -- [--data FILE] [--split held|train|all] [--cv K] [--classifier model|rules|ollama] [--threshold X] [--json] [--errors]

  --data FILE         labelled JSONL (see shared/data/README.md for the format); default: the corpus (data/corpus)
  --split PART        held: the held-back part (by id hash), train: the rest, all (default with --data; held without)
  --cv K              cross-validate the model on the file (default data/corpus/shared-train.jsonl): each of K folds
                      classified by a model trained on the corpus' training part without it
  --classifier NAME   model (default: the learned model with the rules), rules, or ollama
                      (uses OLLAMA_HOST, OLLAMA_MODEL, OLLAMA_TIMEOUT_MS)
  --threshold X       confidence below which a message counts as needs_review (default ${DEFAULT_UNCERTAIN_THRESHOLD})
  --json              print one JSON object instead of the table
  --errors            also list the misclassified records`;

interface Args {
  help?: boolean;
  data?: string;
  split?: CorpusSplit;
  cv?: number;
  threshold: number;
  classifier: 'model' | 'rules' | 'ollama';
  json: boolean;
  errors: boolean;
}

class UsageError extends Error {}

/** Raised to end the run with an exit code and a message (printed on stderr). */
class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const OPTIONS = {
  data: { type: 'string' },
  split: { type: 'string' },
  cv: { type: 'string' },
  classifier: { type: 'string' },
  threshold: { type: 'string' },
  json: { type: 'boolean', default: false },
  errors: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function commandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseCommandLine(argv: string[]): Args {
  const values = commandLine(argv);
  const args: Args = {
    classifier: 'model',
    json: values.json,
    errors: values.errors,
    threshold: DEFAULT_UNCERTAIN_THRESHOLD,
  };
  if (values.help) args.help = true;
  if (values.data !== undefined) args.data = values.data;
  if (values.classifier !== undefined) {
    const v = values.classifier;
    if (v !== 'model' && v !== 'rules' && v !== 'ollama')
      throw new UsageError(`--classifier must be model, rules or ollama (got ${JSON.stringify(v)})`);
    args.classifier = v;
  }
  if (values.split !== undefined) {
    const v = values.split;
    if (v !== 'held' && v !== 'train' && v !== 'all')
      throw new UsageError(`--split must be held, train or all (got ${JSON.stringify(v)})`);
    args.split = v;
  }
  if (values.cv !== undefined) {
    const v = Number(values.cv);
    if (!Number.isInteger(v) || v < 2 || v > 20)
      throw new UsageError('--cv needs a whole number of folds from 2 to 20');
    args.cv = v;
  }
  if (values.threshold !== undefined) {
    const v = Number(values.threshold);
    if (!(v >= 0 && v <= 1)) throw new UsageError('--threshold needs a number from 0 to 1');
    args.threshold = v;
  }
  if (args.cv !== undefined && args.classifier !== 'model')
    throw new UsageError('--cv trains the model: it goes with --classifier model');
  if (args.cv !== undefined && args.split)
    throw new UsageError('--cv scores every record of the file: no --split with it');
  return args;
}

function fail(code: number, message: string): never {
  throw new ExitError(code, message);
}

/** Runs the CLI; returns the exit code (0 ok, 2 bad arguments or data, 3 Ollama unusable). */
export async function runEvalCli(argv: string[], env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  try {
    await run(argv, env, io);
    return 0;
  } catch (e) {
    if (e instanceof ExitError) {
      io.stderr(`eval: ${e.message}`);
      return e.code;
    }
    if (e instanceof UsageError) {
      io.stderr(`eval: ${e.message}\n${USAGE}`);
      return 2;
    }
    io.stderr(`eval: unexpected error: ${(e as Error).stack ?? e}`);
    return 1;
  }
}

async function run(argv: string[], env: Record<string, string | undefined>, io: CliIo): Promise<void> {
  const args = parseCommandLine(argv);
  if (args.help) {
    io.stdout(USAGE);
    return;
  }

  const dataPath = args.data ?? (args.cv !== undefined ? findRepoFile('data/corpus/shared-train.jsonl') : undefined);
  let records: EvalRecord[];
  try {
    records = dataPath ? parseDataset(readData(dataPath), dataPath) : loadCorpus();
  } catch (e) {
    if (e instanceof DatasetError) fail(2, e.message);
    throw e;
  }
  const split = args.split ?? (dataPath ? 'all' : 'held');
  records = selectSplit(records, split);
  if (records.length === 0) fail(2, `no records in the ${split} split`);
  const source = `${dataPath ?? 'corpus'}${split === 'all' ? '' : ` (${split} split)`}`;
  const summary = { uncertainThreshold: args.threshold };

  let report: EvalReport;
  let results: EvalResult[];
  if (args.cv !== undefined) {
    const folds = args.cv;
    if (!args.json) io.stderr(`eval: cross-validating on ${source}, ${folds} folds…`);
    results = await crossValidate(loadCorpus(), records, folds, DEFAULT_TRAIN_OPTIONS);
    report = summarize(results, `model, ${folds}-fold cross-validation on ${source}`, summary);
  } else {
    const { classify, name } = await classifierFor(args, env, records);
    ({ report, results } = await evaluate(records, classify, `${name} on ${source}`, summary));
  }
  print(args, io, report, results);
}

function readData(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    fail(
      2,
      `cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message}`,
    );
  }
}

async function classifierFor(
  args: Args,
  env: Record<string, string | undefined>,
  records: readonly EvalRecord[],
): Promise<{ classify: ClassifyFn; name: string }> {
  // Latency is reported for the steady state (the runtime's hot path): a fixed warm-up set,
  // not the data, compiles regexes and JIT-optimises; the file's zones get their rules loaded.
  const zones = [...new Set(records.map((r) => r.timezone))];
  if (args.classifier === 'ollama') {
    let cfg;
    try {
      cfg = ollamaConfigFromEnv(env);
    } catch (e) {
      fail(2, (e as Error).message);
    }
    const selected = await selectClassifier(cfg);
    if (selected.mode !== 'ollama')
      fail(3, `Ollama is not usable at ${cfg.host} with model ${cfg.model}: ${selected.reason}`);
    warmUpLocal(zones);
    return {
      classify: (input) => selected.classifier.classify(input),
      name: `ollama (${cfg.model} at ${cfg.host}, local model fallback)`,
    };
  }
  if (args.classifier === 'rules') {
    warmUpRules(zones);
    return { classify: classifyRules, name: 'rules' };
  }
  warmUpLocal(zones);
  return { classify: (input) => classifyLocal(input), name: 'model' };
}

function print(args: Args, io: CliIo, report: EvalReport, results: readonly EvalResult[]): void {
  const mistakes = results
    .filter((r) => !r.correct || r.timeOk === false)
    .map((r) => ({
      id: r.record.id,
      line: r.record.line,
      text: r.record.text,
      gold: r.record.intent,
      predicted: r.classification.intent,
      ...(r.timeErrorMinutes !== undefined ? { timeErrorMinutes: Math.round(r.timeErrorMinutes) } : {}),
      ...(r.classification.phrase ? { phrase: r.classification.phrase } : {}),
      ...(r.classification.confidence !== undefined ? { confidence: r.classification.confidence } : {}),
      ...(r.classification.fallbackReason ? { fallbackReason: r.classification.fallbackReason } : {}),
    }));

  if (args.json) {
    io.stdout(JSON.stringify(args.errors ? { ...report, mistakes } : report));
    return;
  }
  io.stdout(formatReport(report));
  if (args.errors && mistakes.length) {
    const lines = ['', 'mistakes:'];
    for (const m of mistakes) {
      const t = m.timeErrorMinutes !== undefined ? ` time off by ${m.timeErrorMinutes} min` : '';
      const c = m.confidence !== undefined ? ` (${m.confidence.toFixed(2)})` : '';
      lines.push(
        `  ${m.id} (line ${m.line}) gold=${m.gold} predicted=${m.predicted}${c}${t}  ${JSON.stringify(m.text)}`,
      );
    }
    io.stdout(lines.join('\n'));
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const code = await runEvalCli(process.argv.slice(2), process.env, {
    stdout: (t) => console.log(t),
    stderr: (t) => console.error(t),
  });
  process.exitCode = code;
}
