/**
 * The widget's protocol client, free of DOM code so it can be tested in Node against the
 * real gateway: connects, says hello with the stored visitor token and the last seq seen,
 * reconnects with exponential backoff, resends unacknowledged messages with their original
 * clientId (the server deduplicates), and keeps an ordered, id-deduplicated message list.
 */

export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'unavailable';

/** The part of the browser WebSocket API the client uses (the `ws` package fits too). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ChatItem {
  /** Stable for the life of a bubble: `c:<clientId>` for this tab's sends, `m:<id>` otherwise. */
  key: string;
  id?: string;
  seq?: number;
  clientId?: string;
  from: 'contact' | 'bot';
  text: string;
  /** ISO timestamp. */
  at: string;
  status: 'sending' | 'sent' | 'failed';
  error?: string;
  followUp?: { scenario: string; step: number };
  /** The bot asked for the visitor's mobile number. */
  ask?: 'phone';
}

export interface ContactDetails {
  name?: string;
  phone?: string;
  email?: string;
}

export type ContactResult = { ok: true; contact: ContactDetails } | { ok: false; code: string; message: string };

export interface ChatClientOptions {
  /** WebSocket URL, e.g. `wss://chat.example/ws/chat?botKey=…`. */
  url: string;
  botKey: string;
  createSocket: (url: string) => SocketLike;
  storage?: KeyValueStore | null;
  timers?: Timers;
  random?: () => number;
  newId?: () => string;
  /** ISO 3166 country used to read phone numbers typed without a country code. */
  country?: string;
  backoff?: { initialMs: number; maxMs: number };
}

const OPEN = 1;
const TYPING_EVERY_MS = 3000;
const BOT_TYPING_TIMEOUT_MS = 20_000;
/** Refusals after which reconnecting cannot help, by error code and by close code (docs/protocol.md#close-codes). */
const REFUSALS: Record<string, UnavailableReason> = { bad_origin: 'origin', bad_bot_key: 'key' };
const REFUSAL_CLOSE_CODES: Record<number, UnavailableReason> = { 4403: 'origin', 4404: 'key' };
/** RFC 6455's "Service Restart": the server is restarting (a deploy, an upgrade), back shortly. */
const SERVICE_RESTART = 1012;
/** After a restart, come back within 2–10 s at random, so its visitors do not all return at once. */
const RESTART_DELAY_MS = { min: 2000, max: 10_000 };

/** Why the chat cannot be used here: this page's site is not allowed, or the key is unknown. */
export type UnavailableReason = 'origin' | 'key';

function defaultId(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class ChatClient {
  status: ConnectionStatus = 'offline';
  contactId: string | null = null;
  maxTextLength = 2000;
  botTyping = false;
  /** Why the chat is unavailable, when status is `unavailable`. */
  fatalError: string | null = null;
  unavailableReason: UnavailableReason | null = null;
  /** Highest seq such that every message up to it is known: what `hello.lastSeq` resumes from. */
  lastSeq = 0;

  private items: ChatItem[] = [];
  private byId = new Map<string, ChatItem>();
  private byClientId = new Map<string, ChatItem>();
  private seqsAbove = new Set<number>();
  private socket: SocketLike | null = null;
  private ready = false;
  private stopped = true;
  private attempt = 0;
  private reconnectTimer: unknown = null;
  private botTypingTimer: unknown = null;
  private lastTypingSent = -Infinity;
  private pendingContacts = new Map<string, (result: ContactResult) => void>();
  private listeners = new Set<() => void>();
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly newId: () => string;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly tokenKey: string;

  constructor(private readonly options: ChatClientOptions) {
    this.timers = options.timers ?? defaultTimers;
    this.random = options.random ?? Math.random;
    this.newId = options.newId ?? defaultId;
    this.backoff = options.backoff ?? { initialMs: 1000, maxMs: 30_000 };
    this.tokenKey = `nudge:v1:${options.botKey}:visitorToken`;
  }

  /** Messages in conversation order: stored ones by seq, then this tab's unacknowledged ones. */
  messages(): readonly ChatItem[] {
    return this.items;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearReconnect();
    const s = this.socket;
    this.socket = null;
    this.ready = false;
    if (s) {
      s.onclose = null;
      s.close(1000, 'widget stopped');
    }
    this.setStatus('offline');
  }

  /** Skips the backoff wait (e.g. when the browser comes back online). */
  reconnectNow(): void {
    if (this.stopped || this.socket || this.status === 'unavailable') return;
    this.clearReconnect();
    this.connect();
  }

  /** Queues a message; it is sent now if connected, or when the connection is back. */
  send(text: string): ChatItem | null {
    if (text.trim().length === 0) return null;
    const clientId = this.newId();
    const item: ChatItem = {
      key: `c:${clientId}`,
      clientId,
      from: 'contact',
      text,
      at: new Date().toISOString(),
      status: 'sending',
    };
    if (text.length > this.maxTextLength) {
      item.status = 'failed';
      item.error = `Too long: ${text.length} of ${this.maxTextLength} characters.`;
    }
    this.byClientId.set(clientId, item);
    this.items.push(item);
    if (item.status === 'sending') this.transmit(item);
    this.lastTypingSent = -Infinity;
    this.emit();
    return item;
  }

  /** Sends a failed message again, with the same clientId so it can never be stored twice. */
  retry(key: string): void {
    const item = this.items.find((i) => i.key === key);
    if (!item || item.status !== 'failed' || !item.clientId || item.text.length > this.maxTextLength) return;
    item.status = 'sending';
    delete item.error;
    this.transmit(item);
    this.emit();
  }

  saveContact(details: ContactDetails): Promise<ContactResult> {
    if (!this.ready || !this.socket) {
      return Promise.resolve({ ok: false, code: 'offline', message: 'Not connected. Try again in a moment.' });
    }
    const clientId = this.newId();
    const frame: Record<string, unknown> = { type: 'contact', clientId, ...details };
    if (this.options.country) frame.country = this.options.country;
    return new Promise((resolve) => {
      this.pendingContacts.set(clientId, resolve);
      this.sendFrame(frame);
    });
  }

  /** Tells the server the visitor is typing, at most every few seconds. */
  typing(): void {
    const now = Date.now();
    if (!this.ready || now - this.lastTypingSent < TYPING_EVERY_MS) return;
    this.lastTypingSent = now;
    this.sendFrame({ type: 'typing', typing: true });
  }

  // ---- connection ---------------------------------------------------------------------

  private connect(): void {
    this.setStatus('connecting');
    let socket: SocketLike;
    try {
      socket = this.options.createSocket(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.hello();
    socket.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let frame: Record<string, unknown>;
      try {
        frame = JSON.parse(ev.data) as Record<string, unknown>;
      } catch {
        return;
      }
      this.onFrame(frame);
    };
    socket.onerror = () => {};
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      const refusal = REFUSAL_CLOSE_CODES[ev?.code];
      if (refusal && !this.fatalError) this.refuse(refusal, ev.reason || 'refused');
      this.socket = null;
      this.ready = false;
      this.setBotTyping(false);
      for (const [, resolve] of this.pendingContacts)
        resolve({ ok: false, code: 'offline', message: 'The connection dropped. Try again.' });
      this.pendingContacts.clear();
      if (this.stopped) return;
      if (this.fatalError) {
        this.setStatus('unavailable');
        return;
      }
      this.setStatus('offline');
      if (ev?.code === SERVICE_RESTART) {
        // Not a failure: the backoff starts over once the server is back.
        this.attempt = 0;
        this.scheduleReconnect(RESTART_DELAY_MS.min + this.random() * (RESTART_DELAY_MS.max - RESTART_DELAY_MS.min));
      } else {
        this.scheduleReconnect();
      }
    };
  }

  private hello(): void {
    const frame: Record<string, unknown> = { type: 'hello', botKey: this.options.botKey };
    const token = this.readToken();
    if (token) {
      frame.visitorToken = token;
      // lastSeq only makes sense for the conversation the token resumes.
      if (this.contactId !== null && this.lastSeq > 0) frame.lastSeq = this.lastSeq;
    }
    this.sendFrame(frame);
  }

  /** Reconnects after `delayMs`, or after the next backoff step (with jitter) when not given. */
  private scheduleReconnect(delayMs?: number): void {
    this.clearReconnect();
    const base = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.attempt);
    if (delayMs === undefined) this.attempt++;
    const delay = delayMs ?? base / 2 + (this.random() * base) / 2; // jitter spreads reconnects
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private clearReconnect(): void {
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private sendFrame(frame: Record<string, unknown>): boolean {
    const s = this.socket;
    if (!s || s.readyState !== OPEN) return false;
    s.send(JSON.stringify(frame));
    return true;
  }

  private transmit(item: ChatItem): void {
    if (this.ready) this.sendFrame({ type: 'message', clientId: item.clientId, text: item.text });
    // Otherwise it goes out after the next welcome.
  }

  // ---- frames -------------------------------------------------------------------------

  private onFrame(frame: Record<string, unknown>): void {
    switch (frame.type) {
      case 'welcome':
        return this.onWelcome(frame);
      case 'message':
        return this.onMessage(frame);
      case 'ack':
        return this.onAck(frame);
      case 'typing':
        return this.setBotTyping(frame.typing === true);
      case 'error':
        return this.onError(frame);
    }
  }

  private onWelcome(frame: Record<string, unknown>): void {
    const contactId = String(frame.contactId);
    if (typeof frame.visitorToken === 'string') this.writeToken(frame.visitorToken);
    if (typeof frame.maxTextLength === 'number') this.maxTextLength = frame.maxTextLength;
    if (this.contactId !== null && this.contactId !== contactId) this.forgetConversation();
    this.contactId = contactId;
    this.ready = true;
    this.attempt = 0;
    this.setStatus('online');
    for (const item of this.items) if (item.status === 'sending') this.transmit(item);
  }

  private onMessage(frame: Record<string, unknown>): void {
    const id = String(frame.id);
    const seq = Number(frame.seq);
    this.noteSeq(seq);
    if (frame.from === 'bot') this.setBotTyping(false);
    if (this.byId.has(id)) return this.emit(); // replayed or echoed: already shown
    const item: ChatItem = {
      key: `m:${id}`,
      id,
      seq,
      from: frame.from === 'contact' ? 'contact' : 'bot',
      text: String(frame.text),
      at: String(frame.at),
      status: 'sent',
    };
    const f = frame.followUp as { scenario?: unknown; step?: unknown } | undefined;
    if (f && typeof f.scenario === 'string' && typeof f.step === 'number')
      item.followUp = { scenario: f.scenario, step: f.step };
    if (frame.ask === 'phone') item.ask = 'phone';
    this.byId.set(id, item);
    this.insert(item);
    this.emit();
  }

  private onAck(frame: Record<string, unknown>): void {
    const clientId = String(frame.clientId);
    if (frame.for === 'contact') {
      const resolve = this.pendingContacts.get(clientId);
      this.pendingContacts.delete(clientId);
      resolve?.({ ok: true, contact: (frame.contact ?? {}) as ContactDetails });
      return;
    }
    const item = this.byClientId.get(clientId);
    if (!item) return;
    const id = String(frame.id);
    const seq = Number(frame.seq);
    this.noteSeq(seq);
    const known = this.byId.get(id);
    if (known && known !== item) {
      // Another tab's replay already showed it: keep one bubble.
      this.items = this.items.filter((i) => i !== known);
    }
    item.id = id;
    item.seq = seq;
    item.status = 'sent';
    if (typeof frame.at === 'string') item.at = frame.at;
    delete item.error;
    this.byId.set(id, item);
    this.items = this.items.filter((i) => i !== item);
    this.insert(item);
    this.emit();
  }

  private onError(frame: Record<string, unknown>): void {
    const code = String(frame.code);
    const message = String(frame.message ?? code);
    const clientId = typeof frame.clientId === 'string' ? frame.clientId : undefined;
    if (clientId !== undefined && this.pendingContacts.has(clientId)) {
      const resolve = this.pendingContacts.get(clientId);
      this.pendingContacts.delete(clientId);
      resolve?.({ ok: false, code, message });
      return;
    }
    if (REFUSALS[code]) {
      this.refuse(REFUSALS[code], message);
      this.setStatus('unavailable');
      return;
    }
    if (code === 'bad_token') {
      // The stored conversation is not ours (or is gone): start a new one on this socket.
      this.clearToken();
      this.sendFrame({ type: 'hello', botKey: this.options.botKey });
      return;
    }
    const item = clientId !== undefined ? this.byClientId.get(clientId) : undefined;
    if (item && item.status === 'sending' && code !== 'shutting_down' && code !== 'not_ready') {
      item.status = 'failed';
      item.error =
        code === 'rate_limited'
          ? 'Sending too fast. Try again in a moment.'
          : code === 'internal'
            ? 'Not delivered. Try again.'
            : message;
      this.emit();
    }
  }

  // ---- state --------------------------------------------------------------------------

  private refuse(reason: UnavailableReason, message: string): void {
    this.fatalError = message;
    this.unavailableReason = reason;
  }

  private insert(item: ChatItem): void {
    // Stored messages by seq; this tab's pending ones (no seq yet) stay at the end.
    const seq = item.seq ?? Infinity;
    let i = this.items.length;
    while (i > 0 && (this.items[i - 1].seq ?? Infinity) > seq) i--;
    this.items.splice(i, 0, item);
  }

  private noteSeq(seq: number): void {
    if (!Number.isSafeInteger(seq) || seq <= this.lastSeq) return;
    this.seqsAbove.add(seq);
    while (this.seqsAbove.delete(this.lastSeq + 1)) this.lastSeq++;
  }

  private forgetConversation(): void {
    const pending = this.items.filter((i) => i.seq === undefined);
    this.items = pending;
    this.byId.clear();
    this.seqsAbove.clear();
    this.lastSeq = 0;
  }

  private setBotTyping(typing: boolean): void {
    if (this.botTypingTimer !== null) this.timers.clearTimeout(this.botTypingTimer);
    this.botTypingTimer = typing ? this.timers.setTimeout(() => this.setBotTyping(false), BOT_TYPING_TIMEOUT_MS) : null;
    if (this.botTyping === typing) return;
    this.botTyping = typing;
    this.emit();
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch (err) {
        console.error('[nudge] listener failed', err);
      }
    }
  }

  private readToken(): string | null {
    try {
      return this.options.storage?.getItem(this.tokenKey) ?? null;
    } catch {
      return null;
    }
  }

  private writeToken(token: string): void {
    try {
      this.options.storage?.setItem(this.tokenKey, token);
    } catch {
      // Storage full or blocked: the conversation still works, it just won't survive a reload.
    }
  }

  private clearToken(): void {
    try {
      this.options.storage?.removeItem(this.tokenKey);
    } catch {
      // ignored: see writeToken
    }
  }
}
