/**
 * The widget's DOM: a chat bubble that opens a panel, all inside a shadow root. Built for
 * keyboard and screen-reader use: the conversation is an aria-live log, every control
 * has a label, focus moves into the panel on open and back to the bubble on close, Esc
 * closes. Elements carry stable ids and `data-testid`s (listed in docs/protocol.md).
 */
import type { ChatClient, ChatItem, ConnectionStatus, UnavailableReason } from './chatClient.ts';
import { WIDGET_CSS } from './styles.ts';

export interface WidgetUiOptions {
  botKey: string;
  /** Panel heading. */
  title: string;
  /** How bot messages are introduced to screen readers. */
  botName: string;
  accentColor?: string;
  storage: Storage | null;
}

export interface WidgetUi {
  open(): void;
  close(): void;
  isOpen(): boolean;
  destroy(): void;
}

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
const SEND_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M3 20.5 21 12 3 3.5l.01 6.6L15 12 3.01 13.9z"/></svg>';

const STATUS_TEXT: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  online: 'Online',
  offline: 'Reconnecting…',
  unavailable: 'Chat is unavailable right now.',
};

/** What the visitor reads when the server refused this page for good (not a network blip). */
const REFUSED_TEXT: Record<UnavailableReason, string> = {
  origin: 'This site is not allowed to use this chat.',
  key: 'This chat is not set up correctly (unknown widget key).',
};

type Attrs = Record<string, string | boolean | undefined>;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') node.className = String(value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) node.append(child);
  return node;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** Text with http(s) links made clickable, built from text nodes only (never innerHTML). */
function linkified(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    const start = match.index ?? 0;
    if (start > last) fragment.append(text.slice(last, start));
    const a = el('a', { href: match[0], target: '_blank', rel: 'noopener noreferrer' }, match[0]);
    fragment.append(a);
    last = start + match[0].length;
  }
  if (last < text.length) fragment.append(text.slice(last));
  return fragment;
}

function timeLabel(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

function storageGet(storage: Storage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}
function storageSet(storage: Storage | null, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // blocked storage only costs us remembering UI state
  }
}

export function mountWidget(host: HTMLElement, client: ChatClient, options: WidgetUiOptions): WidgetUi {
  const root = host.attachShadow({ mode: 'open' });
  const prefix = `nudge:v1:${options.botKey}`;
  const seenKey = `${prefix}:seenSeq`;
  const contactKey = `${prefix}:contactForm`; // "saved" | "dismissed"

  const style = el('style');
  style.textContent = WIDGET_CSS;
  if (options.accentColor && /^#[0-9a-f]{3,8}$/i.test(options.accentColor)) {
    style.textContent += `:host { --nudge-accent: ${options.accentColor}; }`;
  }

  // ---- structure ----------------------------------------------------------------------
  const badge = el('span', { class: 'badge', 'data-testid': 'nudge-unread', 'aria-hidden': 'true', hidden: true });
  const bubble = el('button', {
    type: 'button',
    id: 'nudge-bubble',
    class: 'bubble',
    'data-testid': 'nudge-bubble',
    'aria-label': 'Open chat',
    'aria-expanded': 'false',
    'aria-controls': 'nudge-panel',
  });
  bubble.innerHTML = CHAT_ICON; // static markup, no user data
  bubble.append(badge);

  const title = el('h2', { id: 'nudge-title' }, options.title);
  const status = el(
    'p',
    { id: 'nudge-status', class: 'status', 'data-testid': 'nudge-status', role: 'status' },
    STATUS_TEXT[client.status],
  );
  const contactToggle = el(
    'button',
    {
      type: 'button',
      id: 'nudge-contact-toggle',
      'data-testid': 'nudge-contact-toggle',
      'aria-expanded': 'false',
      'aria-controls': 'nudge-contact-form',
    },
    'Text me',
  );
  const closeButton = el(
    'button',
    { type: 'button', id: 'nudge-close', class: 'close', 'data-testid': 'nudge-close', 'aria-label': 'Close chat' },
    '×',
  );
  const header = el(
    'div',
    { class: 'header' },
    el('div', { class: 'titles' }, title, status),
    contactToggle,
    closeButton,
  );

  const empty = el(
    'li',
    { class: 'empty', 'data-testid': 'nudge-empty' },
    'Ask us anything. We usually reply right away.',
  );
  const log = el('ol', {
    id: 'nudge-log',
    class: 'log',
    'data-testid': 'nudge-log',
    role: 'log',
    'aria-live': 'polite',
    'aria-relevant': 'additions',
    'aria-label': 'Conversation',
    tabindex: '0',
  });
  log.append(empty);

  const typing = el(
    'p',
    { id: 'nudge-typing', class: 'typing', 'data-testid': 'nudge-typing', hidden: true },
    `${options.botName} is typing…`,
  );

  // Optional name + phone, so follow-ups can switch to SMS when the visitor leaves.
  const nameInput = el('input', {
    id: 'nudge-contact-name',
    'data-testid': 'nudge-contact-name',
    name: 'name',
    autocomplete: 'name',
    maxlength: '100',
  });
  const phoneInput = el('input', {
    id: 'nudge-contact-phone',
    'data-testid': 'nudge-contact-phone',
    name: 'phone',
    type: 'tel',
    autocomplete: 'tel',
    inputmode: 'tel',
    maxlength: '40',
    'aria-describedby': 'nudge-contact-hint nudge-contact-error',
  });
  const contactError = el('p', {
    id: 'nudge-contact-error',
    class: 'error',
    'data-testid': 'nudge-contact-error',
    role: 'alert',
    hidden: true,
  });
  const contactSave = el('button', { type: 'submit', class: 'primary', 'data-testid': 'nudge-contact-save' }, 'Save');
  const contactSkip = el(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'nudge-contact-skip' },
    'No thanks',
  );
  const contactForm = el(
    'form',
    {
      id: 'nudge-contact-form',
      class: 'contact',
      'data-testid': 'nudge-contact-form',
      'aria-labelledby': 'nudge-contact-intro',
      novalidate: true,
      hidden: true,
    },
    el(
      'p',
      { id: 'nudge-contact-intro' },
      'Optional: leave your name and mobile number and we can text you if you step away.',
    ),
    el('label', { for: 'nudge-contact-name' }, 'Name'),
    nameInput,
    el('label', { for: 'nudge-contact-phone' }, 'Mobile number'),
    phoneInput,
    el('p', { id: 'nudge-contact-hint', class: 'hint' }, 'With country code, e.g. +1 415 555 2671.'),
    contactError,
    el('div', { class: 'actions' }, contactSave, contactSkip),
  );
  const contactDone = el('p', {
    class: 'contact-done',
    'data-testid': 'nudge-contact-done',
    role: 'status',
    hidden: true,
  });

  const input = el('textarea', {
    id: 'nudge-input',
    'data-testid': 'nudge-input',
    rows: '1',
    maxlength: String(client.maxTextLength),
    placeholder: 'Type your message…',
    'aria-label': 'Message',
    'aria-describedby': 'nudge-counter',
    enterkeyhint: 'send',
  });
  const sendButton = el('button', {
    type: 'submit',
    id: 'nudge-send',
    class: 'send',
    'data-testid': 'nudge-send',
    'aria-label': 'Send message',
  });
  sendButton.innerHTML = SEND_ICON; // static markup
  const composer = el(
    'form',
    { id: 'nudge-composer', class: 'composer', 'data-testid': 'nudge-composer', 'aria-label': 'Send a message' },
    input,
    sendButton,
  );
  const counter = el('p', { id: 'nudge-counter', class: 'counter', 'data-testid': 'nudge-counter', hidden: true });

  const panel = el(
    'section',
    {
      id: 'nudge-panel',
      class: 'panel',
      'data-testid': 'nudge-panel',
      role: 'dialog',
      'aria-modal': 'false',
      'aria-labelledby': 'nudge-title',
      hidden: true,
    },
    header,
    log,
    typing,
    contactForm,
    contactDone,
    counter,
    composer,
  );

  root.append(style, bubble, panel);

  // ---- open / close -------------------------------------------------------------------
  function isOpen(): boolean {
    return !panel.hidden;
  }

  function open(): void {
    if (isOpen()) return;
    panel.hidden = false;
    panel.setAttribute('aria-modal', fullScreen?.matches ? 'true' : 'false');
    bubble.setAttribute('aria-expanded', 'true');
    bubble.setAttribute('aria-label', 'Close chat');
    host.dataset.open = 'true';
    markSeen();
    scrollToEnd();
    input.focus();
  }

  function close(): void {
    if (!isOpen()) return;
    panel.hidden = true;
    bubble.setAttribute('aria-expanded', 'false');
    host.dataset.open = 'false';
    updateBadge();
    bubble.focus();
  }

  bubble.addEventListener('click', () => (isOpen() ? close() : open()));
  closeButton.addEventListener('click', close);

  // On a phone the panel covers the whole page, so it behaves as a modal: Tab wraps inside it.
  const fullScreen = typeof matchMedia === 'function' ? matchMedia('(max-width: 480px)') : null;
  function focusables(): HTMLElement[] {
    return Array.from(panel.querySelectorAll<HTMLElement>('button, input, textarea, a[href], [tabindex="0"]')).filter(
      (node) => !node.closest('[hidden]') && !(node as HTMLButtonElement).disabled,
    );
  }
  panel.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      close();
      return;
    }
    if (ev.key !== 'Tab' || !fullScreen?.matches) return;
    const list = focusables();
    const first = list[0];
    const last = list[list.length - 1];
    if (!first || !last) return;
    if (ev.shiftKey && root.activeElement === first) {
      ev.preventDefault();
      last.focus();
    } else if (!ev.shiftKey && root.activeElement === last) {
      ev.preventDefault();
      first.focus();
    }
  });

  // ---- unread badge -------------------------------------------------------------------
  function seenSeq(): number {
    return Number(storageGet(options.storage, seenKey) ?? 0) || 0;
  }

  function markSeen(): void {
    const max = client.messages().reduce((m, i) => Math.max(m, i.seq ?? 0), 0);
    if (max > seenSeq()) storageSet(options.storage, seenKey, String(max));
    updateBadge();
  }

  function updateBadge(): void {
    const seen = seenSeq();
    const unread = isOpen() ? 0 : client.messages().filter((i) => i.from === 'bot' && (i.seq ?? 0) > seen).length;
    badge.hidden = unread === 0;
    badge.textContent = String(unread);
    if (!isOpen())
      bubble.setAttribute(
        'aria-label',
        unread ? `Open chat, ${unread} unread message${unread === 1 ? '' : 's'}` : 'Open chat',
      );
  }

  // ---- conversation -------------------------------------------------------------------
  const elements = new Map<string, HTMLLIElement>();

  function renderItem(li: HTMLLIElement, item: ChatItem): void {
    li.dataset.from = item.from;
    li.dataset.status = item.status;
    if (item.id) li.dataset.id = item.id;
    if (item.seq !== undefined) li.dataset.seq = String(item.seq);
    if (item.followUp) li.dataset.followup = `${item.followUp.scenario}:${item.followUp.step}`;
    const stamp = `${item.status}|${item.error ?? ''}|${item.at}`;
    if (li.dataset.stamp === stamp) return;
    li.dataset.stamp = stamp;

    let meta = li.querySelector('.meta');
    if (!meta) {
      const who = el('span', { class: 'sr-only' }, item.from === 'bot' ? `${options.botName}:` : 'You:');
      const text = el('p', { class: 'text' });
      text.append(linkified(item.text));
      meta = el('span', { class: 'meta' });
      li.append(who, text, meta);
    }
    meta.replaceChildren();
    const time = el('time', { datetime: item.at }, timeLabel(item.at));
    meta.append(time);
    if (item.from === 'contact' && item.status === 'sending') meta.append(' · Sending…');
    if (item.status === 'failed') {
      meta.append(
        ' · ',
        el('span', { class: 'error', 'data-testid': 'nudge-message-error' }, `Not sent: ${item.error ?? 'error'}`),
      );
      const retry = el('button', { type: 'button', class: 'retry', 'data-testid': 'nudge-retry' }, 'Retry');
      retry.addEventListener('click', () => client.retry(item.key));
      meta.append(retry);
    }
  }

  function nearEnd(): boolean {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function scrollToEnd(): void {
    log.scrollTop = log.scrollHeight;
  }

  function renderLog(): void {
    const stick = nearEnd();
    const items = client.messages();
    const present = new Set<string>();
    let cursor: ChildNode | null = empty.nextSibling;
    empty.hidden = items.length > 0;
    for (const item of items) {
      present.add(item.key);
      let li = elements.get(item.key);
      if (!li) {
        li = el('li', { class: 'msg', 'data-testid': 'nudge-message' });
        elements.set(item.key, li);
      }
      renderItem(li, item);
      // Only move nodes that are out of place, so the live region announces real additions only.
      if (cursor !== li) log.insertBefore(li, cursor);
      cursor = li.nextSibling;
    }
    for (const [key, li] of elements) {
      if (!present.has(key)) {
        li.remove();
        elements.delete(key);
      }
    }
    if (stick) scrollToEnd();
  }

  // ---- composer -----------------------------------------------------------------------
  function updateCounter(): void {
    const len = input.value.length;
    const max = client.maxTextLength;
    input.maxLength = max;
    counter.hidden = len < max * 0.8;
    counter.textContent = `${len} / ${max} characters`;
    counter.dataset.over = String(len > max);
  }

  function autoGrow(): void {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
  }

  function submit(): void {
    const text = input.value;
    if (!text.trim()) return;
    const item = client.send(text);
    if (!item) return;
    input.value = '';
    autoGrow();
    updateCounter();
    scrollToEnd();
    maybeOfferContact();
  }

  composer.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit();
    input.focus();
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', () => {
    autoGrow();
    updateCounter();
    client.typing();
  });

  // ---- contact form -------------------------------------------------------------------
  function showContactForm(focus: boolean): void {
    contactForm.hidden = false;
    contactDone.hidden = true;
    contactToggle.setAttribute('aria-expanded', 'true');
    if (focus) nameInput.focus();
  }

  function hideContactForm(focusInput: boolean): void {
    contactForm.hidden = true;
    contactToggle.setAttribute('aria-expanded', 'false');
    if (focusInput) input.focus();
  }

  /** Opens the form under a bot message that asks for a number, once per such message. */
  let askedFor: string | null = null;
  function offerContactWhenAsked(): void {
    const last = client.messages().at(-1);
    if (last?.from !== 'bot' || last.ask !== 'phone' || last.key === askedFor) return;
    askedFor = last.key;
    if (storageGet(options.storage, contactKey) !== 'saved' && contactForm.hidden) showContactForm(false);
  }

  function maybeOfferContact(): void {
    if (storageGet(options.storage, contactKey)) return;
    if (client.messages().some((i) => i.from === 'contact') && contactForm.hidden) showContactForm(false);
  }

  function showContactError(message: string, field: HTMLInputElement | null): void {
    contactError.textContent = message;
    contactError.hidden = false;
    phoneInput.removeAttribute('aria-invalid');
    nameInput.removeAttribute('aria-invalid');
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.focus();
    }
  }

  contactToggle.addEventListener('click', () => (contactForm.hidden ? showContactForm(true) : hideContactForm(true)));
  contactSkip.addEventListener('click', () => {
    storageSet(options.storage, contactKey, 'dismissed');
    hideContactForm(true);
  });
  contactForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = nameInput.value.trim();
    const phone = phoneInput.value.trim();
    if (!name && !phone) return showContactError('Enter your name or mobile number, or choose No thanks.', nameInput);
    const details: { name?: string; phone?: string } = {};
    if (name) details.name = name;
    if (phone) details.phone = phone;
    contactSave.disabled = true;
    const result = await client.saveContact(details);
    contactSave.disabled = false;
    if (!result.ok) {
      const phoneProblem = /phone/i.test(result.message);
      return showContactError(
        phoneProblem
          ? 'That mobile number does not look right. Include the country code, e.g. +1 415 555 2671.'
          : result.message,
        phoneProblem ? phoneInput : null,
      );
    }
    contactError.hidden = true;
    storageSet(options.storage, contactKey, 'saved');
    hideContactForm(false);
    contactDone.textContent = result.contact.phone
      ? `Thanks${result.contact.name ? `, ${result.contact.name}` : ''}. If you step away we can text ${result.contact.phone}.`
      : `Thanks${result.contact.name ? `, ${result.contact.name}` : ''}.`;
    contactDone.hidden = false;
    input.focus();
  });

  // ---- client state → DOM -------------------------------------------------------------
  let lastStatus: ConnectionStatus | null = null;
  function render(): void {
    if (client.status !== lastStatus) {
      lastStatus = client.status;
      const refusal = client.status === 'unavailable' ? client.unavailableReason : null;
      status.textContent = refusal ? REFUSED_TEXT[refusal] : STATUS_TEXT[client.status];
      host.dataset.connection = client.status;
      if (refusal) {
        host.dataset.refused = refusal;
        empty.textContent =
          refusal === 'origin'
            ? 'This site is not allowed to use this chat. If this is your site, add it to the allowed websites in the Nudge console.'
            : REFUSED_TEXT.key;
      }
      const usable = client.status !== 'unavailable';
      input.disabled = !usable;
      sendButton.disabled = !usable;
      contactToggle.hidden = !usable;
    }
    typing.hidden = !client.botTyping;
    renderLog();
    offerContactWhenAsked();
    if (isOpen()) markSeen();
    else updateBadge();
    updateCounter();
  }

  const unsubscribe = client.onChange(render);
  host.dataset.open = 'false';
  render();

  return {
    open,
    close,
    isOpen,
    destroy() {
      unsubscribe();
      host.remove();
    },
  };
}
