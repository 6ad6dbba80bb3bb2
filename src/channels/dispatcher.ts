/**
 * Outbox dispatcher: delivers the rows the contact runtime committed to `outbox`
 * (docs/channels.md); all waiting goes through the injected Clock. Guarantees:
 *  - in order per contact: a contact's row N+1 is never sent while an earlier row of it is
 *    pending, sending or waiting for a retry (rows without a contact are independent);
 *  - at least once to the adapter, exactly once to a provider honouring the idempotency key;
 *  - no loss across crashes: a row is claimed in a transaction before the send; a claim older
 *    than `claimTimeoutMs` goes back to `pending`. Retries back off exponentially with jitter
 *    until `maxAttempts` (or a PermanentDeliveryError) marks the row `failed`.
 */
import type Database from 'better-sqlite3';
import type { Clock, TimerHandle } from '../clock.ts';
import type { OutboxRow } from '../store/port.ts';
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
  db: Database.Database;
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
  private readonly db: Database.Database;
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
  private kickQueued = false;

  private readonly stmts: ReturnType<OutboxDispatcher['prepare']>;

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
    this.db = deps.db;
    this.adapters = deps.adapters;
    this.clock = deps.clock;
    this.onChange = deps.onChange;
    this.log = deps.log ?? (() => {});
    this.stmts = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      // The head of each contact's queue, if due. A contact's row is blocked while any
      // earlier row of that contact is still pending (incl. waiting for a retry) or sending.
      ready: db.prepare<{ now: number; limit: number }, OutboxRow>(`
        SELECT o.* FROM outbox o
        WHERE o.status = 'pending' AND o.next_attempt_at <= @now
          AND (o.contact_id IS NULL OR NOT EXISTS (
            SELECT 1 FROM outbox p
            WHERE p.contact_id = o.contact_id AND p.id < o.id AND p.status IN ('pending', 'sending')))
        ORDER BY o.next_attempt_at, o.id
        LIMIT @limit`),
      claim: db.prepare<{ id: number; now: number }>(`
        UPDATE outbox SET status = 'sending', claimed_at = @now, attempts = attempts + 1, updated_at = @now
        WHERE id = @id AND status = 'pending'`),
      delivered: db.prepare<{ id: number; claimedAt: number; now: number; providerId: string | null }>(`
        UPDATE outbox SET status = 'delivered', provider_id = @providerId, claimed_at = NULL,
          last_error = NULL, updated_at = @now
        WHERE id = @id AND status = 'sending' AND claimed_at = @claimedAt`),
      retry: db.prepare<{ id: number; claimedAt: number; now: number; nextAt: number; error: string }>(`
        UPDATE outbox SET status = 'pending', next_attempt_at = @nextAt, claimed_at = NULL,
          last_error = @error, updated_at = @now
        WHERE id = @id AND status = 'sending' AND claimed_at = @claimedAt`),
      failed: db.prepare<{ id: number; claimedAt: number; now: number; error: string }>(`
        UPDATE outbox SET status = 'failed', claimed_at = NULL, last_error = @error, updated_at = @now
        WHERE id = @id AND status = 'sending' AND claimed_at = @claimedAt`),
      stale: db.prepare<{ cutoff: number }, OutboxRow>(`
        SELECT * FROM outbox WHERE status = 'sending' AND claimed_at <= @cutoff ORDER BY id`),
      nextWake: db.prepare<{ now: number }, { at: number | null }>(`
        SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending' AND next_attempt_at > @now`),
      byId: db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?'),
    };
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
    this.reclaimStale();
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
      this.claimAndSend();
      if (this.inFlight.size === 0) return;
      await Promise.race([...this.inFlight.values()].map((f) => f.done));
    }
  }

  /**
   * Puts rows whose claim is older than claimTimeoutMs back to `pending` (due now), or marks
   * them failed when they already used all attempts. Returns how many rows were touched.
   */
  reclaimStale(): number {
    const now = this.clock.now();
    const touched: number[] = [];
    this.db
      .transaction(() => {
        for (const row of this.stmts.stale.all({ cutoff: now - this.opts.claimTimeoutMs })) {
          if (this.inFlight.has(row.id)) continue;
          const claimedAt = row.claimed_at as number;
          const age = now - claimedAt;
          if (row.attempts >= this.opts.maxAttempts) {
            this.stmts.failed.run({
              id: row.id,
              claimedAt,
              now,
              error: `claim expired after ${age} ms on attempt ${row.attempts} of ${this.opts.maxAttempts} (process stopped mid-send); giving up`,
            });
          } else {
            this.stmts.retry.run({
              id: row.id,
              claimedAt,
              now,
              nextAt: now,
              error: `claim expired after ${age} ms (process stopped or hung mid-send); resending with the same idempotency key`,
            });
          }
          touched.push(row.id);
        }
      })
      .immediate();
    for (const id of touched) this.notify(id);
    if (touched.length > 0 && this.state === 'running') this.pump();
    return touched.length;
  }

  // -------------------------------------------------------------------------------------

  private pump(): void {
    if (this.state !== 'running') return;
    try {
      this.claimAndSend();
      this.scheduleWake();
    } catch (err) {
      // Storage unavailable (disk full, read-only): nothing was claimed. Never throw into
      // a timer or a caller's commit path; try again shortly.
      this.log(`[outbox] cannot claim rows: ${describe(err)}; retrying in ${STORAGE_RETRY_MS} ms`);
      this.clearTimer('wake');
      this.wakeAt = null;
      this.wakeTimer = this.clock.setTimeout(() => {
        this.wakeTimer = null;
        this.pump();
      }, STORAGE_RETRY_MS);
    }
  }

  /** Claims as many due rows as free slots allow, in one transaction, and starts their sends. */
  private claimAndSend(): void {
    if (this.state === 'stopped') return;
    if (this.pumping) {
      // Called from inside an onChange listener: run again once the current pass is done.
      this.pumpRequested = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpRequested = false;
        const slots = this.opts.concurrency - this.inFlight.size;
        if (slots <= 0) break;
        const now = this.clock.now();
        const claimed = this.db
          .transaction(() => {
            const rows: OutboxRow[] = [];
            for (const row of this.stmts.ready.all({ now, limit: slots })) {
              if (this.stmts.claim.run({ id: row.id, now }).changes === 1) {
                rows.push({ ...row, status: 'sending', claimed_at: now, attempts: row.attempts + 1, updated_at: now });
              }
            }
            return rows;
          })
          .immediate();
        // Report the claims first so listeners see sending → delivered/failed in order.
        for (const row of claimed) this.emit(row);
        for (const row of claimed) this.startSend(row);
      } while (this.pumpRequested);
    } finally {
      this.pumping = false;
    }
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
      this.finish(row.id, () => this.stmts.delivered.run({ id: row.id, claimedAt, now: this.clock.now(), providerId }));
    } catch (err) {
      this.handleFailure(row, claimedAt, err);
    } finally {
      if (timer) this.clock.clearTimeout(timer);
    }
  }

  private handleFailure(row: OutboxRow, claimedAt: number, err: unknown): void {
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
    this.finish(row.id, () =>
      this.stmts.retry.run({
        id: row.id,
        claimedAt,
        now,
        nextAt: now + wait,
        error: `attempt ${row.attempts}: ${message}`,
      }),
    );
  }

  private fail(row: OutboxRow, claimedAt: number, error: string): void {
    this.finish(row.id, () => this.stmts.failed.run({ id: row.id, claimedAt, now: this.clock.now(), error }));
  }

  /** Applies a guarded update; if the claim was taken away meanwhile, the row is left alone. */
  private finish(id: number, update: () => Database.RunResult): void {
    if (update().changes === 1) this.notify(id);
    else this.log(`[outbox] row ${id}: claim lost before the result was recorded (reclaimed elsewhere); left as is`);
  }

  private notify(id: number): void {
    if (!this.onChange) return;
    const row = this.stmts.byId.get(id);
    if (row) this.emit(row);
  }

  private emit(row: OutboxRow): void {
    if (!this.onChange) return;
    try {
      this.onChange(row);
    } catch (err) {
      this.log(`[outbox] onChange listener threw for row ${row.id}: ${describe(err)}`);
    }
  }

  private scheduleWake(): void {
    if (this.state !== 'running') return;
    const now = this.clock.now();
    const at = this.stmts.nextWake.get({ now })?.at ?? null;
    if (at === this.wakeAt && this.wakeTimer) return;
    this.clearTimer('wake');
    if (at === null) return;
    this.wakeAt = at;
    this.wakeTimer = this.clock.setTimeout(() => {
      this.wakeTimer = null;
      this.wakeAt = null;
      this.pump();
    }, at - now);
  }

  private scheduleReclaim(): void {
    this.reclaimTimer = this.clock.setTimeout(() => {
      this.reclaimTimer = null;
      if (this.state !== 'running') return;
      try {
        this.reclaimStale();
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
