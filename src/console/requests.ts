/**
 * The request bodies of the console's routes, apart from the routes so the OpenAPI document
 * (openapi.ts, which routes.ts serves) describes them from the same schemas.
 */
import { z } from 'zod';

/** `POST /api/operators`. */
export const createOperatorBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    admin: z.boolean({ error: 'must be true or false' }).default(false),
    botIds: z.array(z.string().min(1).max(200)).max(1000).default([]),
  })
  .strict();
/** `PATCH /api/operators/:id`. */
export const patchOperatorBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
    admin: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict();
/** `POST /api/operators/:id/bots`. */
export const grantBody = z.object({ botId: z.string().min(1).max(200) }).strict();
/** `POST /api/bots/:id/config/validate`. */
export const validateBody = z
  .object({
    mode: z.enum(['replace', 'patch'], { error: 'must be replace or patch' }).default('replace'),
    config: z.record(z.string(), z.unknown(), { error: 'must be a JSON object with the bot configuration' }),
  })
  .strict();
/** `POST /api/notifications/read`. */
export const readBody = z.object({ upTo: z.number({ error: 'must be a notification id' }).int().min(0) }).strict();
