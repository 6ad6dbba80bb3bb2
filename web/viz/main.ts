/**
 * The visualizer page: loads the statechart layout once, then a contact's timeline, and
 * keeps them in sync (WebSocket notifications trigger a re-read). Selecting a timeline
 * entry shows the chart and context as they were right after it (the server replays the
 * log through the pure machine); the what-if form asks the server for a dry run.
 * Everything is drawn with DOM APIs and textContent — no HTML is built from data.
 */
import type {
  EffectView,
  MachineGraphWithLayout,
  TimelineEntry,
  TimelineView,
  WhatIfView,
} from '../../src/viz/types.ts';
import { TIMER_KIND } from '../../machines/vocabulary.ts';
import { api, ApiError, tokenStore } from './api.ts';
import { renderChart, stateIdFor, type ChartView, type TimerBadge } from './chart.ts';
import { badgeTime, isoShort, prettyContext, setBusinessZone, shortTime, stateName } from './format.ts';

type Selection = number | 'now';

interface PageState {
  graph: MachineGraphWithLayout | null;
  contactId: string | null;
  timeline: TimelineView | null;
  selected: Selection;
  whatIf: WhatIfView | null;
  /** Set while showing an imported file (its raw text, for what-if against it). */
  importedText: string | null;
  zoom: number | 'fit';
}

const state: PageState = {
  graph: null,
  contactId: null,
  timeline: null,
  selected: 'now',
  whatIf: null,
  importedText: null,
  zoom: 'fit',
};

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const h = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, content?: string): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (content !== undefined) node.textContent = content;
  return node;
};

// ------------------------------------------------------------------ errors and token

function showError(message: string | null): void {
  const box = $('error');
  box.hidden = !message;
  box.textContent = message ?? '';
}

function handleError(error: unknown): void {
  if (error instanceof ApiError && error.status === 401) {
    tokenStore.clear();
    showError(`${error.message} — enter an operator token.`);
    askToken();
    return;
  }
  showError(error instanceof Error ? error.message : String(error));
}

function askToken(): void {
  const dialog = $<HTMLDialogElement>('token-dialog');
  if (!dialog.open) dialog.showModal();
  $<HTMLInputElement>('token-input').focus();
}

/** `#token=…&contact=…`: the token is moved to sessionStorage and removed from the URL. */
function readHash(): { contact: string | null } {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = params.get('token');
  if (token) {
    tokenStore.set(token);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  }
  return { contact: params.get('contact') };
}

// ------------------------------------------------------------------ loading

async function ensureGraph(): Promise<MachineGraphWithLayout> {
  if (!state.graph) state.graph = await api.graph();
  return state.graph;
}

let loadSeq = 0;

async function loadContact(contactId: string, options: { keepSelection?: boolean } = {}): Promise<void> {
  const mine = ++loadSeq;
  try {
    await ensureGraph();
    const timeline = await api.history(contactId);
    if (mine !== loadSeq) return; // a newer load superseded this one
    const changed = state.contactId !== contactId;
    state.contactId = contactId;
    setBusinessZone(timeline.bot.timezone);
    state.timeline = timeline;
    state.importedText = null;
    if (changed || !options.keepSelection) state.selected = 'now';
    if (typeof state.selected === 'number' && state.selected > lastSeq()) state.selected = 'now';
    if (changed) state.whatIf = null;
    showError(null);
    $<HTMLInputElement>('contact-input').value = contactId;
    if (changed || state.selected === 'now')
      $<HTMLInputElement>('whatif-after').value = String(state.selected === 'now' ? lastSeq() : state.selected);
    if (changed) {
      const params = new URLSearchParams(location.hash.replace(/^#/, ''));
      params.set('contact', contactId);
      history.replaceState(null, '', `#${params.toString()}`);
    }
    live.subscribe(contactId);
    render();
  } catch (error) {
    handleError(error);
  }
}

function lastSeq(): number {
  const entries = state.timeline?.entries ?? [];
  return entries.length ? entries[entries.length - 1].seq : 0;
}

// ------------------------------------------------------------------ selection

function selectedEntry(): TimelineEntry | null {
  if (!state.timeline || state.selected === 'now' || state.selected === 0) return null;
  return state.timeline.entries.find((e) => e.seq === state.selected) ?? null;
}

function select(selection: Selection): void {
  state.selected = selection;
  if (!state.whatIf || state.whatIf.afterSeq !== (selection === 'now' ? lastSeq() : selection)) state.whatIf = null;
  $<HTMLInputElement>('whatif-after').value = String(selection === 'now' ? lastSeq() : selection);
  render();
  const item = document.querySelector(`[data-selected="true"]`);
  item?.scrollIntoView({ block: 'nearest' });
}

function step(direction: -1 | 1): void {
  if (!state.timeline) return;
  const order: Selection[] = [0, ...state.timeline.entries.map((e) => e.seq), 'now'];
  const index = order.indexOf(state.selected);
  const next = order[Math.max(0, Math.min(order.length - 1, (index === -1 ? order.length - 1 : index) + direction))];
  select(next);
}

// ------------------------------------------------------------------ rendering

function currentStateName(t: TimelineView): string {
  return t.final.stored ? stateName(t.final.stored.value) : t.contact.state;
}

function chartView(graph: MachineGraphWithLayout, t: TimelineView | null): ChartView {
  const view: ChartView = {
    highlight: null,
    now: null,
    timers: [],
    taken: [],
    rejected: [],
    whatIfState: null,
    whatIfTaken: [],
  };
  if (!t) return view;
  view.now = stateIdFor(graph, currentStateName(t));
  if (state.selected === 'now') {
    view.highlight = view.now;
    const last = t.entries[t.entries.length - 1];
    if (last) {
      view.taken = last.decision.taken;
      view.rejected = last.decision.rejected.map((r) => r.edgeId);
    }
    view.timers = t.pendingTimers.flatMap((p): TimerBadge[] => {
      const owner = stateIdFor(graph, p.ownerState ?? currentStateName(t));
      if (!owner) return [];
      const what = p.kind === TIMER_KIND.botSilence ? 'bot silence' : `${p.scenario} #${p.step}`;
      return [
        {
          stateId: owner,
          text: `${what} · ${badgeTime(p.dueAt)}`,
          title: `pending ${p.id}\ndue ${p.dueAt}${p.deferReason ? ` (deferred: ${p.deferReason}, asked for ${p.rawDueAt})` : ''}`,
        },
      ];
    });
  } else {
    const snapshot = state.selected === 0 ? t.initial : selectedEntry()?.snapshot;
    view.highlight = snapshot ? stateIdFor(graph, stateName(snapshot.value)) : null;
    const entry = selectedEntry();
    if (entry) {
      view.taken = entry.decision.taken;
      view.rejected = entry.decision.rejected.map((r) => r.edgeId);
    }
    const timer = snapshot?.context.timer as
      { id: string; kind: string; scenario: string; step: number; dueAt: number } | null | undefined;
    if (timer && view.highlight) {
      const later = t.followUps.find((f) => f.id === timer.id);
      const what = timer.kind === TIMER_KIND.botSilence ? 'bot silence' : `${timer.scenario} #${timer.step}`;
      view.timers = [
        {
          stateId: view.highlight,
          text: `${what} · ${badgeTime(timer.dueAt)}${later ? ` · ${later.status}` : ''}`,
          title: `armed ${timer.id}\ndue ${new Date(timer.dueAt).toISOString()}${later ? `\nlater: ${later.status}${later.reason ? ` (${later.reason})` : ''}` : ''}`,
        },
      ];
    }
  }
  if (state.whatIf) {
    view.whatIfState = stateIdFor(graph, state.whatIf.state);
    view.whatIfTaken = state.whatIf.decision.taken;
  }
  return view;
}

function render(): void {
  const graph = state.graph;
  const t = state.timeline;
  if (graph) renderChart($('chart'), graph, chartView(graph, t), state.zoom);
  renderCaption(t);
  renderTimeline(t);
  renderSnapshot(t);
  renderWhatIf();
  renderBanners(t);
  if (state.selected === 'now') {
    const list = $('timeline');
    list.scrollTop = list.scrollHeight;
  }
  const hasContact = !!t;
  for (const id of ['step-back', 'step-forward', 'go-now', 'export-button'])
    $<HTMLButtonElement>(id).disabled = !hasContact;
  $<HTMLButtonElement>('export-button').disabled = !hasContact || !!state.importedText;
}

function renderCaption(t: TimelineView | null): void {
  const caption = $('view-caption');
  if (!t) {
    caption.textContent = 'Load a contact to see where it is.';
    return;
  }
  const who = t.contact.name ? `${t.contact.name} (${t.contact.id})` : t.contact.id;
  if (state.selected === 'now') caption.textContent = `${who} — now: ${currentStateName(t)}`;
  else if (state.selected === 0)
    caption.textContent = `${who} — at the start (before any event): ${stateName(t.initial.value)}`;
  else {
    const e = selectedEntry();
    caption.textContent = e
      ? `${who} — right after #${e.seq} ${e.type} (${isoShort(e.at)}): ${stateName(e.snapshot.value)}`
      : who;
  }
  caption.dataset.selected = String(state.selected);
}

function effectChip(e: EffectView): HTMLElement {
  switch (e.kind) {
    case 'armed': {
      const what = e.timerKind === TIMER_KIND.botSilence ? 'bot-silence timer' : `${e.scenario} #${e.step}`;
      const deferred =
        e.deferReason && e.scheduledAt !== e.dueAt ? ` → ${shortTime(e.scheduledAt)} (${e.deferReason})` : '';
      const chip = h(
        'span',
        'chip armed',
        `armed ${what} due ${shortTime(e.dueAt)}${deferred}${e.status ? ` · ${e.status}${e.statusReason ? ` (${e.statusReason})` : ''}` : ''}`,
      );
      chip.title = e.followUpId;
      return chip;
    }
    case 'cancelled':
      return Object.assign(h('span', 'chip cancelled', `cancelled (${e.reason})`), { title: e.followUpId });
    case 'sent': {
      const outcome =
        e.outcome && e.outcome !== 'sent' ? ` → ${e.outcome}${e.outcomeReason ? ` (${e.outcomeReason})` : ''}` : '';
      const channel = e.channel ? ` via ${e.channel}` : '';
      const chip = h(
        'span',
        `chip ${e.outcome === 'sent' || !e.outcome ? 'sent' : 'skipped'}`,
        `send ${e.scenario} #${e.step}${channel}${outcome}`,
      );
      chip.title = `${e.followUpId}${e.channelReason ? `\nchannel: ${e.channelReason}` : ''}${e.sentAt ? `\nsent ${e.sentAt}` : ''}`;
      return chip;
    }
    case 'skipped':
      return Object.assign(h('span', 'chip skipped', `skipped (${e.reason})`), { title: e.followUpId });
    case 'workflow':
      return Object.assign(h('span', 'chip workflow', `workflow ${e.scenario} #${e.step}`), { title: e.followUpId });
    case 'review': {
      const read = e.readings.map((r) => `${r.intent} ${Math.round(r.confidence * 100)} %`).join(' / ');
      return Object.assign(
        h('span', 'chip skipped', `held for review${read ? `: ${read}` : ''}${e.refusalCue ? ' (refusal cue)' : ''}`),
        { title: e.messageId },
      );
    }
    case 'reviewClosed':
      return Object.assign(h('span', 'chip', `review ${e.reason}`), { title: e.messageId });
    default:
      return h('span', 'chip', e.type);
  }
}

function entryItem(
  seq: Selection,
  parts: {
    type: string;
    when: string;
    move: string;
    summary: string;
    chips?: HTMLElement[];
    note?: string;
    problems?: string[];
  },
): HTMLLIElement {
  const li = h('li', 'entry');
  const selected = state.selected === seq;
  li.dataset.testid = seq === 'now' ? 'timeline-now' : `timeline-entry-${seq}`;
  li.dataset.selected = String(selected);
  li.dataset.seq = String(seq);
  if (selected) li.classList.add('selected');
  if (parts.problems?.length) {
    li.classList.add('mismatch');
    li.dataset.mismatch = 'true';
  }
  const head = h('div', 'head');
  head.append(
    h('span', 'seq', seq === 'now' ? 'now' : `#${seq}`),
    h('span', 'type', parts.type),
    h('span', 'when', parts.when),
  );
  li.append(head, h('div', 'move', parts.move), h('div', 'summary', parts.summary));
  if (parts.chips?.length) {
    const chips = h('div', 'chips');
    chips.append(...parts.chips);
    li.append(chips);
  }
  if (parts.note) li.append(h('div', 'note', parts.note));
  for (const p of parts.problems ?? []) li.append(h('div', 'problem', `⚠ ${p}`));
  li.addEventListener('click', () => select(seq));
  return li;
}

function renderTimeline(t: TimelineView | null): void {
  const list = $('timeline');
  list.textContent = '';
  $('timeline-count').textContent = t
    ? `${t.entries.length} events${t.mismatchCount ? ` · ${t.mismatchCount} mismatch${t.mismatchCount > 1 ? 'es' : ''}` : ''}`
    : '';
  if (!t) return;
  list.append(
    t.pruned?.transitionsThrough
      ? entryItem(0, {
          type: 'pruned',
          when: isoShort(t.pruned.transitionsBefore ?? t.pruned.prunedAt),
          move: stateName(t.initial.value),
          summary: `history pruned (retention): events 1–${t.pruned.transitionsThrough} were deleted on ${isoShort(t.pruned.prunedAt)}; the replay starts from the state kept after them`,
        })
      : entryItem(0, {
          type: 'start',
          when: isoShort(t.contact.createdAt),
          move: stateName(t.initial.value),
          summary: 'contact created; the machine starts here',
        }),
  );
  for (const e of t.entries) {
    const moved = e.from === e.to ? `${e.from} (stays)` : `${e.from} → ${e.to}`;
    const channelSwitches = e.effects.flatMap((x) =>
      x.kind === 'sent' && x.channelReason && !/^stays on/.test(x.channelReason)
        ? [h('span', 'chip channel', `channel: ${x.channelReason}`)]
        : [],
    );
    list.append(
      entryItem(e.seq, {
        type: e.type,
        when: isoShort(e.at),
        move: moved,
        summary: e.payload.summary,
        chips: [...e.effects.map(effectChip), ...channelSwitches],
        note: e.decision.note,
        problems: e.mismatch?.map((m) => m.message),
      }),
    );
  }
  const pending = t.pendingTimers.map((p) =>
    h(
      'span',
      'chip armed',
      `${p.kind === TIMER_KIND.botSilence ? 'bot silence' : `${p.scenario} #${p.step}`} due ${shortTime(p.dueAt)}`,
    ),
  );
  list.append(
    entryItem('now', {
      type: 'now',
      when: isoShort(t.contact.updatedAt),
      move: currentStateName(t),
      summary: t.pendingTimers.length
        ? `${t.pendingTimers.length} pending timer${t.pendingTimers.length > 1 ? 's' : ''}`
        : 'no pending timer',
      chips: pending,
      problems: t.final.mismatch?.map((m) => m.message),
    }),
  );
}

function renderSnapshot(t: TimelineView | null): void {
  const timers = $('timers');
  timers.textContent = '';
  const pre = $('context');
  if (!t) {
    pre.textContent = '';
    $('snapshot-caption').textContent = '';
    return;
  }
  let value: unknown;
  let context: unknown;
  if (state.selected === 'now') {
    const stored = t.final.stored ?? t.final.replayed;
    value = stored.value;
    context = stored.context;
    $('snapshot-caption').textContent = t.final.stored ? 'stored, now' : 'replayed (no stored snapshot)';
    for (const p of t.pendingTimers) {
      const line = h(
        'div',
        'timer',
        `${p.kind === TIMER_KIND.botSilence ? 'bot silence' : `${p.scenario} step ${p.step}`} on ${p.ownerState ?? '?'} — due ${shortTime(p.dueAt)}${p.deferReason ? ` (deferred: ${p.deferReason})` : ''}${p.channel ? ` via ${p.channel}` : ''}`,
      );
      line.dataset.testid = 'pending-timer';
      line.title = p.id;
      timers.append(line);
    }
    if (!t.pendingTimers.length) timers.append(h('div', 'note', 'no pending timer'));
  } else {
    const snap = state.selected === 0 ? t.initial : selectedEntry()?.snapshot;
    value = snap?.value;
    context = snap?.context;
    $('snapshot-caption').textContent =
      state.selected === 0 ? 'replayed, at the start' : `replayed, right after #${state.selected}`;
  }
  pre.textContent = prettyContext({ state: value, context });
}

function renderBanners(t: TimelineView | null): void {
  const banner = $('mismatch-banner');
  banner.hidden = !t || t.mismatchCount === 0;
  banner.textContent =
    t && t.mismatchCount
      ? `⚠ The replay disagrees with what was stored in ${t.mismatchCount} place${t.mismatchCount > 1 ? 's' : ''} (marked in red). The machine or the runtime changed behaviour, or the data was edited.`
      : '';
  const imported = $('import-banner');
  imported.hidden = !state.importedText;
  $('import-caption').textContent =
    state.importedText && t ? `Imported file for ${t.contact.id} — replayed here, nothing stored, not live.` : '';
}

// ------------------------------------------------------------------ what-if

function syncWhatIfFields(): void {
  const type = $<HTMLSelectElement>('whatif-type').value;
  for (const label of Array.from(document.querySelectorAll<HTMLElement>('#whatif-form [data-for]'))) {
    label.hidden = !(label.dataset.for ?? '').split(' ').includes(type);
  }
}

function renderWhatIf(): void {
  const box = $('whatif-result');
  const w = state.whatIf;
  box.hidden = !w;
  box.textContent = '';
  if (!w) return;
  box.append(h('h3', '', `after #${w.afterSeq}: ${w.from} → ${w.state}`));
  box.append(
    h(
      'div',
      'note',
      `${String(w.event.type)} at ${isoShort(String(w.event.at))} · policy ${w.policySource} · ${w.decision.note}`,
    ),
  );
  const chips = h('div', 'chips');
  chips.append(...w.effects.map(effectChip));
  if (!w.effects.length) chips.append(h('span', 'chip', 'no effects'));
  box.append(chips);
  for (const a of w.armed) {
    const line = h(
      'div',
      'timer',
      `would arm ${a.kind === TIMER_KIND.botSilence ? 'bot silence' : `${a.scenario} step ${a.step}`} — due ${shortTime(a.scheduledAt)}${a.deferReason ? ` (asked ${shortTime(a.dueAt)}, ${a.deferReason})` : ''}`,
    );
    line.dataset.testid = 'whatif-armed';
    box.append(line);
  }
  const pre = h('pre', 'context', prettyContext({ state: w.state, context: w.context }));
  box.append(pre);
  box.dataset.state = w.state;
}

async function submitWhatIf(event: Event): Promise<void> {
  event.preventDefault();
  if (!state.timeline) return showError('load a contact first');
  const type = $<HTMLSelectElement>('whatif-type').value;
  const ev: Record<string, unknown> = { type };
  const at = $<HTMLInputElement>('whatif-at').value.trim();
  if (at) ev.at = at;
  // An operator's decision on the message under review takes an intent (and time) like a message.
  if (type === 'CONTACT_MESSAGE' || type === 'REVIEW_RESOLVED') {
    ev.intent = $<HTMLSelectElement>('whatif-intent').value;
    const requested = $<HTMLInputElement>('whatif-requested').value.trim();
    if (requested) ev.requestedAt = requested;
  }
  if (type === 'BOT_MESSAGE' && $<HTMLInputElement>('whatif-booking').checked) ev.bookingLink = true;
  if (type === 'FOLLOWUP_DUE' || type === 'FOLLOWUP_CANCELLED' || type === 'FOLLOWUP_RETIMED') {
    const id = $<HTMLInputElement>('whatif-followup').value.trim();
    if (id) ev.followUpId = id;
  }
  if (type === 'FOLLOWUP_RETIMED') ev.dueAt = $<HTMLInputElement>('whatif-due').value.trim();
  const afterSeq = Number($<HTMLInputElement>('whatif-after').value);
  const body = { afterSeq, policy: $<HTMLSelectElement>('whatif-policy').value, event: ev };
  try {
    state.whatIf = state.importedText
      ? await api.importWhatIf(state.importedText, body)
      : await api.whatIf(state.timeline.contact.id, body);
    state.selected = afterSeq === lastSeq() && state.selected === 'now' ? 'now' : afterSeq;
    showError(null);
    render();
  } catch (error) {
    handleError(error);
  }
}

// ------------------------------------------------------------------ export / import

async function exportHistory(): Promise<void> {
  if (!state.timeline) return;
  try {
    const { body, name } = await api.exportText(
      state.timeline.contact.id,
      $<HTMLInputElement>('export-redact').checked,
    );
    const url = URL.createObjectURL(new Blob([body], { type: 'application/json' }));
    const a = h('a');
    a.href = url;
    a.download = name;
    a.dataset.testid = 'export-link';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    handleError(error);
  }
}

/** Import feedback sits beside the import control, where the operator is looking. */
function importStatus(message: string | null, kind: 'ok' | 'error' | 'busy' = 'ok'): void {
  const box = $('import-status');
  box.hidden = message === null;
  box.textContent = message ?? '';
  box.dataset.kind = kind;
}

async function importHistory(input: HTMLInputElement): Promise<void> {
  const file = input.files?.[0];
  input.value = '';
  if (!file) return;
  importStatus(`Reading ${file.name}…`, 'busy');
  try {
    const text = await file.text();
    try {
      JSON.parse(text);
    } catch {
      throw new Error(`${file.name} is not JSON: choose a file saved with “Export JSON”`);
    }
    await ensureGraph();
    const timeline = await api.importFile(text);
    loadSeq++; // a pending live reload must not replace the imported view
    setBusinessZone(timeline.bot.timezone);
    state.timeline = timeline;
    state.importedText = text;
    state.contactId = null;
    state.selected = 'now';
    state.whatIf = null;
    live.subscribe(null);
    showError(null);
    importStatus(
      `Imported ${file.name}: ${timeline.entries?.length ?? 0} entries of ${timeline.contact.id}, replayed here (nothing stored).`,
    );
    render();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return handleError(error);
    importStatus(`Not imported: ${error instanceof Error ? error.message : String(error)}`, 'error');
  }
}

// ------------------------------------------------------------------ live updates

const live = (() => {
  let ws: WebSocket | null = null;
  let wanted: string | null = null;
  let retry = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let reloadTimer: ReturnType<typeof setTimeout> | null = null;
  const status = (s: 'live' | 'connecting' | 'offline') => {
    const pill = $('live-status');
    pill.dataset.state = s;
    pill.textContent = s;
  };
  const connect = () => {
    const token = tokenStore.get();
    if (!token || !wanted) return;
    status('connecting');
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(
      `${proto}://${location.host}/ws/console?token=${encodeURIComponent(token)}&contact=${encodeURIComponent(wanted)}`,
    );
    ws = socket;
    socket.onopen = () => {
      retry = 0;
      status('live');
      // Catch up on anything that happened while disconnected.
      if (wanted) scheduleReload();
    };
    socket.onmessage = (msg) => {
      let frame: { type?: string; contactId?: string };
      try {
        frame = JSON.parse(String(msg.data));
      } catch {
        return;
      }
      if (
        (frame.type === 'transition' || frame.type === 'followups' || frame.type === 'message') &&
        frame.contactId === state.contactId
      )
        scheduleReload();
    };
    socket.onclose = () => {
      if (ws !== socket) return;
      ws = null;
      status('offline');
      if (!wanted) return;
      retry = Math.min(retry + 1, 6);
      timer = setTimeout(connect, Math.min(10_000, 500 * 2 ** retry));
    };
  };
  const scheduleReload = () => {
    if (reloadTimer) clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => {
      if (state.contactId && !state.importedText) void loadContact(state.contactId, { keepSelection: true });
    }, 120);
  };
  return {
    subscribe(contactId: string | null) {
      if (contactId === wanted && ws) return;
      wanted = contactId;
      if (timer) clearTimeout(timer);
      if (ws && ws.readyState === WebSocket.OPEN && contactId) {
        ws.send(JSON.stringify({ type: 'subscribe', contactIds: [contactId] }));
        return;
      }
      if (ws) {
        const old = ws;
        ws = null;
        old.close();
      }
      if (contactId) connect();
      else status('offline');
    },
  };
})();

// ------------------------------------------------------------------ contact picker

async function fillContactList(): Promise<void> {
  try {
    const { bots } = await api.bots();
    const list = $('contact-list');
    list.textContent = '';
    for (const bot of bots.slice(0, 5)) {
      const { contacts } = await api.contacts(bot.id);
      for (const c of contacts) {
        const option = h('option');
        option.value = c.id;
        option.label = `${c.name ?? 'unnamed'} · ${c.state} · ${bot.name}`;
        list.append(option);
      }
    }
  } catch {
    // The picker is a convenience: typing an id works without it.
  }
}

// ------------------------------------------------------------------ wiring

function start(): void {
  const { contact } = readHash();
  syncWhatIfFields();
  $('contact-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = $<HTMLInputElement>('contact-input').value.trim();
    if (!id) return showError('enter a contact id');
    if (!tokenStore.get()) return askToken();
    void loadContact(id);
  });
  $('token-form').addEventListener('submit', () => {
    const token = $<HTMLInputElement>('token-input').value.trim();
    if (!token) return;
    tokenStore.set(token);
    $<HTMLInputElement>('token-input').value = '';
    showError(null);
    void boot(state.contactId ?? $<HTMLInputElement>('contact-input').value.trim() ?? null);
  });
  $('token-cancel').addEventListener('click', () => $<HTMLDialogElement>('token-dialog').close());
  $('token-button').addEventListener('click', askToken);
  $('step-back').addEventListener('click', () => step(-1));
  $('step-forward').addEventListener('click', () => step(1));
  $('go-now').addEventListener('click', () => select('now'));
  $('zoom-fit').addEventListener('click', () => {
    state.zoom = 'fit';
    render();
  });
  $('zoom-100').addEventListener('click', () => {
    state.zoom = 1;
    render();
  });
  $('whatif-type').addEventListener('change', syncWhatIfFields);
  $('whatif-form').addEventListener('submit', (e) => void submitWhatIf(e));
  $('whatif-clear').addEventListener('click', () => {
    state.whatIf = null;
    render();
  });
  $('export-button').addEventListener('click', () => void exportHistory());
  $<HTMLInputElement>('import-input').addEventListener(
    'change',
    (e) => void importHistory(e.target as HTMLInputElement),
  );
  $('leave-import').addEventListener('click', () => {
    state.importedText = null;
    state.timeline = null;
    const id = $<HTMLInputElement>('contact-input').value.trim();
    render();
    if (id && state.timeline === null) void loadContact(id);
  });
  window.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement | null;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
      e.preventDefault();
      step(-1);
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') {
      e.preventDefault();
      step(1);
    }
  });
  window.addEventListener('hashchange', () => {
    const { contact: next } = readHash();
    if (next && next !== state.contactId) void loadContact(next);
  });
  void boot(contact);
}

async function boot(contact: string | null): Promise<void> {
  if (!tokenStore.get()) {
    render();
    askToken();
    if (contact) $<HTMLInputElement>('contact-input').value = contact;
    return;
  }
  try {
    await ensureGraph();
    render();
    void fillContactList();
    if (contact) await loadContact(contact);
  } catch (error) {
    handleError(error);
  }
}

declare global {
  interface Window {
    /** For tests and the curious: the page's state. */
    __viz?: PageState;
  }
}
window.__viz = state;

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
