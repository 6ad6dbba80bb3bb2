/**
 * The operator console: log in with a token, pick a bot, and move between Contacts (with
 * the Response Info panel), Forecast, Metrics, Bot Goals, Notifications and Settings.
 * Routes live in the URL hash (`#/contacts/<id>`), so a contact can be linked to.
 */
import { api, ApiError, setUnauthorizedHandler, tokenStore, type Me } from './api.ts';
import { contactsView } from './contacts.ts';
import { setBusinessZone } from './format.ts';
import { h, replace, throttle } from './dom.ts';
import { goalsView } from './goals.ts';
import { forecastView, metricsView, notificationsView } from './insights.ts';
import { LiveFeed, type LiveStatus } from './live.ts';
import { installView } from './install.ts';
import { newBotForm } from './newBot.ts';
import { settingsView } from './settings.ts';
import { UndoQueue } from './undo.ts';
import type { Ctx, View } from './view.ts';

const BOT_KEY = 'nudge.console.bot';
const root = document.getElementById('app') as HTMLElement;

const TABS = [
  ['contacts', 'Contacts'],
  ['forecast', 'Forecast'],
  ['metrics', 'Metrics'],
  ['goals', 'Bot Goals'],
  ['install', 'Install'],
  ['notifications', 'Notifications'],
  ['settings', 'Settings'],
] as const;

function showLogin(message?: string): void {
  const input = h('input', {
    type: 'password',
    testid: 'login-token',
    placeholder: 'nop_… or the admin token',
    autocomplete: 'current-password',
    required: true,
    'aria-label': 'Operator token',
  });
  const error = h('p', { className: 'error', testid: 'login-error', hidden: !message }, message ?? '');
  const submit = h('button', { type: 'submit', testid: 'login-submit' }, 'Log in');
  const form = h(
    'form',
    {
      className: 'login card',
      testid: 'login-form',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        submit.disabled = true;
        try {
          const me = await api.me(token);
          tokenStore.set(token);
          start(me, token);
        } catch (err) {
          error.hidden = false;
          error.textContent =
            err instanceof ApiError && err.status === 401
              ? 'That token is not valid.'
              : `Could not log in: ${(err as Error).message}`;
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h1', {}, 'Nudge console'),
    h('p', { className: 'muted' }, 'Paste your operator token. It is kept for this browser tab only (sessionStorage).'),
    input,
    submit,
    error,
  );
  replace(root, h('main', { className: 'login-page' }, form));
  input.focus();
}

let live: LiveFeed | null = null;
let undoQueue: UndoQueue | null = null;

function start(me: Me, token: string): void {
  live?.stop();
  if (me.bots.length === 0) {
    replace(
      root,
      h(
        'main',
        { className: 'login-page' },
        h(
          'div',
          { className: 'card', testid: 'no-bots' },
          h('h1', {}, 'No bots yet'),
          me.operator.admin
            ? [
                h('p', {}, 'Create your first bot: give it the business name your visitors will see.'),
                newBotForm((bot) => {
                  me.bots.push({ id: bot.id, name: bot.name });
                  sessionStorage.setItem(BOT_KEY, bot.id);
                  history.replaceState(null, '', '#/install');
                  start(me, token);
                }),
              ]
            : h('p', {}, 'An admin has not given you access to any bot yet.'),
          h('button', { type: 'button', className: 'ghost', onclick: logout }, 'Log out'),
        ),
      ),
    );
    return;
  }
  let botId = sessionStorage.getItem(BOT_KEY);
  if (!botId || !me.bots.some((b) => b.id === botId)) botId = me.bots[0].id;

  const status = h('span', { className: 'pill', testid: 'live-status', 'data-state': 'connecting' }, 'connecting');
  const badge = h('span', { className: 'badge', testid: 'notif-badge', hidden: true });
  const botSelect = h(
    'select',
    { testid: 'bot-select', 'aria-label': 'Bot' },
    me.bots.map((b) => h('option', { value: b.id, selected: b.id === botId }, b.name)),
  );
  const nav = h(
    'nav',
    { className: 'tabs' },
    TABS.map(([key, label]) =>
      h(
        'a',
        { href: `#/${key}`, testid: `nav-${key}`, 'data-tab': key },
        label,
        key === 'notifications' ? badge : null,
      ),
    ),
  );
  const toasts = h('div', { className: 'toasts', testid: 'toasts', 'aria-live': 'polite' });
  const main = h('main', { className: 'content' });
  replace(
    root,
    h(
      'header',
      { className: 'top' },
      h('strong', { className: 'brand' }, 'Nudge'),
      botSelect,
      nav,
      h('span', { className: 'spacer' }),
      status,
      h('span', { className: 'who muted small', testid: 'who' }, me.operator.name),
      h('button', { type: 'button', className: 'ghost small', testid: 'logout', onclick: logout }, 'Log out'),
    ),
    me.channels?.warnings.length
      ? h(
          'details',
          { className: 'channel-notice', testid: 'channel-notice', role: 'note' },
          // One short line ("SMS is in log-only mode · …"); the whole sentences when opened.
          h('summary', {}, me.channels.warnings.map((w) => w.split(':')[0]).join(' · ')),
          me.channels.warnings.map((w) => h('p', {}, `${w}.`)),
        )
      : null,
    main,
    toasts,
  );

  const toast = (message: string, kind: 'ok' | 'error' = 'ok') => {
    const t = h('div', { className: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
    toasts.appendChild(t);
    setTimeout(() => t.remove(), kind === 'error' ? 6000 : 3000);
  };
  undoQueue?.flush();
  const undo = (undoQueue = new UndoQueue(toasts));
  const refreshBadge = throttle(() => {
    api.notifications({ botId: botId!, limit: 1 }).then(
      ({ unread }) => {
        badge.hidden = unread === 0;
        badge.textContent = String(unread);
      },
      () => {
        /* the badge is a hint; the notifications page shows errors */
      },
    );
  }, 1000);

  let view: View | null = null;
  let viewKey = '';
  const ctx: Ctx = {
    me,
    botId,
    navigate: (hash) => {
      if (location.hash === hash) route();
      else location.hash = hash;
    },
    toast,
    undoable: (offer) => undo.offer(offer),
    refreshBadge: () => refreshBadge(),
    openBot: (bot, hash) => {
      if (!me.bots.some((b) => b.id === bot.id)) {
        me.bots.push(bot);
        botSelect.append(h('option', { value: bot.id }, bot.name));
      }
      botSelect.value = bot.id;
      switchBot(bot.id, hash);
    },
  };

  let currentHash = location.hash;
  /** Asks before a screen with unsaved edits is left; false keeps the operator where they are. */
  const mayLeave = () =>
    !view?.unsavedChanges?.() || confirm('You have unsaved Bot Goals changes. Leave without saving them?');
  addEventListener('beforeunload', (event) => {
    if (view?.unsavedChanges?.()) event.preventDefault();
  });

  function route(): void {
    const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
    const key = TABS.some(([k]) => k === parts[0]) ? parts[0] : 'contacts';
    if (view && key !== viewKey && !mayLeave()) {
      history.replaceState(null, '', currentHash || '#/');
      return;
    }
    currentHash = location.hash;
    for (const a of nav.querySelectorAll<HTMLElement>('[data-tab]'))
      a.classList.toggle('current', a.dataset.tab === key);
    if (view && key === viewKey && view.onRoute) {
      view.onRoute(parts);
      return;
    }
    view?.dispose?.();
    viewKey = key;
    view =
      key === 'forecast'
        ? forecastView(ctx)
        : key === 'metrics'
          ? metricsView(ctx)
          : key === 'goals'
            ? goalsView(ctx)
            : key === 'install'
              ? installView(ctx)
              : key === 'notifications'
                ? notificationsView(ctx)
                : key === 'settings'
                  ? settingsView(ctx)
                  : contactsView(ctx, parts[0] === 'contacts' && parts[1] ? decodeURIComponent(parts[1]) : null);
    replace(main, view.el);
  }

  // Times are shown in the bot's business zone: known before a screen renders.
  const loadZone = (id: string) =>
    api.bot(id).then(
      (bot) => setBusinessZone(bot.config.timezone),
      () => setBusinessZone('UTC'),
    );
  function switchBot(id: string, hash = `#/${viewKey === 'contacts' ? 'contacts' : viewKey}`): void {
    if (!mayLeave()) {
      botSelect.value = ctx.botId;
      return;
    }
    botId = id;
    sessionStorage.setItem(BOT_KEY, botId);
    ctx.botId = botId;
    view?.dispose?.();
    view = null;
    refreshBadge();
    void loadZone(botId).then(() => ctx.navigate(hash));
  }
  botSelect.addEventListener('change', () => switchBot(botSelect.value));
  window.onhashchange = route;

  live = new LiveFeed(token, (s: LiveStatus) => {
    status.dataset.state = s;
    status.textContent = s === 'live' ? 'live' : s === 'connecting' ? 'connecting…' : 'offline — reconnecting';
  });
  live.on((event) => {
    view?.onLive?.(event);
    refreshBadge();
  });
  live.start();
  void loadZone(botId).then(route);
  refreshBadge();
}

function logout(): void {
  undoQueue?.flush();
  live?.stop();
  live = null;
  tokenStore.clear();
  window.onhashchange = null;
  showLogin();
}

setUnauthorizedHandler(() => {
  if (!tokenStore.get()) return;
  live?.stop();
  live = null;
  tokenStore.clear();
  showLogin('Your session ended (the token was revoked or replaced). Log in again.');
});

async function boot(): Promise<void> {
  const token = tokenStore.get();
  if (!token) return showLogin();
  try {
    start(await api.me(token), token);
  } catch {
    tokenStore.clear();
    showLogin();
  }
}

void boot();
