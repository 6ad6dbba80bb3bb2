/**
 * The visualizer's hypothetical events and what-if requests, validated with the same
 * schemas on the event loop (a stored contact's what-if) and on the replay thread (an
 * uploaded file's what-if, src/viz/importRead.ts).
 */
import { z } from 'zod';
import { validationMessage, zodDetails, zoneNameSchema } from '../http/validation.ts';
import { EVENT_TYPES, VizInputError } from './replay.ts';
import { INTENTS } from '../../machines/contact.ts';

const instant = z.iso
  .datetime({ offset: true, error: 'must be an ISO-8601 instant with a zone, e.g. 2026-01-05T15:00:00Z' })
  .transform((s) => Date.parse(s));
const shortText = z.string().min(1).max(200);
const at = { at: instant.optional() };

const hypotheticalEvent = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('CONTACT_MESSAGE'),
      intent: z.enum(INTENTS),
      requestedAt: instant.optional(),
      phrase: shortText.optional(),
      zone: zoneNameSchema.optional(),
      ...at,
    }),
    z.strictObject({ type: z.literal('BOT_MESSAGE'), bookingLink: z.boolean().optional(), ...at }),
    z.strictObject({ type: z.literal('OPERATOR_MESSAGE'), operatorId: shortText.optional(), ...at }),
    z.strictObject({ type: z.literal('OPERATOR_HANDBACK'), operatorId: shortText.optional(), ...at }),
    z.strictObject({ type: z.literal('OPERATOR_STOP'), operatorId: shortText.optional(), ...at }),
    z.strictObject({ type: z.literal('FOLLOWUP_DUE'), followUpId: shortText.optional(), ...at }),
    z.strictObject({
      type: z.literal('FOLLOWUP_CANCELLED'),
      followUpId: shortText.optional(),
      operatorId: shortText.optional(),
      ...at,
    }),
    z.strictObject({
      type: z.literal('FOLLOWUP_RETIMED'),
      followUpId: shortText.optional(),
      dueAt: instant,
      operatorId: shortText.optional(),
      ...at,
    }),
    z.strictObject({ type: z.literal('APPOINTMENT_BOOKED'), source: shortText.optional(), ...at }),
    z.strictObject({ type: z.literal('APPOINTMENT_CANCELLED'), source: shortText.optional(), ...at }),
    z.strictObject({ type: z.literal('OPT_IN'), source: shortText.optional(), ...at }),
    z.strictObject({
      type: z.literal('REVIEW_RESOLVED'),
      intent: z.enum(INTENTS),
      requestedAt: instant.optional(),
      messageId: shortText.optional(),
      operatorId: shortText.optional(),
      ...at,
    }),
    z.strictObject({
      type: z.literal('CONTACT_UPDATED'),
      fields: z.record(z.string().max(50), z.string().max(50)).optional(),
      ...at,
    }),
  ],
  { error: `event.type must be one of ${EVENT_TYPES.join(', ')}` },
);

export const whatIfBody = z.strictObject({
  afterSeq: z.number({ error: 'must be a log entry number (0 = before the first event)' }).int().min(0),
  policy: z.enum(['logged', 'current']).optional(),
  event: hypotheticalEvent,
});

/** A what-if against an uploaded file: the file travels in the request. */
export const importWhatIfBody = whatIfBody.extend({ file: z.unknown() });

/** `schema`'s value, or a VizInputError `invalid_request` worded as the API words a validation error. */
export function parseVizInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = zodDetails(result.error);
  throw new VizInputError('invalid_request', validationMessage(details, what), details);
}
