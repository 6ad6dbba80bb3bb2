/**
 * Where a commit's page writes go: runs the `events` and `reschedule` workloads on the real
 * services with checkpoints stopped, and attributes the WAL frames each commit appends to
 * the table or index owning each page, read right after that commit (bench/walFrames.ts).
 * Each frame is written by the COMMIT and read and copied again by the checkpoint, so
 * frames per event are the I/O half of an event's cost. JSON on stdout, a table on stderr;
 * local temp files only.
 *
 *   node --import tsx bench/walPages.ts [--contacts 10000] [--events 10000] [--one-at-a-time 300]
 */
import { parseArgs } from 'node:util';
import { createContacts, openBenchCore, type BenchCore } from './core.ts';
import { loadRulesClassifier, log, pool, positiveIntegerOption, round, seededRandom } from './lib.ts';
import { textPicker } from './scenarios/events.ts';
import { putInAwaiting, replyFrom, shuffled } from './scenarios/reschedule.ts';
import { framesByOwner, pageOwners, WalTail } from './walFrames.ts';

interface Measured {
  workload: string;
  inFlight: number;
  events: number;
  commits: number;
  framesPerEvent: number;
  framesPerCommit: number;
  /** Frames per event by owning table or index, most first. */
  byOwner: Record<string, number>;
}

/**
 * Runs `events` events with `inFlight` at a time and attributes the frames of each commit
 * with the page owners read right after it (the committer reports every commit to its gate).
 */
async function measure(
  core: BenchCore,
  workload: string,
  inFlight: number,
  events: number,
  run: (i: number) => Promise<unknown>,
): Promise<Measured> {
  const { committer, db } = core.services;
  const tail = new WalTail(`${core.dbPath}-wal`);
  const counts = new Map<string, number>();
  let frames = 0;
  committer.setGate({
    committed() {
      const pages = tail.pages();
      frames += pages.length;
      for (const [owner, n] of framesByOwner(pages, pageOwners(db))) counts.set(owner, (counts.get(owner) ?? 0) + n);
    },
    roomToCommit: () => null,
  });
  const commits0 = committer.commits;
  try {
    await pool(events, inFlight, run);
  } finally {
    committer.setGate(null);
  }
  const commits = committer.commits - commits0;
  const byOwner = Object.fromEntries(
    [...counts].sort((a, b) => b[1] - a[1]).map(([owner, n]) => [owner, round(n / events, 2)]),
  );
  return {
    workload,
    inFlight,
    events,
    commits,
    framesPerEvent: round(frames / events, 2),
    framesPerCommit: round(frames / commits, 1),
    byOwner,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      contacts: { type: 'string', default: '10000' },
      events: { type: 'string', default: '10000' },
      'one-at-a-time': { type: 'string', default: '300' },
    },
    strict: true,
  });
  const contactsCount = positiveIntegerOption('wal-pages', 'contacts', values.contacts);
  const batchedEvents = positiveIntegerOption('wal-pages', 'events', values.events);
  const sequentialEvents = positiveIntegerOption('wal-pages', 'one-at-a-time', values['one-at-a-time']);
  const classifier = await loadRulesClassifier();
  const core = openBenchCore('wal-pages', { classify: classifier.classify });
  try {
    const { runtime, db, checkpointer } = core.services;
    const random = seededRandom(42);
    const pick = textPicker(random);
    const contacts = createContacts(core, contactsCount);
    const anyContact = () => contacts[Math.floor(random() * contacts.length)];
    // Replies in `awaiting` need contacts that wrote and were answered (as in `reschedule`).
    const awaiting = createContacts(core, sequentialEvents + 2 * batchedEvents);
    log(`wal-pages: setup (${contactsCount} contacts with history, ${awaiting.length} in awaiting)`);
    await pool(2 * contactsCount, 512, () => runtime.inbound({ contactId: anyContact(), text: pick() }));
    await putInAwaiting(runtime, awaiting);

    // From here every commit's frames stay in the WAL: no checkpoint may rewind it.
    await checkpointer?.stop();
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('wal_checkpoint(TRUNCATE)');

    const results: Measured[] = [];
    const eventsRun = () => runtime.inbound({ contactId: anyContact(), text: pick() });
    results.push(await measure(core, 'events mix', 1, sequentialEvents, eventsRun));
    results.push(await measure(core, 'events mix', 512, batchedEvents, eventsRun));
    // Replies in a random order, as `reschedule` sends them; then, for comparison, to
    // contacts in the order they were created (neighbours in every index).
    const randomOrder = shuffled(awaiting.slice(0, sequentialEvents + batchedEvents), seededRandom(7));
    const creationOrder = awaiting.slice(sequentialEvents + batchedEvents);
    const replyTo = (order: string[]) => replyFrom(runtime, order);
    results.push(await measure(core, 'reply in awaiting (reschedule)', 1, sequentialEvents, replyTo(randomOrder)));
    results.push(
      await measure(
        core,
        'reply in awaiting (reschedule)',
        256,
        batchedEvents,
        replyTo(randomOrder.slice(sequentialEvents)),
      ),
    );
    results.push(
      await measure(core, 'reply in awaiting, in contact creation order', 256, batchedEvents, replyTo(creationOrder)),
    );
    for (const r of results) {
      log(
        `${r.workload}, ${r.inFlight} in flight: ${r.framesPerEvent} frames/event (${r.events} events, ${r.commits} commits, ${r.framesPerCommit} frames/commit)`,
      );
      for (const [owner, n] of Object.entries(r.byOwner)) log(`    ${owner.padEnd(34)} ${n.toFixed(2)}`);
    }
    process.stdout.write(
      `${JSON.stringify({ scenario: 'wal-pages', contacts: contactsCount, classifier: classifier.name, pageSize: db.pragma('page_size', { simple: true }), results })}\n`,
    );
  } finally {
    await core.close();
    await classifier.close();
  }
}

await main();
