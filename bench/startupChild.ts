/**
 * The core alone, for a breakdown (the start-up target is measured on the service itself:
 * bench/serverStart.ts). A fresh process starts the core on an existing database and
 * reports, as one JSON object on stdout, how long it took until the scheduler had started
 * and knew the next due follow-up, and how much memory the process then holds. Only node
 * built-ins are imported statically, so `entryMs` marks when our code began and the
 * project's modules are timed as imports (`performance.now()` counts from process start).
 *
 *   node --expose-gc --import tsx bench/startupChild.ts <dir containing nudge.sqlite>
 */
import { join } from 'node:path';
import type { ClassifyFn, ComposeFn } from '../src/runtime/runtime.ts';

export interface StartupReport {
  dir: string;
  classifier: string;
  /** performance.now() when this module began running (node + tsx boot). */
  entryMs: number;
  /** Importing the core: services (store, runtime, scheduler, machine, config) and clock. */
  importCoreMs: number;
  /** The classification stack `npm start` uses without Ollama (rules + templates): import + rules warm-up. */
  importClassifierMs: number;
  /** createServices(): open the file, WAL, migrations check, prepared statements. */
  createServicesMs: number;
  /** scheduler.start(): the head of the due index into the in-memory heap. */
  schedulerStartMs: number;
  /** createServices() call → start() returned and nextDue() answered. */
  sinceCreateServicesMs: number;
  /** Process start (performance.timeOrigin) → ready. */
  sinceProcessStartMs: number;
  /** process.uptime() at ready, as a cross-check of the above. */
  uptimeAtReadyMs: number;
  readyAtEpochMs: number;
  /** Set by the parent: its spawn() call → ready (includes process creation). */
  spawnToReadyMs?: number;
  nextDue: { id: string; dueInMs: number } | null;
  heapEntries: number;
  memoryAfterStart: { rssMiB: number; heapUsedMiB: number; externalMiB: number };
  memoryAfterGc: { rssMiB: number; heapUsedMiB: number; externalMiB: number } | null;
  /** After holding ~1 s with the scheduler's timer armed (the process as it stays). */
  memoryHolding: { rssMiB: number; heapUsedMiB: number; externalMiB: number };
}

const entryMs = performance.now();
const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: startupChild.ts <dir containing nudge.sqlite>\n');
  process.exit(2);
}

const [{ createServices }, { systemClock }] = await Promise.all([
  import('../src/services.ts'),
  import('../src/clock.ts'),
]);
const coreImportedMs = performance.now();
const lib = await import('./lib.ts');
const stack = await classificationStack();
const importedMs = performance.now();

const createStart = performance.now();
const services = createServices({
  dbPath: join(dir, 'nudge.sqlite'),
  clock: systemClock,
  classify: stack.classify,
  compose: stack.compose,
});
const createdMs = performance.now();
services.scheduler.start();
const next = services.scheduler.nextDue();
const readyMs = performance.now();
const uptimeAtReadyMs = process.uptime() * 1000;
const readyAtEpochMs = Date.now();
if (!next) {
  process.stderr.write('startup-child: no pending follow-up found\n');
  process.exit(1);
}

const memoryAfterStart = lib.memory();
const memoryAfterGc = lib.forceGc() ? lib.memory() : null;
await new Promise((resolve) => setTimeout(resolve, 1000));
const memoryHolding = lib.memory();
const heapEntries = services.scheduler.inMemory;
await services.close();

const report: StartupReport = {
  dir,
  classifier: stack.name,
  entryMs: lib.round(entryMs, 2),
  importCoreMs: lib.round(coreImportedMs - entryMs, 2),
  importClassifierMs: lib.round(importedMs - coreImportedMs, 2),
  createServicesMs: lib.round(createdMs - createStart, 2),
  schedulerStartMs: lib.round(readyMs - createdMs, 2),
  sinceCreateServicesMs: lib.round(readyMs - createStart, 2),
  sinceProcessStartMs: lib.round(readyMs, 2),
  uptimeAtReadyMs: lib.round(uptimeAtReadyMs, 2),
  readyAtEpochMs,
  nextDue: { id: next.id, dueInMs: next.due_at - readyAtEpochMs },
  heapEntries,
  memoryAfterStart,
  memoryAfterGc,
  memoryHolding,
};
process.stdout.write(`${JSON.stringify(report)}\n`);

/**
 * What `npm start` loads when Ollama is off: the rules classifier and the template composer
 * (host null: no network probe). While that stack is incomplete in the tree, the bench's
 * classifier choice and the test composer stand in, and the report says so.
 */
async function classificationStack(): Promise<{ name: string; classify: ClassifyFn; compose: ComposeFn }> {
  try {
    const { createClassifierStack } = await import('../src/runtime/classifierStack.ts');
    const stack = await createClassifierStack({ host: null, model: 'none', timeoutMs: 0 });
    return {
      name: `classifierStack: ${stack.mode} (${stack.reason})`,
      classify: stack.classify,
      compose: stack.compose,
    };
  } catch (error) {
    const [lib, helpers] = await Promise.all([import('./lib.ts'), import('../test/helpers/core.ts')]);
    const rules = await lib.loadRulesClassifier();
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      name: `${rules.name} + labelCompose (classifierStack unavailable: ${why})`,
      classify: rules.classify,
      compose: helpers.labelCompose,
    };
  }
}
