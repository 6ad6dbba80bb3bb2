import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idleRetirementTimer } from '../src/workerThreads.ts';

test('the idle-retirement timer checks every quarter of the idle time while running, then stops by itself', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let running = true;
  let checks = 0;
  let stopped = 0;
  idleRetirementTimer(60_000, () => checks++, () => running, () => stopped++);
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
  const check = idleRetirementTimer(3_600_000, () => checks++, () => true, () => {});
  t.mock.timers.tick(60_000);
  assert.equal(checks, 1);
  check.stop();
  t.mock.timers.tick(600_000);
  assert.equal(checks, 1);
});
