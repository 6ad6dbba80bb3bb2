/**
 * Store.saveMachineState leaves the state column out of its UPDATE when the event left the
 * state as stored: SQLite rewrites an index entry whenever its column is SET, even to the
 * value it already holds, so naming it would write a page of contacts_bot_state for nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { framesByOwner, pageOwners, WalTail } from '../../bench/walFrames.ts';
import { openDatabase } from '../../src/store/db.ts';
import { Store } from '../../src/store/store.ts';

test('an unchanged state writes no page of contacts_bot_state; a changed one moves its entry', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-savestate-'));
  const db = openDatabase(join(dir, 'n.sqlite'));
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  db.pragma('wal_autocheckpoint = 0'); // every frame of the commits below stays in the WAL
  const store = new Store(db);
  store.insertBot({
    id: 'bot_1',
    name: 'Salon',
    widget_key: 'wk',
    allowed_origins: '[]',
    config: '{}',
    created_at: 0,
    updated_at: 0,
  });
  const states = ['active', 'awaiting', 'busy', 'scheduled'];
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) {
      store.insertContact(
        {
          id: `ct_${i}`,
          bot_id: 'bot_1',
          name: null,
          phone: null,
          email: null,
          timezone: null,
          state: states[i % 4],
          last_channel: 'livechat',
          created_at: 0,
          updated_at: 0,
        },
        { value: states[i % 4] },
      );
    }
  })();
  const tail = new WalTail(join(dir, 'n.sqlite-wal'));
  const framesOf = (write: () => void): Map<string, number> => {
    tail.pages();
    db.transaction(write)();
    return new Map(framesByOwner(tail.pages(), pageOwners(db)));
  };
  const row = (id: string) =>
    db.prepare(`SELECT state, epoch, snapshot, updated_at FROM contacts WHERE id = ?`).get(id);
  const byState = (state: string) =>
    (db.prepare(`SELECT COUNT(*) AS n FROM contacts WHERE bot_id = 'bot_1' AND state = ?`).get(state) as { n: number })
      .n;

  // ct_1001 is 'awaiting' (1001 % 4 = 1): the event leaves it there.
  const same = framesOf(() =>
    store.saveMachineState('ct_1001', 'awaiting', 3, { value: 'awaiting', n: 1 }, 50, 'awaiting'),
  );
  assert.equal(same.get('contacts_bot_state'), undefined, `frames: ${JSON.stringify([...same])}`);
  assert.equal(same.get('contacts'), 1);
  assert.deepEqual(row('ct_1001'), {
    state: 'awaiting',
    epoch: 3,
    snapshot: '{"value":"awaiting","n":1}',
    updated_at: 50,
  });

  // The next event moves it to 'booked': the row and its index entry both change.
  const moved = framesOf(() => store.saveMachineState('ct_1001', 'booked', 3, { value: 'booked' }, 60, 'awaiting'));
  assert.ok((moved.get('contacts_bot_state') ?? 0) >= 1, `frames: ${JSON.stringify([...moved])}`);
  assert.deepEqual(row('ct_1001'), { state: 'booked', epoch: 3, snapshot: '{"value":"booked"}', updated_at: 60 });
  assert.equal(byState('booked'), 1, 'the index finds the contact under its new state');
  assert.equal(byState('awaiting'), 499);

  // Without the stored state (a caller that does not know it), the state is always written.
  store.saveMachineState('ct_1002', 'stopped', 0, { value: 'stopped' }, 70);
  assert.equal((row('ct_1002') as { state: string }).state, 'stopped');
  assert.equal(byState('stopped'), 1);
  assert.equal(db.pragma('integrity_check', { simple: true }) as string, 'ok');
});
