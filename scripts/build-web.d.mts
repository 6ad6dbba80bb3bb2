// Types for scripts/build-web.mjs, so TypeScript callers (the server, tests) can import it.
export declare function findProjectRoot(from?: string): string;
export declare const ROOT: string;
export declare const WIDGET_SOURCE_DIR: string;
export declare const DEFAULT_OUTDIR: string;
export declare function buildWeb(options?: { outdir?: string; minify?: boolean }): Promise<{ outfile: string; bytes: number }>;
export declare function ensureWebBuilt(options?: { outdir?: string; force?: boolean }): Promise<{ outfile: string; built: boolean }>;
