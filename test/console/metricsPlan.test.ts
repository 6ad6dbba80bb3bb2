/**
 * The console's "armed" count reads only the follow-ups created in its range, from an
 * index alone (migration 7): it used to read every follow-up the bot ever had, so it grew
 * with history (the soak's slowest read, docs/faults.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARMED_BY_SCENARIO_SQL, botMetrics } from '../../src/console/metrics.ts';
import { openDatabase } from '../../src/store/db.ts';
import { makeCore } from '../helpers/core.ts';

test('armed follow-ups are counted by an index-only range scan', () => {
  const db = openDatabase(':memory:');
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${ARMED_BY_SCENARIO_SQL}`).all('bot', 0, 1) as { detail: string }[])
    .map((r) => r.detail)
    .join(' | ');
  assert.match(plan, /COVERING INDEX followups_bot_created \(bot_id=\? AND created_at>\? AND created_at<\?\)/, plan);
  db.close();
});

test('armed counts only the follow-ups created inside the range', async (t) => {
  const core = makeCore(t);
  const { runtime, db } = core.services;
  const contact = runtime.createContact(core.botId, { name: 'Ana' });
  await runtime.inbound({ contactId: contact.id, text: 'what are your prices?' });
  await runtime.outbound({ contactId: contact.id, text: 'From 30.', sender: 'bot' });
  const inside = core.clock.now();
  await core.advance(60_000);
  await runtime.inbound({ contactId: contact.id, text: 'busy right now' });
  const all = (
    db.prepare(`SELECT scenario, kind, created_at FROM followups ORDER BY created_at`).all() as {
      scenario: string;
      kind: string;
      created_at: number;
    }[]
  ).filter((f) => f.kind === 'followup');
  assert.ok(all.length >= 2, JSON.stringify(all));
  const expected = (from: number, to: number) => {
    const out: Record<string, number> = {};
    for (const f of all) if (f.created_at >= from && f.created_at <= to) out[f.scenario] = (out[f.scenario] ?? 0) + 1;
    return out;
  };
  for (const [from, to] of [
    [0, inside],
    [inside + 1, core.clock.now()],
    [0, core.clock.now()],
  ] as const) {
    assert.deepEqual(botMetrics(db, core.botId, from, to).armed.byScenario, expected(from, to), `range ${from}..${to}`);
  }
});
