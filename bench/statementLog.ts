/**
 * Records every SQLite statement one connection executes while a workload runs, and
 * replays the log on a copy of the database taken before it: the same statements with the
 * same parameters in the same order, with none of the JavaScript around them. The replay is
 * the floor for those rows — what SQLite itself costs (bench/scenarios/floors.ts).
 * Recording wraps better-sqlite3's Statement prototype, so it sees the transactions' own
 * BEGIN / COMMIT / ROLLBACK too; a workload that calls `db.exec` while recording is refused
 * (that SQL would be missing from the log).
 */
import { performance } from 'node:perf_hooks';
import type { DB } from '../src/store/db.ts';

export type StatementMethod = 'run' | 'get' | 'all' | 'iterate';

export interface LoggedStatement {
  sql: string;
  method: StatementMethod;
  args: unknown[];
  /** The call threw (a constraint, a failed batch member): the replay must throw too. */
  threw: boolean;
  /** Wall time inside the call, in microseconds, as recorded. */
  micros: number;
}

const METHODS: readonly StatementMethod[] = ['run', 'get', 'all', 'iterate'];

// `this` is the statement (its `source` and `database` are read).
type AnyFn = (this: any, ...args: unknown[]) => unknown;

/**
 * Runs `workload` while logging every statement `db` executes. The prototype is shared by
 * every connection of the process, so only calls on `db`'s statements are logged.
 */
export async function recordStatements(db: DB, workload: () => Promise<void>): Promise<LoggedStatement[]> {
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<StatementMethod, AnyFn>;
  const originals = Object.fromEntries(METHODS.map((m) => [m, proto[m]])) as Record<StatementMethod, AnyFn>;
  const log: LoggedStatement[] = [];
  const originalExec = db.exec;
  let execCalls = 0;
  for (const method of METHODS) {
    const original = originals[method];
    proto[method] = function (this: { source: string; database: DB }, ...args: unknown[]) {
      if (this.database !== db) return original.apply(this, args);
      const start = performance.now();
      let threw = true;
      try {
        // An iterator's rows are read later by its caller; drain it here so its cost counts.
        const result =
          method === 'iterate'
            ? [...(original.apply(this, args) as Iterable<unknown>)].values()
            : original.apply(this, args);
        threw = false;
        return result;
      } finally {
        log.push({ sql: this.source, method, args, threw, micros: (performance.now() - start) * 1000 });
      }
    };
  }
  db.exec = function (this: DB, sql: string) {
    execCalls++;
    return originalExec.call(this, sql);
  } as DB['exec'];
  try {
    await workload();
  } finally {
    for (const method of METHODS) proto[method] = originals[method];
    db.exec = originalExec;
  }
  if (execCalls > 0)
    throw new Error(`the workload called db.exec ${execCalls} times while recording: its SQL is not in the log`);
  return log;
}

export interface ReplayResult {
  statements: number;
  commits: number;
  wallMs: number;
  /** Of the wall time, how long the event loop was busy (not waiting on `afterCommit`). */
  busyMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

/**
 * Replays `log` on `db` (a copy of the recorded database as it was when recording began).
 * Each call must succeed or fail as it did when recorded; a difference means the copy was
 * not the recorded state, and the replay stops with an error. `afterCommit` runs after each
 * COMMIT and may return a promise to wait for (the WAL checkpoint gate).
 */
export async function replayStatements(
  db: DB,
  log: readonly LoggedStatement[],
  afterCommit: () => Promise<void> | null = () => null,
): Promise<ReplayResult> {
  const prepared = new Map<string, Record<StatementMethod, AnyFn>>();
  const statement = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, (s = db.prepare(sql) as unknown as Record<StatementMethod, AnyFn>));
    return s;
  };
  for (const entry of log) statement(entry.sql); // preparing is not part of the floor
  let commits = 0;
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const start = performance.now();
  for (let i = 0; i < log.length; i++) {
    const entry = log[i];
    const s = statement(entry.sql);
    let threw = false;
    try {
      const result = s[entry.method](...entry.args);
      if (entry.method === 'iterate') for (const _row of result as Iterable<unknown>);
    } catch (error) {
      threw = true;
      if (!entry.threw)
        throw new Error(`replay diverged at statement ${i} (${entry.sql.slice(0, 80)}): it threw ${String(error)}`);
    }
    if (entry.threw && !threw)
      throw new Error(`replay diverged at statement ${i} (${entry.sql.slice(0, 80)}): it threw when recorded, not now`);
    if (entry.sql === 'COMMIT' && !threw) {
      commits++;
      const wait = afterCommit();
      if (wait) await wait;
    }
  }
  const wallMs = performance.now() - start;
  // The loop's busy time is read from its own clock: on a short replay it can come out a
  // few microseconds above the wall time measured here.
  const busyMs = Math.min(wallMs, performance.eventLoopUtilization(elu0).active);
  const cpu = process.cpuUsage(cpu0);
  return {
    statements: log.length,
    commits,
    wallMs,
    busyMs,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
  };
}
