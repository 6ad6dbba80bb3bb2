/**
 * `lateness`: 20,000 follow-ups armed by the machine, re-timed in one transaction to fall
 * due within 10 s on the real clock, then fired through the real path (scheduler →
 * runtime.deliverDue → compose → machine → one durable commit per send) by a scheduler
 * started as after a restart. Measured: the scheduler's firing lateness
 * (`scheduler.lateness`, whole ms) and end to end, from `due_at` to the runtime's `message`
 * event emitted after the commit (sub-ms). Method: docs/benchmarks.md, `lateness`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { countRows, createContacts, openBenchCore } from '../core.ts';
import {
  cpuMicros,
  distribution,
  forceGc,
  judge,
  loadRulesClassifier,
  log,
  memory,
  pool,
  round,
  type BenchOptions,
} from '../lib.ts';
import type { MessageRow } from '../../src/store/store.ts';

export async function runLateness(opts: BenchOptions): Promise<Record<string, unknown>> {
  // --quick keeps the density (2,000 due per second) over a shorter window.
  const count = opts.quick ? 4_000 : 20_000;
  const windowMs = opts.quick ? 2_000 : 10_000;
  const leadMs = 1_500;
  const classifier = await loadRulesClassifier();
  const core = openBenchCore('lateness', { classify: classifier.classify, startScheduler: false });
  try {
    const { runtime, scheduler, db } = core.services;
    const contacts = createContacts(core, count);
    log(`lateness: arming ${count} follow-ups through the runtime (setup)`);
    await pool(contacts.length, 512, async (i) => {
      await runtime.inbound({ contactId: contacts[i], text: 'hi, what are your prices?' });
      await runtime.outbound({ contactId: contacts[i], text: 'Haircuts start at 30. Want to book?', sender: 'bot' });
    });
    const ids = (
      db
        .prepare(
          `SELECT id FROM followups WHERE status = 'pending' AND scenario = 'stoppedReplying' AND step = 1 ORDER BY id`,
        )
        .all() as { id: string }[]
    ).map((r) => r.id);
    if (ids.length !== count) throw new Error(`lateness: expected ${count} armed follow-ups, found ${ids.length}`);
    const otherPending = countRows(core, `SELECT COUNT(*) FROM followups WHERE status = 'pending'`) - count;

    const t0 = Date.now() + leadMs;
    const dueOf = new Map<string, number>();
    const retimeRow = db.prepare(
      `UPDATE followups SET due_at = ?, raw_due_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'`,
    );
    const retimeSnapshot = db.prepare(
      `UPDATE contacts SET snapshot = json_set(snapshot, '$.context.timer.dueAt', ?) WHERE id = (SELECT contact_id FROM followups WHERE id = ?)`,
    );
    db.transaction(() => {
      const now = Date.now();
      ids.forEach((id, k) => {
        const due = t0 + Math.floor((k * windowMs) / count);
        dueOf.set(id, due);
        retimeRow.run(due, due, now, id);
        retimeSnapshot.run(due, id);
      });
    })();
    forceGc(); // the setup's garbage is not the window's to collect
    if (Date.now() > t0 - 200) throw new Error('lateness: setup ran into the window; raise leadMs');

    // End to end: due_at → the send's transaction committed (message event after commit).
    const endToEnd: number[] = [];
    let sent = 0;
    let resolveAll: () => void = () => {};
    const allSent = new Promise<void>((resolve) => (resolveAll = resolve));
    runtime.events.on('message', (_contactId: string, message: MessageRow) => {
      const due = message.followup_id ? dueOf.get(message.followup_id) : undefined;
      if (due === undefined) return;
      endToEnd.push(performance.timeOrigin + performance.now() - due);
      if (++sent === count) resolveAll();
    });
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });

    log(`lateness: ${count} follow-ups due from T0 over ${windowMs / 1000} s; scheduler starts ${leadMs} ms before T0`);
    const cpu0 = process.cpuUsage();
    const startAt = performance.now();
    scheduler.start();
    const startMs = performance.now() - startAt;
    loopDelay.enable();
    const deadline = windowMs + leadMs + 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      allSent.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), deadline))),
    ]);
    clearTimeout(timer);
    loopDelay.disable();
    const finishedAfterWindowMs = Date.now() - (t0 + windowMs);
    const cpu = cpuMicros(cpu0);
    await runtime.idle();
    if (timedOut) throw new Error(`lateness: only ${sent} of ${count} follow-ups were sent within ${deadline} ms`);

    // Each follow-up sent exactly once: one outbox row per follow-up, no other outcome.
    const sentRows = countRows(
      core,
      `SELECT COUNT(*) FROM followups WHERE scenario = 'stoppedReplying' AND step = 1 AND status = 'sent'`,
    );
    const outboxRows = countRows(
      core,
      `SELECT COUNT(*) FROM outbox WHERE idempotency_key LIKE '%:stoppedReplying:1:%'`,
    );
    if (sentRows !== count || outboxRows !== count)
      throw new Error(`lateness: expected ${count} sent rows and outbox rows, found ${sentRows} / ${outboxRows}`);

    const firing = scheduler.lateness.slice(-count);
    const firingDist = distribution(firing);
    const e2e = distribution(endToEnd);
    log(
      `lateness: firing p50 ${firingDist.p50} ms, p99 ${firingDist.p99} ms, max ${firingDist.max} ms; end to end p99 ${e2e.p99} ms`,
    );
    return {
      classifier: classifier.name,
      followUps: count,
      windowMs,
      otherPendingAtStart: otherPending,
      schedulerWindowSize: 2000,
      schedulerStartMs: round(startMs, 2),
      delivered: scheduler.delivered,
      firingLatenessMs: firingDist,
      endToEndCommittedLatenessMs: e2e,
      lastSentAfterWindowEndMs: finishedAfterWindowMs,
      // Deliveries must average under windowMs / count of CPU (500 µs for 20,000 in 10 s)
      // or the backlog, not the timer, sets the lateness.
      cpuUsPerDelivery: Math.round(cpu.totalUs / count),
      cpuBusyShareOfWindow: round(cpu.totalUs / 1000 / (windowMs + leadMs + Math.max(0, finishedAfterWindowMs)), 2),
      eventLoopDelayMs: {
        p50: round(loopDelay.percentile(50) / 1e6, 2),
        p99: round(loopDelay.percentile(99) / 1e6, 2),
        max: round(loopDelay.max / 1e6, 2),
      },
      commits: core.services.committer.commits,
      memory: memory(),
      target: judge(firingDist.p99, 20, 'ms firing lateness p99', 'lower'),
    };
  } finally {
    await core.close();
    await classifier.close();
  }
}
