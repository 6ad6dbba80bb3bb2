/**
 * Outgoing webhooks (workflow `notifyUser` → signed POST to the operator's URL), as a
 * ChannelAdapter for outbox rows with channel "webhook": the row's recipient is the URL,
 * its body the JSON text to post. Signed per signWebhookBody (X-Nudge-Signature,
 * X-Nudge-Timestamp) plus an Idempotency-Key header so receivers can drop repeats.
 */
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { guardedFetch, OutboundRefusedError, outboundPolicy, type OutboundPolicy } from '../net/outboundGuard.ts';
import { discardBody, type FetchLike, parseRetryAfter, postWithTimeout } from './http.ts';
import { signWebhookBody } from './signatures.ts';
import { type ChannelAdapter, type OutboundMessage, PermanentDeliveryError, RetryableDeliveryError } from './types.ts';

export interface WebhookAdapterOptions {
  /** The signing secret of the bot that owns the row; null means the bot has none configured. */
  secretFor: (botId: string | undefined) => string | null;
  timeoutMs?: number;
  /** Defaults to a fetch that refuses private destinations (src/net/outboundGuard.ts). */
  fetch?: FetchLike;
  /** The allowed private hosts and networks (default: the process's, from NUDGE_OUTBOUND_ALLOW). */
  policy?: OutboundPolicy;
  clock?: Clock;
}

export class WebhookAdapter implements ChannelAdapter {
  readonly channel = 'webhook' as const;
  private readonly timeoutMs: number;
  private readonly fetch: FetchLike;
  private readonly clock: Clock;

  constructor(private readonly opts: WebhookAdapterOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    const send = opts.fetch ?? guardedFetch(() => opts.policy ?? outboundPolicy());
    this.fetch = (input, init) =>
      send(input, init).catch((error: unknown) => {
        if (error instanceof OutboundRefusedError) throw new PermanentDeliveryError(error.message, error.code);
        throw error;
      });
    this.clock = opts.clock ?? systemClock;
  }

  async send(msg: OutboundMessage): Promise<{ providerId?: string }> {
    let url: URL;
    try {
      url = new URL(msg.to ?? '');
    } catch {
      throw new PermanentDeliveryError(`webhook URL is missing or invalid: ${JSON.stringify(msg.to)}`, 'bad_url');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new PermanentDeliveryError(`webhook URL must be http(s): ${url.protocol}`, 'bad_url');
    }
    const secret = this.opts.secretFor(msg.botId);
    if (!secret) throw new PermanentDeliveryError('no webhook signing secret configured for this bot', 'no_secret');
    const signed = signWebhookBody(secret, msg.body, this.clock.now());
    const res = await postWithTimeout({
      fetch: this.fetch,
      url: url.toString(),
      headers: { 'content-type': 'application/json', 'idempotency-key': msg.idempotencyKey, ...signed.headers },
      body: msg.body,
      timeoutMs: this.timeoutMs,
      signal: msg.signal,
      provider: `webhook ${url.host}`,
      hideCause: true,
    });
    discardBody(res);
    if (res.ok) return {};
    const label = `webhook ${url.host} answered ${res.status}`;
    if (res.status === 429 || res.status === 408 || res.status >= 500) {
      throw new RetryableDeliveryError(
        label,
        parseRetryAfter(res.headers.get('retry-after'), this.clock.now()),
        String(res.status),
      );
    }
    throw new PermanentDeliveryError(label, String(res.status));
  }
}
