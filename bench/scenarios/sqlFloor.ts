/**
 * `sqlfloor`: SQLite's own limit for the rows an event writes. Runs a workload on the real services,
 * records every statement the main connection executes (bench/statementLog.ts), then
 * replays the statements alone on a copy of the database taken just before, with the
 * product's pragmas and the background checkpointer. The replay has no classification, no
 * state machine and none of the service's objects to collect, so its time per event is
 * the floor this schema and these statements put under the `events` and `reschedule`
 * figures (issue 8: "close to SQLite's own limit").
 *
 * Workloads: `events` (the events scenario's mix over 10,000 contacts, 512 in flight) and
 * `reply, one at a time` (the reschedule scenario's sequential replies). Part of
 * `npm run bench`; `bench/sql-floor.ts` runs it alone with other sizes. Local temp files only.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { heapGrowingPercent } from '../../src/config/heapGrowth.ts';
import { BackgroundCheckpointer } from '../../src/store/checkpointer.ts';

type CheckpointerOptions = ConstructorParameters<typeof BackgroundCheckpointer>[1];
import { openDatabase, type DB } from '../../src/store/db.ts';
import { createContacts, openBenchCore, type BenchCore } from '../core.ts';
import { cpuMicros, loadRulesClassifier, log, pool, round, seededRandom, type BenchOptions } from '../lib.ts';
import { recordStatements, replayStatements, tableFingerprints, type LoggedStatement } from '../statementLog.ts';
import { textPicker } from './events.ts';
import { putInAwaiting, replyFrom, shuffled } from './reschedule.ts';

interface StatementShare {
  sql: string;
  perEvent: number;
  /** Recorded wall time inside the statement, per event of the workload (µs). */
  usPerEvent: number;
}

interface FloorResult {
  workload: string;
  inFlight: number;
  events: number;
  statementsPerEvent: number;
  commits: number;
  inSitu: { eventsPerSecond: number; cpuUsPerEvent: number; sqlUsPerEvent: number; byStatement: StatementShare[] };
  /**
   * The statements alone: the event loop's busy time per event (the floor on the loop),
   * and the CPU per event of every thread (with the checkpointer copying the frames).
   */
  replay: { eventsPerSecond: number; loopUsPerEvent: number; cpuUsPerEvent: number; systemCpuUsPerEvent: number };
  /** The replayed copy holds exactly what the recorded database held afterwards. */
  replayMatches: boolean;
}

async function floorOf(
  core: BenchCore,
  workload: string,
  inFlight: number,
  events: number,
  checkpoints: CheckpointerOptions,
  run: () => Promise<void>,
): Promise<FloorResult> {
  const { db, runtime } = core.services;
  await runtime.idle();
  await checkpointWholeWal(db);
  const copyPath = join(core.dir, `floor-${workload.replace(/\W+/g, '-')}.sqlite`);
  copyFileSync(core.dbPath, copyPath);

  log(`sql-floor: ${workload}: recording ${events} events, ${inFlight} in flight`);
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const recorded = await recordStatements(db, run);
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuMicros(cpu0);
  await runtime.idle();
  const expected = tableFingerprints(db);

  log(`sql-floor: ${workload}: replaying ${recorded.length} statements`);
  const copy = openDatabase(copyPath);
  const checkpointer = new BackgroundCheckpointer(copy, checkpoints);
  let replay;
  try {
    replay = await replayStatements(copy, recorded, () => {
      checkpointer.committed();
      return checkpointer.roomToCommit();
    });
  } finally {
    await checkpointer.stop();
  }
  const replayed = tableFingerprints(copy);
  copy.close();
  const mismatched = Object.keys({ ...expected, ...replayed }).filter((t) => expected[t] !== replayed[t]);
  if (mismatched.length) throw new Error(`sql-floor: ${workload}: the replay wrote other rows than the recording (${mismatched.join(', ')})`);

  const replayUs = (replay.busyMs * 1000) / events;
  return {
    workload,
    inFlight,
    events,
    statementsPerEvent: round(recorded.length / events, 2),
    commits: replay.commits,
    inSitu: {
      eventsPerSecond: Math.round(events / seconds),
      cpuUsPerEvent: Math.round(cpu.totalUs / events),
      sqlUsPerEvent: round(recorded.reduce((sum, s) => sum + s.micros, 0) / events, 1),
      byStatement: byStatement(recorded, events),
    },
    replay: {
      eventsPerSecond: Math.round(1e6 / replayUs),
      loopUsPerEvent: round(replayUs, 1),
      cpuUsPerEvent: round(((replay.cpuUserMs + replay.cpuSystemMs) * 1000) / events, 1),
      systemCpuUsPerEvent: round((replay.cpuSystemMs * 1000) / events, 1),
    },
    replayMatches: true,
  };
}

/**
 * Copies every WAL frame into the database file and empties the WAL, so the file alone is
 * the database. The background checkpointer may hold the checkpoint lock at that moment
 * (the pragma then reports busy): try again shortly.
 */
async function checkpointWholeWal(db: DB): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (!result.busy) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('sql-floor: the WAL could not be checkpointed before copying the database (busy 50 times)');
}

function byStatement(recorded: readonly LoggedStatement[], events: number): StatementShare[] {
  const totals = new Map<string, { n: number; us: number }>();
  for (const s of recorded) {
    const sql = s.sql.replace(/\s+/g, ' ').trim();
    const t = totals.get(sql) ?? { n: 0, us: 0 };
    t.n++;
    t.us += s.micros;
    totals.set(sql, t);
  }
  return [...totals]
    .map(([sql, t]) => ({ sql, perEvent: round(t.n / events, 2), usPerEvent: round(t.us / events, 1) }))
    .sort((a, b) => b.usPerEvent - a.usPerEvent);
}

export interface SqlFloorSizes {
  contacts: number;
  events: number;
  replies: number;
}

export function sqlFloorSizes(opts: BenchOptions): SqlFloorSizes {
  return opts.quick ? { contacts: 10_000, events: 6_000, replies: 1_000 } : { contacts: 10_000, events: 30_000, replies: 3_000 };
}

export async function runSqlFloor(opts: BenchOptions, sizes: SqlFloorSizes = sqlFloorSizes(opts)): Promise<Record<string, unknown>> {
  const classifier = await loadRulesClassifier();
  const core = openBenchCore('sql-floor', { classify: classifier.classify });
  try {
    const { runtime } = core.services;
    const random = seededRandom(42);
    const pick = textPicker(random);
    const contacts = createContacts(core, sizes.contacts);
    const anyContact = () => contacts[Math.floor(random() * contacts.length)];
    const awaiting = createContacts(core, sizes.replies + 1000);
    log(`sql-floor: setup (${sizes.contacts} contacts, 5,000 warm-up events; ${awaiting.length} contacts in awaiting)`);
    await pool(5000, 512, () => runtime.inbound({ contactId: anyContact(), text: pick() }));
    await putInAwaiting(runtime, awaiting);
    const order = shuffled(awaiting, seededRandom(7));
    const reply = replyFrom(runtime, order);
    await pool(1000, 256, (i) => reply(i)); // warm-up, as the reschedule scenario does

    // Each batch waits for a checkpoint covering every commit before it, so the WAL
    // rewinds between batches as in the service, where the ~50 ms of JavaScript between
    // two batches gives the checkpointer that time. Back to back the WAL would instead
    // grow to its bound, each commit extending the file. The wait is idle, not counted.
    const events = await floorOf(core, 'events', 512, sizes.events, { maxWalFrames: 0, minRequestGapMs: 0 }, async () => {
      await pool(sizes.events, 512, () => runtime.inbound({ contactId: anyContact(), text: pick() }));
    });
    // The service's own checkpoint spacing: lone commits are checkpointed every 10 ms.
    const lone = await floorOf(core, 'reply, one at a time', 1, sizes.replies, {}, async () => {
      for (let k = 0; k < sizes.replies; k++) await reply(1000 + k);
    });
    for (const r of [events, lone]) {
      log(
        `sql-floor: ${r.workload}: in situ ${r.inSitu.eventsPerSecond}/s, ${r.inSitu.cpuUsPerEvent} µs CPU/event of which SQL ${r.inSitu.sqlUsPerEvent} µs; ` +
          `replayed alone: loop busy ${r.replay.loopUsPerEvent} µs/event (ceiling ${r.replay.eventsPerSecond}/s), all threads ${r.replay.cpuUsPerEvent} µs CPU (${r.replay.systemCpuUsPerEvent} system); ` +
          `${r.statementsPerEvent} statements/event, ${r.commits} commits`,
      );
      for (const s of r.inSitu.byStatement.slice(0, 12)) log(`    ${s.usPerEvent.toFixed(1).padStart(6)} µs  ${s.perEvent.toFixed(2)}×  ${s.sql.slice(0, 96)}`);
    }
    const commit = (r: FloorResult) => r.inSitu.byStatement.find((s) => s.sql === 'COMMIT')?.usPerEvent ?? null;
    return {
      classifier: classifier.name,
      contacts: sizes.contacts,
      heapGrowingPercent: heapGrowingPercent(),
      // The figures the table shows: what the statements alone allow.
      eventsSqlLoopUsPerEvent: events.replay.loopUsPerEvent,
      eventsSqlCeilingPerSecond: events.replay.eventsPerSecond,
      loneReplySqlUsInSitu: lone.inSitu.sqlUsPerEvent,
      loneReplyCommitUsInSitu: commit(lone),
      loneReplySqlCeilingPerSecond: Math.round(1e6 / lone.inSitu.sqlUsPerEvent),
      results: [events, lone],
    };
  } finally {
    await core.close();
    await classifier.close();
  }
}
