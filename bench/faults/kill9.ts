/**
 * Kill -9 under load, full size: the real server (src/main.ts) with 1,000 live widget
 * connections and follow-ups falling due, SIGKILLed at random moments over 20 rounds.
 * Same checks as test/faults/kill9Server.test.ts (see test/faults/lib/kill9.ts).
 *
 *   node --import tsx bench/faults/kill9.ts [--connections 1000] [--rounds 20] [--seed N] [--launcher tsx|npm-start]
 *
 * Prints one JSON report on stdout (progress on stderr); exit code 1 when any check failed.
 */
import { parseArgs } from 'node:util';
import { runKill9 } from '../../test/faults/lib/kill9.ts';
import { positiveIntegerOption } from '../lib.ts';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '20' },
    seed: { type: 'string' },
    'per-ip': { type: 'string', default: '10' },
    launcher: { type: 'string', default: 'npm-start' },
  },
});
const positive = (name: string, raw: string | undefined): number => positiveIntegerOption('kill9', name, raw);
const connections = positive('connections', values.connections);
const rounds = positive('rounds', values.rounds);
const perIp = positive('per-ip', values['per-ip']);
if (perIp > 20) {
  process.stderr.write("kill9: --per-ip above 20 exceeds the server's handshake burst per address\n");
  process.exit(2);
}
const launcher = values.launcher;
if (launcher !== 'tsx' && launcher !== 'npm-start') {
  process.stderr.write(`kill9: --launcher must be tsx or npm-start, got "${launcher}"\n`);
  process.exit(2);
}
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : positive('seed', values.seed);
process.stderr.write(`[kill9] seed ${seed}, ${connections} widgets, ${rounds} rounds, server started as ${launcher}\n`);

const report = await runKill9({
  connections,
  rounds,
  seed,
  perIp,
  launcher,
  log: (line) => process.stderr.write(`[kill9] ${line}\n`),
});
const rounds_ = report.roundDetails;
const summary = {
  ...report,
  violationCount: report.violations.length,
  violations: report.violations.slice(0, 100),
  summary: {
    restartToHealthyMs: {
      max: Math.max(...rounds_.map((r) => r.startMs)),
      mean: Math.round(rounds_.reduce((s, r) => s + r.startMs, 0) / rounds_.length),
    },
    reconnectAllMs: {
      max: Math.max(...rounds_.map((r) => r.reconnectMs)),
      mean: Math.round(rounds_.reduce((s, r) => s + r.reconnectMs, 0) / rounds_.length),
    },
    replayedMessages: rounds_.reduce((s, r) => s + r.replayedMessages, 0),
    killOffsetsMs: rounds_.filter((r) => r.killAfterMs !== null).map((r) => r.killAfterMs),
  },
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
process.stderr.write(
  `[kill9] ${report.violations.length === 0 ? 'PASS' : `FAIL: ${report.violations.length} violations`} in ${Math.round(report.durationMs / 1000)} s\n`,
);
process.exit(report.violations.length === 0 ? 0 : 1);
