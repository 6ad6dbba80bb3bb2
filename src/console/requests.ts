/**
 * The request bodies and queries of the console's routes, apart from the routes so the OpenAPI
 * document (openapi.ts, which routes.ts serves) describes them from the same schemas.
 */
import { z } from 'zod';
import { MAX_FORECAST_HOURS } from './forecast.ts';

const instant = z.iso
  .datetime({ offset: true, error: 'must be an ISO-8601 instant such as 2026-01-05T00:00:00Z' })
  .transform((s) => Date.parse(s));

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
/** `GET /api/bots/:id/forecast`. */
export const forecastQuery = z
  .object({
    hours: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number of hours')
      .min(1, 'must be at least 1')
      .max(MAX_FORECAST_HOURS, `must be at most ${MAX_FORECAST_HOURS} (14 days)`)
      .default(72),
    limit: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1000, 'must be at most 1000')
      .default(500),
  })
  .strict();
/** `GET /api/bots/:id/metrics`. */
export const metricsQuery = z.object({ from: instant.optional(), to: instant.optional() }).strict();
/** `GET /api/notifications`. */
export const notificationsQuery = z
  .object({
    botId: z.string().min(1).max(200).optional(),
    contactId: z.string().min(1).max(200).optional(),
    before: z.coerce.number().int().min(1).optional(),
    limit: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(200, 'must be at most 200')
      .default(50),
  })
  .strict();
