/**
 * The runtime keeps each contact's row as its last event committed it (returned by the
 * machine-state UPDATE), so an event does not read the row again. These tests hold the
 * cache to the store: same row after every kind of event, no read on a warm contact,
 * frozen rows, and a failed commit that leaves nothing stale behind.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../../src/store/store.ts';
import { botConfig, makeCore } from '../helpers/core.ts';

const MIN = 60_000;

const config = botConfig({
  scenarios: {
    stoppedReplying: { enabled: true, cadence: [{ delay: '5m' }, { delay: '15m' }] },
  },
});

/** Counts the store's contact reads made outside a transaction (the ones the cache saves). */
function countContactReads(store: Store): { readonly count: number; restore(): void } {
  const original = store.getContact.bind(store);
  let count = 0;
  store.getContact = (id: string) => {
    if (!store.db.inTransaction) count++;
    return original(id);
  };
  return {
    get count() {
      return count;
    },
    restore: () => {
      store.getContact = original;
    },
  };
}

test('after every kind of event the cached contact row equals the stored one', async (t) => {
  const core = makeCore(t, { config });
  const { runtime, store } = core.services;
  const c = runtime.createContact(core.botId, { name: 'Ana' });
  const same = (label: string) => assert.deepEqual({ ...runtime.contact(c.id) }, store.getContact(c.id), label);

  await runtime.inbound({ contactId: c.id, text: 'what are your prices?', channel: 'sms' });
  same('inbound on a new channel (last_channel, last_seq, last_inbound)');
  await runtime.outbound({ contactId: c.id, text: 'From $30.', sender: 'bot' });
  same('bot reply (state awaiting)');
  await core.advance(5 * MIN);
  same('follow-up sent (last_followup_id, last_seq)');
  await runtime.updateContact(c.id, { phone: '+15551234567', timezone: 'Europe/Lisbon' });
  same('contact fields');
  await runtime.signal(c.id, 'OPERATOR_STOP', { operatorId: 'op_1' });
  same('operator stop');
  assert.equal(runtime.contact(c.id).state, 'stopped');
});

test('an event on a cached contact reads no contact row outside its transaction', async (t) => {
  const core = makeCore(t, { config });
  const { runtime, store } = core.services;
  const c = runtime.createContact(core.botId);
  await runtime.inbound({ contactId: c.id, text: 'hi' });
  const reads = countContactReads(store);
  t.after(() => reads.restore());
  await runtime.outbound({ contactId: c.id, text: 'hello!', sender: 'bot' });
  await runtime.inbound({ contactId: c.id, text: 'call me tomorrow at 3pm' });
  assert.equal(reads.count, 0);
  assert.equal(runtime.contact(c.id).last_seq, 3);
});

test('cached rows are frozen: a caller cannot change what the next event sees', async (t) => {
  const core = makeCore(t, { config });
  const { runtime } = core.services;
  const c = runtime.createContact(core.botId);
  await runtime.inbound({ contactId: c.id, text: 'hi' });
  const row = runtime.contact(c.id);
  assert.throws(() => {
    (row as { state: string }).state = 'booked';
  }, TypeError);
  assert.equal(runtime.contact(c.id).state, 'active');
});

test('a failed commit drops the cached row and the next event starts from the store', async (t) => {
  const core = makeCore(t, { config });
  const { runtime, store } = core.services;
  const c = runtime.createContact(core.botId);
  await runtime.inbound({ contactId: c.id, text: 'hi' });
  await runtime.outbound({ contactId: c.id, text: 'hello!', sender: 'bot' });
  const before = store.getContact(c.id);

  const insertMessage = store.insertMessage.bind(store);
  store.insertMessage = () => {
    throw new Error('disk I/O error (injected)');
  };
  await assert.rejects(runtime.inbound({ contactId: c.id, text: 'not interested' }), /injected/);
  store.insertMessage = insertMessage;

  const reads = countContactReads(store);
  t.after(() => reads.restore());
  assert.deepEqual({ ...runtime.contact(c.id) }, before, 'the row as stored before the failed event');
  assert.equal(reads.count, 1, 'read again from the store');
  const result = await runtime.inbound({ contactId: c.id, text: 'sounds good' });
  assert.equal(result.from, 'awaiting');
  assert.deepEqual({ ...runtime.contact(c.id) }, store.getContact(c.id));
});
