/**
 * Split brain with real node processes (./lib/nodeApp.ts): node A owns half the partitions
 * and applies their events and fires their follow-ups while widgets talk to node B; A is
 * stopped with SIGSTOP past its leases, B takes every partition, and A is resumed while
 * it still believes in its old leases (NODE_STALE_TOKENS=1: only the fence can stop it).
 * Checked from the rows: A commits nothing for a partition after B took it (no row under
 * A's old token after B's acquisition, and per contact the tokens never go back), the
 * fence refused A's attempts, and A gave the partitions up (its health never lists one B
 * holds; it comes back to its share under new tokens).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { createTestDatabase, postgresSkipReason } from '../helpers/postgres.ts';
import { health, killNode, seedDatabase, startNode, waitFor, Widget, type NodeHandle } from './lib/nodes.ts';

const skip = postgresSkipReason() ?? false;
const PARTITIONS = 8;
const LEASE_MS = 1_500;

test(
  'a real node stopped with SIGSTOP past its leases commits nothing for the partitions it lost once resumed, and gives them up',
  { skip, timeout: 120_000 },
  async (t) => {
    const url = await createTestDatabase();
    const { pool, contacts } = await seedDatabase(url, PARTITIONS, 24);
    const env = {
      NUDGE_PARTITIONS: String(PARTITIONS),
      NUDGE_LEASE_MS: String(LEASE_MS),
      NUDGE_DATABASE_POOL: '4',
      NODE_FOLLOWUP_MS: '300',
      NODE_SWEEP_MS: '500',
    };
    const a = await startNode(url, 'a', { ...env, NODE_STALE_TOKENS: '1' });
    const b = await startNode(url, 'b', env);
    const nodes: NodeHandle[] = [a, b];
    const widgets = contacts.map((id) => new Widget(id));
    let running = true;
    t.after(async () => {
      running = false;
      for (const widget of widgets) widget.close();
      a.process.kill('SIGCONT');
      for (const node of nodes) await killNode(node);
      await pool.end();
    });
    assert.ok(
      await waitFor(async () => (await health(a)).partitions.length === PARTITIONS / 2, 10_000),
      'a took its share',
    );
    const lostByA = (await health(a)).partitions;

    // Events land on b; a applies those of its partitions through the inbox and fires their follow-ups.
    await Promise.all(widgets.map((widget) => widget.connect(b)));
    const loops = widgets.map(async (widget) => {
      while (running) {
        await widget.send();
        await sleep(100 + Math.random() * 500);
      }
    });
    await sleep(2_000);
    const before = await health(a);
    assert.ok(before.work.eventsApplied > 0 && before.work.fired > 0, 'a was applying events and firing follow-ups');

    a.process.kill('SIGSTOP');
    const stoppedAt = Date.now();
    assert.ok(
      await waitFor(async () => (await health(b)).partitions.length === PARTITIONS, 10_000),
      'b took every partition',
    );
    t.diagnostic(`b owned all partitions ${Date.now() - stoppedAt} ms after a was stopped`);
    await sleep(1_000);
    a.process.kill('SIGCONT');

    // a wakes with overdue timers and inbox notifications for partitions that are no longer its.
    for (let i = 0; i < 20; i++) {
      const [ha, hb] = await Promise.all([health(a), health(b)]);
      const both = ha.partitions.filter((p) => hb.partitions.includes(p));
      assert.deepEqual(both, [], 'a never reports a partition b holds');
      await sleep(200);
    }
    running = false;
    await Promise.all(loops);
    const after = await health(a);
    assert.ok(after.work.fenced > 0, `the fence refused a's stale writes (${after.work.fenced})`);
    assert.ok(
      await waitFor(async () => (await health(a)).partitions.length === PARTITIONS / 2, 10_000),
      'a is back to its share, under new leases',
    );

    // The rows. Per partition a lost, b's first token there; a row of a under an older token,
    // stamped after a was stopped, could only have been committed after b took the partition.
    const written = async (table: 'messages' | 'outbox') =>
      (
        await pool.query<{ contact_id: string; at: number; partition: number; node: string; token: number }>(
          `SELECT t.contact_id, t.${table === 'messages' ? 'at' : 'created_at'} AS at, c.partition,
                  t.meta->>'node' AS node, (t.meta->>'token')::bigint AS token
           FROM ${table} t JOIN contacts c ON c.id = t.contact_id
           ORDER BY t.contact_id, ${table === 'messages' ? 't.seq' : 't.id'}`,
        )
      ).rows.map((r) => ({ ...r, at: Number(r.at), token: Number(r.token) }));
    const messages = await written('messages');
    const outbox = await written('outbox');
    const takenWith = new Map<number, number>();
    for (const row of messages)
      if (row.node === 'b' && lostByA.includes(row.partition))
        takenWith.set(row.partition, Math.min(row.token, takenWith.get(row.partition) ?? Infinity));
    assert.ok(takenWith.size > 0, 'b wrote for partitions it took from a');
    const stale = [...messages, ...outbox].filter(
      (row) => row.node === 'a' && row.at > stoppedAt && row.token < (takenWith.get(row.partition) ?? -Infinity),
    );
    assert.deepEqual(stale, [], 'a committed nothing under a lost token after it was stopped');
    for (let i = 1; i < messages.length; i++) {
      const [prev, row] = [messages[i - 1], messages[i]];
      if (prev.contact_id === row.contact_id)
        assert.ok(
          row.token >= prev.token,
          `${row.contact_id}: a message written under an older token than the one before`,
        );
    }
    t.diagnostic(
      `a: ${after.work.fenced} writes fenced, ${after.work.fired} follow-ups fired; rows checked: ${messages.length} messages, ${outbox.length} outbox`,
    );
  },
);
