/**
 * The arithmetic of an interleaved A/B comparison (bench/ab.ts), kept pure so it is tested.
 *
 * Why ABBA: this machine's speed drifts by up to 2× within a day, in stretches of minutes.
 * Runs of A then B in blocks measure the drift; A B B A rounds put each side on both
 * edges of every round, so a drift inside a round weighs on both sides alike, and each
 * round is compared on its own before the rounds are combined.
 */

export type Side = 'A' | 'B';
export type Better = 'higher' | 'lower';

/** Run order for `rounds` ABBA rounds. */
export function abbaOrder(rounds: number): Side[] {
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a whole number ≥ 1, got ${rounds}`);
  const order: Side[] = [];
  for (let i = 0; i < rounds; i++) order.push('A', 'B', 'B', 'A');
  return order;
}

/** A number at a dotted path of a scenario's JSON result (`concurrent.perSecond`). */
export function metricAt(result: unknown, path: string): number {
  let value: unknown = result;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !(key in value))
      throw new Error(`the result has no "${path}" (missing "${key}")`);
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`"${path}" is not a finite number: ${JSON.stringify(value)}`);
  return value;
}

export interface SideSummary {
  values: number[];
  mean: number;
  median: number;
  min: number;
  max: number;
}

export interface AbSummary {
  better: Better;
  rounds: number;
  a: SideSummary;
  b: SideSummary;
  /** B over A per round (each side's mean within the round). */
  roundRatios: number[];
  /** Geometric mean of the round ratios: 1.05 means B measured 5 % higher. */
  geomeanRatio: number;
  /** Rounds in which B was better than A (by the metric's direction). */
  roundsBWon: number;
}

function sideSummary(values: number[]): SideSummary {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return {
    values,
    mean: values.reduce((s, v) => s + v, 0) / values.length,
    median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

/** Summarizes runs made in `abbaOrder(rounds)` order (four values a round). */
export function summarize(values: number[], better: Better): AbSummary {
  if (values.length === 0 || values.length % 4 !== 0)
    throw new Error(`expected four runs a round, got ${values.length}`);
  if (values.some((v) => !(v > 0))) throw new Error('every run must measure a positive value to form ratios');
  const rounds = values.length / 4;
  const order = abbaOrder(rounds);
  const a = values.filter((_, i) => order[i] === 'A');
  const b = values.filter((_, i) => order[i] === 'B');
  const roundRatios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const [a1, b1, b2, a2] = values.slice(4 * r, 4 * r + 4);
    roundRatios.push((b1 + b2) / (a1 + a2));
  }
  const geomeanRatio = Math.exp(roundRatios.reduce((s, x) => s + Math.log(x), 0) / rounds);
  const roundsBWon = roundRatios.filter((x) => (better === 'higher' ? x > 1 : x < 1)).length;
  return { better, rounds, a: sideSummary(a), b: sideSummary(b), roundRatios, geomeanRatio, roundsBWon };
}

/** The figure each scenario is usually compared by (others need --metric). */
export const DEFAULT_METRICS: Record<string, { path: string; better: Better }> = {
  events: { path: 'eventsPerSecond', better: 'higher' },
  reschedule: { path: 'concurrent.perSecond', better: 'higher' },
  lateness: { path: 'firingLatenessMs.p99', better: 'lower' },
  outbox: { path: 'deliveriesPerSec', better: 'higher' },
  livechat: { path: 'load.inboundPerSecond', better: 'higher' },
  classify: { path: 'cpuMs.p99', better: 'lower' },
};
