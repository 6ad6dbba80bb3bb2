/**
 * Replays of uploaded bug-report files (`POST /api/viz/import`, `…/import/what-if`): one
 * at a time, on a console reader thread of their own, whose heap bound is the limit of
 * what an import may cost.
 *
 * What an upload costs is the uploader's choice: 20 MB of real export (6,600 log entries)
 * needs ~95 MiB of heap and 0.8–1.5 s, but 20 MB of minimal log entries (200,000) needs
 * 0.6–0.9 GiB and would answer 143 MB of JSON. On the event loop that stalled every chat
 * ack for seconds and grew the service's heap by as much. Here:
 * - a file that needs more than the thread's heap bound kills only that thread, and is
 *   refused (413 `import_too_large`), never replayed on the event loop instead;
 * - the next upload starts a new thread (deaths never move imports to the loop);
 * - one replay runs at a time and at most `MAX_QUEUED_IMPORTS` are accepted (each holds
 *   its body, up to 20 MiB), more are refused (503 `import_busy`);
 * - the thread stops after `IMPORT_IDLE_MS` without an upload, so its memory goes back.
 */
import type { ResourceLimits } from 'node:worker_threads';
import type { ReadServices } from '../console/committedState.ts';
import { ConsoleReader, type ConsoleReaderStats, type ThreadDeath } from '../console/consoleReader.ts';
import type { ImportKind } from './importRead.ts';

/** Room for a 20 MB real export (~95 MiB of heap at its peak), not for an arbitrary one. */
export const IMPORT_HEAP_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 };
/** Uploads accepted at once: the one replaying and those waiting for it. */
export const MAX_QUEUED_IMPORTS = 3;
const IMPORT_IDLE_MS = 10_000;

/** An upload refused for what it would cost (the API answers with `status`). */
export class ImportRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'import_too_large' | 'import_busy' | 'import_failed',
    message: string,
  ) {
    super(message);
  }
}

export interface ImportReplaysOptions {
  /** The thread's heap bounds (default IMPORT_HEAP_LIMITS). */
  heapLimits?: ResourceLimits;
  /** Stop the thread after this long without an upload (ms, default 10,000). */
  idleMs?: number;
  /** The thread's entry (tests substitute one); default the console reader's. */
  workerUrl?: URL;
}

export class ImportReplays {
  private readonly thread: ConsoleReader;
  private readonly heapLimits: ResourceLimits;
  private queued = 0;
  private previous: Promise<unknown> = Promise.resolve();

  constructor(services: ReadServices, options: ImportReplaysOptions = {}) {
    this.heapLimits = options.heapLimits ?? IMPORT_HEAP_LIMITS;
    this.thread = new ConsoleReader(services, { heapLimits: this.heapLimits, idleMs: options.idleMs ?? IMPORT_IDLE_MS, maxRestarts: Infinity, workerUrl: options.workerUrl });
  }

  /** The file's timeline or what-if as UTF-8 JSON (src/viz/importRead.ts). */
  answer(body: Uint8Array | null, kind: ImportKind): Promise<Buffer> {
    if (this.queued >= MAX_QUEUED_IMPORTS) {
      return Promise.reject(new ImportRefusedError(503, 'import_busy', `${MAX_QUEUED_IMPORTS} uploaded files are being replayed or waiting; retry in a few seconds`));
    }
    this.queued++;
    const turn = this.previous.then(() => this.thread.vizImport(body, kind, (death) => this.refusal(death)));
    this.previous = turn.then(
      () => this.queued--,
      () => this.queued--,
    );
    return turn;
  }

  stats(): ConsoleReaderStats & { queued: number } {
    return { ...this.thread.stats(), queued: this.queued };
  }

  /** Lets the replays accepted finish, then stops the thread. */
  async close(): Promise<void> {
    await this.previous;
    await this.thread.close();
  }

  private refusal(death: ThreadDeath): ImportRefusedError {
    if (death.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      const mib = (this.heapLimits.maxOldGenerationSizeMb ?? 0) + (this.heapLimits.maxYoungGenerationSizeMb ?? 0);
      return new ImportRefusedError(413, 'import_too_large', `replaying this file needs more than the ${mib} MiB of memory an import may use: export a shorter history`);
    }
    return new ImportRefusedError(503, 'import_failed', `the import's thread stopped before answering (${death.reason}); retry`);
  }
}
