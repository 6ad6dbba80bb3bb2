import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterConfig } from '../../src/cluster/config.ts';

test('defaults: 64 partitions, a 5 s lease renewed every second, a node id unique per process', () => {
  const config = clusterConfig({});
  assert.equal(config.partitions, 64);
  assert.equal(config.leaseMs, 5_000);
  assert.equal(config.renewMs, 1_000);
  assert.match(config.nodeId, new RegExp(`-${process.pid}-[0-9a-f]{6}$`));
  assert.notEqual(clusterConfig({}).nodeId, config.nodeId);
});

test('settings are read and checked by name', () => {
  assert.deepEqual(clusterConfig({ NUDGE_PARTITIONS: '256', NUDGE_NODE_ID: 'eu-1', NUDGE_LEASE_MS: '2000' }), {
    partitions: 256,
    nodeId: 'eu-1',
    leaseMs: 2_000,
    renewMs: 400,
  });
  assert.throws(() => clusterConfig({ NUDGE_PARTITIONS: '0' }), /^Error: NUDGE_PARTITIONS must be at least 1, got "0"/);
  assert.throws(() => clusterConfig({ NUDGE_PARTITIONS: '8192' }), /^Error: NUDGE_PARTITIONS must be at most 4096/);
  assert.throws(() => clusterConfig({ NUDGE_LEASE_MS: '100' }), /^Error: NUDGE_LEASE_MS must be at least 500/);
  assert.throws(() => clusterConfig({ NUDGE_NODE_ID: 'node one' }), /^Error: NUDGE_NODE_ID must be 1 to 64 letters/);
});
