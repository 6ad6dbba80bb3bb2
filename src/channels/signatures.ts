/**
 * Webhook signatures, in and out.
 *
 * In:  Twilio  — X-Twilio-Signature = base64(HMAC-SHA1(authToken, url + sorted params)).
 *      Meta    — X-Hub-Signature-256 = "sha256=" + hex(HMAC-SHA256(appSecret, raw body)).
 * Out: Nudge   — X-Nudge-Signature = "sha256=" + hex(HMAC-SHA256(secret, `${timestamp}.${body}`)),
 *                X-Nudge-Timestamp = the same timestamp (epoch milliseconds).
 * Every comparison is constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type FormParams = Record<string, string | readonly string[] | undefined>;

/** Equal-length constant-time comparison; different lengths are simply unequal. */
function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Twilio's algorithm: the full URL Twilio requested (scheme, host, path, query), then each
 * POST parameter sorted by name, name immediately followed by value; repeated names
 * contribute each of their values, sorted. HMAC-SHA1 keyed by the auth token, base64.
 */
export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  let data = url;
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (value === undefined) continue;
    const values = typeof value === 'string' ? [value] : [...value].sort();
    for (const v of values) data += key + v;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/**
 * The same URL with the default port made explicit, or removed: Twilio has signed both
 * forms over the years (its own helper libraries accept either), so we do too.
 */
function portVariants(url: string): string[] {
  const match = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url);
  if (!match) return [url];
  const [, scheme, authority, rest] = match;
  const defaultPort = scheme.toLowerCase() === 'https' ? '443' : '80';
  const portMatch = /:(\d+)$/.exec(authority);
  if (portMatch) {
    return portMatch[1] === defaultPort ? [url, `${scheme}://${authority.slice(0, portMatch.index)}${rest}`] : [url];
  }
  return [url, `${scheme}://${authority}:${defaultPort}${rest}`];
}

export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: FormParams,
  header: string | readonly string[] | undefined,
): boolean {
  if (typeof header !== 'string' || header === '') return false;
  return portVariants(url).some((candidate) => safeEqual(twilioSignature(authToken, candidate, params), header));
}

/** Computes Meta's header value for a raw body (useful for tests and fakes). */
export function metaSignature(appSecret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** Checks `X-Hub-Signature-256: sha256=<hex>` against the exact bytes received. */
export function verifyMetaSignature(
  appSecret: string,
  rawBody: string | Buffer,
  header: string | readonly string[] | undefined,
): boolean {
  if (typeof header !== 'string') return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const expected = metaSignature(appSecret, rawBody).slice('sha256='.length);
  return safeEqual(expected, match[1].toLowerCase());
}

export const WEBHOOK_SIGNATURE_HEADER = 'X-Nudge-Signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'X-Nudge-Timestamp';

export interface SignedWebhook {
  /** Epoch milliseconds, as sent in X-Nudge-Timestamp. */
  timestamp: number;
  /** "sha256=<hex>", as sent in X-Nudge-Signature. */
  signature: string;
  headers: Record<string, string>;
}

/**
 * Signs an outgoing webhook body. The timestamp is part of the signed string so a receiver
 * can reject replays older than its tolerance (see verifyWebhookBody).
 */
export function signWebhookBody(secret: string, body: string, timestamp: number): SignedWebhook {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new Error(`signWebhookBody: timestamp must be epoch milliseconds, got ${timestamp}`);
  }
  const signature = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return {
    timestamp,
    signature,
    headers: { [WEBHOOK_SIGNATURE_HEADER]: signature, [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp) },
  };
}

/** Receiver side of signWebhookBody; rejects timestamps further than `toleranceMs` from now. */
export function verifyWebhookBody(
  secret: string,
  body: string,
  signatureHeader: string | undefined,
  timestampHeader: string | undefined,
  now: number,
  toleranceMs = 5 * 60_000,
): boolean {
  if (!signatureHeader || !timestampHeader || !/^\d{1,16}$/.test(timestampHeader)) return false;
  const timestamp = Number(timestampHeader);
  if (Math.abs(now - timestamp) > toleranceMs) return false;
  return safeEqual(signWebhookBody(secret, body, timestamp).signature, signatureHeader);
}
