import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import type { WorkerOptions } from 'node:worker_threads';
import { idleRetirementTimer, OwingWorker, RestartBudget, type OwingWorkerExit } from '../src/workerThreads.ts';

test('the idle-retirement timer checks every quarter of the idle time while running, then stops by itself', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let running = true;
  let checks = 0;
  let stopped = 0;
  idleRetirementTimer(
    60_000,
    () => checks++,
    () => running,
    () => stopped++,
  );
  t.mock.timers.tick(14_999);
  assert.equal(checks, 0);
  t.mock.timers.tick(1);
  assert.equal(checks, 1);
  t.mock.timers.tick(15_000);
  t.mock.timers.tick(15_000);
  assert.deepEqual([checks, stopped], [3, 0]);
  running = false; // the next check retires the last thread
  t.mock.timers.tick(15_000);
  assert.deepEqual([checks, stopped], [4, 1]);
  t.mock.timers.tick(60_000);
  assert.deepEqual([checks, stopped], [4, 1], 'no check after it stopped');
});

test('the idle-retirement timer checks at most a minute apart, and stop() cancels it', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let checks = 0;
  const check = idleRetirementTimer(
    3_600_000,
    () => checks++,
    () => true,
    () => {},
  );
  t.mock.timers.tick(60_000);
  assert.equal(checks, 1);
  check.stop();
  t.mock.timers.tick(600_000);
  assert.equal(checks, 1);
});

const ECHO = new URL('./fixtures/echoWorker.ts', import.meta.url);

/** An OwingWorker on the echo fixture, with what it reported. */
function echoThread(options: WorkerOptions = {}) {
  const replies: { id: number; value: unknown }[] = [];
  let exit: OwingWorkerExit<string> | null = null;
  const thread: OwingWorker<string> = new OwingWorker<string>(ECHO, options, 'echo thread', {
    message: (message) => replies.push(message as { id: number; value: unknown }),
    exit: (ended) => (exit = ended),
  });
  return { thread, replies, exit: () => exit };
}

/** Polls a condition the thread makes true (its answers arrive on their own schedule); bounded. */
const until = async (done: () => boolean, what: string, limitMs = 20_000) => {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > limitMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

test('an owing worker keeps what it owes by id until settled, and a stop answers first', async () => {
  const { thread, replies, exit } = echoThread();
  thread.owe(1, 'first');
  thread.owe(2, 'second');
  thread.post({ type: 'echo', id: 1, value: 'a' });
  thread.post({ type: 'echo', id: 2, value: 'b' });
  assert.equal(thread.owedCount, 2);
  await until(() => replies.length === 2, 'two echoes');
  assert.equal(thread.settle(1), 'first');
  assert.equal(thread.settle(1), undefined, 'an answer settles once');
  assert.equal(thread.owedCount, 1);

  thread.owe(3, 'third');
  thread.post({ type: 'echo', id: 3, value: 'c' });
  const stopped = thread.stop({ type: 'stop' });
  assert.equal(thread.stopping, true);
  assert.equal(thread.stop({ type: 'stop' }), stopped, 'asking twice waits for the same exit');
  await stopped;
  assert.equal(thread.ended, true);
  assert.deepEqual(
    replies.map((r) => r.id),
    [1, 2, 3],
    'the stop came after the answers',
  );
  // The owner had not settled 2 and 3: an orderly stop still hands them back, as not a death.
  assert.deepEqual(exit(), { owed: ['second', 'third'], death: null, deathCode: null });
});

test('an owing worker that dies hands back what it owed, with the reason', async () => {
  const { thread, exit } = echoThread();
  thread.owe(7, 'owed');
  thread.post({ type: 'die', code: 7 });
  await thread.exited;
  assert.deepEqual(exit(), { owed: ['owed'], death: 'echo thread exited with code 7', deathCode: null });
  assert.equal(thread.owedCount, 0);
  await thread.stop({ type: 'stop' }); // already ended: resolves at once, posts nothing
  assert.equal(thread.stopping, false);
});

test("an owing worker that outgrows its heap bound dies with the error's code (ERR_WORKER_OUT_OF_MEMORY)", async () => {
  // A bound no thread can start under.
  const { thread, exit } = echoThread({ resourceLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 } });
  thread.owe(1, 'owed');
  await thread.exited;
  const ended = exit() ?? assert.fail('an exit');
  assert.deepEqual([ended.owed, ended.deathCode], [['owed'], 'ERR_WORKER_OUT_OF_MEMORY']);
  assert.match(ended.death ?? '', /^echo thread failed: .*memory/i);
});

test('an idle owing worker does not keep the process alive; one owing an answer does until it answers', () => {
  // Each case runs in a child process: whether it exits by itself is what is measured.
  const script = (owe: boolean) => `
    import { OwingWorker } from ${JSON.stringify(new URL('../src/workerThreads.ts', import.meta.url).href)};
    const thread = new OwingWorker(new URL(${JSON.stringify(ECHO.href)}), {}, 'echo thread', {
      message: (m) => { thread.settle(m.id); console.log('answered', m.value); },
      exit: () => {},
    });
    ${owe ? `thread.owe(1, 'x'); setTimeout(() => thread.post({ type: 'echo', id: 1, value: 'late' }), 300).unref();` : ''}
  `;
  for (const owe of [false, true]) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(owe)], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(child.signal, null, `the child exited by itself (owe ${owe}); stderr: ${child.stderr}`);
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), owe ? 'answered late' : '', 'the owed answer arrived before the process ended');
  }
});

test('a restart budget allows at most max restarts within its window, and again once deaths leave it', () => {
  let now = 0;
  const budget = new RestartBudget(2, 100, () => now);
  assert.equal(budget.allows(), true);
  for (const at of [0, 10, 20]) {
    now = at;
    budget.died();
  }
  assert.equal(budget.allows(), false, 'three deaths within 100 ms, two restarts allowed');
  now = 99;
  assert.equal(budget.allows(), false);
  now = 100; // the death at 0 has left the window
  assert.equal(budget.allows(), true);
  budget.died();
  assert.equal(budget.allows(), false);
  now = 1_000;
  assert.equal(budget.allows(), true);
  const none = new RestartBudget(0, 50, () => now);
  none.died();
  assert.equal(none.allows(), false);
  assert.throws(() => new RestartBudget(-1, 50, () => now), /max restarts/);
  assert.throws(() => new RestartBudget(1, 0, () => now), /restart window/);
});
