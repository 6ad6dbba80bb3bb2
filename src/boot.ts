/**
 * The first phase of start-up: open the SQLite file and read the head of the due index,
 * with nothing loaded but better-sqlite3 and the store, before the runtime, the HTTP side
 * and the classifier modules are imported. A restart so knows its next due follow-up soon
 * after the process began, however much else it loads afterwards (docs/benchmarks.md, `million`).
 * Classification, composition and presence are bound late: the classifier stack loads in
 * the background and an event that needs it waits for it; the send planner asks whichever
 * live-chat gateway `bindPresence` names, and nobody is connected before one exists.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from './clock.ts';
import type { Presence } from './delivery/planSend.ts';
import { timed } from './metrics/timed.ts';
import { openCore } from './openCore.ts';
import { lockDataDir } from './store/dataDirLock.ts';
import type { ClassifierStack } from './runtime/classifierStack.ts';
import type { ClassifyFn, ComposeFn } from './runtime/runtime.ts';
import type { NudgeServices } from './services.ts';

export interface BootOptions {
  dataDir: string;
  clock: Clock;
  ollamaHost?: string | null;
  ollamaModel?: string;
  ollamaTimeoutMs?: number;
  /** Worker threads for the rules classifier (default 0: on the event loop; `npm start` uses NUDGE_CLASSIFY_THREADS). */
  classifyThreads?: number;
  /** A stack, or a promise of one (tests), instead of probing Ollama and loading the rules. */
  classifierStack?: ClassifierStack | Promise<ClassifierStack>;
  onSchedulerError?: (error: unknown) => void;
  /** One line per schema migration applied at open. */
  onMigration?: (line: string) => void;
}

/** Milliseconds since the process started (`performance.timeOrigin`). */
export interface StartupTimings {
  /** The database is open, migrated and its statements prepared. */
  storeOpenMs: number;
  /** The scheduler's window is in memory: the next due follow-up is known. */
  firstDueKnownMs: number;
  /** The classification stack is loaded (set when it is). */
  classifierReadyMs: number | null;
}

export interface BootedCore {
  services: NudgeServices;
  /** Resolves to the stack chosen at start; rejects if it could not load. */
  classifier: Promise<ClassifierStack>;
  timings: StartupTimings;
  /** Names the live-chat presence the send planner consults (the gateway, once it exists). */
  bindPresence(presence: Presence): void;
  /** Hears how long each classification took, in ms (the metrics' histogram). */
  observeClassification(observer: (ms: number) => void): void;
}

export async function bootCore(options: BootOptions): Promise<BootedCore> {
  mkdirSync(options.dataDir, { recursive: true });
  // One writer per data dir: locked before the database is opened or migrated, released
  // when the services close (src/store/dataDirLock.ts).
  const lock = lockDataDir(options.dataDir);
  let opened: ReturnType<typeof openCore>;
  try {
    opened = openCore({
      dbPath: join(options.dataDir, 'nudge.sqlite'),
      clock: options.clock,
      onSchedulerError: options.onSchedulerError,
      onMigration: options.onMigration,
    });
  } catch (error) {
    lock.release();
    throw error;
  }
  const storeOpenMs = performance.now();
  const timings: StartupTimings = { storeOpenMs, firstDueKnownMs: storeOpenMs, classifierReadyMs: null };
  try {
    opened.scheduler.load();
    timings.firstDueKnownMs = performance.now();
  } catch (error) {
    opened.db.close();
    lock.release();
    throw error;
  }

  const classifier: Promise<ClassifierStack> = options.classifierStack
    ? Promise.resolve(options.classifierStack)
    : import('./runtime/classifierStack.ts').then(({ createClassifierStack }) =>
        createClassifierStack({
          host: options.ollamaHost === undefined ? 'http://127.0.0.1:11434' : options.ollamaHost,
          model: options.ollamaModel ?? 'llama3.2',
          timeoutMs: options.ollamaTimeoutMs ?? 2500,
          rulesThreads: options.classifyThreads ?? 0,
        }),
      );
  // Once loaded, events call the stack directly (no extra await on the hot path); until
  // then they wait for it. A failure is handled here, so it never surfaces unhandled.
  let loaded: ClassifierStack | null = null;
  classifier.then(
    (stack) => {
      loaded = stack;
      timings.classifierReadyMs = performance.now();
    },
    () => {},
  );
  let onClassified: ((ms: number) => void) | null = null;
  const classify: ClassifyFn = timed(
    (input: Parameters<ClassifyFn>[0]) =>
      loaded ? loaded.classify(input) : classifier.then((stack) => stack.classify(input)),
    (ms) => onClassified?.(ms),
  );
  const compose: ComposeFn = (input) =>
    loaded ? loaded.compose(input) : classifier.then((stack) => stack.compose(input));

  let presence: Presence | null = null;
  let services: NudgeServices;
  try {
    const [{ createServices }, { createSendPlanner }] = await Promise.all([
      import('./services.ts'),
      import('./delivery/planSend.ts'),
    ]);
    services = createServices({
      dbPath: join(options.dataDir, 'nudge.sqlite'),
      clock: options.clock,
      classify,
      compose,
      planSend: (store) => createSendPlanner(store, { isConnected: (id) => presence?.isConnected(id) ?? false }),
      opened,
    });
  } catch (error) {
    opened.db.close();
    lock.release();
    classifier.then(
      (stack) => stack.close?.(),
      () => {},
    );
    throw error;
  }
  const closeServices = services.close;
  services.close = async () => {
    try {
      await closeServices();
    } finally {
      lock.release();
    }
  };
  return {
    services,
    classifier,
    timings,
    bindPresence(bound) {
      presence = bound;
    },
    observeClassification(observer) {
      onClassified = observer;
    },
  };
}
