/**
 * The console's metrics (`GET /api/bots/:id/metrics`) and the Prometheus exposition
 * (`GET /metrics`) read on a worker thread with its own read-only connection.
 *
 * Why: both are aggregates over the follow-up rows of a range (or of all history), so
 * their cost grows with the data — measured with one bot, 7 days of follow-ups: 20 ms at
 * 25,000 rows, ~250 ms at 200,000, 1.1–1.4 s at 1,000,000, and the Prometheus text 1.5–1.8
 * s. On the event loop every live-chat ack, webhook and timer waited that long at each
 * read or scrape; in the 10-minute soak they were what made the loop's p99 grow.
 *
 * - The thread starts at the first request and stops after `idleMs` without one (its
 *   memory back); requests made meanwhile queue at it.
 * - Each answer is one read transaction on committed data, like `Store.read` on the loop.
 *   The thread answers in order; a failing request fails alone.
 * - A thread that dies loses nothing: what it owed is answered on the event loop, and the
 *   next request starts a new thread (after `maxRestarts` deaths, everything stays on the
 *   loop and `stats()` says why). An in-memory database (no file to share) is read on
 *   the loop.
 * - An idle thread never keeps the process alive; `close()` lets it answer what it owes.
 */
import { performance } from 'node:perf_hooks';
import type { DB } from '../store/db.ts';
import { idleRetirementTimer, OwingWorker, workerEntryUrl, type IdleRetirement } from '../workerThreads.ts';
import { botMetrics, prometheusText } from './metrics.ts';
import type { BotScope, MetricsReply, MetricsRequest } from './metricsProtocol.ts';

export type BotMetrics = ReturnType<typeof botMetrics>;

export interface MetricsReaderOptions {
  /** Stop the thread after this long without a request (ms, default 60,000). */
  idleMs?: number;
  /** Threads started again after deaths, in all (default 3). */
  maxRestarts?: number;
  /** The thread's entry (tests substitute one); default metricsWorker.ts, or its bundle. */
  workerUrl?: URL;
  /** Milliseconds on a monotonic clock (tests inject one; default performance.now). */
  now?: () => number;
}

export interface MetricsReaderStats {
  running: boolean;
  starts: number;
  retirements: number;
  /** Requests answered by the thread. */
  answeredByThread: number;
  /** Requests answered on the event loop (in-memory database, a dead thread's, none left). */
  answeredOnLoop: number;
  /** Threads that died (each answered what it owed on the loop); after `maxRestarts + 1`, none is started. */
  deaths: number;
  lastError: string | null;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onLoop: () => unknown;
}

type Thread = OwingWorker<Pending>;

const IDLE_MS = 60_000;
const STOP: MetricsRequest = { type: 'stop' };

export class MetricsReader {
  private thread: Thread | null = null;
  private nextId = 1;
  private closed = false;
  private lastRequestAt = 0;
  private timer: IdleRetirement | null = null;
  private readonly dbPath: string | null;
  private readonly idleMs: number;
  private readonly maxRestarts: number;
  private readonly workerUrl: URL;
  private readonly now: () => number;
  private readonly counters = { starts: 0, retirements: 0, answeredByThread: 0, answeredOnLoop: 0, deaths: 0, lastError: null as string | null };

  constructor(
    private readonly db: DB,
    options: MetricsReaderOptions = {},
  ) {
    // better-sqlite3 names a file database by its path; '' and ':memory:' cannot be shared.
    this.dbPath = db.memory || !db.name || db.name === ':memory:' ? null : db.name;
    this.idleMs = options.idleMs ?? IDLE_MS;
    if (!(this.idleMs > 0)) throw new Error(`idleMs must be a positive number of ms, got ${this.idleMs}`);
    this.maxRestarts = options.maxRestarts ?? 3;
    this.workerUrl = options.workerUrl ?? workerEntryUrl(import.meta.url, './metricsWorker.ts', 'metrics-worker.mjs');
    this.now = options.now ?? (() => performance.now());
  }

  botMetrics(botId: string, from: number, to: number): Promise<BotMetrics> {
    return this.request({ type: 'botMetrics', id: this.nextId++, botId, from, to }, () => botMetrics(this.db, botId, from, to)) as Promise<BotMetrics>;
  }

  prometheus(bots: BotScope[]): Promise<string> {
    return this.request({ type: 'prometheus', id: this.nextId++, bots }, () => prometheusText(this.db, bots)) as Promise<string>;
  }

  stats(): MetricsReaderStats {
    return { running: this.thread !== null, ...this.counters };
  }

  /**
   * Stops the thread if it owes nothing and had no request for `idleMs`; the next request
   * starts it again. Called by a timer; public for tests. Returns whether it stopped it.
   */
  retireIfIdle(): boolean {
    const thread = this.thread;
    if (!thread || thread.owedCount > 0 || this.now() - this.lastRequestAt < this.idleMs) return false;
    this.thread = null;
    this.counters.retirements++;
    void thread.stop(STOP);
    return true;
  }

  /** Answers what was asked, then stops the thread; later requests are answered on the loop. */
  async close(): Promise<void> {
    this.closed = true;
    this.timer?.stop();
    this.timer = null;
    const thread = this.thread;
    this.thread = null;
    if (thread) await thread.stop(STOP);
  }

  private request(message: Exclude<MetricsRequest, { type: 'stop' }>, onLoop: () => unknown): Promise<unknown> {
    this.lastRequestAt = this.now();
    const thread = this.closed || this.dbPath === null ? null : (this.thread ?? this.spawn());
    if (!thread) return this.answerOnLoop(onLoop);
    return new Promise((resolve, reject) => {
      thread.owe(message.id, { resolve, reject, onLoop });
      thread.post(message);
    });
  }

  private answerOnLoop(onLoop: () => unknown): Promise<unknown> {
    this.counters.answeredOnLoop++;
    try {
      return Promise.resolve(this.db.transaction(onLoop)());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private spawn(): Thread | null {
    if (this.counters.deaths > this.maxRestarts) return null;
    const thread: Thread = new OwingWorker<Pending>(this.workerUrl, { workerData: { dbPath: this.dbPath } }, 'metrics thread', {
      message: (reply) => this.settle(thread, reply as MetricsReply),
      exit: ({ owed, death }) => {
        if (this.thread === thread) this.thread = null;
        if (death !== null) {
          this.counters.lastError = death;
          this.counters.deaths++;
        }
        // An orderly stop has answered everything; a death leaves requests the loop answers.
        for (const pending of owed) this.answerOnLoop(pending.onLoop).then(pending.resolve, pending.reject);
      },
    });
    this.thread = thread;
    this.counters.starts++;
    this.armRetirement();
    return thread;
  }

  private settle(thread: Thread, reply: MetricsReply): void {
    const pending = thread.settle(reply.id);
    if (!pending) return;
    this.counters.answeredByThread++;
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new Error(reply.message));
  }

  /** Checks for idleness while a thread runs. */
  private armRetirement(): void {
    if (this.timer) return;
    this.timer = idleRetirementTimer(
      this.idleMs,
      () => this.retireIfIdle(),
      () => this.thread !== null,
      () => (this.timer = null),
    );
  }
}
