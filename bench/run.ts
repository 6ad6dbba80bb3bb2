/**
 * `npm run bench [-- --json] [--quick] [--only events,reschedule,million,lateness]`
 *
 * Runs each scenario in a fresh child process (one at a time, so they do not compete for
 * the two cores), then prints a table of the figures against the targets of issue 8 — or,
 * with --json, exactly one JSON object on stdout with every figure. Progress goes to
 * stderr. Not a test: a missed target does not fail the run; a scenario that breaks does
 * (exit code 1, its error in the JSON).
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { calibrate, type Calibration } from './calibrate.ts';
import { experimentPragmas } from './core.ts';
import { heapGrowingPercent } from '../src/process/heapGrowth.ts';
import type { Judged } from './lib.ts';
import { SCENARIO_DESCRIPTIONS, SCENARIO_NAMES, type ScenarioName } from './scenarios/catalog.ts';
import { runScenarioProcess, serviceNodeFlags } from './scenarioProcess.ts';

interface Args {
  json: boolean;
  quick: boolean;
  only: ScenarioName[];
}

const USAGE = `usage: npm run bench -- [--json] [--quick] [--only ${SCENARIO_NAMES.join(',')}]
  --json    print one JSON object with every figure (nothing else on stdout)
  --quick   smaller, faster variants (under a minute in all)
  --only    run a subset of the scenarios, comma-separated`;

const OPTIONS = {
  json: { type: 'boolean', default: false },
  quick: { type: 'boolean', default: false },
  only: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function parseCommandLine(argv: string[]): Args {
  const values = strictValues(argv);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  return {
    json: values.json,
    quick: values.quick,
    only: values.only === undefined ? [...SCENARIO_NAMES] : scenariosFrom(values.only),
  };
}

function strictValues(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

/** The scenarios named in `--only`, in catalog order; an empty or unknown name is an error. */
function scenariosFrom(value: string): ScenarioName[] {
  if (!value) fail('--only needs a comma-separated list of scenarios');
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(SCENARIO_NAMES as string[]).includes(n));
  if (unknown.length || names.length === 0)
    fail(
      `unknown scenario ${unknown.map((u) => `"${u}"`).join(', ') || '(none given)'}; known: ${SCENARIO_NAMES.join(', ')}`,
    );
  return SCENARIO_NAMES.filter((n) => names.includes(n));
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The service's node flags, as `npm start` gives them (bench/scenarioProcess.ts).
const SERVICE_NODE_FLAGS = serviceNodeFlags(ROOT);

function gitCommit(): string | null {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) return null;
  const dirty = spawnSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() !== '';
  return `${r.stdout.trim()}${dirty ? ' (uncommitted changes)' : ''}`;
}

const load = () => loadavg().map((v) => Math.round(v * 100) / 100);

// ------------------------------------------------------------------------------ summary

interface Row {
  scenario: string;
  figure: string;
  value: number | string;
  unit: string;
  target?: string;
  met?: boolean;
}

type Any = Record<string, any>;

function rowsFor(name: ScenarioName, r: Any): Row[] {
  const t = (j: Judged | undefined) =>
    j ? { target: `${j.better === 'higher' ? '≥' : '≤'} ${j.target.toLocaleString('en')}`, met: j.met } : {};
  switch (name) {
    case 'outbox':
      return [
        {
          scenario: name,
          figure: 'outbox deliveries/s to a fake SMS provider',
          value: r.deliveriesPerSec,
          unit: 'deliveries/s',
        },
      ];
    case 'livechat':
      return [
        {
          scenario: name,
          figure: 'connections (connected / requested)',
          value: `${r.connections.connected} / ${r.connections.requested}`,
          unit: '',
        },
        { scenario: name, figure: 'inbound messages/s sustained', value: r.load.inboundPerSecond, unit: 'msgs/s' },
        {
          scenario: name,
          figure: 'ack round trip p50 / p99',
          value: `${r.ackMs.p50} / ${r.ackMs.p99}`,
          unit: 'ms',
          ...t(r.target),
        },
        { scenario: name, figure: 'server RSS per connection', value: r.memory.rssPerConnectionKiB, unit: 'KiB' },
      ];
    case 'events':
      return [
        {
          scenario: name,
          figure: 'events/s (classify + transition + durable commit)',
          value: r.eventsPerSecond,
          unit: 'events/s',
          ...t(r.target),
        },
        {
          scenario: name,
          figure: 'CPU per event (→ one-core ceiling events/s)',
          value: `${r.cpuUsPerEvent} µs (${r.oneCoreCeilingEventsPerSecond})`,
          unit: '',
        },
        {
          scenario: name,
          figure: 'per-event await latency p50 / p99',
          value: `${r.latencyMs.p50} / ${r.latencyMs.p99}`,
          unit: 'ms',
        },
        {
          scenario: name,
          figure: 'events, commits (events per commit)',
          value: `${r.events}, ${r.commits} (${r.eventsPerCommit})`,
          unit: '',
        },
      ];
    case 'reschedule':
      return [
        {
          scenario: name,
          figure: 'reschedules/s, one at a time',
          value: r.sequential.perSecond,
          unit: '/s',
          ...t(r.targetSequential),
        },
        {
          scenario: name,
          figure: 'reschedules/s, 256 in flight',
          value: r.concurrent.perSecond,
          unit: '/s',
          ...t(r.target),
        },
        {
          scenario: name,
          figure: 'latency p99 one at a time / 256 in flight',
          value: `${r.sequential.latencyMs.p99} / ${r.concurrent.latencyMs.p99}`,
          unit: 'ms',
        },
        {
          scenario: name,
          figure: 'CPU per reply one at a time / 256 in flight',
          value: `${r.sequential.cpuUsPerReply} / ${r.concurrent.cpuUsPerReply}`,
          unit: 'µs',
        },
      ];
    case 'million': {
      const svc = r.service.npmStart;
      const dev = r.service.startDev;
      const core = r.coreOnly;
      return [
        {
          scenario: name,
          figure: `create ${Number(r.pendingFollowUps).toLocaleString('en')} pending follow-ups (+contacts)`,
          value: r.createSeconds,
          unit: 's',
        },
        {
          scenario: name,
          figure: 'RSS of the service holding them (npm start), 1 s after healthy',
          value: svc.rssMiB,
          unit: 'MiB',
          ...t(r.targetRss),
        },
        {
          scenario: name,
          figure: 'the same after 10 s more idle (start-up transient given back)',
          value: svc.settledRssMiB ?? 'not measured',
          unit: svc.settledRssMiB === null ? '' : 'MiB',
        },
        {
          scenario: name,
          figure: 'process start → next due known (npm start)',
          value: svc.firstDueKnownMs,
          unit: 'ms',
          ...t(r.target),
        },
        { scenario: name, figure: 'process start → serving (npm start)', value: svc.servingMs, unit: 'ms' },
        {
          scenario: name,
          figure: 'next due known / serving (start:dev, tsx)',
          value: `${dev.firstDueKnownMs} / ${dev.servingMs}`,
          unit: 'ms',
        },
        {
          scenario: name,
          figure: 'core only (tsx): RSS / createServices → next due',
          value: `${core.holdingRssMiB} MiB / ${core.sinceCreateServicesMs} ms`,
          unit: '',
        },
      ];
    }
    case 'classify':
      return [
        {
          scenario: name,
          figure: 'model file size / load',
          value: `${Math.round(r.modelBytes / 1024)} KiB / ${r.modelLoadMs} ms`,
          unit: '',
        },
        {
          scenario: name,
          figure: 'classifyLocal per message p50 / max',
          value: `${r.latencyMs.p50} / ${r.latencyMs.max}`,
          unit: 'ms',
        },
        {
          scenario: name,
          figure: 'classifyLocal per message p99, CPU time',
          value: r.cpuMs.p99,
          unit: 'ms',
          ...t(r.target),
        },
        {
          scenario: name,
          figure: 'classifyLocal per message p99, wall time (includes time not scheduled)',
          value: r.latencyMs.p99,
          unit: 'ms',
          ...t(r.wallTarget),
        },
        { scenario: name, figure: 'classifyLocal CPU per message p50', value: r.cpuMs.p50, unit: 'ms' },
        {
          scenario: name,
          figure: 'rules alone wall p50 / p99, CPU p99',
          value: `${r.rulesLatencyMs.p50} / ${r.rulesLatencyMs.p99}, ${r.rulesCpuMs?.p99}`,
          unit: 'ms',
        },
      ];
    case 'floors':
      return [
        {
          scenario: name,
          figure: 'events: SQL alone, replayed, per event (→ ceiling events/s)',
          value: `${r.eventsSqlLoopUsPerEvent} µs (${r.eventsSqlCeilingPerSecond})`,
          unit: '',
        },
        {
          scenario: name,
          figure: 'events: rules classification / machine step alone, per event',
          value: `${r.eventsClassifyUsPerEvent} / ${r.eventsMachineStepUsPerEvent}`,
          unit: 'µs',
        },
        {
          scenario: name,
          figure: 'events: the three together (→ ceiling events/s) vs CPU per event measured',
          value: `${r.eventsFloorUsPerEvent} µs (${r.eventsFloorCeilingPerSecond}) vs ${r.eventsInSituCpuUsPerEvent} µs`,
          unit: '',
        },
        {
          scenario: name,
          figure: 'reply one at a time: SQL per reply, of which COMMIT (→ ceiling/s)',
          value: `${r.loneReplySqlUsInSitu} µs, ${r.loneReplyCommitUsInSitu} µs (${r.loneReplySqlCeilingPerSecond})`,
          unit: '',
        },
      ];
    case 'lateness':
      return [
        {
          scenario: name,
          figure: 'firing lateness p50 / max',
          value: `${r.firingLatenessMs.p50} / ${r.firingLatenessMs.max}`,
          unit: 'ms',
        },
        { scenario: name, figure: 'firing lateness p99', value: r.firingLatenessMs.p99, unit: 'ms', ...t(r.target) },
        {
          scenario: name,
          figure: 'due → send committed p50 / p99',
          value: `${r.endToEndCommittedLatenessMs.p50} / ${r.endToEndCommittedLatenessMs.p99}`,
          unit: 'ms',
        },
        {
          scenario: name,
          figure: 'event-loop delay p99 / max during the window',
          value: `${r.eventLoopDelayMs.p99} / ${r.eventLoopDelayMs.max}`,
          unit: 'ms',
        },
        {
          scenario: name,
          figure: 'CPU per delivery (budget: window / count)',
          value: `${r.cpuUsPerDelivery} (${Math.round((r.windowMs * 1000) / r.followUps)})`,
          unit: 'µs',
        },
      ];
  }
}

function table(rows: Row[]): string {
  const cells = rows.map((r) => [
    r.scenario,
    r.figure,
    typeof r.value === 'number' ? r.value.toLocaleString('en') : r.value,
    r.unit,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
  ]);
  const head = ['scenario', 'figure', 'value', 'unit', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => String(c[i]).length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === 2 ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

// ------------------------------------------------------------------------------ main

const args = parseCommandLine(process.argv.slice(2));
const startedAt = new Date();
const results: Partial<Record<ScenarioName, Any>> = {};
const errors: Partial<Record<ScenarioName, string>> = {};
const loadAverages: Record<string, { before: number[]; after: number[] }> = {};
const durations: Record<string, number> = {};
const calibrations: Record<string, Calibration> = {};

process.stderr.write('[bench] calibrating (CPU share, raw SQLite commits)\n');
calibrations.before = calibrate();

for (const name of args.only) {
  process.stderr.write(`[bench] == ${name}: ${SCENARIO_DESCRIPTIONS[name]}${args.quick ? ' (quick)' : ''}\n`);
  const before = load();
  const t = performance.now();
  try {
    results[name] = await runScenarioProcess({ root: ROOT, scenario: name, quick: args.quick, stderr: 'inherit' });
  } catch (error) {
    errors[name] = error instanceof Error ? error.message : String(error);
    process.stderr.write(`[bench] ${name} FAILED: ${errors[name]}\n`);
  }
  durations[name] = Math.round((performance.now() - t) / 100) / 10;
  loadAverages[name] = { before, after: load() };
}
calibrations.after = calibrate();

const rows = (Object.keys(results) as ScenarioName[]).flatMap((name) => rowsFor(name, results[name] as Any));
const report = {
  benchmark: 'nudge core',
  command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
  quick: args.quick,
  startedAt: startedAt.toISOString(),
  gitCommit: gitCommit(),
  host: {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMiB: Math.round(totalmem() / 2 ** 20),
  },
  scenarioNodeFlags: SERVICE_NODE_FLAGS,
  // V8's heap growing factor the scenarios ran with (src/process/heapGrowth.ts; 0 = V8's own).
  heapGrowingPercent: heapGrowingPercent(),
  experimentPragmas: experimentPragmas(),
  calibration: calibrations,
  loadAverage1m5m15m: loadAverages,
  scenarioSeconds: durations,
  summary: rows,
  scenarios: results,
  errors,
};

if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else {
  process.stdout.write(`\nNudge core benchmark — ${report.command}\n`);
  process.stdout.write(
    `${report.host.cpus} × ${report.host.cpuModel}, node ${report.host.node}, git ${report.gitCommit ?? 'n/a'}\n`,
  );
  if (report.experimentPragmas.length)
    process.stdout.write(`EXPERIMENT: extra SQLite pragmas ${report.experimentPragmas.join('; ')}\n`);
  process.stdout.write(`\n${table(rows)}\n`);
  const classifiers = [
    ...new Set(
      Object.values(results)
        .map((r) => (r as Any).classifier)
        .filter(Boolean),
    ),
  ];
  if (classifiers.length) process.stdout.write(`\nclassifier: ${classifiers.join('; ')}\n`);
  for (const [name, message] of Object.entries(errors)) process.stdout.write(`\n${name}: FAILED — ${message}\n`);
  process.stdout.write(
    `\nload average (1m) before each scenario: ${Object.entries(loadAverages)
      .map(([n, l]) => `${n} ${l.before[0]}`)
      .join(', ')}\n`,
  );
  process.stdout.write(
    `calibration before / after: CPU share of one core ${calibrations.before.cpuShareOfOneCore} / ${calibrations.after.cpuShareOfOneCore}, ` +
      `raw SQLite single-row commits/s ${calibrations.before.sqliteSingleRowCommitsPerSecond} / ${calibrations.after.sqliteSingleRowCommitsPerSecond}\n`,
  );
}
process.exitCode = Object.keys(errors).length ? 1 : 0;
