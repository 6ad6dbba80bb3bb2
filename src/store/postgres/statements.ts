/**
 * The named statements of PgStore, one per operation of the SQLite Store (src/store/store.ts),
 * with the same semantics. Rows read back as the SQLite store returns them: JSONB columns as
 * JSON text, BIGINT as numbers (src/store/postgres/pool.ts), and none of PostgreSQL's extra
 * columns (partition, created_seq, claimed_by), so a caller cannot tell the two stores apart.
 */
import type { ContactPruningRow } from '../pruned.ts';
import type { BotRow, ContactRow, DueRef, FollowUpRow, MessageRow, OutboxRow, TransitionRow } from '../port.ts';
import { statement } from './pool.ts';

type Id = [string];
type Count = { n: number };

const BOT = `id, name, widget_key, allowed_origins::text AS allowed_origins, config::text AS config, created_at, updated_at`;
const CONTACT = `id, bot_id, name, phone, email, timezone, state, epoch, last_channel, last_seq, tags::text AS tags,
  assigned_user, last_template_id, last_followup_id, review_at, review::text AS review, language, created_at, updated_at`;
const MESSAGE = `id, contact_id, seq, sender, channel, text, at, client_id, classification::text AS classification,
  followup_id, meta::text AS meta`;
const FOLLOWUP = `id, contact_id, bot_id, kind, scenario, step, epoch, raw_due_at, due_at, defer_reason, channel,
  channel_reason, message_mode, status, reason, actor, trigger_message_id, created_at, updated_at, sent_at, replied_at`;
const OUTBOX = `id, idempotency_key, bot_id, contact_id, channel, recipient, body, meta::text AS meta, status, attempts,
  next_attempt_at, claimed_at, last_error, provider_id, created_at, updated_at`;
/** Each event whole again: a logged policy is stored once in `policies` and put back here. */
const TRANSITION = `SELECT t.contact_id, t.seq,
  (CASE WHEN t.policy_id IS NULL THEN t.event ELSE jsonb_set(t.event, '{policy}', COALESCE(p.policy, 'null')) END)::text AS event,
  t.from_state, t.to_state, t.actions::text AS actions, t.at
  FROM transitions t LEFT JOIN policies p ON p.id = t.policy_id`;
/** The scheduler's window: each partition's head through followups_due_cover, then merged. */
const DUE = (after: string) => `SELECT f.id, f.contact_id, f.due_at FROM unnest($1::int[]) AS mine(partition),
  LATERAL (SELECT id, contact_id, due_at FROM followups
           WHERE partition = mine.partition AND status = 'pending' ${after} ORDER BY due_at, id LIMIT $2) f
  ORDER BY f.due_at, f.id LIMIT $2`;

export const bots = {
  insert: statement<[string, string, string, string, string, number, number]>(
    'store_bot_insert',
    `INSERT INTO bots (id, name, widget_key, allowed_origins, config, created_at, updated_at)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7)`,
  ),
  updateConfig: statement<[string, string, string, number]>(
    'store_bot_update_config',
    `UPDATE bots SET config = $2::jsonb, name = $3, updated_at = $4 WHERE id = $1`,
  ),
  updateOrigins: statement<[string, string, number]>(
    'store_bot_update_origins',
    `UPDATE bots SET allowed_origins = $2::jsonb, updated_at = $3 WHERE id = $1`,
  ),
  get: statement<Id, BotRow>('store_bot_get', `SELECT ${BOT} FROM bots WHERE id = $1`),
  byWidgetKey: statement<Id, BotRow>('store_bot_by_key', `SELECT ${BOT} FROM bots WHERE widget_key = $1`),
  list: statement<[], BotRow>('store_bot_list', `SELECT ${BOT} FROM bots ORDER BY created_at, id`),
};

export const contacts = {
  insert: statement<
    [
      string,
      string,
      number,
      string | null,
      string | null,
      string | null,
      string | null,
      string,
      string,
      string,
      number,
      number,
    ]
  >(
    'store_contact_insert',
    `INSERT INTO contacts (id, bot_id, partition, name, phone, email, timezone, state, epoch, last_channel, snapshot, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, $11, $12)`,
  ),
  get: statement<Id, ContactRow>('store_contact_get', `SELECT ${CONTACT} FROM contacts WHERE id = $1`),
  visitorNumber: statement<Id, Count>(
    'store_contact_visitor_number',
    `SELECT created_seq AS n FROM contacts WHERE id = $1`,
  ),
  byPhone: statement<[string, string], ContactRow>(
    'store_contact_by_phone',
    `SELECT ${CONTACT} FROM contacts WHERE bot_id = $1 AND phone = $2`,
  ),
  // The epoch fence: with $6 the row is written only if it still holds the epoch the machine was read at.
  saveState: statement<[string, string, number, string, number, number | null]>(
    'store_contact_save_state',
    `UPDATE contacts SET state = $2, epoch = $3, snapshot = $4, updated_at = $5 WHERE id = $1 AND epoch = COALESCE($6, epoch)`,
  ),
  // Without the state column when the event left it as stored: no index column changes, so
  // PostgreSQL can update the row in place (a HOT update, fillfactor leaves it room).
  saveSnapshot: statement<[string, number, string, number, number | null]>(
    'store_contact_save_snapshot',
    `UPDATE contacts SET epoch = $2, snapshot = $3, updated_at = $4 WHERE id = $1 AND epoch = COALESCE($5, epoch)`,
  ),
  updateFields: statement<[string, string | null, string | null, string | null, string | null, number]>(
    'store_contact_update_fields',
    `UPDATE contacts SET name = COALESCE($2, name), phone = COALESCE($3, phone), email = COALESCE($4, email),
       timezone = COALESCE($5, timezone), updated_at = $6 WHERE id = $1`,
  ),
  setLastChannel: statement<[string, string]>(
    'store_contact_set_last_channel',
    `UPDATE contacts SET last_channel = $2 WHERE id = $1`,
  ),
  setTags: statement<[string, string, number]>(
    'store_contact_set_tags',
    `UPDATE contacts SET tags = $2::jsonb, updated_at = $3 WHERE id = $1`,
  ),
  setAssigned: statement<[string, string, number]>(
    'store_contact_set_assigned',
    `UPDATE contacts SET assigned_user = $2, updated_at = $3 WHERE id = $1`,
  ),
  setLastTemplate: statement<[string, string | null]>(
    'store_contact_set_last_template',
    `UPDATE contacts SET last_template_id = $2 WHERE id = $1`,
  ),
  setLanguage: statement<[string, string]>(
    'store_contact_set_language',
    `UPDATE contacts SET language = $2 WHERE id = $1`,
  ),
  setReview: statement<[string, number | null, string | null]>(
    'store_contact_set_review',
    `UPDATE contacts SET review_at = $2, review = $3::jsonb WHERE id = $1`,
  ),
  // Oldest first: the contact held longest is the one to decide first.
  needingReview: statement<[string, number, number], ContactRow>(
    'store_contact_needing_review',
    `SELECT ${CONTACT} FROM contacts WHERE bot_id = $1 AND review_at IS NOT NULL ORDER BY review_at, id LIMIT $2 OFFSET $3`,
  ),
  countNeedingReview: statement<Id, Count>(
    'store_contact_count_needing_review',
    `SELECT COUNT(*) AS n FROM contacts WHERE bot_id = $1 AND review_at IS NOT NULL`,
  ),
  snapshot: statement<Id, { snapshot: string | null }>(
    'store_contact_snapshot',
    `SELECT snapshot FROM contacts WHERE id = $1`,
  ),
  lastInbound: statement<Id, { last_inbound: string | null }>(
    'store_contact_last_inbound',
    `SELECT last_inbound::text AS last_inbound FROM contacts WHERE id = $1`,
  ),
};

export const messages = {
  // A message and everything it changes, in one statement (one round trip): the contact's
  // next seq, the reply window a follow-up message opens ($9), the latest inbound time on
  // the contact's channel ($11, null for other senders), and the first reply to the open
  // window ($12: a contact message that is no follow-up). No row back: no such contact.
  store: statement<
    [
      string,
      string,
      string,
      string,
      string,
      number,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      boolean,
    ],
    { seq: number }
  >(
    'store_message_store',
    `WITH numbered AS (
       UPDATE contacts SET last_seq = last_seq + 1,
         last_followup_id = COALESCE($9, last_followup_id),
         last_inbound = CASE WHEN $11::text IS NULL THEN last_inbound ELSE
           jsonb_set(COALESCE(last_inbound, '{}'), ARRAY[$11::text],
             to_jsonb(GREATEST($6::bigint, COALESCE((last_inbound ->> $11::text)::bigint, $6::bigint)))) END
       WHERE id = $2 RETURNING last_seq, last_followup_id),
     stored AS (
       INSERT INTO messages (id, contact_id, seq, sender, channel, text, at, client_id, classification, followup_id, meta)
       SELECT $1, $2, last_seq, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::jsonb FROM numbered
       RETURNING seq),
     replied AS (
       UPDATE followups SET replied_at = $6
       WHERE $12 AND id = (SELECT last_followup_id FROM numbered) AND replied_at IS NULL)
     SELECT seq FROM stored`,
  ),
  get: statement<Id, MessageRow>('store_message_get', `SELECT ${MESSAGE} FROM messages WHERE id = $1`),
  byClientId: statement<[string, string], MessageRow>(
    'store_message_by_client_id',
    `SELECT ${MESSAGE} FROM messages WHERE contact_id = $1 AND client_id = $2`,
  ),
  after: statement<[string, number, number], MessageRow>(
    'store_message_after',
    `SELECT ${MESSAGE} FROM messages WHERE contact_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
  ),
  recent: statement<[string, number], MessageRow>(
    'store_message_recent',
    `SELECT * FROM (SELECT ${MESSAGE} FROM messages WHERE contact_id = $1 ORDER BY seq DESC LIMIT $2) m ORDER BY seq`,
  ),
};

export const followUps = {
  insert: statement<
    [
      string,
      string,
      string,
      number,
      string,
      string,
      number,
      number,
      number,
      number,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      number,
      number,
    ]
  >(
    'store_followup_insert',
    `INSERT INTO followups (id, contact_id, bot_id, partition, kind, scenario, step, epoch, raw_due_at, due_at, defer_reason,
       channel, channel_reason, message_mode, status, trigger_message_id, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'pending', $15, $16, $17)
     ON CONFLICT (id) DO NOTHING`,
  ),
  get: statement<Id, FollowUpRow>('store_followup_get', `SELECT ${FOLLOWUP} FROM followups WHERE id = $1`),
  cancelPendingOfContact: statement<[string, string, string | null, number]>(
    'store_followup_cancel_pending_of_contact',
    `UPDATE followups SET status = 'cancelled', reason = $2, actor = $3, updated_at = $4 WHERE contact_id = $1 AND status = 'pending'`,
  ),
  cancel: statement<[string, string, string | null, number]>(
    'store_followup_cancel',
    `UPDATE followups SET status = 'cancelled', reason = $2, actor = $3, updated_at = $4 WHERE id = $1 AND status = 'pending'`,
  ),
  // Only from pending: a follow-up finishes once.
  finish: statement<[string, string, string | null, string | null, string | null, number | null, number]>(
    'store_followup_finish',
    `UPDATE followups SET status = $2, reason = $3, channel = COALESCE($4, channel), channel_reason = COALESCE($5, channel_reason),
       sent_at = $6, updated_at = $7 WHERE id = $1 AND status = 'pending'`,
  ),
  retime: statement<[string, number, string | null, string | null, number]>(
    'store_followup_retime',
    `UPDATE followups SET due_at = $2, defer_reason = $3, actor = COALESCE($4, actor), updated_at = $5
     WHERE id = $1 AND status = 'pending'`,
  ),
  // In creation order: created_seq breaks the ties of one millisecond (SQLite's rowid).
  ofContact: statement<Id, FollowUpRow>(
    'store_followup_of_contact',
    `SELECT ${FOLLOWUP} FROM followups WHERE contact_id = $1 ORDER BY created_at, created_seq`,
  ),
  pendingOfContact: statement<Id, FollowUpRow>(
    'store_followup_pending_of_contact',
    `SELECT ${FOLLOWUP} FROM followups WHERE contact_id = $1 AND kind = 'followup' AND status = 'pending'
     ORDER BY created_at, created_seq`,
  ),
  latestPastOfContact: statement<[string, number], FollowUpRow>(
    'store_followup_latest_past_of_contact',
    `SELECT ${FOLLOWUP} FROM followups WHERE contact_id = $1 AND kind = 'followup' AND status <> 'pending'
     ORDER BY created_at DESC, created_seq DESC LIMIT $2`,
  ),
  countPastOfContact: statement<Id, Count>(
    'store_followup_count_past_of_contact',
    `SELECT COUNT(*) AS n FROM followups WHERE contact_id = $1 AND kind = 'followup' AND status <> 'pending'`,
  ),
  pageOfContact: statement<[string, number, number], FollowUpRow>(
    'store_followup_page_of_contact',
    `SELECT ${FOLLOWUP} FROM followups WHERE contact_id = $1 AND kind = 'followup' ORDER BY created_at, created_seq
     LIMIT $2 OFFSET $3`,
  ),
  countOfContact: statement<Id, Count>(
    'store_followup_count_of_contact',
    `SELECT COUNT(*) AS n FROM followups WHERE contact_id = $1 AND kind = 'followup'`,
  ),
  lastLiveChatSentAt: statement<Id, { at: number | null }>(
    'store_followup_last_livechat_sent_at',
    `SELECT MAX(sent_at) AS at FROM followups WHERE contact_id = $1 AND status = 'sent' AND channel = 'livechat'`,
  ),
  pendingWindow: statement<[number[], number], DueRef>('store_followup_pending_window', DUE('')),
  pendingAfter: statement<[number[], number, number, string], DueRef>(
    'store_followup_pending_after',
    DUE('AND (due_at, id) > ($3, $4)'),
  ),
};

export const outbox = {
  insert: statement<
    [string, string, string | null, string, string | null, string, string | null, number, number, number]
  >(
    'store_outbox_insert',
    `INSERT INTO outbox (idempotency_key, bot_id, contact_id, channel, recipient, body, meta, status, attempts,
       next_attempt_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, 'pending', 0, $8, $9, $10)
     ON CONFLICT (idempotency_key) DO NOTHING`,
  ),
  ofContact: statement<Id, OutboxRow>(
    'store_outbox_of_contact',
    `SELECT ${OUTBOX} FROM outbox WHERE contact_id = $1 ORDER BY id`,
  ),
};

export const transitions = {
  // After retention deleted a log (src/store/retention.ts), numbering goes on after it.
  lastSeq: statement<Id, { seq: number }>(
    'store_transition_last_seq',
    `SELECT COALESCE((SELECT MAX(seq) FROM transitions WHERE contact_id = $1),
                     (SELECT transitions_through FROM contact_pruning WHERE contact_id = $1), 0)::bigint AS seq`,
  ),
  insert: statement<[string, number, string, string | null, string, string, string, number]>(
    'store_transition_insert',
    `INSERT INTO transitions (contact_id, seq, event, policy_id, from_state, to_state, actions, at)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7::jsonb, $8)`,
  ),
  // The next seq of the contact's log, numbered and written in one statement.
  append: statement<[string, string, string | null, string, string, string, number], { seq: number }>(
    'store_transition_append',
    `INSERT INTO transitions (contact_id, seq, event, policy_id, from_state, to_state, actions, at)
     SELECT $1, COALESCE((SELECT MAX(seq) FROM transitions WHERE contact_id = $1),
                         (SELECT transitions_through FROM contact_pruning WHERE contact_id = $1), 0) + 1,
       $2::jsonb, $3, $4, $5, $6::jsonb, $7
     RETURNING seq`,
  ),
  insertPolicy: statement<[string, string]>(
    'store_policy_insert',
    `INSERT INTO policies (id, policy) VALUES ($1, $2::jsonb) ON CONFLICT (id) DO NOTHING`,
  ),
  ofContact: statement<Id, TransitionRow>(
    'store_transition_of_contact',
    `${TRANSITION} WHERE t.contact_id = $1 ORDER BY t.seq`,
  ),
  after: statement<[string, number, number], TransitionRow>(
    'store_transition_after',
    `${TRANSITION} WHERE t.contact_id = $1 AND t.seq > $2 ORDER BY t.seq LIMIT $3`,
  ),
  pruning: statement<Id, ContactPruningRow>(
    'store_contact_pruning',
    `SELECT contact_id, messages_before, followups_before, transitions_through, transitions_at, transitions_snapshot, pruned_at
     FROM contact_pruning WHERE contact_id = $1`,
  ),
};

export const kv = {
  get: statement<Id, { value: string }>('store_kv_get', `SELECT value FROM kv WHERE key = $1`),
  set: statement<[string, string]>(
    'store_kv_set',
    `INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ),
};
