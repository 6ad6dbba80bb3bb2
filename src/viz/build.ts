/**
 * Bundles the visualizer page (web/viz/*.ts) with esbuild into web/dist/viz.js. The routes
 * call `ensureVizBundle()` on demand: it rebuilds when the bundle is missing or older than
 * any of its sources, so a fresh clone or an edited source just works.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VIZ_SOURCE_DIR = join(ROOT, 'web', 'viz');
export const VIZ_OUTFILE = join(ROOT, 'web', 'dist', 'viz.js');
/** The page imports these types; an edit there must rebuild too. */
const EXTRA_SOURCES = [join(ROOT, 'src', 'viz', 'types.ts')];

export interface BuildResult {
  outfile: string;
  bytes: number;
}

/** Builds the bundle now. Written atomically, so a reader never sees half a file. */
export async function buildVizBundle(options: { outfile?: string; minify?: boolean } = {}): Promise<BuildResult> {
  const outfile = options.outfile ?? VIZ_OUTFILE;
  const result = await build({
    entryPoints: [join(VIZ_SOURCE_DIR, 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    outfile,
    logLevel: 'silent',
  });
  const file = result.outputFiles.find((f) => f.path === outfile) ?? result.outputFiles[0];
  mkdirSync(dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, outfile);
  return { outfile, bytes: file.contents.length };
}

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(readdirSync(path).map((n) => join(path, n))) : st.mtimeMs);
  }
  return newest;
}

/** True when the bundle is missing or older than a source file. */
export function vizBundleIsStale(outfile = VIZ_OUTFILE): boolean {
  if (!existsSync(outfile)) return true;
  return statSync(outfile).mtimeMs < newestMtime([VIZ_SOURCE_DIR, ...EXTRA_SOURCES]);
}

let inFlight: Promise<BuildResult | null> | null = null;

/** Builds if stale; concurrent callers share one build. Resolves to the bundle path. */
export async function ensureVizBundle(): Promise<string> {
  if (!vizBundleIsStale()) return VIZ_OUTFILE;
  if (!inFlight) {
    inFlight = buildVizBundle().finally(() => {
      inFlight = null;
    });
  }
  await inFlight;
  return VIZ_OUTFILE;
}
