/**
 * Outbox dispatcher: delivers the rows the contact runtime committed to `outbox`
 * (docs/channels.md); all waiting goes through the injected Clock, all rows go through the
 * store port's `OutboxQueue` (synchronous on SQLite, awaited on a network store). Guarantees:
 *  - in order per contact: a contact's row N+1 is never sent while an earlier row of it is
 *    pending, sending or waiting for a retry (rows without a contact are independent);
 *  - at least once to the adapter, exactly once to a provider honouring the idempotency key;
 *  - no loss across crashes: a row is claimed in a transaction before the send; a claim older
 *    than `claimTimeoutMs` goes back to `pending`. Retries back off exponentially with jitter
 *    until `maxAttempts` (or a PermanentDeliveryError) marks the row `failed`.
 */
import type { Clock, TimerHandle } from '../clock.ts';
import { settle, type MaybePromise, type OutboxQueue, type OutboxRow } from '../store/port.ts';
import {
  type Channel,
  type ChannelAdapter,
  PermanentDeliveryError,
  RetryableDeliveryError,
  isChannel,
} from './types.ts';

/** How soon a dispatcher that could not reach its database tries again. */
const STORAGE_RETRY_MS = 1000;
export type { OutboxRow, OutboxStatus } from '../store/port.ts';

export interface OutboxDispatcherOptions {
  /** Attempts before a row is marked failed (the first send counts). Default 6. */
  maxAttempts?: number;
  /** Backoff before the 2nd attempt; doubles each time. Default 1 s. */
  baseBackoffMs?: number;
  /** Cap on a single backoff (a provider's Retry-After may exceed it). Default 5 min. */
  maxBackoffMs?: number;
  /** A send not settled after this is abandoned and retried. Default 10 s. */
  sendTimeoutMs?: number;
  /** A `sending` row older than this was claimed by a dead process. Default 60 s; must exceed sendTimeoutMs. */
  claimTimeoutMs?: number;
  /** How often stale claims are looked for while running. Default claimTimeoutMs / 2. */
  reclaimIntervalMs?: number;
  /** Source of jitter in [0, 1). */
  random?: () => number;
  /** Sends in flight at once, across all contacts. Default 4. */
  concurrency?: number;
}

export interface OutboxDispatcherDeps {
  outbox: OutboxQueue;
  adapters: Partial<Record<Channel, ChannelAdapter>>;
  clock: Clock;
  options?: OutboxDispatcherOptions;
  /** Called after every status change of a row (claimed, delivered, retry scheduled, failed, reclaimed). */
  onChange?: (row: OutboxRow) => void;
  /** Where dispatcher problems are reported (a throwing onChange, ...); the server passes its logger. */
  log?: (line: string) => void;
}

type ResolvedOptions = Required<OutboxDispatcherOptions>;

/**
 * The wait before the next attempt after `attempt` attempts failed: base * 2^(attempt-1),
 * capped at maxBackoffMs, then "equal jitter" (uniform in [half, full]) so a burst of
 * failures does not retry in lockstep while the wait never collapses to zero.
 */
export function backoffDelay(
  attempt: number,
  opts: { baseBackoffMs: number; maxBackoffMs: number; random: () => number },
): number {
  const exponential = Math.min(opts.maxBackoffMs, opts.baseBackoffMs * 2 ** Math.max(0, attempt - 1));
  const r = Math.min(Math.max(opts.random(), 0), 1);
  return Math.round(exponential / 2 + (r * exponential) / 2);
}

class SendTimeoutError extends Error {
  override readonly name = 'SendTimeoutError';
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`OutboxDispatcher: option ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

export class OutboxDispatcher {
  private readonly outbox: OutboxQueue;
  private readonly adapters: Partial<Record<Channel, ChannelAdapter>>;
  private readonly clock: Clock;
  private readonly opts: ResolvedOptions;
  private readonly onChange?: (row: OutboxRow) => void;
  private readonly log: (line: string) => void;

  private state: 'idle' | 'running' | 'stopped' = 'idle';
  /** Rows this process is sending right now: id → claimed_at (so reclaim never touches them). */
  private readonly inFlight = new Map<number, { claimedAt: number; done: Promise<void>; abort: AbortController }>();
  private wakeTimer: TimerHandle | null = null;
  private wakeAt: number | null = null;
  private reclaimTimer: TimerHandle | null = null;
  private pumping = false;
  private pumpRequested = false;
  /**
   * The instant of the last claim. The next wake is looked up from it, not from a fresh
   * clock reading: a row falling due between the claim and the lookup would otherwise be
   * neither claimed (not yet due) nor waited for (no longer in the future), and would sit
   * until some other row woke the dispatcher.
   */
  private claimedAt: number | null = null;
  private kickQueued = false;

  constructor(deps: OutboxDispatcherDeps) {
    const o = deps.options ?? {};
    const claimTimeoutMs = o.claimTimeoutMs ?? 60_000;
    this.opts = {
      maxAttempts: positiveInt('maxAttempts', o.maxAttempts ?? 6),
      baseBackoffMs: positiveInt('baseBackoffMs', o.baseBackoffMs ?? 1000),
      maxBackoffMs: positiveInt('maxBackoffMs', o.maxBackoffMs ?? 5 * 60_000),
      sendTimeoutMs: positiveInt('sendTimeoutMs', o.sendTimeoutMs ?? 10_000),
      claimTimeoutMs: positiveInt('claimTimeoutMs', claimTimeoutMs),
      reclaimIntervalMs: positiveInt(
        'reclaimIntervalMs',
        o.reclaimIntervalMs ?? Math.max(1, Math.floor(claimTimeoutMs / 2)),
      ),
      random: o.random ?? Math.random,
      concurrency: positiveInt('concurrency', o.concurrency ?? 4),
    };
    if (this.opts.claimTimeoutMs <= this.opts.sendTimeoutMs) {
      // Otherwise a slow but live send could be reclaimed and sent twice by this very process.
      throw new Error(
        `OutboxDispatcher: claimTimeoutMs (${this.opts.claimTimeoutMs}) must be greater than sendTimeoutMs (${this.opts.sendTimeoutMs})`,
      );
    }
    for (const [channel, adapter] of Object.entries(deps.adapters)) {
      if (adapter && adapter.channel !== channel) {
        throw new Error(`OutboxDispatcher: adapter registered for "${channel}" handles "${adapter.channel}"`);
      }
    }
    this.outbox = deps.outbox;
    this.adapters = deps.adapters;
    this.clock = deps.clock;
    this.onChange = deps.onChange;
    this.log = deps.log ?? (() => {});
  }

  get options(): Readonly<ResolvedOptions> {
    return this.opts;
  }

  /** Rows being sent by this process right now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Reclaims rows left in `sending` by a crashed process, then starts delivering. */
  start(): void {
    if (this.state === 'running') return;
    if (this.state === 'stopped')
      throw new Error('OutboxDispatcher: cannot restart a stopped dispatcher; create a new one');
    this.state = 'running';
    this.background(this.reclaimStale(), 'reclaim failed');
    this.scheduleReclaim();
    this.pump();
  }

  /** Stops claiming rows and waits for the sends in flight to settle (their rows are updated). */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.clearTimer('wake');
    this.clearTimer('reclaim');
    await Promise.allSettled([...this.inFlight.values()].map((f) => f.done));
  }

  /** New rows were committed: look for work soon (coalesced, never re-entrant). */
  kick(): void {
    if (this.state !== 'running' || this.kickQueued) return;
    this.kickQueued = true;
    queueMicrotask(() => {
      this.kickQueued = false;
      if (this.state === 'running') this.pump();
    });
  }

  /**
   * Delivers everything due now (including retries whose time has come) and resolves when
   * nothing due is left and nothing is in flight. For tests and tooling: it does not move
   * the clock, so retries scheduled in the future stay pending.
   */
  async drain(): Promise<void> {
    if (this.state === 'stopped') throw new Error('OutboxDispatcher: drain() after stop()');
    for (;;) {
      await this.claimAndSend();
      if (this.inFlight.size === 0) return;
      await Promise.race([...this.inFlight.values()].map((f) => f.done));
    }
  }

  /**
   * Puts rows whose claim is older than claimTimeoutMs back to `pending` (due now), or marks
   * them failed when they already used all attempts. Returns how many rows were touched.
   */
  reclaimStale(): MaybePromise<number> {
    const now = this.clock.now();
    const reclaimed = this.outbox.reclaimStale(now - this.opts.claimTimeoutMs, now, this.opts.maxAttempts, (id) =>
      this.inFlight.has(id),
    );
    return settle(reclaimed, (touched) => {
      for (const id of touched) this.notify(id);
      if (touched.length > 0 && this.state === 'running') this.pump();
      return touched.length;
    });
  }

  // -------------------------------------------------------------------------------------

  private pump(): void {
    if (this.state !== 'running') return;
    try {
      const pumped = settle(this.claimAndSend(), () => this.scheduleWake());
      if (pumped instanceof Promise) pumped.catch((err: unknown) => this.storageFailed(err));
    } catch (err) {
      this.storageFailed(err);
    }
  }

  /**
   * Storage unavailable (disk full, read-only, connection lost): nothing was claimed. Never
   * throw into a timer or a caller's commit path; try again shortly.
   */
  private storageFailed(err: unknown): void {
    this.log(`[outbox] cannot claim rows: ${describe(err)}; retrying in ${STORAGE_RETRY_MS} ms`);
    this.clearTimer('wake');
    this.wakeAt = null;
    if (this.state !== 'running') return;
    this.wakeTimer = this.clock.setTimeout(() => {
      this.wakeTimer = null;
      this.pump();
    }, STORAGE_RETRY_MS);
  }

  /** Claims as many due rows as free slots allow, in one transaction, and starts their sends. */
  private claimAndSend(): MaybePromise<void> {
    if (this.state === 'stopped') return;
    if (this.pumping) {
      // Called from inside an onChange listener: run again once the current pass is done.
      this.pumpRequested = true;
      return;
    }
    this.pumping = true;
    let passes: MaybePromise<void>;
    try {
      passes = this.claimPass();
    } catch (err) {
      this.pumping = false;
      throw err;
    }
    if (passes instanceof Promise) return passes.finally(() => (this.pumping = false));
    this.pumping = false;
  }

  /** One claim, and another after it while a listener asked for one meanwhile. */
  private claimPass(): MaybePromise<void> {
    this.pumpRequested = false;
    const now = this.clock.now();
    this.claimedAt = now;
    const slots = this.opts.concurrency - this.inFlight.size;
    if (slots <= 0) return;
    return settle(this.outbox.claimReady(now, slots), (claimed) => {
      // Report the claims first so listeners see sending → delivered/failed in order.
      for (const row of claimed) this.emit(row);
      for (const row of claimed) this.startSend(row);
      if (this.pumpRequested && this.state !== 'stopped') return this.claimPass();
    });
  }

  private startSend(row: OutboxRow): void {
    const abort = new AbortController();
    const entry = { claimedAt: row.claimed_at as number, abort, done: Promise.resolve() };
    entry.done = this.send(row, abort).then(
      () => this.afterSend(row.id),
      (err: unknown) => {
        // send() handles its own errors; this only catches bugs (e.g. the database closed).
        this.log(`[outbox] row ${row.id}: dispatcher error: ${describe(err)}`);
        this.afterSend(row.id);
      },
    );
    this.inFlight.set(row.id, entry);
  }

  private afterSend(id: number): void {
    this.inFlight.delete(id);
    if (this.state === 'running') this.pump();
  }

  private async send(row: OutboxRow, abort: AbortController): Promise<void> {
    const claimedAt = row.claimed_at as number;
    if (!isChannel(row.channel)) {
      return this.fail(row, claimedAt, `unknown channel "${row.channel}"`);
    }
    const adapter = this.adapters[row.channel];
    if (!adapter) {
      return this.fail(row, claimedAt, `no adapter configured for channel "${row.channel}"`);
    }
    let meta: Record<string, unknown> = {};
    if (row.meta != null && row.meta !== '') {
      try {
        const parsed = JSON.parse(row.meta) as unknown;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        meta = parsed as Record<string, unknown>;
      } catch (err) {
        return this.fail(row, claimedAt, `row meta is not a JSON object (${describe(err)})`);
      }
    }

    let timer: TimerHandle | null = null;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.clock.setTimeout(() => {
        abort.abort();
        reject(new SendTimeoutError(`no answer from the ${row.channel} adapter within ${this.opts.sendTimeoutMs} ms`));
      }, this.opts.sendTimeoutMs);
    });
    // Promise.resolve().then: an adapter that throws synchronously is handled like a rejection.
    const sending = Promise.resolve().then(() =>
      adapter.send({
        idempotencyKey: row.idempotency_key,
        to: row.recipient,
        body: row.body,
        meta,
        botId: row.bot_id,
        contactId: row.contact_id,
        signal: abort.signal,
      }),
    );
    sending.catch(() => {}); // it may lose the race against the timeout and reject later
    try {
      const result = await Promise.race([sending, timeout]);
      const providerId = typeof result?.providerId === 'string' ? result.providerId : null;
      await this.finish(row.id, this.outbox.markDelivered(row.id, claimedAt, this.clock.now(), providerId));
    } catch (err) {
      await this.handleFailure(row, claimedAt, err);
    } finally {
      if (timer) this.clock.clearTimeout(timer);
    }
  }

  private handleFailure(row: OutboxRow, claimedAt: number, err: unknown): MaybePromise<void> {
    if (err instanceof PermanentDeliveryError) {
      return this.fail(row, claimedAt, err.code ? `${err.message} (code ${err.code})` : err.message);
    }
    const message =
      err instanceof RetryableDeliveryError || err instanceof SendTimeoutError
        ? err.message
        : `unexpected adapter error: ${describe(err)}`;
    if (row.attempts >= this.opts.maxAttempts) {
      return this.fail(row, claimedAt, `gave up after ${row.attempts} attempts; last error: ${message}`);
    }
    const now = this.clock.now();
    let wait = backoffDelay(row.attempts, this.opts);
    if (err instanceof RetryableDeliveryError && err.retryAfterMs !== undefined) {
      // The provider's Retry-After is a floor: retrying earlier would only be refused again.
      wait = Math.max(wait, err.retryAfterMs);
    }
    return this.finish(
      row.id,
      this.outbox.markRetry(row.id, claimedAt, now, now + wait, `attempt ${row.attempts}: ${message}`),
    );
  }

  private fail(row: OutboxRow, claimedAt: number, error: string): MaybePromise<void> {
    return this.finish(row.id, this.outbox.markFailed(row.id, claimedAt, this.clock.now(), error));
  }

  /** After a guarded update; if the claim was taken away meanwhile, the row was left alone. */
  private finish(id: number, updated: MaybePromise<boolean>): MaybePromise<void> {
    return settle(updated, (changed) => {
      if (changed) this.notify(id);
      else this.log(`[outbox] row ${id}: claim lost before the result was recorded (reclaimed elsewhere); left as is`);
    });
  }

  private notify(id: number): void {
    if (!this.onChange) return;
    const read = settle(this.outbox.byId(id), (row) => {
      if (row) this.emit(row);
    });
    this.background(read, `row ${id}: cannot read it back`);
  }

  /** Logs the failure of work nobody awaits (a network store's promise). */
  private background(work: MaybePromise<unknown>, what: string): void {
    if (work instanceof Promise) work.catch((err: unknown) => this.log(`[outbox] ${what}: ${describe(err)}`));
  }

  private emit(row: OutboxRow): void {
    if (!this.onChange) return;
    try {
      this.onChange(row);
    } catch (err) {
      this.log(`[outbox] onChange listener threw for row ${row.id}: ${describe(err)}`);
    }
  }

  private scheduleWake(): MaybePromise<void> {
    if (this.state !== 'running') return;
    const since = this.claimedAt ?? this.clock.now();
    return settle(this.outbox.nextWake(since), (at) => this.armWake(at, this.clock.now()));
  }

  private armWake(at: number | null, now: number): void {
    if (this.state !== 'running') return;
    if (at === this.wakeAt && this.wakeTimer) return;
    this.clearTimer('wake');
    if (at === null) return;
    this.wakeAt = at;
    this.wakeTimer = this.clock.setTimeout(
      () => {
        this.wakeTimer = null;
        this.wakeAt = null;
        this.pump();
      },
      Math.max(0, at - now),
    );
  }

  private scheduleReclaim(): void {
    this.reclaimTimer = this.clock.setTimeout(() => {
      this.reclaimTimer = null;
      if (this.state !== 'running') return;
      try {
        this.background(this.reclaimStale(), 'reclaim failed');
      } catch (err) {
        this.log(`[outbox] reclaim failed: ${describe(err)}`);
      }
      this.scheduleReclaim();
    }, this.opts.reclaimIntervalMs);
  }

  private clearTimer(which: 'wake' | 'reclaim'): void {
    if (which === 'wake') {
      if (this.wakeTimer) this.clock.clearTimeout(this.wakeTimer);
      this.wakeTimer = null;
      this.wakeAt = null;
    } else {
      if (this.reclaimTimer) this.clock.clearTimeout(this.reclaimTimer);
      this.reclaimTimer = null;
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
