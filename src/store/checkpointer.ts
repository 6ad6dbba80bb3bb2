/**
 * Runs WAL checkpoints (`wal_checkpoint(PASSIVE)`) on a worker thread with its own connection,
 * so no commit copies the WAL back and fsyncs inside the event loop (docs/benchmarks.md, R2).
 *
 * Guarantees: the WAL stays bounded. The worker is asked to checkpoint after each commit (the
 * WAL only rewinds when a write begins with every frame copied back), and once the WAL passes
 * `maxWalFrames` the committer's next batch waits, off the event loop, for a checkpoint covering
 * every commit. If the worker cannot start or dies, the main connection gets its automatic
 * checkpoints back.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { DB } from './db.ts';
import type { CommitGate } from './commitGate.ts';

const require = createRequire(import.meta.url);

// Plain CommonJS evaluated in the worker (no tsx there: it would cost start-up time and memory).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
db.pragma('synchronous = NORMAL');
let running = true;
// request: the id of the main thread's request this checkpoint answers (0: the timer's).
function checkpoint(request) {
  if (!running) return;
  const startedAt = Date.now();
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'checkpoint', request, startedAt, log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ type: 'error', request, message: String(error && error.message || error) });
  }
}
const timer = setInterval(() => checkpoint(0), workerData.intervalMs);
parentPort.on('message', (message) => {
  if (typeof message === 'number') return checkpoint(message);
  if (message !== 'stop') return;
  running = false;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface CheckpointerStats {
  running: boolean;
  checkpoints: number;
  /** When the last reported checkpoint started (ms since the epoch). */
  lastStartedAt: number;
  /** WAL frames at the last checkpoint, and how many of them were copied. */
  lastLog: number;
  lastCheckpointed: number;
  errors: number;
  lastError: string | null;
}

interface WorkerReport {
  type: 'checkpoint' | 'error';
  request?: number;
  startedAt?: number;
  log?: number;
  checkpointed?: number;
  message?: string;
}

export class BackgroundCheckpointer implements CommitGate {
  private worker: Worker | null;
  /** Id of the checkpoint request the worker has not answered yet (0: none). */
  private requestInFlight = 0;
  private lastRequest = 0;
  /** A commit landed after the request in flight was sent, so its answer covers too little. */
  private committedSinceRequest = false;
  /** Batches waiting for a checkpoint that covers every commit (see roomToCommit). */
  private waiters: (() => void)[] = [];
  private requestTimer: NodeJS.Timeout | null = null;
  private lastRequestAt = 0;
  private readonly maxWalFrames: number;
  private readonly minRequestGapMs: number;
  private readonly stopped: Promise<void>;
  readonly stats: CheckpointerStats = {
    running: true,
    checkpoints: 0,
    lastStartedAt: 0,
    lastLog: 0,
    lastCheckpointed: 0,
    errors: 0,
    lastError: null,
  };
  /** SQLite's own automatic checkpoint threshold, given back when the worker stops or dies. */
  private readonly fallbackPages: number;

  constructor(
    private readonly db: DB,
    options: {
      intervalMs?: number;
      autocheckpointPages?: number;
      maxWalFrames?: number;
      minRequestGapMs?: number;
    } = {},
  ) {
    this.fallbackPages = options.autocheckpointPages ?? 1000;
    // 16,384 frames = 64 MiB of 4 KiB pages, the size the WAL file is cut back to when it
    // rewinds (journal_size_limit below): past it the file would grow again. Eight or more
    // saturated group commits; fewer let a slow checkpoint hold batches back more often.
    this.maxWalFrames = options.maxWalFrames ?? 16384;
    this.minRequestGapMs = options.minRequestGapMs ?? 10;
    // Bound the WAL file on disk once it is rewound (it is reused, not shrunk, otherwise).
    db.pragma('journal_size_limit = 67108864');
    db.pragma('wal_autocheckpoint = 0');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { module: require.resolve('better-sqlite3'), path: db.name, intervalMs: options.intervalMs ?? 200 },
    });
    this.worker = worker;
    worker.on('message', (message: WorkerReport) => {
      if (message.type === 'checkpoint') {
        this.stats.checkpoints++;
        this.stats.lastStartedAt = message.startedAt ?? 0;
        this.stats.lastLog = message.log ?? 0;
        this.stats.lastCheckpointed = message.checkpointed ?? 0;
      } else if (message.type === 'error') {
        this.stats.errors++;
        this.stats.lastError = message.message ?? 'unknown';
      }
      if (message.request && message.request === this.requestInFlight) this.answered();
    });
    this.stopped = new Promise((resolve) => {
      const fallBack = (reason: string) => {
        this.forgetRequests();
        if (this.worker === null) return resolve(); // an orderly stop
        this.worker = null;
        this.stats.running = false;
        this.stats.lastError = reason;
        if (db.open) db.pragma(`wal_autocheckpoint = ${this.fallbackPages}`);
        resolve();
      };
      worker.on('error', (error) => fallBack(`checkpointer failed: ${error.message}`));
      worker.on('exit', (code) => fallBack(`checkpointer exited with code ${code}`));
    });
    // After the listeners: in Node 20 adding a 'message' listener refs the worker again (an
    // unref before it was undone, and the checkpointer kept the process alive).
    worker.unref();
  }

  /**
   * The committer committed: ask for a checkpoint now, or once the one in flight ends. At
   * most one request per `minRequestGapMs`: one commit at a time (a few pages each) would
   * otherwise cost a checkpoint with two fsyncs per commit. Saturated group commits come
   * further apart than that, so each is still checkpointed the moment it lands.
   */
  committed(): void {
    if (!this.worker) return;
    if (this.requestInFlight || this.requestTimer) this.committedSinceRequest = true;
    else this.scheduleRequest();
  }

  /**
   * Null while the WAL is below its bound. Past it, a promise for the next checkpoint that
   * covers every commit: with no commit in between, it copies the whole WAL back and the
   * waiting batch's transaction then rewinds the WAL to its start.
   */
  roomToCommit(): Promise<void> | null {
    // Nothing asked since the last answer: that answer already covered every commit.
    if (!this.worker || (!this.requestInFlight && !this.requestTimer)) return null;
    // Until the worker's first answer the WAL's length is unknown (the worker takes tens
    // of ms to start): wait rather than let it grow unseen.
    if (this.stats.checkpoints > 0 && this.stats.lastLog < this.maxWalFrames) return null;
    // A held batch is an answer owed by the worker: it keeps the process alive until then.
    if (this.waiters.length === 0) this.worker.ref();
    const wait = new Promise<void>((resolve) => this.waiters.push(resolve));
    // A batch is held: the next checkpoint is asked for at once, not after the spacing.
    if (this.requestTimer) {
      clearTimeout(this.requestTimer);
      this.requestTimer = null;
      this.request();
    }
    return wait;
  }

  private scheduleRequest(): void {
    if (this.waiters.length) return this.request();
    const wait = this.lastRequestAt + this.minRequestGapMs - Date.now();
    if (wait <= 0) return this.request();
    this.requestTimer = setTimeout(() => {
      this.requestTimer = null;
      this.request();
    }, wait);
    this.requestTimer.unref();
  }

  private request(): void {
    if (!this.worker) return;
    this.requestInFlight = ++this.lastRequest;
    this.lastRequestAt = Date.now();
    this.committedSinceRequest = false;
    this.worker.postMessage(this.requestInFlight);
  }

  private answered(): void {
    this.requestInFlight = 0;
    if (this.committedSinceRequest) this.scheduleRequest();
    else this.releaseWaiters();
  }

  /** The worker is gone (stopped or dead): nothing is asked of it, nobody waits for it. */
  private forgetRequests(): void {
    if (this.requestTimer) clearTimeout(this.requestTimer);
    this.requestTimer = null;
    this.requestInFlight = 0;
    this.releaseWaiters();
  }

  private releaseWaiters(): void {
    const waiters = this.waiters;
    if (waiters.length === 0) return;
    this.waiters = [];
    this.worker?.unref(); // nobody waits for it now (a stopping worker is null here and stays ref'd)
    for (const resolve of waiters) resolve();
  }

  /** Stops the worker (before the main connection closes, which checkpoints one last time). */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return this.stopped;
    this.worker = null;
    this.stats.running = false;
    this.forgetRequests();
    worker.ref(); // keep the process alive until the worker has closed its connection
    worker.postMessage('stop');
    await this.stopped;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${this.fallbackPages}`);
  }
}
