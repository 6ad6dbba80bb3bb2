/**
 * What a console metrics read and a Prometheus scrape cost the event loop: one bot with
 * `--followups` follow-up rows over the last 6 days (sent, cancelled, skipped; a quarter of
 * the sent ones replied to), then `--rounds` reads each way — on the event loop
 * (`botMetrics` / `prometheusText` in a read transaction) and through `ConsoleReader`'s
 * thread — reporting each answer's time and the loop's largest gap meanwhile (what a chat
 * ack or a due timer would have waited). One JSON object on stdout; local temp files only.
 *
 *   node --import tsx bench/metricsRead.ts [--followups 200000] [--rounds 3]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { botMetrics, prometheusText } from '../src/console/metrics.ts';
import { ConsoleReader } from '../src/readers/consoleReader.ts';
import { openBenchCore } from './core.ts';
import { log, positiveIntegerOption, round } from './lib.ts';

const DAY = 86_400_000;
const { values } = parseArgs({
  options: { followups: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '3' } },
});
const followUps = positiveIntegerOption('metrics-read', 'followups', values.followups);
const rounds = positiveIntegerOption('metrics-read', 'rounds', values.rounds);

/** Runs `read` while a 1 ms timer watches the event loop: the answer's time and the loop's largest gap. */
async function watched(read: () => Promise<unknown>): Promise<{ answerMs: number; loopGapMs: number }> {
  let last = performance.now();
  let gap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 20)); // the timer is running
  gap = 0;
  last = performance.now();
  const started = performance.now();
  await read();
  const answerMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(timer);
  return { answerMs: round(answerMs, 1), loopGapMs: round(Math.max(gap, performance.now() - last), 1) };
}

const core = openBenchCore('metrics-read', { startScheduler: false });
try {
  const { db, store } = core.services;
  const now = Date.now();
  log(`metrics-read: writing ${followUps} follow-ups of one bot`);
  db.prepare(
    `INSERT INTO contacts (id, bot_id, state, created_at, updated_at) VALUES ('ct_bench', ?, 'active', 0, 0)`,
  ).run(core.botId);
  const insert =
    db.prepare(`INSERT INTO followups (id, contact_id, bot_id, kind, scenario, step, epoch, raw_due_at, due_at, channel, status, reason,
      created_at, updated_at, sent_at, replied_at) VALUES (?, 'ct_bench', ?, 'followup', ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const statuses = ['sent', 'sent', 'sent', 'cancelled', 'skipped'] as const;
  db.transaction(() => {
    for (let i = 0; i < followUps; i++) {
      const at = now - Math.floor((i / followUps) * 6 * DAY);
      const status = statuses[i % statuses.length];
      const sent = status === 'sent';
      insert.run(
        `fu_${i}`,
        core.botId,
        ['busy', 'stoppedReplying', 'requestedTime'][i % 3],
        1 + (i % 3),
        at,
        at,
        i % 2 ? 'livechat' : 'sms',
        status,
        sent ? null : 'contact_replied',
        at,
        at,
        sent ? at : null,
        sent && i % 4 === 0 ? at + 1000 : null,
      );
    }
  })();
  const bots = [{ id: core.botId, name: 'Bench Salon', active: true }];
  const reader = new ConsoleReader(core.services);
  await reader.prometheus([]); // the thread is started and warm before it is timed
  const results: Record<string, { answerMs: number; loopGapMs: number }[]> = {
    'metrics 7 days, event loop': [],
    'metrics 7 days, thread': [],
    'prometheus, event loop': [],
    'prometheus, thread': [],
  };
  for (let r = 0; r < rounds; r++) {
    results['metrics 7 days, event loop'].push(
      await watched(async () => store.read(() => botMetrics(db, core.botId, now - 7 * DAY, now))),
    );
    results['metrics 7 days, thread'].push(await watched(() => reader.botMetrics(core.botId, now - 7 * DAY, now)));
    results['prometheus, event loop'].push(await watched(async () => store.read(() => prometheusText(db, bots))));
    results['prometheus, thread'].push(await watched(() => reader.prometheus(bots)));
  }
  for (const [name, runs] of Object.entries(results)) {
    log(
      `metrics-read: ${name.padEnd(28)} answer ${runs.map((x) => x.answerMs).join(' / ')} ms, loop's largest gap ${runs.map((x) => x.loopGapMs).join(' / ')} ms`,
    );
  }
  const stats = reader.stats();
  await reader.close();
  if (stats.answeredOnLoop > 0 || stats.answeredByThread !== 2 * rounds + 1)
    throw new Error(`metrics-read: the thread did not answer every read: ${JSON.stringify(stats)}`);
  process.stdout.write(`${JSON.stringify({ scenario: 'metrics-read', followUps, rounds, results })}\n`);
} finally {
  await core.close();
}
