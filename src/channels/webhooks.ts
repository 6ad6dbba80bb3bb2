/**
 * Inbound webhooks for SMS (Twilio-style form posts) and Meta (Facebook, Instagram,
 * WhatsApp JSON posts), as two encapsulated fastify plugins. They only verify, parse and
 * normalise; everything that touches contacts goes through the injected sink. Status codes:
 * unknown bot 404 → missing/wrong signature 403 (the sink is not called) → malformed 400.
 * SMS keyword replies (STOP/START/HELP confirmations) are not answered inline in TwiML: the
 * sink enqueues them in the outbox, so they get the idempotency key, retries, history and
 * log adapter of every other message; Twilio always gets an empty `<Response/>`.
 */
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { Errors, HttpError, sendError, toHttpError } from '../http/errors.ts';
import { MetaPayloadError, parseMetaWebhookEvents, verifyMetaHandshake } from './meta.ts';
import { verifyMetaSignature, verifyTwilioSignature } from './signatures.ts';
import { unpairedSurrogateAt, unpairedSurrogateMessage } from '../text/wellFormed.ts';
import { toE164 } from './phoneNumber.ts';
import { type SmsKeyword, smsKeyword } from './smsKeywords.ts';
import type { MetaChannel } from './types.ts';

export interface InboundMessage {
  botId: string;
  channel: 'sms' | MetaChannel;
  /** Sender: E.164 phone (SMS), PSID / IGSID (Messenger / Instagram), wa_id (WhatsApp). */
  from: string;
  /** Our side: the Twilio number, page id, Instagram account id or WhatsApp phone number id. */
  to: string;
  text: string;
  /** When the message was sent: the provider's time for Meta, arrival time for SMS (Twilio sends none). */
  at: number;
  /** When this service received it. */
  receivedAt: number;
  /** Twilio MessageSid / Meta message id: the sink should drop a repeat (providers re-deliver). */
  providerMessageId: string;
  /** E.164 phone of the sender when known (SMS: = from; WhatsApp: "+" + wa_id). */
  phone?: string;
  /** WhatsApp profile name. */
  profileName?: string;
  /** SMS: number of media attachments (MMS); the text may then be empty. */
  numMedia?: number;
}

export interface DeliveryStatusUpdate {
  botId: string;
  channel: 'sms' | MetaChannel;
  /** The provider id the adapter returned (outbox.provider_id). */
  providerId: string;
  /** Provider's status word, lower-case: queued, sent, delivered, undelivered, failed, read... */
  status: string;
  errorCode?: string;
  at: number;
}

export interface SmsWebhookConfig {
  /** The Twilio auth token the signatures are made with. */
  authToken: string;
  /** A Twilio webhook signing key's secret (HMAC-SHA256 signatures); null: the auth token signs those too. */
  signingKey?: string | null;
  /**
   * The public base URL Twilio calls (scheme + host [+ port] [+ path prefix]), e.g.
   * "https://nudge.example.com". The signed URL is this + the request path and query.
   */
  publicUrl: string;
}

export interface MetaWebhookConfig {
  appSecret: string;
  verifyToken: string;
}

type MaybePromise<T> = T | Promise<T>;

export interface SmsInboundSink {
  /** null → 404: no such bot, or SMS not configured for it. */
  smsConfig(botId: string): MaybePromise<SmsWebhookConfig | null>;
  /** A normal inbound SMS: match the contact by phone within the bot, and hand it to its actor. */
  inbound(msg: InboundMessage): Promise<void>;
  /** STOP / START / HELP: apply the opt-out/in and enqueue the confirmation in the outbox. */
  keyword(msg: InboundMessage & { keyword: SmsKeyword }): Promise<void>;
  /** Provider delivery report for an earlier send. */
  deliveryStatus(update: DeliveryStatusUpdate): MaybePromise<void>;
}

export interface MetaInboundSink {
  /** null → 404: no such bot, or Meta not configured for it. */
  metaConfig(botId: string): MaybePromise<MetaWebhookConfig | null>;
  inbound(msg: InboundMessage): Promise<void>;
  deliveryStatus(update: DeliveryStatusUpdate): MaybePromise<void>;
}

/** Everything the webhook plugins need from the runtime. */
export type InboundSink = SmsInboundSink & MetaInboundSink;

export interface SmsWebhookRoutesOptions {
  sink: SmsInboundSink;
  clock?: Clock;
  /** Max form body size in bytes. Default 64 KiB. */
  bodyLimit?: number;
}

export interface MetaWebhookRoutesOptions {
  sink: MetaInboundSink;
  clock?: Clock;
  /** Max JSON body size in bytes. Default 1 MiB (Meta batches events). */
  bodyLimit?: number;
}

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

const BOT_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Every error leaving these routes has the project's JSON shape, including fastify's own (415, 413, ...). */
function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    const status =
      err instanceof HttpError
        ? err.status
        : typeof err.statusCode === 'number' && err.statusCode >= 400
          ? err.statusCode
          : 500;
    if (status >= 500) {
      request.log.error({ err }, 'webhook handler failed');
      return sendError(reply, Errors.internal('the webhook could not be processed; try again'));
    }
    return sendError(reply, toHttpError(err, request.log));
  });
}

function botIdOf(request: FastifyRequest): string {
  const botId = (request.params as { botId?: unknown }).botId;
  if (typeof botId !== 'string' || !BOT_ID.test(botId)) throw Errors.notFound('no such bot');
  return botId;
}

function requireFormBody(request: FastifyRequest): Record<string, string | string[]> {
  const type = String(request.headers['content-type'] ?? '');
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw Errors.unsupportedMediaType('expected an application/x-www-form-urlencoded body');
  }
  const body = request.body;
  if (typeof body !== 'object' || body === null) {
    throw Errors.invalidRequest('expected a form-encoded body');
  }
  return body as Record<string, string | string[]>;
}

/** A single non-empty form field, or a 400 naming it. */
function field(
  body: Record<string, string | string[]>,
  name: string,
  opts: { allowEmpty?: boolean; max?: number } = {},
): string {
  const value = body[name];
  if (Array.isArray(value)) throw Errors.invalidRequest(`field ${name} must appear once`);
  if (typeof value !== 'string' || (!opts.allowEmpty && value.trim() === '')) {
    throw Errors.invalidRequest(`missing field ${name}`);
  }
  if (value.length > (opts.max ?? 256)) throw Errors.invalidRequest(`field ${name} is too long`);
  return value;
}

function optionalField(body: Record<string, string | string[]>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw Errors.invalidRequest(`field ${name} must appear once`);
  return value;
}

async function checkTwilioSignature(
  request: FastifyRequest,
  config: SmsWebhookConfig,
  body: Record<string, string | string[]>,
): Promise<void> {
  const url = `${config.publicUrl.replace(/\/+$/, '')}${request.url}`;
  const keys = { authToken: config.authToken, signingKey: config.signingKey ?? null };
  if (
    !verifyTwilioSignature(
      keys,
      url,
      body,
      request.headers['x-twilio-signature'],
      request.headers['x-twilio-webhooks-signature-settings'],
    )
  ) {
    request.log.warn({ url }, 'SMS webhook rejected: bad X-Twilio-Signature');
    throw Errors.badSignature('missing or invalid X-Twilio-Signature');
  }
}

/** POST /webhooks/sms/:botId (inbound) and POST /webhooks/sms/:botId/status (delivery reports). */
export async function smsWebhookRoutes(app: FastifyInstance, opts: SmsWebhookRoutesOptions): Promise<void> {
  const clock = opts.clock ?? systemClock;
  const sink = opts.sink;
  const bodyLimit = opts.bodyLimit ?? 64 * 1024;
  // Scoped to this plugin; replaces a form parser the parent may already have.
  if (app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.removeContentTypeParser('application/x-www-form-urlencoded');
  }
  await app.register(formbody, { bodyLimit });
  installErrorHandler(app);

  const configFor = async (request: FastifyRequest): Promise<{ botId: string; config: SmsWebhookConfig }> => {
    const botId = botIdOf(request);
    const config = await sink.smsConfig(botId);
    if (!config) throw Errors.notFound(`no SMS-enabled bot "${botId}"`);
    return { botId, config };
  };

  app.post('/webhooks/sms/:botId', { bodyLimit }, async (request, reply) => {
    const { botId, config } = await configFor(request);
    const body = requireFormBody(request);
    await checkTwilioSignature(request, config, body);
    const broken = unpairedSurrogateAt(body);
    if (broken) throw Errors.invalidRequest(unpairedSurrogateMessage(broken));

    const from = field(body, 'From', { max: 64 });
    const to = field(body, 'To', { max: 64 });
    const text = field(body, 'Body', { allowEmpty: true, max: 10_000 });
    const sid = optionalField(body, 'MessageSid') ?? optionalField(body, 'SmsMessageSid');
    if (!sid) throw Errors.invalidRequest('missing field MessageSid');
    const numMediaRaw = optionalField(body, 'NumMedia');
    if (numMediaRaw !== undefined && !/^\d{1,3}$/.test(numMediaRaw)) {
      throw Errors.invalidRequest('field NumMedia must be a number');
    }
    const numMedia = numMediaRaw === undefined ? 0 : Number(numMediaRaw);
    if (text.trim() === '' && numMedia === 0) throw Errors.invalidRequest('empty message (no Body, no media)');

    const now = clock.now();
    // One spelling per number: a sender without the `+` is the same customer.
    const phone = toE164(from);
    const msg: InboundMessage = {
      botId,
      channel: 'sms',
      from: phone ?? from,
      to,
      text,
      at: now,
      receivedAt: now,
      providerMessageId: sid,
      ...(phone ? { phone } : {}),
      numMedia,
    };
    const keyword = smsKeyword(text);
    if (keyword) await sink.keyword({ ...msg, keyword });
    else await sink.inbound(msg);
    return reply.code(200).type('text/xml; charset=utf-8').send(EMPTY_TWIML);
  });

  app.post('/webhooks/sms/:botId/status', { bodyLimit }, async (request, reply) => {
    const { botId, config } = await configFor(request);
    const body = requireFormBody(request);
    await checkTwilioSignature(request, config, body);

    const providerId = field(body, 'MessageSid', { max: 64 });
    const status = field(body, 'MessageStatus', { max: 32 }).toLowerCase();
    if (!/^[a-z_]+$/.test(status)) throw Errors.invalidRequest('field MessageStatus is not a status word');
    const errorCode = optionalField(body, 'ErrorCode');
    const update: DeliveryStatusUpdate = { botId, channel: 'sms', providerId, status, at: clock.now() };
    if (errorCode) update.errorCode = errorCode;
    await sink.deliveryStatus(update);
    return reply.code(204).send();
  });
}

/** GET (verification handshake) and POST (events) /webhooks/meta/:botId. */
export async function metaWebhookRoutes(app: FastifyInstance, opts: MetaWebhookRoutesOptions): Promise<void> {
  const clock = opts.clock ?? systemClock;
  const sink = opts.sink;
  const bodyLimit = opts.bodyLimit ?? 1024 * 1024;
  // The signature covers the exact bytes Meta sent, so this plugin keeps JSON bodies raw
  // and parses them itself after verifying. Scoped: the parent's JSON parser is untouched.
  if (app.hasContentTypeParser('application/json')) app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (_req, body, done) =>
    done(null, body),
  );
  installErrorHandler(app);

  const configFor = async (request: FastifyRequest): Promise<{ botId: string; config: MetaWebhookConfig }> => {
    const botId = botIdOf(request);
    const config = await sink.metaConfig(botId);
    if (!config) throw Errors.notFound(`no Meta-enabled bot "${botId}"`);
    return { botId, config };
  };

  app.get('/webhooks/meta/:botId', async (request, reply) => {
    const { config } = await configFor(request);
    const result = verifyMetaHandshake(request.query as Record<string, unknown>, config.verifyToken);
    if (!result.ok) throw new HttpError(result.code, result.message);
    return reply.code(200).type('text/plain; charset=utf-8').send(result.challenge);
  });

  app.post('/webhooks/meta/:botId', { bodyLimit }, async (request, reply) => {
    const { botId, config } = await configFor(request);
    const raw = request.body;
    if (!Buffer.isBuffer(raw)) throw Errors.unsupportedMediaType('expected an application/json body');
    if (!verifyMetaSignature(config.appSecret, raw, request.headers['x-hub-signature-256'])) {
      request.log.warn({ botId }, 'Meta webhook rejected: bad X-Hub-Signature-256');
      throw Errors.badSignature('missing or invalid X-Hub-Signature-256');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw Errors.invalidJson('body is not valid JSON');
    }
    const broken = unpairedSurrogateAt(json);
    if (broken) throw Errors.invalidJson(unpairedSurrogateMessage(broken));
    let events;
    try {
      events = parseMetaWebhookEvents(json);
    } catch (err) {
      if (err instanceof MetaPayloadError) throw Errors.invalidRequest(err.message);
      throw err;
    }
    const receivedAt = clock.now();
    // In payload order: a contact's messages reach its mailbox in the order they were sent.
    for (const m of events.messages) {
      const msg: InboundMessage = { botId, receivedAt, ...m };
      await sink.inbound(msg);
    }
    for (const s of events.statuses) {
      const update: DeliveryStatusUpdate = {
        botId,
        channel: s.channel,
        providerId: s.providerId,
        status: s.status,
        at: s.at || receivedAt,
      };
      if (s.errorCode) update.errorCode = s.errorCode;
      await sink.deliveryStatus(update);
    }
    if (events.ignored.length > 0) {
      request.log.debug({ ignored: events.ignored }, 'Meta webhook: non-text events ignored');
    }
    return reply
      .code(200)
      .send({ received: events.messages.length, statuses: events.statuses.length, ignored: events.ignored.length });
  });
}
