/**
 * The browser pages served by Nudge (console, visualizer): the hashed file named by a
 * fresh web/dist/manifest.json (`npm run build`), else a bundle built from web/<page>/main.ts
 * into web/dist/<page>.js on demand — rebuilt when missing or older than any of its sources —
 * and written atomically. esbuild is loaded only to build (scripts/buildWeb.mjs), so a
 * production install without dev dependencies serves the manifest's files.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundlePage, DEFAULT_OUTDIR, freshManifest, ROOT, type PageName } from '../../scripts/buildWeb.mjs';

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
  /** The manifest's file, or a build if stale; concurrent callers share one build. Resolves to the bundle path. */
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

/** The hashed file of `page` in a fresh manifest (`npm run build`), or null. */
export function builtPageFile(page: PageName): string | null {
  const entry = freshManifest(DEFAULT_OUTDIR)?.pages[page];
  return entry ? join(DEFAULT_OUTDIR, entry.file) : null;
}

/** `extraSources`: modules outside web/<page> the page imports; an edit there must rebuild too. */
export function pageBundle(page: 'console' | 'viz', extraSources: string[] = []): PageBundle {
  const sourceDir = join(ROOT, 'web', page);
  const defaultOutfile = join(DEFAULT_OUTDIR, `${page}.js`);
  let inFlight: Promise<BuildResult> | null = null;
  const bundle: PageBundle = {
    sourceDir,
    outfile: defaultOutfile,
    async build(options = {}) {
      const outfile = options.outfile ?? defaultOutfile;
      const { contents } = await bundlePage(page, { minify: options.minify ?? true });
      mkdirSync(dirname(outfile), { recursive: true });
      const tmp = `${outfile}.${process.pid}.${Date.now()}.tmp`;
      writeFileSync(tmp, contents);
      renameSync(tmp, outfile);
      return { outfile, bytes: contents.length };
    },
    isStale(outfile = defaultOutfile) {
      if (!existsSync(outfile)) return true;
      return statSync(outfile).mtimeMs < newestMtime([sourceDir, ...extraSources]);
    },
    async ensure() {
      const built = builtPageFile(page);
      if (built) return built;
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
