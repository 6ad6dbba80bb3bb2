import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { ClusterNode, clusterSettings } from '../../src/cluster/clusterNode.ts';
import { CHANNELS, publish } from '../../src/cluster/notify.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/postgres.ts';

const skip = postgresSkipReason() ?? false;

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('without NUDGE_DATABASE_URL there is no cluster: Nudge stays on SQLite', () => {
  assert.equal(clusterSettings({ NUDGE_PARTITIONS: '16' }), null);
  assert.equal(
    clusterSettings({ NUDGE_DATABASE_URL: 'postgres://db/nudge', NUDGE_NODE_ID: 'n1' })?.cluster.nodeId,
    'n1',
  );
});

test(
  'two nodes started together split the partitions, report it in health, hear each other, and hand over on stop',
  { skip },
  async (t) => {
    const url = await createTestDatabase();
    const settings = (nodeId: string) =>
      clusterSettings({
        NUDGE_DATABASE_URL: url,
        NUDGE_NODE_ID: nodeId,
        NUDGE_PARTITIONS: '16',
        NUDGE_LEASE_MS: '1000',
        NUDGE_DATABASE_POOL: '2',
      })!;
    const heard: string[] = [];
    const [n1, n2] = await Promise.all([
      ClusterNode.start(settings('n1')),
      ClusterNode.start({ ...settings('n2'), onNotify: (_channel, payload) => heard.push(payload) }),
    ]);
    let n2Running = true;
    t.after(async () => {
      await n1.stop();
      if (n2Running) await n2.stop();
    });

    await until('an even split', () => n1.health().partitions.length === 8 && n2.health().partitions.length === 8);
    assert.deepEqual(
      [...n1.health().partitions, ...n2.health().partitions].sort((a, b) => a - b),
      Array.from({ length: 16 }, (_, i) => i),
    );
    await until('both members seen', () => n1.health().members.length === 2 && n2.health().members.length === 2);
    assert.deepEqual(n1.health().members, ['n1', 'n2']);

    await publish(n1.pool, CHANNELS.contact, 'c_42');
    await until('n2 to hear n1', () => heard.includes('c_42'), 5_000);

    await n2.stop();
    n2Running = false;
    await until('n1 to own every partition', () => n1.health().partitions.length === 16, 5_000);
    await until('n1 alone', () => n1.health().members.length === 1, 5_000);
  },
);
