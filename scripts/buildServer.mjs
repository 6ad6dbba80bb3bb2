#!/usr/bin/env node
// Bundles the service (src/main.ts and what it imports) with esbuild into dist/server/, the
// way `npm start` runs it: plain node, no TypeScript loader. Packages stay external (they
// load from node_modules); the dynamic imports stay separate chunks, so start-up loads the
// durable core before the HTTP side and the classifier (src/boot.ts).
//   node scripts/buildServer.mjs         build
// Why: with the tsx loader a restart spent ~1 s compiling TypeScript before it knew its next
// due follow-up; the bundle starts in a few hundred ms (docs/benchmarks.md, start-up).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './buildWeb.mjs';

export const SERVER_OUTDIR = join(ROOT, 'dist', 'server');
/** The source files of the last build (esbuild's metafile inputs), for the staleness check. */
const INPUTS_FILE = 'inputs.json';

/**
 * Builds into a fresh directory next to the target and renames it into place, so a process
 * starting meanwhile sees either the old bundle or the new one, never a mix of chunks.
 */
export async function buildServer({ outdir = SERVER_OUTDIR } = {}) {
  const staging = `${outdir}.${process.pid}.${Date.now()}.tmp`;
  try {
    // Loaded on demand: `npm start` checks bundles on every start and rarely builds, and a
    // production install (npm ci --omit=dev) has no esbuild.
    let build;
    try {
      ({ build } = await import('esbuild'));
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
      throw new Error(
        'the service bundle (dist/server/) is missing or older than its sources, and esbuild, a dev dependency, is not installed: run `npm run build` where dev dependencies are installed (npm install), then start again',
      );
    }
    const result = await build({
      absWorkingDir: ROOT,
      // Worker threads are entries of their own: a Worker loads each by file (src/workerThreads.ts).
      entryPoints: {
        main: join(ROOT, 'src', 'main.ts'),
        // `npm run backup` / `npm run restore` (scripts/ops.mjs).
        ops: join(ROOT, 'src', 'opsCli.ts'),
        'classify-worker': join(ROOT, 'src', 'classify', 'rulesWorker.ts'),
        'console-reader-worker': join(ROOT, 'src', 'readers', 'consoleReaderWorker.ts'),
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      splitting: true,
      outdir: staging,
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunks/[name]-[hash]',
      sourcemap: true,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs).map((input) => resolve(ROOT, input));
    writeFileSync(join(staging, INPUTS_FILE), JSON.stringify(inputs));
    mkdirSync(join(outdir, '..'), { recursive: true });
    const old = `${outdir}.${process.pid}.${Date.now()}.old`;
    let moved = false;
    try {
      renameSync(outdir, old);
      moved = true;
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    try {
      renameSync(staging, outdir);
    } catch (error) {
      // Another process built the same sources and renamed its bundle in first: use that one.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    }
    if (moved) rmSync(old, { recursive: true, force: true });
    return { entry: join(outdir, 'main.mjs'), inputs: inputs.length };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * True when there is no bundle, or a source it was built from changed or vanished since.
 * An install without sources (no src/: a container's runtime stage) runs the bundle it has.
 */
export function serverBuildIsStale({ outdir = SERVER_OUTDIR } = {}) {
  let builtAt;
  let inputs;
  try {
    builtAt = statSync(join(outdir, 'main.mjs')).mtimeMs;
    inputs = JSON.parse(readFileSync(join(outdir, INPUTS_FILE), 'utf8'));
  } catch {
    return true;
  }
  if (!existsSync(join(ROOT, 'src'))) return false;
  for (const input of inputs) {
    try {
      if (statSync(input).mtimeMs > builtAt) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/** Builds unless the bundle is fresh. Resolves to the entry to import. */
export async function ensureServerBuilt({ outdir = SERVER_OUTDIR, force = false } = {}) {
  const entry = join(outdir, 'main.mjs');
  if (!force && !serverBuildIsStale({ outdir })) return { entry, built: false };
  await buildServer({ outdir });
  return { entry, built: true };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildServer().then(
    ({ entry, inputs }) => console.log(`built ${entry} from ${inputs} sources`),
    (err) => {
      console.error(err.message ?? err);
      process.exit(1);
    },
  );
}
