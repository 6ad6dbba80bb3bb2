/**
 * `POST /webhooks/calendar/:botId`: a calendar (or the glue in front of it) reports that a
 * contact booked, cancelled or moved an appointment. Signed like Nudge's outgoing webhooks:
 * `X-Nudge-Timestamp` (epoch ms, or s) and `X-Nudge-Signature: sha256=<hex HMAC-SHA256(bot
 * calendar secret, `${timestamp}.${rawBody}`)>`, over the exact bytes received, so the body
 * is parsed only after verifying. A timestamp more than 5 minutes off is refused (replays);
 * an `eventId` seen before is acknowledged without acting again (calendars re-deliver).
 * Order of checks: unknown bot 404 → signature 403 → malformed 400 → unknown contact 404.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { Errors, HttpError, validationError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { NudgeServices } from '../services.ts';
import { calendarEventRecords } from '../store/calendarEvents.ts';
import { contactQueries } from '../store/contactQueries.ts';
import type { ContactRow } from '../store/store.ts';
import { getBotSecret } from './secrets.ts';

export const CALENDAR_TOLERANCE_MS = 5 * 60_000;
export const CALENDAR_SIGNATURE_HEADER = 'x-nudge-signature';
export const CALENDAR_TIMESTAMP_HEADER = 'x-nudge-timestamp';

export const calendarEventSchema = z
  .object({
    event: z.enum(['booked', 'cancelled', 'rescheduled'], { error: 'must be booked, cancelled or rescheduled' }),
    eventId: z.string().min(1).max(200).optional(),
    contactId: z.string().min(1).max(200).optional(),
    email: z.email({ error: 'must be an email address' }).max(320).optional(),
    phone: z.string().min(3).max(40).optional(),
    startsAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO-8601 instant, e.g. 2026-01-06T15:00:00Z' })
      .optional(),
    endsAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO-8601 instant, e.g. 2026-01-06T15:30:00Z' })
      .optional(),
    title: z.string().max(200).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((b) => b.contactId || b.email || b.phone, {
    message: 'give contactId, email or phone to identify the contact',
    path: ['contactId'],
  });

export type CalendarEvent = z.output<typeof calendarEventSchema>;

/** What a sender puts in the two headers (used by tests and documented for integrators). */
export function signCalendarBody(
  secret: string,
  body: string,
  timestamp: number | string,
): { [CALENDAR_SIGNATURE_HEADER]: string; [CALENDAR_TIMESTAMP_HEADER]: string } {
  const ts = String(timestamp);
  return {
    [CALENDAR_SIGNATURE_HEADER]: `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`,
    [CALENDAR_TIMESTAMP_HEADER]: ts,
  };
}

type Verdict = { ok: true } | { ok: false; code: 'bad_signature' | 'stale_timestamp'; message: string };

export function verifyCalendarSignature(
  secret: string | null,
  raw: Buffer,
  signature: unknown,
  timestamp: unknown,
  now: number,
): Verdict {
  if (typeof signature !== 'string' || typeof timestamp !== 'string') {
    return { ok: false, code: 'bad_signature', message: 'missing X-Nudge-Signature or X-Nudge-Timestamp header' };
  }
  if (!/^\d{9,16}$/.test(timestamp))
    return { ok: false, code: 'bad_signature', message: 'X-Nudge-Timestamp must be epoch milliseconds (or seconds)' };
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
  if (!match)
    return { ok: false, code: 'bad_signature', message: 'X-Nudge-Signature must be "sha256=<64 hex digits>"' };
  if (!secret)
    return {
      ok: false,
      code: 'bad_signature',
      message: 'this bot has no calendar secret yet: read it from GET /api/bots/:id/secrets first',
    };
  const expected = createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(`${timestamp}.`), raw]))
    .digest();
  const given = Buffer.from(match[1].toLowerCase(), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, code: 'bad_signature', message: 'invalid X-Nudge-Signature' };
  }
  // Checked after the signature so a forged request learns nothing about the clock.
  const value = Number(timestamp);
  const ms = value < 1e11 ? value * 1000 : value;
  if (Math.abs(now - ms) > CALENDAR_TOLERANCE_MS) {
    return {
      ok: false,
      code: 'stale_timestamp',
      message: 'X-Nudge-Timestamp is more than 5 minutes away from the server time (replayed or clock skew)',
    };
  }
  return { ok: true };
}

function findContact(services: NudgeServices, botId: string, body: CalendarEvent): ContactRow | null {
  const { store } = services;
  if (body.contactId) {
    const contact = store.getContact(body.contactId);
    return contact && contact.bot_id === botId ? contact : null;
  }
  if (body.email) {
    const contact = contactQueries(store.db).contactByEmail(botId, body.email);
    if (contact) return contact;
  }
  if (body.phone) {
    const parsed = parsePhoneNumberFromString(body.phone);
    const e164 = parsed?.isValid() ? (parsed.number as string) : body.phone;
    return store.getContactByPhone(botId, e164) ?? null;
  }
  return null;
}

export interface CalendarRoutesOptions {
  services: NudgeServices;
  bodyLimit?: number;
}

export async function calendarWebhookRoutes(app: FastifyInstance, opts: CalendarRoutesOptions): Promise<void> {
  const { services } = opts;
  const { store, runtime, clock } = services;
  const events = calendarEventRecords(store.db);
  const bodyLimit = opts.bodyLimit ?? 64 * 1024;
  if (app.hasContentTypeParser('application/json')) app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (_req, body, done) =>
    done(null, body),
  );

  app.post('/webhooks/calendar/:botId', { bodyLimit }, async (request) => {
    const botId = String((request.params as { botId?: unknown }).botId ?? '');
    if (!botId || botId.length > 200 || !store.getBot(botId)) throw Errors.notFound(`bot ${botId} not found`);
    const raw = request.body;
    if (!Buffer.isBuffer(raw)) throw Errors.unsupportedMediaType('send the event as application/json');

    const verdict = verifyCalendarSignature(
      getBotSecret(store.db, botId, 'calendar'),
      raw,
      request.headers[CALENDAR_SIGNATURE_HEADER],
      request.headers[CALENDAR_TIMESTAMP_HEADER],
      clock.now(),
    );
    if (!verdict.ok) {
      request.log.warn({ botId, code: verdict.code }, 'calendar webhook refused');
      throw new HttpError(verdict.code, verdict.message);
    }

    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw Errors.invalidJson(`request body is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = calendarEventSchema.safeParse(json);
    if (!parsed.success) throw validationError(parsed.error, 'calendar event');
    const body = parsed.data;

    if (body.eventId) {
      const seen = events.contactOfEvent(botId, body.eventId);
      if (seen) {
        const contact = store.getContact(seen);
        return { received: true, duplicate: true, contactId: seen, state: contact?.state ?? null };
      }
    }

    const contact = findContact(services, botId, body);
    if (!contact) throw Errors.contactNotFound('no contact of this bot matches the contactId, email or phone given');

    const type = body.event === 'cancelled' ? 'APPOINTMENT_CANCELLED' : 'APPOINTMENT_BOOKED';
    const result = await runtime.signal(contact.id, type, { source: `calendar:${body.event}` });
    const now = clock.now();
    events.record({
      bot_id: botId,
      event_id: body.eventId ?? `anon:${newId('cal')}`,
      contact_id: contact.id,
      kind: body.event,
      starts_at: body.startsAt ? Date.parse(body.startsAt) : null,
      payload: raw.toString('utf8'),
      received_at: now,
    });
    return {
      received: true,
      duplicate: false,
      contactId: contact.id,
      event: body.event,
      from: result.from,
      state: result.to,
    };
  });
}
