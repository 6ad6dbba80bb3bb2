/**
 * Time travel: a contact's logged events replayed through the PURE contact machine
 * (`initialTransition` / `transition`), from the start. For every log entry we get the
 * snapshot and the effects right after it, which transitions the machine tried and took,
 * and whether the replay agrees with what the runtime stored at the time. `whatIf` applies
 * one hypothetical event after any entry, computed the same way — nothing here touches a
 * database or a clock.
 */
import { getNextTransitions, initialTransition, transition, type AnyTransitionDefinition } from 'xstate';
import {
  CONTACT_EVENTS,
  contactMachine,
  type ContactEffect,
  type ContactEvent,
  type ContactEventType,
  type Intent,
  type Policy,
} from '../../machines/contact.ts';
import { edgeId, stateIdOf } from './graph.ts';
import type { ContactHistory, LogRecord } from './reader.ts';
import type { DecisionView, MismatchView, SnapshotView } from './types.ts';
import type { ErrorCode } from '../http/errors.ts';

type Snapshot = ReturnType<typeof initialTransition<typeof contactMachine>>[0];

export const EFFECT_TYPES: ReadonlySet<string> = new Set([
  'armTimer',
  'cancelTimers',
  'sendFollowUp',
  'skipFollowUp',
  'runWorkflow',
  'flagReview',
  'clearReview',
]);

export const EVENT_TYPES: readonly ContactEventType[] = CONTACT_EVENTS;

/** A problem with what the caller asked (maps to HTTP 400). */
/** A bad visualizer input: the API answers it 400 with this code (and `details`, when given). */
export class VizInputError extends Error {
  constructor(
    readonly code: Extract<ErrorCode, 'invalid_request' | 'invalid_json' | 'invalid_export'>,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface ReplayStep {
  seq: number;
  at: number;
  /** The event as logged (null when the log row could not be read). */
  event: ContactEvent | null;
  from: string;
  to: string;
  snapshot: SnapshotView;
  effects: ContactEffect[];
  decision: DecisionView;
  mismatch: MismatchView[] | null;
}

export interface ReplayResult {
  initial: SnapshotView;
  steps: ReplayStep[];
  final: { replayed: SnapshotView; stored: SnapshotView | null; mismatch: MismatchView[] | null };
  /** Machine snapshots: [0] = start, [i] = right after the i-th log entry. */
  snapshots: Snapshot[];
}

// ------------------------------------------------------------------ helpers

/** JSON with sorted keys: equal for deep-equal JSON values whatever their key order. */
export function canonical(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(JSON.parse(JSON.stringify(value ?? null))));
}

export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  // Nested states: `{ parent: 'child' }` → `parent.child` (the contact machine is flat today).
  if (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value as Record<string, unknown>)[0] ?? [];
    return key === undefined ? '' : `${key}.${stateName(inner)}`;
  }
  return String(value);
}

function view(snapshot: Snapshot): SnapshotView {
  return { value: snapshot.value, context: JSON.parse(JSON.stringify(snapshot.context)) as Record<string, unknown> };
}

function effectsOf(actions: Array<{ type: string; params?: unknown }>): ContactEffect[] {
  return actions
    .filter((a) => EFFECT_TYPES.has(a.type))
    .map((a) => JSON.parse(JSON.stringify({ type: a.type, params: a.params })) as ContactEffect);
}

function isEvent(value: unknown): value is ContactEvent {
  return (
    !!value &&
    typeof value === 'object' &&
    typeof (value as { type?: unknown }).type === 'string' &&
    typeof (value as { at?: unknown }).at === 'number' &&
    !!(value as { policy?: unknown }).policy
  );
}

function idsOf(t: AnyTransitionDefinition): string[] {
  const source = t.source.id;
  const list = (t.source.on as Record<string, AnyTransitionDefinition[]>)[t.eventType] ?? [];
  const index = Math.max(0, list.indexOf(t));
  const targets = t.target ?? [];
  if (targets.length === 0) return [edgeId(source, t.eventType, index)];
  return targets.map((_, k) => edgeId(source, t.eventType, index, k, targets.length));
}

const guardName = (t: AnyTransitionDefinition): string | null => {
  const g = t.guard as unknown;
  if (!g) return null;
  if (typeof g === 'string') return g;
  if (typeof g === 'object' && g && 'type' in g) return String((g as { type: unknown }).type);
  return (g as { name?: string }).name || 'inline guard';
};

/** Which transitions the machine tries for `event` in `snapshot`, and which it takes. */
export function decide(snapshot: Snapshot, event: ContactEvent): DecisionView {
  const chosen = contactMachine.getTransitionData(snapshot, event) ?? [];
  const candidates = getNextTransitions(snapshot).filter((t) => t.eventType === event.type);
  const here = stateName(snapshot.value);
  const rejected: DecisionView['rejected'] = [];
  for (const candidate of candidates) {
    if (chosen.includes(candidate)) break;
    rejected.push({ edgeId: idsOf(candidate)[0], guard: guardName(candidate) });
  }
  const taken = chosen.flatMap(idsOf);
  let note: string;
  if (candidates.length === 0) {
    note = `not handled in ${here}: nothing changes`;
  } else if (chosen.length === 0) {
    const guards = rejected.map((r) => r.guard ?? 'no guard').join(', ');
    note = `ignored: guard ${guards} failed`;
    if (event.type === 'FOLLOWUP_DUE') note += ' (stale or unknown follow-up id)';
  } else {
    const t = chosen[0];
    const guard = guardName(t);
    const target = t.target?.length ? t.target.map((s) => stateIdOf(s).split('.').pop()).join(', ') : null;
    const passed = rejected.length ? ` after ${rejected.map((r) => `[${r.guard ?? '?'}] ✗`).join(' ')}` : '';
    const head = `${event.type}${guard ? ` [${guard}] ✓` : rejected.length ? ' (unguarded fallback)' : ''}${passed}`;
    if (!target && t.actions.length === 0) note = `handled by ${t.source.key || t.source.id} and ignored on purpose`;
    else if (!target) note = `${head}: stays in ${here}`;
    else note = `${head} → ${target}`;
  }
  return { rejected, taken, note };
}

export function storedSnapshotView(stored: unknown): SnapshotView | null {
  if (!stored || typeof stored !== 'object') return null;
  const s = stored as { value?: unknown; context?: unknown };
  return { value: s.value ?? null, context: (s.context ?? {}) as Record<string, unknown> };
}

// ------------------------------------------------------------------ replay

/**
 * Replays the whole log and compares it with what was stored. It starts from the machine's
 * start, or, when retention deleted the log's beginning, from the snapshot kept after the
 * last deleted entry (src/store/retention.ts).
 */
export function replayHistory(
  history: Pick<ContactHistory, 'contact' | 'log' | 'storedSnapshot' | 'pruned'>,
): ReplayResult {
  let [snapshot] = initialTransition(contactMachine, { contactId: history.contact.id });
  const kept = history.pruned?.transitionsSnapshot as { value?: unknown; context?: unknown } | null | undefined;
  if (kept && kept.value !== undefined && kept.context !== undefined) {
    snapshot = contactMachine.resolveState({ value: kept.value as never, context: kept.context as never });
  }
  const snapshots: Snapshot[] = [snapshot];
  const steps: ReplayStep[] = [];

  for (const entry of history.log) {
    const from = stateName(snapshot.value);
    const mismatch: MismatchView[] = [];
    if (entry.corrupt || !isEvent(entry.event)) {
      mismatch.push({
        field: 'event',
        stored: entry.event,
        replayed: null,
        message: `log entry #${entry.seq} cannot be replayed: ${entry.corrupt ?? 'not an event with type, at and policy'}`,
      });
      snapshots.push(snapshot);
      steps.push({
        seq: entry.seq,
        at: entry.at,
        event: null,
        from,
        to: from,
        snapshot: view(snapshot),
        effects: [],
        decision: { rejected: [], taken: [], note: 'unreadable log entry: skipped' },
        mismatch,
      });
      continue;
    }
    const event = entry.event;
    const decision = decide(snapshot, event);
    const [next, actions] = transition(contactMachine, snapshot, event);
    const effects = effectsOf(actions as Array<{ type: string; params?: unknown }>);
    const to = stateName(next.value);
    compareEntry(entry, from, to, effects, mismatch);
    snapshot = next;
    snapshots.push(snapshot);
    steps.push({
      seq: entry.seq,
      at: entry.at,
      event,
      from,
      to,
      snapshot: view(snapshot),
      effects,
      decision,
      mismatch: mismatch.length ? mismatch : null,
    });
  }

  const replayed = view(snapshot);
  const stored = storedSnapshotView(history.storedSnapshot);
  const finalMismatch: MismatchView[] = [];
  if (!stored) {
    finalMismatch.push({
      field: 'snapshot',
      stored: null,
      replayed: replayed.value,
      message: 'no stored snapshot to compare with',
    });
  } else {
    if (canonical(stored.value) !== canonical(replayed.value)) {
      finalMismatch.push({
        field: 'snapshot',
        stored: stored.value,
        replayed: replayed.value,
        message: `stored snapshot is in ${stateName(stored.value)}, the replay ends in ${stateName(replayed.value)}`,
      });
    }
    if (canonical(stored.context) !== canonical(replayed.context)) {
      const keys = differingKeys(stored.context, replayed.context);
      finalMismatch.push({
        field: 'snapshot',
        stored: stored.context,
        replayed: replayed.context,
        message: `stored context differs from the replay in: ${keys.join(', ')}`,
      });
    }
  }
  if (history.contact.state !== stateName(replayed.value)) {
    finalMismatch.push({
      field: 'state',
      stored: history.contact.state,
      replayed: stateName(replayed.value),
      message: `contacts.state says ${history.contact.state}, the replay ends in ${stateName(replayed.value)}`,
    });
  }
  return {
    initial: view(snapshots[0]),
    steps,
    final: { replayed, stored, mismatch: finalMismatch.length ? finalMismatch : null },
    snapshots,
  };
}

function compareEntry(entry: LogRecord, from: string, to: string, effects: ContactEffect[], out: MismatchView[]): void {
  if (entry.from !== from)
    out.push({
      field: 'from',
      stored: entry.from,
      replayed: from,
      message: `stored from=${entry.from}, the replay was in ${from}`,
    });
  if (entry.to !== to)
    out.push({
      field: 'to',
      stored: entry.to,
      replayed: to,
      message: `stored to=${entry.to}, the replay went to ${to}`,
    });
  if (canonical(entry.effects) !== canonical(effects)) {
    const names = (list: unknown) =>
      Array.isArray(list) ? list.map((e) => (e as { type?: string })?.type ?? '?').join(', ') || 'none' : 'unreadable';
    out.push({
      field: 'effects',
      stored: entry.effects,
      replayed: effects,
      message: `stored effects [${names(entry.effects)}] differ from the replay's [${names(effects)}]`,
    });
  }
}

function differingKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  return [...keys].filter((k) => canonical(a?.[k]) !== canonical(b?.[k])).sort();
}

// ------------------------------------------------------------------ what-if

export interface HypotheticalEvent {
  type: ContactEventType;
  /** Epoch ms; defaults to the chosen entry's time (FOLLOWUP_DUE: the armed timer's due time). */
  at?: number;
  intent?: Intent;
  requestedAt?: number;
  phrase?: string;
  zone?: string;
  bookingLink?: boolean;
  followUpId?: string;
  /** FOLLOWUP_RETIMED: the new due time (epoch ms). */
  dueAt?: number;
  operatorId?: string;
  source?: string;
  fields?: Record<string, string>;
  /** REVIEW_RESOLVED: the reviewed message; defaults to the one under review at that entry. */
  messageId?: string;
}

export interface WhatIfOptions {
  /** `logged` (default): the bot policy in force at that entry; `current`: the bot's policy today. */
  policy?: 'logged' | 'current';
  /** When a FOLLOWUP_DUE defaults to the armed timer, the instant it would really fire. */
  fireTimeOf?: (timer: { kind: string; dueAt: number }) => number;
  /** A replay already computed for this history. */
  replay?: ReplayResult;
}

export interface WhatIfResult {
  afterSeq: number;
  event: ContactEvent;
  policySource: 'logged' | 'current';
  from: string;
  to: string;
  snapshot: SnapshotView;
  effects: ContactEffect[];
  decision: DecisionView;
}

/**
 * The state, context and effects if `hypothetical` had arrived right after log entry
 * `afterSeq` (0 = before the first entry). Pure: the history is only read.
 */
export function whatIf(
  history: ContactHistory,
  afterSeq: number,
  hypothetical: HypotheticalEvent,
  options: WhatIfOptions = {},
): WhatIfResult {
  if (!Number.isInteger(afterSeq) || afterSeq < 0)
    throw new VizInputError('invalid_request', 'afterSeq must be a whole number ≥ 0');
  const index = afterSeq === 0 ? -1 : history.log.findIndex((e) => e.seq === afterSeq);
  if (index === -1 && afterSeq !== 0) {
    const seqs = history.log.map((e) => e.seq);
    const range = seqs.length ? `0 (the start) or one of ${seqs[0]}…${seqs[seqs.length - 1]}` : '0 (the log is empty)';
    throw new VizInputError('invalid_request', `afterSeq: there is no log entry #${afterSeq}; use ${range}`);
  }
  const replay = options.replay ?? replayHistory(history);
  const base = replay.snapshots[index + 1];
  const entry = index >= 0 ? history.log[index] : null;
  const entryAt = entry ? entry.at : history.contact.createdAt;

  const loggedPolicy = entry && isEvent(entry.event) ? (entry.event.policy as Policy) : null;
  const policySource: 'logged' | 'current' = options.policy === 'current' || !loggedPolicy ? 'current' : 'logged';
  const policy = policySource === 'logged' ? (loggedPolicy as Policy) : history.bot.policy;

  const timer = base.context.timer;
  let at = hypothetical.at;
  if (at === undefined) {
    at = entryAt;
    if (
      hypothetical.type === 'FOLLOWUP_DUE' &&
      timer &&
      (hypothetical.followUpId === undefined || hypothetical.followUpId === timer.id)
    ) {
      at = Math.max(entryAt, options.fireTimeOf ? options.fireTimeOf(timer) : timer.dueAt);
    }
  }
  if (!Number.isFinite(at)) throw new VizInputError('invalid_request', 'event.at must be a valid instant');
  if (at < entryAt) {
    throw new VizInputError(
      'invalid_request',
      `event.at (${new Date(at).toISOString()}) is before the chosen entry (${new Date(entryAt).toISOString()}); time only moves forward`,
    );
  }

  const event = buildEvent(hypothetical, {
    at,
    policy,
    afterSeq,
    timerId: timer?.id ?? null,
    reviewMessageId: base.context.review?.messageId ?? null,
  });
  const decision = decide(base, event);
  const [next, actions] = transition(contactMachine, base, event);
  return {
    afterSeq,
    event,
    policySource,
    from: stateName(base.value),
    to: stateName(next.value),
    snapshot: view(next),
    effects: effectsOf(actions as Array<{ type: string; params?: unknown }>),
    decision,
  };
}

function buildEvent(
  h: HypotheticalEvent,
  base: { at: number; policy: Policy; afterSeq: number; timerId: string | null; reviewMessageId: string | null },
): ContactEvent {
  const common = { at: base.at, policy: base.policy };
  const messageId = `whatif-${base.afterSeq}`;
  switch (h.type) {
    case 'CONTACT_MESSAGE': {
      if (!h.intent) throw new VizInputError('invalid_request', 'event.intent is required for CONTACT_MESSAGE');
      if (h.requestedAt !== undefined && h.intent !== 'request_time') {
        throw new VizInputError('invalid_request', 'event.requestedAt only goes with intent request_time');
      }
      return {
        type: 'CONTACT_MESSAGE',
        ...common,
        messageId,
        intent: h.intent,
        ...(h.requestedAt !== undefined ? { requestedAt: h.requestedAt } : {}),
        ...(h.phrase ? { phrase: h.phrase } : {}),
        ...(h.zone ? { zone: h.zone } : {}),
      };
    }
    case 'BOT_MESSAGE':
      return { type: 'BOT_MESSAGE', ...common, messageId, ...(h.bookingLink ? { bookingLink: true } : {}) };
    case 'OPERATOR_MESSAGE':
      return { type: 'OPERATOR_MESSAGE', ...common, messageId, ...(h.operatorId ? { operatorId: h.operatorId } : {}) };
    case 'FOLLOWUP_DUE': {
      const followUpId = h.followUpId ?? base.timerId;
      if (!followUpId) {
        throw new VizInputError(
          'invalid_request',
          'no timer is armed after that entry; give event.followUpId to test a stale or unknown id',
        );
      }
      return { type: 'FOLLOWUP_DUE', ...common, followUpId };
    }
    case 'FOLLOWUP_CANCELLED':
    case 'FOLLOWUP_RETIMED': {
      const followUpId = h.followUpId ?? base.timerId;
      if (!followUpId) {
        throw new VizInputError(
          'invalid_request',
          'no timer is armed after that entry; give event.followUpId to test a stale or unknown id',
        );
      }
      const operator = h.operatorId ? { operatorId: h.operatorId } : {};
      if (h.type === 'FOLLOWUP_CANCELLED') return { type: h.type, ...common, followUpId, ...operator };
      if (h.dueAt === undefined)
        throw new VizInputError('invalid_request', 'event.dueAt is required for FOLLOWUP_RETIMED');
      return { type: h.type, ...common, followUpId, dueAt: h.dueAt, ...operator };
    }
    case 'CONTACT_UPDATED':
      return { type: 'CONTACT_UPDATED', ...common, fields: h.fields ?? {} };
    case 'REVIEW_RESOLVED': {
      if (!h.intent) throw new VizInputError('invalid_request', 'event.intent is required for REVIEW_RESOLVED');
      if (h.intent === 'request_time' && h.requestedAt === undefined) {
        throw new VizInputError('invalid_request', 'event.requestedAt is required when the decision is request_time');
      }
      const messageId = h.messageId ?? base.reviewMessageId;
      if (!messageId) {
        throw new VizInputError(
          'invalid_request',
          'no message is under review after that entry; give event.messageId to test a stale decision',
        );
      }
      return {
        type: 'REVIEW_RESOLVED',
        ...common,
        messageId,
        intent: h.intent,
        ...(h.requestedAt !== undefined ? { requestedAt: h.requestedAt } : {}),
        ...(h.operatorId ? { operatorId: h.operatorId } : {}),
      };
    }
    case 'OPERATOR_HANDBACK':
    case 'OPERATOR_STOP':
      return { type: h.type, ...common, ...(h.operatorId ? { operatorId: h.operatorId } : {}) };
    case 'APPOINTMENT_BOOKED':
    case 'APPOINTMENT_CANCELLED':
    case 'OPT_IN':
      return { type: h.type, ...common, ...(h.source ? { source: h.source } : {}) };
    default:
      throw new VizInputError('invalid_request', `unknown event type ${(h as { type: string }).type}`);
  }
}
