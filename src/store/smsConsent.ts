/**
 * SMS consent of numbers typed into the widget: anyone can type any number there, so such
 * a number is asked once and texted only after its owner replies YES. One row per contact,
 * for the number it holds; a new number is asked again.
 */
import type { DB } from './db.ts';
import { perConnection } from './perConnection.ts';

/** A contact's consent row. */
export interface SmsConsentRow {
  contact_id: string;
  phone: string;
  status: 'pending' | 'confirmed';
  requested_at: number;
  confirmed_at: number | null;
  source: string | null;
}

export class SmsConsentStore {
  private readonly s;

  constructor(db: DB) {
    this.s = {
      get: db.prepare<[string], SmsConsentRow>(`SELECT * FROM sms_consent WHERE contact_id = ?`),
      // A new number starts over; asking again for the same number changes nothing.
      request: db.prepare<[string, string, number]>(
        `INSERT INTO sms_consent (contact_id, phone, status, requested_at) VALUES (?, ?, 'pending', ?)
         ON CONFLICT(contact_id) DO UPDATE SET phone = excluded.phone, status = 'pending', requested_at = excluded.requested_at,
           confirmed_at = NULL, source = NULL
         WHERE sms_consent.phone <> excluded.phone`,
      ),
      confirm: db.prepare<[number, string, string]>(
        `UPDATE sms_consent SET status = 'confirmed', confirmed_at = ?, source = ? WHERE contact_id = ? AND status = 'pending'`,
      ),
    };
  }

  get(contactId: string): SmsConsentRow | undefined {
    return this.s.get.get(contactId);
  }

  /** Records that this number is asked; true when it was not asked before (send the question). */
  request(contactId: string, phone: string, at: number): boolean {
    return this.s.request.run(contactId, phone, at).changes === 1;
  }

  /** Records the owner's confirmation; true when it was pending. */
  confirm(contactId: string, at: number, source: string): boolean {
    return this.s.confirm.run(at, source, contactId).changes === 1;
  }
}

/** Whether SMS to this contact's number waits for its owner's YES. */
export function smsConsentPending(row: SmsConsentRow | undefined, phone: string | null): boolean {
  return !!row && row.status === 'pending' && row.phone === phone;
}

/** The consent statements of a connection, prepared once. */
export const smsConsentStore: (db: DB) => SmsConsentStore = perConnection((db) => new SmsConsentStore(db));

/** How the API and the console show a contact's consent; null when its number was never asked. */
export function smsConsentView(row: SmsConsentRow | undefined, phone: string | null) {
  if (!row || row.phone !== phone) return null;
  return {
    status: row.status,
    phone: row.phone,
    requestedAt: new Date(row.requested_at).toISOString(),
    confirmedAt: row.confirmed_at === null ? null : new Date(row.confirmed_at).toISOString(),
    source: row.source,
  };
}
