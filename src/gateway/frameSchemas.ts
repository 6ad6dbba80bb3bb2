/**
 * The server → client frames of the live-chat protocol as zod schemas, so documentation and
 * tests can check a frame at run time. The server builds its frames from the types in
 * protocol.ts; the check below keeps these schemas from allowing a frame those types refuse.
 */
import { z } from 'zod';
import { SCENARIOS } from '../../machines/vocabulary.ts';
import { ERROR_CODES, type ServerFrame } from './protocol.ts';

const instant = z.iso.datetime();

export const welcomeFrameSchema = z.strictObject({
  type: z.literal('welcome'),
  visitorToken: z.string(),
  contactId: z.string(),
  conversationId: z.string(),
  maxTextLength: z.number().int().positive(),
});

export const wireMessageSchema = z.strictObject({
  type: z.literal('message'),
  id: z.string(),
  seq: z.number().int().min(1),
  from: z.enum(['contact', 'bot']),
  text: z.string(),
  at: instant,
  followUp: z.strictObject({ scenario: z.enum(SCENARIOS), step: z.number().int().min(1) }).optional(),
  ask: z.literal('phone').optional(),
});

export const messageAckFrameSchema = z.strictObject({
  type: z.literal('ack'),
  for: z.literal('message'),
  clientId: z.string(),
  id: z.string(),
  seq: z.number().int().min(1),
  at: instant,
  duplicate: z.boolean(),
});

export const contactAckFrameSchema = z.strictObject({
  type: z.literal('ack'),
  for: z.literal('contact'),
  clientId: z.string().optional(),
  contact: z.strictObject({ name: z.string().optional(), phone: z.string().optional(), email: z.string().optional() }),
});

export const serverTypingFrameSchema = z.strictObject({ type: z.literal('typing'), typing: z.boolean() });

export const errorFrameSchema = z.strictObject({
  type: z.literal('error'),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  ref: z.string().optional(),
  clientId: z.string().optional(),
});

/** Any frame the server sends. */
export const serverFrameSchema = z.union([
  welcomeFrameSchema,
  wireMessageSchema,
  messageAckFrameSchema,
  contactAckFrameSchema,
  serverTypingFrameSchema,
  errorFrameSchema,
]);

// Compile-time: whatever the schemas accept is a ServerFrame.
void ((frame: z.infer<typeof serverFrameSchema>): ServerFrame => frame);
