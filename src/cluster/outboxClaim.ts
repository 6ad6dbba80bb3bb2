/**
 * Outbox delivery by any node: each node claims a batch of due rows with FOR UPDATE SKIP
 * LOCKED, so concurrent claimers never wait for each other and never claim the same row.
 * The per-contact order of src/channels/dispatcher.ts holds across nodes: a contact's row
 * is claimable only when no earlier row of that contact is pending or being sent, and a
 * row being claimed elsewhere is still pending to this check, so the next one waits.
 * A claim names its node and time; a claim older than the claim timeout belongs to a node
 * that died mid-send and any node puts it back (the same idempotency key goes out again).
 */
import type { OutboxRow } from '../channels/dispatcher.ts';
import { run, statement, type Queryable } from '../store/postgres/pool.ts';

/** The columns of an OutboxRow, meta as the JSON text SQLite returns. */
const OUTBOX_COLUMNS = `o.id, o.idempotency_key, o.bot_id, o.contact_id, o.channel, o.recipient, o.body, o.meta::text AS meta,
  o.status, o.attempts, o.next_attempt_at, o.claimed_at, o.last_error, o.provider_id, o.created_at, o.updated_at`;

const claimDue = statement<[number, string, number], OutboxRow>(
  'outbox_claim_due',
  `WITH due AS (
     SELECT o.id FROM outbox o
     WHERE o.status = 'pending' AND o.next_attempt_at <= $1
       AND (o.contact_id IS NULL OR NOT EXISTS (
         SELECT 1 FROM outbox p WHERE p.contact_id = o.contact_id AND p.id < o.id AND p.status IN ('pending', 'sending')))
     ORDER BY o.next_attempt_at, o.id
     LIMIT $3
     FOR UPDATE OF o SKIP LOCKED)
   UPDATE outbox o SET status = 'sending', claimed_at = $1, claimed_by = $2, attempts = o.attempts + 1, updated_at = $1
   FROM due WHERE o.id = due.id
   RETURNING ${OUTBOX_COLUMNS}`,
);
const markDelivered = statement<[number, number, string, number, string | null], { id: number }>(
  'outbox_delivered',
  `UPDATE outbox SET status = 'delivered', provider_id = $5, claimed_at = NULL, claimed_by = NULL, last_error = NULL, updated_at = $4
   WHERE id = $1 AND status = 'sending' AND claimed_at = $2 AND claimed_by = $3
   RETURNING id`,
);
const reclaimStale = statement<[number, number], { id: number }>(
  'outbox_reclaim_stale',
  `UPDATE outbox SET status = 'pending', claimed_at = NULL, claimed_by = NULL, next_attempt_at = $2, updated_at = $2,
     last_error = 'claim expired (node stopped mid-send); resending with the same idempotency key'
   WHERE status = 'sending' AND claimed_at <= $1
   RETURNING id`,
);

/** Claims up to `limit` due rows for `nodeId` at `now` (its send attempt starts); returns them in claim order. */
export async function claimDueOutbox(db: Queryable, nodeId: string, now: number, limit: number): Promise<OutboxRow[]> {
  const rows = await run(db, claimDue, [now, nodeId, limit]);
  return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id);
}

/** Records a delivery; false when the claim was no longer this node's (reclaimed meanwhile). */
export async function markOutboxDelivered(
  db: Queryable,
  row: OutboxRow,
  nodeId: string,
  now: number,
  providerId: string | null,
): Promise<boolean> {
  return (await run(db, markDelivered, [row.id, row.claimed_at as number, nodeId, now, providerId])).length === 1;
}

/** Puts back rows claimed at or before `cutoff` (their node died mid-send), due at `now`; returns their ids. */
export async function reclaimStaleOutbox(db: Queryable, cutoff: number, now: number): Promise<number[]> {
  return (await run(db, reclaimStale, [cutoff, now])).map((row) => row.id);
}
