/**
 * Durations as operators write them: a compact string ("90s", "5m", "2h", "1d") or an
 * explicit `{ value, unit }` object (what a form with a number field and a unit picker
 * naturally produces). Both are kept as written in the stored config; code that needs a
 * number calls `durationToMs`.
 */
import { z } from 'zod';

export type DurationUnit = 'seconds' | 'minutes' | 'hours' | 'days';
export type Duration = string | { value: number; unit: DurationUnit };

export const DURATION_UNITS: readonly DurationUnit[] = ['seconds', 'minutes', 'hours', 'days'];

const UNIT_MS: Record<DurationUnit, number> = {
  seconds: 1_000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};
const SUFFIX_UNIT: Record<string, DurationUnit> = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days' };

/** Nothing in Nudge waits longer than a year; a bigger value is a typo, not a plan. */
export const MAX_DURATION_MS = 365 * UNIT_MS.days;

const DURATION_STRING = /^(\d{1,9})(s|m|h|d)$/;
export const DURATION_HINT = 'a duration like "90s", "5m", "2h", "1d" or { "value": 5, "unit": "minutes" }';

/**
 * Milliseconds of a duration, or a human-readable reason it is not one. Used both by the
 * schema (for its error messages) and by `durationToMs`.
 */
export function tryDurationMs(input: unknown): { ok: true; ms: number } | { ok: false; message: string } {
  if (typeof input === 'string') {
    const m = DURATION_STRING.exec(input);
    if (!m) return { ok: false, message: `"${input}" is not ${DURATION_HINT}` };
    return bounded(Number(m[1]) * UNIT_MS[SUFFIX_UNIT[m[2]]]);
  }
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const { value, unit, ...rest } = input as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length)
      return { ok: false, message: `unknown field "${extra[0]}" in duration; expected ${DURATION_HINT}` };
    if (typeof unit !== 'string' || !(DURATION_UNITS as readonly string[]).includes(unit)) {
      return { ok: false, message: `duration unit must be one of ${DURATION_UNITS.join(', ')}` };
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return { ok: false, message: 'duration value must be a number ≥ 0' };
    }
    return bounded(Math.round(value * UNIT_MS[unit as DurationUnit]));
  }
  return { ok: false, message: `expected ${DURATION_HINT}` };
}

function bounded(ms: number): { ok: true; ms: number } | { ok: false; message: string } {
  if (ms > MAX_DURATION_MS) return { ok: false, message: 'duration must be at most 365 days' };
  return { ok: true, ms };
}

/** Milliseconds of a (validated) duration; throws a clear error for anything else. */
export function durationToMs(d: Duration): number {
  const r = tryDurationMs(d);
  if (!r.ok) throw new Error(`invalid duration: ${r.message}`);
  return r.ms;
}

/** Compact human form for messages and warnings: 90 000 → "1m 30s", 3 600 000 → "1h". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.length ? parts.join(' ') : `${ms}ms`;
}

/**
 * Structural schema (the union gives OpenAPI a truthful shape); the error callback turns
 * zod's generic "invalid union" into the specific reason from `tryDurationMs`.
 */
export const durationSchema = z
  .union(
    [
      z.string().regex(DURATION_STRING),
      z.strictObject({ value: z.number().nonnegative(), unit: z.enum(['seconds', 'minutes', 'hours', 'days']) }),
    ],
    {
      error: (issue) => {
        const r = tryDurationMs(issue.input);
        return r.ok ? `expected ${DURATION_HINT}` : r.message;
      },
    },
  )
  .check(
    // The union accepts e.g. "999999999d"; keep the one-year bound in the schema too.
    z.superRefine((value, ctx) => {
      const r = tryDurationMs(value);
      if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message, input: value });
    }),
  );
