/**
 * Erasure (DELETE /api/contacts/:id) and what the operator sees of pruned history, through
 * the real HTTP server: an erased contact leaves no row anywhere, only the fact of its
 * erasure; its pending follow-up never fires; Response Info and the visualizer say when
 * retention pruned a contact's history.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../src/clock.ts';
import { RetentionPruner } from '../../src/store/retention.ts';
import { settle } from '../helpers/core.ts';
import { api, makeServer } from '../helpers/server.ts';

const DAY = 86_400_000;

async function contactWithFollowUp(server: Awaited<ReturnType<typeof makeServer>>) {
  const http = api(server);
  await http.patch(`/api/bots/${server.demoBotId}/config`, {
    scenarios: { stoppedReplying: { cadence: [{ delay: '1h' }] } },
  });
  const contact = (await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: 'Erin', phone: '+14155550142' }))
    .body;
  await http.post(`/api/contacts/${contact.id}/messages/inbound`, { text: 'my address is 12 Elm St' });
  await http.post(`/api/contacts/${contact.id}/messages/outbound`, { text: 'thanks!' });
  return { http, contactId: contact.id as string };
}

test('DELETE /api/contacts/:id erases every row naming the contact and records only that an erasure happened', async (t) => {
  const clock = new FakeClock('2026-01-05T15:00:00Z');
  const server = await makeServer(t, { clock });
  const { http, contactId } = await contactWithFollowUp(server);
  const { db } = server.services;
  assert.ok(server.services.store.followUpsOfContact(contactId).some((f) => f.status === 'pending'));

  const erased = await http.raw('DELETE', `/api/contacts/${contactId}`);
  assert.equal(erased.status, 204);
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map(
    (r) => r.name,
  );
  for (const table of tables) {
    const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map(
      (c) => c.name,
    );
    const column = table === 'contacts' ? 'id' : columns.includes('contact_id') ? 'contact_id' : null;
    if (column)
      assert.equal(
        (db.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${column} = ?`).get(contactId) as { n: number }).n,
        0,
        table,
      );
  }
  const dump = JSON.stringify(tables.map((table) => db.prepare(`SELECT * FROM "${table}"`).all()));
  assert.doesNotMatch(dump, /12 Elm St|Erin|4155550142/, 'nothing the contact said or was is left');
  assert.deepEqual(db.prepare('SELECT bot_id, actor FROM erasures').all(), [
    { bot_id: server.demoBotId, actor: 'admin' },
  ]);

  assert.equal((await http.get(`/api/contacts/${contactId}`)).status, 404);
  assert.equal((await http.raw('DELETE', `/api/contacts/${contactId}`)).status, 404);
  clock.advance(2 * 3_600_000);
  await settle(server.services);
  await server.dispatcher.drain();
  assert.equal(
    (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n,
    0,
    'its follow-up never fires',
  );
});

test('an operator may erase only contacts of its bots', async (t) => {
  const server = await makeServer(t);
  const { http, contactId } = await contactWithFollowUp(server);
  const other = (await http.post('/api/bots', { name: 'Other' })).body;
  const operator = (await http.post('/api/operators', { name: 'ann', admin: false, botIds: [other.id] })).body;
  const refused = await api(server, operator.token).raw('DELETE', `/api/contacts/${contactId}`);
  assert.equal(refused.status, 404);
  assert.equal((await http.get(`/api/contacts/${contactId}`)).status, 200, 'still there');
});

test('Response Info and the visualizer say when retention pruned the history', async (t) => {
  const clock = new FakeClock('2026-01-05T15:00:00Z');
  const server = await makeServer(t, { clock });
  const { http, contactId } = await contactWithFollowUp(server);
  await http.patch(`/api/bots/${server.demoBotId}/config`, {
    retention: { messages: '30d', transitions: '30d', finishedFollowUps: '30d' },
  });
  clock.advance(2 * 3_600_000);
  await settle(server.services);
  clock.advance(40 * DAY);
  const { db, committer } = server.services;
  await new RetentionPruner({ db, committer, clock }).runOnce();

  const info = (await http.get(`/api/contacts/${contactId}/info`)).body;
  assert.ok(info.historyPruned, JSON.stringify(info.historyPruned));
  assert.equal(info.historyPruned.messagesBefore, new Date(clock.now() - 30 * DAY).toISOString());
  assert.ok(info.historyPruned.transitionsThrough > 0);
  const timeline = (await http.get(`/api/contacts/${contactId}/history`)).body;
  assert.equal(timeline.pruned.transitionsThrough, info.historyPruned.transitionsThrough);
  assert.equal(timeline.entries.length, 0);
  assert.equal(timeline.mismatchCount, 0, 'the replay starts from the kept state');
  assert.equal(timeline.initial.value, info.state);
});
