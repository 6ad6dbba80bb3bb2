/**
 * Where a due follow-up goes, decided right before the send: channel switching (DESIGN §4)
 * with presence from the live-chat gateway and the last inbound message per channel, then
 * contact-local SMS quiet hours (together with working hours) for SMS sends.
 */
import { chooseChannel } from '../channels/switching.ts';
import { isChannel, type Channel } from '../channels/types.ts';
import type { PlanSendFn, SendPlan } from '../runtime/runtime.ts';
import { contactChannelRecords } from '../store/contactChannels.ts';
import { smsConsentPending, smsConsentStore } from '../store/smsConsent.ts';
import type { Store } from '../store/store.ts';
import { combineDeferrals, contactZone } from '../time/quietHours.ts';

export interface Presence {
  isConnected(contactId: string): boolean;
}

/** When the contact last wrote on each channel we know of. */
export function lastInboundByChannel(store: Store, contactId: string): Partial<Record<Channel, number>> {
  const out: Partial<Record<Channel, number>> = {};
  for (const [channel, at] of Object.entries(store.lastInboundByChannel(contactId)))
    if (isChannel(channel)) out[channel] = at;
  return out;
}

/**
 * The last follow-up sent on live chat got no reply from the contact (yet). One rule for
 * the send planner and the console's forecast (src/console/predict.ts).
 */
export function liveChatFollowUpUnanswered(store: Store, contactId: string, lastInbound: number | undefined): boolean {
  const sentAt = store.lastLiveChatFollowUpSentAt(contactId);
  return sentAt !== null && (lastInbound === undefined || lastInbound < sentAt);
}

export function createSendPlanner(store: Store, presence: Presence | null): PlanSendFn {
  const consent = smsConsentStore(store.db);
  const links = contactChannelRecords(store.db);
  return ({ bot, contact, now }): SendPlan => {
    const lastChannel = isChannel(contact.last_channel) ? contact.last_channel : 'livechat';
    const lastInboundAt = lastInboundByChannel(store, contact.id);
    const choice = chooseChannel({
      switchingEnabled: bot.config.channelSwitching,
      lastChannel,
      phone: contact.phone,
      widgetConnected: presence ? presence.isConnected(contact.id) : false,
      lastLiveChatFollowUpUnanswered: liveChatFollowUpUnanswered(store, contact.id, lastInboundAt.livechat),
      lastInboundAt,
      now,
      smsOptedOut: contact.state === 'stopped',
    });
    // A number typed into the widget is not switched to before its owner said YES
    // (src/delivery/smsConsent.ts); a contact who texts in is answered where it wrote.
    const switchingToSms = choice.channel === 'sms' && lastChannel !== 'sms';
    if (
      switchingToSms &&
      bot.config.smsConsent !== false &&
      smsConsentPending(consent.get(contact.id), contact.phone)
    ) {
      return {
        channel: lastChannel,
        recipient: lastChannel === 'livechat' ? null : links.externalIdOf(contact.id, lastChannel),
        reason: `${choice.reason}; SMS not yet confirmed by the number's owner (asked to reply YES), stayed on ${lastChannel}`,
      };
    }
    const recipient =
      choice.channel === 'sms' || choice.channel === 'whatsapp'
        ? contact.phone
        : links.externalIdOf(contact.id, choice.channel);
    const plan: SendPlan = { channel: choice.channel, recipient, reason: choice.reason };
    if (choice.channel === 'sms') {
      const zone = contactZone({
        contactTimezone: contact.timezone,
        phone: contact.phone,
        botTimezone: bot.config.timezone,
      });
      const slot = combineDeferrals(now, [
        { kind: 'quiet_hours', zone: zone.zone, quiet: bot.config.smsQuietHours },
        { kind: 'working_hours', zone: bot.config.timezone, hours: bot.config.workingHours },
      ]);
      if (slot.at === null) {
        // Quiet hours and working hours never overlap within two weeks: waiting would be
        // forever, so stay on the current channel and say why.
        return {
          ...plan,
          channel: lastChannel,
          recipient: null,
          reason: `${choice.reason}; no SMS slot outside quiet hours within working hours, stayed on ${lastChannel}`,
        };
      }
      if (slot.deferred && slot.at > now) {
        plan.deferUntil = { at: slot.at, reason: `quiet_hours (contact zone ${zone.zone}, from ${zone.source})` };
      }
    }
    return plan;
  };
}
