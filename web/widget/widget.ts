/**
 * Entry point of /widget.js. A business embeds it with one tag:
 *
 *   <script src="https://nudge.example/widget.js" data-bot-key="wk_…" async></script>
 *
 * The script finds its own tag, derives the chat server from its own `src`, and mounts
 * the widget in a shadow root on a host element appended to <body>.
 * Optional attributes: data-title (panel heading), data-bot-name (how replies are
 * announced to screen readers), data-color (accent, #rrggbb), data-open="true".
 */
import { ChatClient, type KeyValueStore, type SocketLike } from './chatClient.ts';
import { mountWidget, type WidgetUi } from './ui.ts';

interface NudgeWidgetApi {
  open(): void;
  close(): void;
  status(): string;
}

declare global {
  interface Window {
    NudgeWidget?: NudgeWidgetApi;
  }
}

function findOwnScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.botKey) return current;
  // Fallback (e.g. when loaded by a tag manager): the last widget tag with a key.
  const tags = document.querySelectorAll<HTMLScriptElement>('script[data-bot-key][src*="widget.js"]');
  return tags.length ? tags[tags.length - 1] : null;
}

function safeLocalStorage(): Storage | null {
  try {
    const s = window.localStorage;
    const probe = '__nudge_probe__';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null; // blocked (privacy mode, sandboxed iframe): the chat still works for this page view
  }
}

function countryFromLocale(): string | undefined {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const region = tag?.split('-')[1];
    if (region && /^[A-Za-z]{2}$/.test(region)) return region.toUpperCase();
  }
  return undefined;
}

function start(): void {
  const script = findOwnScript();
  const botKey = script?.dataset.botKey?.trim();
  if (!script || !botKey) {
    console.error('[nudge] widget.js needs a data-bot-key attribute on its <script> tag');
    return;
  }
  if (document.getElementById('nudge-widget')) return; // included twice: keep the first

  const server = new URL(script.src, location.href);
  // The key goes in `hello`, not the URL: a handshake refused with HTTP 403 is invisible to
  // the page, while a refusal after hello arrives as an error frame and close code 4403/4404.
  const wsUrl = `${server.protocol === 'https:' ? 'wss:' : 'ws:'}//${server.host}/ws/chat`;
  const storage = safeLocalStorage();
  const country = countryFromLocale();

  const client = new ChatClient({
    url: wsUrl,
    botKey,
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    storage: storage as KeyValueStore | null,
    ...(country ? { country } : {}),
  });

  let ui: WidgetUi | null = null;
  const mount = () => {
    const host = document.createElement('div');
    host.id = 'nudge-widget';
    host.dataset.testid = 'nudge-widget';
    document.body.append(host);
    ui = mountWidget(host, client, {
      botKey,
      title: script.dataset.title?.trim() || 'Chat with us',
      botName: script.dataset.botName?.trim() || 'Assistant',
      ...(script.dataset.color ? { accentColor: script.dataset.color } : {}),
      storage,
    });
    if (script.dataset.open === 'true') ui.open();
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });

  client.start();
  window.addEventListener('online', () => client.reconnectNow());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') client.reconnectNow();
  });

  window.NudgeWidget = {
    open: () => ui?.open(),
    close: () => ui?.close(),
    status: () => client.status,
  };
}

start();
