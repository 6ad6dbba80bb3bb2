/** Forecast (what goes out next), metrics (what happened) and notifications. */
import { api, type Notification } from './api.ts';
import { h, replace, throttle, placeholders } from './dom.ts';
import { CHANNEL_LABELS, contactName, percent, reasonLabel, SCENARIO_LABELS, shortTime } from './format.ts';
import type { Ctx, View } from './view.ts';

export function forecastView(ctx: Ctx): View {
  const hours = h(
    'select',
    { testid: 'forecast-hours', 'aria-label': 'Window' },
    [24, 72, 168].map((n) =>
      h('option', { value: n, selected: n === 72 }, n === 168 ? 'next 7 days' : `next ${n} hours`),
    ),
  );
  const summary = h('div', { className: 'summary', testid: 'forecast-summary' });
  const table = h('div', { className: 'table-wrap' }, placeholders(3));
  const el = h(
    'div',
    { className: 'insight' },
    h('div', { className: 'bar' }, h('h2', {}, 'Forecast'), hours),
    summary,
    table,
  );
  const load = async () => {
    try {
      const f = await api.forecast(ctx.botId, Number(hours.value));
      replace(
        summary,
        h('span', {}, `${f.summary.sends} to send`),
        h('span', {}, `${f.summary.skips} would be skipped`),
        Object.entries(f.summary.byChannel).map(([channel, n]) =>
          h('span', {}, `${CHANNEL_LABELS[channel] ?? channel}: ${n}`),
        ),
        !f.botActive ? h('span', { className: 'warn' }, 'bot inactive') : null,
        f.truncated ? h('span', { className: 'warn' }, 'list truncated') : null,
      );
      replace(
        table,
        f.items.length === 0
          ? h('p', { className: 'muted', testid: 'forecast-empty' }, 'Nothing is due in this window.')
          : h(
              'table',
              { className: 'data' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['When (business)', 'When (contact)', 'Contact', 'Scenario', 'Channel', 'Outcome'].map((t) =>
                    h('th', {}, t),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                f.items.map((i) =>
                  h(
                    'tr',
                    {
                      testid: 'forecast-item',
                      'data-kind': i.kind,
                      'data-channel': i.channel,
                      className: i.kind === 'projected' ? 'projected' : '',
                    },
                    h(
                      'td',
                      {},
                      i.sendInBusinessZone?.local ?? '—',
                      i.sendAt !== i.dueAt
                        ? h(
                            'div',
                            { className: 'small muted' },
                            `due ${i.dueInBusinessZone?.local ?? ''} · ${i.deferredBy.map(reasonLabel).join(', ')}`,
                          )
                        : null,
                    ),
                    h(
                      'td',
                      {},
                      i.sendInContactZone?.local ?? '—',
                      h('div', { className: 'small muted' }, i.sendInContactZone?.zone ?? ''),
                    ),
                    h(
                      'td',
                      {},
                      i.contact
                        ? h('a', { href: `#/contacts/${encodeURIComponent(i.contact.id)}` }, contactName(i.contact))
                        : '—',
                    ),
                    h(
                      'td',
                      {},
                      `${SCENARIO_LABELS[i.scenario] ?? i.scenario} #${i.step}`,
                      i.kind === 'projected' ? h('div', { className: 'small muted' }, 'if no reply') : null,
                    ),
                    h(
                      'td',
                      {},
                      CHANNEL_LABELS[i.channel] ?? i.channel,
                      h('div', { className: 'small muted' }, i.channelReason),
                    ),
                    h(
                      'td',
                      {},
                      i.outcome === 'send'
                        ? i.messageMode === 'custom'
                          ? `custom: “${i.messagePreview}”`
                          : 'AI message'
                        : h('span', { className: 'warn' }, `skipped: ${reasonLabel(i.skipReason)}`),
                    ),
                  ),
                ),
              ),
            ),
      );
    } catch (error) {
      replace(table, h('p', { className: 'error' }, error instanceof Error ? error.message : String(error)));
    }
  };
  hours.addEventListener('change', () => void load());
  const live = throttle(() => void load(), 1000);
  void load();
  return { el, onLive: () => live(), dispose: () => live.cancel() };
}

export function metricsView(ctx: Ctx): View {
  const range = h(
    'select',
    { testid: 'metrics-range', 'aria-label': 'Range' },
    h('option', { value: '1' }, 'last 24 hours'),
    h('option', { value: '7', selected: true }, 'last 7 days'),
    h('option', { value: '30' }, 'last 30 days'),
  );
  const body = h('div', { testid: 'metrics-body' }, placeholders(2));
  const el = h(
    'div',
    { className: 'insight' },
    h(
      'div',
      { className: 'bar' },
      h('h2', {}, 'Metrics'),
      range,
      h(
        'a',
        { href: '/metrics', className: 'small', title: 'Prometheus text; needs the bearer token' },
        'Prometheus: /metrics',
      ),
    ),
    body,
  );
  const kv = (title: string, total: number, parts: Record<string, number>, label: (k: string) => string = (k) => k) =>
    h(
      'section',
      { className: 'card stat', testid: `metric-${title.toLowerCase()}` },
      h('h3', {}, title),
      h('p', { className: 'big' }, String(total)),
      h(
        'ul',
        {},
        Object.entries(parts).map(([k, n]) => h('li', {}, `${label(k)}: ${n}`)),
      ),
    );
  const load = async () => {
    try {
      // The server's clock decides "now" (the range end defaults to it).
      const days = Number(range.value);
      const probe = await api.metrics(ctx.botId);
      const to = probe.to;
      const m =
        days === 7
          ? probe
          : await api.metrics(ctx.botId, new Date(Date.parse(to) - days * 86_400_000).toISOString(), to);
      replace(
        body,
        h('p', { className: 'muted small' }, `${shortTime(m.from)} – ${shortTime(m.to)} · ${m.pendingNow} pending now`),
        h(
          'div',
          { className: 'stats' },
          kv('Armed', m.armed.total, m.armed.byScenario, (k) => SCENARIO_LABELS[k] ?? k),
          kv('Sent', m.sent.total, m.sent.byChannel, (k) => CHANNEL_LABELS[k] ?? k),
          kv('Skipped', m.skipped.total, m.skipped.byReason, reasonLabel),
          kv('Cancelled', m.cancelled.total, m.cancelled.byReason, reasonLabel),
        ),
        h(
          'section',
          { className: 'card' },
          h('h3', {}, 'Reply rate per step'),
          m.replyRate.length === 0
            ? h('p', { className: 'muted' }, 'No follow-up sent in this range.')
            : h(
                'table',
                { className: 'data', testid: 'reply-rates' },
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    ['Scenario', 'Step', 'Sent', 'Replied', 'Rate'].map((t) => h('th', {}, t)),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  m.replyRate.map((r) =>
                    h(
                      'tr',
                      {},
                      h('td', {}, SCENARIO_LABELS[r.scenario] ?? r.scenario),
                      h('td', {}, String(r.step)),
                      h('td', {}, String(r.sent)),
                      h('td', {}, String(r.replied)),
                      h('td', {}, percent(r.rate)),
                    ),
                  ),
                ),
              ),
        ),
      );
    } catch (error) {
      replace(body, h('p', { className: 'error' }, error instanceof Error ? error.message : String(error)));
    }
  };
  range.addEventListener('change', () => void load());
  const live = throttle(() => void load(), 2000);
  void load();
  return { el, onLive: () => live(), dispose: () => live.cancel() };
}

export function notificationsView(ctx: Ctx): View {
  const list = h('ul', { className: 'notifications', testid: 'notification-list' }, h('li', {}, placeholders(2)));
  const more = h(
    'button',
    { type: 'button', className: 'ghost', testid: 'notifications-more', hidden: true },
    'Older…',
  );
  const markAll = h('button', { type: 'button', testid: 'notifications-mark-read' }, 'Mark all read');
  const el = h(
    'div',
    { className: 'insight' },
    h('div', { className: 'bar' }, h('h2', {}, 'Notifications'), markAll),
    list,
    more,
  );
  let newest = 0;
  let before: number | null = null;
  const item = (n: Notification) =>
    h(
      'li',
      { className: `notification${n.unread ? ' unread' : ''}`, testid: 'notification-item', 'data-id': n.id },
      h(
        'div',
        {},
        h('strong', {}, n.message ?? (n.type === 'followup.sent' ? 'Follow-up sent' : n.type)),
        n.userId ? h('span', { className: 'chip' }, `for ${n.userId}`) : null,
      ),
      h(
        'div',
        { className: 'small muted' },
        `${shortTime(n.at)} · `,
        n.contactId
          ? h('a', { href: `#/contacts/${encodeURIComponent(n.contactId)}` }, n.contactName ?? n.contactId)
          : 'no contact',
        n.scenario ? ` · ${SCENARIO_LABELS[n.scenario] ?? n.scenario} #${n.step}` : '',
        n.delivery
          ? ` · webhook ${n.delivery.status} (${n.delivery.attempts} attempt${n.delivery.attempts === 1 ? '' : 's'})${n.delivery.lastError ? `: ${n.delivery.lastError}` : ''}`
          : '',
      ),
    );
  const load = async (append = false) => {
    try {
      const page = await api.notifications({ botId: ctx.botId, limit: 50, ...(append && before ? { before } : {}) });
      if (!append) {
        replace(
          list,
          page.notifications.length
            ? page.notifications.map(item)
            : h(
                'li',
                { className: 'muted' },
                'No notifications yet. Add a notifyUser action to a scenario in Bot Goals.',
              ),
        );
        newest = page.notifications[0]?.id ?? 0;
      } else {
        for (const n of page.notifications) list.appendChild(item(n));
      }
      before = page.nextBefore;
      more.hidden = before === null;
    } catch (error) {
      replace(list, h('li', { className: 'error' }, error instanceof Error ? error.message : String(error)));
    }
  };
  more.addEventListener('click', () => void load(true));
  markAll.addEventListener('click', async () => {
    if (newest) await api.markRead(newest);
    ctx.refreshBadge();
    await load();
  });
  const live = throttle(() => void load(), 1000);
  void load();
  return { el, onLive: () => live(), dispose: () => live.cancel() };
}
