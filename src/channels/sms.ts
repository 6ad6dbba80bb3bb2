/**
 * SMS adapters.
 *
 * - LogSmsAdapter: the default. Nothing leaves the machine; each message is kept in a
 *   bounded in-memory ring buffer (for the console / tests) and printed as one log line,
 *   so `npm start` works without any provider account.
 * - TwilioSmsAdapter: Twilio's REST Messages API (or anything speaking it), with the
 *   base URL configurable so tests point it at a fake provider on 127.0.0.1.
 */
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { type FetchLike, parseRetryAfter, postWithTimeout, readJson } from './http.ts';
import { type ChannelAdapter, type OutboundMessage, PermanentDeliveryError, RetryableDeliveryError } from './types.ts';

export interface LoggedSms {
  providerId: string;
  idempotencyKey: string;
  to: string | null;
  body: string;
  botId?: string;
  at: number;
}

export interface LogSmsAdapterOptions {
  /** Receives one line per message (tests); without it, `logger` gets one structured line. */
  log?: (line: string) => void;
  /** The service's logger (src/log.ts): the body is censored unless the level is debug. */
  logger?: { info(obj: object, msg: string): void };
  /** How many messages to keep in memory (oldest dropped first). Default 200. */
  capacity?: number;
  clock?: Clock;
}

export class LogSmsAdapter implements ChannelAdapter {
  readonly channel = 'sms' as const;
  private readonly buffer: LoggedSms[] = [];
  private readonly log: (line: string) => void;
  private readonly logger: { info(obj: object, msg: string): void } | null;
  private readonly capacity: number;
  private readonly clock: Clock;
  private counter = 0;

  constructor(opts: LogSmsAdapterOptions = {}) {
    this.log = opts.log ?? (() => {});
    this.logger = opts.log ? null : (opts.logger ?? null);
    this.capacity = opts.capacity ?? 200;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) {
      throw new Error(`LogSmsAdapter: capacity must be a positive integer, got ${opts.capacity}`);
    }
    this.clock = opts.clock ?? systemClock;
  }

  async send(msg: OutboundMessage): Promise<{ providerId: string }> {
    if (!msg.to) throw new PermanentDeliveryError('SMS needs a recipient phone number', 'no_recipient');
    // Same idempotency key → same "delivery", like a real provider with dedup would answer.
    const seen = this.buffer.find((m) => m.idempotencyKey === msg.idempotencyKey);
    if (seen) return { providerId: seen.providerId };
    const entry: LoggedSms = {
      providerId: `log-${++this.counter}`,
      idempotencyKey: msg.idempotencyKey,
      to: msg.to,
      body: msg.body,
      botId: msg.botId,
      at: this.clock.now(),
    };
    this.buffer.push(entry);
    if (this.buffer.length > this.capacity) this.buffer.shift();
    this.log(`[sms:log] to=${msg.to} key=${msg.idempotencyKey} body=${JSON.stringify(msg.body)}`);
    this.logger?.info(
      { to: msg.to, key: msg.idempotencyKey, providerId: entry.providerId, body: msg.body },
      'sms written to the log (no provider configured)',
    );
    return { providerId: entry.providerId };
  }

  /** What would have been sent, oldest first (at most `capacity` entries). */
  sent(): readonly LoggedSms[] {
    return [...this.buffer];
  }
}

export interface TwilioSmsAdapterOptions {
  accountSid: string;
  authToken: string;
  /** Sender: an E.164 number, or a Messaging Service SID (MG...) sent as MessagingServiceSid. */
  from: string;
  /** e.g. https://api.twilio.com (no trailing path). */
  baseUrl: string;
  timeoutMs?: number;
  fetch?: FetchLike;
  /** When set, each message asks Twilio to post delivery updates to this URL (per bot). */
  statusCallbackUrl?: (botId: string | undefined) => string | null;
  clock?: Clock;
}

/** Twilio error codes for which a retry can never succeed. */
export const TWILIO_PERMANENT_CODES: Record<number, string> = {
  21211: 'invalid "To" phone number',
  21610: 'recipient unsubscribed (replied STOP)',
  21614: '"To" number is not a mobile number that can receive SMS',
  21408: 'sending to this region is not enabled on the account',
  21612: 'this sender cannot reach the "To" number',
  21617: 'message body is too long',
  20003: 'authentication failed (check account SID / auth token)',
};

/** Twilio error body: { code, message, more_info, status }. */
interface TwilioError {
  code?: number;
  message?: string;
}

export class TwilioSmsAdapter implements ChannelAdapter {
  readonly channel = 'sms' as const;
  private readonly opts: Required<Omit<TwilioSmsAdapterOptions, 'statusCallbackUrl'>> &
    Pick<TwilioSmsAdapterOptions, 'statusCallbackUrl'>;

  constructor(opts: TwilioSmsAdapterOptions) {
    for (const key of ['accountSid', 'authToken', 'from', 'baseUrl'] as const) {
      if (typeof opts[key] !== 'string' || opts[key].trim() === '') {
        throw new Error(`TwilioSmsAdapter: option "${key}" is required`);
      }
    }
    let base: URL;
    try {
      base = new URL(opts.baseUrl);
    } catch {
      throw new Error(`TwilioSmsAdapter: baseUrl is not a valid URL: ${opts.baseUrl}`);
    }
    this.opts = {
      ...opts,
      baseUrl: base.toString().replace(/\/+$/, ''),
      timeoutMs: opts.timeoutMs ?? 10_000,
      fetch: opts.fetch ?? ((input, init) => fetch(input, init)),
      clock: opts.clock ?? systemClock,
    };
  }

  async send(msg: OutboundMessage): Promise<{ providerId?: string }> {
    if (!msg.to) throw new PermanentDeliveryError('SMS needs a recipient phone number', 'no_recipient');
    const { accountSid, authToken, from, baseUrl } = this.opts;
    const form = new URLSearchParams();
    form.set('To', msg.to);
    if (/^MG[0-9a-f]{32}$/i.test(from)) form.set('MessagingServiceSid', from);
    else form.set('From', from);
    form.set('Body', msg.body);
    const callback = this.opts.statusCallbackUrl?.(msg.botId);
    if (callback) form.set('StatusCallback', callback);

    const res = await postWithTimeout({
      fetch: this.opts.fetch,
      url: `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`,
      headers: {
        authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'i-twilio-idempotency-token': msg.idempotencyKey,
      },
      body: form.toString(),
      timeoutMs: this.opts.timeoutMs,
      signal: msg.signal,
      provider: 'Twilio',
    });
    const json = (await readJson(res)) as (TwilioError & { sid?: string }) | null;
    if (res.ok) return { providerId: typeof json?.sid === 'string' ? json.sid : undefined };
    throw this.errorFor(res, json);
  }

  private errorFor(res: Response, json: TwilioError | null): Error {
    const code = typeof json?.code === 'number' ? json.code : undefined;
    const text = json?.message ?? res.statusText;
    const label = code !== undefined ? `Twilio ${res.status} [${code}]` : `Twilio ${res.status}`;
    if (res.status === 429) {
      const after = parseRetryAfter(res.headers.get('retry-after'), this.opts.clock.now());
      return new RetryableDeliveryError(`${label}: rate limited: ${text}`, after, String(code ?? 429));
    }
    if (res.status >= 500 || res.status === 408) {
      return new RetryableDeliveryError(`${label}: provider error: ${text}`, undefined, String(code ?? res.status));
    }
    // Any other 4xx is a problem with this request or the account: repeating it unchanged
    // cannot succeed, so the row fails now with the provider's explanation.
    const known = code !== undefined ? TWILIO_PERMANENT_CODES[code] : undefined;
    return new PermanentDeliveryError(`${label}: ${known ? `${known}: ` : ''}${text}`, String(code ?? res.status));
  }
}
