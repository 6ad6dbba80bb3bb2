// Types for scripts/buildServer.mjs, so TypeScript callers (benchmarks, tests) can import it.
export declare const SERVER_OUTDIR: string;
export declare function buildServer(options?: { outdir?: string }): Promise<{ entry: string; inputs: number }>;
export declare function serverBuildIsStale(options?: { outdir?: string }): boolean;
export declare function ensureServerBuilt(options?: {
  outdir?: string;
  force?: boolean;
}): Promise<{ entry: string; built: boolean }>;
