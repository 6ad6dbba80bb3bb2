/**
 * Migration 6: the machine snapshot moves into the contact row, the transition log becomes
 * append-only, and the bot policy is logged once (policies) instead of in every event.
 * A log written under schema 5 must read back exactly as before, replay to the stored
 * snapshot, and carry on with new rows in the new form.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.ts';
import { migrations } from '../../src/store/migrations.ts';
import { Store } from '../../src/store/store.ts';
import { HistoryReader } from '../../src/viz/reader.ts';
import { replayHistory } from '../../src/viz/replay.ts';
import { makeCore } from '../helpers/core.ts';
import { databaseAtVersion } from '../helpers/schemaVersion.ts';

const CONVERSATION = ['what are your prices?', 'busy right now, driving', 'call me tomorrow at 3', 'ok thanks'];

test('a schema-5 log migrates to the append-only log with policies stored once, and reads back unchanged', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-m6-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  // 1. A real conversation, logged by today's runtime (the events are the same either way).
  const source = makeCore(t, { dir: join(dir, 'source') });
  const contact = source.services.runtime.createContact(source.botId, { name: 'Ana' });
  for (const text of CONVERSATION) {
    await source.services.runtime.inbound({ contactId: contact.id, text });
    await source.services.runtime.outbound({ contactId: contact.id, text: 'Noted!', sender: 'bot' });
  }
  const store = source.services.store;
  const log = store.transitionsOfContact(contact.id);
  assert.equal(log.length, CONVERSATION.length * 2);
  const policyRows = source.services.db.prepare('SELECT COUNT(*) AS n FROM policies').get() as { n: number };
  assert.equal(policyRows.n, 1, 'one bot, one policy row');
  const raw = source.services.db
    .prepare('SELECT event, policy_id FROM transitions WHERE contact_id = ? ORDER BY seq')
    .all(contact.id) as { event: string; policy_id: string | null }[];
  for (const row of raw) {
    assert.ok(row.policy_id, 'new rows name their policy');
    assert.equal('policy' in JSON.parse(row.event), false, 'and do not repeat it');
  }
  for (const row of log) assert.ok('policy' in JSON.parse(row.event), 'readers get the event whole');
  const snapshot = store.getSnapshot(contact.id);
  const bot = store.getBot(source.botId)!;
  const contactRow = source.services.db.prepare('SELECT * FROM contacts WHERE id = ?').get(contact.id) as Record<
    string,
    unknown
  >;

  // 2. The same data as schema 5 stored it: snapshot in `snapshots`, whole events in a
  //    WITHOUT ROWID log.
  const oldPath = join(dir, 'old.sqlite');
  const old = databaseAtVersion(oldPath, 5);
  old
    .prepare(
      'INSERT INTO bots (id, name, widget_key, allowed_origins, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(bot.id, bot.name, bot.widget_key, bot.allowed_origins, bot.config, bot.created_at, bot.updated_at);
  const {
    snapshot: _inRow,
    last_inbound: _since8,
    review_at: _since10,
    review: _alsoSince10,
    language: _since13,
    ...v5Contact
  } = contactRow;
  const columns = Object.keys(v5Contact);
  old
    .prepare(`INSERT INTO contacts (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`)
    .run(v5Contact);
  old
    .prepare('INSERT INTO snapshots (contact_id, snapshot, updated_at) VALUES (?, ?, ?)')
    .run(contact.id, JSON.stringify(snapshot), 1);
  const insert = old.prepare(
    'INSERT INTO transitions (contact_id, seq, event, from_state, to_state, actions, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const row of log)
    insert.run(row.contact_id, row.seq, row.event, row.from_state, row.to_state, row.actions, row.at);
  old.close();

  // 3. Migrate by opening it as the service does.
  const migrated = openDatabase(oldPath);
  t.after(() => migrated.close());
  assert.equal(migrated.pragma('user_version', { simple: true }), migrations.length);
  assert.equal(
    (migrated.prepare(`SELECT COUNT(*) AS n FROM sqlite_schema WHERE name = 'snapshots'`).get() as { n: number }).n,
    0,
    'snapshots table dropped',
  );
  const after = new Store(migrated);
  assert.deepEqual(after.getSnapshot(contact.id), snapshot, 'snapshot moved into the contact row');
  const migratedLog = after.transitionsOfContact(contact.id);
  assert.deepEqual(
    migratedLog.map((r) => ({ ...r, event: JSON.parse(r.event) })),
    log.map((r) => ({ ...r, event: JSON.parse(r.event) })),
    'the log reads back as it was',
  );
  const nullPolicies = migrated.prepare('SELECT COUNT(*) AS n FROM transitions WHERE policy_id IS NULL').get() as {
    n: number;
  };
  assert.equal(nullPolicies.n, log.length, 'rows from before keep their inline policy');
  const index = migrated.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'transitions_contact_seq'`).get() as {
    sql: string;
  };
  assert.match(index.sql, /UNIQUE INDEX/);
  assert.equal(migrated.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(migrated.pragma('foreign_key_check'), []);

  // 4. The migrated history replays to the stored snapshot in the visualizer.
  const history = new HistoryReader(migrated).history(contact.id);
  assert.ok(history);
  const replay = replayHistory(history);
  assert.equal(replay.final.mismatch, null, JSON.stringify(replay.final.mismatch));
});

test('an event whose policy is not the bot’s own is logged whole, not under an id', async (t) => {
  const core = makeCore(t);
  const contact = core.services.runtime.createContact(core.botId, { name: 'Bo' });
  await core.services.runtime.inbound({ contactId: contact.id, text: 'hello' });
  const store = core.services.store;
  // A row as a tool replaying a different policy would write it.
  const [first] = store.transitionsOfContact(contact.id);
  const other = { ...JSON.parse(first.event), policy: { ...JSON.parse(first.event).policy, capPer24h: 1 } };
  store.insertTransition({ ...first, seq: 99, event: JSON.stringify(other), policy_id: null });
  const [, logged] = store.transitionsOfContact(contact.id);
  assert.deepEqual(JSON.parse(logged.event), other);
});
