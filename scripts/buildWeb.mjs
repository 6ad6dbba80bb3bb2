#!/usr/bin/env node
// Bundles the browser code with esbuild into web/dist/: the chat widget, the operator
// console and the visualizer.
//   node scripts/buildWeb.mjs            build every page, minified, with hashed file names
//                                         and web/dist/manifest.json (what `npm run build` runs)
//   node scripts/buildWeb.mjs --dev      the widget only, unminified, as web/dist/widget.js
// With a manifest newer than every source it was built from, the server serves the hashed
// files and never loads esbuild (a dev dependency); without one (a working tree), it builds
// a page on its first request (ensureWebBuilt, src/web/pageBundle.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The project directory: the nearest ancestor holding package.json. Found by walking up
 * rather than by a fixed '..', so the same code works from scripts/, from src/ run by tsx
 * and from the production bundle in dist/ (where esbuild has inlined this module).
 */
export function findProjectRoot(from = dirname(fileURLToPath(import.meta.url))) {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const ROOT = findProjectRoot();
export const WIDGET_SOURCE_DIR = join(ROOT, 'web', 'widget');
export const DEFAULT_OUTDIR = join(ROOT, 'web', 'dist');
export const MANIFEST = 'manifest.json';

/** The browser pages: entry and the browsers each supports (the widget runs on customers' sites). */
export const PAGES = {
  widget: { entry: join(ROOT, 'web', 'widget', 'widget.ts'), target: ['es2020', 'chrome91', 'firefox90', 'safari15'] },
  console: {
    entry: join(ROOT, 'web', 'console', 'main.ts'),
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  },
  viz: { entry: join(ROOT, 'web', 'viz', 'main.ts'), target: ['es2020', 'chrome100', 'firefox100', 'safari15'] },
};

/** One page bundled in memory: its code and the source files it was built from. */
export async function bundlePage(page, { minify = true } = {}) {
  const spec = PAGES[page];
  if (!spec) throw new Error(`no browser page ${page}`);
  // Loaded on demand: a production install has no esbuild, and needs none with a manifest.
  let build;
  try {
    ({ build } = await import('esbuild'));
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(
      `the ${page} bundle is missing or older than its sources (web/dist/manifest.json), and esbuild, a dev dependency, is not installed: run \`npm run build\` where dev dependencies are installed`,
    );
  }
  const result = await build({
    entryPoints: [spec.entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: spec.target,
    minify,
    sourcemap: false,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    outfile: join(DEFAULT_OUTDIR, `${page}.js`),
    metafile: true,
    logLevel: 'silent',
  });
  return {
    contents: result.outputFiles[0].contents,
    inputs: Object.keys(result.metafile.inputs).map((input) => resolve(ROOT, input)),
  };
}

/** Writes `contents` to `file` atomically, so a reader never sees half a file. */
function writeAtomically(file, contents) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

/** Builds web/dist/widget.js (or `outdir`/widget.js), unhashed: the on-demand path. */
export async function buildWeb({ outdir = DEFAULT_OUTDIR, minify = true } = {}) {
  const outfile = join(outdir, 'widget.js');
  const { contents } = await bundlePage('widget', { minify });
  writeAtomically(outfile, contents);
  return { outfile, bytes: contents.length };
}

/**
 * Builds every page as `<page>-<hash>.js` (content hash: a changed page gets a new name,
 * so browsers may cache each file forever) and writes the manifest last, naming them with
 * the sources they came from. Files of earlier builds are removed.
 */
export async function buildAssets({ outdir = DEFAULT_OUTDIR } = {}) {
  const manifest = { builtAt: new Date().toISOString(), pages: {}, inputs: [] };
  const inputs = new Set();
  for (const page of Object.keys(PAGES)) {
    const { contents, inputs: used } = await bundlePage(page);
    const hash = createHash('sha256').update(contents).digest('hex').slice(0, 12);
    const name = `${page}-${hash}.js`;
    writeAtomically(join(outdir, name), contents);
    manifest.pages[page] = { file: name, bytes: contents.length };
    for (const input of used) inputs.add(relative(ROOT, input));
  }
  manifest.inputs = [...inputs].sort();
  const keep = new Set([MANIFEST, ...Object.values(manifest.pages).map((p) => p.file)]);
  writeAtomically(join(outdir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const name of readdirSync(outdir)) {
    if (/^(widget|console|viz)-[0-9a-f]{12}\.js$/.test(name) && !keep.has(name))
      rmSync(join(outdir, name), { force: true });
  }
  return manifest;
}

/**
 * The manifest of `outdir`, or null when there is none or a source it names changed since.
 * An install without sources (a container's runtime stage) has nothing to compare: the
 * manifest stands.
 */
export function freshManifest(outdir = DEFAULT_OUTDIR) {
  let manifest;
  let builtAt;
  try {
    const file = join(outdir, MANIFEST);
    builtAt = statSync(file).mtimeMs;
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (!existsSync(join(ROOT, 'web', 'widget'))) return manifest;
  for (const input of manifest.inputs ?? []) {
    try {
      if (statSync(join(ROOT, input)).mtimeMs > builtAt) return null;
    } catch {
      return null;
    }
  }
  return manifest;
}

function newestSourceMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestSourceMtime(path) : st.mtimeMs);
  }
  return newest;
}

const inFlight = new Map();

/**
 * The widget's file: the hashed one of a fresh manifest; else `outdir`/widget.js, built
 * unless it exists and is newer than every widget source. Concurrent callers in one
 * process share one build.
 */
export function ensureWebBuilt({ outdir = DEFAULT_OUTDIR, force = false } = {}) {
  const outfile = join(outdir, 'widget.js');
  const built = force ? null : freshManifest(outdir)?.pages?.widget;
  if (built) return Promise.resolve({ outfile: join(outdir, built.file), built: false });
  if (!force) {
    try {
      if (statSync(outfile).mtimeMs >= newestSourceMtime(WIDGET_SOURCE_DIR)) {
        return Promise.resolve({ outfile, built: false });
      }
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
    }
  }
  let pending = inFlight.get(outfile);
  if (!pending) {
    pending = buildWeb({ outdir })
      .then(() => ({ outfile, built: true }))
      .finally(() => inFlight.delete(outfile));
    inFlight.set(outfile, pending);
  }
  return pending;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dev = process.argv.includes('--dev');
  const done = dev
    ? buildWeb({ minify: false }).then(({ outfile, bytes }) => `built ${outfile} (${bytes} bytes)`)
    : buildAssets().then((m) =>
        Object.values(m.pages)
          .map((p) => `built web/dist/${p.file} (${p.bytes} bytes)`)
          .join('\n'),
      );
  done.then(
    (lines) => console.log(lines),
    (err) => {
      console.error(err.message ?? err);
      process.exit(1);
    },
  );
}
