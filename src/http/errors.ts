/**
 * The API's error catalog and its error handler. Every HTTP error leaves as
 * `{ error: { code, message, details? } }`; each code is declared once below with its status,
 * and `docs/api.md#errors` lists exactly these (test/http/errors.test.ts holds both to it).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z, type ZodError } from 'zod';
import { isStorageError } from '../runtime/committer.ts';
import { isPostgresStorageError } from '../store/postgres/errors.ts';
import { RuntimeError } from '../runtime/errors.ts';
import { validationMessage, zodDetails } from './validation.ts';

/** Every code the API answers with, and its status. */
export const ERROR_CATALOG = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_config: 400,
  invalid_export: 400,
  unauthorized: 401,
  forbidden: 403,
  bad_signature: 403,
  stale_timestamp: 403,
  bad_verify_token: 403,
  not_found: 404,
  contact_not_found: 404,
  conflict: 409,
  contact_stopped: 409,
  backup_running: 409,
  review_not_pending: 409,
  review_stale: 409,
  payload_too_large: 413,
  import_too_large: 413,
  history_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  bundle_failed: 500,
  storage_unavailable: 503,
  replay_busy: 503,
  import_failed: 503,
  shutting_down: 503,
  too_many_connections: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_CATALOG;

/** The body of every error answer (docs/api.md#errors), for checking examples and clients. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(Object.keys(ERROR_CATALOG) as [ErrorCode, ...ErrorCode[]]),
    message: z.string().min(1),
    details: z.unknown().optional(),
  }),
});

/** An API error: its status always the catalog's for its code. */
export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = ERROR_CATALOG[code];
  }
}

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
type ErrorFactory = (message: string, details?: unknown) => HttpError;

/** One factory per code, named in camelCase: `throw Errors.invalidRequest('…')` answers 400 invalid_request. */
export const Errors = Object.fromEntries(
  (Object.keys(ERROR_CATALOG) as ErrorCode[]).map((code) => [
    code.replace(/_(\w)/g, (_m, letter: string) => letter.toUpperCase()),
    (message: string, details?: unknown) => new HttpError(code, message, details),
  ]),
) as { readonly [K in ErrorCode as CamelCase<K>]: ErrorFactory };

/** The body of an error answer, for the few answers written outside fastify's reply (socket upgrades). */
export function errorBody(code: ErrorCode, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

export function validationError(error: ZodError, what = 'request body'): HttpError {
  const details = zodDetails(error);
  return Errors.invalidRequest(validationMessage(details, what), details);
}

/** The runtime's refusals as API codes (`invalid` is a request the API should have refused first). */
const RUNTIME_CODES: Record<RuntimeError['code'], ErrorCode> = {
  not_found: 'not_found',
  conflict: 'conflict',
  invalid: 'invalid_request',
  review_not_pending: 'review_not_pending',
  review_stale: 'review_stale',
};

/** fastify's own 4xx errors by status; any other 4xx reads as an invalid request. */
const STATUS_CODES: Record<number, ErrorCode> = {
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Answers `error` as the catalog says: status from its code, `details` only when given. */
export function sendError(reply: FastifyReply, error: HttpError): FastifyReply {
  const { status, code, message, details } = error;
  return reply
    .status(status)
    .type('application/json; charset=utf-8')
    .send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

/** The application's error answers: the catalog's errors as they are, anything else mapped onto a code. */
export function toHttpError(error: unknown, log: { error(obj: object, msg: string): void }): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof RuntimeError) return new HttpError(RUNTIME_CODES[error.code], error.message);
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return Errors.unsupportedMediaType('send application/json');
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return Errors.payloadTooLarge('request body too large');
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return Errors.invalidJson('empty JSON body');
  if (
    e.statusCode === 400 &&
    (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e instanceof SyntaxError || /JSON/.test(e.message ?? ''))
  ) {
    return Errors.invalidJson(`request body is not valid JSON: ${e.message}`);
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
    return new HttpError(STATUS_CODES[e.statusCode] ?? 'invalid_request', e.message ?? 'bad request');
  if (isStorageError(error) || isPostgresStorageError(error)) {
    log.error({ err: error }, 'storage unavailable');
    return Errors.storageUnavailable(
      'storage is unavailable (disk full, read-only or unreachable); nothing was stored, retry later',
    );
  }
  log.error({ err: error }, 'unhandled error');
  return Errors.internal('internal error');
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => sendError(reply, toHttpError(error, request.log)));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, Errors.notFound(`no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
