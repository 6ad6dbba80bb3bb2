/**
 * Outbox adapters for the two channels that live inside Nudge itself.
 *
 * - livechat: the message row was committed with the follow-up and fanned out to every
 *   open widget right after the commit; a widget that was closed gets it by replay on its
 *   next `hello`. Delivery is therefore complete once the row exists — the adapter checks
 *   that it does, so a row pointing at nothing fails loudly instead of passing silently.
 * - console: a workflow `notifyUser` without a webhook URL is a notification for the
 *   operator console, which lists these rows; delivering means marking them delivered.
 */
import type { ChannelAdapter, OutboundMessage } from '../channels/types.ts';
import { PermanentDeliveryError } from '../channels/types.ts';
import type { Store } from '../store/store.ts';

export class LiveChatAdapter implements ChannelAdapter {
  readonly channel = 'livechat' as const;
  constructor(private readonly store: Store) {}
  async send(msg: OutboundMessage): Promise<{ providerId?: string }> {
    const messageId = typeof msg.meta.messageId === 'string' ? msg.meta.messageId : null;
    if (!messageId || !this.store.getMessage(messageId)) {
      throw new PermanentDeliveryError(
        `live-chat outbox row ${msg.idempotencyKey} has no conversation message`,
        'no_message',
      );
    }
    return { providerId: messageId };
  }
}

export class ConsoleNotificationAdapter implements ChannelAdapter {
  readonly channel = 'console' as const;
  async send(msg: OutboundMessage): Promise<{ providerId?: string }> {
    return { providerId: `console:${msg.idempotencyKey}` };
  }
}
