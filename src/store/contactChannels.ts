/**
 * The `contact_channels` table: which contact a provider's sender id stands for, per bot and
 * channel (an SMS number, a Messenger or Instagram id), and when it last wrote. Implements
 * `ContactChannelRecords`. A link is unique per (bot, channel, external id); its last
 * inbound time only moves forward. Prepared once per connection.
 */
import type { DB } from './db.ts';
import type { MaybePromise } from './port.ts';
import { perConnection } from './perConnection.ts';

/** Links between contacts and their ids on each channel. */
export interface ContactChannelRecords {
  /** The contact linked to a sender id on a bot's channel, or undefined. */
  contactOf(botId: string, channel: string, externalId: string): MaybePromise<string | undefined>;
  /** Links the sender id to the contact (kept if linked already) and records when it wrote. */
  link(botId: string, channel: string, externalId: string, contactId: string, at: number): MaybePromise<void>;
  /** One of the contact's ids on the channel, or null. */
  externalIdOf(contactId: string, channel: string): MaybePromise<string | null>;
}

export class SqliteContactChannelRecords implements ContactChannelRecords {
  private readonly s;

  constructor(db: DB) {
    this.s = {
      contactOf: db
        .prepare<[string, string, string], string>(
          `SELECT contact_id FROM contact_channels WHERE bot_id = ? AND channel = ? AND external_id = ?`,
        )
        .pluck(),
      link: db.prepare<[string, string, string, string, number]>(
        `INSERT INTO contact_channels (bot_id, channel, external_id, contact_id, last_inbound_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(bot_id, channel, external_id) DO UPDATE SET last_inbound_at = MAX(COALESCE(last_inbound_at, 0), excluded.last_inbound_at)`,
      ),
      externalIdOf: db
        .prepare<[string, string], string>(
          `SELECT external_id FROM contact_channels WHERE contact_id = ? AND channel = ? LIMIT 1`,
        )
        .pluck(),
    };
  }

  contactOf(botId: string, channel: string, externalId: string): string | undefined {
    return this.s.contactOf.get(botId, channel, externalId);
  }
  link(botId: string, channel: string, externalId: string, contactId: string, at: number): void {
    this.s.link.run(botId, channel, externalId, contactId, at);
  }
  externalIdOf(contactId: string, channel: string): string | null {
    return this.s.externalIdOf.get(contactId, channel) ?? null;
  }
}

/** The connection's contact-channel links, prepared once. */
export const contactChannelRecords = perConnection((db) => new SqliteContactChannelRecords(db));
