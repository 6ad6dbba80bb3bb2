/**
 * The timeline a person reads: each logged event with a payload summary (including the
 * classification of contact messages), from → to, the effects described with their due
 * times and what became of them (armed / cancelled / sent / skipped, channel switches),
 * the replayed snapshot after it and any disagreement between replay and storage.
 * Built from a ContactHistory, so the database route, the import route and the CLI all
 * show exactly the same thing.
 */
import { TIMER_KIND, type ArmedTimer } from '../../machines/contact.ts';
import type { BotConfig } from '../config/botConfig.ts';
import type { FollowUpRow } from '../store/store.ts';
import { nextAllowedInstant } from '../time/workingHours.ts';
import type { ContactHistory, MessageRecord } from './reader.ts';
import {
  replayHistory,
  stateName,
  whatIf,
  type HypotheticalEvent,
  type ReplayResult,
  type WhatIfOptions,
} from './replay.ts';
import type {
  ArmedTimerView,
  ContactView,
  EffectView,
  FollowUpView,
  PayloadView,
  PendingTimerView,
  TimelineEntry,
  TimelineView,
  WhatIfView,
} from './types.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : iso(ms));

/** When an armed timer would really fire: working hours push follow-ups to the next opening. */
export function scheduledTime(
  timer: { kind: string; dueAt: number },
  config: BotConfig | null,
): { at: number; deferReason: string | null } {
  if (timer.kind !== TIMER_KIND.followUp || !config) return { at: timer.dueAt, deferReason: null };
  try {
    const slot = nextAllowedInstant(timer.dueAt, config.timezone, config.workingHours);
    return { at: slot.at, deferReason: slot.deferred ? (slot.reason ?? 'working_hours') : null };
  } catch {
    return { at: timer.dueAt, deferReason: null };
  }
}

const str = (v: unknown, fallback = '') =>
  typeof v === 'string' ? v : v === undefined || v === null ? fallback : String(v);
const num = (v: unknown, fallback = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** Effects (as the machine declared them) described for people, joined with their follow-up rows. */
export function describeEffects(
  effects: unknown,
  rows: Map<string, FollowUpRow>,
  config: BotConfig | null,
): EffectView[] {
  if (!Array.isArray(effects)) return [];
  return effects.map((raw): EffectView => {
    const effect = (raw ?? {}) as { type?: unknown; params?: Record<string, unknown> };
    const p = effect.params ?? {};
    switch (effect.type) {
      case 'armTimer': {
        const id = str(p.id);
        const row = rows.get(id);
        const planned = scheduledTime({ kind: str(p.kind), dueAt: num(p.dueAt) }, config);
        return {
          kind: 'armed',
          followUpId: id,
          timerKind: str(p.kind),
          scenario: str(p.scenario),
          step: num(p.step),
          dueAt: iso(num(p.dueAt)),
          scheduledAt: iso(row ? row.due_at : planned.at),
          deferReason: row ? row.defer_reason : planned.deferReason,
          status: row?.status ?? null,
          statusReason: row?.reason ?? null,
        };
      }
      case 'cancelTimers':
        return { kind: 'cancelled', followUpId: str(p.timerId), reason: str(p.reason) };
      case 'sendFollowUp': {
        const id = str(p.followUpId);
        const row = rows.get(id);
        return {
          kind: 'sent',
          followUpId: id,
          scenario: str(p.scenario),
          step: num(p.step),
          outcome: row?.status ?? null,
          outcomeReason: row?.reason ?? null,
          channel: row?.channel ?? null,
          channelReason: row?.channel_reason ?? null,
          sentAt: isoOrNull(row?.sent_at),
        };
      }
      case 'skipFollowUp':
        return { kind: 'skipped', followUpId: str(p.followUpId), reason: str(p.reason) };
      case 'runWorkflow':
        return { kind: 'workflow', followUpId: str(p.followUpId), scenario: str(p.scenario), step: num(p.step) };
      case 'flagReview': {
        const readings = Array.isArray(p.readings) ? (p.readings as Array<Record<string, unknown>>) : [];
        return {
          kind: 'review',
          messageId: str(p.messageId),
          readings: readings.map((r) => ({ intent: str(r.intent), confidence: num(r.confidence) })),
          refusalCue: p.refusalCue === true,
        };
      }
      case 'clearReview':
        return { kind: 'reviewClosed', messageId: str(p.messageId), reason: str(p.reason) };
      default:
        return { kind: 'other', type: str(effect.type, '?'), params: effect.params ?? null };
    }
  });
}

const quote = (text: string | null | undefined) => {
  if (text === null || text === undefined) return '(message not found)';
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > 80 ? `${flat.slice(0, 79)}…` : flat}"`;
};

/** The one-line summary and structured payload of a logged event. */
export function payloadOf(
  event: unknown,
  messages: Map<string, MessageRecord>,
  rows: Map<string, FollowUpRow>,
): PayloadView {
  if (!event || typeof event !== 'object') return { summary: 'unreadable event' };
  const e = event as Record<string, unknown>;
  const type = str(e.type, '?');
  const message = typeof e.messageId === 'string' ? messages.get(e.messageId) : undefined;
  const base = (summary: string): PayloadView => ({ summary });
  switch (type) {
    case 'CONTACT_MESSAGE': {
      const requestedAt = typeof e.requestedAt === 'number' ? iso(e.requestedAt) : null;
      const when = requestedAt
        ? ` @ ${requestedAt}${e.phrase ? ` ("${str(e.phrase)}"${e.zone ? `, ${str(e.zone)}` : ''})` : ''}`
        : '';
      return {
        summary: `contact: ${quote(message?.text)} → ${str(e.intent, '?')}${when}`,
        messageId: str(e.messageId),
        text: message?.text ?? null,
        sender: message?.sender ?? 'contact',
        channel: message?.channel ?? null,
        intent: str(e.intent),
        classification: message?.classification ?? null,
        requestedAt,
        phrase: typeof e.phrase === 'string' ? e.phrase : null,
        zone: typeof e.zone === 'string' ? e.zone : null,
      };
    }
    case 'BOT_MESSAGE':
    case 'OPERATOR_MESSAGE': {
      const who = type === 'BOT_MESSAGE' ? 'bot' : `operator${e.operatorId ? ` ${str(e.operatorId)}` : ''}`;
      return {
        summary: `${who}: ${quote(message?.text)}${e.bookingLink ? ' [booking link]' : ''}`,
        messageId: str(e.messageId),
        text: message?.text ?? null,
        sender: message?.sender ?? null,
        channel: message?.channel ?? null,
        ...(type === 'BOT_MESSAGE' ? { bookingLink: e.bookingLink === true } : {}),
        ...(e.operatorId ? { operatorId: str(e.operatorId) } : {}),
      };
    }
    case 'FOLLOWUP_DUE': {
      const id = str(e.followUpId);
      const row = rows.get(id);
      const what = row
        ? row.kind === TIMER_KIND.botSilence
          ? 'bot-silence timer'
          : `follow-up ${row.scenario} #${row.step}`
        : 'timer';
      return {
        summary: `${what} due (${id})`,
        followUpId: id,
        followUp: row ? { scenario: row.scenario, step: row.step, status: row.status, reason: row.reason } : null,
      };
    }
    case 'FOLLOWUP_CANCELLED':
    case 'FOLLOWUP_RETIMED': {
      const id = str(e.followUpId);
      const row = rows.get(id);
      const what = row ? `follow-up ${row.scenario} #${row.step}` : 'follow-up';
      const by = e.operatorId ? ` by ${str(e.operatorId)}` : '';
      const summary =
        type === 'FOLLOWUP_CANCELLED'
          ? `${what} cancelled${by} (${id})`
          : `${what} moved to ${typeof e.dueAt === 'number' ? iso(e.dueAt) : '?'}${by} (${id})`;
      return {
        summary,
        followUpId: id,
        ...(typeof e.dueAt === 'number' ? { dueAt: iso(e.dueAt) } : {}),
        ...(e.operatorId ? { operatorId: str(e.operatorId) } : {}),
        followUp: row ? { scenario: row.scenario, step: row.step, status: row.status, reason: row.reason } : null,
      };
    }
    case 'CONTACT_UPDATED': {
      const fields = (e.fields && typeof e.fields === 'object' ? e.fields : {}) as Record<string, string>;
      return { summary: `contact details updated: ${Object.keys(fields).join(', ') || '(no fields)'}`, fields };
    }
    default: {
      const extras = [
        e.source ? `source ${str(e.source)}` : null,
        e.operatorId ? `by ${str(e.operatorId)}` : null,
      ].filter(Boolean);
      return {
        ...base(`${type.toLowerCase().replace(/_/g, ' ')}${extras.length ? ` (${extras.join(', ')})` : ''}`),
        ...(e.source ? { source: str(e.source) } : {}),
        ...(e.operatorId ? { operatorId: str(e.operatorId) } : {}),
      };
    }
  }
}

function contactView(h: ContactHistory): ContactView {
  const c = h.contact;
  return { ...c, createdAt: iso(c.createdAt), updatedAt: iso(c.updatedAt) };
}

export function followUpView(f: FollowUpRow): FollowUpView {
  return {
    id: f.id,
    kind: f.kind,
    scenario: f.scenario,
    step: f.step,
    epoch: f.epoch,
    status: f.status,
    reason: f.reason,
    dueAt: iso(f.due_at),
    rawDueAt: iso(f.raw_due_at),
    deferReason: f.defer_reason,
    channel: f.channel,
    channelReason: f.channel_reason,
    sentAt: isoOrNull(f.sent_at),
    createdAt: iso(f.created_at),
    triggerMessageId: f.trigger_message_id,
  };
}

/** The full timeline of a contact, with the replay's verdict on every entry. */
export function buildTimeline(
  history: ContactHistory,
  source: TimelineView['source'],
  replay: ReplayResult = replayHistory(history),
): TimelineView {
  const rows = new Map(history.followUps.map((f) => [f.id, f]));
  const messages = new Map(history.messages.map((m) => [m.id, m]));
  const config = history.bot.config;

  const entries: TimelineEntry[] = replay.steps.map((step, i) => {
    const logged = history.log[i];
    const type =
      logged.event && typeof logged.event === 'object' ? str((logged.event as { type?: unknown }).type, '?') : '?';
    // The effects the runtime stored are what actually happened; a disagreement with the
    // replay is reported in `mismatch`.
    const effects = Array.isArray(logged.effects) ? logged.effects : step.effects;
    return {
      seq: logged.seq,
      at: iso(logged.at),
      atMs: logged.at,
      type,
      payload: payloadOf(logged.event, messages, rows),
      from: logged.from,
      to: logged.to,
      replayed: { from: step.from, to: step.to },
      effects: describeEffects(effects, rows, config),
      snapshot: step.snapshot,
      decision: step.decision,
      mismatch: step.mismatch,
    };
  });

  // The state that armed a pending timer is the one its armTimer effect was logged in.
  const armedIn = new Map<string, string>();
  for (const entry of history.log) {
    if (!Array.isArray(entry.effects)) continue;
    for (const e of entry.effects as Array<{ type?: string; params?: { id?: string } }>) {
      if (e?.type === 'armTimer' && e.params?.id) armedIn.set(e.params.id, entry.to);
    }
  }
  const finalTimer = (replay.final.replayed.context.timer ?? null) as ArmedTimer | null;
  const pendingTimers: PendingTimerView[] = history.followUps
    .filter((f) => f.status === 'pending')
    .sort((a, b) => a.due_at - b.due_at || a.id.localeCompare(b.id))
    .map((f) => ({
      id: f.id,
      kind: f.kind,
      scenario: f.scenario,
      step: f.step,
      epoch: f.epoch,
      dueAt: iso(f.due_at),
      rawDueAt: iso(f.raw_due_at),
      deferReason: f.defer_reason,
      channel: f.channel,
      ownerState: armedIn.get(f.id) ?? (finalTimer?.id === f.id ? stateName(replay.final.replayed.value) : null),
      triggerMessageId: f.trigger_message_id,
    }));

  const mismatchCount = entries.filter((e) => e.mismatch).length + (replay.final.mismatch ? 1 : 0);
  return {
    source,
    contact: contactView(history),
    bot: { id: history.bot.id, name: history.bot.name, timezone: config?.timezone ?? null },
    initial: replay.initial,
    pruned: history.pruned
      ? {
          transitionsThrough: history.pruned.transitionsThrough,
          transitionsBefore: history.pruned.transitionsAt === null ? null : iso(history.pruned.transitionsAt),
          messagesBefore: history.pruned.messagesBefore === null ? null : iso(history.pruned.messagesBefore),
          followUpsBefore: history.pruned.followUpsBefore === null ? null : iso(history.pruned.followUpsBefore),
          prunedAt: iso(history.pruned.prunedAt),
        }
      : null,
    entries,
    final: replay.final,
    mismatchCount,
    pendingTimers,
    followUps: history.followUps.map(followUpView),
  };
}

/** A what-if, described like the timeline (effects with due times; armed timers after working hours). */
export function whatIfView(
  history: ContactHistory,
  afterSeq: number,
  hypothetical: HypotheticalEvent,
  options: Omit<WhatIfOptions, 'fireTimeOf'> = {},
): WhatIfView {
  const rows = new Map(history.followUps.map((f) => [f.id, f]));
  const config = history.bot.config;
  const result = whatIf(history, afterSeq, hypothetical, {
    ...options,
    // A due event defaults to when the runtime would really deliver it.
    fireTimeOf: (timer) => {
      const id = (timer as { id?: string }).id;
      const row = id ? rows.get(id) : undefined;
      return row && row.status === 'pending' ? row.due_at : scheduledTime(timer, config).at;
    },
  });
  // Hypothetical effects have no rows: describe them against nothing stored.
  const effects = describeEffects(result.effects, new Map(), config);
  const armed: ArmedTimerView[] = result.effects
    .filter((e): e is Extract<typeof e, { type: 'armTimer' }> => e.type === 'armTimer')
    .map((e) => {
      const planned = scheduledTime(e.params, config);
      return {
        id: e.params.id,
        kind: e.params.kind,
        scenario: e.params.scenario,
        step: e.params.step,
        epoch: e.params.epoch,
        dueAt: iso(e.params.dueAt),
        scheduledAt: iso(planned.at),
        deferReason: planned.deferReason,
      };
    });
  const { policy: _policy, ...eventWithoutPolicy } = result.event as unknown as Record<string, unknown>;
  return {
    afterSeq: result.afterSeq,
    event: {
      ...eventWithoutPolicy,
      at: iso(result.event.at),
      ...(typeof eventWithoutPolicy.requestedAt === 'number'
        ? { requestedAt: iso(eventWithoutPolicy.requestedAt) }
        : {}),
    },
    policySource: result.policySource,
    from: result.from,
    state: result.to,
    context: result.snapshot.context,
    effects,
    armed,
    decision: result.decision,
    dryRun: true,
  };
}
