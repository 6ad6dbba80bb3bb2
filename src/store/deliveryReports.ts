/**
 * Providers' delivery reports (Twilio status callbacks, Meta statuses) onto the outbox rows
 * they sent: `meta.deliveryStatus` of the row with that provider id and bot is replaced by
 * the latest report. Implements `DeliveryReportRecords`. Prepared once per connection.
 */
import type { DB } from './db.ts';
import type { MaybePromise } from './port.ts';
import { perConnection } from './perConnection.ts';

/** What a provider reported about a message it sent. */
export interface DeliveryReport {
  status: string;
  errorCode: string | null;
  at: number;
}

/** Delivery reports on outbox rows. */
export interface DeliveryReportRecords {
  /** Records the report on the bot's row sent with `providerId`; false when there is none. */
  record(botId: string, providerId: string, report: DeliveryReport, now: number): MaybePromise<boolean>;
}

export class SqliteDeliveryReportRecords implements DeliveryReportRecords {
  private readonly update;

  constructor(db: DB) {
    this.update = db.prepare<[string, number, string, string]>(
      `UPDATE outbox SET meta = json_set(COALESCE(meta, '{}'), '$.deliveryStatus', json(?)), updated_at = ?
       WHERE provider_id = ? AND bot_id = ?`,
    );
  }

  record(botId: string, providerId: string, report: DeliveryReport, now: number): boolean {
    return this.update.run(JSON.stringify(report), now, providerId, botId).changes > 0;
  }
}

/** The connection's delivery reports, prepared once. */
export const deliveryReportRecords = perConnection((db) => new SqliteDeliveryReportRecords(db));
