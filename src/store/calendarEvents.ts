/**
 * The `calendar_events` table: the appointments the calendar webhook reported, one row per
 * bot and event id (an event seen twice is stored once). Implements `CalendarEventRecords`.
 * Prepared once per connection.
 */
import type { DB } from './db.ts';
import type { MaybePromise } from './port.ts';
import { perConnection } from './perConnection.ts';

/** One calendar event as stored (`payload` is the request body as received). */
export interface CalendarEventRow {
  bot_id: string;
  event_id: string;
  contact_id: string;
  kind: string;
  starts_at: number | null;
  payload: string;
  received_at: number;
}

/** Calendar events by bot and event id, and by contact. */
export interface CalendarEventRecords {
  /** The contact an event was recorded for, or undefined when the event is new. */
  contactOfEvent(botId: string, eventId: string): MaybePromise<string | undefined>;
  /** Records an event; a repeat of a (bot, event id) changes nothing. */
  record(row: CalendarEventRow): MaybePromise<void>;
  /** The contact's events in the order they arrived. */
  ofContact(contactId: string): MaybePromise<Omit<CalendarEventRow, 'bot_id' | 'contact_id'>[]>;
}

export class SqliteCalendarEventRecords implements CalendarEventRecords {
  private readonly s;

  constructor(db: DB) {
    this.s = {
      contactOfEvent: db
        .prepare<[string, string], string>(`SELECT contact_id FROM calendar_events WHERE bot_id = ? AND event_id = ?`)
        .pluck(),
      record: db.prepare<[CalendarEventRow]>(
        `INSERT INTO calendar_events (bot_id, event_id, contact_id, kind, starts_at, payload, received_at)
         VALUES (@bot_id, @event_id, @contact_id, @kind, @starts_at, @payload, @received_at)
         ON CONFLICT DO NOTHING`,
      ),
      ofContact: db.prepare<[string], Omit<CalendarEventRow, 'bot_id' | 'contact_id'>>(
        `SELECT event_id, kind, starts_at, payload, received_at FROM calendar_events WHERE contact_id = ? ORDER BY received_at, event_id`,
      ),
    };
  }

  contactOfEvent(botId: string, eventId: string): string | undefined {
    return this.s.contactOfEvent.get(botId, eventId);
  }
  record(row: CalendarEventRow): void {
    this.s.record.run(row);
  }
  ofContact(contactId: string): Omit<CalendarEventRow, 'bot_id' | 'contact_id'>[] {
    return this.s.ofContact.all(contactId);
  }
}

/** The connection's calendar events, prepared once. */
export const calendarEventRecords = perConnection((db) => new SqliteCalendarEventRecords(db));
