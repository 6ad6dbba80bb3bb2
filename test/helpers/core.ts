/**
 * Test harness for the core: a real SQLite file in a temp dir, the real runtime and
 * scheduler, a FakeClock, and simple deterministic classify/compose doubles so runtime
 * tests do not depend on classifier quality (that is tested in test/classify).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { parseBotConfig, type BotConfig } from '../../src/config/botConfig.ts';
import { FakeClock } from '../../src/clock.ts';
import type { ClassificationLike, ClassifyFn, ComposeFn } from '../../src/runtime/runtime.ts';
import { createServices, type NudgeServices } from '../../src/services.ts';

/** "busy…" → busy, "at+90" → request_time 90 minutes from now ("at+3s": 3 seconds), "stop" → not_interested, "booked" → booked. */
export const tableClassify: ClassifyFn = ({ text, now }): ClassificationLike => {
  const t = text.toLowerCase();
  const at = /at\+(\d+)(s?)/.exec(t);
  if (at)
    return {
      intent: 'request_time',
      requestedAt: now + Number(at[1]) * (at[2] ? 1000 : 60_000),
      phrase: at[0],
      zone: 'UTC',
    };
  if (t.startsWith('busy')) return { intent: 'busy' };
  if (t.startsWith('stop')) return { intent: 'not_interested' };
  if (t.startsWith('booked')) return { intent: 'booked' };
  return { intent: 'engaged' };
};

export const labelCompose: ComposeFn = async ({ scenario, step }) => ({
  text: `follow-up ${scenario} #${step}`,
  source: 'template',
  templateId: `${scenario}-${step}`,
});

export function botConfig(overrides: Record<string, unknown> = {}): BotConfig {
  const result = parseBotConfig({ name: 'Test Salon', ...overrides });
  if (!result.ok) throw new Error(`bad test config: ${JSON.stringify(result.errors)}`);
  return result.config;
}

export interface Core {
  services: NudgeServices;
  clock: FakeClock;
  botId: string;
  dir: string;
  /** Advance the fake clock and let the resulting deliveries and commits finish. */
  advance(ms: number): Promise<void>;
  settle(): Promise<void>;
}

export async function settle(services: NudgeServices): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setImmediate(r));
    await services.runtime.idle();
  }
}

export function makeCore(
  t: TestContext,
  options: { config?: BotConfig; clock?: FakeClock; classify?: ClassifyFn; compose?: ComposeFn; dir?: string } = {},
): Core {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'nudge-test-'));
  const clock = options.clock ?? new FakeClock('2026-01-05T09:00:00Z'); // a Monday
  const services = createServices({
    dbPath: join(dir, 'nudge.sqlite'),
    clock,
    classify: options.classify ?? tableClassify,
    compose: options.compose ?? labelCompose,
  });
  const bot = services.createBot(options.config ?? botConfig());
  services.scheduler.start();
  t.after(async () => {
    await services.close();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  });
  const core: Core = {
    services,
    clock,
    botId: bot.id,
    dir,
    settle: () => settle(services),
    async advance(ms: number) {
      // Step through time so each due timer's delivery completes before the next fires.
      const target = clock.now() + ms;
      for (;;) {
        await settle(services);
        const next = services.scheduler.nextDue();
        if (!next || next.due_at > target) break;
        clock.advanceTo(Math.max(clock.now(), next.due_at));
        await settle(services);
      }
      clock.advanceTo(target);
      await settle(services);
    },
  };
  return core;
}
