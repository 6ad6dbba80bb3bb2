/**
 * How many worker threads run the local classifier (`NUDGE_CLASSIFY_THREADS`), in a module of
 * its own (no zod): `npm start` checks it before it opens anything. Classification is the
 * largest pure-JS cost of an inbound message and needs nothing from the event loop's state, so
 * on a machine with a spare core it runs there (src/classify/rulesThreads.ts); `0` keeps it on
 * the event loop.
 */
import { availableParallelism } from 'node:os';
import { wholeNumberEnv } from '../config/wholeNumberEnv.ts';

export const CLASSIFY_THREADS_ENV = 'NUDGE_CLASSIFY_THREADS';
export const MAX_CLASSIFY_THREADS = 16;

/** One thread when there is a second core, else none; NUDGE_CLASSIFY_THREADS overrides. */
export function classifyThreads(
  env: Record<string, string | undefined> = process.env,
  cores = availableParallelism(),
): number {
  const value = wholeNumberEnv(env, CLASSIFY_THREADS_ENV);
  if (value === undefined) return cores >= 2 ? 1 : 0;
  if (!(value <= MAX_CLASSIFY_THREADS)) {
    throw new Error(
      `${CLASSIFY_THREADS_ENV} must be a whole number of threads from 0 to ${MAX_CLASSIFY_THREADS}, got "${env[CLASSIFY_THREADS_ENV]}"`,
    );
  }
  return value;
}
