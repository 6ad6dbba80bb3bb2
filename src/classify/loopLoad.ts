/**
 * Is the event loop saturated? The classifier threads ask before each request: while the loop
 * has time to spare, classifying in place answers sooner than a round trip to a thread; once
 * it is saturated, the thread's second core adds throughput. Read from the event-loop
 * utilization (`performance.eventLoopUtilization`) over short intervals, with hysteresis:
 * saturated from `enterAt` until it falls below `leaveBelow`.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface LoopLoad {
  saturated(): boolean;
  /** The utilization of the last interval (0–1), null before the first. */
  lastUtilization(): number | null;
  stop(): void;
}

export interface EventLoopLoadOptions {
  /** Length of each measured interval (default 250 ms). */
  intervalMs?: number;
  /** Utilization from which the loop counts as saturated (default 0.95). */
  enterAt?: number;
  /** Utilization below which it no longer does (default 0.8). */
  leaveBelow?: number;
  /** Utilization since the previous call (tests script it); default: the event loop's own. */
  utilization?: () => number;
  /** Sample on a timer (default true); false: only when `sample()` is called (tests). */
  autoSample?: boolean;
}

/** The event loop's utilization since the previous call. */
export function eventLoopUtilizationSampler(): () => number {
  let previous: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(now, previous);
    previous = now;
    return delta.utilization;
  };
}

export class EventLoopLoad implements LoopLoad {
  private busy = false;
  private last: number | null = null;
  private readonly enterAt: number;
  private readonly leaveBelow: number;
  private readonly utilization: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: EventLoopLoadOptions = {}) {
    this.enterAt = options.enterAt ?? 0.95;
    this.leaveBelow = options.leaveBelow ?? 0.8;
    if (!(this.leaveBelow > 0 && this.leaveBelow <= this.enterAt && this.enterAt <= 1)) {
      throw new Error(
        `need 0 < leaveBelow <= enterAt <= 1, got leaveBelow ${this.leaveBelow}, enterAt ${this.enterAt}`,
      );
    }
    this.utilization = options.utilization ?? eventLoopUtilizationSampler();
    if (options.autoSample ?? true) {
      // The timer only measures: it must never keep the process alive.
      this.timer = setInterval(() => this.sample(), options.intervalMs ?? 250);
      this.timer.unref();
    }
  }

  sample(): void {
    const u = this.utilization();
    this.last = u;
    if (!this.busy && u >= this.enterAt) this.busy = true;
    else if (this.busy && u < this.leaveBelow) this.busy = false;
  }

  saturated(): boolean {
    return this.busy;
  }

  lastUtilization(): number | null {
    return this.last;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
