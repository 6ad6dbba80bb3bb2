/**
 * A benchmark core: the real services (SQLite file in a temp dir, group committer,
 * runtime, durable scheduler) on the system clock, with one bot and many contacts.
 */
import { join } from 'node:path';
import { systemClock, type Clock } from '../src/clock.ts';
import type { BotConfig } from '../src/config/botConfig.ts';
import type { ClassifyFn } from '../src/runtime/runtime.ts';
import { createServices, type NudgeServices } from '../src/services.ts';
import { botConfig, labelCompose, tableClassify } from '../test/helpers/core.ts';
import { tempDir } from './lib.ts';

export interface BenchCore {
  services: NudgeServices;
  botId: string;
  dir: string;
  dbPath: string;
  /** Closes the services and deletes the temp dir. */
  close(): Promise<void>;
  /** Deletes the temp dir (after the services were closed some other way). */
  cleanupDir(): void;
}

export function openBenchCore(
  label: string,
  options: { classify?: ClassifyFn; config?: BotConfig; clock?: Clock; startScheduler?: boolean } = {},
): BenchCore {
  const { dir, cleanup } = tempDir(label);
  const dbPath = join(dir, 'nudge.sqlite');
  let services: NudgeServices;
  try {
    services = createServices({
      dbPath,
      clock: options.clock ?? systemClock,
      classify: options.classify ?? tableClassify,
      compose: labelCompose,
    });
  } catch (error) {
    cleanup();
    throw error;
  }
  for (const pragma of experimentPragmas()) services.db.pragma(pragma);
  const bot = services.createBot(options.config ?? botConfig({ name: 'Bench Salon' }));
  if (options.startScheduler !== false) services.scheduler.start();
  return {
    services,
    botId: bot.id,
    dir,
    dbPath,
    async close() {
      try {
        await services.close();
      } finally {
        cleanup();
      }
    },
    cleanupDir: cleanup,
  };
}

/**
 * Extra SQLite pragmas for experiments only (`NUDGE_BENCH_PRAGMAS="cache_size=-65536;..."`),
 * applied right after open. Every result reports them, so a figure measured with a
 * tweak is never mistaken for the product's own.
 */
export function experimentPragmas(): string[] {
  return (process.env.NUDGE_BENCH_PRAGMAS ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Creates `count` contacts through the runtime (one outer transaction: setup, not measured). */
export function createContacts(core: BenchCore, count: number): string[] {
  const ids: string[] = [];
  const { services, botId } = core;
  services.db.transaction(() => {
    for (let i = 0; i < count; i++) ids.push(services.runtime.createContact(botId, { name: `Contact ${i}` }).id);
  })();
  return ids;
}

export function countRows(core: BenchCore, sql: string, ...params: unknown[]): number {
  const row = core.services.db.prepare(sql).get(...params) as Record<string, number>;
  return Object.values(row)[0];
}
