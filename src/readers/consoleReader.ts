/**
 * Runs the console's heavier reads (metrics, Prometheus text, forecast, search, Response
 * Info) on a worker thread with its own read-only connection, because their cost grows with
 * the data and every chat ack would wait for them on the event loop (docs/benchmarks.md).
 * Guarantees: each answer is one read transaction on committed data, in request order, with
 * the error code the loop would throw; a thread that dies loses nothing (what it owed is
 * answered on the loop; too many deaths keep reads on the loop); widget presence stays on
 * the loop; an idle thread stops after `idleMs` and never keeps the process alive.
 */
import { performance } from 'node:perf_hooks';
import type { ResourceLimits, Transferable } from 'node:worker_threads';
import type { DB } from '../store/db.ts';
import { answerImport, type ImportKind } from '../viz/importRead.ts';
import {
  idleRetirementTimer,
  OwingWorker,
  RestartBudget,
  workerEntryUrl,
  type IdleRetirement,
} from '../workerThreads.ts';
import type { ReadServices } from './committedState.ts';
import {
  errorOf,
  type BotScope,
  type ConsoleReadReply,
  type ConsoleReadRequest,
  type ForecastAnswer,
  type VizRead,
} from './consoleReaderProtocol.ts';
import { buildForecast } from '../console/forecast.ts';
import { responseInfo } from '../console/info.ts';
import { botMetrics, prometheusText } from '../console/metrics.ts';
import { searchContacts, type SearchQuery } from '../console/search.ts';
import type { PresenceLike } from '../console/predict.ts';

export type BotMetrics = ReturnType<typeof botMetrics>;
export type Forecast = ReturnType<typeof buildForecast>;
export type ResponseInfo = ReturnType<typeof responseInfo>;
export type ContactSearch = ReturnType<typeof searchContacts>;

/** Reads of one forecast at most, when presence changes between them (see above). */
export const MAX_FORECAST_PASSES = 3;

export interface ConsoleReaderOptions {
  /** Stop the thread after this long without a request (ms, default 60,000). */
  idleMs?: number;
  /** Threads started again after deaths within `restartWindowMs` (default 3). */
  maxRestarts?: number;
  /** The window of `maxRestarts` (ms, default 10 minutes). */
  restartWindowMs?: number;
  /** The thread's entry (tests substitute one); default consoleReaderWorker.ts, or its bundle. */
  workerUrl?: URL;
  /** Milliseconds on a monotonic clock (tests inject one; default performance.now). */
  now?: () => number;
  /** The thread's heap bounds (default THREAD_HEAP_LIMITS). */
  heapLimits?: ResourceLimits;
}

export interface ConsoleReaderStats {
  running: boolean;
  starts: number;
  retirements: number;
  /** Requests answered by the thread. */
  answeredByThread: number;
  /** Requests answered on the event loop (in-memory database, a dead thread's, none left). */
  answeredOnLoop: number;
  /** Threads that died, in all (each answered what it owed on the loop, or refused it); after `maxRestarts + 1` within the restart window, none is started until they leave it. */
  deaths: number;
  lastError: string | null;
  /** The running thread's JS heap (V8's total heap size) at its last answer, MiB; null when no thread runs. */
  threadHeapMiB: number | null;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onLoop: () => unknown;
  /** When set, a death refuses the request with the error it returns instead of answering it on the loop (null: the loop answers). */
  refuseOnDeath?: RefuseOnDeath;
}

/** Why a thread died: its reason, and the code of the error it died of (`ERR_WORKER_OUT_OF_MEMORY`: its heap bound). */
export interface ThreadDeath {
  reason: string;
  code: string | null;
}

/** Given why the thread died, the error to refuse a request with, or null to answer it on the event loop. */
export type RefuseOnDeath = (death: ThreadDeath) => Error | null;

type Thread = OwingWorker<Pending>;

const IDLE_MS = 60_000;
const RESTART_WINDOW_MS = 10 * 60_000;
/**
 * The thread allocates in bursts (a forecast's items, a panel's history) and V8 sizes an
 * isolate's heap for its bursts: with Node's defaults, 200 forecasts of 300 contacts left
 * the process 54–77 MiB larger; with these bounds 13–20 MiB, at the same speed (three
 * rounds each, docs/benchmarks.md). A read that needs more than the old generation's bound
 * kills the thread; the event loop then answers it, as for any death.
 */
export const THREAD_HEAP_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 };
const STOP: ConsoleReadRequest = { type: 'stop' };

/** A visualizer answer as the route sends it: the thread's bytes as they came (transferred), the loop's text encoded. */
function utf8Answer(answer: unknown): Buffer {
  if (typeof answer === 'string') return Buffer.from(answer, 'utf8');
  const bytes = answer as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export class ConsoleReader {
  private thread: Thread | null = null;
  private nextId = 1;
  private closed = false;
  private lastRequestAt = 0;
  private timer: IdleRetirement | null = null;
  private readonly dbPath: string | null;
  private readonly idleMs: number;
  private readonly restarts: RestartBudget;
  private readonly workerUrl: URL;
  private readonly now: () => number;
  private readonly heapLimits: ResourceLimits;
  private readonly counters = {
    starts: 0,
    retirements: 0,
    answeredByThread: 0,
    answeredOnLoop: 0,
    deaths: 0,
    lastError: null as string | null,
  };
  private threadHeapMiB: number | null = null;
  private readonly db: DB;

  constructor(
    private readonly services: ReadServices,
    options: ConsoleReaderOptions = {},
  ) {
    const db = (this.db = services.store.db);
    // better-sqlite3 names a file database by its path; '' and ':memory:' cannot be shared.
    this.dbPath = db.memory || !db.name || db.name === ':memory:' ? null : db.name;
    this.idleMs = options.idleMs ?? IDLE_MS;
    if (!(this.idleMs > 0)) throw new Error(`idleMs must be a positive number of ms, got ${this.idleMs}`);
    this.workerUrl =
      options.workerUrl ?? workerEntryUrl(import.meta.url, './consoleReaderWorker.ts', 'console-reader-worker.mjs');
    this.now = options.now ?? (() => performance.now());
    this.restarts = new RestartBudget(options.maxRestarts ?? 3, options.restartWindowMs ?? RESTART_WINDOW_MS, () =>
      this.now(),
    );
    this.heapLimits = options.heapLimits ?? THREAD_HEAP_LIMITS;
  }

  botMetrics(botId: string, from: number, to: number): Promise<BotMetrics> {
    return this.request({ type: 'botMetrics', id: this.nextId++, botId, from, to }, () =>
      botMetrics(this.db, botId, from, to),
    ) as Promise<BotMetrics>;
  }

  prometheus(bots: BotScope[]): Promise<string> {
    return this.request({ type: 'prometheus', id: this.nextId++, bots }, () =>
      prometheusText(this.db, bots),
    ) as Promise<string>;
  }

  /** The bot's forecast (forecast.ts), with the widget presence the event loop knows. */
  async forecast(
    botId: string,
    options: { hours: number; limit: number; now: number },
    presence: PresenceLike | null,
  ): Promise<Forecast> {
    const onLoop = (): ForecastAnswer<Forecast> => ({
      forecast: buildForecast(this.services, botId, { ...options, presence }),
      asked: [],
    });
    let online: string[] | null = presence ? [] : null;
    for (let pass = 1; ; pass++) {
      const answer = (await this.request(
        { type: 'forecast', id: this.nextId++, botId, ...options, online },
        onLoop,
      )) as ForecastAnswer<Forecast>;
      if (!presence || online === null || pass === MAX_FORECAST_PASSES) return answer.forecast;
      const assumed = new Set(online);
      if (answer.asked.every((contactId) => presence.isConnected(contactId) === assumed.has(contactId)))
        return answer.forecast;
      online = [...new Set([...online, ...answer.asked])].filter((contactId) => presence.isConnected(contactId));
    }
  }

  /** The console's contact list (search.ts). */
  search(botId: string, query: SearchQuery, now: number): Promise<ContactSearch> {
    return this.request({ type: 'search', id: this.nextId++, botId, query, now }, () =>
      searchContacts(this.services.store, botId, query, now),
    ) as Promise<ContactSearch>;
  }

  /** The Response Info panel of one contact (info.ts). */
  responseInfo(
    contactId: string,
    options: { now: number; presence: PresenceLike | null; operatorId: string; botIds: string[] | null },
  ): Promise<ResponseInfo> {
    const { now, presence, operatorId, botIds } = options;
    const online = presence ? presence.isConnected(contactId) : null;
    const request = { type: 'responseInfo' as const, id: this.nextId++, contactId, now, online, operatorId, botIds };
    return this.request(request, () => responseInfo(this.services, contactId, options)) as Promise<ResponseInfo>;
  }

  /**
   * The visualizer's replay of one contact's whole history (src/viz/routes.ts), as UTF-8
   * JSON (the export indented): its cost grows with the history, 0.2–0.3 s and 3.6 MB of
   * JSON for 2,000 transitions. `onLoop` computes the same text with the route's own
   * reader when the thread cannot.
   */
  async visualizer(read: VizRead, onLoop: () => string, refuseOnDeath?: RefuseOnDeath): Promise<Buffer> {
    return utf8Answer(await this.request({ ...read, id: this.nextId++ }, onLoop, [], refuseOnDeath));
  }

  /**
   * An uploaded bug-report file's replay or what-if (src/viz/importRead.ts), as UTF-8 JSON:
   * 0.8–0.9 s for a 20 MB file. The thread gets a copy of `body` (the caller's bytes stay
   * the caller's). What the file costs is the uploader's choice, so a thread that dies on
   * it never hands it to the event loop: `refuseOnDeath` says what to answer instead. Only
   * without any thread (an in-memory database, a closed reader) does the loop replay it.
   */
  async vizImport(body: Uint8Array | null, kind: ImportKind, refuseOnDeath: RefuseOnDeath): Promise<Buffer> {
    const copy = body === null ? null : new Uint8Array(body);
    const request = { type: 'vizImport' as const, id: this.nextId++, body: copy, kind };
    return utf8Answer(
      await this.request(request, () => answerImport(body, kind), copy ? [copy.buffer] : [], refuseOnDeath),
    );
  }

  stats(): ConsoleReaderStats {
    return { running: this.thread !== null, ...this.counters, threadHeapMiB: this.thread ? this.threadHeapMiB : null };
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

  private request(
    message: Exclude<ConsoleReadRequest, { type: 'stop' }>,
    onLoop: () => unknown,
    transfer: readonly Transferable[] = [],
    refuseOnDeath?: RefuseOnDeath,
  ): Promise<unknown> {
    this.lastRequestAt = this.now();
    const thread = this.closed || this.dbPath === null ? null : (this.thread ?? this.spawn());
    if (!thread) return this.answerOnLoop(onLoop);
    return new Promise((resolve, reject) => {
      thread.owe(message.id, { resolve, reject, onLoop, refuseOnDeath });
      thread.post(message, transfer);
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
    if (!this.restarts.allows()) return null;
    const thread: Thread = new OwingWorker<Pending>(
      this.workerUrl,
      { workerData: { dbPath: this.dbPath }, resourceLimits: this.heapLimits },
      'console reader thread',
      {
        message: (reply) => this.settle(thread, reply as ConsoleReadReply),
        exit: ({ owed, death, deathCode }) => {
          if (this.thread === thread) this.thread = null;
          if (death !== null) {
            this.counters.lastError = death;
            this.counters.deaths++;
            this.restarts.died();
          }
          // An orderly stop has answered everything; a death leaves requests the loop answers
          // (or refuses, when their owner said so).
          for (const pending of owed) {
            const refusal =
              death !== null && pending.refuseOnDeath
                ? pending.refuseOnDeath({ reason: death, code: deathCode })
                : null;
            if (refusal) pending.reject(refusal);
            else this.answerOnLoop(pending.onLoop).then(pending.resolve, pending.reject);
          }
        },
      },
    );
    this.thread = thread;
    this.threadHeapMiB = null;
    this.counters.starts++;
    this.armRetirement();
    return thread;
  }

  private settle(thread: Thread, reply: ConsoleReadReply): void {
    const pending = thread.settle(reply.id);
    if (!pending) return;
    this.counters.answeredByThread++;
    this.threadHeapMiB = reply.heapMiB;
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(errorOf(reply));
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
