/**
 * The Response Info panel for one contact: state; every scheduled follow-up with due times
 * in the business and contact zones, scenario, step, channel and switching reason, message
 * mode and what triggered it; the history of sent / cancelled / skipped follow-ups with
 * reasons; the conversation; and the operator's actions. Re-read on every live event for
 * this contact; the composer is kept across refreshes so typing is never lost.
 */
import { ARMING_STATES } from '../../machines/vocabulary.ts';
import {
  api,
  ApiError,
  type FollowUp,
  type Message,
  type PendingFollowUp,
  type Prediction,
  type ResponseInfo,
  type Trigger,
} from './api.ts';
import { h, placeholders, replace, throttle } from './dom.ts';
import {
  bothZones,
  CHANNEL_LABELS,
  LANGUAGE_LABELS,
  contactName,
  fromZonedInput,
  operatorMessage,
  reasonLabel,
  relative,
  SCENARIO_LABELS,
  shortTime,
  stateBadge,
  toZonedInput,
} from './format.ts';
import { reviewCard } from './review.ts';
import type { Ctx } from './view.ts';

export class ContactPanel {
  readonly el: HTMLElement;
  private info: ResponseInfo | null = null;
  private readonly header = h('div', { className: 'panel-header' }, placeholders(1, 'panel-loading'));
  private readonly banner = h('div', { className: 'panel-banners' });
  private readonly actions = h('div', { className: 'actions', testid: 'contact-actions' });
  private readonly pending = h(
    'section',
    { className: 'card', testid: 'pending-section' },
    placeholders(2, 'panel-loading'),
  );
  private readonly history = h('section', { className: 'card', testid: 'history-section' });
  private readonly conversation = h('div', { className: 'conversation', testid: 'conversation' });
  private readonly extras = h('div', { className: 'extras' });
  private readonly error = h('p', { className: 'error', testid: 'panel-error', hidden: true });
  private readonly composerText = h('textarea', {
    testid: 'composer-text',
    rows: 2,
    placeholder: 'Write to the contact…',
    'aria-label': 'Message to the contact',
    maxlength: 4000,
  });
  private disposed = false;
  private loading = 0;
  /** Follow-ups cancelled in the console whose undo window is still open: not shown. */
  private readonly undoing = new Set<string>();
  /** A stop-all or mark-booked waiting for its undo window to close. */
  private pendingSignal: 'stop' | 'booked' | null = null;
  readonly refreshSoon = throttle(() => void this.load(), 200);

  constructor(
    private readonly ctx: Ctx,
    private readonly contactId: string,
    private readonly back: () => void,
  ) {
    const composer = h(
      'form',
      { className: 'composer', testid: 'composer', onsubmit: (e: Event) => e.preventDefault() },
      this.composerText,
      h(
        'div',
        { className: 'row' },
        h(
          'button',
          {
            type: 'button',
            testid: 'send-as-operator',
            title: 'You take over: follow-ups pause until you hand back or the contact writes',
            onclick: () => this.send('operator'),
          },
          'Send as operator (take over)',
        ),
        h(
          'button',
          { type: 'button', className: 'ghost', testid: 'send-as-bot', onclick: () => this.send('bot') },
          'Send as bot',
        ),
      ),
    );
    this.el = h(
      'article',
      { className: 'contact-panel', testid: 'contact-panel', 'data-contact-id': contactId },
      this.header,
      this.error,
      this.banner,
      this.actions,
      this.pending,
      h('section', { className: 'card' }, h('h3', {}, 'Conversation'), this.conversation, composer),
      this.history,
      this.extras,
    );
    void this.load();
  }

  dispose(): void {
    this.disposed = true;
    this.refreshSoon.cancel();
  }

  private async load(): Promise<void> {
    const request = ++this.loading;
    try {
      const info = await api.info(this.contactId);
      if (this.disposed || request !== this.loading) return;
      this.info = info;
      this.error.hidden = true;
      this.render(info);
    } catch (error) {
      if (this.disposed || request !== this.loading) return;
      this.error.hidden = false;
      this.error.textContent =
        error instanceof ApiError && error.status === 404
          ? 'This contact does not exist or is not one of your bots’ contacts.'
          : operatorMessage(error);
    }
  }

  private async act(label: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
      this.ctx.toast(label);
      await this.load();
    } catch (error) {
      this.ctx.toast(operatorMessage(error), 'error');
    }
  }

  /** Cancel now on screen, on the server when the undo toast closes. */
  private cancelWithUndo(f: PendingFollowUp): void {
    this.undoing.add(f.id);
    if (this.info) this.render(this.info);
    this.ctx.undoable({
      message: `${SCENARIO_LABELS[f.scenario] ?? f.scenario} follow-up cancelled`,
      commit: async () => {
        try {
          await api.cancelFollowUp(f.id);
        } catch (error) {
          this.ctx.toast(`The follow-up was not cancelled: ${operatorMessage(error)}`, 'error');
        }
        this.undoing.delete(f.id);
        if (!this.disposed) await this.load();
      },
      restore: () => {
        this.undoing.delete(f.id);
        if (this.info && !this.disposed) this.render(this.info);
      },
    });
  }

  /** Stop-all and mark-booked: shown as waiting, sent when the undo toast closes. */
  private signalWithUndo(action: 'stop' | 'booked', message: string): void {
    this.pendingSignal = action;
    if (this.info) this.render(this.info);
    this.ctx.undoable({
      message,
      commit: async () => {
        try {
          await api.signal(this.contactId, action);
        } catch (error) {
          this.ctx.toast(operatorMessage(error), 'error');
        }
        this.pendingSignal = null;
        if (!this.disposed) await this.load();
      },
      restore: () => {
        this.pendingSignal = null;
        if (this.info && !this.disposed) this.render(this.info);
      },
    });
  }

  private send(sender: 'bot' | 'operator'): void {
    const text = this.composerText.value.trim();
    if (!text) {
      this.ctx.toast('Write a message first', 'error');
      this.composerText.focus();
      return;
    }
    void this.act(
      sender === 'operator' ? 'Sent — you have taken over this conversation' : 'Sent as the bot',
      async () => {
        await api.send(this.contactId, text, sender);
        this.composerText.value = '';
      },
    );
  }

  private render(info: ResponseInfo): void {
    contactZone = info.zones.contact;
    const now = Date.parse(info.now ?? '') || Date.now();
    const c = info.contact;
    replace(
      this.header,
      h('button', { type: 'button', className: 'ghost back', testid: 'panel-back', onclick: this.back }, '‹ Contacts'),
      h('h2', { testid: 'contact-name' }, contactName(c)),
      stateBadge(info.state, this.visiblePending(info).length, 'contact-state'),
      h(
        'dl',
        { className: 'facts' },
        fact('Phone', c.phone),
        fact('SMS consent', smsConsentText(info.smsConsent), 'contact-sms-consent'),
        fact('Email', c.email),
        fact(
          'Contact zone',
          `${info.zones.contact} (${info.zones.contactZoneSource === 'contact' ? 'given' : info.zones.contactZoneSource === 'phone' ? 'from phone number' : 'business zone'})`,
        ),
        fact('Business zone', info.zones.business),
        fact(
          'Channel',
          `${CHANNEL_LABELS[c.lastChannel] ?? c.lastChannel}${c.lastChannel === 'livechat' ? ` · widget ${info.presence}` : ''}`,
        ),
        fact(
          'Language',
          c.language
            ? `${LANGUAGE_LABELS[c.language] ?? c.language} — built-in follow-ups are written in it`
            : 'not known yet — built-in follow-ups are in English',
          'contact-language',
        ),
        fact('Tags', c.tags.length ? c.tags.join(', ') : null, 'contact-tags'),
        fact('Assigned to', c.assignedUser, 'contact-assigned'),
      ),
      h(
        'a',
        { href: info.links.visualizer, className: 'viz-link', testid: 'viz-link' },
        'Open in the state-machine visualizer ↗',
      ),
    );

    const banners: HTMLElement[] = [];
    if (info.humanActive)
      banners.push(
        h(
          'p',
          { className: 'banner warn', testid: 'banner-human' },
          'A human operator has taken over: follow-ups are paused until you hand back or the contact writes.',
        ),
      );
    if (!info.bot.active)
      banners.push(
        h('p', { className: 'banner warn' }, 'This bot is inactive: nothing is sent (due follow-ups are skipped).'),
      );
    if (info.scenario && info.bot.scenarioEnabled === false)
      banners.push(
        h(
          'p',
          { className: 'banner warn' },
          `The ${SCENARIO_LABELS[info.scenario]} scenario is disabled for this bot.`,
        ),
      );
    if (info.context.cadenceComplete)
      banners.push(
        h(
          'p',
          { className: 'banner' },
          `Cadence complete (${SCENARIO_LABELS[info.context.cadenceComplete] ?? info.context.cadenceComplete}): no further follow-up until something happens.`,
        ),
      );
    if (info.context.bookingLinkSent)
      banners.push(h('p', { className: 'banner ok', testid: 'banner-booking-link' }, 'Booking link sent.'));
    if (this.pendingSignal) {
      banners.push(
        h(
          'p',
          { className: 'banner warn', testid: 'banner-pending-signal' },
          this.pendingSignal === 'stop'
            ? 'Stopping all follow-ups… (Undo in the message at the bottom of the screen)'
            : 'Marking as booked… (Undo in the message at the bottom of the screen)',
        ),
      );
    }
    const review = c.review;
    const held = reviewCard(this.ctx, {
      contactId: this.contactId,
      review,
      text: review ? (info.conversation.messages.find((m) => m.id === review.messageId)?.text ?? null) : null,
      zone: info.zones.contact,
      onDecided: () => void this.load(),
    });
    if (held) banners.unshift(held);
    replace(this.banner, banners);

    const button = (label: string, testid: string, run: () => Promise<unknown>, className = 'ghost') =>
      h('button', { type: 'button', className, testid, onclick: () => void this.act(label, run) }, label);
    replace(
      this.actions,
      info.humanActive || (ARMING_STATES as readonly string[]).includes(info.state)
        ? button(
            info.humanActive ? 'Hand back to the bot (resume)' : 'Restart follow-ups from now',
            'action-handback',
            () => api.signal(this.contactId, 'handback'),
          )
        : null,
      info.state !== 'booked'
        ? h(
            'button',
            {
              type: 'button',
              className: 'ghost',
              testid: 'action-booked',
              disabled: this.pendingSignal !== null,
              onclick: () => this.signalWithUndo('booked', 'Marked as booked: follow-ups stop'),
            },
            'Mark booked',
          )
        : button('Booking cancelled', 'action-booking-cancelled', () =>
            api.signal(this.contactId, 'booking-cancelled'),
          ),
      info.state !== 'stopped'
        ? h(
            'button',
            {
              type: 'button',
              className: 'danger',
              testid: 'action-stop',
              disabled: this.pendingSignal !== null,
              onclick: () => this.signalWithUndo('stop', 'All follow-ups stopped for this contact'),
            },
            'Stop all follow-ups',
          )
        : button('Opt back in', 'action-optin', () => api.signal(this.contactId, 'opt-in')),
    );
    const pendingShown = this.visiblePending(info);

    replace(
      this.pending,
      h('h3', {}, 'Scheduled follow-ups'),
      pendingShown.length
        ? pendingShown.map((f) => this.pendingCard(f, info, now))
        : h('p', { className: 'muted', testid: 'no-pending' }, nothingScheduled(info)),
      info.botSilenceTimer
        ? h(
            'p',
            { className: 'muted small', testid: 'bot-silence' },
            `Bot-silence timer: ${info.botSilenceTimer.dueInBusinessZone?.local ?? shortTime(info.botSilenceTimer.dueAt)} — ${info.botSilenceTimer.meaning}.`,
          )
        : null,
    );

    const atBottom = this.conversation.scrollHeight - this.conversation.scrollTop - this.conversation.clientHeight < 40;
    replace(
      this.conversation,
      info.conversation.truncated ? h('p', { className: 'muted small' }, 'Older messages are not shown.') : null,
      info.conversation.messages.length
        ? info.conversation.messages.map((m) => message(m))
        : h('p', { className: 'muted' }, 'No messages yet.'),
    );
    if (atBottom || !this.conversation.dataset.scrolled) {
      this.conversation.scrollTop = this.conversation.scrollHeight;
      this.conversation.dataset.scrolled = '1';
    }

    replace(
      this.history,
      h('h3', {}, 'History'),
      info.history.length
        ? h(
            'ol',
            { className: 'history' },
            info.history.map((f) => historyItem(f)),
          )
        : h('p', { className: 'muted' }, 'No follow-up has been sent, cancelled or skipped yet.'),
    );

    replace(
      this.extras,
      info.appointments.length
        ? h(
            'section',
            { className: 'card', testid: 'appointments' },
            h('h3', {}, 'Appointments'),
            h(
              'ul',
              {},
              info.appointments.map((a) =>
                h(
                  'li',
                  {},
                  `${a.event}${a.startsAt ? ` · ${shortTime(a.startsAt)}` : ''}${a.title ? ` · ${a.title}` : ''} (received ${shortTime(a.receivedAt)})`,
                ),
              ),
            ),
          )
        : null,
      info.notifications.length
        ? h(
            'section',
            { className: 'card' },
            h('h3', {}, 'Notifications'),
            h(
              'ul',
              {},
              info.notifications.map((n) =>
                h(
                  'li',
                  {},
                  `${shortTime(n.at)} · ${n.message ?? n.type}${n.userId ? ` → ${n.userId}` : ''}${n.delivery ? ` · webhook ${n.delivery.status}` : ''}`,
                ),
              ),
            ),
          )
        : null,
      h(
        'details',
        { className: 'card', testid: 'event-log' },
        h('summary', {}, `Event log (${info.transitions.total})`),
        info.historyPruned
          ? h('p', { className: 'muted', testid: 'history-pruned' }, prunedNote(info.historyPruned))
          : null,
        h(
          'ol',
          { className: 'log' },
          info.transitions.entries.map((t) =>
            h(
              'li',
              {},
              h('code', {}, t.event.type),
              ` ${t.from} → ${t.to}`,
              h('span', { className: 'muted' }, ` · ${shortTime(t.at)}`),
            ),
          ),
        ),
      ),
    );
  }

  /** " — log only, not sent" for a channel that does not really send on this server. */
  private logOnly(channel: string): string {
    const modes = this.ctx.me.channels;
    if (!modes) return '';
    if (channel === 'sms' && modes.sms === 'log') return ' — log only: written to the server log, not sent to a phone';
    if ((channel === 'facebook' || channel === 'instagram' || channel === 'whatsapp') && !modes[channel])
      return ' — not connected: not sent';
    return '';
  }

  /** The pending follow-ups minus those the operator is cancelling (or all, while a stop waits). */
  private visiblePending(info: ResponseInfo): PendingFollowUp[] {
    if (this.pendingSignal) return [];
    return info.pendingFollowUps.filter((f) => !this.undoing.has(f.id));
  }

  private pendingCard(f: PendingFollowUp, info: ResponseInfo, now: number): HTMLElement {
    const p = f.prediction;
    const zone = info.zones.business;
    const when = h('input', {
      type: 'datetime-local',
      testid: 'reschedule-at',
      'aria-label': `New time (${zone})`,
      value: toZonedInput(f.dueAt, zone),
    });
    return h(
      'div',
      {
        className: 'followup',
        testid: 'followup-pending',
        'data-followup-id': f.id,
        'data-scenario': f.scenario,
        'data-step': f.step,
      },
      h(
        'div',
        { className: 'followup-title' },
        h('strong', {}, `${SCENARIO_LABELS[f.scenario] ?? f.scenario} · step ${f.step} of ${f.stepsInCadence}`),
        h('span', { className: 'muted' }, ` ${relative(f.dueAt, now)}`),
      ),
      h(
        'dl',
        { className: 'facts' },
        fact('Due (business)', f.dueInBusinessZone?.local ?? shortTime(f.dueAt), 'followup-due-business'),
        fact('Due (contact)', f.dueInContactZone ? `${f.dueInContactZone.local}` : '—', 'followup-due-contact'),
        f.deferReason ? fact('Deferred', reasonLabel(f.deferReason)) : null,
        p.sendAt && p.sendAt !== p.dueAt
          ? fact(
              'Would go out',
              `${p.sendInContactZone?.local ?? shortTime(p.sendAt)} (${p.deferredBy.map(reasonLabel).join(', ')})`,
              'followup-send-at',
            )
          : null,
        fact(
          'Channel',
          `${CHANNEL_LABELS[p.channel] ?? p.channel}${p.switched ? ' (switched)' : ''}${this.logOnly(p.channel)} — ${p.channelReason}`,
          'followup-channel',
        ),
        p.alternative
          ? fact(
              'Otherwise',
              `${CHANNEL_LABELS[p.alternative.channel] ?? p.alternative.channel} — ${p.alternative.reason}`,
            )
          : null,
        fact(
          'Message',
          p.messageMode === 'custom'
            ? `custom: “${p.messagePreview ?? ''}”`
            : 'AI-written at send time; a built-in text in the contact’s language when no model is available',
          'followup-message',
        ),
        p.workflow.length ? fact('Workflow', p.workflow.map(describeAction).join('; ')) : null,
        p.outcome === 'skip' ? fact('Would be skipped', reasonLabel(p.skipReason), 'followup-skip') : null,
        f.actor ? fact('Changed by', f.actor) : null,
      ),
      triggerView(f.trigger),
      f.projected.length
        ? h(
            'p',
            { className: 'muted small', testid: 'followup-projected' },
            `If there is no reply: ${f.projected.map((x) => projectedText(x)).join('; ')}`,
          )
        : null,
      h(
        'div',
        { className: 'row followup-actions' },
        h(
          'button',
          {
            type: 'button',
            testid: 'followup-send-now',
            onclick: () => void this.act('Sending now', () => api.sendNow(f.id)),
          },
          'Send now',
        ),
        when,
        h(
          'button',
          {
            type: 'button',
            className: 'ghost',
            testid: 'followup-reschedule',
            onclick: () => {
              const at = when.value ? fromZonedInput(when.value, zone) : null;
              if (at === null) return this.ctx.toast('Pick a date and a time.', 'error');
              void this.act('Rescheduled', () => api.reschedule(f.id, new Date(at).toISOString()));
            },
          },
          'Reschedule',
        ),
        h('span', { className: 'small muted' }, zone),
        h(
          'button',
          {
            type: 'button',
            className: 'danger ghost',
            testid: 'followup-cancel',
            onclick: () => this.cancelWithUndo(f),
          },
          'Cancel',
        ),
      ),
    );
  }
}

/**
 * The open contact's zone: times the contact lived (their messages, the time they asked
 * for, what happened to their follow-ups) show its wall clock beside the business zone's.
 * One panel is open at a time; render() sets it.
 */
let contactZone: string | null = null;

/** The consent of a number typed into the widget: asked when, confirmed when and how. */
function smsConsentText(consent: ResponseInfo['smsConsent']): string | null {
  if (!consent) return null;
  if (consent.status === 'confirmed')
    return `confirmed ${shortTime(consent.confirmedAt)} (${consent.source === 'sms_yes' ? 'replied YES by SMS' : consent.source})`;
  return `asked ${shortTime(consent.requestedAt)}; no SMS until the number replies YES`;
}

function fact(label: string, value: string | null | undefined, testid?: string): HTMLElement[] | null {
  if (value === null || value === undefined || value === '') return null;
  return [h('dt', {}, label), h('dd', testid ? { testid } : {}, value)];
}

function nothingScheduled(info: ResponseInfo): string {
  if (info.state === 'stopped') return 'Nothing: the contact opted out. Nothing is sent until they opt back in.';
  if (info.state === 'booked')
    return 'Nothing: an appointment is booked. A new message from the contact resumes follow-ups.';
  if (info.humanActive) return 'Nothing: paused while a human operator handles the conversation.';
  if (info.state === 'active') return 'Nothing yet: the bot owes the contact a reply.';
  if (info.context.cadenceComplete) return 'Nothing: the cadence is complete.';
  return 'Nothing scheduled.';
}

function triggerView(trigger: Trigger | null): HTMLElement | null {
  if (!trigger) return null;
  const cls = trigger.classification;
  const parts = cls
    ? [
        cls.intent,
        cls.phrase ? `“${cls.phrase}”` : null,
        typeof cls.requestedAt === 'number'
          ? `→ ${bothZones(new Date(cls.requestedAt).toISOString(), contactZone)}`
          : null,
      ].filter(Boolean)
    : [];
  return h(
    'p',
    { className: 'trigger', testid: 'followup-trigger' },
    h('span', { className: 'muted' }, `Triggered by the ${trigger.from}’s message `),
    h('q', {}, trigger.text),
    parts.length ? h('span', { className: 'chip', testid: 'followup-trigger-class' }, parts.join(' ')) : null,
    h('span', { className: 'muted' }, ` · ${bothZones(trigger.at, contactZone)}`),
  );
}

function projectedText(p: Prediction): string {
  const when = p.sendInBusinessZone?.local ?? p.dueInBusinessZone?.local ?? shortTime(p.dueAt);
  return `step ${p.step} ${when} by ${CHANNEL_LABELS[p.channel] ?? p.channel}${p.outcome === 'skip' ? ` (skipped: ${reasonLabel(p.skipReason)})` : ''}`;
}

/** Dated when it happened: sent at its send time, cancelled or skipped when that was decided. */
function historyItem(f: FollowUp): HTMLElement {
  const when = f.status === 'sent' ? f.sentAt : (f.updatedAt ?? f.dueAt);
  return h(
    'li',
    { className: 'history-item', testid: 'history-item', 'data-status': f.status, 'data-reason': f.reason ?? '' },
    h('span', { className: `status-badge status-${f.status}` }, f.status),
    ` ${SCENARIO_LABELS[f.scenario] ?? f.scenario} · step ${f.step}`,
    h('span', { className: 'muted', testid: 'history-when' }, ` · ${bothZones(when, contactZone)}`),
    f.status !== 'sent' ? h('span', { className: 'muted small' }, ` (was due ${shortTime(f.dueAt)})`) : null,
    f.status === 'sent' && f.channel
      ? h(
          'div',
          { className: 'small' },
          `${CHANNEL_LABELS[f.channel] ?? f.channel}${f.channelReason ? ` — ${f.channelReason}` : ''}`,
        )
      : null,
    f.reason
      ? h('div', { className: 'small' }, `Reason: ${reasonLabel(f.reason)}${f.actor ? ` (by ${f.actor})` : ''}`)
      : null,
    f.trigger ? h('div', { className: 'small muted' }, `Trigger: “${f.trigger.text}”`) : null,
  );
}

function message(m: Message): HTMLElement {
  return h(
    'div',
    { className: `message from-${m.from}`, testid: 'message', 'data-from': m.from, 'data-message-id': m.id },
    h('div', { className: 'bubble' }, m.text),
    h(
      'div',
      { className: 'meta small muted' },
      `${m.from}${m.followUpId ? ' · follow-up' : ''} · ${CHANNEL_LABELS[m.channel] ?? m.channel} · ${bothZones(m.at, contactZone)}`,
      m.classification?.intent ? h('span', { className: 'chip' }, m.classification.intent) : null,
    ),
  );
}

function describeAction(a: { type: string; tag?: unknown; userId?: unknown; webhookUrl?: unknown }): string {
  switch (a.type) {
    case 'addTag':
      return `add tag “${a.tag}”`;
    case 'removeTag':
      return `remove tag “${a.tag}”`;
    case 'assignUser':
      return `assign to ${a.userId}`;
    case 'notifyUser':
      return `notify ${a.userId ?? 'the bot’s operators'}${a.webhookUrl ? ' + webhook' : ''}`;
    default:
      return a.type;
  }
}

/** One sentence saying what retention deleted of the history shown. */
function prunedNote(pruned: NonNullable<ResponseInfo['historyPruned']>): string {
  const parts = [
    pruned.transitionsThrough ? `events 1–${pruned.transitionsThrough}` : null,
    pruned.messagesBefore ? `messages before ${shortTime(pruned.messagesBefore)}` : null,
    pruned.followUpsBefore ? `finished follow-ups before ${shortTime(pruned.followUpsBefore)}` : null,
  ].filter(Boolean);
  return `History pruned by retention on ${shortTime(pruned.prunedAt)}: ${parts.join(', ')} deleted.`;
}
