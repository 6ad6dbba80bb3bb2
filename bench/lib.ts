/**
 * Shared pieces of the benchmark scenarios: temp dirs, percentiles, memory readings, a
 * seeded random source, the classifier choice and a small worker pool for "N in flight".
 * Progress goes to stderr: stdout is reserved for the JSON result of a scenario.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClassifyFn } from '../src/runtime/runtime.ts';
import { mulberry32 } from '../src/random.ts';

export const MiB = 1024 * 1024;

export interface BenchOptions {
  quick: boolean;
}

/** A fresh temp dir, deleted by `cleanup` (also on failure: callers use try/finally). */
export function tempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `nudge-bench-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Nearest-rank percentile of an unsorted sample (the sample is not modified). */
export function percentiles(sample: ArrayLike<number>, ps: number[]): number[] {
  const sorted = Float64Array.from(sample).sort();
  return ps.map((p) => {
    if (sorted.length === 0) return NaN;
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank];
  });
}

export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function distribution(sample: ArrayLike<number>): Distribution {
  const [p50, p90, p99, max] = percentiles(sample, [50, 90, 99, 100]);
  let sum = 0;
  for (let i = 0; i < sample.length; i++) sum += sample[i];
  return {
    count: sample.length,
    p50: round(p50),
    p90: round(p90),
    p99: round(p99),
    max: round(max),
    mean: round(sample.length ? sum / sample.length : NaN),
  };
}

export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function memory(): { rssMiB: number; heapUsedMiB: number; externalMiB: number } {
  const m = process.memoryUsage();
  return {
    rssMiB: round(m.rss / MiB, 1),
    heapUsedMiB: round(m.heapUsed / MiB, 1),
    externalMiB: round(m.external / MiB, 1),
  };
}

/** Runs a full GC when node was started with --expose-gc; returns whether it could. */
export function forceGc(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}

/** The seeded generator (mulberry32), so every run sends the same sequence. */
export const seededRandom = mulberry32;

/**
 * The rules classifier as `npm start` runs it: on NUDGE_CLASSIFY_THREADS worker threads (one
 * on a machine with a second core, started when the event loop is first saturated, as in
 * the service), else on the event loop. The name, reported with every figure that depends
 * on it, says which. `close` stops the threads.
 */
export async function loadRulesClassifier(): Promise<{
  name: string;
  classify: ClassifyFn;
  close: () => Promise<void>;
}> {
  const { classifyThreads } = await import('../src/process/classifyThreads.ts');
  const threads = classifyThreads();
  if (threads === 0) {
    const { classifyRules } = await import('../src/classify/rules.ts');
    return {
      name: 'classifyRules (src/classify/rules.ts) on the event loop',
      classify: classifyRules,
      close: async () => {},
    };
  }
  const { RulesClassifierThreads } = await import('../src/classify/rulesThreads.ts');
  const pool = new RulesClassifierThreads({ threads });
  return {
    name: `classifyRules (src/classify/rules.ts) on ${threads} worker thread${threads === 1 ? '' : 's'}`,
    classify: (input) => pool.classify(input),
    close: () => pool.close(),
  };
}

/**
 * Runs `count` tasks with at most `concurrency` in flight; `task(i)` gets the task index.
 * Returns each task's await latency in ms (from its call to its settlement).
 */
export async function pool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<unknown>,
): Promise<Float64Array> {
  const latencies = new Float64Array(count);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const start = performance.now();
      await task(i);
      latencies[i] = performance.now() - start;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return latencies;
}

/** CPU time (user + system, µs) this process spent since `since` (a process.cpuUsage() reading). */
export function cpuMicros(since: NodeJS.CpuUsage): { userUs: number; systemUs: number; totalUs: number } {
  const d = process.cpuUsage(since);
  return { userUs: d.user, systemUs: d.system, totalUs: d.user + d.system };
}

/** The figure and the target it is judged against (lower or higher is better). */
export interface Judged {
  value: number;
  target: number;
  unit: string;
  better: 'higher' | 'lower';
  met: boolean;
}

export function judge(value: number, target: number, unit: string, better: 'higher' | 'lower'): Judged {
  return { value: round(value, 2), target, unit, better, met: better === 'higher' ? value >= target : value <= target };
}

/** A whole-number command-line option of at least 1; a bad value exits with code 2 and says why. */
export function positiveIntegerOption(script: string, name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`${script}: --${name} must be a positive integer, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}
