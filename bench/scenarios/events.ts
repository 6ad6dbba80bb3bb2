/**
 * `events`: inbound contact messages through the whole core path — rules classification,
 * the contact machine's transition, and one durable (group-)committed transaction per
 * event holding message, snapshot, follow-up rows and log row — with many in flight.
 */
import { performance } from 'node:perf_hooks';
import { countRows, createContacts, openBenchCore } from '../core.ts';
import {
  cpuMicros,
  distribution,
  judge,
  loadRulesClassifier,
  log,
  memory,
  pool,
  round,
  seededRandom,
  type BenchOptions,
} from '../lib.ts';

/** Realistic replies, weighted so that opt-outs and bookings stay a minority. */
const TEXTS: readonly [string, number][] = [
  ['busy right now, driving', 10],
  ["I'm at work, can't talk", 6],
  ['call me tomorrow at 3', 10],
  ['can you text me next monday at 10am?', 6],
  ['what are your prices?', 16],
  ['how much is a haircut and colour?', 10],
  ['sounds good, tell me more', 14],
  ['ok thanks', 10],
  ['not interested', 4],
  ['I booked', 6],
  ['just booked for friday', 4],
  ['hi, do you have anything on saturday?', 4],
];

export function textPicker(random: () => number): () => string {
  const total = TEXTS.reduce((s, [, w]) => s + w, 0);
  return () => {
    let r = random() * total;
    for (const [text, weight] of TEXTS) {
      r -= weight;
      if (r < 0) return text;
    }
    return TEXTS[0][0];
  };
}

export async function runEvents(opts: BenchOptions): Promise<Record<string, unknown>> {
  const contactsCount = 10_000;
  const inFlight = 512;
  const warmup = opts.quick ? 1_000 : 5_000;
  const total = opts.quick ? 6_000 : 60_000;
  const classifier = await loadRulesClassifier();
  log(`events: classifier ${classifier.name}`);
  const core = openBenchCore('events', { classify: classifier.classify });
  try {
    const { runtime, committer } = core.services;
    const contacts = createContacts(core, contactsCount);
    const random = seededRandom(42);
    const pick = textPicker(random);
    const plan = (n: number) =>
      Array.from({ length: n }, () => ({ contactId: contacts[Math.floor(random() * contacts.length)], text: pick() }));

    log(`events: warm-up ${warmup} events`);
    const warm = plan(warmup);
    await pool(warm.length, inFlight, (i) => runtime.inbound(warm[i]));

    const events = plan(total);
    const commits0 = committer.commits;
    const writes0 = committer.writes;
    const gateWaits0 = committer.gateWaits;
    log(`events: ${total} events over ${contactsCount} contacts, ${inFlight} in flight`);
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const start = performance.now();
    const latencies = await pool(events.length, inFlight, (i) => runtime.inbound(events[i]));
    const seconds = (performance.now() - start) / 1000;
    const cpu = cpuMicros(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const commits = committer.commits - commits0;
    const writes = committer.writes - writes0;
    const rate = total / seconds;
    log(`events: ${Math.round(rate)} events/s`);

    // Every event is stored: one message and one transition row each.
    const messages = countRows(core, `SELECT COUNT(*) FROM messages WHERE sender = 'contact'`);
    const transitions = countRows(core, `SELECT COUNT(*) FROM transitions`);
    if (messages !== warmup + total || transitions !== warmup + total) {
      throw new Error(
        `events: expected ${warmup + total} messages and transitions, found ${messages} / ${transitions}`,
      );
    }
    const states = core.services.db
      .prepare(`SELECT state, COUNT(*) AS n FROM contacts GROUP BY state ORDER BY state`)
      .all() as { state: string; n: number }[];
    return {
      classifier: classifier.name,
      contacts: contactsCount,
      inFlight,
      warmupEvents: warmup,
      events: total,
      seconds: round(seconds, 3),
      eventsPerSecond: Math.round(rate),
      latencyMs: distribution(latencies),
      // CPU per event is steadier than wall-clock rate on a shared machine; 1e6 / it is the
      // rate one fully available core could sustain.
      cpuUsPerEvent: Math.round(cpu.totalUs / total),
      systemCpuUsPerEvent: Math.round(cpu.systemUs / total),
      // Share of the window the main thread (event loop) was busy; the rest it waited,
      // for the classifier's worker thread or a commit held at the WAL gate.
      mainThreadBusy: round(elu.utilization, 3),
      oneCoreCeilingEventsPerSecond: Math.round(1e6 / (cpu.totalUs / total)),
      commits,
      writesCommitted: writes,
      eventsPerCommit: round(writes / commits, 1),
      // Batches that waited for the WAL checkpoint to catch up (src/store/checkpointer.ts).
      walGateWaits: committer.gateWaits - gateWaits0,
      pendingFollowUps: countRows(core, `SELECT COUNT(*) FROM followups WHERE status = 'pending'`),
      contactStates: Object.fromEntries(states.map((s) => [s.state, s.n])),
      memory: memory(),
      target: judge(rate, 25_000, 'events/s', 'higher'),
    };
  } finally {
    await core.close();
    await classifier.close();
  }
}
