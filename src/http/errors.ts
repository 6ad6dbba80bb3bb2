import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodError } from 'zod';
import { isStorageError } from '../runtime/committer.ts';
import { RuntimeError } from '../runtime/runtime.ts';
import { validationMessage, zodDetails } from './validation.ts';

/** Every error leaves the API as `{ error: { code, message, details? } }` with a 4xx/5xx. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function validationError(error: ZodError, what = 'request body'): HttpError {
  const details = zodDetails(error);
  return new HttpError(400, 'invalid_request', validationMessage(details, what), details);
}

/** Runtime refusals that mean "not in this state any more" (409). */
const CONFLICTS: ReadonlySet<RuntimeError['code']> = new Set(['conflict', 'review_not_pending', 'review_stale']);

function send(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  return reply.status(status).send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof HttpError) return send(reply, error.status, error.code, error.message, error.details);
    if (error instanceof RuntimeError) {
      const status = error.code === 'not_found' ? 404 : CONFLICTS.has(error.code) ? 409 : 400;
      return send(reply, status, error.code, error.message);
    }
    const e = error as { statusCode?: number; code?: string; message?: string };
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return send(reply, 415, 'unsupported_media_type', 'send application/json');
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, 413, 'payload_too_large', 'request body too large');
    if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return send(reply, 400, 'invalid_json', 'empty JSON body');
    if (e.statusCode === 400 && (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e instanceof SyntaxError || /JSON/.test(e.message ?? ''))) {
      return send(reply, 400, 'invalid_json', `request body is not valid JSON: ${e.message}`);
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return send(reply, e.statusCode, e.code ?? 'bad_request', e.message ?? 'bad request');
    if (isStorageError(error)) {
      request.log.error({ err: error }, 'storage unavailable');
      return send(reply, 503, 'storage_unavailable', 'storage is unavailable (disk full or read-only); nothing was stored, retry later');
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 500, 'internal', 'internal error');
  });
  app.setNotFoundHandler((request, reply) => send(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
}
