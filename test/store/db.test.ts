import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, sqliteCacheMiB } from '../../src/store/db.ts';

test('the page cache bound comes from NUDGE_SQLITE_CACHE_MIB (64 MiB by default)', () => {
  assert.equal(sqliteCacheMiB({}), 64);
  assert.equal(sqliteCacheMiB({ NUDGE_SQLITE_CACHE_MIB: '16' }), 16);
  for (const bad of ['0', '-5', '1.5', 'lots', '70000']) {
    assert.throws(
      () => sqliteCacheMiB({ NUDGE_SQLITE_CACHE_MIB: bad }),
      /NUDGE_SQLITE_CACHE_MIB must be a whole number of MiB/,
    );
  }
  const db = openDatabase(':memory:');
  assert.equal(db.pragma('cache_size', { simple: true }), -64 * 1024);
  db.close();
});

test('npm start refuses an invalid cache size with a clear message, before opening anything', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      NUDGE_DATA_DIR: dir,
      PORT: '0',
      NUDGE_SQLITE_CACHE_MIB: 'huge',
      OLLAMA_HOST: 'http://127.0.0.1:9',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 2, run.stderr);
  // Fatal JSON log lines on stdout (src/log.ts), every one written before the exit.
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { level: number; msg: string });
  const refusal = lines.find((line) => /NUDGE_SQLITE_CACHE_MIB/.test(line.msg));
  assert.equal(refusal?.level, 60, run.stdout);
  assert.match(refusal.msg, /nudge: NUDGE_SQLITE_CACHE_MIB must be a whole number of MiB from 1 to 65536, got "huge"/);
});
