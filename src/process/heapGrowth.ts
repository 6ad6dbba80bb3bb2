/**
 * How far V8 lets the old generation grow past what survived the last full GC
 * (`NUDGE_HEAP_GROWING_PERCENT`), in a module of its own (no zod) so `npm start` applies it
 * before it opens anything. A fixed factor makes full GCs, which stall the event loop on two
 * cores, rarer under steady chat load, for more RSS under load (docs/benchmarks.md); an idle
 * service is unaffected.
 */
import { setFlagsFromString } from 'node:v8';
import { wholeNumberEnv } from '../config/wholeNumberEnv.ts';

export const HEAP_GROWING_ENV = 'NUDGE_HEAP_GROWING_PERCENT';
export const DEFAULT_HEAP_GROWING_PERCENT = 200;
export const MAX_HEAP_GROWING_PERCENT = 400;

/** The percent to apply: 0 leaves V8's adaptive factor; default 200 (a 3× factor). */
export function heapGrowingPercent(env: Record<string, string | undefined> = process.env): number {
  const value = wholeNumberEnv(env, HEAP_GROWING_ENV);
  if (value === undefined) return DEFAULT_HEAP_GROWING_PERCENT;
  if (!(value <= MAX_HEAP_GROWING_PERCENT)) {
    throw new Error(
      `${HEAP_GROWING_ENV} must be a whole number from 0 (V8's own factor) to ${MAX_HEAP_GROWING_PERCENT}, got "${env[HEAP_GROWING_ENV]}"`,
    );
  }
  return value;
}

/**
 * Sets V8's `--heap-growing-percent` for this process (every isolate: the worker threads
 * too). V8 reads it at each full GC, so setting it at start-up is enough.
 */
export function applyHeapGrowing(percent: number, setFlags: (flags: string) => void = setFlagsFromString): void {
  if (percent > 0) setFlags(`--heap-growing-percent=${percent}`);
}
