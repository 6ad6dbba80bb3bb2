/**
 * `reschedule`: "a reply resets the cadence" — the job queue's remove + add. Contacts are
 * first put in `awaiting` with a pending stoppedReplying follow-up (contact message, then
 * the bot's answer). Each measured event is the contact replying: the runtime classifies
 * it, the machine cancels the pending follow-up and arms the next timer (the bot-silence
 * timer of `active`), and one durable commit holds both. Measured one at a time
 * (sequential awaits) and with 256 in flight, on separate contacts.
 */
import type { ContactRuntime } from '../../src/runtime/runtime.ts';
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

const REPLIES = [
  'sounds good, what times do you have?',
  'what are your prices?',
  'ok thanks',
  'how much is a haircut and colour?',
];

/** Puts contacts in `awaiting` with a pending stoppedReplying follow-up: they wrote, the bot answered. */
export function putInAwaiting(runtime: ContactRuntime, contacts: readonly string[]): Promise<unknown> {
  return pool(contacts.length, 512, async (i) => {
    await runtime.inbound({ contactId: contacts[i], text: "hi, I'd like some info about your services" });
    await runtime.outbound({ contactId: contacts[i], text: 'Happy to help! We are open Mon–Sat.', sender: 'bot' });
  });
}

/** The measured event: a reply (classified `engaged`) from contact `order[i]`. */
export function replyFrom(runtime: ContactRuntime, order: readonly string[]): (i: number) => Promise<unknown> {
  return (i) => runtime.inbound({ contactId: order[i], text: REPLIES[i % REPLIES.length] });
}

export async function runReschedule(opts: BenchOptions): Promise<Record<string, unknown>> {
  const sequentialCount = opts.quick ? 1_000 : 5_000;
  const concurrentCount = opts.quick ? 3_000 : 20_000;
  const inFlight = 256;
  const warmup = opts.quick ? 500 : 1_000;
  const classifier = await loadRulesClassifier();
  const core = openBenchCore('reschedule', { classify: classifier.classify });
  try {
    const { runtime, committer } = core.services;
    const contacts = createContacts(core, warmup + sequentialCount + concurrentCount);
    log(`reschedule: putting ${contacts.length} contacts in awaiting (setup)`);
    await putInAwaiting(runtime, contacts);
    const armed = countRows(
      core,
      `SELECT COUNT(*) FROM followups WHERE status = 'pending' AND scenario = 'stoppedReplying'`,
    );
    if (armed !== contacts.length)
      throw new Error(`reschedule: expected ${contacts.length} pending stoppedReplying follow-ups, found ${armed}`);

    // Replies come in an order unrelated to when the contacts were created. Contacts made
    // one after another sit side by side in every index (their ids are time-ordered), so
    // replying in creation order let a batch's events share pages: 1.1 WAL frames per reply
    // instead of ~5 (bench/walPages.ts), a flattering figure.
    const replyOrder = shuffled(contacts, seededRandom(7));
    const reply = replyFrom(runtime, replyOrder);
    await pool(warmup, inFlight, (i) => reply(i));

    log(`reschedule: ${sequentialCount} replies one at a time`);
    const seqCommits0 = committer.commits;
    const seqLatencies = new Float64Array(sequentialCount);
    let cpu0 = process.cpuUsage();
    let start = performance.now();
    for (let k = 0; k < sequentialCount; k++) {
      const t = performance.now();
      await reply(warmup + k);
      seqLatencies[k] = performance.now() - t;
    }
    const seqSeconds = (performance.now() - start) / 1000;
    const seqCpu = cpuMicros(cpu0);
    const seqCommits = committer.commits - seqCommits0;

    log(`reschedule: ${concurrentCount} replies, ${inFlight} in flight`);
    const offset = warmup + sequentialCount;
    const conCommits0 = committer.commits;
    cpu0 = process.cpuUsage();
    start = performance.now();
    const conLatencies = await pool(concurrentCount, inFlight, (k) => reply(offset + k));
    const conSeconds = (performance.now() - start) / 1000;
    const conCpu = cpuMicros(cpu0);
    const conCommits = committer.commits - conCommits0;

    // Each reply cancelled exactly one stoppedReplying follow-up and armed one new timer.
    const replies = warmup + sequentialCount + concurrentCount;
    const cancelled = countRows(
      core,
      `SELECT COUNT(*) FROM followups WHERE scenario = 'stoppedReplying' AND status = 'cancelled' AND reason = 'contact_replied'`,
    );
    const rearmed = countRows(core, `SELECT COUNT(*) FROM followups WHERE status = 'pending' AND kind = 'fallthrough'`);
    if (cancelled !== replies || rearmed !== replies) {
      throw new Error(
        `reschedule: expected ${replies} cancelled and re-armed follow-ups, found ${cancelled} / ${rearmed}`,
      );
    }
    const seqRate = sequentialCount / seqSeconds;
    const conRate = concurrentCount / conSeconds;
    log(`reschedule: ${Math.round(seqRate)}/s sequential, ${Math.round(conRate)}/s with ${inFlight} in flight`);
    return {
      classifier: classifier.name,
      what: 'contact reply in awaiting: classify + cancel pending stoppedReplying follow-up + arm bot-silence timer, one durable commit',
      sequential: {
        replies: sequentialCount,
        seconds: round(seqSeconds, 3),
        perSecond: Math.round(seqRate),
        latencyMs: distribution(seqLatencies),
        cpuUsPerReply: Math.round(seqCpu.totalUs / sequentialCount),
        commits: seqCommits,
      },
      concurrent: {
        inFlight,
        replies: concurrentCount,
        seconds: round(conSeconds, 3),
        perSecond: Math.round(conRate),
        latencyMs: distribution(conLatencies),
        cpuUsPerReply: Math.round(conCpu.totalUs / concurrentCount),
        oneCoreCeilingPerSecond: Math.round(1e6 / (conCpu.totalUs / concurrentCount)),
        commits: conCommits,
      },
      memory: memory(),
      target: judge(conRate, 25_000, 'reschedules/s (256 in flight)', 'higher'),
      targetSequential: judge(seqRate, 25_000, 'reschedules/s (one at a time)', 'higher'),
    };
  } finally {
    await core.close();
    await classifier.close();
  }
}

/** A copy of `items` in a random order (Fisher–Yates with the given PRNG). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
