/**
 * Small HTTP helpers shared by the provider adapters: a POST with a hard timeout that
 * turns network failures into RetryableDeliveryError, and Retry-After parsing.
 */
import { PermanentDeliveryError, RetryableDeliveryError } from './types.ts';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Retry-After values above this are treated as this (a provider asking for a day is a config problem). */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * Parses an HTTP Retry-After header (delta-seconds or HTTP-date) into milliseconds.
 * Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header == null) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    ms = at - nowMs;
  }
  return Math.min(Math.max(0, Math.round(ms)), MAX_RETRY_AFTER_MS);
}

export interface PostOptions {
  fetch: FetchLike;
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** The dispatcher's own abort signal (its send timeout / shutdown). */
  signal?: AbortSignal;
  /** Provider name for error messages. */
  provider: string;
  /**
   * Leave the connection error's cause out of the message: for user-supplied destinations,
   * "connection refused" against "timed out" per host and port would map a network.
   */
  hideCause?: boolean;
}

/**
 * POSTs and returns the response. A timeout or a connection failure throws
 * RetryableDeliveryError: the provider may or may not have seen the request, which is
 * exactly why every send carries an idempotency key.
 */
export async function postWithTimeout(opts: PostOptions): Promise<Response> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  try {
    return await opts.fetch(opts.url, { method: 'POST', headers: opts.headers, body: opts.body, signal });
  } catch (err) {
    // Decided before any connection (a refused destination): no retry can change it.
    if (err instanceof PermanentDeliveryError) throw err;
    if (timeout.aborted) {
      throw new RetryableDeliveryError(
        `${opts.provider}: no response within ${opts.timeoutMs} ms`,
        undefined,
        'timeout',
      );
    }
    if (opts.signal?.aborted) {
      throw new RetryableDeliveryError(`${opts.provider}: send aborted by the dispatcher`, undefined, 'aborted');
    }
    if (opts.hideCause) throw new RetryableDeliveryError(`${opts.provider}: could not connect`, undefined, 'network');
    const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new RetryableDeliveryError(`${opts.provider}: request failed (${cause})`, undefined, 'network');
  }
}

/** How much of a response body nobody reads is drained to give its connection back. */
const DISCARD_LIMIT_BYTES = 64 * 1024;

/**
 * Lets go of a response body the caller does not need, without waiting on it. The
 * delivery's result is decided by the status alone, so nothing here may hold it up:
 * awaiting `body.cancel()` can hang indefinitely with undici (seen here as a webhook send
 * that waited for the dispatcher's 10 s send timeout, was counted a timeout and retried;
 * also modelcontextprotocol/typescript-sdk#1320). The body is drained in the background
 * (undici then reuses the connection) up to a limit, then cancelled; the request's own
 * timeout signal bounds the reading, and errors are of no interest.
 */
export function discardBody(res: Response, limitBytes = DISCARD_LIMIT_BYTES): void {
  const body = res.body;
  if (!body || body.locked) return;
  const reader = body.getReader();
  void (async () => {
    let read = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      if (read > limitBytes) {
        void reader.cancel().catch(() => {});
        return;
      }
    }
  })().catch(() => {});
}

/** Reads a response body as JSON, or null when it is not JSON (HTML error pages, empty bodies). */
export async function readJson(res: Response): Promise<unknown> {
  try {
    const text = await res.text();
    return text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    // Unparseable or cut off (timeout while streaming): callers decide from the status alone.
    return null;
  }
}
