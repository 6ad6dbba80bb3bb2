/**
 * Starts the real service on an existing data directory and reads, from its own
 * `GET /api/health`, when it knew its next due follow-up and when it was serving (ms since
 * its process started, `performance.timeOrigin`), then how much memory it holds.
 * Used by the `million` scenario: the start-up target is about the product as it runs.
 */
import { readFileSync } from 'node:fs';
import { freePort, startRealServer } from '../test/faults/lib/realServer.ts';
import { log, round } from './lib.ts';

export interface ServerStartReport {
  launcher: 'npm-start' | 'tsx';
  storeOpenMs: number;
  firstDueKnownMs: number;
  classifierReadyMs: number | null;
  servingMs: number;
  /** Parent's spawn() → first healthy answer (includes polling, at most ~40 ms late). */
  spawnToHealthyMs: number;
  schedulerInMemory: number;
  nextDueAt: number | null;
  /** VmRSS / VmHWM of the server process after holding for `holdMs`. */
  rssMiB: number;
  peakRssMiB: number;
  /**
   * VmRSS after `settleMs` more of idling (null when not asked): what the service keeps once
   * start-up's transient memory (compiling the bundle, warming the classifier thread) is
   * given back, against `rssMiB`, read one second after its first healthy answer.
   */
  settledRssMiB: number | null;
}

interface Health {
  scheduler: { inMemory: number; nextDueAt: number | null };
  startup: { storeOpenMs: number; firstDueKnownMs: number; classifierReadyMs: number | null; servingMs: number | null };
}

function procStatusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return round(Number(match[1]) / 1024, 1);
}

export async function measureServerStart(
  dataDir: string,
  launcher: 'npm-start' | 'tsx',
  holdMs = 1000,
  settleMs = 0,
): Promise<ServerStartReport> {
  const server = await startRealServer({
    dataDir,
    port: await freePort(),
    adminToken: 'nat_bench_start_token_000000000000',
    launcher,
    startTimeoutMs: 120_000,
  });
  try {
    const response = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(10_000) });
    const health = (await response.json()) as Health;
    if (health.startup.servingMs === null) throw new Error('health answered before the server reported serving');
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    const report: ServerStartReport = {
      launcher,
      storeOpenMs: round(health.startup.storeOpenMs, 1),
      firstDueKnownMs: round(health.startup.firstDueKnownMs, 1),
      classifierReadyMs: health.startup.classifierReadyMs === null ? null : round(health.startup.classifierReadyMs, 1),
      servingMs: round(health.startup.servingMs, 1),
      spawnToHealthyMs: round(server.startMs, 1),
      schedulerInMemory: health.scheduler.inMemory,
      nextDueAt: health.scheduler.nextDueAt,
      rssMiB: procStatusMiB(server.pid, 'VmRSS'),
      peakRssMiB: procStatusMiB(server.pid, 'VmHWM'),
      settledRssMiB: null,
    };
    if (settleMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      report.settledRssMiB = procStatusMiB(server.pid, 'VmRSS');
    }
    log(
      `million: ${launcher}: next due known ${report.firstDueKnownMs.toFixed(0)} ms after process start, serving ${report.servingMs.toFixed(0)} ms, RSS ${report.rssMiB} MiB (peak ${report.peakRssMiB}${report.settledRssMiB === null ? '' : `, ${report.settledRssMiB} after ${settleMs / 1000} s more`})`,
    );
    return report;
  } finally {
    const { code, signal } = await server.stop();
    if (code !== 0) log(`million: ${launcher} server exited with ${code ?? signal}:\n${server.output().slice(-2000)}`);
  }
}
