/**
 * Reply tracking agrees with the definition, computed naively in JS, on random
 * conversations: a sent follow-up was replied to when a contact message comes after its
 * message and before the conversation's next follow-up message. Checked for both ways the
 * data gets there: written live through the store, and backfilled by migration 5 from
 * conversations stored before it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrate, openDatabase, type DB } from '../../src/store/db.ts';
import { migrations } from '../../src/store/migrations.ts';
import { Store } from '../../src/store/store.ts';
import { replyRates } from '../../src/console/metrics.ts';
import { databaseAtVersion } from '../helpers/schemaVersion.ts';
import { mulberry32 } from '../../src/random.ts';

interface Msg {
  id: string;
  contact: string;
  botId: string;
  seq: number;
  sender: string;
  at: number;
  followUpId: string | null;
}
interface FollowUp {
  id: string;
  contact: string;
  botId: string;
  scenario: string;
  step: number;
  status: string;
  at: number;
}

const NOW = 1_000_000;

function generate(seed: number) {
  const rand = mulberry32(seed);
  const contacts: { id: string; botId: string }[] = [];
  const messages: Msg[] = [];
  const followUps: FollowUp[] = [];
  for (let c = 0; c < 30; c++) {
    const contact = `ct_${c}`;
    const botId = rand() < 0.8 ? 'bot_a' : 'bot_b';
    contacts.push({ id: contact, botId });
    let at = NOW + Math.floor(rand() * 1000);
    const length = Math.floor(rand() * 25);
    for (let seq = 1; seq <= length; seq++) {
      at += 1 + Math.floor(rand() * 100);
      const r = rand();
      let sender = r < 0.45 ? 'contact' : r < 0.75 ? 'bot' : 'operator';
      let followUpId: string | null = null;
      if (r >= 0.75 && rand() < 0.6) {
        sender = 'bot';
        followUpId = `${contact}:f${seq}`;
        followUps.push({
          id: followUpId,
          contact,
          botId,
          scenario: rand() < 0.5 ? 'busy' : 'stoppedReplying',
          step: 1 + Math.floor(rand() * 3),
          status: 'sent',
          at,
        });
      }
      messages.push({ id: `m_${contact}_${seq}`, contact, botId, seq, sender, at, followUpId });
    }
    // Rows that never became a message (cancelled, skipped) are never counted.
    if (rand() < 0.5)
      followUps.push({
        id: `${contact}:x`,
        contact,
        botId,
        scenario: 'busy',
        step: 1,
        status: rand() < 0.5 ? 'cancelled' : 'skipped',
        at,
      });
  }
  // Conversations interleave in time; each one stays in its own order.
  messages.sort((a, b) => a.at - b.at || a.contact.localeCompare(b.contact));
  return { contacts, messages, followUps };
}

function expectedRates(data: ReturnType<typeof generate>, botId: string, from: number, to: number) {
  const expected = new Map<string, { scenario: string; step: number; sent: number; replied: number }>();
  for (const f of data.followUps) {
    if (f.status !== 'sent' || f.botId !== botId || f.at < from || f.at > to) continue;
    const conversation = data.messages.filter((m) => m.contact === f.contact).sort((a, b) => a.seq - b.seq);
    const start = conversation.findIndex((m) => m.followUpId === f.id);
    let replied = false;
    for (const later of conversation.slice(start + 1)) {
      if (later.followUpId) break;
      if (later.sender === 'contact') replied = true;
    }
    const key = `${f.scenario}:${f.step}`;
    const row = expected.get(key) ?? { scenario: f.scenario, step: f.step, sent: 0, replied: 0 };
    row.sent++;
    if (replied) row.replied++;
    expected.set(key, row);
  }
  return [...expected.values()]
    .sort((a, b) => a.scenario.localeCompare(b.scenario) || a.step - b.step)
    .map((r) => ({ ...r, rate: Math.round((r.replied / r.sent) * 10_000) / 10_000 }));
}

function insertBase(db: DB, data: ReturnType<typeof generate>) {
  for (const id of ['bot_a', 'bot_b']) {
    db.prepare(
      `INSERT INTO bots (id, name, widget_key, allowed_origins, config, created_at, updated_at) VALUES (?, ?, ?, '[]', '{}', 0, 0)`,
    ).run(id, id, `wk_${id}`);
  }
  for (const c of data.contacts)
    db.prepare(`INSERT INTO contacts (id, bot_id, state, created_at, updated_at) VALUES (?, ?, 'active', 0, 0)`).run(
      c.id,
      c.botId,
    );
  const insertFollowUp = db.prepare(
    `INSERT INTO followups (id, contact_id, bot_id, scenario, step, epoch, raw_due_at, due_at, status, created_at, updated_at, sent_at)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)`,
  );
  for (const f of data.followUps)
    insertFollowUp.run(
      f.id,
      f.contact,
      f.botId,
      f.scenario,
      f.step,
      f.at,
      f.at,
      f.status,
      f.at,
      f.at,
      f.status === 'sent' ? f.at : null,
    );
}

const RANGES: [number, number][] = [
  [0, Number.MAX_SAFE_INTEGER],
  [NOW + 500, NOW + 2000],
  [NOW + 1500, NOW + 1800],
];

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`reply rates match the definition, live and backfilled (seed ${seed})`, () => {
    const data = generate(seed);

    // Live: every message through the store, in time order, as the runtime writes them.
    const live = openDatabase(':memory:');
    insertBase(live, data);
    const store = new Store(live);
    for (const m of data.messages) {
      const stored = store.insertMessage({
        id: m.id,
        contact_id: m.contact,
        sender: m.sender as 'contact' | 'bot' | 'operator',
        channel: 'livechat',
        text: 'x',
        at: m.at,
        client_id: null,
        classification: null,
        followup_id: m.followUpId,
        meta: null,
      });
      assert.equal(stored.seq, m.seq, 'the store numbers each conversation 1, 2, 3…');
    }

    // Backfilled: the same conversations stored under schema 4, then migrated.
    const old = databaseAtVersion(':memory:', 4);
    insertBase(old, data);
    const insertMessage = old.prepare(
      `INSERT INTO messages (id, contact_id, seq, sender, channel, text, at, followup_id) VALUES (?, ?, ?, ?, 'livechat', 'x', ?, ?)`,
    );
    for (const m of data.messages) insertMessage.run(m.id, m.contact, m.seq, m.sender, m.at, m.followUpId);
    assert.equal(migrate(old), migrations.length);

    for (const [from, to] of RANGES) {
      const want = expectedRates(data, 'bot_a', from, to);
      assert.deepEqual(replyRates(live, 'bot_a', from, to), want, `live, range ${from}..${to}`);
      assert.deepEqual(replyRates(old, 'bot_a', from, to), want, `backfilled, range ${from}..${to}`);
    }
    // Both record the same first reply and the same open window.
    const replied = (db: DB) => db.prepare('SELECT id, replied_at FROM followups ORDER BY id').all();
    assert.deepEqual(replied(old), replied(live));
    const windows = (db: DB) => db.prepare('SELECT id, last_followup_id FROM contacts ORDER BY id').all();
    assert.deepEqual(windows(old), windows(live));
    live.close();
    old.close();
  });
}
