/**
 * The live-chat gateway's view of Nudge (ChatBackend) implemented over the contact
 * runtime and the store. Operator messages appear to the visitor as the business ("bot").
 */
import type { BotWidgetInfo, ChatBackend, ChatMessage, ContactFields } from '../gateway/backend.ts';
import type { ContactRuntime } from '../runtime/runtime.ts';
import type { MessageRow, Store } from '../store/store.ts';
import { askSmsConsent } from '../delivery/smsConsent.ts';
import { smsConsentStore } from '../store/smsConsent.ts';
import { recordRefusedOrigin } from './refusedOrigins.ts';

export function toChatMessage(row: MessageRow): ChatMessage {
  const meta = row.meta
    ? (JSON.parse(row.meta) as { followUp?: { scenario: string; step: number }; ask?: unknown })
    : null;
  return {
    id: row.id,
    seq: row.seq,
    from: row.sender === 'contact' ? 'contact' : 'bot',
    text: row.text,
    at: row.at,
    ...(meta?.followUp ? { followUp: meta.followUp } : {}),
    ...(meta?.ask === 'phone' ? { ask: 'phone' as const } : {}),
  };
}

export function createChatBackend(
  runtime: ContactRuntime,
  store: Store,
  /** Tells the outbox dispatcher a consent question was queued (src/delivery/smsConsent.ts). */
  options: { onOutbox?: () => void } = {},
): ChatBackend & { emitTyping(contactId: string, typing: boolean): void } {
  const consent = smsConsentStore(store.db);
  /** A number typed here is asked once before any SMS goes to it, when the bot says so. */
  const askConsent = (contactId: string, phone: string) => {
    const contact = store.getContact(contactId);
    if (!contact || contact.phone !== phone) return;
    const bot = runtime.bot(contact.bot_id);
    if (bot.config.smsConsent === false) return;
    const asked = askSmsConsent(store, consent, {
      botId: contact.bot_id,
      businessName: bot.config.name,
      contactId,
      phone,
      at: Date.now(),
    });
    if (asked) options.onOutbox?.();
  };
  const typingListeners = new Set<(contactId: string, typing: boolean) => void>();
  return {
    findBotByWidgetKey(key: string): BotWidgetInfo | null {
      const bot = store.getBotByWidgetKey(key);
      return bot ? { botId: bot.id, allowedOrigins: JSON.parse(bot.allowed_origins) as string[] } : null;
    },
    openVisitor(botId, contactId) {
      if (!store.getBot(botId)) return null;
      if (contactId) {
        const contact = store.getContact(contactId);
        if (!contact || contact.bot_id !== botId) return null;
        return { contactId, conversationId: contactId };
      }
      const contact = runtime.createContact(botId, { channel: 'livechat' });
      return { contactId: contact.id, conversationId: contact.id };
    },
    history(contactId, afterSeq) {
      return store.messagesAfter(contactId, afterSeq, 5000).map(toChatMessage);
    },
    async acceptInbound({ contactId, clientId, text }) {
      const result = await runtime.inbound({ contactId, text, clientId, channel: 'livechat' });
      if (!result.message) throw new Error('inbound produced no message');
      return { message: toChatMessage(result.message), duplicate: result.duplicate };
    },
    /**
     * A phone another contact of the bot already holds is left out, and the widget is told
     * nothing different: a visitor must not learn which numbers are customers (the unique
     * index answered such a claim with an error), nor take over that customer's thread.
     */
    async updateContact(contactId, fields: ContactFields) {
      const own = withoutClaimedPhone(store, contactId, fields);
      if (Object.keys(own).length === 0) return;
      try {
        await runtime.updateContact(contactId, own);
      } catch (error) {
        // Another visitor claimed the same new number in the same instant.
        if (!own.phone || !isUniqueViolation(error)) throw error;
        const { phone: _claimed, ...rest } = own;
        if (Object.keys(rest).length > 0) await runtime.updateContact(contactId, rest);
        return;
      }
      if (own.phone) askConsent(contactId, own.phone);
    },
    subscribe(listener) {
      const onMessage = (contactId: string, row: MessageRow) => listener(contactId, toChatMessage(row));
      runtime.events.on('message', onMessage);
      return () => runtime.events.off('message', onMessage);
    },
    noteRefusedOrigin(botId, origin) {
      // Real time, like the gateway's limits: this is about the network, not follow-ups.
      recordRefusedOrigin(store, botId, origin, Date.now());
    },
    subscribeTyping(listener) {
      typingListeners.add(listener);
      return () => typingListeners.delete(listener);
    },
    emitTyping(contactId, typing) {
      for (const listener of typingListeners) listener(contactId, typing);
    },
  };
}

/** The fields without a phone that belongs to another contact of the same bot. */
function withoutClaimedPhone(store: Store, contactId: string, fields: ContactFields): ContactFields {
  if (!fields.phone) return fields;
  const botId = store.getContact(contactId)?.bot_id;
  const holder = botId ? store.getContactByPhone(botId, fields.phone) : undefined;
  if (!holder || holder.id === contactId) return fields;
  const { phone: _claimed, ...rest } = fields;
  return rest;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
