/**
 * Runs the visualizer's replays (a stored contact's history, what-if, export, uploaded files)
 * on a console reader thread of their own, one at a time, because a replay's cost grows with
 * what it replays and must never stall the event loop (docs/visualizer.md).
 *
 * Guarantees: a replay that outgrows the heap bound kills only this thread and is refused (413
 * `import_too_large` / `history_too_large`); another death answers a stored replay on the loop
 * and refuses an upload (503 `import_failed`); at most `MAX_QUEUED_UPLOADS` uploads and
 * `MAX_QUEUED_STORED` stored replays wait (503 `replay_busy`); the thread stops after `IDLE_MS`.
 */
import type { ResourceLimits } from 'node:worker_threads';
import type { ReadServices } from './committedState.ts';
import { ConsoleReader, type ConsoleReaderStats } from './consoleReader.ts';
import type { VizRead } from './consoleReaderProtocol.ts';
import type { ImportKind } from '../viz/importRead.ts';

/** Room for a 20 MB real export (~95 MiB of heap at its peak), not for an arbitrary one. */
export const REPLAY_HEAP_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 };
/** Uploads accepted at once: the one replaying and those waiting. */
export const MAX_QUEUED_UPLOADS = 3;
/** Stored contacts' replays accepted at once (the page re-reads on every live update). */
export const MAX_QUEUED_STORED = 16;
const IDLE_MS = 10_000;
const OUT_OF_MEMORY = 'ERR_WORKER_OUT_OF_MEMORY';

/** A replay refused for what it would cost, or because the thread is busy (the API answers with `status`). */
export class ReplayRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'import_too_large' | 'history_too_large' | 'replay_busy' | 'import_failed',
    message: string,
  ) {
    super(message);
  }
}

export interface VizReplaysOptions {
  /** The thread's heap bounds (default REPLAY_HEAP_LIMITS). */
  heapLimits?: ResourceLimits;
  /** Stop the thread after this long without a replay (ms, default 10,000). */
  idleMs?: number;
  /** The thread's entry (tests substitute one); default the console reader's. */
  workerUrl?: URL;
}

export interface VizReplaysStats extends ConsoleReaderStats {
  /** Uploads and stored replays accepted and not answered yet. */
  queuedUploads: number;
  queuedStored: number;
  /** Replays refused because they outgrew the heap bound (413). */
  tooLarge: number;
}

export class VizReplays {
  private readonly thread: ConsoleReader;
  private readonly heapLimits: ResourceLimits;
  private readonly queued = { upload: 0, stored: 0 };
  private tooLarge = 0;
  private previous: Promise<unknown> = Promise.resolve();

  constructor(services: ReadServices, options: VizReplaysOptions = {}) {
    this.heapLimits = options.heapLimits ?? REPLAY_HEAP_LIMITS;
    this.thread = new ConsoleReader(services, {
      heapLimits: this.heapLimits,
      idleMs: options.idleMs ?? IDLE_MS,
      maxRestarts: Infinity,
      workerUrl: options.workerUrl,
    });
  }

  /** A stored contact's timeline, what-if or export as UTF-8 JSON; `onLoop` computes it on the event loop when no thread can. */
  stored(read: VizRead, onLoop: () => string): Promise<Buffer> {
    return this.inTurn('stored', MAX_QUEUED_STORED, () =>
      this.thread.visualizer(read, onLoop, (death) => {
        if (death.code !== OUT_OF_MEMORY) return null;
        const contact = read.contactId;
        return this.refusedTooLarge(
          'history_too_large',
          `replaying this contact's history needs more than the ${this.boundMiB()} MiB of memory a replay may use here: read it with npm run viz -- --contact ${contact} (a process of its own), or page through GET /api/contacts/${contact}/transitions`,
        );
      }),
    );
  }

  /** An uploaded file's timeline or what-if as UTF-8 JSON (src/viz/importRead.ts). */
  upload(body: Uint8Array | null, kind: ImportKind): Promise<Buffer> {
    return this.inTurn('upload', MAX_QUEUED_UPLOADS, () =>
      this.thread.vizImport(body, kind, (death) =>
        death.code === OUT_OF_MEMORY
          ? this.refusedTooLarge(
              'import_too_large',
              `replaying this file needs more than the ${this.boundMiB()} MiB of memory a replay may use: export a shorter history`,
            )
          : new ReplayRefusedError(
              503,
              'import_failed',
              `the replay thread stopped before answering (${death.reason}); retry`,
            ),
      ),
    );
  }

  stats(): VizReplaysStats {
    return {
      ...this.thread.stats(),
      queuedUploads: this.queued.upload,
      queuedStored: this.queued.stored,
      tooLarge: this.tooLarge,
    };
  }

  /** Lets the replays accepted finish, then stops the thread. */
  async close(): Promise<void> {
    await this.previous;
    await this.thread.close();
  }

  /** Runs `replay` after every replay accepted before it (so a death owes only the replay that caused it). */
  private inTurn(kind: 'upload' | 'stored', bound: number, replay: () => Promise<Buffer>): Promise<Buffer> {
    if (this.queued[kind] >= bound) {
      const what = kind === 'upload' ? 'uploaded files' : 'replays of stored contacts';
      return Promise.reject(
        new ReplayRefusedError(
          503,
          'replay_busy',
          `${bound} ${what} are being replayed or waiting; retry in a few seconds`,
        ),
      );
    }
    this.queued[kind]++;
    const turn = this.previous.then(replay);
    const done = () => void this.queued[kind]--;
    this.previous = turn.then(done, done);
    return turn;
  }

  private refusedTooLarge(code: 'import_too_large' | 'history_too_large', message: string): ReplayRefusedError {
    this.tooLarge++;
    return new ReplayRefusedError(413, code, message);
  }

  private boundMiB(): number {
    return (this.heapLimits.maxOldGenerationSizeMb ?? 0) + (this.heapLimits.maxYoungGenerationSizeMb ?? 0);
  }
}
