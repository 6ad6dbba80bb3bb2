/**
 * The request bodies and queries of the operator API (src/http/bots.ts, contacts.ts,
 * followUps.ts), apart from the routes so the OpenAPI document (src/console/openapi.ts)
 * describes them from the same zod schemas the routes validate with.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { CONTACT_STATES, INTENTS } from '../../machines/contact.ts';
import { CHANNELS } from '../channels/types.ts';
import { zoneNameSchema } from './validation.ts';

const MAX_TEXT = 4000;

const text = z.string().trim().min(1, 'must not be empty').max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`);
const phone = z.string().transform((value, ctx) => {
  const parsed = parsePhoneNumberFromString(value);
  if (!parsed || !parsed.isValid()) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a valid phone number in international format, e.g. +14155550123',
    });
    return z.NEVER;
  }
  return parsed.number as string;
});

/** The channels a contact writes on (webhook and console carry notifications only). */
const contactChannel = z.enum(CHANNELS).exclude(['webhook', 'console']);

/** `PATCH /api/contacts/:id`. */
export const contactFields = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    phone: phone.optional(),
    email: z.email().max(320).optional(),
    timezone: zoneNameSchema.optional(),
  })
  .strict();
/** `POST /api/bots/:id/contacts`. */
export const createContactBody = contactFields.extend({ channel: contactChannel.optional() }).strict();
/** `POST /api/contacts/:id/messages/inbound`. */
export const inboundBody = z
  .object({ text, channel: contactChannel.optional(), clientId: z.string().min(1).max(100).optional() })
  .strict();
/** `POST /api/contacts/:id/messages/outbound`. */
export const outboundBody = z.object({ text, sender: z.enum(['bot', 'operator']).default('bot') }).strict();
/** `POST /api/bots`. */
export const createBotBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    allowedOrigins: z.array(z.url()).max(50).optional(),
    config: z.record(z.string(), z.unknown(), { error: 'config must be an object' }).optional(),
  })
  .strict();
/** `POST /api/followups/:id/reschedule`. */
export const rescheduleBody = z.object({ at: z.iso.datetime({ offset: true }) }).strict();
/** `POST /api/contacts/:id/review`: an operator's decision on a held message. */
export const reviewBody = z
  .object({
    messageId: z.string({ error: 'must be the id of the message under review' }).min(1).max(200),
    intent: z.enum(INTENTS, { error: `must be one of ${INTENTS.join(', ')}` }),
    requestedAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO-8601 instant such as 2026-01-05T15:00:00Z' })
      .optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.intent === 'request_time' && body.requestedAt === undefined) {
      ctx.addIssue({ code: 'custom', path: ['requestedAt'], message: 'is required when the intent is request_time' });
    }
    if (body.intent !== 'request_time' && body.requestedAt !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['requestedAt'], message: 'only goes with the intent request_time' });
    }
  });
/** `GET /api/bots/:id/contacts`: a simple page, or the contacts held for review. */
export const contactListQuery = z
  .object({
    state: z.enum(CONTACT_STATES).optional(),
    needsReview: z.enum(['true'], { error: 'must be true (to list the contacts held for review)' }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
  .refine((q) => !(q.state && q.needsReview), { path: ['needsReview'], message: 'cannot be combined with state' });
// Both logs grow with the contact's history: read a page at a time (`after` = the last
// seq already read), never the whole history in one answer on the event loop.
const pageLimit = z.coerce.number().int().min(1).max(1000).default(200);
/** The transitions and messages of a contact, after a seq. */
export const pageQuery = z.object({ after: z.coerce.number().int().min(0).default(0), limit: pageLimit }).strict();
/** `GET /api/contacts/:id/followups`. */
export const followUpPage = z.object({ offset: z.coerce.number().int().min(0).default(0), limit: pageLimit }).strict();
