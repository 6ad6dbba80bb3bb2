/**
 * Upgrades: a database left by any earlier release opens under this one. From every
 * earlier schema version, the remaining migrations run in order, each printing what it
 * does, and the rows written under the first schema survive every step.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeMigration, openDatabase, schemaVersion } from '../../src/store/db.ts';
import { migrations } from '../../src/store/migrations.ts';
import { Store } from '../../src/store/store.ts';
import { databaseAtVersion, databaseFileAtVersion } from '../helpers/schemaVersion.ts';

const T = Date.parse('2026-01-05T09:00:00Z');

/** A bot, a contact with a message and a pending follow-up, as release 1 wrote them. */
function seedVersion1(db: ReturnType<typeof databaseAtVersion>): void {
  db.prepare(
    `INSERT INTO bots (id, name, widget_key, config, created_at, updated_at) VALUES ('bot_1', 'Salon', 'wk_1', '{}', ?, ?)`,
  ).run(T, T);
  db.prepare(
    `INSERT INTO contacts (id, bot_id, name, state, created_at, updated_at) VALUES ('ct_1', 'bot_1', 'Ann', 'awaiting', ?, ?)`,
  ).run(T, T);
  db.prepare(
    `INSERT INTO messages (id, contact_id, seq, sender, channel, text, at) VALUES ('msg_1', 'ct_1', 1, 'contact', 'livechat', 'hello', ?)`,
  ).run(T);
  db.prepare(
    `INSERT INTO followups (id, contact_id, bot_id, scenario, step, epoch, raw_due_at, due_at, created_at, updated_at)
     VALUES ('ct_1:stoppedReplying:1:0', 'ct_1', 'bot_1', 'stoppedReplying', 1, 0, ?, ?, ?, ?)`,
  ).run(T + 3_600_000, T + 3_600_000, T, T);
}

for (let version = 1; version < migrations.length; version++) {
  test(`a database at schema version ${version} migrates to ${migrations.length}, one printed line per migration, its rows intact`, (t) => {
    // Seeded under schema 1, then brought to exactly `version` as that release would have.
    const { path: exact, db: old } = databaseFileAtVersion(t, 1);
    seedVersion1(old);
    for (let v = 1; v < version; v++) old.exec(migrations[v]);
    old.pragma(`user_version = ${version}`);
    old.close();

    const lines: string[] = [];
    const upgraded = openDatabase(exact, { onMigration: (line) => lines.push(line) });
    t.after(() => upgraded.close());
    assert.equal(schemaVersion(upgraded), migrations.length);
    assert.equal(lines.length, migrations.length - version);
    lines.forEach((line, i) =>
      assert.match(line, new RegExp(`^schema ${version + i} → ${version + i + 1} in \\d+ ms: \\S`)),
    );
    assert.deepEqual(upgraded.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    const store = new Store(upgraded);
    assert.equal(store.getContact('ct_1')?.name, 'Ann');
    assert.equal(store.getFollowUp('ct_1:stoppedReplying:1:0')?.status, 'pending');
    assert.equal(
      (upgraded.prepare(`SELECT text FROM messages WHERE id = 'msg_1'`).get() as { text: string }).text,
      'hello',
    );
  });
}

test('a new database runs every migration, and a line says what each creates or changes', () => {
  const lines: string[] = [];
  const db = openDatabase(':memory:', { onMigration: (line) => lines.push(line) });
  db.close();
  assert.equal(lines.length, migrations.length);
  assert.match(lines[0], /^schema 0 → 1 in \d+ ms: CREATE TABLE bots, CREATE TABLE contacts/);
  assert.equal(
    describeMigration('-- a comment naming CREATE TABLE nothing\nALTER TABLE contacts ADD COLUMN last_inbound TEXT;'),
    'ALTER TABLE contacts ADD COLUMN last_inbound',
  );
  assert.equal(describeMigration('SELECT 1'), 'no schema statements');
});
