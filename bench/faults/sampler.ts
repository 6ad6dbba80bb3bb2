/**
 * Preloaded into the real server process by the soak (`node --import tsx --import
 * <this file> src/main.ts`): every NUDGE_SOAK_SAMPLE_MS (default 1000) it appends one JSON
 * line to NUDGE_SOAK_SAMPLES with the process's memory and the event-loop delay over the
 * interval (perf_hooks.monitorEventLoopDelay, reset after each sample). Nothing in the
 * service changes; without NUDGE_SOAK_SAMPLES it does nothing.
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.NUDGE_SOAK_SAMPLES;
const every = Number(process.env.NUDGE_SOAK_SAMPLE_MS ?? 1000);

if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const t0 = Date.now();
  const ms = (ns: number) => Math.round((ns / 1e6) * 1000) / 1000;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    const sample = {
      t: Date.now() - t0,
      at: Date.now(),
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      eldMeanMs: ms(histogram.mean),
      eldP50Ms: ms(histogram.percentile(50)),
      eldP99Ms: ms(histogram.percentile(99)),
      eldMaxMs: ms(histogram.max),
      handles: process.getActiveResourcesInfo().length,
    };
    histogram.reset();
    appendFileSync(file, `${JSON.stringify(sample)}\n`);
  }, every);
  timer.unref();
}
