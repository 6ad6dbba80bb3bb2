import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LeaseRow } from '../../src/cluster/leases.ts';
import { planRebalance, shareOf } from '../../src/cluster/rebalance.ts';

const lease = (partition: number, owner: string | null, expires_at = 10_000): LeaseRow => ({
  partition,
  owner,
  token: 1,
  expires_at,
});

test('shares are an even split that covers every partition, the first members taking the remainder', () => {
  const members = ['a', 'b', 'c'];
  assert.deepEqual(
    members.map((m) => shareOf(m, members, 64)),
    [22, 21, 21],
  );
  for (let count = 1; count <= 9; count++) {
    const many = Array.from({ length: count }, (_, i) => `n${i}`);
    const shares = many.map((m) => shareOf(m, many, 64));
    assert.equal(
      shares.reduce((sum, share) => sum + share, 0),
      64,
    );
    assert.ok(Math.max(...shares) - Math.min(...shares) <= 1);
  }
  assert.equal(shareOf('z', ['a', 'b'], 64), 21, 'a node not yet listed counts itself in');
});

test('a node over its share releases its highest partitions and takes nothing', () => {
  const plan = planRebalance({
    nodeId: 'a',
    members: ['a', 'b'],
    partitions: 4,
    held: [3, 0, 1, 2],
    leases: [],
    now: 0,
  });
  assert.deepEqual(plan, { release: [2, 3], acquire: [] });
});

test('a node under its share tries only free or expired partitions, never a live lease', () => {
  const leases = [lease(0, 'a'), lease(1, 'b'), lease(2, null), lease(3, 'c', 500), lease(4, 'b')];
  const plan = planRebalance({ nodeId: 'a', members: ['a', 'b'], partitions: 5, held: [0], leases, now: 1_000 });
  assert.deepEqual(plan.release, []);
  assert.deepEqual([...plan.acquire].sort(), [2, 3]);
});

test('a node at its share changes nothing', () => {
  const leases = [lease(0, 'a'), lease(1, null)];
  assert.deepEqual(planRebalance({ nodeId: 'a', members: ['a', 'b'], partitions: 2, held: [0], leases, now: 0 }), {
    release: [],
    acquire: [],
  });
});
