/**
 * The live-chat wire protocol (docs/protocol.md is the prose version): frame shapes, error
 * and close codes, and the pure validation of client frames. Nothing here touches sockets.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { unpairedSurrogateAt, unpairedSurrogateMessage } from '../text/wellFormed.ts';
import type { ChatMessage } from './backend.ts';

export const CHAT_PATH = '/ws/chat';

/** Every `error.code` the server sends. Keep docs/protocol.md in step. */
export const ERROR_CODES = [
  'invalid_json', // not JSON, not an object, or a binary frame
  'unknown_type', // `type` names no client frame
  'missing_field', // a required field is absent
  'bad_field', // a field has the wrong type or an invalid value
  'text_too_long', // message text over the limit
  'rate_limited', // over the per-connection or per-IP frame rate, or too many frames in flight
  'bad_bot_key', // unknown widget key (closes 4404)
  'bad_origin', // page origin not allowed for this bot (closes 4403)
  'bad_token', // visitor token invalid for this bot, or its contact is gone
  'not_ready', // message/contact/typing before a successful hello
  'duplicate_hello', // a second hello on a connection that already has its welcome
  'shutting_down', // the server is closing; retry after reconnecting
  'internal', // the server failed; the frame may be retried with the same clientId
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** WebSocket close codes the server uses. */
export const CLOSE = {
  // The server is restarting (shutdown, upgrade): RFC 6455's registered "Service Restart".
  // The widget reconnects after a random few seconds, its backoff reset (web/widget).
  serviceRestart: 1012,
  unsupportedData: 1003,
  invalidPayload: 1007, // not UTF-8 (sent by ws itself)
  policy: 1008, // hello timeout, repeated abuse
  tooBig: 1009, // frame over maxPayload (sent by ws itself)
  internal: 1011,
  // A refusal the page must show rather than retry. Browsers hide an HTTP 403 on the
  // handshake from scripts, so the widget sends its key in `hello` and reads these instead.
  originRefused: 4403, // the page's origin is not among the bot's allowed origins
  unknownKey: 4404, // no bot has this widget key
} as const;

// ---- client → server ------------------------------------------------------------------

export interface HelloFrame {
  type: 'hello';
  botKey?: string;
  visitorToken?: string;
  lastSeq?: number;
}
export interface MessageFrame {
  type: 'message';
  clientId: string;
  text: string;
}
export interface ContactFrame {
  type: 'contact';
  clientId?: string;
  name?: string;
  /** Normalised to E.164 by the parser. */
  phone?: string;
  email?: string;
}
export interface TypingFrame {
  type: 'typing';
  typing: boolean;
}
export type ClientFrame = HelloFrame | MessageFrame | ContactFrame | TypingFrame;

// ---- server → client ------------------------------------------------------------------

export interface WireMessage {
  type: 'message';
  id: string;
  seq: number;
  from: 'contact' | 'bot';
  text: string;
  at: string;
  followUp?: { scenario: string; step: number };
  /** The bot asks for the visitor's mobile number: the widget offers its "Text me" form. */
  ask?: 'phone';
}
export interface WelcomeFrame {
  type: 'welcome';
  visitorToken: string;
  contactId: string;
  conversationId: string;
  maxTextLength: number;
}
export interface MessageAckFrame {
  type: 'ack';
  for: 'message';
  clientId: string;
  id: string;
  seq: number;
  at: string;
  duplicate: boolean;
}
export interface ContactAckFrame {
  type: 'ack';
  for: 'contact';
  clientId?: string;
  contact: { name?: string; phone?: string; email?: string };
}
export interface ServerTypingFrame {
  type: 'typing';
  typing: boolean;
}
export interface ErrorFrame {
  type: 'error';
  code: ErrorCode;
  message: string;
  /** The `type` of the client frame that caused the error, when known. */
  ref?: string;
  /** Echoed from the offending frame so the client can tell which message failed. */
  clientId?: string;
}
export type ServerFrame =
  WelcomeFrame | WireMessage | MessageAckFrame | ContactAckFrame | ServerTypingFrame | ErrorFrame;

export function toWireMessage(m: ChatMessage): WireMessage {
  const wire: WireMessage = {
    type: 'message',
    id: m.id,
    seq: m.seq,
    from: m.from,
    text: m.text,
    at: new Date(m.at).toISOString(),
  };
  if (m.followUp) wire.followUp = { scenario: m.followUp.scenario, step: m.followUp.step };
  if (m.ask === 'phone') wire.ask = 'phone';
  return wire;
}

// ---- validation -----------------------------------------------------------------------

export type ParseResult =
  { ok: true; frame: ClientFrame } | { ok: false; code: ErrorCode; message: string; ref?: string; clientId?: string };

export interface ParseLimits {
  maxTextLength: number;
}

const MAX_CLIENT_ID = 128;
const MAX_KEY = 256;
const MAX_TOKEN = 512;
const MAX_NAME = 100;
const MAX_EMAIL = 254;
const MAX_PHONE_INPUT = 40;
const CLIENT_ID_RE = /^[\x21-\x7e]+$/; // printable ASCII, no spaces: safe in logs and keys
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

class FieldError extends Error {
  constructor(
    readonly code: 'missing_field' | 'bad_field' | 'text_too_long',
    message: string,
  ) {
    super(message);
  }
}

type Obj = Record<string, unknown>;

function optionalString(o: Obj, field: string, max: number): string | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new FieldError('bad_field', `${field} must be a string`);
  if (v.length === 0) throw new FieldError('bad_field', `${field} must not be empty`);
  if (v.length > max) throw new FieldError('bad_field', `${field} is longer than ${max} characters`);
  return v;
}

function requiredString(o: Obj, field: string, max: number): string {
  const v = optionalString(o, field, max);
  if (v === undefined) throw new FieldError('missing_field', `${field} is required`);
  return v;
}

function clientIdOf(o: Obj, required: boolean): string | undefined {
  const v = required ? requiredString(o, 'clientId', MAX_CLIENT_ID) : optionalString(o, 'clientId', MAX_CLIENT_ID);
  if (v !== undefined && !CLIENT_ID_RE.test(v)) {
    throw new FieldError('bad_field', 'clientId must be printable ASCII without spaces');
  }
  return v;
}

function parseHello(o: Obj): HelloFrame {
  const frame: HelloFrame = { type: 'hello' };
  const botKey = optionalString(o, 'botKey', MAX_KEY);
  if (botKey !== undefined) frame.botKey = botKey;
  const token = optionalString(o, 'visitorToken', MAX_TOKEN);
  if (token !== undefined) frame.visitorToken = token;
  if (o.lastSeq !== undefined) {
    const s = o.lastSeq;
    if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) {
      throw new FieldError('bad_field', 'lastSeq must be a non-negative integer');
    }
    frame.lastSeq = s;
  }
  return frame;
}

function parseMessage(o: Obj, limits: ParseLimits): MessageFrame {
  const clientId = clientIdOf(o, true) as string;
  const text = o.text;
  if (text === undefined) throw new FieldError('missing_field', 'text is required');
  if (typeof text !== 'string') throw new FieldError('bad_field', 'text must be a string');
  if (text.trim().length === 0) throw new FieldError('bad_field', 'text must not be blank');
  if (text.length > limits.maxTextLength) {
    throw new FieldError('text_too_long', `text is ${text.length} characters; the limit is ${limits.maxTextLength}`);
  }
  return { type: 'message', clientId, text };
}

/** Validates a phone number, returning it in E.164. `country` (ISO 3166 alpha-2) helps read national formats. */
export function normalizePhone(input: string, country?: string): string | null {
  const defaultCountry =
    country && isSupportedCountry(country.toUpperCase()) ? (country.toUpperCase() as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(input, defaultCountry ? { defaultCountry } : undefined);
  return parsed && parsed.isValid() ? parsed.number : null;
}

function parseContact(o: Obj): ContactFrame {
  const frame: ContactFrame = { type: 'contact' };
  const clientId = clientIdOf(o, false);
  if (clientId !== undefined) frame.clientId = clientId;

  const name = optionalString(o, 'name', MAX_NAME);
  if (name !== undefined) {
    const trimmed = name.trim();
    if (!trimmed || CONTROL_RE.test(trimmed)) throw new FieldError('bad_field', 'name must be visible text');
    frame.name = trimmed;
  }
  const country = optionalString(o, 'country', 2);
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) {
    throw new FieldError('bad_field', 'country must be a two-letter ISO 3166 code');
  }
  const phone = optionalString(o, 'phone', MAX_PHONE_INPUT);
  if (phone !== undefined) {
    const e164 = normalizePhone(phone, country);
    if (!e164) {
      throw new FieldError('bad_field', 'phone is not a valid number; use the international format, e.g. +14155552671');
    }
    frame.phone = e164;
  }
  const email = optionalString(o, 'email', MAX_EMAIL);
  if (email !== undefined) {
    const trimmed = email.trim();
    if (!EMAIL_RE.test(trimmed)) throw new FieldError('bad_field', 'email is not a valid address');
    frame.email = trimmed;
  }
  if (frame.name === undefined && frame.phone === undefined && frame.email === undefined) {
    throw new FieldError('missing_field', 'contact needs at least one of name, phone, email');
  }
  return frame;
}

function parseTyping(o: Obj): TypingFrame {
  if (o.typing === undefined) return { type: 'typing', typing: true };
  if (typeof o.typing !== 'boolean') throw new FieldError('bad_field', 'typing must be a boolean');
  return { type: 'typing', typing: o.typing };
}

/** Parses and validates one text frame. Unknown extra fields are ignored (forward compatibility). */
export function parseClientFrame(raw: string, limits: ParseLimits): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'invalid_json', message: 'frame is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'invalid_json', message: 'frame must be a JSON object' };
  }
  const o = value as Obj;
  if (o.type === undefined) return { ok: false, code: 'missing_field', message: 'type is required' };
  if (typeof o.type !== 'string') return { ok: false, code: 'bad_field', message: 'type must be a string' };
  const ref = o.type.slice(0, 32);
  const clientId = typeof o.clientId === 'string' && o.clientId.length <= MAX_CLIENT_ID ? o.clientId : undefined;
  // Text that has no UTF-8 form is refused before anything can store it (src/text/wellFormed.ts).
  const broken = unpairedSurrogateAt(value);
  if (broken) {
    const result: ParseResult = {
      ok: false,
      code: 'bad_field',
      message: unpairedSurrogateMessage(broken.replace(/^\$\.?/, '')),
      ref,
    };
    if (clientId !== undefined) result.clientId = clientId;
    return result;
  }
  try {
    switch (o.type) {
      case 'hello':
        return { ok: true, frame: parseHello(o) };
      case 'message':
        return { ok: true, frame: parseMessage(o, limits) };
      case 'contact':
        return { ok: true, frame: parseContact(o) };
      case 'typing':
        return { ok: true, frame: parseTyping(o) };
      default:
        return { ok: false, code: 'unknown_type', message: `unknown frame type "${ref}"`, ref };
    }
  } catch (err) {
    if (err instanceof FieldError) {
      const result: ParseResult = { ok: false, code: err.code, message: err.message, ref };
      if (clientId !== undefined) result.clientId = clientId;
      return result;
    }
    throw err;
  }
}
