/**
 * Strict configuration (issue 25, fault 5): `NUDGE_SQLITE_SYNC=ful` (or `full`) ran as
 * NORMAL without a word, `NUDGE_DATA_DIR=""` wrote into the working directory, and a bad
 * PORT, HOST or half-set Twilio settings were refused only after the database had been
 * created and migrated. Now the environment is one schema, checked before anything touches
 * the disk, and every invalid value is named with what it accepts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseEnvironment } from '../../src/config/env.ts';
import { npmScriptNodeFlags, REPO_ROOT } from '../faults/lib/realServer.ts';

/** `npm run start:dev` with exactly this environment (nothing inherited that configures Nudge). */
function runMain(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(NUDGE_|TWILIO_|META_|WHATSAPP_|OLLAMA_|PORT$|HOST$)/.test(key)) base[key] = value;
  const child = spawn(
    process.execPath,
    [...npmScriptNodeFlags('start:dev', 'src/main.ts'), join(REPO_ROOT, 'src', 'main.ts'), ...args],
    {
      cwd: REPO_ROOT,
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

test(
  'the real server refuses every invalid setting at once, naming it and what it accepts, before creating the data dir',
  { timeout: 90_000 },
  async (t) => {
    const parent = mkdtempSync(join(tmpdir(), 'nudge-env-'));
    t.after(() => rmSync(parent, { recursive: true, force: true }));
    const dataDir = join(parent, 'data');
    const run = await runMain({
      NUDGE_DATA_DIR: dataDir,
      NUDGE_SQLITE_SYNC: 'ful',
      NUDGE_SQLITE_CHECKPOINT: 'inlined',
      PORT: '70000',
      HOST: 'not a host',
      TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
    });
    // The refusal goes through the logger (JSON lines on stdout).
    const said = run.stdout + run.stderr;
    assert.equal(run.code, 2, said);
    assert.match(said, /NUDGE_SQLITE_SYNC must be one of NORMAL, FULL, got \\"ful\\"/);
    assert.match(said, /NUDGE_SQLITE_CHECKPOINT must be one of background, inline, got \\"inlined\\"/);
    assert.match(said, /PORT must be a whole number from 0 to 65535/);
    assert.match(said, /HOST must be an IP address/);
    assert.match(said, /Twilio SMS provider needs TWILIO_AUTH_TOKEN, TWILIO_FROM/);
    assert.equal(existsSync(dataDir), false, 'nothing was written');
  },
);

test(
  '--check-config prints the effective settings with secrets masked, and exits without touching the disk',
  { timeout: 90_000 },
  async (t) => {
    const parent = mkdtempSync(join(tmpdir(), 'nudge-env-'));
    t.after(() => rmSync(parent, { recursive: true, force: true }));
    const dataDir = join(parent, 'data');
    const run = await runMain(
      { NUDGE_DATA_DIR: dataDir, NUDGE_ADMIN_TOKEN: 'nat_do_not_print_me', NUDGE_SQLITE_SYNC: 'full', PORT: '4100' },
      ['--check-config'],
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^PORT=4100$/m);
    assert.match(
      run.stdout,
      /^NUDGE_SQLITE_SYNC=FULL$/m,
      'the lower-case spelling is taken, and shown as the mode it runs',
    );
    assert.match(run.stdout, new RegExp(`^NUDGE_DATA_DIR=${dataDir}$`, 'm'));
    assert.match(run.stdout, /^NUDGE_ADMIN_TOKEN=\*+ \(set\)$/m);
    assert.doesNotMatch(run.stdout, /do_not_print_me/);
    assert.match(run.stdout, /^NUDGE_TRUST_PROXY=\(unset\)$/m, 'unset settings are listed too');
    assert.equal(existsSync(dataDir), false);
  },
);

test('each setting refuses a bad value with its name and accepted values, and blank means default', () => {
  const bad: [Record<string, string>, RegExp][] = [
    [{ NUDGE_SQLITE_SYNC: 'ful' }, /NUDGE_SQLITE_SYNC must be one of NORMAL, FULL/],
    [{ NUDGE_SQLITE_CHECKPOINT: 'off' }, /NUDGE_SQLITE_CHECKPOINT must be one of background, inline/],
    [{ NUDGE_DATA_DIR: '' }, /NUDGE_DATA_DIR must be a directory path/],
    [{ NUDGE_DATA_DIR: '   ' }, /NUDGE_DATA_DIR must be a directory path/],
    [{ PORT: '-1' }, /PORT must be a whole number from 0 to 65535/],
    [{ PORT: '3000abc' }, /PORT must be a whole number/],
    [{ HOST: 'http://0.0.0.0' }, /HOST must be an IP address/],
    [{ OLLAMA_HOST: 'localhost:11434' }, /OLLAMA_HOST must be an http\(s\) URL/],
    [{ OLLAMA_TIMEOUT_MS: '2.5s' }, /OLLAMA_TIMEOUT_MS must be a whole number/],
    [{ NUDGE_MIN_DELAY_SECONDS: '120' }, /NUDGE_MIN_DELAY_SECONDS may only lower/],
    [{ NUDGE_SQLITE_CACHE_MIB: '0' }, /NUDGE_SQLITE_CACHE_MIB must be a whole number of MiB/],
    [{ NUDGE_CLASSIFY_THREADS: 'many' }, /NUDGE_CLASSIFY_THREADS must be a whole number/],
    [{ NUDGE_HEAP_GROWING_PERCENT: '999' }, /NUDGE_HEAP_GROWING_PERCENT must be a whole number/],
    [{ NUDGE_OUTBOUND_ALLOW: 'http://x' }, /NUDGE_OUTBOUND_ALLOW: "http:\/\/x" is not a host name/],
    [{ TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't' }, /needs TWILIO_FROM/],
    [{ META_APP_SECRET: 's' }, /need both META_APP_SECRET and META_VERIFY_TOKEN/],
  ];
  for (const [env, message] of bad) {
    const parsed = parseEnvironment(env);
    assert.equal(parsed.ok, false, JSON.stringify(env));
    assert.match((parsed as { errors: string[] }).errors.join('\n'), message, JSON.stringify(env));
  }
  const defaults = parseEnvironment({ PORT: '', NUDGE_SQLITE_SYNC: ' ', OLLAMA_HOST: '' });
  assert.ok(defaults.ok);
  assert.equal(defaults.env.PORT, 3000);
  assert.equal(defaults.env.NUDGE_SQLITE_SYNC, 'NORMAL');
  assert.equal(defaults.env.OLLAMA_HOST, 'http://127.0.0.1:11434');
});
