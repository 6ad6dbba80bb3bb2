/**
 * A complete build: `npm run build` writes every server and browser bundle, the browser ones
 * under content-hashed names with a manifest, and the service then runs from them in an
 * install without dev dependencies (no esbuild, no tsx, no sources, nothing written to the
 * code folder), serving hashed assets as immutable and compressed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildServer } from '../scripts/buildServer.mjs';
import { buildAssets, ROOT } from '../scripts/buildWeb.mjs';
import { linkProductionModules } from './helpers/prodInstall.ts';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Bare module specifiers a bundle file imports (static and dynamic). */
function importsOf(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"'./][^"']*)["']/g))
    found.add(match[1]);
  // Only what can be a package name (the regex also meets prose inside strings).
  return [...found].filter(
    (name) => !name.startsWith('node:') && /^(@[a-z0-9._-]+\/)?[a-z0-9._-]+(\/[A-Za-z0-9._/-]+)?$/.test(name),
  );
}

const packageOf = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];

test('esbuild and tsx are dev dependencies, and the server bundle imports only production dependencies', async (t) => {
  assert.ok(pkg.devDependencies.esbuild && pkg.devDependencies.tsx);
  assert.equal(pkg.dependencies.esbuild ?? pkg.dependencies.tsx, undefined);
  const dir = mkdtempSync(join(tmpdir(), 'nudge-build-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await buildServer({ outdir: join(dir, 'server') });
  const files = readdirSync(join(dir, 'server'), { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.mjs'));
  assert.ok(files.includes('main.mjs') && files.includes('ops.mjs'));
  const imported = new Set(
    files.flatMap((file) => importsOf(readFileSync(join(dir, 'server', file), 'utf8'))).map(packageOf),
  );
  const allowedOnDemand = new Set(['esbuild', 'tsx']); // loaded only to build, or for .ts workers (see below)
  const outside = [...imported].filter((name) => !pkg.dependencies[name] && !allowedOnDemand.has(name));
  assert.deepEqual(outside, [], 'every package the bundle imports is a production dependency');
});

test('the browser bundles get content-hashed names and a manifest of their sources', async (t) => {
  const outdir = mkdtempSync(join(tmpdir(), 'nudge-assets-'));
  t.after(() => rmSync(outdir, { recursive: true, force: true }));
  const manifest = await buildAssets({ outdir });
  assert.deepEqual(Object.keys(manifest.pages).sort(), ['console', 'viz', 'widget']);
  for (const [page, { file }] of Object.entries(manifest.pages))
    assert.match(file, new RegExp(`^${page}-[0-9a-f]{12}\\.js$`));
  assert.ok(manifest.inputs.includes('web/widget/widget.ts') && manifest.inputs.includes('web/console/main.ts'));
  const again = await buildAssets({ outdir });
  assert.deepEqual(again.pages, manifest.pages, 'same sources, same names');
});

test(
  'built, the service starts without dev dependencies or sources and serves hashed assets immutable and compressed',
  { timeout: 120_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'nudge-prod-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    // The install a container's runtime stage holds: package files, production node_modules,
    // the bundles, the pages' HTML and CSS, the classifier's model; no src/, no web/*.ts.
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    linkProductionModules(dir);
    await buildServer({ outdir: join(dir, 'dist', 'server') });
    await buildAssets({ outdir: join(dir, 'web', 'dist') });
    for (const file of [
      'web/demo/index.html',
      'web/console/index.html',
      'web/console/console.css',
      'web/viz/index.html',
      'web/viz/viz.css',
    ]) {
      cpSync(join(ROOT, file), join(dir, file));
    }
    cpSync(join(ROOT, 'data', 'model'), join(dir, 'data', 'model'), { recursive: true });

    const state = join(dir, 'state');
    const child = spawn(process.execPath, ['dist/server/main.mjs'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        NUDGE_DATA_DIR: state,
        PORT: '0',
        NUDGE_ADMIN_TOKEN: 'nat_build_test_token_000000000000',
        OLLAMA_HOST: 'http://127.0.0.1:9',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line: ${output}`)), 90_000);
      child.stdout.on('data', () => {
        const line = output.split('\n').find((l) => l.includes('Nudge is running at'));
        if (line) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { url: string }).url);
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });

    assert.equal((await fetch(`${url}/api/health`)).status, 200);
    const consolePage = await (await fetch(`${url}/console`)).text();
    const script = /src="(\/assets\/console-[0-9a-f]{12}\.js)"/.exec(consolePage)?.[1];
    assert.ok(script, 'the console page loads its hashed bundle');
    const asset = await fetch(`${url}${script}`, { headers: { 'accept-encoding': 'br' } });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(asset.headers.get('content-encoding'), 'br');
    const body = Buffer.from(await asset.arrayBuffer());
    assert.ok(body.length > 10_000);
    const widget = await fetch(`${url}/widget.js`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(widget.status, 200);
    assert.equal(widget.headers.get('content-encoding'), 'gzip');
    assert.equal((await fetch(`${url}/assets/..%2Fpackage.json`)).status, 404, 'only the manifest names are served');
    const viz = await (await fetch(`${url}/viz`)).text();
    assert.match(viz, /src="\/assets\/viz-[0-9a-f]{12}\.js"/);
    assert.deepEqual(
      readdirSync(join(dir, 'web', 'dist')).filter(
        (name) => !/^(widget|console|viz)-[0-9a-f]{12}\.js$|^manifest\.json$/.test(name),
      ),
      [],
      'nothing built at run time',
    );
  },
);
