// Types for scripts/buildWeb.mjs, so TypeScript callers (the server, tests) can import it.
export declare function findProjectRoot(from?: string): string;
export declare const ROOT: string;
export declare const WIDGET_SOURCE_DIR: string;
export declare const DEFAULT_OUTDIR: string;
export declare function buildWeb(options?: {
  outdir?: string;
  minify?: boolean;
}): Promise<{ outfile: string; bytes: number }>;
export declare function ensureWebBuilt(options?: {
  outdir?: string;
  force?: boolean;
}): Promise<{ outfile: string; built: boolean }>;
export declare const MANIFEST: string;
export type PageName = 'widget' | 'console' | 'viz';
export declare const PAGES: Record<PageName, { entry: string; target: string[] }>;
/** What `npm run build` wrote: each page's hashed file, and the sources they came from (relative to ROOT). */
export interface AssetManifest {
  builtAt: string;
  pages: Record<PageName, { file: string; bytes: number }>;
  inputs: string[];
}
export declare function bundlePage(
  page: PageName,
  options?: { minify?: boolean },
): Promise<{ contents: Uint8Array; inputs: string[] }>;
export declare function buildAssets(options?: { outdir?: string }): Promise<AssetManifest>;
export declare function freshManifest(outdir?: string): AssetManifest | null;
