/**
 * One writer per data dir (issue 25, fault 1): a second real server on the same
 * NUDGE_DATA_DIR used to start without a word, and its cached actors undid the first's
 * writes (an operator's STOP overwritten by `busy`). Now the second start fails at once,
 * naming the other process and the directory; a SIGKILLed holder never leaves the lock behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort, startRealServer } from '../faults/lib/realServer.ts';

test(
  'a second server on the same data dir refuses to start, naming the running one; a killed holder frees the dir',
  { timeout: 300_000 },
  async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nudge-onewriter-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startRealServer({
      dataDir,
      port: await freePort(),
      adminToken: 'tok-one',
      startTimeoutMs: 90_000,
    });
    t.after(() => first.kill9());

    const started = Date.now();
    await assert.rejects(
      startRealServer({ dataDir, port: await freePort(), adminToken: 'tok-one', startTimeoutMs: 90_000 }),
      (error: Error) => {
        assert.match(error.message, /exited during start/, 'it exits, never listening');
        assert.match(error.message, /in use by another Nudge process/);
        assert.ok(error.message.includes(`pid ${first.pid}`), error.message);
        assert.ok(error.message.includes(dataDir), error.message);
        return true;
      },
    );
    assert.ok(Date.now() - started < 60_000, 'the second start failed at once, not after a timeout');
    // The first server is untouched and still serving.
    assert.equal((await fetch(`${first.url}/api/health`)).status, 200);

    // SIGKILL: the kernel drops the lock with the process, so the next start succeeds.
    await first.kill9();
    const third = await startRealServer({
      dataDir,
      port: await freePort(),
      adminToken: 'tok-one',
      startTimeoutMs: 90_000,
    });
    t.after(() => third.kill9());
    assert.equal((await fetch(`${third.url}/api/health`)).status, 200);
  },
);
