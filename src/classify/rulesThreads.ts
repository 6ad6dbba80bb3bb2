/**
 * The local classifier (local.ts) on worker threads, so its CPU is spent on the second core
 * while the event loop goes on with sockets and SQLite — only when the loop is saturated
 * (loopLoad.ts); otherwise requests are classified in place, which answers sooner.
 * Guarantees: the answer is what `classifyLocal` returns on the loop (bad input refused with
 * the same error, for that request only); a thread that dies loses nothing (its requests are
 * classified on the loop, a new thread replaces it up to `maxRestarts`); an idle thread never
 * keeps the process alive. Placement, batching and retirement: `RulesClassifierThreads`;
 * measurements: docs/architecture.md#classifier-threads.
 */
import { performance } from 'node:perf_hooks';
import {
  idleRetirementTimer,
  OwingWorker,
  workerEntryUrl,
  type IdleRetirement,
  type OwingWorkerExit,
} from '../workerThreads.ts';
import { EventLoopLoad, type LoopLoad } from './loopLoad.ts';
import { classifyLocal } from './local.ts';
import { InvalidClassifyInputError } from './rules.ts';
import type { ThreadInput, ThreadMessage, ThreadReply, ThreadRequest } from './rulesThreadProtocol.ts';
import type { Classification, ClassifyInput } from './types.ts';

export interface RulesThreadsOptions {
  threads: number;
  /** The worker's entry (tests substitute one); default: rulesWorker.ts, or its bundle. */
  workerUrl?: URL;
  /** Replacement threads started after deaths, in all (default 3). */
  maxRestarts?: number;
  /**
   * Which requests are classified in place on the event loop:
   * - 'adaptive' (default): all while the loop is not saturated, then only a lone one;
   * - 'lone': only a lone request (the first of its turn, nothing at the threads);
   * - 'never': every request goes to a thread (tests).
   */
  placement?: RulesThreadsPlacement;
  /** How saturation is judged (default: the event loop's utilization; tests script it). */
  loopLoad?: LoopLoad;
  /** Placement 'adaptive': ms of in-place classification per turn before the rest crosses (default 20). */
  inPlaceBudgetMsPerTurn?: number;
  /**
   * When the threads start: 'eager' at construction, 'on-saturation' the first time the
   * event loop is seen saturated (and again after a retirement). Default: 'on-saturation'
   * with placement 'adaptive' (the only placement that can do without a thread), else 'eager'.
   */
  start?: RulesThreadsStart;
  /** Placement 'adaptive': stop the threads after this long without saturation (ms, default 60,000; Infinity: never). */
  retireAfterMs?: number;
  /** Milliseconds on a monotonic clock (tests inject one; default performance.now). */
  now?: () => number;
}

export type RulesThreadsStart = 'eager' | 'on-saturation';

/** How long the threads outlive the last saturation before they are stopped to give their memory back. */
const RETIRE_AFTER_MS = 60_000;

export type RulesThreadsPlacement = 'adaptive' | 'lone' | 'never';

/**
 * In-place classification per event-loop turn while the loop is not saturated: a burst that
 * arrives in one turn still goes to the thread beyond this, before the saturation gauge
 * (which reads 250 ms intervals) has noticed it.
 */
const IN_PLACE_BUDGET_PER_TURN_MS = 20;

export interface RulesThreadsStats {
  /** Threads asked for. */
  threads: number;
  /** Threads alive now (0: everything is classified on the event loop). */
  running: number;
  /** Times the threads were started: at construction ('eager'), at a saturation, or by `startThreads()`. */
  starts: number;
  /** Times idle threads were stopped to give their memory back. */
  retirements: number;
  /** Threads that have answered `ready` (warmed up). */
  ready: number;
  /** Requests answered by a thread. */
  classified: number;
  /** Requests classified in place by choice (the loop had time, or the request was lone). */
  classifiedOnLoop: number;
  /** Requests classified on the event loop because their thread died or none was left. */
  classifiedInline: number;
  restarts: number;
  lastError: string | null;
  /** Placement 'adaptive': whether the event loop counts as saturated now (requests go to threads). */
  loopSaturated: boolean;
  /** The event loop's utilization over the last measured interval (0–1), null before the first. */
  loopUtilization: number | null;
}

interface Pending {
  resolve: (value: Classification) => void;
  reject: (error: Error) => void;
  input: ClassifyInput;
}

interface Thread {
  /** The worker, with the requests it owes an answer. */
  worker: OwingWorker<Pending>;
  ready: boolean;
  readyWaiters: (() => void)[];
}

const STOP: ThreadRequest = { type: 'stop' };

/** The worker entry next to this module (sources under tsx), or the bundle's (dist/server/). */
export function defaultRulesWorkerUrl(here = import.meta.url): URL {
  return workerEntryUrl(here, './rulesWorker.ts', 'classify-worker.mjs');
}

/**
 * - Even when saturated, a lone request (the first of its turn, with nothing at the threads)
 *   is classified in place: the loop would only wait for the thread. The rest of the turn,
 *   and everything while a thread is busy, goes to a thread.
 * - Requests made in one turn go to a thread as one message (one clone and one wake-up per
 *   batch); each thread answers in chunks of `REPLY_CHUNK`, so the loop applies the first
 *   answers while the thread does the rest.
 * - With placement 'adaptive' the threads start only when the loop is first seen saturated and
 *   stop after `retireAfterMs` without saturation: a thread is a second V8 isolate with its
 *   own classifier, tens of MiB a service that never saturates would hold for nothing. Until
 *   a started thread has warmed up, requests are classified in place.
 * - `close()` lets each thread answer what it was sent, then stops it.
 */
export class RulesClassifierThreads {
  private readonly threads: Thread[] = [];
  private queue: { input: ThreadInput; pending: Pending }[] = [];
  private flushScheduled = false;
  private nextId = 1;
  private closed = false;
  /** Requests sent to threads and not answered yet. */
  private outstanding = 0;
  /** Set by the first request of an event-loop turn, cleared at the next turn. */
  private turnStarted = false;
  /** Time spent classifying in place during this turn (placement 'adaptive'). */
  private inPlaceMsThisTurn = 0;
  private readonly clearTurn = () => {
    this.turnStarted = false;
    this.inPlaceMsThisTurn = 0;
  };
  private readonly workerUrl: URL;
  private readonly maxRestarts: number;
  private readonly placement: RulesThreadsPlacement;
  private readonly loopLoad: LoopLoad | null;
  private readonly inPlaceBudgetMs: number;
  private readonly start: RulesThreadsStart;
  private readonly retireAfterMs: number;
  private readonly now: () => number;
  /** When the loop was last seen saturated, or the threads were started (on the `now` clock). */
  private lastSaturatedAt = 0;
  /** Threads died more often than `maxRestarts` allows: none is started again. */
  private gaveUp = false;
  private retireTimer: IdleRetirement | null = null;
  /** Threads told to stop (retired) that have not exited yet: `close` waits for them too. */
  private readonly stoppingThreads = new Set<Thread>();
  private readonly counters = {
    classified: 0,
    classifiedOnLoop: 0,
    classifiedInline: 0,
    restarts: 0,
    starts: 0,
    retirements: 0,
    lastError: null as string | null,
  };

  constructor(private readonly options: RulesThreadsOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1)
      throw new Error(`threads must be a positive integer, got ${options.threads}`);
    this.workerUrl = options.workerUrl ?? defaultRulesWorkerUrl();
    this.maxRestarts = options.maxRestarts ?? 3;
    this.placement = options.placement ?? 'adaptive';
    if (!['adaptive', 'lone', 'never'].includes(this.placement))
      throw new Error(`placement must be adaptive, lone or never, got ${String(this.placement)}`);
    this.loopLoad = this.placement === 'adaptive' ? (options.loopLoad ?? new EventLoopLoad()) : null;
    this.inPlaceBudgetMs = options.inPlaceBudgetMsPerTurn ?? IN_PLACE_BUDGET_PER_TURN_MS;
    this.start = options.start ?? (this.placement === 'adaptive' ? 'on-saturation' : 'eager');
    if (this.start !== 'eager' && this.start !== 'on-saturation')
      throw new Error(`start must be eager or on-saturation, got ${String(this.start)}`);
    if (this.start === 'on-saturation' && this.placement !== 'adaptive')
      throw new Error(`start 'on-saturation' needs placement 'adaptive', got ${this.placement}`);
    this.retireAfterMs = options.retireAfterMs ?? RETIRE_AFTER_MS;
    if (!(this.retireAfterMs > 0))
      throw new Error(`retireAfterMs must be a positive number of ms, got ${this.retireAfterMs}`);
    this.now = options.now ?? (() => performance.now());
    if (this.start === 'eager') this.startThreads();
  }

  /**
   * Starts the threads now if they are not running (idempotent): before a memory reading that
   * must not count their start, or to have them warm before load arrives. They are still
   * retired after `retireAfterMs` without saturation (placement 'adaptive').
   */
  startThreads(): void {
    if (this.closed || this.gaveUp || this.threads.length >= this.options.threads) return;
    while (this.threads.length < this.options.threads) this.threads.push(this.spawn());
    this.counters.starts++;
    this.lastSaturatedAt = this.now();
    this.armRetirement();
  }

  /**
   * Stops the threads if the loop has not been saturated for `retireAfterMs` and they owe
   * nothing; they start again at the next saturation. Called by a timer; public for tests.
   * Returns whether it stopped them.
   */
  retireIfIdle(): boolean {
    if (this.placement !== 'adaptive' || this.closed || this.threads.length === 0) return false;
    if (this.outstanding > 0 || this.queue.length > 0) return false;
    if (this.loopLoad?.saturated() || this.now() - this.lastSaturatedAt < this.retireAfterMs) return false;
    for (const thread of this.threads.splice(0)) this.stop(thread);
    this.counters.retirements++;
    return true;
  }

  /** Resolves once every started thread has warmed up (start-up reporting and tests; not needed to classify). */
  async whenReady(): Promise<void> {
    for (;;) {
      const waiting = this.threads.find((t) => !t.ready);
      if (!waiting) return;
      // A thread that dies before it is ready is replaced (or not): look again either way.
      await waiting.worker.holdOpenUntil(new Promise<void>((resolve) => waiting.readyWaiters.push(resolve)));
    }
  }

  classify(input: ClassifyInput): Promise<Classification> {
    // Only what a thread can be sent is checked here; the thread validates the rest (the zone).
    if (
      !input ||
      typeof input.text !== 'string' ||
      typeof input.now !== 'number' ||
      typeof input.timezone !== 'string'
    ) {
      return this.classifyInline(input);
    }
    // No thread left after deaths (or closed); a thread not started yet is not one of these.
    if (this.closed || (this.gaveUp && this.threads.length === 0)) return this.classifyInline(input);
    const firstOfTurn = !this.turnStarted;
    if (firstOfTurn) {
      this.turnStarted = true;
      setImmediate(this.clearTurn);
    }
    const saturated = this.loopLoad?.saturated() ?? false;
    if (saturated) {
      this.lastSaturatedAt = this.now();
      this.startThreads();
    }
    // Adaptive: in place while the loop has time, and while no thread is warm yet (one that
    // is still loading would hold the request for its whole start).
    if (
      this.loopLoad &&
      ((!saturated && this.inPlaceMsThisTurn < this.inPlaceBudgetMs) || !this.threads.some((t) => t.ready))
    ) {
      this.counters.classifiedOnLoop++;
      const started = performance.now();
      try {
        return this.classifyNow(input);
      } finally {
        this.inPlaceMsThisTurn += performance.now() - started;
      }
    }
    if (this.placement !== 'never' && firstOfTurn && this.outstanding === 0 && this.queue.length === 0) {
      this.counters.classifiedOnLoop++;
      return this.classifyNow(input);
    }
    return new Promise<Classification>((resolve, reject) => {
      this.queue.push({
        input: { id: this.nextId++, text: input.text, now: input.now, timezone: input.timezone },
        pending: { resolve, reject, input },
      });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  stats(): RulesThreadsStats {
    return {
      threads: this.options.threads,
      running: this.threads.length,
      starts: this.counters.starts,
      retirements: this.counters.retirements,
      ready: this.threads.filter((t) => t.ready).length,
      classified: this.counters.classified,
      classifiedOnLoop: this.counters.classifiedOnLoop,
      classifiedInline: this.counters.classifiedInline,
      restarts: this.counters.restarts,
      lastError: this.counters.lastError,
      loopSaturated: this.loopLoad?.saturated() ?? false,
      loopUtilization: this.loopLoad?.lastUtilization() ?? null,
    };
  }

  /** Answers what was sent, then stops the threads. Later requests are classified inline. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.loopLoad?.stop();
    this.retireTimer?.stop();
    await Promise.all([...this.threads.splice(0), ...this.stoppingThreads].map((thread) => this.stop(thread)));
  }

  /** Lets the thread answer what it was sent, then stops it; resolves when it has exited. */
  private stop(thread: Thread): Promise<void> {
    if (!thread.worker.ended) this.stoppingThreads.add(thread);
    return thread.worker.stop(STOP);
  }

  /** Checks for idleness while threads run (placement 'adaptive'). */
  private armRetirement(): void {
    if (this.placement !== 'adaptive' || this.retireTimer || !Number.isFinite(this.retireAfterMs)) return;
    this.retireTimer = idleRetirementTimer(
      this.retireAfterMs,
      () => this.retireIfIdle(),
      () => this.threads.length > 0,
      () => (this.retireTimer = null),
    );
  }

  private classifyInline(input: ClassifyInput): Promise<Classification> {
    this.counters.classifiedInline++;
    return this.classifyNow(input);
  }

  private classifyNow(input: ClassifyInput): Promise<Classification> {
    try {
      return Promise.resolve(classifyLocal(input));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sends the turn's requests as one batch to the thread with the fewest unanswered. */
  private flush(): void {
    this.flushScheduled = false;
    const queued = this.queue;
    if (queued.length === 0) return;
    this.queue = [];
    if (this.threads.length === 0) {
      for (const { pending } of queued) this.answerInline(pending);
      return;
    }
    let thread = this.threads[0];
    for (const t of this.threads) if (t.worker.owedCount < thread.worker.owedCount) thread = t;
    for (const { input, pending } of queued) thread.worker.owe(input.id, pending);
    this.outstanding += queued.length;
    thread.worker.post({ type: 'classify', batch: queued.map((q) => q.input) } satisfies ThreadRequest);
  }

  private answerInline(pending: Pending): void {
    this.classifyInline(pending.input).then(pending.resolve, pending.reject);
  }

  private spawn(): Thread {
    const wakeReadyWaiters = () => thread.readyWaiters.splice(0).forEach((wake) => wake());
    const thread: Thread = {
      worker: new OwingWorker<Pending>(this.workerUrl, {}, 'classifier thread', {
        message: (message) => {
          const m = message as ThreadMessage;
          if (m.type === 'ready') {
            thread.ready = true;
            wakeReadyWaiters();
          } else if (m.type === 'results') this.settle(thread, m.replies);
        },
        exit: (ended) => {
          this.stoppingThreads.delete(thread);
          this.onExit(thread, ended);
          wakeReadyWaiters();
        },
      }),
      ready: false,
      readyWaiters: [],
    };
    return thread;
  }

  private settle(thread: Thread, replies: ThreadReply[]): void {
    for (const reply of replies) {
      const pending = thread.worker.settle(reply.id);
      if (!pending) continue;
      this.outstanding--;
      if (reply.ok) {
        this.counters.classified++;
        pending.resolve(reply.value);
      } else {
        pending.reject(
          reply.name === 'InvalidClassifyInputError'
            ? new InvalidClassifyInputError(reply.message)
            : new Error(`rules classifier thread: ${reply.message}`),
        );
      }
    }
  }

  private onExit(thread: Thread, { owed, death }: OwingWorkerExit<Pending>): void {
    const index = this.threads.indexOf(thread);
    if (index >= 0) this.threads.splice(index, 1);
    // An orderly stop has answered everything; a death leaves requests that the event loop takes over.
    this.outstanding -= owed.length;
    for (const pending of owed) this.answerInline(pending);
    if (death === null || this.closed) return;
    this.counters.lastError = death;
    if (this.counters.restarts < this.maxRestarts) {
      this.counters.restarts++;
      this.threads.push(this.spawn());
    } else this.gaveUp = true;
  }
}
