import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommitter } from '../../src/runtime/committer.ts';
import { openDatabase } from '../../src/store/db.ts';
import { runAsync, runSync, type Pending, type Step } from '../../src/store/port.ts';
import { Store } from '../../src/store/store.ts';

/** A network store's step: yields the statement's promise and returns what it resolved to. */
function* remote<T>(value: Promise<T>): Step<T> {
  return (yield value) as T;
}

test('runSync refuses a program that yields: a synchronous store cannot wait', () => {
  function* program(): Step<number> {
    return (yield* remote(Promise.resolve(1))) + 1;
  }
  assert.throws(() => runSync(program()), /synchronous store was handed an asynchronous step/);
});

test('runAsync resumes the program with each statement result and throws a failed one into it', async () => {
  const seen: unknown[] = [];
  function* program(): Step<string> {
    const a = yield* remote(Promise.resolve(2));
    seen.push(a);
    try {
      yield* remote(Promise.reject(new Error('unique violation')));
    } catch (error) {
      seen.push((error as Error).message);
    }
    const b = yield* remote(Promise.resolve(a * 10));
    return `done ${b}`;
  }
  assert.equal(await runAsync(program()), 'done 20');
  assert.deepEqual(seen, [2, 'unique violation']);
});

test('runAsync runs a program of synchronous steps too (one program, two drivers)', async () => {
  // eslint-disable-next-line require-yield -- a synchronous store's step
  function* step(value: number): Generator<Pending, number, unknown> {
    return value;
  }
  function* program(): Step<number> {
    return (yield* step(3)) + (yield* step(4));
  }
  assert.equal(await runAsync(program()), 7);
  assert.equal(runSync(program()), 7);
});

test('a write program commits through the group committer and sees its own writes', async () => {
  const db = openDatabase(':memory:');
  const store = new Store(db);
  const committer = new GroupCommitter(db, 500, store.tx);
  const now = 1_000;
  store.insertBot({
    id: 'b1',
    name: 'Bot',
    widget_key: 'wk',
    allowed_origins: '[]',
    config: '{}',
    created_at: now,
    updated_at: now,
  });
  store.insertContact(
    {
      id: 'c1',
      bot_id: 'b1',
      name: null,
      phone: null,
      email: null,
      timezone: null,
      state: 'active',
      last_channel: 'livechat',
      created_at: now,
      updated_at: now,
    },
    {},
  );
  const seqs = await committer.write(function* (tx) {
    const first = yield* tx.appendTransition(
      {
        contact_id: 'c1',
        event: '{}',
        policy_id: null,
        from_state: 'active',
        to_state: 'awaiting',
        actions: '[]',
        at: now,
      },
      null,
    );
    const second = yield* tx.appendTransition(
      {
        contact_id: 'c1',
        event: '{}',
        policy_id: 'p1',
        from_state: 'awaiting',
        to_state: 'awaiting',
        actions: '[]',
        at: now,
      },
      { id: 'p1', json: '{"active":true}' },
    );
    yield* tx.setLastChannel('c1', 'sms');
    const contact = yield* tx.getContact('c1');
    return { first, second, channel: contact?.last_channel };
  });
  assert.deepEqual(seqs, { first: 1, second: 2, channel: 'sms' });
  assert.equal(store.transitionsOfContact('c1').length, 2);
  assert.equal(committer.commits, 1);
});

test('a write program that throws fails alone; the others of its batch commit once', async () => {
  const db = openDatabase(':memory:');
  const store = new Store(db);
  const committer = new GroupCommitter(db, 500, store.tx);
  const settled = await Promise.allSettled([
    committer.write(function* (tx) {
      yield* tx.setLastChannel('nobody', 'sms');
      return 'ok';
    }),
    committer.write(function* (tx) {
      yield* tx.insertMessage({
        id: 'm1',
        contact_id: 'missing',
        sender: 'contact',
        channel: 'livechat',
        text: 'hi',
        at: 1,
        client_id: null,
        classification: null,
        followup_id: null,
        meta: null,
      });
      return 'never';
    }),
  ]);
  assert.deepEqual(
    settled.map((s) => s.status),
    ['fulfilled', 'rejected'],
  );
  assert.match(String((settled[1] as PromiseRejectedResult).reason), /contact missing not found/);
  assert.equal(committer.retriedBatches, 1);
});

test('a committer without the store tx refuses write programs', async () => {
  const committer = new GroupCommitter(openDatabase(':memory:'));
  await assert.rejects(
    // eslint-disable-next-line require-yield -- no statement needed to be refused
    committer.write(function* () {
      return 1;
    }),
    /need the store tx/,
  );
});
