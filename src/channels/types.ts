/**
 * Shared vocabulary of the channel layer: which channels exist, what an outbound adapter
 * looks like, and the two error classes an adapter uses to tell the outbox dispatcher
 * whether trying again can help.
 */

// `console`: operator notifications from workflows, listed by the console (no external send).
export const CHANNELS = ['livechat', 'sms', 'facebook', 'instagram', 'whatsapp', 'webhook', 'console'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The Meta-hosted channels, which share the 24-hour messaging window rule. */
export const META_CHANNELS = ['facebook', 'instagram', 'whatsapp'] as const;
export type MetaChannel = (typeof META_CHANNELS)[number];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

export function isMetaChannel(value: unknown): value is MetaChannel {
  return typeof value === 'string' && (META_CHANNELS as readonly string[]).includes(value);
}

/** Human names, used in reasons shown to operators. */
export const CHANNEL_LABELS: Record<Channel, string> = {
  livechat: 'live chat',
  sms: 'SMS',
  facebook: 'Facebook',
  instagram: 'Instagram',
  whatsapp: 'WhatsApp',
  webhook: 'webhook',
  console: 'console notification',
};

export interface OutboundMessage {
  /** Unique per logical message; the same key is sent on every retry so a repeat is harmless. */
  idempotencyKey: string;
  /** Phone (E.164), page/Instagram-scoped id, WhatsApp id, or URL; null for live chat. */
  to: string | null;
  body: string;
  /** The outbox row's `meta` JSON (followupId, messageId, scenario, step, ...). */
  meta: Record<string, unknown>;
  /** Set by the dispatcher: the bot the row belongs to (adapters may route by it). */
  botId?: string;
  /** Set by the dispatcher: the contact the row belongs to, if any. */
  contactId?: string | null;
  /** Aborted by the dispatcher when its send timeout elapses or it is stopping. */
  signal?: AbortSignal;
}

export interface ChannelAdapter {
  readonly channel: Channel;
  /**
   * Delivers one message. Resolves when the provider accepted it. Throws
   * `PermanentDeliveryError` when retrying cannot help (invalid number, unsubscribed,
   * bad credentials) and `RetryableDeliveryError` for rate limits / outages; any other
   * error is treated as retryable by the dispatcher.
   */
  send(msg: OutboundMessage): Promise<{ providerId?: string }>;
}

/** Retrying will not help: the dispatcher marks the row `failed` right away. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
  constructor(
    message: string,
    /** Provider error code when there is one (e.g. Twilio 21211, Graph 190). */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Worth another try later; `retryAfterMs` is the provider's floor (e.g. Retry-After). */
export class RetryableDeliveryError extends Error {
  override readonly name = 'RetryableDeliveryError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}
