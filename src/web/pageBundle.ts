/**
 * One esbuild bundler for the browser pages served by Nudge (console, visualizer): each
 * page is built from web/<page>/main.ts into web/dist/<page>.js on demand — rebuilt when
 * the bundle is missing or older than any of its sources — and written atomically, so a
 * fresh clone or an edited source just works and a reader never sees half a file.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../../scripts/build-web.mjs';

export { ROOT };

export interface BuildResult {
  outfile: string;
  bytes: number;
}

export interface PageBundle {
  readonly sourceDir: string;
  readonly outfile: string;
  build(options?: { outfile?: string; minify?: boolean }): Promise<BuildResult>;
  isStale(outfile?: string): boolean;
  /** Builds if stale; concurrent callers share one build. Resolves to the bundle path. */
  ensure(): Promise<string>;
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

/** `extraSources`: modules outside web/<page> the page imports; an edit there must rebuild too. */
export function pageBundle(page: string, extraSources: string[] = []): PageBundle {
  const sourceDir = join(ROOT, 'web', page);
  const defaultOutfile = join(ROOT, 'web', 'dist', `${page}.js`);
  let inFlight: Promise<BuildResult> | null = null;
  const bundle: PageBundle = {
    sourceDir,
    outfile: defaultOutfile,
    async build(options = {}) {
      const outfile = options.outfile ?? defaultOutfile;
      const result = await build({
        entryPoints: [join(sourceDir, 'main.ts')],
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
    },
    isStale(outfile = defaultOutfile) {
      if (!existsSync(outfile)) return true;
      return statSync(outfile).mtimeMs < newestMtime([sourceDir, ...extraSources]);
    },
    async ensure() {
      if (!bundle.isStale()) return defaultOutfile;
      if (!inFlight) {
        inFlight = bundle.build().finally(() => {
          inFlight = null;
        });
      }
      await inFlight;
      return defaultOutfile;
    },
  };
  return bundle;
}
