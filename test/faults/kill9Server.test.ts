/**
 * Kill -9 under load: the REAL server process (`node --import tsx src/main.ts`) with live
 * widget connections sending messages while follow-ups fall due (1–2 s cadences), killed
 * with SIGKILL at random moments, restarted on the same data dir each time. Checks, after
 * every restart and at the end (see test/faults/lib/kill9.ts): no acknowledged message
 * lost, no follow-up lost, none sent twice, every widget resumes with an exact replay.
 *
 * Smaller than the benchmark version (`bench/faults/kill9.ts`: 1,000 widgets, 20 rounds)
 * so it stays under about a minute: NUDGE_KILL9_CONNECTIONS (default 100),
 * NUDGE_KILL9_ROUNDS (default 3), NUDGE_FAULT_SEED (default fixed, printed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runKill9 } from './lib/kill9.ts';

const CONNECTIONS = Number(process.env.NUDGE_KILL9_CONNECTIONS ?? 100);
const ROUNDS = Number(process.env.NUDGE_KILL9_ROUNDS ?? 3);
const SEED = Number(process.env.NUDGE_FAULT_SEED ?? 90125);

test(
  `SIGKILL of the real server with ${CONNECTIONS} live widgets, ${ROUNDS} rounds: nothing acknowledged lost, no follow-up lost or sent twice, exact replays (seed ${SEED})`,
  { timeout: 240_000 },
  async (t) => {
    t.diagnostic(`seed ${SEED} (rerun with NUDGE_FAULT_SEED=${SEED})`);
    const report = await runKill9({
      connections: CONNECTIONS,
      rounds: ROUNDS,
      seed: SEED,
      log: (line) => t.diagnostic(line),
    });
    t.diagnostic(`totals ${JSON.stringify(report.totals)}`);

    assert.deepEqual(report.violations.slice(0, 25), [], `${report.violations.length} violations (seed ${SEED})`);
    // The run must actually have exercised what it claims to check.
    assert.equal(report.roundDetails.length, ROUNDS + 1);
    for (const round of report.roundDetails)
      assert.equal(round.connected, CONNECTIONS, `round ${round.round}: every widget resumed`);
    assert.ok(report.totals.acks > 0, 'messages were acknowledged');
    assert.ok(report.totals.followUpsSent > 0, 'follow-ups were sent');
    assert.ok(report.totals.followUpsSeenLive > 0, 'follow-ups reached the widgets');
    assert.ok(
      report.roundDetails.slice(1).some((r) => r.replayedMessages > 0),
      'some widget resumed with a non-empty replay',
    );
    assert.equal(report.totals.contacts, CONNECTIONS);
    assert.equal(report.totals.unackedAtEnd, 0);
  },
);
