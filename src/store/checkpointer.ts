/**
 * Moves WAL checkpoints off the event loop. With SQLite's default (`wal_autocheckpoint`
 * = 1000 pages) the commit that crosses the threshold copies the WAL back into the
 * database file and fsyncs it synchronously, inside the event loop: 7.7 % of all CPU and
 * stalls of tens of ms in the profile (docs/benchmarks.md, R2). Here a worker thread with
 * its own connection runs `wal_checkpoint(PASSIVE)` on a timer instead. In WAL mode a
 * passive checkpoint never blocks the writer, and once every frame is copied the writer
 * rewinds the WAL by itself at its next commit, so the file stays small.
 *
 * If the worker cannot start or dies, the main connection gets its automatic checkpoints
 * back: a dead checkpointer must never let the WAL grow without bound.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { DB } from './db.ts';

const require = createRequire(import.meta.url);

// Plain CommonJS evaluated in the worker (no tsx there: it would cost start-up time and memory).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
db.pragma('synchronous = NORMAL');
let running = true;
function checkpoint() {
  if (!running) return;
  const startedAt = Date.now();
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'checkpoint', startedAt, log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String(error && error.message || error) });
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
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

export class BackgroundCheckpointer {
  private worker: Worker | null;
  private readonly stopped: Promise<void>;
  readonly stats: CheckpointerStats = { running: true, checkpoints: 0, lastStartedAt: 0, lastLog: 0, lastCheckpointed: 0, errors: 0, lastError: null };
  /** SQLite's own automatic checkpoint threshold, given back when the worker stops or dies. */
  private readonly fallbackPages: number;

  constructor(private readonly db: DB, options: { intervalMs?: number; autocheckpointPages?: number } = {}) {
    this.fallbackPages = options.autocheckpointPages ?? 1000;
    // Bound the WAL file on disk once it is rewound (it is reused, not shrunk, otherwise).
    db.pragma('journal_size_limit = 67108864');
    db.pragma('wal_autocheckpoint = 0');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { module: require.resolve('better-sqlite3'), path: db.name, intervalMs: options.intervalMs ?? 200 },
    });
    this.worker = worker;
    worker.unref();
    worker.on('message', (message: { type: string; startedAt?: number; log?: number; checkpointed?: number; message?: string }) => {
      if (message.type === 'checkpoint') {
        this.stats.checkpoints++;
        this.stats.lastStartedAt = message.startedAt ?? 0;
        this.stats.lastLog = message.log ?? 0;
        this.stats.lastCheckpointed = message.checkpointed ?? 0;
      } else if (message.type === 'error') {
        this.stats.errors++;
        this.stats.lastError = message.message ?? 'unknown';
      }
    });
    this.stopped = new Promise((resolve) => {
      const fallBack = (reason: string) => {
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
  }

  /** Stops the worker (before the main connection closes, which checkpoints one last time). */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return this.stopped;
    this.worker = null;
    this.stats.running = false;
    worker.ref(); // keep the process alive until the worker has closed its connection
    worker.postMessage('stop');
    await this.stopped;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${this.fallbackPages}`);
  }
}
