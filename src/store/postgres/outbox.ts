/**
 * The outbox queue on PostgreSQL, as the dispatcher works it (src/channels/dispatcher.ts):
 * any node claims with FOR UPDATE SKIP LOCKED (src/cluster/outboxClaim.ts), so claimers
 * never collide and per-contact order holds across nodes. Every later update names the
 * claim (time and node) and changes nothing when the claim was taken away meanwhile.
 */
import { claimDueOutbox, markOutboxDelivered } from '../../cluster/outboxClaim.ts';
import { staleClaimOutcome, type OutboxQueue, type OutboxRow } from '../port.ts';
import { execute, run, statement, type Queryable } from './pool.ts';

const OUTBOX = `id, idempotency_key, bot_id, contact_id, channel, recipient, body, meta::text AS meta, status, attempts,
  next_attempt_at, claimed_at, last_error, provider_id, created_at, updated_at`;

const retry = statement<[number, number, string, number, number, string]>(
  'outbox_retry',
  `UPDATE outbox SET status = 'pending', next_attempt_at = $5, claimed_at = NULL, claimed_by = NULL, last_error = $6,
     updated_at = $4
   WHERE id = $1 AND status = 'sending' AND claimed_at = $2 AND claimed_by = $3`,
);
const failed = statement<[number, number, string, number, string]>(
  'outbox_failed',
  `UPDATE outbox SET status = 'failed', claimed_at = NULL, claimed_by = NULL, last_error = $5, updated_at = $4
   WHERE id = $1 AND status = 'sending' AND claimed_at = $2 AND claimed_by = $3`,
);
const stale = statement<[number], OutboxRow & { claimed_by: string | null }>(
  'outbox_stale',
  `SELECT ${OUTBOX}, claimed_by FROM outbox WHERE status = 'sending' AND claimed_at <= $1 ORDER BY id`,
);
// A stale claim is settled whoever made it: its node stopped mid-send, or hangs.
const settleStale = statement<[number, number, string, number, string, number | null]>(
  'outbox_settle_stale',
  `UPDATE outbox SET status = $3, next_attempt_at = COALESCE($6, next_attempt_at), claimed_at = NULL, claimed_by = NULL,
     last_error = $5, updated_at = $4
   WHERE id = $1 AND status = 'sending' AND claimed_at = $2`,
);
const nextWake = statement<[number], { at: number | null }>(
  'outbox_next_wake',
  `SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending' AND next_attempt_at > $1`,
);
const byId = statement<[number], OutboxRow>('outbox_by_id', `SELECT ${OUTBOX} FROM outbox WHERE id = $1`);

export class PgOutbox implements OutboxQueue {
  constructor(
    private readonly db: Queryable,
    /** This node's id, recorded with each claim it makes. */
    readonly nodeId: string,
  ) {}

  /** Claims up to `limit` ready rows due at `now`, in due order, and returns them as claimed. */
  claimReady(now: number, limit: number): Promise<OutboxRow[]> {
    return claimDueOutbox(this.db, this.nodeId, now, limit);
  }
  markDelivered(id: number, claimedAt: number, now: number, providerId: string | null): Promise<boolean> {
    return markOutboxDelivered(this.db, { id, claimed_at: claimedAt } as OutboxRow, this.nodeId, now, providerId);
  }
  /** Back to `pending`, due at `nextAt`, with the error of the failed attempt. */
  async markRetry(id: number, claimedAt: number, now: number, nextAt: number, error: string): Promise<boolean> {
    return (await execute(this.db, retry, [id, claimedAt, this.nodeId, now, nextAt, error])) === 1;
  }
  async markFailed(id: number, claimedAt: number, now: number, error: string): Promise<boolean> {
    return (await execute(this.db, failed, [id, claimedAt, this.nodeId, now, error])) === 1;
  }
  /**
   * Settles claims made at or before `cutoff` by a node that stopped mid-send, except those
   * `keep` says are live here: due again now, or failed when their attempts are used up.
   * Returns the ids settled (a claim settled by another node meanwhile is not).
   */
  async reclaimStale(
    cutoff: number,
    now: number,
    maxAttempts: number,
    keep: (id: number) => boolean,
  ): Promise<number[]> {
    const touched: number[] = [];
    for (const row of await run(this.db, stale, [cutoff])) {
      if (row.claimed_by === this.nodeId && keep(row.id)) continue;
      const outcome = staleClaimOutcome(row, now, maxAttempts);
      const nextAt = outcome.status === 'pending' ? now : null;
      const params = [row.id, row.claimed_at as number, outcome.status, now, outcome.error, nextAt] as const;
      if ((await execute(this.db, settleStale, [...params])) === 1) touched.push(row.id);
    }
    return touched;
  }
  /** The earliest `next_attempt_at` of a pending row after `now`, or null. */
  async nextWake(now: number): Promise<number | null> {
    return (await run(this.db, nextWake, [now]))[0]?.at ?? null;
  }
  async byId(id: number): Promise<OutboxRow | undefined> {
    return (await run(this.db, byId, [id]))[0];
  }
}
