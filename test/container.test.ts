/**
 * The container image, without a container engine: the Dockerfile's runtime stage is read
 * and replayed — its COPY lines assemble an install in a temp dir (the build stage's
 * outputs produced the same way: `npm run build`, production modules only), its CMD starts
 * the service with its ENV, and its HEALTHCHECK command must pass. The image's promises
 * (multi-stage, non-root, data on a volume) are checked on the file itself.
 * scripts/container-build-steps.sh runs the build stage's own commands (npm ci…) when the
 * npm registry is reachable.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { buildServer } from '../scripts/buildServer.mjs';
import { buildAssets, ROOT } from '../scripts/buildWeb.mjs';
import { linkProductionModules } from './helpers/prodInstall.ts';

interface Stage {
  from: string;
  name: string | null;
  instructions: { op: string; args: string }[];
}

/** The Dockerfile's stages, with continuation lines joined and comments dropped. */
function stages(dockerfile: string): Stage[] {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const out: Stage[] = [];
  for (const line of lines) {
    const [, op, args] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (op === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      out.push({ from: image, name: name ?? null, instructions: [] });
    } else if (op) out.at(-1)?.instructions.push({ op, args });
  }
  return out;
}

/** `ENV A=1 B=2` pairs. */
function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((i) => i.op === 'ENV'))
    for (const [, k, v] of args.matchAll(/(\w+)=(\S+)/g)) env[k] = v;
  return env;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

test('the Dockerfile is multi-stage, runs as a non-root user with its data on a volume, and checks /api/health', () => {
  const all = stages(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  assert.ok(all.length >= 2, 'a build stage and a runtime stage');
  const runtime = all.at(-1)!;
  const op = (name: string) => runtime.instructions.filter((i) => i.op === name).map((i) => i.args);
  assert.deepEqual(op('USER'), ['node']);
  assert.equal(envOf(runtime).NUDGE_DATA_DIR, '/data');
  assert.deepEqual(op('VOLUME'), ['/data']);
  assert.match(op('HEALTHCHECK')[0], /\/api\/health/);
  assert.ok(
    op('COPY').every((args) => args.startsWith('--from=build ')),
    'the runtime stage takes only the build stage’s outputs',
  );
  const build = all[0];
  assert.ok(
    build.instructions.some(
      (i) => i.op === 'RUN' && /npm run build/.test(i.args) && /npm prune --omit=dev/.test(i.args),
    ),
  );
  const compose = readFileSync(join(ROOT, 'compose.yaml'), 'utf8');
  assert.match(compose, /nudge-data:\/data/);
  assert.match(
    compose,
    /ollama:\n\s+image: ollama\/ollama[^\n]*\n\s+profiles: \["ollama"\]/,
    'Ollama is optional (a profile)',
  );
});

test(
  'the runtime stage, assembled from its COPY lines, starts with its CMD and passes its HEALTHCHECK',
  { timeout: 120_000 },
  async (t) => {
    const runtime = stages(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).at(-1)!;
    const workdir = runtime.instructions.find((i) => i.op === 'WORKDIR')!.args;
    const dir = mkdtempSync(join(tmpdir(), 'nudge-image-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const app = join(dir, 'app');
    mkdirSync(app);
    for (const { args } of runtime.instructions.filter((i) => i.op === 'COPY')) {
      const parts = args.replace(/^--from=\S+\s+/, '').split(/\s+/);
      const dest = join(app, parts.pop()!);
      for (const source of parts) {
        const relative = source.slice(`${workdir}/`.length);
        const target = dest.endsWith('/') || parts.length > 1 ? join(dest, basename(relative)) : dest;
        // What the build stage made: `npm run build`, then `npm prune --omit=dev`.
        if (relative === 'node_modules') linkProductionModules(app);
        else if (relative === 'dist') await buildServer({ outdir: join(target, 'server') });
        else if (relative === 'web/dist') await buildAssets({ outdir: target });
        else cpSync(join(ROOT, relative), target, { recursive: true });
      }
    }

    const cmd = JSON.parse(runtime.instructions.find((i) => i.op === 'CMD')!.args) as string[];
    const health = JSON.parse(
      runtime.instructions.find((i) => i.op === 'HEALTHCHECK')!.args.replace(/^.*?CMD\s+/, ''),
    ) as string[];
    const port = String(await freePort());
    // Loopback only here (the image listens on 0.0.0.0 inside its own network namespace).
    const env = {
      PATH: process.env.PATH,
      ...envOf(runtime),
      HOST: '127.0.0.1',
      PORT: port,
      NUDGE_DATA_DIR: join(dir, 'data'),
      OLLAMA_HOST: 'http://127.0.0.1:9',
    };
    assert.equal(cmd[0], 'node');
    const child = spawn(process.execPath, cmd.slice(1), { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    t.after(() => child.kill('SIGKILL'));

    let healthy = false;
    for (let attempt = 0; attempt < 120 && !healthy && child.exitCode === null; attempt++) {
      const check = spawnSync(process.execPath, health.slice(1), { cwd: app, env, encoding: 'utf8' });
      healthy = check.status === 0;
      if (!healthy) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.ok(healthy, `the health check never passed: ${output}`);
    const page = await fetch(`http://127.0.0.1:${port}/console`);
    assert.match(await page.text(), /src="\/assets\/console-[0-9a-f]{12}\.js"/);
  },
);
