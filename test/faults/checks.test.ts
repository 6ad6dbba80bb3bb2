/**
 * The checks the fault scripts rely on must be able to fail: each one is shown a database
 * with exactly the defect it exists to catch (an acknowledged message missing, a
 * follow-up sent twice, a gap in seq, an overdue follow-up, a changed row).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { openDatabase } from '../../src/store/db.ts';
import { checkAcked, checkSentOnce, checkSeqs, fingerprint, integrity, overdueFollowUps } from './lib/dbCheck.ts';
import { linearRegression } from './lib/util.ts';

function seeded(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-checks-'));
  const db = openDatabase(join(dir, 'nudge.sqlite'));
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  db.prepare(
    `INSERT INTO bots (id, name, widget_key, config, created_at, updated_at) VALUES ('b1', 'B', 'wk', '{}', 0, 0)`,
  ).run();
  db.prepare(
    `INSERT INTO contacts (id, bot_id, state, last_seq, created_at, updated_at) VALUES ('c1', 'b1', 'awaiting', 2, 0, 0)`,
  ).run();
  const message = db.prepare(
    `INSERT INTO messages (id, contact_id, seq, sender, channel, text, at, client_id, followup_id) VALUES (?, 'c1', ?, ?, 'livechat', 't', 0, ?, ?)`,
  );
  message.run('m1', 1, 'contact', 'k1', null);
  message.run('m2', 2, 'bot', null, 'c1:busy:1:1');
  const followUp = db.prepare(
    `INSERT INTO followups (id, contact_id, bot_id, scenario, step, epoch, raw_due_at, due_at, status, created_at, updated_at) VALUES (?, 'c1', 'b1', 'busy', ?, 1, ?, ?, ?, 0, 0)`,
  );
  followUp.run('c1:busy:1:1', 1, 1000, 1000, 'sent');
  followUp.run('c1:busy:2:1', 2, 5000, 5000, 'pending');
  db.prepare(
    `INSERT INTO outbox (idempotency_key, bot_id, contact_id, channel, body, meta, next_attempt_at, created_at, updated_at) VALUES ('c1:busy:1:1', 'b1', 'c1', 'livechat', 't', '{"followUpId":"c1:busy:1:1"}', 0, 0, 0)`,
  ).run();
  return db;
}

test('a consistent database passes every check', (t) => {
  const db = seeded(t);
  assert.deepEqual(checkAcked(db, [{ contactId: 'c1', clientId: 'k1', id: 'm1', seq: 1 }]), []);
  assert.deepEqual(checkSentOnce(db), { problems: [], sent: 1 });
  assert.deepEqual(checkSeqs(db), []);
  assert.deepEqual(integrity(db), []);
  assert.deepEqual(overdueFollowUps(db, 5000, 2000), []);
});

test('each check reports the defect it exists for', (t) => {
  const db = seeded(t);
  const before = fingerprint(db);

  assert.match(
    checkAcked(db, [{ contactId: 'c1', clientId: 'lost', id: 'm9', seq: 3 }])[0],
    /message lost of c1: 0 rows stored/,
  );
  assert.match(
    checkAcked(db, [{ contactId: 'c1', clientId: 'k1', id: 'm1', seq: 2 }])[0],
    /stored as m1\/1, acknowledged as m1\/2/,
  );

  assert.deepEqual(fingerprint(db), before, 'reading does not change the fingerprint');

  db.prepare(
    `INSERT INTO messages (id, contact_id, seq, sender, channel, text, at, followup_id) VALUES ('m3', 'c1', 4, 'bot', 'livechat', 't', 0, 'c1:busy:1:1')`,
  ).run();
  assert.notDeepEqual(fingerprint(db), before, 'a new row changes the fingerprint');
  assert.ok(
    checkSentOnce(db).problems.some((p) => /c1:busy:1:1: 2 messages/.test(p)),
    'a follow-up sent twice',
  );
  assert.ok(
    checkSeqs(db).some((p) => /seq 1\.\.4, last_seq 2/.test(p)),
    'a gap in seq',
  );
  assert.deepEqual(
    overdueFollowUps(db, 10_000, 2000).map((f) => f.id),
    ['c1:busy:2:1'],
    'an overdue pending follow-up',
  );
});

test('linear regression recovers a known slope', () => {
  const points = Array.from({ length: 50 }, (_, i) => ({ x: i / 10, y: 3 * (i / 10) + 7 }));
  const fit = linearRegression(points);
  assert.ok(Math.abs(fit.slope - 3) < 1e-9 && Math.abs(fit.intercept - 7) < 1e-9 && Math.abs(fit.r2 - 1) < 1e-9);
  assert.ok(Number.isNaN(linearRegression([{ x: 1, y: 1 }]).slope));
});
