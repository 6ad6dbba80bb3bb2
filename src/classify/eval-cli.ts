/**
 * npm run eval -- --data FILE [--classifier rules|ollama] [--json] [--errors]
 *
 * Measures a classifier on a labelled JSONL file. The ollama mode reads OLLAMA_HOST,
 * OLLAMA_MODEL and OLLAMA_TIMEOUT_MS, probes the server first and refuses to run (exit 3)
 * when it is not usable, so a "rules fallback" run is never reported as an Ollama figure.
 * Exit codes: 0 ok, 2 bad arguments or data file, 3 Ollama unavailable.
 */
import { readFileSync } from 'node:fs';
import { DatasetError, evaluate, formatReport, parseDataset, type ClassifyFn } from './eval.ts';
import { ollamaConfigFromEnv } from './ollama-config.ts';
import { classifyRules, warmUpRules } from './rules.ts';
import { selectClassifier } from './select.ts';

const USAGE = `usage: npm run eval -- --data FILE [--classifier rules|ollama] [--json] [--errors]

  --data FILE         labelled JSONL (see shared/data/README.md for the format)
  --classifier NAME   rules (default) or ollama (uses OLLAMA_HOST, OLLAMA_MODEL, OLLAMA_TIMEOUT_MS)
  --json              print one JSON object instead of the table
  --errors            also list the misclassified records`;

interface Args {
  data: string;
  classifier: 'rules' | 'ollama';
  json: boolean;
  errors: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> = { classifier: 'rules', json: false, errors: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--data':
        args.data = value();
        break;
      case '--classifier': {
        const v = value();
        if (v !== 'rules' && v !== 'ollama') throw new UsageError(`--classifier must be rules or ollama (got ${JSON.stringify(v)})`);
        args.classifier = v;
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '--errors':
        args.errors = true;
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(a)}`);
    }
  }
  if (!args.data) throw new UsageError('--data FILE is required');
  return args as Args;
}

function fail(code: number, message: string): never {
  console.error(`eval: ${message}`);
  process.exit(code);
}

async function main() {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) fail(2, `${e.message}\n${USAGE}`);
    throw e;
  }

  let content: string;
  try {
    content = readFileSync(args.data, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    fail(2, `cannot read ${args.data}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message}`);
  }

  let records;
  try {
    records = parseDataset(content, args.data);
  } catch (e) {
    if (e instanceof DatasetError) fail(2, e.message);
    throw e;
  }

  let classify: ClassifyFn;
  let name: string = args.classifier;
  if (args.classifier === 'ollama') {
    let cfg;
    try {
      cfg = ollamaConfigFromEnv(process.env);
    } catch (e) {
      fail(2, (e as Error).message);
    }
    const selected = await selectClassifier(cfg);
    if (selected.mode !== 'ollama') fail(3, `Ollama is not usable at ${cfg.host} with model ${cfg.model}: ${selected.reason}`);
    classify = (input) => selected.classifier.classify(input);
    name = `ollama (${cfg.model} at ${cfg.host}, rules fallback)`;
  } else {
    // Latency is reported for the steady state (the runtime's hot path): a fixed warm-up set,
    // not the data, compiles regexes and JIT-optimises; the file's zones get their rules loaded.
    warmUpRules([...new Set(records.map((r) => r.timezone))]);
    classify = classifyRules;
  }

  const { report, results } = await evaluate(records, classify, name);
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
      ...(r.classification.fallbackReason ? { fallbackReason: r.classification.fallbackReason } : {}),
    }));

  if (args.json) {
    console.log(JSON.stringify(args.errors ? { ...report, mistakes } : report));
    return;
  }
  console.log(formatReport(report));
  if (args.errors && mistakes.length) {
    console.log('\nmistakes:');
    for (const m of mistakes) {
      const t = m.timeErrorMinutes !== undefined ? ` time off by ${m.timeErrorMinutes} min` : '';
      console.log(`  ${m.id} (line ${m.line}) gold=${m.gold} predicted=${m.predicted}${t}  ${JSON.stringify(m.text)}`);
    }
  }
}

main().catch((e) => {
  console.error(`eval: unexpected error: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
