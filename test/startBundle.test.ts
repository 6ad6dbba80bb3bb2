/**
 * `npm start` runs the service from an esbuild bundle (scripts/start.mjs →
 * scripts/buildServer.mjs → dist/server/), rebuilt when a source changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, ensureServerBuilt, serverBuildIsStale } from '../scripts/buildServer.mjs';
import { freePort, startRealServer } from './faults/lib/realServer.ts';

test('the server bundle is rebuilt only when missing, or when a source it was built from changed or vanished', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-bundle-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const outdir = join(dir, 'server');
  assert.equal(serverBuildIsStale({ outdir }), true, 'no bundle yet');

  const { entry, inputs } = await buildServer({ outdir });
  assert.ok(existsSync(entry));
  assert.ok(inputs > 20, `built from the sources (${inputs})`);
  const recorded = JSON.parse(readFileSync(join(outdir, 'inputs.json'), 'utf8')) as string[];
  assert.ok(
    recorded.some((path) => path.endsWith(join('src', 'boot.ts'))),
    'the inputs name the sources',
  );
  assert.equal(serverBuildIsStale({ outdir }), false);
  assert.deepEqual(await ensureServerBuilt({ outdir }), { entry, built: false });

  // Point the recorded inputs at a file of our own, then change it: stale.
  const source = join(dir, 'source.ts');
  writeFileSync(source, 'export {};\n');
  const past = new Date(Date.now() - 60_000);
  utimesSync(source, past, past);
  writeFileSync(join(outdir, 'inputs.json'), JSON.stringify([...recorded, source]));
  assert.equal(serverBuildIsStale({ outdir }), false);
  const future = new Date(Date.now() + 60_000);
  utimesSync(source, future, future);
  assert.equal(serverBuildIsStale({ outdir }), true, 'a source newer than the bundle');
  rmSync(source);
  assert.equal(serverBuildIsStale({ outdir }), true, 'a source that vanished');

  const rebuilt = await ensureServerBuilt({ outdir });
  assert.equal(rebuilt.built, true);
  assert.equal(serverBuildIsStale({ outdir }), false);
});

test('npm start serves from the bundle and reports its start-up milestones', { timeout: 120_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nudge-npmstart-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startRealServer({
    dataDir,
    port: await freePort(),
    adminToken: 'nat_start_test_token_0000000000000',
    launcher: 'npm-start',
    startTimeoutMs: 90_000,
  });
  t.after(() => server.kill9());
  const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
    classifier: { mode: string };
    startup: {
      storeOpenMs: number;
      firstDueKnownMs: number;
      classifierReadyMs: number | null;
      servingMs: number | null;
    };
  };
  assert.equal(health.classifier.mode, 'model');
  const { storeOpenMs, firstDueKnownMs, classifierReadyMs, servingMs } = health.startup;
  assert.ok(storeOpenMs > 0 && storeOpenMs <= firstDueKnownMs, JSON.stringify(health.startup));
  assert.ok(
    classifierReadyMs !== null && servingMs !== null && firstDueKnownMs <= servingMs && classifierReadyMs <= servingMs,
    JSON.stringify(health.startup),
  );
  const widget = await fetch(`${server.url}/widget.js`);
  assert.equal(widget.status, 200, 'browser assets resolve from the bundle too');
  await widget.arrayBuffer();
  const consolePage = await fetch(`${server.url}/console`);
  assert.equal(consolePage.status, 200);
  await consolePage.arrayBuffer();
  // The console reader thread starts from its own bundle entry: a missing or broken one
  // would only show as reads answered on the event loop (or uploads refused), so health
  // must say the thread did.
  const auth = { authorization: 'Bearer nat_start_test_token_0000000000000' };
  const bots = (await (await fetch(`${server.url}/api/bots`, { headers: auth })).json()) as { bots: { id: string }[] };
  const forecast = await fetch(`${server.url}/api/bots/${bots.bots[0].id}/forecast`, { headers: auth });
  assert.equal(forecast.status, 200);
  await forecast.arrayBuffer();
  // So does the visualizer's replay thread, which also loads secure-json-parse from there.
  for (const [body, code] of [
    ['{}', 'invalid_export'],
    ['{"__proto__":{}}', 'invalid_json'],
  ]) {
    const upload = await fetch(`${server.url}/api/viz/import`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body,
    });
    const answer = (await upload.json()) as { error: { code: string } };
    assert.deepEqual([upload.status, answer.error.code], [400, code]);
  }
  type ThreadStats = { answeredByThread: number; answeredOnLoop: number; deaths: number };
  const threads = (await (await fetch(`${server.url}/api/health`)).json()) as {
    consoleReader: ThreadStats;
    vizReplays: ThreadStats;
  };
  for (const [name, reader, answered] of [
    ['consoleReader', threads.consoleReader, 1],
    ['vizReplays', threads.vizReplays, 2],
  ] as const) {
    assert.deepEqual(
      [reader.answeredByThread, reader.answeredOnLoop, reader.deaths],
      [answered, 0, 0],
      `${name}: ${JSON.stringify(reader)}`,
    );
  }
  // Every line it prints is a pino JSON line; the start line reports the milestones.
  const lines = server
    .output()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const banner = lines.find((line) => typeof line.msg === 'string' && line.msg.startsWith('Nudge is running at'));
  assert.ok(
    banner && typeof banner.firstDueKnownMs === 'number' && typeof banner.servingMs === 'number',
    server.output(),
  );
  const exit = await server.stop();
  assert.equal(exit.code, 0, server.output());
  assert.match(server.output(), /"msg":"stopped"/, 'the last line is written before the process exits');
});
