/**
 * Versioned schema. Each migration runs once, in order, inside a transaction, and bumps
 * `PRAGMA user_version`. Never edit a shipped migration: append a new one.
 */
export const migrations: readonly string[] = [
  // 1: the core — bots, contacts, conversation, machine snapshots, durable follow-ups,
  //    outbox and the append-only transition log.
  `
  CREATE TABLE bots (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    widget_key  TEXT NOT NULL UNIQUE,
    allowed_origins TEXT NOT NULL DEFAULT '[]',   -- JSON array of origins
    config      TEXT NOT NULL,                     -- JSON BotConfig (validated)
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
  );

  CREATE TABLE contacts (
    id          TEXT PRIMARY KEY,
    bot_id      TEXT NOT NULL REFERENCES bots(id),
    name        TEXT,
    phone       TEXT,                              -- E.164
    email       TEXT,
    timezone    TEXT,                              -- IANA; null = unknown (bot zone used)
    state       TEXT NOT NULL,                     -- machine top-level state (denormalised for queries)
    epoch       INTEGER NOT NULL DEFAULT 0,
    last_channel TEXT NOT NULL DEFAULT 'livechat',
    last_seq    INTEGER NOT NULL DEFAULT 0,        -- per-conversation message sequence
    tags        TEXT NOT NULL DEFAULT '[]',
    assigned_user TEXT,
    last_template_id TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
  );
  CREATE INDEX contacts_bot_state ON contacts(bot_id, state);
  CREATE UNIQUE INDEX contacts_bot_phone ON contacts(bot_id, phone) WHERE phone IS NOT NULL;

  CREATE TABLE snapshots (
    contact_id  TEXT PRIMARY KEY REFERENCES contacts(id),
    snapshot    TEXT NOT NULL,                     -- JSON persisted XState snapshot
    updated_at  INTEGER NOT NULL
  );

  CREATE TABLE messages (
    id          TEXT PRIMARY KEY,
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    seq         INTEGER NOT NULL,
    sender      TEXT NOT NULL,                     -- contact | bot | operator
    channel     TEXT NOT NULL,
    text        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    client_id   TEXT,                              -- widget-provided id for dedup
    classification TEXT,                           -- JSON, inbound only
    followup_id TEXT,                              -- set when this message is a follow-up
    meta        TEXT,                              -- JSON
    UNIQUE (contact_id, seq)
  );
  CREATE UNIQUE INDEX messages_client ON messages(contact_id, client_id) WHERE client_id IS NOT NULL;

  CREATE TABLE followups (
    id          TEXT PRIMARY KEY,                  -- = idempotency key contact:scenario:step:epoch
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    bot_id      TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'followup',  -- followup | fallthrough (bot never replied)
    scenario    TEXT NOT NULL,
    step        INTEGER NOT NULL,
    epoch       INTEGER NOT NULL,
    raw_due_at  INTEGER NOT NULL,                  -- cadence arithmetic, before deferrals
    due_at      INTEGER NOT NULL,                  -- when it will fire
    defer_reason TEXT,                             -- working_hours | quiet_hours | missed_while_down ...
    channel     TEXT,
    channel_reason TEXT,
    message_mode TEXT,
    status      TEXT NOT NULL DEFAULT 'pending',   -- pending | sent | cancelled | skipped
    reason      TEXT,                              -- why cancelled / skipped
    actor       TEXT,                              -- who cancelled/rescheduled (operator id) when manual
    trigger_message_id TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    sent_at     INTEGER
  );
  CREATE INDEX followups_due ON followups(due_at) WHERE status = 'pending';
  CREATE INDEX followups_contact ON followups(contact_id, status);

  CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    bot_id      TEXT NOT NULL,
    contact_id  TEXT,
    channel     TEXT NOT NULL,                     -- livechat | sms | facebook | instagram | whatsapp | webhook
    recipient   TEXT,                              -- phone, page-scoped id, or URL
    body        TEXT NOT NULL,
    meta        TEXT,                              -- JSON: followupId, messageId, scenario, step...
    status      TEXT NOT NULL DEFAULT 'pending',   -- pending | sending | delivered | failed
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_at  INTEGER,
    last_error  TEXT,
    provider_id TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
  );
  CREATE INDEX outbox_ready ON outbox(status, next_attempt_at);
  CREATE INDEX outbox_contact ON outbox(contact_id, id);

  CREATE TABLE transitions (
    contact_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    event       TEXT NOT NULL,                     -- JSON of the event as applied
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    actions     TEXT NOT NULL DEFAULT '[]',        -- JSON effects decided by the machine
    at          INTEGER NOT NULL,
    PRIMARY KEY (contact_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2: the operator console — operator accounts (token stored as a sha256 hash) and the
  //    bots each may see; per-bot secrets for the calendar webhook (in) and workflow
  //    webhooks (out); calendar events received (dedup + shown in the Response Info
  //    panel); how far each operator has read the notifications; indexes for the
  //    console's per-bot queries (forecast, metrics, search).
  `
  CREATE TABLE operators (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,              -- hex sha256 of the bearer token; the token itself is never stored
    admin       INTEGER NOT NULL DEFAULT 0,        -- 1 = every bot, may manage operators and bots
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
  );

  CREATE TABLE operator_bots (
    operator_id TEXT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
    bot_id      TEXT NOT NULL REFERENCES bots(id),
    granted_at  INTEGER NOT NULL,
    PRIMARY KEY (operator_id, bot_id)
  ) WITHOUT ROWID;

  CREATE TABLE bot_secrets (
    bot_id      TEXT NOT NULL REFERENCES bots(id),
    kind        TEXT NOT NULL,                     -- calendar (verifies calendar webhooks) | webhook (signs outgoing webhooks)
    secret      TEXT NOT NULL,                     -- HMAC key: must be readable to sign/verify, so not hashed
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (bot_id, kind)
  ) WITHOUT ROWID;

  CREATE TABLE calendar_events (
    bot_id      TEXT NOT NULL,
    event_id    TEXT NOT NULL,                     -- the calendar's id for this delivery (dedup)
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    kind        TEXT NOT NULL,                     -- booked | cancelled | rescheduled
    starts_at   INTEGER,
    payload     TEXT NOT NULL,                     -- JSON as received
    received_at INTEGER NOT NULL,
    PRIMARY KEY (bot_id, event_id)
  ) WITHOUT ROWID;
  CREATE INDEX calendar_events_contact ON calendar_events(contact_id, received_at);

  CREATE TABLE notification_reads (
    operator_id TEXT PRIMARY KEY,
    last_read_id INTEGER NOT NULL
  );

  CREATE INDEX followups_bot_status ON followups(bot_id, status, updated_at);
  CREATE INDEX outbox_bot_channel ON outbox(bot_id, channel, id);
  `,
  // 3: channel identities and the last inbound message per contact and channel — the
  //    key for matching Messenger/Instagram/WhatsApp senders and the Meta 24 h window.
  `
  CREATE TABLE contact_channels (
    bot_id      TEXT NOT NULL,
    channel     TEXT NOT NULL,                     -- sms | facebook | instagram | whatsapp | livechat
    external_id TEXT NOT NULL,                     -- phone, PSID, IGSID, wa_id
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    last_inbound_at INTEGER,
    PRIMARY KEY (bot_id, channel, external_id)
  ) WITHOUT ROWID;
  CREATE INDEX contact_channels_contact ON contact_channels(contact_id);
  `,
  // 4: the scheduler's window read covered by the index (no table lookups, no sort):
  //    on 1,000,000 pending rows the 2,000-row read drops from ~70 ms to ~8 ms.
  `
  CREATE INDEX followups_due_cover ON followups(due_at, id, contact_id) WHERE status = 'pending';
  DROP INDEX followups_due;
  `,
  // 5: reply tracking written as it happens, so the reply-rate metric is an aggregate over
  //    the sent follow-ups of the range instead of a pass over every conversation (which
  //    grew with history: the slowest read of the soak). A follow-up is replied to when a
  //    contact message comes after its message and before the conversation's next
  //    follow-up message; contacts.last_followup_id names that open window. Backfilled
  //    from the conversations with that same definition.
  `
  ALTER TABLE followups ADD COLUMN replied_at INTEGER;
  ALTER TABLE contacts ADD COLUMN last_followup_id TEXT;
  CREATE INDEX followups_bot_sent ON followups(bot_id, sent_at) WHERE status = 'sent';

  WITH ordered AS (
    SELECT contact_id, seq, sender, at, followup_id,
      SUM(followup_id IS NOT NULL) OVER (PARTITION BY contact_id ORDER BY seq ROWS UNBOUNDED PRECEDING) AS grp
    FROM messages
  ),
  windows AS (
    SELECT MAX(followup_id) AS followup_id, MIN(CASE WHEN sender = 'contact' THEN at END) AS first_reply
    FROM ordered WHERE grp > 0 GROUP BY contact_id, grp
  )
  UPDATE followups SET replied_at = windows.first_reply
  FROM windows WHERE followups.id = windows.followup_id AND windows.first_reply IS NOT NULL;

  UPDATE contacts SET last_followup_id = (
    SELECT m.followup_id FROM messages m
    WHERE m.contact_id = contacts.id AND m.followup_id IS NOT NULL ORDER BY m.seq DESC LIMIT 1
  );
  `,
  // 6: fewer pages written per event (issue 8: the COMMIT's WAL page writes were the
  //    largest single cost). Each event used to dirty a random page of two extra b-trees:
  //    - the machine snapshot moves into the contact row, so one UPDATE writes state,
  //      epoch and snapshot together (the snapshots table is dropped);
  //    - the transition log becomes append-only: rows go to the end of a rowid table and
  //      only a small (contact_id, seq) index entry lands at a random place. It was a
  //      WITHOUT ROWID table keyed by (contact_id, seq), whose ~650-byte rows split pages;
  //    - the bot policy, repeated in every logged event, is stored once per distinct
  //      policy (policies, keyed by a hash of its JSON) and named by policy_id; readers
  //      get the event back whole (TRANSITION_SELECT in store.ts). Rows logged before this
  //      migration keep their inline policy and a NULL policy_id.
  `
  ALTER TABLE contacts ADD COLUMN snapshot TEXT;                -- JSON persisted XState snapshot
  UPDATE contacts SET snapshot = (SELECT s.snapshot FROM snapshots s WHERE s.contact_id = contacts.id);
  DROP TABLE snapshots;

  CREATE TABLE policies (
    id          TEXT PRIMARY KEY,                  -- hex sha256 (first 16 bytes) of the policy JSON
    policy      TEXT NOT NULL                      -- JSON Policy, as the machine received it
  ) WITHOUT ROWID;

  CREATE TABLE transitions_v6 (
    id          INTEGER PRIMARY KEY,               -- append order
    contact_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    event       TEXT NOT NULL,                     -- JSON of the event as applied (policy out when policy_id is set)
    policy_id   TEXT,                              -- policies.id of the event's policy
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    actions     TEXT NOT NULL DEFAULT '[]',
    at          INTEGER NOT NULL
  );
  INSERT INTO transitions_v6 (contact_id, seq, event, policy_id, from_state, to_state, actions, at)
    SELECT contact_id, seq, event, NULL, from_state, to_state, actions, at FROM transitions ORDER BY at, contact_id, seq;
  DROP TABLE transitions;
  ALTER TABLE transitions_v6 RENAME TO transitions;
  CREATE UNIQUE INDEX transitions_contact_seq ON transitions(contact_id, seq);
  `,
  // 7: the console's "armed" count (follow-ups created in a range) read every follow-up the
  //    bot ever had through followups_bot_status; this index bounds it to the range and
  //    covers it (no table lookups). Its entries only ever append (created_at never
  //    changes), so a follow-up's insert adds one write to the last page, not a random page.
  `
  CREATE INDEX followups_bot_created ON followups(bot_id, created_at, kind, scenario);
  `,
  // 8: reads that grew with a contact's history, on the send path of every due follow-up
  //    and in the console (the soak's slowest reads), made independent of it without a
  //    new random-page write per event:
  //    - contacts.last_inbound: when the contact last wrote on each channel, a JSON object
  //      ({"livechat": ms, "sms": ms}) kept in the message's transaction. The contact row
  //      is rewritten by every event anyway, so this adds no page to the commit; it was a
  //      GROUP BY over the whole conversation with a table lookup per message.
  //      Backfilled from the conversations.
  //    - followups_contact also holds channel and sent_at, so "when did the last live
  //      chat follow-up go out" is one index probe instead of a lookup per sent row. Both
  //      columns change together with status, which already moves the entry.
  //    - followups_bot_sent covers the metrics of sent follow-ups (kind, scenario, step,
  //      channel, replied_at): one index-only pass instead of three passes with a table
  //      lookup per sent follow-up. Its entries append (sent_at is the send time).
  `
  ALTER TABLE contacts ADD COLUMN last_inbound TEXT;
  UPDATE contacts SET last_inbound = (
    SELECT json_group_object(channel, at) FROM (
      SELECT channel, MAX(at) AS at FROM messages WHERE contact_id = contacts.id AND sender = 'contact' GROUP BY channel
    )
  ) WHERE EXISTS (SELECT 1 FROM messages WHERE contact_id = contacts.id AND sender = 'contact');

  DROP INDEX followups_contact;
  CREATE INDEX followups_contact ON followups(contact_id, status, channel, sent_at);

  DROP INDEX followups_bot_sent;
  CREATE INDEX followups_bot_sent ON followups(bot_id, sent_at, kind, scenario, step, channel, replied_at) WHERE status = 'sent';
  `,
  // 9: fewer pages written per event (issue 8, bench/walPages.ts). Every contact message
  //    arms a bot-silence timer (kind 'fallthrough') and every bot reply cancels it, yet the
  //    console's per-bot queries (metrics, forecast) all read kind 'followup' only. Both
  //    per-bot indexes now hold only those rows, so a fallthrough timer's insert and cancel
  //    no longer move entries in them: a cancel moved followups_bot_status's entry from a
  //    random page of the pending section to the cancelled section's last page, and the
  //    insert appended to both indexes — the largest share of a lone reply's page writes
  //    (3.9 of 20 frames). The queries keep their plans (test/store/migration9.test.ts).
  `
  DROP INDEX followups_bot_status;
  CREATE INDEX followups_bot_status ON followups(bot_id, status, updated_at) WHERE kind = 'followup';
  DROP INDEX followups_bot_created;
  CREATE INDEX followups_bot_created ON followups(bot_id, created_at, scenario) WHERE kind = 'followup';
  `,
  // 10: contacts needing review (issue 23): a doubtful message held for an operator. The
  //     machine's context.review is the truth; these columns project it for the per-bot list
  //     (oldest first) and the contact views. The index is partial: only contacts with a
  //     pending review are in it, so the events of every other contact never touch it.
  `
  ALTER TABLE contacts ADD COLUMN review_at INTEGER;             -- when the pending review opened; NULL = none
  ALTER TABLE contacts ADD COLUMN review TEXT;                   -- JSON PendingReview: message id, intent, readings, refusal cue
  CREATE INDEX contacts_bot_review ON contacts(bot_id, review_at, id) WHERE review_at IS NOT NULL;
  `,
  // 11: retention (src/store/retention.ts). What the pruner deleted of a contact's
  //     history, so the console and the visualizer can say so: messages and finished
  //     follow-ups older than an instant; the whole transition log through a seq, with the
  //     machine snapshot after it (the visualizer's replay starts there, and new log rows
  //     go on numbering after it). Erasures (src/store/erasure.ts) keep only that one
  //     happened: bot, time, actor.
  `
  CREATE TABLE contact_pruning (
    contact_id            TEXT PRIMARY KEY,
    messages_before       INTEGER,                 -- messages older than this were deleted
    followups_before      INTEGER,                 -- finished follow-ups older than this were deleted
    transitions_through   INTEGER,                 -- transition log deleted through this seq
    transitions_at        INTEGER,                 -- time of the last deleted transition
    transitions_snapshot  TEXT,                    -- JSON machine snapshot after it
    pruned_at             INTEGER NOT NULL
  );

  CREATE TABLE erasures (
    id          INTEGER PRIMARY KEY,
    bot_id      TEXT NOT NULL,
    actor       TEXT,
    erased_at   INTEGER NOT NULL
  );
  `,
  // 12: SMS consent (src/store/smsConsent.ts). A number typed into the widget is asked
  //     once ("Reply YES…") and texted only after its owner confirms; the row says when,
  //     how, and for which number. Goes with its contact.
  `
  CREATE TABLE sms_consent (
    contact_id    TEXT PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
    phone         TEXT NOT NULL,                   -- E.164, the number asked
    status        TEXT NOT NULL,                   -- 'pending' | 'confirmed'
    requested_at  INTEGER NOT NULL,
    confirmed_at  INTEGER,
    source        TEXT                             -- how it was confirmed: 'sms_yes'
  );
  `,
  // 13: the contact's language (src/classify/language.ts): the last one its messages were
  //     written in, kept while later messages say nothing of theirs ("ok", "3pm"). Built-in
  //     follow-ups and replies are written in it.
  `
  ALTER TABLE contacts ADD COLUMN language TEXT;
  `,
];
