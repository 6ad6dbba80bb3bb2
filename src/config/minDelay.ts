/**
 * The delay floor's environment override, in a module of its own (no zod): `npm start`
 * checks it before it opens anything, and start-up loads the config schema only later
 * (src/boot.ts).
 */
import { wholeNumberEnv } from './wholeNumberEnv.ts';

export const DEFAULT_MIN_DELAY_SECONDS = 60;
export const MIN_DELAY_ENV = 'NUDGE_MIN_DELAY_SECONDS';

/**
 * The delay floor in seconds: 60, or lower when NUDGE_MIN_DELAY_SECONDS says so (demos and
 * tests). The variable can only lower the floor; a value above 60 or not a whole number
 * of seconds is a configuration mistake and throws rather than being silently ignored.
 */
export function minDelaySeconds(env: Record<string, string | undefined> = process.env): number {
  const seconds = wholeNumberEnv(env, MIN_DELAY_ENV);
  if (seconds === undefined) return DEFAULT_MIN_DELAY_SECONDS;
  if (Number.isNaN(seconds)) {
    throw new Error(
      `${MIN_DELAY_ENV} must be a whole number of seconds between 0 and ${DEFAULT_MIN_DELAY_SECONDS}, got "${env[MIN_DELAY_ENV]}"`,
    );
  }
  if (seconds > DEFAULT_MIN_DELAY_SECONDS) {
    throw new Error(
      `${MIN_DELAY_ENV} may only lower the delay floor (at most ${DEFAULT_MIN_DELAY_SECONDS}), got ${seconds}`,
    );
  }
  return seconds;
}
