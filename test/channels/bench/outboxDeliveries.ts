/**
 * Benchmark: outbox deliveries per second through the real dispatcher and Twilio adapter to
 * the fake Twilio provider on loopback. For `npm run bench -- --json`, e.g.
 *
 *   import { benchOutboxDeliveries } from '../test/channels/bench/outboxDeliveries.ts';
 *   results.outboxDeliveriesPerSec = (await benchOutboxDeliveries()).deliveriesPerSec;
 *
 * Run alone: node --import tsx test/channels/bench/outboxDeliveries.ts
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../../src/clock.ts';
import { OutboxDispatcher } from '../../../src/channels/dispatcher.ts';
import { TwilioSmsAdapter } from '../../../src/channels/sms.ts';
import { migrations } from '../../../src/store/migrations.ts';
import { startFakeTwilio } from '../fakes/fakeTwilio.ts';
import { SqliteOutbox } from '../../../src/store/outbox.ts';

export interface OutboxBenchOptions {
  rows?: number;
  contacts?: number;
  concurrency?: number;
}

export interface OutboxBenchResult {
  deliveries: number;
  contacts: number;
  concurrency: number;
  ms: number;
  deliveriesPerSec: number;
}

export async function benchOutboxDeliveries(opts: OutboxBenchOptions = {}): Promise<OutboxBenchResult> {
  const rows = opts.rows ?? 2000;
  const contacts = opts.contacts ?? 200;
  const concurrency = opts.concurrency ?? 8;
  const dir = mkdtempSync(join(tmpdir(), 'nudge-bench-outbox-'));
  const db = new Database(join(dir, 'bench.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(migrations[0]);
  const fake = await startFakeTwilio();
  try {
    const now = Date.now();
    const insert = db.prepare(
      `INSERT INTO outbox (idempotency_key, bot_id, contact_id, channel, recipient, body, meta, next_attempt_at, created_at, updated_at)
       VALUES (?, 'bench', ?, 'sms', ?, ?, '{}', ?, ?, ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < rows; i++) {
        const c = i % contacts;
        insert.run(`bench:${i}`, `c${c}`, `+1415${String(c).padStart(7, '0')}`, `message ${i}`, now, now, now);
      }
    })();
    let done = 0;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const dispatcher = new OutboxDispatcher({
      outbox: new SqliteOutbox(db),
      clock: systemClock,
      adapters: {
        sms: new TwilioSmsAdapter({
          accountSid: fake.accountSid,
          authToken: fake.authToken,
          from: '+15005550006',
          baseUrl: fake.url,
        }),
      },
      options: { concurrency },
      onChange: (row) => {
        if (row.status === 'delivered' || row.status === 'failed') {
          if (++done === rows) finish();
        }
      },
    });
    const started = performance.now();
    dispatcher.start();
    await finished;
    const ms = performance.now() - started;
    await dispatcher.stop();
    const delivered = (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'delivered'").get() as { n: number })
      .n;
    if (delivered !== rows || fake.messages.length !== rows) {
      throw new Error(
        `bench: expected ${rows} deliveries, got ${delivered} rows delivered / ${fake.messages.length} at the provider`,
      );
    }
    return {
      deliveries: rows,
      contacts,
      concurrency,
      ms: Math.round(ms),
      deliveriesPerSec: Math.round((rows / ms) * 1000),
    };
  } finally {
    await fake.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchOutboxDeliveries()));
}
