import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type pg from 'pg';
import { assertOwner } from '../../src/cluster/leases.ts';
import { PartitionManager } from '../../src/cluster/partitionManager.ts';
import { migratePostgres } from '../../src/store/postgres/migrate.ts';
import { createPool, IDLE_IN_TRANSACTION_MS, transaction } from '../../src/store/postgres/pool.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/postgres.ts';

const skip = postgresSkipReason() ?? false;
const NODE = join(import.meta.dirname, '..', 'fixtures', 'clusterNode.ts');
const PARTITIONS = 8;
const LEASE_MS = 1_000;

async function ownersCount(pool: pg.Pool): Promise<Record<string, number>> {
  const rows = await pool.query<{ owner: string; n: number }>(
    `SELECT owner, count(*)::int AS n FROM partition_leases WHERE owner IS NOT NULL AND expires_at > nudge_now_ms() GROUP BY owner`,
  );
  return Object.fromEntries(rows.rows.map((row) => [row.owner, row.n]));
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
  return Date.now() - started;
}

test(
  'a node stopped with SIGSTOP past its leases commits nothing for the partitions it lost once resumed',
  { skip },
  async (t) => {
    const url = await createTestDatabase();
    const pool = createPool({ url, poolSize: 4 }, 'node-b');
    // Cleanups run last registered first (node:test runs after hooks in registration order).
    const cleanups: (() => Promise<void> | void)[] = [() => pool.end()];
    t.after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });
    await migratePostgres(pool);
    await pool.query(
      'CREATE TABLE writes (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, partition INT, token BIGINT, node TEXT)',
    );

    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', NODE, url, 'node-a', String(PARTITIONS), String(LEASE_MS)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    cleanups.push(() => {
      if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
    });
    await until(
      'node-a to own every partition',
      async () => (await ownersCount(pool))['node-a'] === PARTITIONS,
      30_000,
    );

    const b = new PartitionManager({
      pool,
      nodeId: 'node-b',
      partitions: PARTITIONS,
      leaseMs: LEASE_MS,
      renewMs: LEASE_MS / 5,
    });
    await b.start();
    let writing = true;
    const writer = (async () => {
      while (writing) {
        for (const lease of b.owned()) {
          await transaction(pool, async (client) => {
            await assertOwner(client, lease.partition, lease.token);
            await client.query('INSERT INTO writes (partition, token, node) VALUES ($1, $2, $3)', [
              lease.partition,
              lease.token,
              'node-b',
            ]);
          }).catch(() => {});
        }
        await sleep(10);
      }
    })();
    cleanups.push(async () => {
      writing = false;
      await writer;
      await b.stop();
    });
    await until(
      'an even split',
      async () => JSON.stringify(await ownersCount(pool)) === JSON.stringify({ 'node-a': 4, 'node-b': 4 }),
      10_000,
    );
    await sleep(300);

    process.kill(child.pid as number, 'SIGSTOP');
    // A node stopped inside a transaction keeps its lease row locked until the server ends the session.
    const bound = Math.max(LEASE_MS, IDLE_IN_TRANSACTION_MS) + LEASE_MS / 5;
    const tookOver = await until(
      'node-b to take every partition',
      async () => (await ownersCount(pool))['node-b'] === PARTITIONS,
      bound + 3_000,
    );
    await sleep(500);
    process.kill(child.pid as number, 'SIGCONT');
    await until('node-a to get its share back', async () => (await ownersCount(pool))['node-a'] === 4, 15_000);
    await sleep(300);
    process.kill(child.pid as number, 'SIGTERM');
    await exited;
    const summary = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as {
      committed: number;
      fenced: number;
      failed: number;
    };
    t.diagnostic(`takeover after ${tookOver} ms; node-a: ${JSON.stringify(summary)}`);

    // Split brain would show as a partition's writes going back to an older token.
    const writes = await pool.query<{ partition: number; token: number; node: string }>(
      'SELECT partition, token, node FROM writes ORDER BY id',
    );
    const latest = new Map<number, number>();
    for (const write of writes.rows) {
      assert.ok(
        write.token >= (latest.get(write.partition) ?? 0),
        `partition ${write.partition}: ${write.node} wrote with token ${write.token} after ${latest.get(write.partition)}`,
      );
      latest.set(write.partition, write.token);
    }
    assert.ok(summary.committed > 0, `node-a wrote before and after its pause (${output})`);
    const nodes = new Set(writes.rows.map((w) => w.node));
    assert.deepEqual([...nodes].sort(), ['node-a', 'node-b'], 'both nodes wrote');
  },
);
