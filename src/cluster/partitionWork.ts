/**
 * What a cluster node does on the partitions it owns, and only there: it consumes their
 * inbox in order and fires their due follow-ups, each write fenced by the partition's token
 * (what an event or a follow-up does is the caller's: `applyEvents`, `fireDue`). On gaining
 * a partition it reads that partition's pending follow-ups at once, so a dead node's fire
 * within one lease plus one renew interval; a sweep re-reads every owned partition (rows
 * armed by an earlier owner, notifications lost on a reconnect). An entry of a partition
 * the node lost is dropped when it comes due; the firing transaction re-checks the row.
 */
import type pg from 'pg';
import { systemClock, type Clock, type TimerHandle } from '../clock.ts';
import { MinHeap } from '../runtime/minHeap.ts';
import type { DueRef } from '../store/port.ts';
import { consumeInbox, type InboxEvent } from './inbox.ts';
import { FencedError, type Lease } from './leases.ts';
import { CHANNELS, type Channel } from './notify.ts';
import type { OwnershipChange } from './partitionManager.ts';

/** The node's leases as the PartitionManager holds them. */
export interface HeldLeases {
  tokenFor(partition: number): number | undefined;
  owned(): Lease[];
}

/** A pending follow-up with its contact's partition. */
export interface PartitionDue extends DueRef {
  partition: number;
}

export interface PartitionWorkOptions {
  pool: pg.Pool;
  leases: HeldLeases;
  partitionOf: (contactId: string) => number;
  /**
   * Applies a partition's oldest events inside the transaction that removes them, fenced by
   * `lease`; returns the follow-ups it armed, which are queued once that transaction committed.
   */
  applyEvents: (
    client: pg.PoolClient,
    events: InboxEvent[],
    lease: Pick<Lease, 'partition' | 'token'>,
  ) => Promise<DueRef[] | void>;
  /** The first `limit` pending follow-ups of `partitions` in due order (PgStore.pendingWindow). */
  dueWindow: (partitions: number[], limit: number) => Promise<DueRef[]>;
  /** Fires a due follow-up in a transaction fenced by `lease` (re-checking that the row is still pending). */
  fireDue: (ref: PartitionDue, lease: Pick<Lease, 'partition' | 'token'>) => Promise<void>;
  /** A contact has new rows for the sockets this node holds (`nudge_contact`). */
  onContact?: (contactId: string) => void;
  clock?: Clock;
  /** How often every owned partition's inbox and due window are read again (default 2,000 ms). */
  sweepMs?: number;
  /** Events per inbox transaction (default 25): a transaction holds a pooled connection throughout. */
  inboxBatch?: number;
  /**
   * Inbox transactions running at once at most (default half the pool, at least one), so a
   * gained partition's backlog leaves connections to the firings and the sockets.
   */
  maxInboxTransactions?: number;
  /** Pending follow-ups read per partition load (default 2,000). */
  windowSize?: number;
  /** Wait before a follow-up whose firing failed is tried again (default 1,000 ms). */
  retryMs?: number;
  log?: (line: string) => void;
}

/** Counters for health and tests. */
export interface PartitionWorkStats {
  eventsApplied: number;
  fired: number;
  /** Writes refused by the fence: the partition had changed hands. */
  fenced: number;
  failures: number;
}

const MAX_TIMER_MS = 60 * 60 * 1000;

export class PartitionWork {
  private readonly clock: Clock;
  private readonly heap = new MinHeap<PartitionDue>();
  /** What the heap holds, by id and due time: a sweep re-reading the window adds no duplicate. */
  private readonly queued = new Set<string>();
  private readonly inFlight = new Set<string>();
  /** Per partition: the drain running now, and whether another notification came meanwhile. */
  private readonly draining = new Map<number, Promise<void>>();
  private readonly again = new Set<number>();
  private inboxSlots: number;
  private readonly slotWaiters: (() => void)[] = [];
  private timer: TimerHandle | null = null;
  private timerAt = Infinity;
  private sweepTimer: TimerHandle | null = null;
  private stopped = false;
  readonly stats: PartitionWorkStats = { eventsApplied: 0, fired: 0, fenced: 0, failures: 0 };

  constructor(private readonly options: PartitionWorkOptions) {
    this.clock = options.clock ?? systemClock;
    const poolSize = (options.pool as { options?: { max?: number } } | null)?.options?.max ?? 2;
    this.inboxSlots = options.maxInboxTransactions ?? Math.max(1, Math.floor(poolSize / 2));
  }

  /** Starts the sweep. */
  start(): void {
    this.scheduleSweep();
  }

  /** Stops firing and consuming; in-flight transactions end on their own. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    if (this.sweepTimer) this.clock.clearTimeout(this.sweepTimer);
    this.timer = this.sweepTimer = null;
    await Promise.allSettled([...this.draining.values()]);
  }

  /** From the PartitionManager: a gained partition's inbox is drained and its due window loaded. */
  onOwnershipChange(change: OwnershipChange): void {
    if (this.stopped) return;
    const gained = change.gained.map((lease) => lease.partition);
    if (gained.length === 0) return;
    // Events queued while the partition had no owner first: a reply received then cancels
    // the follow-up it answers before that follow-up is loaded and fires.
    void Promise.all(gained.map((partition) => this.drain(partition))).then(() => this.load(gained));
  }

  /** From the listener: an inbox partition has events, or a contact has rows for a socket. */
  onNotify(channel: Channel, payload: string): void {
    if (this.stopped) return;
    if (channel === CHANNELS.inbox) {
      const partition = Number(payload);
      if (this.options.leases.tokenFor(partition) !== undefined) this.drain(partition);
    } else if (channel === CHANNELS.contact) {
      this.options.onContact?.(payload);
    }
  }

  /** After the listener reconnected: whatever was announced meanwhile is read again. */
  onReconnect(): void {
    this.sweep();
  }

  /** A follow-up this node armed (after its commit): it fires here while the partition is owned. */
  armed(ref: DueRef): void {
    if (this.stopped) return;
    this.push({ ...ref, partition: this.options.partitionOf(ref.contact_id) });
  }

  /** Drains every owned partition's inbox and reloads their due windows. */
  sweep(): void {
    if (this.stopped) return;
    const owned = this.options.leases.owned().map((lease) => lease.partition);
    for (const partition of owned) this.drain(partition);
    if (owned.length) void this.load(owned);
  }

  /** Consumes the partition's inbox until it is empty; one drain per partition at a time. */
  drain(partition: number): Promise<void> {
    const running = this.draining.get(partition);
    if (running) {
      this.again.add(partition);
      return running;
    }
    const done = this.drainLoop(partition).finally(() => {
      this.draining.delete(partition);
      if (this.again.delete(partition) && !this.stopped) this.drain(partition);
    });
    this.draining.set(partition, done);
    return done;
  }

  private async drainLoop(partition: number): Promise<void> {
    const batch = this.options.inboxBatch ?? 25;
    for (;;) {
      await this.inboxSlot();
      const token = this.options.leases.tokenFor(partition);
      if (token === undefined || this.stopped) return this.releaseInboxSlot();
      const lease = { partition, token };
      try {
        let armed: DueRef[] = [];
        const applied = await consumeInbox(this.options.pool, lease, batch, async (client, events) => {
          armed = (await this.options.applyEvents(client, events, lease)) ?? [];
        });
        this.stats.eventsApplied += applied;
        for (const ref of armed) this.armed(ref);
        if (applied < batch) return;
      } catch (error) {
        this.failed(`inbox of partition ${partition}`, error);
        return; // the events stay; the next notification or sweep tries again
      } finally {
        this.releaseInboxSlot();
      }
    }
  }

  private inboxSlot(): Promise<void> {
    if (this.inboxSlots > 0) {
      this.inboxSlots--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  /** Hands the slot to the next waiting drain, or back. */
  private releaseInboxSlot(): void {
    const next = this.slotWaiters.shift();
    if (next) next();
    else this.inboxSlots++;
  }

  private async load(partitions: number[]): Promise<void> {
    try {
      const rows = await this.options.dueWindow(partitions, this.options.windowSize ?? 2_000);
      for (const row of rows) this.push({ ...row, partition: this.options.partitionOf(row.contact_id) });
    } catch (error) {
      this.failed(`due window of ${partitions.length} partitions`, error);
    }
  }

  private push(ref: PartitionDue): void {
    const key = `${ref.id}@${ref.due_at}`;
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.heap.push(ref);
    if (ref.due_at < this.timerAt) this.rearm();
  }

  private rearm(): void {
    if (this.stopped) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    const next = this.heap.peek();
    if (!next) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, next.due_at - this.clock.now()));
    this.timerAt = this.clock.now() + wait;
    this.timer = this.clock.setTimeout(() => this.fire(), wait);
  }

  private fire(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const now = this.clock.now();
    for (let head = this.heap.peek(); head && head.due_at <= now; head = this.heap.peek()) {
      this.heap.pop();
      this.queued.delete(`${head.id}@${head.due_at}`);
      const token = this.options.leases.tokenFor(head.partition);
      if (token === undefined || this.inFlight.has(head.id)) continue;
      const ref = head;
      this.inFlight.add(ref.id);
      this.options.fireDue(ref, { partition: ref.partition, token }).then(
        () => {
          this.inFlight.delete(ref.id);
          this.stats.fired++;
        },
        (error: unknown) => {
          this.inFlight.delete(ref.id);
          this.failed(`follow-up ${ref.id}`, error);
          // Still pending in the database: try again while the partition is ours.
          if (!(error instanceof FencedError))
            this.clock.setTimeout(() => this.armed(ref), this.options.retryMs ?? 1_000);
        },
      );
    }
    this.rearm();
  }

  private scheduleSweep(): void {
    if (this.stopped) return;
    this.sweepTimer = this.clock.setTimeout(() => {
      this.sweep();
      this.scheduleSweep();
    }, this.options.sweepMs ?? 2_000);
  }

  private failed(what: string, error: unknown): void {
    if (error instanceof FencedError) this.stats.fenced++;
    else this.stats.failures++;
    this.options.log?.(`[cluster] ${what}: ${(error as Error).message}`);
  }
}
