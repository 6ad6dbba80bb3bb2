/**
 * Migration 10: contacts needing review. A schema-9 database gains empty review columns, and
 * the per-bot review list is answered from the partial index, which holds only the contacts
 * with a pending review (every other contact's events never touch it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type DB } from '../../src/store/db.ts';
import { migrations } from '../../src/store/migrations.ts';
import { Store } from '../../src/store/store.ts';
import { databaseFileAtVersion } from '../helpers/schemaVersion.ts';

function leafEntries(db: DB, index: string): number {
  return (
    db.prepare(`SELECT COALESCE(SUM(ncell), 0) AS n FROM dbstat WHERE name = ? AND pagetype = 'leaf'`).get(index) as {
      n: number;
    }
  ).n;
}

test('migration 10 lists the contacts needing review from a partial index, held longest first', (t) => {
  const { path, db: old } = databaseFileAtVersion(t, 9);
  old.exec(
    `INSERT INTO bots (id, name, widget_key, allowed_origins, config, created_at, updated_at) VALUES ('bot_1', 'Salon', 'wk', '[]', '{}', 0, 0), ('bot_2', 'Spa', 'wk2', '[]', '{}', 0, 0)`,
  );
  const insert = old.prepare(
    `INSERT INTO contacts (id, bot_id, state, epoch, last_channel, snapshot, created_at, updated_at) VALUES (?, ?, 'active', 0, 'livechat', '{}', 0, 0)`,
  );
  for (let i = 0; i < 50; i++) insert.run(`ct_${String(i).padStart(2, '0')}`, i % 2 ? 'bot_2' : 'bot_1');
  old.close();

  const db = openDatabase(path);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), migrations.length);
  const store = new Store(db);
  assert.equal(store.getContact('ct_00')?.review_at, null, 'existing contacts have no review');
  assert.equal(leafEntries(db, 'contacts_bot_review'), 0);

  store.setReview('ct_04', { at: 300, json: '{"messageId":"m4"}' });
  store.setReview('ct_02', { at: 100, json: '{"messageId":"m2"}' });
  store.setReview('ct_01', { at: 50, json: '{"messageId":"m1"}' }); // another bot's
  store.setReview('ct_06', { at: 200, json: '{"messageId":"m6"}' });
  store.setReview('ct_06', null);
  assert.equal(leafEntries(db, 'contacts_bot_review'), 3, 'only pending reviews are in the index');
  const page = store.contactsNeedingReview('bot_1', 0, 10);
  assert.deepEqual(
    page.rows.map((r) => [r.id, r.review_at]),
    [
      ['ct_02', 100],
      ['ct_04', 300],
    ],
  );
  assert.equal(page.total, 2);
  assert.deepEqual(
    store.contactsNeedingReview('bot_1', 1, 10).rows.map((r) => r.id),
    ['ct_04'],
  );
  const plan = (
    db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE bot_id = ? AND review_at IS NOT NULL ORDER BY review_at, id LIMIT 10`,
      )
      .all('bot_1') as { detail: string }[]
  )
    .map((r) => r.detail)
    .join('; ');
  assert.match(plan, /INDEX contacts_bot_review/);
  assert.doesNotMatch(plan, /TEMP B-TREE/, 'no sort: the index is in list order');
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
});
