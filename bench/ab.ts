/**
 * An interleaved A/B comparison of one benchmark scenario between two commits (or one
 * commit with two sets of node flags), the way docs/benchmarks.md says changes are judged on
 * this machine: each side runs from a detached git worktree of its commit (in the temp dir,
 * sharing this checkout's node_modules, removed at the end) as the `npm start` flags plus
 * its own, in A B B A rounds. `--a HEAD --b HEAD` measures the noise floor. Progress goes to
 * stderr; the summary (or with --json one JSON object) to stdout. Usage: `USAGE` below.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../test/faults/lib/realServer.ts';
import { abbaOrder, DEFAULT_METRICS, metricAt, summarize, type Better } from './abStats.ts';
import { positiveIntegerOption, round } from './lib.ts';
import { SCENARIO_NAMES } from './scenarios/catalog.ts';
import { runScenarioProcess } from './scenarioProcess.ts';

function fail(message: string): never {
  process.stderr.write(`ab: ${message}\n`);
  process.exit(2);
}

function parseCommandLine() {
  try {
    return parseArgs({ options: OPTIONS, strict: true });
  } catch (error) {
    // e.g. `--flags-b --max-semi-space-size=32`: a value starting with a dash needs `=`.
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
}

const USAGE = `usage: node --import tsx bench/ab.ts --a <ref> --b <ref> [--scenario events] [--rounds 4]
  [--metric dotted.path --better higher|lower] [--flags-a="…"] [--flags-b="…"] [--quick] [--json]`;

const OPTIONS = {
  a: { type: 'string' },
  b: { type: 'string' },
  scenario: { type: 'string', default: 'events' },
  rounds: { type: 'string', default: '4' },
  metric: { type: 'string' },
  better: { type: 'string' },
  'flags-a': { type: 'string', default: '' },
  'flags-b': { type: 'string', default: '' },
  quick: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;
const { values } = parseCommandLine();

if (!values.a || !values.b)
  fail('--a and --b name the two commits (any git ref; the same one twice measures the noise)');
const scenario = values.scenario as string;
if (!(SCENARIO_NAMES as readonly string[]).includes(scenario))
  fail(`unknown scenario "${scenario}"; known: ${SCENARIO_NAMES.join(', ')}`);
const rounds = positiveIntegerOption('ab', 'rounds', values.rounds);
const metric =
  values.metric ??
  DEFAULT_METRICS[scenario]?.path ??
  fail(`scenario "${scenario}" has no default figure: give --metric <dotted.path> and --better`);
const better = (values.better ?? (values.metric ? undefined : DEFAULT_METRICS[scenario]?.better)) as Better | undefined;
if (better !== 'higher' && better !== 'lower') fail('--better must be "higher" or "lower"');

function commitOf(ref: string): string {
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) fail(`"${ref}" is not a commit here`);
  return r.stdout.trim();
}

const log = (line: string) => process.stderr.write(`[ab] ${line}\n`);
const sideOf = (ref: string, flags: string) => ({
  ref,
  commit: commitOf(ref),
  extraFlags: flags.split(/\s+/).filter(Boolean),
  dir: '',
});
const sides = { A: sideOf(values.a, values['flags-a'] as string), B: sideOf(values.b, values['flags-b'] as string) };
type AbSide = (typeof sides)['A'];
if (!existsSync(join(REPO_ROOT, 'node_modules')))
  fail("run npm ci first: the worktrees share this checkout's node_modules");

const base = mkdtempSync(join(tmpdir(), 'nudge-ab-'));
const worktrees: string[] = [];
function removeWorktrees(): void {
  for (const dir of worktrees.splice(0)) spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: REPO_ROOT });
  rmSync(base, { recursive: true, force: true });
  spawnSync('git', ['worktree', 'prune'], { cwd: REPO_ROOT });
}
// On every way out (the end, an uncaught error such as EPIPE on a closed stderr, Ctrl-C):
// 'exit' handlers run synchronously, and spawnSync may be used there.
process.on('exit', removeWorktrees);
process.once('SIGINT', () => process.exit(130));

function worktreeFor(commit: string): string {
  const dir = join(base, commit.slice(0, 12));
  if (worktrees.includes(dir)) return dir;
  const r = spawnSync('git', ['worktree', 'add', '--detach', '--force', dir, commit], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git worktree add failed: ${r.stderr}`);
  worktrees.push(dir);
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  if (!existsSync(join(dir, 'bench', 'scenarioChild.ts')))
    throw new Error(`commit ${commit.slice(0, 12)} has no bench/scenarioChild.ts`);
  return dir;
}

try {
  sides.A.dir = worktreeFor(sides.A.commit);
  sides.B.dir = worktreeFor(sides.B.commit);
  const order = abbaOrder(rounds);
  const describe = ({ ref, commit, extraFlags }: AbSide) => `${ref} (${[commit.slice(0, 9), ...extraFlags].join(' ')})`;
  log(
    `${scenario}: A = ${describe(sides.A)}, B = ${describe(sides.B)}; ${rounds} ABBA rounds, ${metric} (${better} is better)`,
  );
  const measured: number[] = [];
  const runs: { side: string; value: number; startedAt: string }[] = [];
  for (const [i, side] of order.entries()) {
    const startedAt = new Date().toISOString();
    const { dir, extraFlags } = sides[side];
    const result = await runScenarioProcess({
      root: dir,
      scenario,
      quick: values.quick,
      extraNodeFlags: extraFlags,
      stderr: 'tail',
    });
    const value = metricAt(result, metric);
    measured.push(value);
    runs.push({ side, value, startedAt });
    log(`run ${i + 1}/${order.length} ${side}: ${value}`);
  }
  const summary = summarize(measured, better);
  if (values.json) {
    const asJson = ({ ref, commit, extraFlags }: AbSide) => ({ ref, commit, flags: extraFlags });
    process.stdout.write(
      `${JSON.stringify({ scenario, metric, quick: values.quick, a: asJson(sides.A), b: asJson(sides.B), runs, summary })}\n`,
    );
  } else {
    const line = (name: string, s: typeof summary.a) =>
      `${name}  mean ${round(s.mean, 2)}  median ${round(s.median, 2)}  range ${s.min}–${s.max}  runs ${s.values.join(' / ')}`;
    process.stdout.write(
      [
        `${scenario} ${metric} (${better} is better), ${rounds} ABBA rounds`,
        line('A', summary.a),
        line('B', summary.b),
        `B/A per round ${summary.roundRatios.map((x) => round(x, 3)).join(' / ')}; geometric mean ${round(summary.geomeanRatio, 3)}; B better in ${summary.roundsBWon} of ${rounds} rounds`,
        '',
      ].join('\n'),
    );
  }
} catch (error) {
  process.stderr.write(`ab: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
