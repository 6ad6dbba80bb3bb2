/**
 * Webhook signatures, in and out; every comparison is constant-time.
 * In:  Twilio — X-Twilio-Signature = base64(HMAC(key, url + sorted params)): HMAC-SHA1 with
 *               the auth token, or the algorithm X-Twilio-Webhooks-Signature-Settings names
 *               (HMAC-SHA256 with a webhook signing key).
 *      Meta   — X-Hub-Signature-256 = "sha256=" + hex(HMAC-SHA256(appSecret, raw body)).
 * Out: Nudge  — X-Nudge-Signature = "sha256=" + hex(HMAC-SHA256(secret, `${timestamp}.${body}`)),
 *               X-Nudge-Timestamp = the same timestamp (epoch milliseconds).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type FormParams = Record<string, string | readonly string[] | undefined>;

/** Equal-length constant-time comparison; different lengths are simply unequal. */
function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The HMACs Twilio signs webhooks with. */
export type TwilioAlgorithm = 'HMAC_SHA1' | 'HMAC_SHA256';

const TWILIO_HASH: Record<TwilioAlgorithm, string> = { HMAC_SHA1: 'sha1', HMAC_SHA256: 'sha256' };

/**
 * Twilio's algorithm, as its own helper library computes it: the full URL Twilio requested
 * (scheme, host, path, query), then each POST parameter sorted by name, name immediately
 * followed by value; a repeated name contributes each of its distinct values once, sorted.
 * Keyed by the auth token (HMAC-SHA1) or a webhook signing key (HMAC-SHA256), base64.
 */
export function twilioSignature(
  key: string,
  url: string,
  params: FormParams,
  algorithm: TwilioAlgorithm = 'HMAC_SHA1',
): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (value === undefined) continue;
    const values = typeof value === 'string' ? [value] : [...new Set(value)].sort();
    for (const v of values) data += name + v;
  }
  return createHmac(TWILIO_HASH[algorithm], key).update(Buffer.from(data, 'utf8')).digest('base64');
}

/**
 * The algorithm `X-Twilio-Webhooks-Signature-Settings` names (`key=…,algorithm=HMAC_SHA256`);
 * absent or without `algorithm=`: HMAC-SHA1. Null for an algorithm Nudge does not know.
 */
export function twilioAlgorithm(settingsHeader: string | readonly string[] | undefined): TwilioAlgorithm | null {
  if (settingsHeader !== undefined && typeof settingsHeader !== 'string') return null;
  for (const part of (settingsHeader ?? '').split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== 'algorithm') continue;
    const named = part
      .slice(separator + 1)
      .trim()
      .toUpperCase();
    if (!named) break;
    return named === 'HMAC_SHA1' || named === 'HMAC_SHA256' ? named : null;
  }
  return 'HMAC_SHA1';
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

/**
 * The URLs Twilio may have signed for the one received: as received, and as the WHATWG URL
 * parser writes it (escaped characters), each with and without the default port — the
 * candidates Twilio's own library accepts.
 */
function signedUrlCandidates(url: string): string[] {
  const out = new Set(portVariants(url));
  try {
    for (const candidate of portVariants(new URL(url).toString())) out.add(candidate);
  } catch {
    // Not a URL the parser reads: only the form as received can match.
  }
  return [...out];
}

export interface TwilioKeys {
  /** The account's auth token: HMAC-SHA1 signatures. */
  authToken: string;
  /** A webhook signing key's secret, for HMAC-SHA256 signatures; without it the auth token is the key. */
  signingKey?: string | null;
}

export function verifyTwilioSignature(
  keys: string | TwilioKeys,
  url: string,
  params: FormParams,
  header: string | readonly string[] | undefined,
  settingsHeader?: string | readonly string[],
): boolean {
  if (typeof header !== 'string' || header === '') return false;
  const algorithm = twilioAlgorithm(settingsHeader);
  if (!algorithm) return false;
  const { authToken, signingKey } = typeof keys === 'string' ? { authToken: keys, signingKey: null } : keys;
  const key = algorithm === 'HMAC_SHA256' && signingKey ? signingKey : authToken;
  return signedUrlCandidates(url).some((candidate) =>
    safeEqual(twilioSignature(key, candidate, params, algorithm), header),
  );
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
