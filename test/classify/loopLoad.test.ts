import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EventLoopLoad, eventLoopUtilizationSampler } from '../../src/classify/loopLoad.ts';

describe('event-loop saturation gauge', () => {
  test('saturated from enterAt until the utilization falls below leaveBelow (hysteresis)', () => {
    const script = [0.5, 0.89, 0.9, 0.8, 0.71, 0.69, 0.85, 0.95, 1];
    let i = 0;
    const load = new EventLoopLoad({
      enterAt: 0.9,
      leaveBelow: 0.7,
      utilization: () => script[i++],
      autoSample: false,
    });
    assert.equal(load.lastUtilization(), null);
    const seen: boolean[] = [];
    for (let k = 0; k < script.length; k++) {
      load.sample();
      seen.push(load.saturated());
    }
    assert.deepEqual(seen, [false, false, true, true, true, false, false, true, true]);
    assert.equal(load.lastUtilization(), 1);
    load.stop();
  });

  test('refuses thresholds that cannot work', () => {
    assert.throws(() => new EventLoopLoad({ enterAt: 0.6, leaveBelow: 0.8, autoSample: false }), /leaveBelow/);
    assert.throws(() => new EventLoopLoad({ enterAt: 1.2, autoSample: false }), /enterAt/);
    assert.throws(() => new EventLoopLoad({ leaveBelow: 0, autoSample: false }), /leaveBelow/);
  });

  test("the default sampler reads the loop's own utilization: near 1 while it is blocked", () => {
    const sample = eventLoopUtilizationSampler();
    const until = performance.now() + 30;
    while (performance.now() < until) {
      // keep the loop busy: this is what saturation looks like
    }
    const u = sample();
    assert.ok(u > 0.9 && u <= 1, `utilization ${u}`);
  });
});
