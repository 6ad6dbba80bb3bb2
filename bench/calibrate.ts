/**
 * Calibration run before the scenarios, so a reader can tell a slow build from a busy
 * machine: how much of a core this process actually gets (a busy loop's CPU time over its
 * wall time), and raw SQLite on the same disk and settings as the store (WAL,
 * synchronous=NORMAL): single-row INSERT transactions per second, committed one by one.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { round, tempDir } from './lib.ts';

export interface Calibration {
  /** CPU time / wall time of a 500 ms busy loop: 1 = a whole core, less = shared. */
  cpuShareOfOneCore: number;
  sqliteSingleRowCommitsPerSecond: number;
}

export function calibrate(): Calibration {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let x = 0;
  while (performance.now() - t0 < 500) for (let i = 0; i < 10_000; i++) x = (x + i * 7) % 1_000_003;
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const share = (cpu.user + cpu.system) / 1000 / wall + x * 0; // x keeps the loop from being optimised out

  const { dir, cleanup } = tempDir('calibrate');
  try {
    const db = new Database(join(dir, 'raw.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const body = 'x'.repeat(200);
    let n = 0;
    const s0 = performance.now();
    while (performance.now() - s0 < 1000) {
      insert.run(body);
      n++;
    }
    const rate = n / ((performance.now() - s0) / 1000);
    db.close();
    return { cpuShareOfOneCore: round(share, 2), sqliteSingleRowCommitsPerSecond: Math.round(rate) };
  } finally {
    cleanup();
  }
}
