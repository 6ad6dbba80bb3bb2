import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.ts';
import { DurableScheduler } from '../../src/runtime/scheduler.ts';
import type { DueRef, Store } from '../../src/store/store.ts';

const storeOf = (rows: DueRef[]) => ({ pendingWindow: () => rows, pendingAfter: () => [] }) as unknown as Store;

test('load() knows the next due follow-up without firing anything; start() fires what is due', async () => {
  const clock = new FakeClock(1_000_000);
  const delivered: string[] = [];
  const scheduler = new DurableScheduler({
    store: storeOf([{ id: 'a', contact_id: 'c1', due_at: 999_000 }]),
    clock,
    deliver: async (ref) => void delivered.push(ref.id),
  });
  scheduler.load();
  assert.equal(scheduler.nextDue()?.id, 'a');
  clock.advance(60_000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(delivered, [], 'nothing fires before start()');
  scheduler.start();
  clock.advance(0);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(delivered, ['a']);
  scheduler.stop();
});

test('a follow-up armed between load() and start() is kept and fires once started', async () => {
  const clock = new FakeClock(1_000_000);
  const delivered: string[] = [];
  const scheduler = new DurableScheduler({ store: storeOf([]), clock });
  scheduler.load();
  scheduler.notify({ id: 'late', contact_id: 'c2', due_at: 1_000_500 });
  assert.equal(scheduler.nextDue()?.id, 'late');
  scheduler.bindDelivery(async (ref) => void delivered.push(ref.id));
  scheduler.start();
  clock.advanceTo(1_000_500);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(delivered, ['late']);
  scheduler.stop();
});

test('a scheduler not loaded ignores notifications (start() reads the index, which holds them)', () => {
  const scheduler = new DurableScheduler({ store: storeOf([]), clock: new FakeClock(0), deliver: async () => {} });
  scheduler.notify({ id: 'x', contact_id: 'c', due_at: 5 });
  assert.equal(scheduler.inMemory, 0);
});

test('start() without a delivery function is refused with a clear error', () => {
  const scheduler = new DurableScheduler({ store: storeOf([]), clock: new FakeClock(0) });
  assert.throws(() => scheduler.start(), /without a delivery function/);
});
