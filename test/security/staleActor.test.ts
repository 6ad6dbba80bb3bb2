/**
 * The contact write is optimistic (issue 25, fault 1): it is stored only if the row still
 * holds the epoch the machine was read at. Another writer (a second process on the data
 * dir, before the lock existed) once moved a contact to `stopped` and this process's cached
 * actor, still `awaiting`, overwrote it on the next message. Now the stale write is refused,
 * the actor is reloaded from the row, and the message is applied to the stored state.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { test } from 'node:test';
import { FakeClock } from '../../src/clock.ts';
import { api, makeServer } from '../helpers/server.ts';

test("a stale actor's write is refused: a message after another writer's STOP leaves the contact stopped", async (t) => {
  const server = await makeServer(t, { clock: new FakeClock('2026-01-05T09:00:00Z') });
  const http = api(server);
  const created = await http.post(`/api/bots/${server.demoBotId}/contacts`, {
    name: 'Ana Lima',
    phone: '+14155550164',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const contactId = created.body.id;
  await http.post(`/api/contacts/${contactId}/messages/inbound`, { text: 'do you have slots?' });
  const replied = await http.post(`/api/contacts/${contactId}/messages/outbound`, {
    text: 'Yes, tomorrow 10am?',
    sender: 'bot',
  });
  assert.equal(replied.body.state, 'awaiting');

  // Another writer stops the contact behind this process's back (its cached actor is still awaiting).
  const other = new Database(join(server.dataDir, 'nudge.sqlite'));
  const row = other.prepare('SELECT epoch, snapshot FROM contacts WHERE id = ?').get(contactId) as {
    epoch: number;
    snapshot: string;
  };
  const snapshot = JSON.parse(row.snapshot);
  snapshot.value = 'stopped';
  snapshot.context = { ...snapshot.context, epoch: row.epoch + 1, timer: null };
  other
    .prepare('UPDATE contacts SET state = ?, epoch = ?, snapshot = ? WHERE id = ?')
    .run('stopped', row.epoch + 1, JSON.stringify(snapshot), contactId);
  other
    .prepare(
      "UPDATE followups SET status = 'cancelled', reason = 'opted_out' WHERE contact_id = ? AND status = 'pending'",
    )
    .run(contactId);
  other.close();

  const after = await http.post(`/api/contacts/${contactId}/messages/inbound`, { text: 'hello again' });
  assert.equal(after.status, 201, JSON.stringify(after.body));
  const detail = await http.get(`/api/contacts/${contactId}`);
  assert.equal(detail.body.state, 'stopped', 'the STOP stored by the other writer stands');
  assert.equal(detail.body.pendingFollowUps.length, 0, 'no follow-up was armed by the stale actor');
});
