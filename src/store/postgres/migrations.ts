/**
 * The PostgreSQL schema, versioned like SQLite's (src/store/migrations.ts): each migration
 * runs once, in order, recorded in `schema_migrations`; never edit a shipped one, append.
 * Migration 1 is SQLite's schema (same tables, columns, unique keys, index names),
 * migration 2 the cluster's tables, later ones follow SQLite's (a test compares the two
 * schemas). Types are mapped, not copied: see `postgresMigrations`.
 */

/**
 * The migrations, in order. How SQLite's columns become PostgreSQL's (TYPE_MAPPING):
 *  - times are BIGINT epoch milliseconds, as the rest of Nudge reads them (never timestamptz,
 *    so a row reads back the number it was written with);
 *  - counters (epoch, seq, step, attempts) are INTEGER;
 *  - JSON that SQL looks into or an operator may query is JSONB (config, tags, last_inbound,
 *    meta, classification, transition events and policies); the machine snapshot stays TEXT:
 *    it is opaque to SQL and rewritten by every event; a calendar payload stays TEXT to keep
 *    it byte for byte as received;
 *  - flags are BOOLEAN (operators.admin);
 *  - SQLite's rowid order becomes an identity column where a query sorts or numbers by it
 *    (followups.created_seq, contacts.created_seq);
 *  - indexes keep their names and partial conditions; columns that only serve reads are
 *    INCLUDEd rather than keyed;
 *  - rows rewritten by every event (contacts, follow-ups, outbox) leave room in each page
 *    (fillfactor) so an update that changes no indexed column stays on its page (HOT).
 * Contacts and follow-ups carry their partition (src/cluster/partitions.ts), the unit a
 * node owns.
 */
export const postgresMigrations: readonly string[] = [
  // 1: SQLite's schema after its migration 9.
  `
  CREATE TABLE bots (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    widget_key  TEXT NOT NULL UNIQUE,
    allowed_origins JSONB NOT NULL DEFAULT '[]',
    config      JSONB NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
  );

  CREATE TABLE contacts (
    id          TEXT PRIMARY KEY,
    bot_id      TEXT NOT NULL REFERENCES bots(id),
    partition   INTEGER NOT NULL,                  -- partitionOf(id): the unit of ownership
    name        TEXT,
    phone       TEXT,                              -- E.164
    email       TEXT,
    timezone    TEXT,
    state       TEXT NOT NULL,
    epoch       INTEGER NOT NULL DEFAULT 0,
    last_channel TEXT NOT NULL DEFAULT 'livechat',
    last_seq    INTEGER NOT NULL DEFAULT 0,
    tags        JSONB NOT NULL DEFAULT '[]',
    assigned_user TEXT,
    last_template_id TEXT,
    last_followup_id TEXT,
    last_inbound JSONB,                            -- {"livechat": ms, "sms": ms}
    snapshot    TEXT,                              -- JSON persisted XState snapshot
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
  ) WITH (fillfactor = 80);
  CREATE INDEX contacts_bot_state ON contacts(bot_id, state);
  CREATE UNIQUE INDEX contacts_bot_phone ON contacts(bot_id, phone) WHERE phone IS NOT NULL;

  CREATE TABLE messages (
    id          TEXT PRIMARY KEY,
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    seq         INTEGER NOT NULL,
    sender      TEXT NOT NULL,                     -- contact | bot | operator
    channel     TEXT NOT NULL,
    text        TEXT NOT NULL,
    at          BIGINT NOT NULL,
    client_id   TEXT,
    classification JSONB,
    followup_id TEXT,
    meta        JSONB,
    UNIQUE (contact_id, seq)
  );
  CREATE UNIQUE INDEX messages_client ON messages(contact_id, client_id) WHERE client_id IS NOT NULL;

  CREATE TABLE followups (
    id          TEXT PRIMARY KEY,                  -- = idempotency key contact:scenario:step:epoch
    created_seq BIGINT GENERATED ALWAYS AS IDENTITY, -- creation order within one millisecond (SQLite's rowid)
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    bot_id      TEXT NOT NULL,
    partition   INTEGER NOT NULL,                  -- the contact's
    kind        TEXT NOT NULL DEFAULT 'followup',
    scenario    TEXT NOT NULL,
    step        INTEGER NOT NULL,
    epoch       INTEGER NOT NULL,
    raw_due_at  BIGINT NOT NULL,
    due_at      BIGINT NOT NULL,
    defer_reason TEXT,
    channel     TEXT,
    channel_reason TEXT,
    message_mode TEXT,
    status      TEXT NOT NULL DEFAULT 'pending',   -- pending | sent | cancelled | skipped | fired
    reason      TEXT,
    actor       TEXT,
    trigger_message_id TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    sent_at     BIGINT,
    replied_at  BIGINT
  ) WITH (fillfactor = 85);
  -- The scheduler's window, per owned partition, covered by the index.
  CREATE INDEX followups_due_cover ON followups(partition, due_at, id) INCLUDE (contact_id) WHERE status = 'pending';
  CREATE INDEX followups_contact ON followups(contact_id, status, channel, sent_at);
  CREATE INDEX followups_bot_status ON followups(bot_id, status, updated_at) WHERE kind = 'followup';
  CREATE INDEX followups_bot_created ON followups(bot_id, created_at, scenario) WHERE kind = 'followup';
  CREATE INDEX followups_bot_sent ON followups(bot_id, sent_at) INCLUDE (kind, scenario, step, channel, replied_at)
    WHERE status = 'sent';

  CREATE TABLE outbox (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    bot_id      TEXT NOT NULL,
    contact_id  TEXT,
    channel     TEXT NOT NULL,
    recipient   TEXT,
    body        TEXT NOT NULL,
    meta        JSONB,
    status      TEXT NOT NULL DEFAULT 'pending',   -- pending | sending | delivered | failed
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_at  BIGINT,
    claimed_by  TEXT,                              -- the node sending it (any node delivers)
    last_error  TEXT,
    provider_id TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
  ) WITH (fillfactor = 85);
  -- Partial: delivered rows, nearly all of them, stay out of the delivery path's index.
  CREATE INDEX outbox_ready ON outbox(next_attempt_at, id) WHERE status = 'pending';
  CREATE INDEX outbox_sending ON outbox(claimed_at) WHERE status = 'sending';
  CREATE INDEX outbox_contact ON outbox(contact_id, id);
  CREATE INDEX outbox_bot_channel ON outbox(bot_id, channel, id);

  CREATE TABLE policies (
    id          TEXT PRIMARY KEY,                  -- hex sha256 (first 16 bytes) of the policy JSON
    policy      JSONB NOT NULL
  );

  CREATE TABLE transitions (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,  -- append order
    contact_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    event       JSONB NOT NULL,                    -- the event as applied, its policy out when policy_id is set
    policy_id   TEXT,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    actions     JSONB NOT NULL DEFAULT '[]',
    at          BIGINT NOT NULL
  );
  CREATE UNIQUE INDEX transitions_contact_seq ON transitions(contact_id, seq);

  CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE operators (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,              -- hex sha256 of the bearer token
    admin       BOOLEAN NOT NULL DEFAULT false,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
  );

  CREATE TABLE operator_bots (
    operator_id TEXT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
    bot_id      TEXT NOT NULL REFERENCES bots(id),
    granted_at  BIGINT NOT NULL,
    PRIMARY KEY (operator_id, bot_id)
  );

  CREATE TABLE bot_secrets (
    bot_id      TEXT NOT NULL REFERENCES bots(id),
    kind        TEXT NOT NULL,                     -- calendar | webhook
    secret      TEXT NOT NULL,                     -- HMAC key: must be readable to sign/verify
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (bot_id, kind)
  );

  CREATE TABLE calendar_events (
    bot_id      TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    kind        TEXT NOT NULL,                     -- booked | cancelled | rescheduled
    starts_at   BIGINT,
    payload     TEXT NOT NULL,                     -- JSON as received, byte for byte
    received_at BIGINT NOT NULL,
    PRIMARY KEY (bot_id, event_id)
  );
  CREATE INDEX calendar_events_contact ON calendar_events(contact_id, received_at);

  CREATE TABLE notification_reads (
    operator_id TEXT PRIMARY KEY,
    last_read_id BIGINT NOT NULL
  );

  CREATE TABLE contact_channels (
    bot_id      TEXT NOT NULL,
    channel     TEXT NOT NULL,
    external_id TEXT NOT NULL,
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    last_inbound_at BIGINT,
    PRIMARY KEY (bot_id, channel, external_id)
  );
  CREATE INDEX contact_channels_contact ON contact_channels(contact_id);
  `,
  // 2: the cluster. Lease times come from the database's clock (nudge_now_ms), the one clock
  //    every node shares: a node's own clock may drift, and a lease checked against two
  //    clocks could have two owners.
  `
  CREATE FUNCTION nudge_now_ms() RETURNS BIGINT LANGUAGE sql VOLATILE
    AS $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint $$;

  CREATE TABLE cluster_settings (
    key         TEXT PRIMARY KEY,                  -- partitions: fixed at the first start
    value       TEXT NOT NULL
  );

  CREATE TABLE cluster_nodes (
    id          TEXT PRIMARY KEY,
    started_at  BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL                    -- a member until then unless it beats again
  );

  CREATE TABLE partition_leases (
    partition   INTEGER PRIMARY KEY,
    owner       TEXT,                              -- cluster_nodes.id; NULL: free
    token       BIGINT NOT NULL DEFAULT 0,         -- fencing token: +1 at every acquisition, never reused
    acquired_at BIGINT,
    expires_at  BIGINT NOT NULL DEFAULT 0
  );

  -- Events committed by whichever node received them, consumed (deleted) by the owner of
  -- their partition in the transaction that applies them, in id order.
  CREATE TABLE inbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partition   INTEGER NOT NULL,
    contact_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    payload     JSONB NOT NULL,
    received_by TEXT NOT NULL,                     -- the node that committed it
    received_at BIGINT NOT NULL
  );
  CREATE INDEX inbox_partition ON inbox(partition, id);
  `,
  // 3: SQLite's migration 10, contacts needing review: the projection of the machine's
  //    pending review, in a partial index holding only contacts with one.
  `
  ALTER TABLE contacts ADD COLUMN review_at BIGINT;             -- when the pending review opened; NULL = none
  ALTER TABLE contacts ADD COLUMN review JSONB;                 -- PendingReview: message id, intent, readings, refusal cue
  CREATE INDEX contacts_bot_review ON contacts(bot_id, review_at, id) WHERE review_at IS NOT NULL;
  `,
  // 4: SQLite's migration 11, retention and erasure: what the pruner deleted of each
  //    contact's history (with the machine snapshot after a deleted log, TEXT like the
  //    contact's own), and the bare fact of each erasure.
  `
  CREATE TABLE contact_pruning (
    contact_id            TEXT PRIMARY KEY,
    messages_before       BIGINT,
    followups_before      BIGINT,
    transitions_through   BIGINT,
    transitions_at        BIGINT,
    transitions_snapshot  TEXT,
    pruned_at             BIGINT NOT NULL
  );

  CREATE TABLE erasures (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    bot_id      TEXT NOT NULL,
    actor       TEXT,
    erased_at   BIGINT NOT NULL
  );
  `,
  // 5: SQLite's migration 12, SMS consent of numbers typed into the widget.
  `
  CREATE TABLE sms_consent (
    contact_id    TEXT PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
    phone         TEXT NOT NULL,
    status        TEXT NOT NULL,
    requested_at  BIGINT NOT NULL,
    confirmed_at  BIGINT,
    source        TEXT
  );
  `,
  // 6: contacts numbered in insertion order (SQLite's rowid): the "Visitor 12" of a contact
  //    who left no name. Existing rows are numbered as the table holds them.
  `
  ALTER TABLE contacts ADD COLUMN created_seq BIGINT GENERATED BY DEFAULT AS IDENTITY;
  `,
  // 7: SQLite's migration 13, the contact's last known language.
  `
  ALTER TABLE contacts ADD COLUMN language TEXT;
  `,
];
