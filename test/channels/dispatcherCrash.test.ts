/**
 * Crash during dispatch: a child process runs the dispatcher against the fake provider and
 * is SIGKILLed right after the provider accepted a message (before the child could record
 * it), several times per seed. After the final restart every row must be delivered, each
 * idempotency key exactly once at the provider, in order per contact, and none lost.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { build } from 'esbuild';
import type { OutboxRow } from '../../src/channels/dispatcher.ts';
import { startFakeTwilio } from './fakes/fakeTwilio.ts';
import { insertOutbox, tempDb } from './helpers.ts';
import { mulberry32 } from '../../src/random.ts';

const CHILD_SOURCE = fileURLToPath(new URL('./fixtures/dispatchChild.ts', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));
const SEEDS = Number(process.env.CRASH_SEEDS ?? 4);
const ROWS = 18;
const CONTACTS = 3;
const KILLS = 2;
// The child's send timeout is this minus 100 ms and its provider timeout minus 200 ms: at
// 300 ms a loaded CI machine (browser tests alongside) timed sends out until the final run
// hit its guard. 600 ms keeps the test short and leaves room for scheduling delays.
const CLAIM_TIMEOUT_MS = 600;
/** A run that has not finished by then is stuck (a lost row), not slow. */
const RUN_GUARD_MS = 60_000;

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

test(`crash during dispatch: SIGKILL ${KILLS}× per seed, ${SEEDS} seeds → every row delivered exactly once, in order`, async (t) => {
  // Bundled once so each of the many child starts is a plain `node` start (no TS loader).
  const bundleDir = mkdtempSync(join(tmpdir(), 'nudge-crash-child-'));
  t.after(() => rmSync(bundleDir, { recursive: true, force: true }));
  const childJs = join(bundleDir, 'dispatchChild.cjs');
  await build({
    entryPoints: [CHILD_SOURCE],
    outfile: childJs,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['better-sqlite3'],
    logLevel: 'error',
  });

  let random = mulberry32(1);
  const fake = await startFakeTwilio({ latencyMs: () => 5 + Math.floor(random() * 25) });
  const children = new Set<ChildProcess>();
  t.after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await fake.close();
  });
  let staleClaims = 0;

  for (let seed = 1; seed <= SEEDS; seed++) {
    random = mulberry32(seed * 7919);
    const { db, path } = tempDb(t);
    const now = Date.now();
    const keys: string[] = [];
    for (let i = 0; i < ROWS; i++) {
      const key = `s${seed}:c${i % CONTACTS}:${i}`;
      keys.push(key);
      insertOutbox(db, {
        key,
        contactId: `c${i % CONTACTS}`,
        recipient: `+1415555${String(seed).padStart(2, '0')}${i % CONTACTS}0`,
        body: `msg ${i}`,
        nextAttemptAt: now,
      });
    }
    const delivered = () => fake.messages.filter((m) => m.idempotencyToken?.startsWith(`s${seed}:`)).length;

    const run = (): { child: ChildProcess; stderr: () => string } => {
      const child = spawn(
        process.execPath,
        [childJs, path, fake.url, fake.accountSid, fake.authToken, String(CLAIM_TIMEOUT_MS)],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, NODE_PATH: NODE_MODULES },
        },
      );
      children.add(child);
      let err = '';
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      return { child, stderr: () => err };
    };

    let killAt = 0;
    for (let k = 0; k < KILLS; k++) {
      // Kill just after the provider accepted message number `killAt` (of this seed).
      killAt = Math.min(ROWS - 1, delivered() + 1 + Math.floor(random() * 4));
      const { child, stderr } = run();
      const target = killAt;
      fake.onMessage = () => {
        if (delivered() >= target) child.kill('SIGKILL');
      };
      const guard = setTimeout(() => child.kill('SIGKILL'), RUN_GUARD_MS);
      const result = await exited(child);
      clearTimeout(guard);
      fake.onMessage = undefined;
      assert.ok(delivered() >= target, `seed ${seed}: the provider never got message ${target}: ${stderr()}`);
      assert.equal(
        result.signal,
        'SIGKILL',
        `seed ${seed}: child should have been killed mid-run (exit ${result.code}): ${stderr()}`,
      );
      staleClaims += (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sending'").get() as { n: number }).n;
    }

    const { child, stderr } = run();
    // Bounded: a dispatcher that lost a row would never finish.
    const guard = setTimeout(() => child.kill('SIGKILL'), RUN_GUARD_MS);
    const final = await exited(child);
    clearTimeout(guard);
    const how =
      final.signal === 'SIGKILL'
        ? `still running after ${RUN_GUARD_MS} ms, killed`
        : `exit ${final.code}, signal ${final.signal}`;
    assert.equal(final.code, 0, `seed ${seed}: final run failed (${how}): ${stderr()}`);

    const rows = db.prepare('SELECT * FROM outbox ORDER BY id').all() as OutboxRow[];
    assert.deepEqual(
      rows.map((r) => r.status),
      rows.map(() => 'delivered'),
      `seed ${seed}: all delivered`,
    );
    const mine = fake.messages.filter((m) => m.idempotencyToken?.startsWith(`s${seed}:`));
    assert.equal(mine.length, ROWS, `seed ${seed}: exactly one message per row at the provider`);
    assert.deepEqual(new Set(mine.map((m) => m.idempotencyToken)), new Set(keys));
    for (const row of rows) {
      const msg = mine.find((m) => m.idempotencyToken === row.idempotency_key);
      assert.equal(row.provider_id, msg?.sid, `seed ${seed}: row ${row.idempotency_key} records the provider's id`);
    }
    for (let c = 0; c < CONTACTS; c++) {
      const order = mine
        .filter((m) => m.idempotencyToken?.startsWith(`s${seed}:c${c}:`))
        .map((m) => m.idempotencyToken);
      assert.deepEqual(
        order,
        keys.filter((k) => k.startsWith(`s${seed}:c${c}:`)),
        `seed ${seed}: contact c${c} in order`,
      );
    }
    db.close();
  }
  // The scenario must actually have happened: kills that left claimed-but-unrecorded rows.
  assert.ok(staleClaims > 0, 'at least one kill left a row in sending');
  assert.ok(
    fake.requests.some((r) => r.outcome === '201 duplicate'),
    'at least one resend was deduplicated by the provider',
  );
});
