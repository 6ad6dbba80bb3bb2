/**
 * Migration 8: when the contact last wrote on each channel is kept in the contact row
 * (contacts.last_inbound), and two follow-up indexes cover the reads that used to look
 * up a table row per sent follow-up. The row must always equal what the conversation
 * says — after the backfill and after every message the runtime stores — and the reads
 * must use the covering indexes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type DB } from '../../src/store/db.ts';
import { migrations } from '../../src/store/migrations.ts';
import { Store } from '../../src/store/store.ts';
import { databaseFileAtVersion } from '../helpers/schemaVersion.ts';
import { makeCore } from '../helpers/core.ts';

/** The definition: the latest contact message per channel, read from the conversation. */
function fromConversation(db: DB, contactId: string): Record<string, number> {
  const out: Record<string, number> = {};
  const rows = db
    .prepare(`SELECT channel, MAX(at) AS at FROM messages WHERE contact_id = ? AND sender = 'contact' GROUP BY channel`)
    .all(contactId) as { channel: string; at: number }[];
  for (const row of rows) out[row.channel] = row.at;
  return out;
}

test('the contact row keeps the last inbound time per channel as messages are stored', async (t) => {
  const core = makeCore(t);
  const { runtime, store, db } = core.services;
  const ana = runtime.createContact(core.botId, { name: 'Ana', phone: '+14155550100' });
  const ben = runtime.createContact(core.botId, { name: 'Ben' });
  assert.deepEqual(store.lastInboundByChannel(ana.id), {}, 'nothing written yet');

  await runtime.outbound({ contactId: ana.id, text: 'Hi! How can I help?', sender: 'bot' });
  assert.deepEqual(store.lastInboundByChannel(ana.id), {}, 'a bot message is not inbound');
  const steps: [string, string, string][] = [
    [ana.id, 'livechat', 'what are your prices?'],
    [ben.id, 'livechat', 'hello'],
    [ana.id, 'sms', 'busy right now, driving'],
    [ana.id, 'livechat', 'ok thanks'],
    [ben.id, 'messenger', 'call me tomorrow at 3'],
  ];
  for (const [contactId, channel, text] of steps) {
    core.clock.advance(61_000);
    await runtime.inbound({ contactId, text, channel });
    for (const id of [ana.id, ben.id])
      assert.deepEqual(store.lastInboundByChannel(id), fromConversation(db, id), `after "${text}" on ${channel}`);
  }
  const ana2 = store.lastInboundByChannel(ana.id);
  assert.deepEqual(Object.keys(ana2).sort(), ['livechat', 'sms']);
  assert.ok(ana2.livechat! > ana2.sms!, 'the later live-chat message wins');

  // A message stored with an earlier time (a clock stepped back) does not move it backwards.
  const before = store.lastInboundByChannel(ana.id).livechat!;
  db.transaction(() => {
    store.insertMessage({
      id: 'msg_late',
      contact_id: ana.id,
      sender: 'contact',
      channel: 'livechat',
      text: 'and on Sunday?',
      at: before - 3_600_000,
      client_id: null,
      classification: null,
      followup_id: null,
      meta: null,
    });
  })();
  assert.equal(store.lastInboundByChannel(ana.id).livechat, before);
  assert.deepEqual(store.lastInboundByChannel(ana.id), fromConversation(db, ana.id));
});

test('migration 8 backfills last_inbound from the conversations and swaps in the covering indexes', (t) => {
  const { path, db: old } = databaseFileAtVersion(t, 7);
  old.exec(
    `INSERT INTO bots (id, name, widget_key, allowed_origins, config, created_at, updated_at) VALUES ('bot_1', 'Salon', 'wk', '[]', '{}', 0, 0)`,
  );
  const contact = old.prepare(
    `INSERT INTO contacts (id, bot_id, state, epoch, last_channel, snapshot, created_at, updated_at) VALUES (?, 'bot_1', 'active', 0, 'livechat', '{}', 0, 0)`,
  );
  for (const id of ['ct_a', 'ct_b', 'ct_silent']) contact.run(id);
  const message = old.prepare(
    `INSERT INTO messages (id, contact_id, seq, sender, channel, text, at) VALUES (?, ?, ?, ?, ?, 'x', ?)`,
  );
  const conversation: [string, string, string, number][] = [
    ['ct_a', 'contact', 'livechat', 1_000],
    ['ct_a', 'bot', 'livechat', 2_000],
    ['ct_a', 'contact', 'sms', 3_000],
    ['ct_a', 'contact', 'livechat', 4_000],
    ['ct_a', 'contact', 'livechat', 3_500], // stored later with an earlier time: MAX wins
    ['ct_b', 'contact', 'whatsapp', 5_000],
    ['ct_silent', 'bot', 'livechat', 6_000],
  ];
  conversation.forEach(([contactId, sender, channel, at], i) =>
    message.run(`msg_${i}`, contactId, i + 1, sender, channel, at),
  );
  old.close();

  const db = openDatabase(path);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), migrations.length);
  const store = new Store(db);
  assert.deepEqual(store.lastInboundByChannel('ct_a'), { livechat: 4_000, sms: 3_000 });
  assert.deepEqual(store.lastInboundByChannel('ct_b'), { whatsapp: 5_000 });
  assert.deepEqual(store.lastInboundByChannel('ct_silent'), {}, 'no contact message: nothing');
  for (const id of ['ct_a', 'ct_b', 'ct_silent'])
    assert.deepEqual(store.lastInboundByChannel(id), fromConversation(db, id));

  const plan = (sql: string) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
  assert.match(
    plan(`SELECT MAX(sent_at) FROM followups WHERE contact_id = 'c' AND status = 'sent' AND channel = 'livechat'`),
    /COVERING INDEX followups_contact/,
  );
  assert.match(
    plan(`SELECT kind, scenario, step, channel, COUNT(*), COUNT(replied_at) FROM followups INDEXED BY followups_bot_sent
          WHERE bot_id = 'b' AND status = 'sent' AND sent_at >= 0 AND sent_at <= 1 GROUP BY kind, scenario, step, channel`),
    /COVERING INDEX followups_bot_sent/,
  );
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
});
