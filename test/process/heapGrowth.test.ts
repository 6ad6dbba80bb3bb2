/**
 * NUDGE_HEAP_GROWING_PERCENT (src/process/heapGrowth.ts): parsed with a clear refusal, and
 * applied to V8 for real — checked by the number of full GCs a fixed workload causes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { applyHeapGrowing, DEFAULT_HEAP_GROWING_PERCENT, heapGrowingPercent } from '../../src/process/heapGrowth.ts';

test('the heap growing percent defaults to 200; 0 leaves V8 its own factor; anything else is refused', () => {
  assert.equal(DEFAULT_HEAP_GROWING_PERCENT, 200);
  assert.equal(heapGrowingPercent({}), 200);
  assert.equal(heapGrowingPercent({ NUDGE_HEAP_GROWING_PERCENT: ' ' }), 200);
  assert.equal(heapGrowingPercent({ NUDGE_HEAP_GROWING_PERCENT: '0' }), 0);
  assert.equal(heapGrowingPercent({ NUDGE_HEAP_GROWING_PERCENT: ' 150 ' }), 150);
  assert.equal(heapGrowingPercent({ NUDGE_HEAP_GROWING_PERCENT: '400' }), 400);
  for (const raw of ['-1', '2.5', 'lots', '401', '1e2']) {
    assert.throws(
      () => heapGrowingPercent({ NUDGE_HEAP_GROWING_PERCENT: raw }),
      /NUDGE_HEAP_GROWING_PERCENT must be a whole number from 0 \(V8's own factor\) to 400/,
    );
  }
  const set: string[] = [];
  applyHeapGrowing(250, (flags) => set.push(flags));
  applyHeapGrowing(0, (flags) => set.push(flags));
  assert.deepEqual(set, ['--heap-growing-percent=250'], '0 sets nothing');
});

test('the setting reaches V8: a small growth factor makes many more full GCs than a large one', () => {
  // The same workload in two child processes: a ring of ~20 MB of objects that live long
  // enough to reach the old generation, then die. Only the factor differs.
  const fullGcs = (percent: number): number => {
    const script = `
      import { applyHeapGrowing } from ${JSON.stringify(new URL('../../src/process/heapGrowth.ts', import.meta.url).href)};
      import { PerformanceObserver, constants } from 'node:perf_hooks';
      applyHeapGrowing(${percent});
      let full = 0;
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) full++;
      });
      observer.observe({ entryTypes: ['gc'] });
      const ring = new Array(100_000);
      for (let i = 0; i < 3_000_000; i++) ring[i % ring.length] = { i, s: 'x'.repeat(40) + i, a: [i, i + 1] };
      setTimeout(() => { observer.disconnect(); console.log(full); }, 100);
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(child.status, 0, child.stderr);
    return Number(child.stdout.trim());
  };
  const small = fullGcs(10);
  const large = fullGcs(400);
  assert.ok(small >= 2 * large && small >= 10, `full GCs: ${small} with 10 %, ${large} with 400 %`);
});
