/**
 * Durable scheduler. Follow-ups live in the store (`followups.due_at`, an index on
 * pending rows, read through the port's `DueIndex`); only a bounded window of the nearest ones is held in an in-memory
 * min-heap. One timer is armed for the earliest entry. When the window drains it is
 * refilled from the index, so a million pending follow-ups cost a few thousand entries of
 * memory and a restart only reads the head of the index.
 *
 * Cancellation is lazy: the heap may hold entries that were cancelled or re-timed since;
 * the runtime re-reads the row before acting, so a stale entry never fires.
 */
import type { Clock, TimerHandle } from '../clock.ts';
import { settle, type DueIndex, type DueRef, type MaybePromise } from '../store/port.ts';
import { MinHeap } from './minHeap.ts';

const MAX_TIMER_MS = 60 * 60 * 1000;
/** Deliveries started per turn of the event loop: a burst of due rows never starves I/O. */
const MAX_PER_TURN = 256;
/** How many recent firing latencies are kept for measurement. */
const LATENESS_KEPT = 100_000;
/** Retry delay for a delivery that failed to commit. */
const DELIVERY_RETRY_MS = 1000;

export interface SchedulerOptions {
  store: DueIndex;
  clock: Clock;
  /**
   * Runs a due follow-up. May be bound later with bindDelivery: start-up reads the window
   * before the runtime that delivers exists (src/boot.ts).
   */
  deliver?: (ref: DueRef) => Promise<unknown>;
  windowSize?: number;
  onError?: (error: unknown, ref: DueRef) => void;
}

export class DurableScheduler {
  private heap = new MinHeap<DueRef>();
  /** Largest entry of the index known to be in memory; null = every pending row is. */
  private windowEdge: DueRef | null = null;
  private inFlight = new Set<string>();
  private timer: TimerHandle | null = null;
  private timerAt = Infinity;
  private running = false;
  /** The window has been read from the index (by load or start) and notify() keeps it current. */
  private loaded = false;
  /** A refill from an asynchronous store in flight: the heap is topped up when it lands. */
  private refilling = false;
  private readonly windowSize: number;
  /** Firing lateness in ms (now - due_at) of the last LATENESS_KEPT firings, in a ring. */
  private readonly latenessRing = new Float64Array(LATENESS_KEPT);
  private latenessCount = 0;
  delivered = 0;

  private deliver: ((ref: DueRef) => Promise<unknown>) | null;

  constructor(private readonly options: SchedulerOptions) {
    this.windowSize = options.windowSize ?? 2000;
    this.deliver = options.deliver ?? null;
  }

  bindDelivery(deliver: (ref: DueRef) => Promise<unknown>): void {
    this.deliver = deliver;
  }

  /**
   * Reads the head of the due index into memory: the next due follow-up is known, nothing
   * fires yet. Start-up calls this first, before the HTTP side is loaded (docs/architecture.md,
   * "Start-up"); follow-ups armed in between are kept (see notify) and fire once started.
   * Synchronous on a synchronous store; a promise to await on a network one.
   */
  load(): MaybePromise<void> {
    return settle(this.options.store.pendingWindow(this.windowSize), (rows) => {
      this.heap = new MinHeap();
      for (const row of rows) this.heap.push(row);
      this.windowEdge = rows.length === this.windowSize ? rows[rows.length - 1] : null;
      this.loaded = true;
    });
  }

  /** Starts firing (loading the window first unless `load()` just did). */
  start(): MaybePromise<void> {
    if (!this.deliver) throw new Error('scheduler started without a delivery function (bindDelivery)');
    this.running = true;
    if (this.loaded) return this.rearm();
    return settle(this.load(), () => this.rearm());
  }

  stop(): void {
    this.running = false;
    this.loaded = false;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  /** The earliest known pending follow-up (for readiness checks and tests). */
  nextDue(): DueRef | undefined {
    return this.heap.peek();
  }

  get inMemory(): number {
    return this.heap.size;
  }

  /** Called after a commit that armed or re-timed a follow-up. */
  notify(ref: DueRef): void {
    if (!this.loaded) return; // start() reads the index, which holds it
    if (this.windowEdge && !before(ref, this.windowEdge)) return; // the refill will find it
    this.heap.push(ref);
    if (this.heap.size > this.windowSize * 2) this.windowEdge = this.heap.truncate(this.windowSize) ?? null;
    if (ref.due_at < this.timerAt) this.rearm();
  }

  private rearm(): void {
    if (!this.running) return;
    if (this.heap.size === 0 && this.windowEdge && !this.refill()) return;
    const next = this.heap.peek();
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    if (!next) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, next.due_at - this.options.clock.now()));
    this.timerAt = this.options.clock.now() + wait;
    this.timer = this.options.clock.setTimeout(() => this.fire(), wait);
  }

  /**
   * Tops the heap up from the index after the window edge. True when done now; false when
   * an asynchronous store is still reading, which re-arms the timer once the rows are in.
   */
  private refill(): boolean {
    if (this.refilling) return false;
    const edge = this.windowEdge as DueRef;
    const rows = this.options.store.pendingAfter(edge.due_at, edge.id, this.windowSize);
    if (!(rows instanceof Promise)) {
      this.took(rows);
      return true;
    }
    this.refilling = true;
    rows.then(
      (read) => {
        this.refilling = false;
        this.took(read);
        this.rearm();
      },
      (error: unknown) => {
        // The index could not be read: try again shortly, the rows are still pending.
        this.refilling = false;
        this.options.onError?.(error, edge);
        this.options.clock.setTimeout(() => this.rearm(), DELIVERY_RETRY_MS);
      },
    );
    return false;
  }

  private took(rows: DueRef[]): void {
    for (const row of rows) this.heap.push(row);
    this.windowEdge = rows.length === this.windowSize ? rows[rows.length - 1] : null;
  }

  private fire(): void {
    this.timer = null;
    this.timerAt = Infinity;
    if (!this.running) return;
    const now = this.options.clock.now();
    let started = 0;
    for (;;) {
      if (started >= MAX_PER_TURN) {
        // More are due: continue after pending I/O instead of blocking this turn.
        setImmediate(() => this.fire());
        return;
      }
      const head = this.heap.peek();
      if (!head || head.due_at > now) {
        if (!head && this.windowEdge && this.refill()) continue;
        break;
      }
      this.heap.pop();
      if (this.inFlight.has(head.id)) continue;
      this.inFlight.add(head.id);
      started++;
      this.recordLateness(now - head.due_at);
      this.delivered++;
      (this.deliver as (ref: DueRef) => Promise<unknown>)(head).then(
        () => this.inFlight.delete(head.id),
        (error) => {
          // The delivery did not commit (e.g. storage unavailable): the row is still
          // pending in the database, so try it again shortly instead of forgetting it.
          this.inFlight.delete(head.id);
          this.options.onError?.(error, head);
          this.options.clock.setTimeout(() => this.notify(head), DELIVERY_RETRY_MS);
        },
      );
    }
    this.rearm();
  }

  private recordLateness(ms: number): void {
    // A ring, not array.shift(): shifting a full 100,000-entry array cost O(n) per firing.
    this.latenessRing[this.latenessCount % LATENESS_KEPT] = ms;
    this.latenessCount++;
  }

  /** Firing lateness in ms of the most recent firings, oldest first (for measurement). */
  get lateness(): number[] {
    const kept = Math.min(this.latenessCount, LATENESS_KEPT);
    const out = new Array<number>(kept);
    const first = this.latenessCount - kept;
    for (let i = 0; i < kept; i++) out[i] = this.latenessRing[(first + i) % LATENESS_KEPT];
    return out;
  }
}

function before(a: DueRef, b: DueRef): boolean {
  return a.due_at < b.due_at || (a.due_at === b.due_at && a.id <= b.id);
}
