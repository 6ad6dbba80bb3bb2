/**
 * Signed visitor tokens: the widget keeps one in localStorage so a returning visitor resumes
 * its own conversation, and only its own. A token binds a contact to a bot with
 * HMAC-SHA256 under a server secret; it carries the contact id in clear (it is not secret,
 * only unforgeable) and is verified in constant time.
 *
 * Format: `v1.<base64url(contactId)>.<base64url(hmac)>`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const VERSION = 'v1';
const MAX_TOKEN_LENGTH = 512;
export const MIN_SECRET_BYTES = 32;

function mac(secret: Buffer, botId: string, contactId: string): Buffer {
  // Length-prefixing the bot id keeps (botId, contactId) pairs unambiguous whatever they contain.
  return createHmac('sha256', secret)
    .update(`nudge-visitor/${VERSION}\n${botId.length}:${botId}\n${contactId}`)
    .digest();
}

export function signVisitorToken(secret: Buffer, botId: string, contactId: string): string {
  assertSecret(secret);
  const id = Buffer.from(contactId, 'utf8').toString('base64url');
  return `${VERSION}.${id}.${mac(secret, botId, contactId).toString('base64url')}`;
}

/** Returns the contact id the token was issued for, or null when it is not valid for `botId`. */
export function verifyVisitorToken(secret: Buffer, botId: string, token: string): string | null {
  assertSecret(secret);
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return null;
  const [, idPart, macPart] = parts as [string, string, string];
  const contactId = Buffer.from(idPart, 'base64url').toString('utf8');
  // Refuse non-canonical encodings so one contact has exactly one valid token per bot.
  if (contactId.length === 0 || Buffer.from(contactId, 'utf8').toString('base64url') !== idPart) return null;
  const given = Buffer.from(macPart, 'base64url');
  const expected = mac(secret, botId, contactId);
  if (given.length !== expected.length || given.toString('base64url') !== macPart) return null;
  return timingSafeEqual(given, expected) ? contactId : null;
}

function assertSecret(secret: Buffer): void {
  if (!Buffer.isBuffer(secret) || secret.length < MIN_SECRET_BYTES) {
    throw new Error(`visitor token secret must be a Buffer of at least ${MIN_SECRET_BYTES} bytes`);
  }
}

/**
 * Reads the server secret from `file` (hex), creating it with fresh random bytes the first
 * time. Persisting it keeps visitor tokens valid across restarts.
 */
export function loadOrCreateVisitorSecret(file: string): Buffer {
  try {
    return parseSecret(readFileSync(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(MIN_SECRET_BYTES);
  try {
    writeFileSync(file, secret.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    // Another process created it between our read and write: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return parseSecret(readFileSync(file, 'utf8'), file);
    throw err;
  }
}

function parseSecret(text: string, file: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-f]+$/i.test(hex) || hex.length % 2 !== 0 || hex.length / 2 < MIN_SECRET_BYTES) {
    throw new Error(`${file}: expected at least ${MIN_SECRET_BYTES} bytes of hex`);
  }
  return Buffer.from(hex, 'hex');
}
