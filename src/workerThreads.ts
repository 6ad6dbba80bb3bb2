/**
 * Starting the service's worker threads the same way from sources (tsx: `npm test`,
 * `npm run start:dev`) and from the bundle (`npm start`, dist/server/).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type Transferable, type WorkerOptions } from 'node:worker_threads';

/**
 * The entry of a worker: `source` next to the calling module when it runs from sources,
 * else the bundle's `bundled` entry (the calling module is dist/server/main.mjs or a chunk
 * under dist/server/chunks/). `here` is the caller's `import.meta.url`.
 */
export function workerEntryUrl(here: string, source: string, bundled: string): URL {
  if (here.endsWith('.ts')) return new URL(source, here);
  for (const candidate of [`./${bundled}`, `../${bundled}`]) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`the worker bundle ${bundled} is missing next to ${here}: run \`npm run build\``);
}

/**
 * A TypeScript entry (sources run under tsx) needs the loader inside the thread too: Node 20
 * does not apply the parent's `--import tsx` to a worker's entry, so the thread registers it
 * before importing the entry. The bundle is plain JavaScript.
 */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** A running idle check (`idleRetirementTimer`); `stop` cancels it (the owner closes). */
export interface IdleRetirement {
  stop(): void;
}

/**
 * While `running()` holds, calls `retireIfIdle` every quarter of `idleMs` (at most a minute
 * apart), then stops by itself and calls `onStopped`, so the owner can forget it. An idle
 * check only frees memory, so it never keeps the process alive.
 */
export function idleRetirementTimer(
  idleMs: number,
  retireIfIdle: () => void,
  running: () => boolean,
  onStopped: () => void,
): IdleRetirement {
  const period = Math.min(Math.max(idleMs / 4, 1), 60_000);
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    timer = setTimeout(check, period);
    timer.unref();
  };
  const check = () => {
    retireIfIdle();
    if (running()) return arm();
    timer = null;
    onStopped();
  };
  arm();
  return {
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

/**
 * How often threads that died may be started again: at most `max` times within any
 * `windowMs`, like a supervisor's restart intensity. Past that the owner does the work on
 * the event loop until enough of those deaths have left the window: a burst of deaths (a
 * broken entry, reads that outgrow the heap again and again) costs the thread for a while,
 * not for the life of the process.
 */
export class RestartBudget {
  /** When the deaths still inside the window happened (at most `max + 1` are kept). */
  private readonly deaths: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {
    if (!(max >= 0)) throw new Error(`max restarts must be 0 or more, got ${max}`);
    if (!(windowMs > 0)) throw new Error(`the restart window must be a positive number of ms, got ${windowMs}`);
  }

  died(): void {
    this.deaths.push(this.now());
    if (this.deaths.length > this.max + 1) this.deaths.shift();
  }

  /** Whether a thread may be started now. */
  allows(): boolean {
    const since = this.now() - this.windowMs;
    while (this.deaths.length > 0 && this.deaths[0] <= since) this.deaths.shift();
    return this.deaths.length <= this.max;
  }
}

/** How a worker with owed answers ended: `death` is null for an orderly stop. */
export interface OwingWorkerExit<Owed> {
  /**
   * What was never settled: after a death, what it had not answered; after an orderly stop
   * (the thread answers everything first), only what the owner left unsettled.
   */
  owed: Owed[];
  /** Why it ended without being asked to (an error it threw, or its exit code); null when stopped. */
  death: string | null;
  /** The code of the error it died of (`ERR_WORKER_OUT_OF_MEMORY`: its heap bound), if any. */
  deathCode: string | null;
}

/**
 * A worker thread that owes answers: what was sent to it is kept by request id until
 * `settle` takes it back. While it owes anything it keeps the process alive, like a pending
 * I/O request; idle, it never does. `stop` asks it (with its protocol's stop message) to
 * answer what it owes and exit. If it exits without being asked (crash, out of memory),
 * the `exit` handler gets what it still owed, so the owner can answer that another way.
 *
 * Serves the classifier threads and the metrics reader; their protocols and placement
 * rules stay their own.
 */
export class OwingWorker<Owed> {
  readonly worker: Worker;
  /** Resolves when the thread has exited, for whatever reason. */
  readonly exited: Promise<void>;
  private readonly owed = new Map<number, Owed>();
  private stopRequested = false;
  private hasExited = false;

  /** `label` names the thread in death reasons ("classifier thread exited with code 7"). */
  constructor(
    url: URL,
    options: WorkerOptions,
    label: string,
    handlers: { message: (message: unknown) => void; exit: (ended: OwingWorkerExit<Owed>) => void },
  ) {
    this.worker = startWorker(url, options);
    let failure: string | null = null;
    let failureCode: string | null = null;
    let resolveExited!: () => void;
    this.exited = new Promise((resolve) => (resolveExited = resolve));
    this.worker.on('message', handlers.message);
    this.worker.on('error', (error) => {
      failure = `${label} failed: ${error.message}`;
      failureCode =
        typeof (error as NodeJS.ErrnoException).code === 'string'
          ? ((error as NodeJS.ErrnoException).code as string)
          : null;
    });
    this.worker.on('exit', (code) => {
      this.hasExited = true;
      const owed = [...this.owed.values()];
      this.owed.clear();
      resolveExited();
      const died = !this.stopRequested;
      handlers.exit({
        owed,
        death: died ? (failure ?? `${label} exited with code ${code}`) : null,
        deathCode: died ? failureCode : null,
      });
    });
    // Only after the listeners: in Node 20 adding a 'message' listener refs the worker again,
    // so an unref before it is undone and an idle thread keeps the process alive.
    this.worker.unref();
  }

  /** How many answers it owes now. */
  get owedCount(): number {
    return this.owed.size;
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  get ended(): boolean {
    return this.hasExited;
  }

  /** Records a request sent (or about to be sent) to the thread under `id`. */
  owe(id: number, item: Owed): void {
    if (this.owed.size === 0) this.worker.ref();
    this.owed.set(id, item);
  }

  /** Sends a message of the thread's protocol (`transfer`: memory that moves to the thread instead of being copied). */
  post(message: unknown, transfer: readonly Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  /** Takes back what was owed under `id` (undefined: not owed, e.g. answered twice). */
  settle(id: number): Owed | undefined {
    const item = this.owed.get(id);
    if (item === undefined) return undefined;
    this.owed.delete(id);
    if (this.owed.size === 0 && !this.stopRequested) this.worker.unref();
    return item;
  }

  /**
   * Keeps the process alive until `until` settles (a caller waiting on the thread for
   * something that is not an owed answer, such as its warm-up).
   */
  async holdOpenUntil(until: Promise<unknown>): Promise<void> {
    this.worker.ref();
    try {
      await until;
    } finally {
      if (this.owed.size === 0 && !this.stopRequested && !this.hasExited) this.worker.unref();
    }
  }

  /** Asks the thread to answer what it owes and exit; resolves when it has exited. */
  stop(stopMessage: unknown): Promise<void> {
    if (!this.stopRequested && !this.hasExited) {
      this.stopRequested = true;
      this.worker.ref(); // the process waits for the answers it is owed
      this.worker.postMessage(stopMessage);
    }
    return this.exited;
  }
}
