/**
 * How a route reads its input: every path, query and body goes through `parse` with a zod
 * schema, and a value the schema refuses answers 400 `invalid_request` naming the first
 * problem (all of them in `details`). The `:id` path parameter and the empty body that
 * action routes accept are declared here once.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { validationError } from './errors.ts';

/** The `:id` of a route (bot, contact, follow-up, operator). */
export const idParam = z.object({ id: z.string().min(1).max(200) });

/** An action's body: nothing, `null` or `{}`. */
export const emptyBody = z.union([z.undefined(), z.null(), z.object({}).strict()]);

/** `value` as `schema` reads it, or 400 `invalid_request` ("invalid <what>: <path>: <message>"). */
export function parse<T>(schema: z.ZodType<T>, value: unknown, what = 'request body'): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}

/** The route's `:id` path parameter, validated. */
export function pathId(request: FastifyRequest): string {
  return parse(idParam, request.params, 'path').id;
}
