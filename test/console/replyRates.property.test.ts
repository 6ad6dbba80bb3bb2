/**
 * The one-pass reply-rate query agrees with the definition, computed naively in JS, on
 * random conversations: a sent follow-up was replied to when a contact message comes after
 * its message and before the conversation's next follow-up message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/store/db.ts';
import { replyRates } from '../../src/console/metrics.ts';

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Msg { contact: string; seq: number; sender: string; at: number; followUp: { id: string; scenario: string; step: number; botId: string } | null }

for (const seed of [1, 2, 3, 4, 5]) {
  test(`reply rates match the naive definition (seed ${seed})`, () => {
    const rand = mulberry32(seed);
    const db = openDatabase(':memory:');
    const now = 1_000_000;
    db.prepare(`INSERT INTO bots (id, name, widget_key, allowed_origins, config, created_at, updated_at) VALUES (?, ?, ?, '[]', '{}', 0, 0)`).run('bot_a', 'A', 'wk_a');
    db.prepare(`INSERT INTO bots (id, name, widget_key, allowed_origins, config, created_at, updated_at) VALUES (?, ?, ?, '[]', '{}', 0, 0)`).run('bot_b', 'B', 'wk_b');
    const messages: Msg[] = [];
    const insertContact = db.prepare(`INSERT INTO contacts (id, bot_id, state, created_at, updated_at) VALUES (?, ?, 'active', 0, 0)`);
    const insertMessage = db.prepare(`INSERT INTO messages (id, contact_id, seq, sender, channel, text, at, followup_id) VALUES (?, ?, ?, ?, 'livechat', 'x', ?, ?)`);
    const insertFollowUp = db.prepare(
      `INSERT INTO followups (id, contact_id, bot_id, scenario, step, epoch, raw_due_at, due_at, status, created_at, updated_at, sent_at)
       VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)`,
    );
    for (let c = 0; c < 30; c++) {
      const contact = `ct_${c}`;
      const botId = rand() < 0.8 ? 'bot_a' : 'bot_b';
      insertContact.run(contact, botId);
      let at = now + Math.floor(rand() * 1000);
      const length = Math.floor(rand() * 25);
      for (let seq = 1; seq <= length; seq++) {
        at += Math.floor(rand() * 100);
        const r = rand();
        let followUp: Msg['followUp'] = null;
        let sender = r < 0.45 ? 'contact' : r < 0.75 ? 'bot' : 'operator';
        if (r >= 0.75 && rand() < 0.6) {
          sender = 'bot';
          followUp = { id: `${contact}:f${seq}`, scenario: rand() < 0.5 ? 'busy' : 'stoppedReplying', step: 1 + Math.floor(rand() * 3), botId };
          // Some follow-ups are sent, some rows were later marked otherwise (not counted).
          const status = rand() < 0.9 ? 'sent' : 'skipped';
          insertFollowUp.run(followUp.id, contact, botId, followUp.scenario, followUp.step, at, at, status, at, at, status === 'sent' ? at : null);
          if (status !== 'sent') followUp = null;
        }
        insertMessage.run(`m_${contact}_${seq}`, contact, seq, sender, at, followUp?.id ?? (sender === 'bot' && r >= 0.75 ? `${contact}:f${seq}` : null));
        messages.push({ contact, seq, sender, at, followUp });
      }
    }
    for (const [from, to] of [[0, Number.MAX_SAFE_INTEGER], [now + 500, now + 2000], [now + 1500, now + 1800]]) {
      const expected = new Map<string, { scenario: string; step: number; sent: number; replied: number }>();
      const byContact = new Map<string, Msg[]>();
      for (const m of messages) byContact.set(m.contact, [...(byContact.get(m.contact) ?? []), m]);
      for (const list of byContact.values()) {
        list.forEach((m, i) => {
          if (!m.followUp || m.followUp.botId !== 'bot_a' || m.at < from || m.at > to) return;
          let replied = false;
          for (const later of list.slice(i + 1)) {
            // The next follow-up message of any status closes the window.
            if (later.followUp || db.prepare('SELECT followup_id FROM messages WHERE contact_id = ? AND seq = ?').get(later.contact, later.seq)?.followup_id) break;
            if (later.sender === 'contact') replied = true;
          }
          const key = `${m.followUp.scenario}:${m.followUp.step}`;
          const row = expected.get(key) ?? { scenario: m.followUp.scenario, step: m.followUp.step, sent: 0, replied: 0 };
          row.sent++;
          if (replied) row.replied++;
          expected.set(key, row);
        });
      }
      const want = [...expected.values()]
        .sort((a, b) => a.scenario.localeCompare(b.scenario) || a.step - b.step)
        .map((r) => ({ ...r, rate: Math.round((r.replied / r.sent) * 10_000) / 10_000 }));
      assert.deepEqual(replyRates(db, 'bot_a', from, to), want, `range ${from}..${to}`);
    }
    db.close();
  });
}
