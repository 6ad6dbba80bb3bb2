/**
 * The Response Info panel's data for one contact, in one read: current state and context;
 * every pending follow-up with due time in the business and contact zones, scenario, step,
 * the channel it would go on and why (switching), message mode and preview, workflow, and
 * what triggered it (the message and its classification); the later steps projected for
 * the next 72 h; the history of sent / cancelled / skipped follow-ups with reasons and who
 * acted; the conversation; the transition log; appointments and notifications.
 */
import { SCENARIO_OF_STATE, TIMER_KIND, type Scenario } from '../../machines/contact.ts';
import { contactHead, followUpView, messageView, transitionView } from '../http/views.ts';
import type { ReadServices } from '../readers/committedState.ts';
import type { PrunedHistory } from '../store/pruned.ts';
import type { DB } from '../store/db.ts';
import { chainItemView } from './forecast.ts';
import { listNotifications } from './notifications.ts';
import { contactFacts, inZone, iso, predictChain, stepSettings, type PresenceLike } from './predict.ts';
import { formatDuration } from '../config/botConfig.ts';
import { calendarEventRecords } from '../store/calendarEvents.ts';
import { contactQueries } from '../store/contactQueries.ts';

const STATE_SCENARIO: Partial<Record<string, Scenario>> = SCENARIO_OF_STATE;

export const PROJECTION_HOURS = 72;
const CONVERSATION_LIMIT = 300;
const LOG_LIMIT = 200;

export function responseInfo(
  services: ReadServices,
  contactId: string,
  options: { now: number; presence: PresenceLike | null; operatorId: string; botIds: string[] | null },
) {
  const { store, runtime } = services;
  const contact = runtime.contact(contactId);
  const head = contactHead(services, contact);
  const bot = runtime.bot(contact.bot_id);
  const snapshot = runtime.snapshotOf(contactId);
  const facts = contactFacts(store, bot, contact, snapshot);
  const zones = { business: bot.config.timezone, contact: facts.zone.zone };
  const rows = store.followUpsOfContact(contactId);

  const pending = rows
    .filter((f) => f.kind === TIMER_KIND.followUp && f.status === 'pending')
    .sort((a, b) => a.due_at - b.due_at)
    .map((row) => {
      const scenario = row.scenario as Scenario;
      const settings = stepSettings(bot, scenario, row.step);
      const chain = predictChain(
        bot,
        contact,
        facts,
        row,
        options.now,
        options.now + PROJECTION_HOURS * 3_600_000,
        options.presence,
      );
      const [current, ...later] = chain.map((item) => chainItemView(item, contact, facts, zones.business));
      return {
        ...followUpView(row, store, zones),
        dueInContactZone: { ...inZone(row.due_at, zones.contact), source: facts.zone.source },
        operatorTimed: row.defer_reason === 'operator_rescheduled',
        stepsInCadence: bot.config.scenarios[scenario].cadence.length,
        delay: settings.delayMs === null ? null : formatDuration(settings.delayMs),
        prediction: current,
        projected: later,
      };
    });

  const botSilence = rows.find((f) => f.kind === TIMER_KIND.botSilence && f.status === 'pending');
  const history = rows
    .filter((f) => f.kind === TIMER_KIND.followUp && f.status !== 'pending')
    .sort((a, b) => b.updated_at - a.updated_at || b.id.localeCompare(a.id))
    .map((row) => followUpView(row, store, zones));

  const messages = store.recentMessages(contactId, CONVERSATION_LIMIT).map(messageView);
  const transitions = contactQueries(store.db).latestTransitions(contactId, LOG_LIMIT);
  const scenario = STATE_SCENARIO[head.state] ?? null;

  return {
    contact: head.contact,
    state: head.state,
    scenario,
    context: head.context,
    smsConsent: head.smsConsent,
    humanActive: snapshot.context.humanActive,
    bot: {
      id: bot.row.id,
      name: bot.config.name,
      active: bot.config.active,
      timezone: bot.config.timezone,
      channelSwitching: bot.config.channelSwitching,
      bookingUrl: bot.config.bookingUrl,
      scenarioEnabled: scenario ? bot.config.scenarios[scenario].enabled : null,
    },
    zones: { business: zones.business, contact: zones.contact, contactZoneSource: facts.zone.source },
    presence: options.presence ? (options.presence.isConnected(contactId) ? 'open' : 'closed') : 'unknown',
    now: iso(options.now),
    pendingFollowUps: pending,
    botSilenceTimer: botSilence
      ? {
          id: botSilence.id,
          dueAt: iso(botSilence.due_at),
          dueInBusinessZone: inZone(botSilence.due_at, zones.business),
          meaning: 'if the bot has not replied by then, the contact falls through to awaiting',
        }
      : null,
    history,
    conversation: { messages, truncated: contact.last_seq > messages.length },
    transitions: { entries: transitions.map(transitionView), total: head.transitions },
    appointments: appointmentsOf(store.db, contactId),
    notifications: listNotifications(store.db, options.operatorId, {
      botIds: options.botIds,
      botId: contact.bot_id,
      contactId,
      limit: 20,
    }).notifications,
    historyPruned: prunedView(store.prunedHistory(contactId)),
    links: { visualizer: `/viz#contact=${encodeURIComponent(contactId)}` },
  };
}

/** When retention deleted part of the history shown above (null: nothing was). */
function prunedView(pruned: PrunedHistory | null) {
  if (!pruned) return null;
  const at = (ms: number | null) => (ms === null ? null : iso(ms));
  return {
    messagesBefore: at(pruned.messagesBefore),
    followUpsBefore: at(pruned.followUpsBefore),
    transitionsThrough: pruned.transitionsThrough,
    transitionsBefore: at(pruned.transitionsAt),
    prunedAt: iso(pruned.prunedAt),
  };
}

/** The contact's appointments as the calendar webhook received them. */
function appointmentsOf(db: DB, contactId: string) {
  const rows = calendarEventRecords(db).ofContact(contactId);
  return rows.map((r) => {
    let title: string | null = null;
    try {
      title = (JSON.parse(r.payload) as { title?: string }).title ?? null;
    } catch {
      /* stored only after parsing succeeded */
    }
    return {
      eventId: r.event_id.startsWith('anon:') ? null : r.event_id,
      event: r.kind,
      startsAt: r.starts_at === null ? null : new Date(r.starts_at).toISOString(),
      title,
      receivedAt: new Date(r.received_at).toISOString(),
    };
  });
}
