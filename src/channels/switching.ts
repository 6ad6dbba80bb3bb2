/**
 * Channel switching (DESIGN §4) as one pure decision, so the runtime, the forecast and the
 * Response Info panel agree on it and every rule is testable without I/O. With switching on:
 *  - last channel live chat, contact inactive there (no open widget, or no reply to the
 *    previous live-chat follow-up) → SMS when a phone is known;
 *  - last channel Facebook / Instagram / WhatsApp, last inbound there over 24 h old (or
 *    none) → SMS when a phone is known;
 *  - otherwise stay on the current channel. The reason is shown to operators as is.
 */
import { CHANNEL_LABELS, type Channel, isMetaChannel } from './types.ts';
import { phoneFacts } from '../time/phoneZone.ts';

/** Meta's customer-service window: free-form messages only within 24 h of the user's last message. */
export const META_WINDOW_MS = 24 * 60 * 60_000;

export interface ChannelChoiceInput {
  switchingEnabled: boolean;
  lastChannel: Channel;
  /** E.164 phone number, or null when unknown. */
  phone: string | null;
  /** Is a widget connection for this contact open right now? */
  widgetConnected: boolean;
  /** Did the previous follow-up go out by live chat and get no reply? */
  lastLiveChatFollowUpUnanswered: boolean;
  /** Epoch ms of the contact's last inbound message per channel. */
  lastInboundAt: Partial<Record<Channel, number>>;
  now: number;
  /** The contact replied STOP on SMS and has not opted back in. */
  smsOptedOut: boolean;
}

export type ChannelChoiceCode =
  | 'switching_off'
  | 'widget_open'
  | 'switched_widget_closed'
  | 'switched_livechat_unanswered'
  | 'meta_window_open'
  | 'switched_meta_window_closed'
  | 'stay_no_phone'
  | 'stay_sms_opted_out'
  | 'current_channel';

export interface ChannelChoice {
  channel: Channel;
  /** Operator-readable, e.g. "widget closed; switched to SMS (+1…4567)". */
  reason: string;
  switched: boolean;
  /** Machine-readable reason, for metrics and filters. */
  code: ChannelChoiceCode;
}

/** True while a free-form message may still be sent on a Meta channel. Exactly 24 h counts as open. */
export function metaWindowOpen(lastInboundAt: number | undefined | null, now: number): boolean {
  if (lastInboundAt == null || !Number.isFinite(lastInboundAt)) return false;
  return now - lastInboundAt <= META_WINDOW_MS;
}

/** "+1…4567": enough to recognise the number in the panel without spelling it out in logs. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d]/g, '');
  if (digits.length <= 6) return phone;
  const calling = phoneFacts(phone)?.callingCode;
  return `${calling ? `+${calling}` : ''}…${digits.slice(-4)}`;
}

/** "3 h 20 min", "2 days 1 h": ages shown in reasons. */
export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest ? `${hours} h ${rest} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  const h = hours % 24;
  return h ? `${days} days ${h} h` : `${days} days`;
}

export function chooseChannel(input: ChannelChoiceInput): ChannelChoice {
  const current = input.lastChannel;
  const label = CHANNEL_LABELS[current];
  const stay = (code: ChannelChoiceCode, reason: string): ChannelChoice => ({
    channel: current,
    reason,
    switched: false,
    code,
  });

  if (!input.switchingEnabled) return stay('switching_off', `channel switching is off; staying on ${label}`);

  // Why the current channel is no longer a good bet, or null when it still is.
  let why: string;
  let switchCode: ChannelChoiceCode;
  if (current === 'livechat') {
    if (!input.widgetConnected) {
      why = 'widget closed';
      switchCode = 'switched_widget_closed';
    } else if (input.lastLiveChatFollowUpUnanswered) {
      why = 'no reply to the last live-chat follow-up';
      switchCode = 'switched_livechat_unanswered';
    } else {
      return stay('widget_open', 'widget open; staying on live chat');
    }
  } else if (isMetaChannel(current)) {
    const last = input.lastInboundAt[current];
    if (metaWindowOpen(last, input.now)) {
      return stay(
        'meta_window_open',
        `last ${label} message ${formatAge(input.now - (last as number))} ago, inside the 24-hour window; staying on ${label}`,
      );
    }
    why =
      last == null
        ? `no inbound ${label} message on record (24-hour window closed)`
        : `last ${label} message ${formatAge(input.now - last)} ago (24-hour window closed)`;
    switchCode = 'switched_meta_window_closed';
  } else {
    return stay('current_channel', `${label} is the contact's current channel`);
  }

  const phone = input.phone?.trim() || null;
  if (!phone) return stay('stay_no_phone', `${why} but no phone number is known; staying on ${label}`);
  if (input.smsOptedOut) {
    return stay('stay_sms_opted_out', `${why} but the contact opted out of SMS (STOP); staying on ${label}`);
  }
  return { channel: 'sms', reason: `${why}; switched to SMS (${maskPhone(phone)})`, switched: true, code: switchCode };
}
