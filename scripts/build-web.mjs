#!/usr/bin/env node
// Bundles the browser code (the chat widget) with esbuild into web/dist/.
//   node scripts/build-web.mjs            build (minified)
//   node scripts/build-web.mjs --dev      build unminified
// The server imports ensureWebBuilt() to build lazily at start when web/dist is missing
// or older than its sources, so `npm start` works on a fresh clone.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
const ENTRY = join(WIDGET_SOURCE_DIR, 'widget.ts');

/** Builds web/dist/widget.js (or `outdir`/widget.js). Writes atomically so a reader never sees half a file. */
export async function buildWeb({ outdir = DEFAULT_OUTDIR, minify = true } = {}) {
  const outfile = join(outdir, 'widget.js');
  // Loaded on demand: `npm start` checks bundles on every start and rarely builds.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome91', 'firefox90', 'safari15'],
    minify,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    outfile,
    logLevel: 'silent',
  });
  const file = result.outputFiles.find((f) => f.path === outfile) ?? result.outputFiles[0];
  mkdirSync(outdir, { recursive: true });
  const tmp = `${outfile}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, outfile);
  return { outfile, bytes: file.contents.length };
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
 * Builds unless `outdir`/widget.js exists and is newer than every widget source.
 * Concurrent callers in one process share one build.
 */
export function ensureWebBuilt({ outdir = DEFAULT_OUTDIR, force = false } = {}) {
  const outfile = join(outdir, 'widget.js');
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
  buildWeb({ minify: !dev }).then(
    ({ outfile, bytes }) => console.log(`built ${outfile} (${bytes} bytes)`),
    (err) => {
      console.error(err.message ?? err);
      process.exit(1);
    },
  );
}
