/**
 * The JSON shapes the visualizer's routes return. Shared by the server (src/viz) and the
 * page (web/viz, type-only import), so both sides agree at compile time.
 */

// ------------------------------------------------------------------ the statechart

export type GraphNodeKind = 'machine' | 'state' | 'any' | 'initial';

export interface GraphNode {
  /** Machine-wide state id without the '#', e.g. `contact.active`; pseudo nodes end in `::any` / `::initial`. */
  id: string;
  /** The state's own key (`active`), the machine id for the root. */
  key: string;
  /** Enclosing node id (null for the machine root). */
  parent: string | null;
  /** `state` = a real state; `any` = where a parent's own transitions ("from any child") are drawn from; `initial` = the start dot. */
  kind: GraphNodeKind;
  /** XState's node type (atomic, compound, parallel, final, history) for real states. */
  stateType: string | null;
  description: string | null;
  /** The description wrapped for drawing. */
  descriptionLines: string[];
  entry: string[];
  exit: string[];
  /** Targetless transitions handled here (drawn as rows inside the box): edge ids. */
  internal: string[];
  /** True for the initial child of its parent. */
  initial: boolean;
  /** Child node ids (real states and pseudo nodes) in document order. */
  children: string[];
}

export type GraphEdgeKind = 'external' | 'self' | 'internal' | 'initial';

export interface GraphAction {
  name: string;
  params: Record<string, unknown> | null;
}

export interface GraphEdge {
  /** `${source}|${event}|${index}` (+ `#k` for the k-th of several targets). */
  id: string;
  /** The state that declares the transition. */
  source: string;
  /** The target state, or null for a targetless (internal) transition. */
  target: string | null;
  event: string;
  guard: string | null;
  actions: GraphAction[];
  reenter: boolean;
  /** external = to another state; self = re-enters its source; internal = no target (stays, runs actions). */
  kind: GraphEdgeKind;
  /** Position among the source's candidates for this event (guards are tried in this order). */
  order: number;
  /** `EVENT [guard]` and `/ actions` lines. */
  labelLines: string[];
  /** The layout node the edge is drawn from (a parent's `::any` pseudo node for parent-level transitions). */
  drawnFrom: string;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface EdgeLayout {
  /** Absolute polyline: start, bends, end. */
  points: Array<{ x: number; y: number }>;
  label: (Box & { lines: string[] }) | null;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: Record<string, Box>;
  edges: Record<string, EdgeLayout>;
  /** Text metrics the boxes were sized with (the page draws with the same). */
  metrics: LayoutMetrics;
}

export interface LayoutMetrics {
  fontFamily: string;
  fontSize: number;
  titleSize: number;
  lineHeight: number;
  charWidth: number;
  titleCharWidth: number;
  padding: number;
  timerRowHeight: number;
}

export interface MachineGraph {
  machineId: string;
  /** Real states in document order (ids). */
  states: string[];
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Every event type the machine handles somewhere. */
  events: string[];
}

export interface MachineGraphWithLayout extends MachineGraph {
  layout: GraphLayout;
}

// ------------------------------------------------------------------ history and replay

export interface SnapshotView {
  value: unknown;
  context: Record<string, unknown>;
}

/** One effect the machine declared, described for people (due times as ISO strings). */
export type EffectView =
  | {
      kind: 'armed';
      followUpId: string;
      timerKind: string;
      scenario: string;
      step: number;
      /** What the cadence asked for. */
      dueAt: string;
      /** When it was (or would be) actually scheduled, after working hours. */
      scheduledAt: string | null;
      deferReason: string | null;
      /** The follow-up row's status today (pending, sent, cancelled, skipped, fired), if known. */
      status: string | null;
      statusReason: string | null;
    }
  | { kind: 'cancelled'; followUpId: string; reason: string }
  | {
      kind: 'sent';
      followUpId: string;
      scenario: string;
      step: number;
      /** What the runtime did with the send decision: sent, or skipped at send time (reason). */
      outcome: string | null;
      outcomeReason: string | null;
      channel: string | null;
      channelReason: string | null;
      sentAt: string | null;
    }
  | { kind: 'skipped'; followUpId: string; reason: string }
  | { kind: 'workflow'; followUpId: string; scenario: string; step: number }
  /** A doubtful message held for an operator, with the classifier's top readings. */
  | { kind: 'review'; messageId: string; readings: Array<{ intent: string; confidence: number }>; refusalCue: boolean }
  /** The pending review ended: decided, superseded, stopped or booked. */
  | { kind: 'reviewClosed'; messageId: string; reason: string }
  | { kind: 'other'; type: string; params: unknown };

export interface MismatchView {
  field: 'from' | 'to' | 'effects' | 'event' | 'snapshot' | 'state';
  stored: unknown;
  replayed: unknown;
  message: string;
}

/** Which transitions the machine tried for an event, in order, and which one it took. */
export interface DecisionView {
  /** Edge ids whose guards were checked and failed, in evaluation order. */
  rejected: Array<{ edgeId: string; guard: string | null }>;
  /** The edge(s) taken; empty when the event was not handled. */
  taken: string[];
  /** Short human explanation ("ignored: guard isCurrentTimer failed (stale follow-up)"). */
  note: string;
}

export interface PayloadView {
  /** One line for the list. */
  summary: string;
  messageId?: string;
  text?: string | null;
  sender?: string | null;
  channel?: string | null;
  intent?: string;
  classification?: unknown;
  requestedAt?: string | null;
  phrase?: string | null;
  zone?: string | null;
  bookingLink?: boolean;
  followUpId?: string;
  followUp?: { scenario: string; step: number; status: string; reason: string | null } | null;
  operatorId?: string;
  source?: string;
  fields?: Record<string, string>;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  atMs: number;
  type: string;
  payload: PayloadView;
  /** As stored in the log. */
  from: string;
  to: string;
  /** As replayed through the pure machine. */
  replayed: { from: string; to: string };
  effects: EffectView[];
  /** The replay's snapshot right after this entry. */
  snapshot: SnapshotView;
  decision: DecisionView;
  mismatch: MismatchView[] | null;
}

export interface PendingTimerView {
  id: string;
  kind: string;
  scenario: string;
  step: number;
  epoch: number;
  dueAt: string;
  rawDueAt: string;
  deferReason: string | null;
  channel: string | null;
  /** The state that armed it (from the log), else the contact's current state. */
  ownerState: string | null;
  triggerMessageId: string | null;
}

export interface ContactView {
  id: string;
  botId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  timezone: string | null;
  state: string;
  epoch: number;
  lastChannel: string;
  createdAt: string;
  updatedAt: string;
}

export interface TimelineView {
  source: 'database' | 'import';
  contact: ContactView;
  bot: { id: string; name: string; timezone: string | null };
  /** The machine's start (before the first logged event), or the state kept when retention deleted the log before it. */
  initial: SnapshotView;
  /** What retention deleted (src/store/retention.ts); null when nothing was. */
  pruned: {
    /** The log was deleted through this entry; `initial` is the state right after it. */
    transitionsThrough: number | null;
    transitionsBefore: string | null;
    messagesBefore: string | null;
    followUpsBefore: string | null;
    prunedAt: string;
  } | null;
  entries: TimelineEntry[];
  final: {
    stored: SnapshotView | null;
    replayed: SnapshotView;
    mismatch: MismatchView[] | null;
  };
  mismatchCount: number;
  pendingTimers: PendingTimerView[];
  followUps: FollowUpView[];
}

export interface FollowUpView {
  id: string;
  kind: string;
  scenario: string;
  step: number;
  epoch: number;
  status: string;
  reason: string | null;
  dueAt: string;
  rawDueAt: string;
  deferReason: string | null;
  channel: string | null;
  channelReason: string | null;
  sentAt: string | null;
  createdAt: string;
  triggerMessageId: string | null;
}

export interface ArmedTimerView {
  id: string;
  kind: string;
  scenario: string;
  step: number;
  epoch: number;
  dueAt: string;
  scheduledAt: string;
  deferReason: string | null;
}

export interface WhatIfView {
  afterSeq: number;
  event: Record<string, unknown>;
  policySource: 'logged' | 'current';
  from: string;
  state: string;
  context: Record<string, unknown>;
  effects: EffectView[];
  /** Timers that would be armed, with due times (after working hours). */
  armed: ArmedTimerView[];
  decision: DecisionView;
  /** Always true: nothing was stored. */
  dryRun: true;
}

/** Notification frames on /ws/console. */
export interface ConsoleNotice {
  type: 'transition' | 'followups' | 'message';
  contactId: string;
}
