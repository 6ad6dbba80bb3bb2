/**
 * Migration 9: the per-bot follow-up indexes (followups_bot_status, followups_bot_created)
 * hold only kind 'followup' rows, so the bot-silence timers (kind 'fallthrough') every
 * contact message arms and every bot reply cancels write no pages of them. Every per-bot
 * query reads kind 'followup' only: each must still be answered from its index, with the
 * same result as a scan of the table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type DB } from '../../src/store/db.ts';
import { migrations } from '../../src/store/migrations.ts';
import { ARMED_BY_SCENARIO_SQL } from '../../src/console/metrics.ts';
import { databaseFileAtVersion } from '../helpers/schemaVersion.ts';

/** The console's per-bot follow-up reads (src/console/metrics.ts, forecast.ts), with their index. */
const PER_BOT_READS: [sql: string, params: unknown[], index: RegExp][] = [
  [ARMED_BY_SCENARIO_SQL, ['bot_1', 0, 10_000], /COVERING INDEX followups_bot_created/],
  [
    `SELECT reason AS k, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = 'skipped' AND updated_at >= ? AND updated_at <= ? GROUP BY reason`,
    ['bot_1', 0, 10_000],
    /INDEX followups_bot_status/,
  ],
  [
    `SELECT reason AS k, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = 'cancelled' AND updated_at >= ? AND updated_at <= ? GROUP BY reason`,
    ['bot_1', 0, 10_000],
    /INDEX followups_bot_status/,
  ],
  [
    `SELECT COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = 'pending'`,
    ['bot_1'],
    /COVERING INDEX followups_bot_status/,
  ],
  [
    `SELECT id, due_at FROM followups WHERE bot_id = ? AND status = 'pending' AND kind = 'followup' AND due_at <= ? ORDER BY due_at, id`,
    ['bot_1', 10_000],
    /INDEX followups_bot_status/,
  ],
  [
    `SELECT scenario, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' GROUP BY scenario ORDER BY scenario`,
    ['bot_1'],
    /INDEX followups_bot_(status|created)/,
  ],
];

function planOf(db: DB, sql: string, params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
    .map((r) => r.detail)
    .join('; ');
}

/** The same read answered by a scan of the table (no index), the definition of the answer. */
function scanned(db: DB, sql: string, params: unknown[]): unknown[] {
  return db.prepare(sql.replace(/FROM followups WHERE/, 'FROM followups NOT INDEXED WHERE')).all(...params);
}

function leafEntries(db: DB, index: string): number {
  return (
    db.prepare(`SELECT COALESCE(SUM(ncell), 0) AS n FROM dbstat WHERE name = ? AND pagetype = 'leaf'`).get(index) as {
      n: number;
    }
  ).n;
}

test('migration 9 keeps only kind followup rows in the per-bot indexes, and every per-bot read on them', (t) => {
  const { path, db: old } = databaseFileAtVersion(t, 8);
  old.exec(
    `INSERT INTO bots (id, name, widget_key, allowed_origins, config, created_at, updated_at) VALUES ('bot_1', 'Salon', 'wk', '[]', '{}', 0, 0)`,
  );
  old.exec(
    `INSERT INTO contacts (id, bot_id, state, epoch, last_channel, snapshot, created_at, updated_at) VALUES ('ct_a', 'bot_1', 'active', 0, 'livechat', '{}', 0, 0)`,
  );
  const insert =
    old.prepare(`INSERT INTO followups (id, contact_id, bot_id, kind, scenario, step, epoch, raw_due_at, due_at, status, reason, created_at, updated_at, sent_at)
                              VALUES (?, 'ct_a', 'bot_1', ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const statuses = ['pending', 'sent', 'cancelled', 'skipped'] as const;
  const scenarios = ['busy', 'stoppedReplying', 'requestedTime'] as const;
  let followups = 0;
  for (let i = 0; i < 120; i++) {
    const kind = i % 3 === 0 ? 'fallthrough' : 'followup';
    const status = statuses[i % 4];
    if (kind === 'followup') followups++;
    const at = i * 50;
    insert.run(
      `ct_a:${scenarios[i % 3]}:1:${i}`,
      kind,
      kind === 'fallthrough' ? 'botSilence' : scenarios[i % 3],
      i,
      at + 1_000,
      at + 1_000,
      status,
      status === 'cancelled' ? (i % 2 ? 'contact_replied' : 'booked') : status === 'skipped' ? 'cap' : null,
      at,
      at + 10,
      status === 'sent' ? at + 5 : null,
    );
  }
  const before = PER_BOT_READS.map(([sql, params]) => scanned(old, sql, params));
  old.close();

  const db = openDatabase(path);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), migrations.length);
  assert.ok(followups > 0 && followups < 120);
  assert.equal(leafEntries(db, 'followups_bot_status'), followups, 'fallthrough rows are not in followups_bot_status');
  assert.equal(
    leafEntries(db, 'followups_bot_created'),
    followups,
    'fallthrough rows are not in followups_bot_created',
  );
  PER_BOT_READS.forEach(([sql, params, index], i) => {
    assert.match(planOf(db, sql, params), index, sql);
    assert.deepEqual(db.prepare(sql).all(...params), before[i], `same answer as a scan: ${sql}`);
  });
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
});
