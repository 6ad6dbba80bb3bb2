/**
 * The per-partition inbox: a widget, webhook or API call may land on any node, which
 * commits the event here before acknowledging it, so an acknowledged event survives the
 * loss of either node. The partition's owner consumes events in id order, in the
 * transaction that applies them and under its fencing token: an event is applied once, by
 * the owner of the moment, and stays in the inbox until that transaction commits. Events of
 * one contact are applied in commit order when each was acknowledged before the next was
 * sent (the widget's and webhooks' case); concurrent ones have no order to keep.
 */
import type pg from 'pg';
import { assertOwner, type Lease } from './leases.ts';
import { CHANNELS } from './notify.ts';
import { execute, run, statement, transaction, type Queryable } from '../store/postgres/pool.ts';

/** An event waiting in the inbox. */
export interface InboxEvent {
  id: number;
  partition: number;
  contact_id: string;
  kind: string;
  payload: unknown;
  received_by: string;
  received_at: number;
}

/** What a node commits when it receives an event for a contact. */
export interface InboxDraft {
  partition: number;
  contactId: string;
  kind: string;
  payload: unknown;
  receivedBy: string;
  receivedAt: number;
}

// One statement, so an autocommitted append costs one round trip; the notification leaves
// with the commit, never before (the void pg_notify column is ignored).
const append = statement<[number, string, string, string, string, number], { id: number }>(
  'inbox_append',
  `WITH event AS (
     INSERT INTO inbox (partition, contact_id, kind, payload, received_by, received_at) VALUES ($1, $2, $3, $4::jsonb, $5, $6)
     RETURNING id, partition)
   SELECT id, pg_notify('${CHANNELS.inbox}', partition::text) FROM event`,
);
const oldest = statement<[number, number], InboxEvent>(
  'inbox_oldest',
  `SELECT id, partition, contact_id, kind, payload, received_by, received_at FROM inbox WHERE partition = $1 ORDER BY id LIMIT $2`,
);
const remove = statement<[number[]]>('inbox_remove', `DELETE FROM inbox WHERE id = ANY($1::bigint[])`);

/** Commits an event to its partition's inbox and tells the listeners; resolves with its id once committed. */
export async function appendToInbox(db: Queryable, draft: InboxDraft): Promise<number> {
  const [row] = await run(db, append, [
    draft.partition,
    draft.contactId,
    draft.kind,
    JSON.stringify(draft.payload),
    draft.receivedBy,
    draft.receivedAt,
  ]);
  return row.id;
}

/**
 * Applies up to `limit` of the partition's oldest events in one transaction fenced by
 * `lease`, and removes them with it; returns how many. Throws FencedError (nothing
 * applied) when the lease is no longer this node's; if `apply` throws, the events stay.
 */
export async function consumeInbox(
  pool: pg.Pool,
  lease: Pick<Lease, 'partition' | 'token'>,
  limit: number,
  apply: (client: pg.PoolClient, events: InboxEvent[]) => Promise<void>,
): Promise<number> {
  return transaction(pool, async (client) => {
    await assertOwner(client, lease.partition, lease.token);
    const events = await run(client, oldest, [lease.partition, limit]);
    if (events.length === 0) return 0;
    await apply(client, events);
    await execute(client, remove, [events.map((event) => event.id)]);
    return events.length;
  });
}
