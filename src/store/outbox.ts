/**
 * The outbox queue on SQLite (the port's `OutboxQueue`, src/store/port.ts): the
 * dispatcher's claims and their outcomes as named statements prepared once. A claim runs
 * in an IMMEDIATE transaction, so a second process on the same file waits for it instead
 * of claiming the same rows.
 */
import type { Statement } from 'better-sqlite3';
import type { DB } from './db.ts';
import { staleClaimOutcome, type OutboxQueue, type OutboxRow } from './port.ts';

interface Claim {
  id: number;
  claimedAt: number;
  now: number;
}

export class SqliteOutbox implements OutboxQueue {
  private readonly ready: Statement<{ now: number; limit: number }, OutboxRow>;
  private readonly claim: Statement<{ id: number; now: number }>;
  private readonly delivered: Statement<Claim & { providerId: string | null }>;
  private readonly retry: Statement<Claim & { nextAt: number; error: string }>;
  private readonly failed: Statement<Claim & { error: string }>;
  private readonly stale: Statement<{ cutoff: number }, OutboxRow>;
  private readonly wake: Statement<{ now: number }, { at: number | null }>;
  private readonly row: Statement<[number], OutboxRow>;
  private readonly claimTx: (now: number, limit: number) => OutboxRow[];
  private readonly reclaimTx: (
    cutoff: number,
    now: number,
    maxAttempts: number,
    keep: (id: number) => boolean,
  ) => number[];

  constructor(db: DB) {
    // The head of each contact's queue, if due. A contact's row is blocked while any
    // earlier row of that contact is still pending (incl. waiting for a retry) or sending.
    this.ready = db.prepare(`
      SELECT o.* FROM outbox o
      WHERE o.status = 'pending' AND o.next_attempt_at <= @now
        AND (o.contact_id IS NULL OR NOT EXISTS (
          SELECT 1 FROM outbox p
          WHERE p.contact_id = o.contact_id AND p.id < o.id AND p.status IN ('pending', 'sending')))
      ORDER BY o.next_attempt_at, o.id
      LIMIT @limit`);
    this.claim = db.prepare(`
      UPDATE outbox SET status = 'sending', claimed_at = @now, attempts = attempts + 1, updated_at = @now
      WHERE id = @id AND status = 'pending'`);
    this.delivered = db.prepare(`
      UPDATE outbox SET status = 'delivered', provider_id = @providerId, claimed_at = NULL,
        last_error = NULL, updated_at = @now
      WHERE id = @id AND status = 'sending' AND claimed_at = @claimedAt`);
    this.retry = db.prepare(`
      UPDATE outbox SET status = 'pending', next_attempt_at = @nextAt, claimed_at = NULL,
        last_error = @error, updated_at = @now
      WHERE id = @id AND status = 'sending' AND claimed_at = @claimedAt`);
    this.failed = db.prepare(`
      UPDATE outbox SET status = 'failed', claimed_at = NULL, last_error = @error, updated_at = @now
      WHERE id = @id AND status = 'sending' AND claimed_at = @claimedAt`);
    this.stale = db.prepare(`SELECT * FROM outbox WHERE status = 'sending' AND claimed_at <= @cutoff ORDER BY id`);
    this.wake = db.prepare(
      `SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending' AND next_attempt_at > @now`,
    );
    this.row = db.prepare('SELECT * FROM outbox WHERE id = ?');

    const claimTx = db.transaction((now: number, limit: number) => {
      const rows: OutboxRow[] = [];
      for (const row of this.ready.all({ now, limit })) {
        if (this.claim.run({ id: row.id, now }).changes === 1) {
          rows.push({ ...row, status: 'sending', claimed_at: now, attempts: row.attempts + 1, updated_at: now });
        }
      }
      return rows;
    });
    this.claimTx = (now, limit) => claimTx.immediate(now, limit);
    const reclaimTx = db.transaction(
      (cutoff: number, now: number, maxAttempts: number, keep: (id: number) => boolean) => {
        const touched: number[] = [];
        for (const row of this.stale.all({ cutoff })) {
          if (keep(row.id)) continue;
          const outcome = staleClaimOutcome(row, now, maxAttempts);
          const claim = { id: row.id, claimedAt: row.claimed_at as number, now, error: outcome.error };
          if (outcome.status === 'failed') this.failed.run(claim);
          else this.retry.run({ ...claim, nextAt: now });
          touched.push(row.id);
        }
        return touched;
      },
    );
    this.reclaimTx = (cutoff, now, maxAttempts, keep) => reclaimTx.immediate(cutoff, now, maxAttempts, keep);
  }

  claimReady(now: number, limit: number): OutboxRow[] {
    return this.claimTx(now, limit);
  }
  markDelivered(id: number, claimedAt: number, now: number, providerId: string | null): boolean {
    return this.delivered.run({ id, claimedAt, now, providerId }).changes === 1;
  }
  markRetry(id: number, claimedAt: number, now: number, nextAt: number, error: string): boolean {
    return this.retry.run({ id, claimedAt, now, nextAt, error }).changes === 1;
  }
  markFailed(id: number, claimedAt: number, now: number, error: string): boolean {
    return this.failed.run({ id, claimedAt, now, error }).changes === 1;
  }
  reclaimStale(cutoff: number, now: number, maxAttempts: number, keep: (id: number) => boolean): number[] {
    return this.reclaimTx(cutoff, now, maxAttempts, keep);
  }
  nextWake(now: number): number | null {
    return this.wake.get({ now })?.at ?? null;
  }
  byId(id: number): OutboxRow | undefined {
    return this.row.get(id);
  }
}
