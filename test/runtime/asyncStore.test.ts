/**
 * The store port's asynchronous side, driven over SQLite: every read and every statement of
 * a write program resolves on a later turn of the event loop, as a network database's would.
 * The runtime, the scheduler and the dispatcher must reach the same rows as on the
 * synchronous store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor } from 'xstate';
import { OutboxDispatcher } from '../../src/channels/dispatcher.ts';
import type { ChannelAdapter, OutboundMessage } from '../../src/channels/types.ts';
import { FakeClock } from '../../src/clock.ts';
import { collectingContactMachine, ContactRuntime } from '../../src/runtime/runtime.ts';
import { DurableScheduler } from '../../src/runtime/scheduler.ts';
import { openDatabase, type DB } from '../../src/store/db.ts';
import {
  runAsync,
  runSync,
  type Committer,
  type ContactStore,
  type OutboxQueue,
  type StoreTx,
  type WriteProgram,
} from '../../src/store/port.ts';
import { Store } from '../../src/store/store.ts';
import { botConfig, labelCompose, tableClassify } from '../helpers/core.ts';

/** A value handed back on a later turn of the event loop (a thrown error as a rejection). */
function later<T>(fn: () => T): Promise<T> {
  return new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(fn());
      } catch (error) {
        reject(error);
      }
    }),
  );
}

/** Every method of `target` answered later; `counted` hears each call. */
function deferred<T extends object>(target: T, counted: () => void): T {
  return new Proxy(target, {
    get(object, name) {
      const member = Reflect.get(object, name, object);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        counted();
        return later(() => member.apply(object, args));
      };
    },
  });
}

/** StoreTx whose steps yield a promise, as a network store's do. */
function yieldingTx(tx: StoreTx, counted: () => void): StoreTx {
  return new Proxy(tx, {
    get(object, name) {
      const step = Reflect.get(object, name, object) as (...args: unknown[]) => Generator;
      return function* (...args: unknown[]): Generator<Promise<unknown>, unknown, unknown> {
        counted();
        return yield later(() => runSync(step.apply(object, args) as never));
      };
    },
  });
}

/** One program at a time between BEGIN and COMMIT, each statement awaited (runAsync). */
class AwaitingCommitter implements Committer {
  private chain: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly db: DB,
    private readonly tx: StoreTx,
  ) {}
  write<T>(program: WriteProgram<T>): Promise<T> {
    const run = this.chain.then(async () => {
      this.db.exec('BEGIN');
      try {
        const value = await runAsync(program(this.tx));
        this.db.exec('COMMIT');
        return value;
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      }
    });
    this.chain = run.catch(() => {});
    return run;
  }
}

class Recording implements ChannelAdapter {
  readonly channel = 'livechat';
  sent: OutboundMessage[] = [];
  async send(message: OutboundMessage) {
    this.sent.push(message);
    return { providerId: `p${this.sent.length}` };
  }
}

test('runtime, scheduler and dispatcher on an asynchronous store: a follow-up armed, fired, sent once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-async-'));
  const db = openDatabase(join(dir, 'nudge.sqlite'));
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const clock = new FakeClock('2026-01-05T09:00:00Z'); // a Monday, inside working hours
  const sqlite = new Store(db);
  const now = clock.now();
  sqlite.insertBot({
    id: 'bot1',
    name: 'Test Salon',
    widget_key: 'wk1',
    allowed_origins: '[]',
    config: JSON.stringify(botConfig()),
    created_at: now,
    updated_at: now,
  });
  const contactId = 'ct1';
  const initial = createActor(
    collectingContactMachine(() => {}),
    { input: { contactId } },
  ).getPersistedSnapshot();
  sqlite.insertContact(
    {
      id: contactId,
      bot_id: 'bot1',
      name: 'Ana',
      phone: null,
      email: null,
      timezone: null,
      state: 'active',
      last_channel: 'livechat',
      created_at: now,
      updated_at: now,
    },
    initial,
  );

  let reads = 0;
  let statements = 0;
  const store = deferred(sqlite, () => reads++) as unknown as ContactStore;
  const committer = new AwaitingCommitter(
    db,
    yieldingTx(sqlite.tx, () => statements++),
  );
  const scheduler = new DurableScheduler({ store, clock });
  const runtime = new ContactRuntime({
    store,
    committer,
    clock,
    classify: tableClassify,
    compose: labelCompose,
    onTimer: (ref) => scheduler.notify(ref),
  });
  scheduler.bindDelivery((ref) => runtime.deliverDue(ref));
  const started = scheduler.start();
  assert.ok(started instanceof Promise, 'an asynchronous due index makes start() a promise');
  await started;
  t.after(() => scheduler.stop());

  const inbound = await runtime.inbound({ contactId, text: 'hello' });
  assert.equal(inbound.to, 'active');
  const replied = await runtime.outbound({ contactId, text: 'Hi Ana, how can I help?', sender: 'bot' });
  assert.equal(replied.to, 'awaiting');
  const due = sqlite.pendingFollowUpsOfContact(contactId);
  assert.equal(due.length, 1, 'the stoppedReplying step 1 is armed');

  clock.advanceTo(due[0].due_at);
  for (let i = 0; i < 20 && sqlite.getFollowUp(due[0].id)?.status === 'pending'; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    await runtime.idle();
  }
  const fired = sqlite.getFollowUp(due[0].id);
  assert.equal(fired?.status, 'sent');
  assert.ok(reads > 0 && statements > 0, `reads (${reads}) and statements (${statements}) went through the port`);
  assert.deepEqual(
    sqlite.transitionsOfContact(contactId).map((row) => [row.seq, row.to_state]),
    [
      [1, 'active'],
      [2, 'awaiting'],
      [3, 'awaiting'],
    ],
  );

  const adapter = new Recording();
  let claims = 0;
  const outbox = deferred(sqlite.outbox, () => claims++) as unknown as OutboxQueue;
  const dispatcher = new OutboxDispatcher({ outbox, adapters: { livechat: adapter }, clock });
  await dispatcher.drain();
  await dispatcher.drain();
  await dispatcher.stop();
  assert.deepEqual(
    adapter.sent.map((message) => [message.idempotencyKey, message.body]),
    [[due[0].id, 'follow-up stoppedReplying #1']],
  );
  assert.ok(claims > 0);
  assert.deepEqual(
    sqlite.outboxOfContact(contactId).map((row) => [row.status, row.attempts]),
    [['delivered', 1]],
  );
});
