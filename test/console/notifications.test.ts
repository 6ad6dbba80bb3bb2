/**
 * The notifications list for an operator who sees every bot (admin) and for one limited
 * to some bots: the same rows either way, newest first, with the unread count — read
 * through the (bot, channel, id) index, not by scanning every delivery ever made.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from '../../src/store/db.ts';
import { listNotifications } from '../../src/console/notifications.ts';

test('every bot, some bots, one bot: console and webhook rows only, newest first, unread counted', () => {
  const db = openDatabase(':memory:');
  const bot = db.prepare(
    `INSERT INTO bots (id, name, widget_key, allowed_origins, config, created_at, updated_at) VALUES (?, ?, ?, '[]', '{}', 0, 0)`,
  );
  bot.run('bot_a', 'A', 'wk_a');
  bot.run('bot_b', 'B', 'wk_b');
  const outbox =
    db.prepare(`INSERT INTO outbox (idempotency_key, bot_id, contact_id, channel, recipient, body, status, attempts, next_attempt_at, created_at, updated_at)
                             VALUES (?, ?, NULL, ?, NULL, ?, 'delivered', 1, 0, ?, ?)`);
  const rows: [string, string][] = [
    ['bot_a', 'console'],
    ['bot_a', 'livechat'],
    ['bot_b', 'webhook'],
    ['bot_b', 'sms'],
    ['bot_a', 'livechat'],
    ['bot_b', 'console'],
  ];
  rows.forEach(([botId, channel], i) => outbox.run(`k${i}`, botId, channel, `note ${i}`, i, i));

  const all = listNotifications(db, 'op_admin', { botIds: null, limit: 10 });
  assert.deepEqual(
    all.notifications.map((n: { id: number }) => n.id),
    [6, 3, 1],
    'console and webhook rows of both bots, newest first',
  );
  assert.equal(all.unread, 3);
  const scoped = listNotifications(db, 'op_b', { botIds: ['bot_b'], limit: 10 });
  assert.deepEqual(
    scoped.notifications.map((n: { id: number }) => n.id),
    [6, 3],
  );
  const one = listNotifications(db, 'op_admin', { botIds: null, botId: 'bot_a', limit: 10 });
  assert.deepEqual(
    one.notifications.map((n: { id: number }) => n.id),
    [1],
  );
  const paged = listNotifications(db, 'op_admin', { botIds: null, limit: 2 });
  assert.deepEqual(
    paged.notifications.map((n: { id: number }) => n.id),
    [6, 3],
  );
  assert.equal(paged.nextBefore, 3);
  assert.deepEqual(
    listNotifications(db, 'op_admin', { botIds: null, before: 3, limit: 2 }).notifications.map(
      (n: { id: number }) => n.id,
    ),
    [1],
  );
  db.close();
});
