/**
 * "What will be sent in the next N hours, to whom, when and on which channel" for one bot:
 * every pending follow-up due in the window, plus the later steps of its cadence that
 * would follow inside the window if the contact stays silent (marked `projected`), each
 * with its real send time (quiet hours, working hours), channel and reason, and whether
 * it would be skipped.
 */
import type { Scenario } from '../../machines/contact.ts';
import type { ReadServices } from '../readers/committedState.ts';
import { botFollowUpRecords } from '../store/botFollowUps.ts';
import type { ContactRow } from '../store/store.ts';
import {
  contactFacts,
  inZone,
  iso,
  predictChain,
  type ChainItem,
  type ContactFacts,
  type PresenceLike,
} from './predict.ts';

export const MAX_FORECAST_HOURS = 24 * 14;

export interface ForecastOptions {
  hours: number;
  limit: number;
  now: number;
  presence: PresenceLike | null;
}

export function chainItemView(item: ChainItem, contact: ContactRow, facts: ContactFacts, businessZone: string) {
  const p = item.prediction;
  return {
    kind: item.projected ? ('projected' as const) : ('scheduled' as const),
    followUpId: item.followUp?.id ?? null,
    scenario: item.scenario as Scenario,
    step: item.step,
    dueAt: iso(p.dueAt),
    dueInBusinessZone: inZone(p.dueAt, businessZone),
    dueInContactZone: { ...inZone(p.dueAt, facts.zone.zone), source: facts.zone.source },
    sendAt: iso(p.sendAt),
    sendInBusinessZone: inZone(p.sendAt, businessZone),
    sendInContactZone: { ...inZone(p.sendAt, facts.zone.zone), source: facts.zone.source },
    deferredBy: p.deferredBy,
    channel: p.channel.channel,
    channelReason: p.channel.reason,
    switched: p.channel.switched,
    presence: p.channel.presence,
    alternative: p.channel.alternative,
    outcome: p.outcome,
    skipReason: p.skipReason,
    messageMode: p.message.mode,
    messagePreview: p.message.preview,
    workflow: p.workflow,
    contactId: contact.id,
  };
}

export function buildForecast(services: ReadServices, botId: string, options: ForecastOptions) {
  const { store, runtime } = services;
  const bot = runtime.bot(botId);
  const from = options.now;
  const until = from + options.hours * 3_600_000;
  const rows = botFollowUpRecords(store.db).pendingDueBy(botId, until, options.limit + 1);
  const truncated = rows.length > options.limit;
  const scheduled = rows.slice(0, options.limit);

  const contacts = new Map<string, { contact: ContactRow; facts: ContactFacts }>();
  const items: (ReturnType<typeof chainItemView> & { contact: ReturnType<typeof contactBrief>; trigger: unknown })[] =
    [];
  for (const row of scheduled) {
    let entry = contacts.get(row.contact_id);
    if (!entry) {
      const contact = store.getContact(row.contact_id);
      if (!contact) continue;
      entry = { contact, facts: contactFacts(store, bot, contact, runtime.snapshotOf(contact.id)) };
      contacts.set(contact.id, entry);
    }
    const trigger = row.trigger_message_id ? store.getMessage(row.trigger_message_id) : undefined;
    for (const item of predictChain(bot, entry.contact, entry.facts, row, from, until, options.presence)) {
      items.push({
        ...chainItemView(item, entry.contact, entry.facts, bot.config.timezone),
        contact: contactBrief(entry.contact),
        trigger:
          !item.projected && trigger
            ? {
                messageId: trigger.id,
                from: trigger.sender,
                text: trigger.text,
                at: iso(trigger.at),
                classification: trigger.classification ? JSON.parse(trigger.classification) : null,
              }
            : null,
      });
    }
  }
  const key = (i: (typeof items)[number]) => Date.parse(i.sendAt ?? i.dueAt ?? '') || 0;
  items.sort((a, b) => key(a) - key(b) || a.contactId.localeCompare(b.contactId) || a.step - b.step);

  const sends = items.filter((i) => i.outcome === 'send');
  return {
    botId,
    from: iso(from),
    to: iso(until),
    hours: options.hours,
    businessZone: bot.config.timezone,
    botActive: bot.config.active,
    items,
    truncated,
    summary: {
      scheduled: items.filter((i) => i.kind === 'scheduled').length,
      projected: items.filter((i) => i.kind === 'projected').length,
      sends: sends.length,
      skips: items.length - sends.length,
      contacts: contacts.size,
      byChannel: tally(sends, (i) => i.channel),
      byScenario: tally(items, (i) => i.scenario),
      skipReasons: tally(
        items.filter((i) => i.skipReason),
        (i) => i.skipReason as string,
      ),
    },
  };
}

export function contactBrief(c: ContactRow) {
  return { id: c.id, name: c.name, phone: c.phone, email: c.email, state: c.state, lastChannel: c.last_channel };
}

function tally<T>(list: T[], pick: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of list) out[pick(item)] = (out[pick(item)] ?? 0) + 1;
  return out;
}
