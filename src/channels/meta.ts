/**
 * Meta channels: Facebook Messenger, Instagram messaging and the WhatsApp Cloud API.
 *
 * - MetaGraphAdapter posts to a Graph-API-compatible `{baseUrl}/v19.0/{id}/messages`
 *   (WhatsApp: id = phone number id, Cloud API body; Messenger/Instagram: id = page id,
 *   Send API body), base URL configurable so tests use a fake on 127.0.0.1.
 * - parseMetaWebhook normalises the three webhook payload shapes into inbound text
 *   messages; every non-text event is skipped with a stated reason.
 * - verifyMetaHandshake answers the GET `hub.mode=subscribe` verification.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { type FetchLike, parseRetryAfter, postWithTimeout, readJson } from './http.ts';
import {
  type ChannelAdapter,
  type MetaChannel,
  type OutboundMessage,
  PermanentDeliveryError,
  RetryableDeliveryError,
  isMetaChannel,
} from './types.ts';

export const GRAPH_API_VERSION = 'v19.0';

export interface MetaGraphAdapterOptions {
  channel: MetaChannel;
  accessToken: string;
  /** e.g. https://graph.facebook.com */
  baseUrl: string;
  /** WhatsApp: the business phone number id that sends. */
  phoneNumberId?: string;
  /** Facebook / Instagram: the page (or Instagram account) id that sends; defaults to "me". */
  pageId?: string;
  timeoutMs?: number;
  fetch?: FetchLike;
  clock?: Clock;
}

/** Graph error codes that are throttling or transient: retry later. */
const GRAPH_RETRYABLE_CODES = new Set([1, 2, 4, 17, 32, 341, 613, 80007, 130429, 131000, 131048, 131056]);

interface GraphErrorBody {
  error?: { message?: string; code?: number; error_subcode?: number; is_transient?: boolean };
}

export class MetaGraphAdapter implements ChannelAdapter {
  readonly channel: MetaChannel;
  private readonly url: string;
  private readonly opts: MetaGraphAdapterOptions & { timeoutMs: number; fetch: FetchLike; clock: Clock };

  constructor(opts: MetaGraphAdapterOptions) {
    if (!isMetaChannel(opts.channel)) {
      throw new Error(`MetaGraphAdapter: channel must be facebook, instagram or whatsapp, got ${String(opts.channel)}`);
    }
    if (!opts.accessToken) throw new Error('MetaGraphAdapter: option "accessToken" is required');
    let base: URL;
    try {
      base = new URL(opts.baseUrl);
    } catch {
      throw new Error(`MetaGraphAdapter: baseUrl is not a valid URL: ${opts.baseUrl}`);
    }
    let senderId: string;
    if (opts.channel === 'whatsapp') {
      if (!opts.phoneNumberId) throw new Error('MetaGraphAdapter: WhatsApp needs "phoneNumberId"');
      senderId = opts.phoneNumberId;
    } else {
      senderId = opts.pageId || 'me';
    }
    this.channel = opts.channel;
    this.url = `${base.toString().replace(/\/+$/, '')}/${GRAPH_API_VERSION}/${encodeURIComponent(senderId)}/messages`;
    this.opts = {
      ...opts,
      timeoutMs: opts.timeoutMs ?? 10_000,
      fetch: opts.fetch ?? ((input, init) => fetch(input, init)),
      clock: opts.clock ?? systemClock,
    };
  }

  /** The JSON body for one message, in the shape the channel's API expects. */
  requestBody(msg: OutboundMessage): Record<string, unknown> {
    if (!msg.to) throw new PermanentDeliveryError(`${this.channel} needs a recipient id`, 'no_recipient');
    if (this.channel === 'whatsapp') {
      return {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: msg.to,
        type: 'text',
        text: { body: msg.body, preview_url: false },
      };
    }
    // Follow-ups are sent inside the 24-hour window (switching moves them to SMS outside
    // it), which is what messaging_type RESPONSE is for; meta.messagingType / meta.tag let
    // the runtime override it (e.g. HUMAN_AGENT for an operator's late reply).
    const body: Record<string, unknown> = {
      recipient: { id: msg.to },
      messaging_type: typeof msg.meta.messagingType === 'string' ? msg.meta.messagingType : 'RESPONSE',
      message: { text: msg.body },
    };
    if (typeof msg.meta.tag === 'string') body.tag = msg.meta.tag;
    return body;
  }

  async send(msg: OutboundMessage): Promise<{ providerId?: string }> {
    const payload = this.requestBody(msg);
    const res = await postWithTimeout({
      fetch: this.opts.fetch,
      url: this.url,
      headers: {
        authorization: `Bearer ${this.opts.accessToken}`,
        'content-type': 'application/json',
        accept: 'application/json',
        // Graph has no idempotency header; sent anyway so compatible gateways (and logs) can dedup.
        'idempotency-key': msg.idempotencyKey,
      },
      body: JSON.stringify(payload),
      timeoutMs: this.opts.timeoutMs,
      signal: msg.signal,
      provider: `Graph API (${this.channel})`,
    });
    const json = (await readJson(res)) as
      (GraphErrorBody & { message_id?: string; messages?: { id?: string }[] }) | null;
    if (res.ok) {
      const id = this.channel === 'whatsapp' ? json?.messages?.[0]?.id : json?.message_id;
      return { providerId: typeof id === 'string' ? id : undefined };
    }
    throw this.errorFor(res, json);
  }

  private errorFor(res: Response, json: GraphErrorBody | null): Error {
    const err = json?.error;
    const code = typeof err?.code === 'number' ? err.code : undefined;
    const sub = typeof err?.error_subcode === 'number' ? `/${err.error_subcode}` : '';
    const label = `Graph API (${this.channel}) ${res.status}${code !== undefined ? ` [${code}${sub}]` : ''}`;
    const text = err?.message ?? res.statusText;
    const codeText = code !== undefined ? String(code) : String(res.status);
    if (
      res.status === 429 ||
      res.status >= 500 ||
      res.status === 408 ||
      err?.is_transient === true ||
      (code !== undefined && GRAPH_RETRYABLE_CODES.has(code))
    ) {
      const after = parseRetryAfter(res.headers.get('retry-after'), this.opts.clock.now());
      return new RetryableDeliveryError(`${label}: ${text}`, after, codeText);
    }
    // 190 expired token, 10/200 permissions, 100 bad parameter, 551 user unavailable,
    // 131047 / 2018278 outside the 24-hour window...: repeating the same request cannot help.
    return new PermanentDeliveryError(`${label}: ${text}`, codeText);
  }
}

// ---------------------------------------------------------------------------------------
// Inbound webhooks

export interface MetaInboundMessage {
  channel: MetaChannel;
  /** Sender: page-scoped id (Messenger), Instagram-scoped id, or WhatsApp id (digits). */
  from: string;
  /** Recipient: page id, Instagram account id, or WhatsApp phone number id. */
  to: string;
  text: string;
  /** Epoch ms from the payload (Meta's own time of the message). */
  at: number;
  providerMessageId: string;
  /** WhatsApp only: the sender's number in E.164 (wa_id with "+"), for contact matching. */
  phone?: string;
  /** WhatsApp only: the profile name Meta reports for the sender. */
  profileName?: string;
}

export interface MetaIgnoredEvent {
  channel: MetaChannel;
  /** e.g. "echo", "attachment", "postback", "delivery", "read", "reaction", "image" */
  kind: string;
  reason: string;
}

export interface MetaStatusUpdate {
  channel: MetaChannel;
  providerId: string;
  /** sent | delivered | read | failed (WhatsApp); delivered | read (Messenger). */
  status: string;
  errorCode?: string;
  at: number;
}

export interface MetaWebhookEvents {
  messages: MetaInboundMessage[];
  statuses: MetaStatusUpdate[];
  ignored: MetaIgnoredEvent[];
}

/** The payload is not a Meta webhook we understand: answer 400. */
export class MetaPayloadError extends Error {
  override readonly name = 'MetaPayloadError';
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function requireArray(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new MetaPayloadError(`${where} must be an array`);
  return v;
}

/** Messenger and Instagram share the `entry[].messaging[]` shape. */
function parseMessaging(channel: 'facebook' | 'instagram', entry: Json, out: MetaWebhookEvents, index: number): void {
  if (entry.messaging === undefined) {
    // Other subscribed fields (feed, changes for comments/mentions...) are not messages.
    out.ignored.push({ channel, kind: 'non-messaging entry', reason: 'only messaging events are handled' });
    return;
  }
  const events = requireArray(entry.messaging, `entry[${index}].messaging`);
  events.forEach((raw, j) => {
    const where = `entry[${index}].messaging[${j}]`;
    if (!isObject(raw)) throw new MetaPayloadError(`${where} must be an object`);
    const sender = isObject(raw.sender) ? str(raw.sender.id) : undefined;
    const recipient = isObject(raw.recipient) ? str(raw.recipient.id) : undefined;
    const timestamp = typeof raw.timestamp === 'number' ? raw.timestamp : undefined;
    if (isObject(raw.message)) {
      const m = raw.message;
      if (m.is_echo === true) {
        out.ignored.push({ channel, kind: 'echo', reason: 'echo of a message the page sent' });
        return;
      }
      if (m.is_deleted === true) {
        out.ignored.push({ channel, kind: 'deleted', reason: 'the user deleted a message' });
        return;
      }
      if (m.is_unsupported === true) {
        out.ignored.push({ channel, kind: 'unsupported', reason: 'Meta reports an unsupported message type' });
        return;
      }
      const text = typeof m.text === 'string' ? m.text : undefined;
      if (text === undefined || text.trim() === '') {
        const kind = Array.isArray(m.attachments)
          ? 'attachment'
          : m.reply_to
            ? 'reply without text'
            : 'non-text message';
        out.ignored.push({ channel, kind, reason: 'only text messages are handled' });
        return;
      }
      const mid = str(m.mid);
      if (!sender || !recipient || timestamp === undefined || !mid) {
        throw new MetaPayloadError(`${where}: a text message needs sender.id, recipient.id, timestamp and message.mid`);
      }
      out.messages.push({ channel, from: sender, to: recipient, text, at: timestamp, providerMessageId: mid });
      return;
    }
    if (isObject(raw.delivery)) {
      const mids = Array.isArray(raw.delivery.mids)
        ? raw.delivery.mids.filter((x): x is string => typeof x === 'string')
        : [];
      const at = typeof raw.delivery.watermark === 'number' ? raw.delivery.watermark : (timestamp ?? 0);
      for (const mid of mids) out.statuses.push({ channel, providerId: mid, status: 'delivered', at });
      if (mids.length === 0)
        out.ignored.push({ channel, kind: 'delivery', reason: 'delivery watermark without message ids' });
      return;
    }
    const kind = ['read', 'postback', 'reaction', 'referral', 'optin', 'account_linking', 'message_edit'].find(
      (k) => raw[k] !== undefined,
    );
    out.ignored.push({ channel, kind: kind ?? 'unknown', reason: 'not a text message' });
  });
}

function parseWhatsApp(entry: Json, out: MetaWebhookEvents, index: number): void {
  const changes = requireArray(entry.changes, `entry[${index}].changes`);
  changes.forEach((change, j) => {
    const where = `entry[${index}].changes[${j}]`;
    if (!isObject(change)) throw new MetaPayloadError(`${where} must be an object`);
    if (change.field !== 'messages') {
      out.ignored.push({
        channel: 'whatsapp',
        kind: String(change.field ?? 'unknown field'),
        reason: 'only the messages field is handled',
      });
      return;
    }
    const value = change.value;
    if (!isObject(value)) throw new MetaPayloadError(`${where}.value must be an object`);
    const phoneNumberId = isObject(value.metadata) ? str(value.metadata.phone_number_id) : undefined;
    const names = new Map<string, string>();
    if (Array.isArray(value.contacts)) {
      for (const c of value.contacts) {
        if (isObject(c) && str(c.wa_id) && isObject(c.profile) && str(c.profile.name)) {
          names.set(c.wa_id as string, c.profile.name as string);
        }
      }
    }
    if (value.messages !== undefined) {
      requireArray(value.messages, `${where}.value.messages`).forEach((m, k) => {
        const at = `${where}.value.messages[${k}]`;
        if (!isObject(m)) throw new MetaPayloadError(`${at} must be an object`);
        if (m.type !== 'text') {
          out.ignored.push({
            channel: 'whatsapp',
            kind: String(m.type ?? 'unknown'),
            reason: 'only text messages are handled',
          });
          return;
        }
        const from = str(m.from);
        const id = str(m.id);
        const body = isObject(m.text) && typeof m.text.body === 'string' ? m.text.body : undefined;
        const seconds = typeof m.timestamp === 'string' && /^\d+$/.test(m.timestamp) ? Number(m.timestamp) : undefined;
        if (!from || !id || body === undefined || seconds === undefined || !phoneNumberId) {
          throw new MetaPayloadError(
            `${at}: a text message needs from, id, text.body, a numeric timestamp and metadata.phone_number_id`,
          );
        }
        const message: MetaInboundMessage = {
          channel: 'whatsapp',
          from,
          to: phoneNumberId,
          text: body,
          at: seconds * 1000,
          providerMessageId: id,
          phone: `+${from.replace(/^\+/, '')}`,
        };
        const profileName = names.get(from);
        if (profileName) message.profileName = profileName;
        out.messages.push(message);
      });
    }
    if (value.statuses !== undefined) {
      requireArray(value.statuses, `${where}.value.statuses`).forEach((s) => {
        if (!isObject(s) || !str(s.id) || !str(s.status)) return;
        const errors = Array.isArray(s.errors) ? s.errors : [];
        const first = isObject(errors[0]) ? errors[0] : undefined;
        const update: MetaStatusUpdate = {
          channel: 'whatsapp',
          providerId: s.id as string,
          status: s.status as string,
          at: typeof s.timestamp === 'string' && /^\d+$/.test(s.timestamp) ? Number(s.timestamp) * 1000 : 0,
        };
        if (first && first.code !== undefined) update.errorCode = String(first.code);
        out.statuses.push(update);
      });
    }
    if (value.messages === undefined && value.statuses === undefined) {
      out.ignored.push({ channel: 'whatsapp', kind: 'empty change', reason: 'no messages or statuses in the change' });
    }
  });
}

/** Everything in one webhook delivery: text messages, delivery statuses and what was skipped. */
export function parseMetaWebhookEvents(body: unknown): MetaWebhookEvents {
  if (!isObject(body)) throw new MetaPayloadError('body must be a JSON object');
  const objectType = body.object;
  let channel: MetaChannel;
  if (objectType === 'page') channel = 'facebook';
  else if (objectType === 'instagram') channel = 'instagram';
  else if (objectType === 'whatsapp_business_account') channel = 'whatsapp';
  else
    throw new MetaPayloadError(
      `unsupported "object": ${JSON.stringify(objectType ?? null)} (expected page, instagram or whatsapp_business_account)`,
    );
  const out: MetaWebhookEvents = { messages: [], statuses: [], ignored: [] };
  requireArray(body.entry, 'entry').forEach((entry, i) => {
    if (!isObject(entry)) throw new MetaPayloadError(`entry[${i}] must be an object`);
    if (channel === 'whatsapp') parseWhatsApp(entry, out, i);
    else parseMessaging(channel, entry, out, i);
  });
  return out;
}

/** The inbound text messages of one webhook delivery (see parseMetaWebhookEvents for the rest). */
export function parseMetaWebhook(body: unknown): MetaInboundMessage[] {
  return parseMetaWebhookEvents(body).messages;
}

export type MetaHandshakeResult =
  | { ok: true; challenge: string }
  | { ok: false; status: 400 | 403; code: 'invalid_request' | 'bad_verify_token'; message: string };

/**
 * GET verification: Meta sends hub.mode=subscribe, hub.verify_token and hub.challenge and
 * expects the challenge echoed back (200, text) when the token matches.
 */
export function verifyMetaHandshake(query: Record<string, unknown>, verifyToken: string): MetaHandshakeResult {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (typeof mode !== 'string' || typeof token !== 'string' || typeof challenge !== 'string' || challenge === '') {
    return {
      ok: false,
      status: 400,
      code: 'invalid_request',
      message: 'expected query parameters hub.mode, hub.verify_token and hub.challenge',
    };
  }
  if (mode !== 'subscribe') {
    return { ok: false, status: 400, code: 'invalid_request', message: `unsupported hub.mode "${mode}"` };
  }
  if (!verifyToken || !constantTimeEqual(token, verifyToken)) {
    return { ok: false, status: 403, code: 'bad_verify_token', message: 'hub.verify_token does not match' };
  }
  return { ok: true, challenge };
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
