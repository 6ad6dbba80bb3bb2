/**
 * How far V8 lets the old generation grow past what survived the last full GC before it
 * starts the next one (`NUDGE_HEAP_GROWING_PERCENT`), in a module of its own (no zod):
 * `npm start` applies it before it opens anything.
 *
 * Why: under steady live-chat load the service promotes ~0.7 MB to the old generation per
 * young-generation GC, so with V8's own (adaptive) factor a full GC came every ~1.85 s at
 * 1,000 messages/s. Each one marks for ~50 ms on the two cores the event loop, the
 * checkpointer and the clients share, and the event loop stalled 8–25 ms several times in
 * a row: most of the acks slower than 5 ms (docs/benchmarks.md). A fixed factor of 3×
 * (200 %) makes full GCs rarer: ack p99 at 1,000 msgs/s 4.6–7.8 ms instead of 16–25 ms,
 * for ~60–90 MiB more RSS under load. An idle service is unaffected (its heap stays small,
 * and V8's memory reducer still shrinks it).
 */
import { setFlagsFromString } from 'node:v8';
import { wholeNumberEnv } from './wholeNumberEnv.ts';

export const HEAP_GROWING_ENV = 'NUDGE_HEAP_GROWING_PERCENT';
export const DEFAULT_HEAP_GROWING_PERCENT = 200;
export const MAX_HEAP_GROWING_PERCENT = 400;

/** The percent to apply: 0 leaves V8's adaptive factor; default 200 (a 3× factor). */
export function heapGrowingPercent(env: Record<string, string | undefined> = process.env): number {
  const value = wholeNumberEnv(env, HEAP_GROWING_ENV);
  if (value === undefined) return DEFAULT_HEAP_GROWING_PERCENT;
  if (!(value <= MAX_HEAP_GROWING_PERCENT)) {
    throw new Error(`${HEAP_GROWING_ENV} must be a whole number from 0 (V8's own factor) to ${MAX_HEAP_GROWING_PERCENT}, got "${env[HEAP_GROWING_ENV]}"`);
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
