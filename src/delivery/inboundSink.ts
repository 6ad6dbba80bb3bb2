/**
 * Inbound SMS and Meta messages reach the contact runtime here, like a chat message:
 * matched to the contact per bot (by phone for SMS/WhatsApp, by the channel's sender id
 * for Messenger/Instagram; a new sender becomes a new contact), de-duplicated by the
 * provider's message id (providers re-deliver webhooks), with the STOP/START/HELP flow.
 * Sender links live in src/store/contactChannels.ts, delivery reports in src/store/deliveryReports.ts.
 */
import { smsWebhookConfig, metaWebhookConfig, type ChannelsConfig } from '../channels/config.ts';
import { keywordReply } from '../channels/smsKeywords.ts';
import type { DeliveryStatusUpdate, InboundMessage, InboundSink } from '../channels/webhooks.ts';
import type { SmsKeyword } from '../channels/smsKeywords.ts';
import type { Clock } from '../clock.ts';
import type { ContactRuntime } from '../runtime/runtime.ts';
import { contactChannelRecords } from '../store/contactChannels.ts';
import { deliveryReportRecords } from '../store/deliveryReports.ts';
import { smsConsentStore } from '../store/smsConsent.ts';
import type { ContactRow, Store } from '../store/store.ts';
import { isConsentReply } from './smsConsent.ts';

export function createInboundSink(deps: {
  runtime: ContactRuntime;
  store: Store;
  channels: ChannelsConfig;
  clock: Clock;
  onOutbox: () => void;
}): InboundSink {
  const { runtime, store } = deps;
  const consent = smsConsentStore(store.db);
  const links = contactChannelRecords(store.db);
  const deliveryReports = deliveryReportRecords(store.db);
  /** A YES by SMS from the number asked is its owner's consent (src/delivery/smsConsent.ts). */
  const confirmConsent = (msg: InboundMessage, contact: ContactRow) => {
    if (msg.channel === 'sms' && msg.phone && msg.phone === contact.phone)
      consent.confirm(contact.id, msg.at, 'sms_yes');
  };
  const botExists = (botId: string) => !!store.getBot(botId);

  function contactFor(msg: InboundMessage): ContactRow {
    const linked = links.contactOf(msg.botId, msg.channel, msg.from);
    let contact = linked ? store.getContact(linked) : undefined;
    if (!contact && msg.phone) contact = store.getContactByPhone(msg.botId, msg.phone);
    if (!contact) {
      contact = runtime.createContact(msg.botId, {
        phone: msg.phone ?? null,
        name: msg.profileName ?? null,
        channel: msg.channel,
      });
    }
    links.link(msg.botId, msg.channel, msg.from, contact.id, msg.at);
    return contact;
  }

  function text(msg: InboundMessage): string {
    if (msg.text.trim()) return msg.text;
    return msg.numMedia ? `[${msg.numMedia} attachment${msg.numMedia > 1 ? 's' : ''}]` : '[empty message]';
  }

  return {
    smsConfig(botId) {
      return botExists(botId) ? smsWebhookConfig(deps.channels) : null;
    },
    metaConfig(botId) {
      return botExists(botId) ? metaWebhookConfig(deps.channels) : null;
    },
    async inbound(msg) {
      const contact = contactFor(msg);
      if (isConsentReply(msg.text)) confirmConsent(msg, contact);
      await runtime.inbound({
        contactId: contact.id,
        text: text(msg),
        channel: msg.channel,
        clientId: `${msg.channel}:${msg.providerMessageId}`,
      });
    },
    async keyword(msg: InboundMessage & { keyword: SmsKeyword }) {
      const contact = contactFor(msg);
      const result = await runtime.inbound({
        contactId: contact.id,
        text: text(msg),
        channel: msg.channel,
        clientId: `${msg.channel}:${msg.providerMessageId}`,
      });
      if (result.duplicate) return; // a re-delivered webhook: the confirmation already went out
      if (msg.keyword === 'stop' && runtime.snapshotOf(contact.id).value !== 'stopped') {
        await runtime.signal(contact.id, 'OPERATOR_STOP', { source: 'sms_keyword' });
      }
      if (msg.keyword === 'start') confirmConsent(msg, contact);
      if (msg.keyword === 'start' && runtime.snapshotOf(contact.id).value === 'stopped') {
        await runtime.signal(contact.id, 'OPT_IN', { source: 'sms_keyword' });
      }
      const bot = runtime.bot(msg.botId);
      const at = deps.clock.now();
      const inserted = store.insertOutbox({
        idempotency_key: `keyword:${msg.channel}:${msg.providerMessageId}`,
        bot_id: msg.botId,
        contact_id: contact.id,
        channel: msg.channel,
        recipient: msg.phone ?? msg.from,
        body: keywordReply(msg.keyword, { businessName: bot.config.name }),
        meta: JSON.stringify({ keyword: msg.keyword }),
        next_attempt_at: at,
        created_at: at,
        updated_at: at,
      });
      if (inserted) deps.onOutbox();
    },
    deliveryStatus(update: DeliveryStatusUpdate) {
      deliveryReports.record(
        update.botId,
        update.providerId,
        { status: update.status, errorCode: update.errorCode ?? null, at: update.at },
        deps.clock.now(),
      );
    },
  };
}
