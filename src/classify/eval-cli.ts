/**
 * npm run eval -- --data FILE [--classifier rules|ollama] [--json] [--errors]
 *
 * Measures a classifier on a labelled JSONL file. The ollama mode reads OLLAMA_HOST,
 * OLLAMA_MODEL and OLLAMA_TIMEOUT_MS, probes the server first and refuses to run (exit 3)
 * when it is not usable, so a "rules fallback" run is never reported as an Ollama figure.
 * Exit codes: 0 ok, 2 bad arguments or data file, 3 Ollama unavailable.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
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
  help?: boolean;
  data: string;
  classifier: 'rules' | 'ollama';
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
        args.help = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(a)}`);
    }
  }
  if (!args.data && !args.help) throw new UsageError('--data FILE is required');
  return args as Args;
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
  const args = parseArgs(argv);
  if (args.help) {
    io.stdout(USAGE);
    return;
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
      cfg = ollamaConfigFromEnv(env);
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
    io.stdout(JSON.stringify(args.errors ? { ...report, mistakes } : report));
    return;
  }
  io.stdout(formatReport(report));
  if (args.errors && mistakes.length) {
    const lines = ['', 'mistakes:'];
    for (const m of mistakes) {
      const t = m.timeErrorMinutes !== undefined ? ` time off by ${m.timeErrorMinutes} min` : '';
      lines.push(`  ${m.id} (line ${m.line}) gold=${m.gold} predicted=${m.predicted}${t}  ${JSON.stringify(m.text)}`);
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
