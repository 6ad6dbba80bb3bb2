/**
 * What a pending follow-up will become when it falls due: when it really goes out (SMS
 * quiet hours in the contact's zone, working hours), on which channel and why (the same
 * `chooseChannel` decision the send path makes), whether it would be skipped (bot inactive,
 * per-contact cap), and what it would say (custom text filled; AI text is written at send
 * time). Shared by the forecast and the Response Info panel so both tell the same story.
 * Presence is only known for "now": a later due time assumes the widget closed (follow-ups
 * exist because the contact left) and names the alternative when the choice depends on it.
 */
import type { Scenario } from '../../machines/contact.ts';
import { chooseChannel, type ChannelChoice } from '../channels/switching.ts';
import { CHANNEL_LABELS, isChannel, type Channel } from '../channels/types.ts';
import { durationToMs, fillPlaceholders, type MessageSpec, type WorkflowAction } from '../config/botConfig.ts';
import type { LoadedBot } from '../runtime/runtime.ts';
import { lastInboundByChannel, liveChatFollowUpUnanswered } from '../delivery/planSend.ts';
import type { ContactRow, FollowUpRow, Store } from '../store/store.ts';
import { combineDeferrals, contactZone, type ZoneSource } from '../time/quietHours.ts';
import { nextAllowedInstant } from '../time/workingHours.ts';

const DAY_MS = 86_400_000;
/** Within this of now, the widget's current presence decides the channel. */
const PRESENCE_HORIZON_MS = 60_000;

export interface PresenceLike {
  isConnected(contactId: string): boolean;
}

export { inZone, type ZonedTime } from '../time/zonedLabel.ts';

export const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** What is known about a contact that the channel and cap decisions need. */
export interface ContactFacts {
  zone: { zone: string; source: ZoneSource };
  lastInboundAt: Partial<Record<Channel, number>>;
  lastLiveChatFollowUpUnanswered: boolean;
  /** Send times of follow-ups since the contact last wrote (the machine's cap input). */
  unansweredSends: number[];
  humanActive: boolean;
}

export function contactFacts(
  store: Store,
  bot: LoadedBot,
  contact: ContactRow,
  snapshot: { context: { unansweredSends: number[]; humanActive: boolean } },
): ContactFacts {
  const lastInboundAt = lastInboundByChannel(store, contact.id);
  const unanswered = liveChatFollowUpUnanswered(store, contact.id, lastInboundAt.livechat);
  return {
    zone: contactZone({ contactTimezone: contact.timezone, phone: contact.phone, botTimezone: bot.config.timezone }),
    lastInboundAt,
    lastLiveChatFollowUpUnanswered: unanswered,
    unansweredSends: [...snapshot.context.unansweredSends],
    humanActive: snapshot.context.humanActive,
  };
}

export interface ChannelPrediction {
  channel: string;
  reason: string;
  switched: boolean;
  code: string;
  /** open / closed: current presence was used; unknown: the choice depends on it; irrelevant: it does not. */
  presence: 'open' | 'closed' | 'unknown' | 'irrelevant';
  /** The other outcome when presence at send time decides it. */
  alternative: { channel: string; reason: string } | null;
}

export function predictChannel(
  bot: LoadedBot,
  contact: ContactRow,
  facts: ContactFacts,
  at: number,
  now: number,
  presence: PresenceLike | null,
): ChannelPrediction {
  const lastChannel = contact.last_channel;
  if (!isChannel(lastChannel)) {
    return {
      channel: lastChannel,
      reason: `stays on ${lastChannel}`,
      switched: false,
      code: 'current_channel',
      presence: 'irrelevant',
      alternative: null,
    };
  }
  const choose = (widgetConnected: boolean): ChannelChoice =>
    chooseChannel({
      switchingEnabled: bot.config.channelSwitching,
      lastChannel,
      phone: contact.phone,
      widgetConnected,
      lastLiveChatFollowUpUnanswered: facts.lastLiveChatFollowUpUnanswered,
      lastInboundAt: facts.lastInboundAt,
      now: Math.max(at, now),
      smsOptedOut: false, // STOP moves the contact to `stopped`: it then has no follow-ups at all
    });
  const closed = choose(false);
  const open = choose(true);
  const pack = (
    c: ChannelChoice,
    p: ChannelPrediction['presence'],
    alternative: ChannelChoice | null,
  ): ChannelPrediction => ({
    channel: c.channel,
    reason: c.reason,
    switched: c.switched,
    code: c.code,
    presence: p,
    alternative: alternative ? { channel: alternative.channel, reason: alternative.reason } : null,
  });
  if (closed.channel === open.channel && closed.reason === open.reason) return pack(closed, 'irrelevant', null);
  if (presence && at <= now + PRESENCE_HORIZON_MS) {
    return presence.isConnected(contact.id) ? pack(open, 'open', null) : pack(closed, 'closed', null);
  }
  if (closed.channel === open.channel && open.switched) {
    // Switched even with the widget open: that case's reason is the one that holds either way.
    return pack(open, 'irrelevant', null);
  }
  if (closed.channel === open.channel) {
    // Presence would change only the wording, not the channel: say why it cannot switch.
    const why =
      closed.code === 'stay_no_phone'
        ? 'no phone number is known for a switch to SMS'
        : closed.code === 'stay_sms_opted_out'
          ? 'the contact opted out of SMS'
          : closed.reason;
    return pack(
      { ...closed, reason: `stays on ${CHANNEL_LABELS[lastChannel]} whether or not the widget is open: ${why}` },
      'irrelevant',
      null,
    );
  }
  return pack({ ...closed, reason: `if the widget is closed at send time: ${closed.reason}` }, 'unknown', {
    ...open,
    reason: `if the widget is open at send time: ${open.reason}`,
  });
}

export interface SendPrediction {
  dueAt: number;
  /** When it would really go out (after SMS quiet hours / working hours). */
  sendAt: number;
  deferredBy: string[];
  channel: ChannelPrediction;
  outcome: 'send' | 'skip';
  skipReason: string | null;
  message: { mode: 'ai' | 'custom'; preview: string | null };
  workflow: WorkflowAction[];
}

export function stepSettings(
  bot: LoadedBot,
  scenario: Scenario,
  step: number,
): { message: MessageSpec; workflow: WorkflowAction[]; delayMs: number | null } {
  const config = bot.config.scenarios[scenario];
  const s = config.cadence[step - 1];
  return {
    message: s?.message ?? config.message,
    workflow: s?.workflow ?? config.workflow,
    delayMs: s ? durationToMs(s.delay) : null,
  };
}

export function placeholderValues(bot: LoadedBot, contact: ContactRow) {
  const parts = (contact.name ?? '').trim().split(/\s+/).filter(Boolean);
  return {
    first_name: parts[0] ?? '',
    last_name: parts.slice(1).join(' '),
    full_name: parts.join(' '),
    business_name: bot.config.name,
    booking_url: bot.config.bookingUrl ?? '',
  };
}

/** The decision for one due follow-up (`sentBefore`: send times of earlier predicted sends, for the cap). */
export function predictSend(
  bot: LoadedBot,
  contact: ContactRow,
  facts: ContactFacts,
  item: { scenario: Scenario; step: number; dueAt: number },
  now: number,
  presence: PresenceLike | null,
  sentBefore: number[],
): SendPrediction {
  const settings = stepSettings(bot, item.scenario, item.step);
  let channel = predictChannel(bot, contact, facts, item.dueAt, now, presence);
  let sendAt: number = Math.max(item.dueAt, now);
  let deferredBy: string[] = [];
  if (channel.channel === 'sms') {
    // As the send planner does: the contact's quiet hours together with working hours;
    // with no common slot within 14 days the follow-up stays on the current channel.
    const combined = combineDeferrals(sendAt, [
      { kind: 'quiet_hours' as const, zone: facts.zone.zone, quiet: bot.config.smsQuietHours },
      { kind: 'working_hours' as const, zone: bot.config.timezone, hours: bot.config.workingHours },
    ]);
    if (combined.at === null) {
      channel = {
        ...channel,
        channel: contact.last_channel,
        switched: false,
        alternative: null,
        reason: `${channel.reason}; no SMS slot outside quiet hours within working hours, stays on ${contact.last_channel}`,
      };
    } else {
      sendAt = combined.at;
      deferredBy = combined.reasons;
    }
  }
  let skipReason: string | null = null;
  if (!bot.config.active) skipReason = 'bot_inactive';
  else if (facts.humanActive) skipReason = 'human_active';
  else if (!bot.config.scenarios[item.scenario].enabled) skipReason = 'scenario_disabled';
  else {
    const at = sendAt;
    const recent = [...facts.unansweredSends, ...sentBefore].filter((t) => t > at - DAY_MS && t <= at);
    if (recent.length >= bot.config.followUpCapPer24h) skipReason = 'cap_reached';
  }
  const preview =
    settings.message.mode === 'custom'
      ? fillPlaceholders(settings.message.text, placeholderValues(bot, contact))
      : null;
  return {
    dueAt: item.dueAt,
    sendAt,
    deferredBy,
    channel,
    outcome: skipReason ? 'skip' : 'send',
    skipReason,
    message: { mode: settings.message.mode, preview },
    workflow: settings.workflow,
  };
}

export interface ChainItem {
  scenario: Scenario;
  step: number;
  projected: boolean;
  followUp: FollowUpRow | null;
  prediction: SendPrediction;
}

/**
 * The pending follow-up and, assuming the contact does not reply, the later steps of its
 * cadence up to `until`: each step is armed from the previous send (working hours
 * applied), and a skip ends the cadence exactly as the machine does.
 */
export function predictChain(
  bot: LoadedBot,
  contact: ContactRow,
  initialFacts: ContactFacts,
  row: FollowUpRow,
  now: number,
  until: number,
  presence: PresenceLike | null,
): ChainItem[] {
  const scenario = row.scenario as Scenario;
  let facts = initialFacts;
  const out: ChainItem[] = [];
  const sent: number[] = [];
  let prediction = predictSend(
    bot,
    contact,
    facts,
    { scenario, step: row.step, dueAt: row.due_at },
    now,
    presence,
    sent,
  );
  out.push({ scenario, step: row.step, projected: false, followUp: row, prediction });
  let step = row.step;
  for (;;) {
    if (prediction.outcome !== 'send') break;
    sent.push(prediction.sendAt);
    // The follow-up just predicted is now "the previous one" for the switching rule.
    facts = {
      ...facts,
      lastLiveChatFollowUpUnanswered: facts.lastLiveChatFollowUpUnanswered || prediction.channel.channel === 'livechat',
    };
    const next = stepSettings(bot, scenario, step + 1);
    if (next.delayMs === null) break;
    const raw = prediction.sendAt + next.delayMs;
    const dueAt = nextAllowedInstant(raw, bot.config.timezone, bot.config.workingHours).at;
    if (dueAt > until) break;
    step += 1;
    prediction = predictSend(bot, contact, facts, { scenario, step, dueAt }, now, presence, sent);
    out.push({ scenario, step, projected: true, followUp: null, prediction });
  }
  return out;
}
