/**
 * `floors`: what the three things every event must do cost alone, under the `events` and
 * `reschedule` figures: SQLite writing the event's rows (the statements of a real workload
 * recorded by bench/statementLog.ts, then replayed alone on a copy of the database with the
 * product's pragmas and checkpointer), the rules classification of the same texts, and the
 * machine step of the same events on actors hydrated from the workload's snapshots.
 * Workloads: `events` and `reply, one at a time`. Part of `npm run bench`; `bench/floors.ts`
 * runs it alone with other sizes. Local temp files only.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createActor } from 'xstate';
import { classifyRules } from '../../src/classify/rules.ts';
import { heapGrowingPercent } from '../../src/process/heapGrowth.ts';
import { collectingContactMachine, contactMessageEvent, type Effect } from '../../src/runtime/runtime.ts';
import { BackgroundCheckpointer } from '../../src/store/checkpointer.ts';
import { openDatabase, type DB } from '../../src/store/db.ts';
import { createContacts, openBenchCore, type BenchCore } from '../core.ts';
import { cpuMicros, loadRulesClassifier, log, pool, round, seededRandom, type BenchOptions } from '../lib.ts';
import { fingerprint } from '../../test/faults/lib/dbCheck.ts';
import { recordStatements, replayStatements, type LoggedStatement } from '../statementLog.ts';
import { textPicker } from './events.ts';
import { putInAwaiting, replyFrom, shuffled } from './reschedule.ts';

type CheckpointerOptions = ConstructorParameters<typeof BackgroundCheckpointer>[1];

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

  log(`floors: ${workload}: recording ${events} events, ${inFlight} in flight`);
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const recorded = await recordStatements(db, run);
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuMicros(cpu0);
  await runtime.idle();
  const expected = fingerprint(db);

  log(`floors: ${workload}: replaying ${recorded.length} statements`);
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
  const replayed = fingerprint(copy);
  copy.close();
  const mismatched = Object.keys({ ...expected, ...replayed }).filter(
    (t) => JSON.stringify(expected[t]) !== JSON.stringify(replayed[t]),
  );
  if (mismatched.length)
    throw new Error(`floors: ${workload}: the replay wrote other rows than the recording (${mismatched.join(', ')})`);

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
  throw new Error('floors: the WAL could not be checkpointed before copying the database (busy 50 times)');
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

export interface FloorSizes {
  contacts: number;
  events: number;
  replies: number;
}

export function floorSizes(opts: BenchOptions): FloorSizes {
  return opts.quick
    ? { contacts: 10_000, events: 6_000, replies: 1_000 }
    : { contacts: 10_000, events: 30_000, replies: 3_000 };
}

export async function runFloors(
  opts: BenchOptions,
  sizes: FloorSizes = floorSizes(opts),
): Promise<Record<string, unknown>> {
  const classifier = await loadRulesClassifier();
  const core = openBenchCore('floors', { classify: classifier.classify });
  try {
    const { runtime } = core.services;
    const random = seededRandom(42);
    const pick = textPicker(random);
    const contacts = createContacts(core, sizes.contacts);
    const anyContact = () => contacts[Math.floor(random() * contacts.length)];
    const awaiting = createContacts(core, sizes.replies + 1000);
    log(`floors: setup (${sizes.contacts} contacts, 5,000 warm-up events; ${awaiting.length} contacts in awaiting)`);
    await pool(5000, 512, () => runtime.inbound({ contactId: anyContact(), text: pick() }));
    await putInAwaiting(runtime, awaiting);
    const order = shuffled(awaiting, seededRandom(7));
    const reply = replyFrom(runtime, order);
    await pool(1000, 256, (i) => reply(i)); // warm-up, as the reschedule scenario does

    const plan = Array.from({ length: sizes.events }, () => ({ contactId: anyContact(), text: pick() }));
    const snapshotsBefore = new Map(contacts.map((id) => [id, core.services.store.getSnapshot(id)]));
    // Each batch waits for a checkpoint covering every commit before it, so the WAL
    // rewinds between batches as in the service, where the ~50 ms of JavaScript between
    // two batches gives the checkpointer that time. Back to back the WAL would instead
    // grow to its bound, each commit extending the file. The wait is idle, not counted.
    const events = await floorOf(
      core,
      'events',
      512,
      sizes.events,
      { maxWalFrames: 0, minRequestGapMs: 0 },
      async () => {
        await pool(plan.length, 512, (i) => runtime.inbound(plan[i]));
      },
    );
    // The service's own checkpoint spacing: lone commits are checkpointed every 10 ms.
    const lone = await floorOf(core, 'reply, one at a time', 1, sizes.replies, {}, async () => {
      for (let k = 0; k < sizes.replies; k++) await reply(1000 + k);
    });
    for (const r of [events, lone]) {
      log(
        `floors: ${r.workload}: in situ ${r.inSitu.eventsPerSecond}/s, ${r.inSitu.cpuUsPerEvent} µs CPU/event of which SQL ${r.inSitu.sqlUsPerEvent} µs; ` +
          `replayed alone: loop busy ${r.replay.loopUsPerEvent} µs/event (ceiling ${r.replay.eventsPerSecond}/s), all threads ${r.replay.cpuUsPerEvent} µs CPU (${r.replay.systemCpuUsPerEvent} system); ` +
          `${r.statementsPerEvent} statements/event, ${r.commits} commits`,
      );
      for (const s of r.inSitu.byStatement.slice(0, 12))
        log(`    ${s.usPerEvent.toFixed(1).padStart(6)} µs  ${s.perEvent.toFixed(2)}×  ${s.sql.slice(0, 96)}`);
    }
    const bot = runtime.bot(core.botId);
    // Warmed up on the event loop first: in the service the thread may have done most of it.
    // The timed pass keeps its answers for the machine step.
    const classifications: ReturnType<typeof classifyRules>[] = new Array(plan.length);
    const classifyUs = timePerItem(
      plan.length,
      (i) =>
        (classifications[i] = classifyRules({ text: plan[i].text, now: Date.now(), timezone: bot.config.timezone })),
      true,
    );
    const machineUs = machineStepFloor(plan, classifications, snapshotsBefore, bot.policy);
    log(`floors: events: rules classification alone ${classifyUs} µs/event, machine step alone ${machineUs} µs/event`);
    const floorUs = round(events.replay.loopUsPerEvent + classifyUs + machineUs, 1);
    const commit = (r: FloorResult) => r.inSitu.byStatement.find((s) => s.sql === 'COMMIT')?.usPerEvent ?? null;
    return {
      classifier: classifier.name,
      contacts: sizes.contacts,
      heapGrowingPercent: heapGrowingPercent(),
      // The figures the table shows: what each part alone allows, and the three together.
      eventsSqlLoopUsPerEvent: events.replay.loopUsPerEvent,
      eventsSqlCeilingPerSecond: events.replay.eventsPerSecond,
      eventsClassifyUsPerEvent: classifyUs,
      eventsMachineStepUsPerEvent: machineUs,
      eventsFloorUsPerEvent: floorUs,
      eventsFloorCeilingPerSecond: Math.round(1e6 / floorUs),
      eventsInSituCpuUsPerEvent: events.inSitu.cpuUsPerEvent,
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

/** Mean µs per item of `count` calls, after a warm-up pass over the first items if asked. */
function timePerItem(count: number, run: (i: number) => unknown, warmUp: boolean): number {
  if (warmUp) for (let i = 0; i < Math.min(count, 1000); i++) run(i);
  const start = performance.now();
  for (let i = 0; i < count; i++) run(i);
  return round(((performance.now() - start) * 1000) / count, 1);
}

/**
 * The machine's part of each planned event, as the runtime does it: the contact's actor
 * takes the event, and its persisted snapshot is serialised for the contact row. Actors are
 * hydrated (not timed) from the snapshots the contacts had before the workload, so each
 * contact sees the same sequence of events it saw in the service.
 */
function machineStepFloor(
  plan: readonly { contactId: string; text: string }[],
  classifications: readonly ReturnType<typeof classifyRules>[],
  snapshots: ReadonlyMap<string, unknown>,
  policy: Parameters<typeof contactMessageEvent>[2],
): number {
  const effects: Effect[] = [];
  const machine = collectingContactMachine((effect) => effects.push(effect));
  const actors = new Map(
    [...snapshots].map(([contactId, snapshot]) => {
      const actor = createActor(machine, { snapshot: snapshot as never, input: { contactId } });
      actor.start();
      return [contactId, actor] as const;
    }),
  );
  const start0 = Date.now();
  // No warm-up pass: it would move the contacts on before the timed one. The workload has
  // just run the same machine code in this process.
  return timePerItem(
    plan.length,
    (i) => {
      const actor = actors.get(plan[i].contactId);
      if (!actor) throw new Error(`floors: no actor for ${plan[i].contactId}`);
      effects.length = 0;
      actor.send(contactMessageEvent(classifications[i], start0 + i, policy, `msg_floor_${i}`));
      return JSON.stringify(actor.getPersistedSnapshot());
    },
    false,
  );
}
