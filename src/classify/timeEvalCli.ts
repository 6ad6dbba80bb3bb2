/**
 * node --import tsx src/classify/timeEvalCli.ts FILE... [--lines odd|even] [--split held|train] [--json] [--failures]
 *
 * Time-within-tolerance of the resolver alone on the request_time lines of labelled JSONL files
 * (format: shared/data/README.md), overall and per language. `--lines` keeps only the odd or even
 * line numbers of each file: rules are built from one half and measured on the other. `--split`
 * keeps one side of the corpus' held-back split (by id hash, corpus.ts): gaps are looked for in
 * `train`, and `held` measures on lines nobody built rules from. Exit codes: 0 ok, 2 bad
 * arguments or data file.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { isHeldBack } from './corpus.ts';
import { parseDataset, type EvalRecord } from './eval.ts';
import { evaluateResolver } from './timeEval.ts';

const USAGE =
  'usage: node --import tsx src/classify/timeEvalCli.ts FILE... [--lines odd|even] [--split held|train] [--json] [--failures]';

const OPTIONS = {
  lines: { type: 'string' },
  split: { type: 'string' },
  json: { type: 'boolean', default: false },
  failures: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function main(argv: string[]): number {
  let cli;
  try {
    cli = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    console.error(`time eval: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals: files } = cli;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const half = values.lines;
  if (half !== undefined && half !== 'odd' && half !== 'even') {
    console.error(`time eval: --lines must be odd or even (got ${JSON.stringify(half)})\n${USAGE}`);
    return 2;
  }
  const split = values.split;
  if (split !== undefined && split !== 'held' && split !== 'train') {
    console.error(`time eval: --split must be held or train (got ${JSON.stringify(split)})\n${USAGE}`);
    return 2;
  }
  if (files.length === 0) {
    console.error(`time eval: no data file given\n${USAGE}`);
    return 2;
  }
  const { json, failures } = values;
  const records: EvalRecord[] = [];
  for (const file of files) {
    try {
      const content = readFileSync(file, 'utf8');
      const parsed = parseDataset(content, file);
      // Carry a corpus's own language field through to the per-language table.
      const raw = content.split(/\r?\n/);
      for (const r of parsed) {
        if (half && (r.line % 2 === 1) !== (half === 'odd')) continue;
        if (split && isHeldBack(r.id) !== (split === 'held')) continue;
        const obj = JSON.parse(raw[r.line - 1]) as { language?: string; lang?: string };
        records.push(Object.assign(r, { language: obj.language ?? obj.lang }));
      }
    } catch (e) {
      console.error((e as Error).message);
      return 2;
    }
  }
  const report = evaluateResolver(records);
  if (json) {
    const { results, ...figures } = report;
    console.log(
      JSON.stringify(
        failures ? { ...figures, failures: results.filter((r) => !r.ok).map((r) => r.record.id) } : figures,
      ),
    );
    return 0;
  }
  console.log(`time within tolerance: ${report.hits}/${report.n} = ${(100 * report.timeWithinTolerance).toFixed(1)} %`);
  for (const [lang, g] of Object.entries(report.perLanguage).sort((a, b) => b[1].n - a[1].n)) {
    console.log(
      `  ${lang.padEnd(8)} ${String(g.hits).padStart(4)}/${String(g.n).padEnd(4)} ${(100 * g.rate).toFixed(1)} %`,
    );
  }
  if (failures) {
    for (const r of report.results) {
      if (r.ok) continue;
      const z = r.record.timezone;
      const show = (t: number) => DateTime.fromMillis(t, { zone: z }).toFormat('ccc yyyy-LL-dd HH:mm');
      const err =
        r.errorMinutes === undefined ? '' : ` (${Math.round(r.errorMinutes)} min, tol ${r.record.toleranceMinutes})`;
      console.log(
        `${r.record.id} [${r.language}] ${JSON.stringify(r.record.text)} | now ${show(r.record.now)} ${z} | want ${show(r.record.followupAt!)} got ${r.at === null ? 'nothing' : show(r.at)}${err} | ${r.record.note ?? ''}`,
      );
    }
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
