import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/clock.ts';
import { DurableScheduler } from '../../src/runtime/scheduler.ts';
import type { DueRef, Store } from '../../src/store/store.ts';

test('firing lateness is recorded per firing, oldest first, from the injected clock', async () => {
  const clock = new FakeClock(1_000_000);
  const due: DueRef[] = [
    { id: 'a', contact_id: 'c1', due_at: 1_000_100 },
    { id: 'b', contact_id: 'c2', due_at: 1_000_200 },
    { id: 'c', contact_id: 'c3', due_at: 1_000_200 },
  ];
  const store = { pendingWindow: () => due, pendingAfter: () => [] } as unknown as Store;
  const delivered: string[] = [];
  const scheduler = new DurableScheduler({ store, clock, deliver: async (ref) => void delivered.push(ref.id) });
  scheduler.start();
  clock.advanceTo(1_000_100); // a fires on time
  clock.advanceTo(1_000_250); // the timer for b and c was armed for 1_000_200 and fires then
  scheduler.stop();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(delivered, ['a', 'b', 'c']);
  assert.deepEqual(scheduler.lateness, [0, 0, 0]);

  // Late firing (the process was busy): lateness = now - due_at.
  const late = new DurableScheduler({
    store: {
      pendingWindow: () => [{ id: 'd', contact_id: 'c4', due_at: 900_000 }],
      pendingAfter: () => [],
    } as unknown as Store,
    clock,
    deliver: async () => {},
  });
  late.start();
  clock.advance(0);
  late.stop();
  assert.deepEqual(late.lateness, [clock.now() - 900_000]);
});
