/**
 * In-memory ChatBackend for the gateway's tests: bots, contacts and a per-contact message
 * log with seq numbers and clientId idempotency, plus helpers to push bot messages and
 * typing the way the runtime would.
 */
import type { BotWidgetInfo, ChatBackend, ChatMessage, ContactFields } from '../../src/gateway/backend.ts';

interface FakeContact {
  id: string;
  botId: string;
  fields: ContactFields;
  messages: ChatMessage[];
  byClientId: Map<string, ChatMessage>;
}

export class FakeBackend implements ChatBackend {
  readonly bots = new Map<string, BotWidgetInfo & { key: string }>();
  readonly contacts = new Map<string, FakeContact>();
  private listeners = new Set<(contactId: string, message: ChatMessage) => void>();
  private typingListeners = new Set<(contactId: string, typing: boolean) => void>();
  private nextContact = 1;
  private nextMessage = 1;
  /** Set to make acceptInbound wait (e.g. to hold a frame in flight during shutdown). */
  acceptGate: Promise<void> | null = null;
  /** Set to make the next acceptInbound / updateContact calls fail. */
  failNext = false;
  /** When set, every stored inbound message gets this bot reply (emitted after the commit). */
  autoReply: ((text: string) => string) | null = null;
  acceptCalls = 0;
  /** When true, new-message notifications are queued until flushEmits(), like a runtime that notifies after its commit. */
  holdEmits = false;
  private heldEmits: Array<[string, ChatMessage]> = [];

  constructor(private readonly now: () => number = () => Date.UTC(2026, 0, 5, 9, 0, 0)) {}

  addBot(botId: string, key: string, allowedOrigins: string[]): void {
    this.bots.set(key, { botId, key, allowedOrigins });
  }

  /** Every refused origin the gateway reported, in order. */
  refusedOrigins: { botId: string; origin: string | null }[] = [];

  noteRefusedOrigin(botId: string, origin: string | null): void {
    this.refusedOrigins.push({ botId, origin });
  }

  findBotByWidgetKey(key: string): BotWidgetInfo | null {
    const bot = this.bots.get(key);
    return bot ? { botId: bot.botId, allowedOrigins: [...bot.allowedOrigins] } : null;
  }

  openVisitor(botId: string, contactId?: string): { contactId: string; conversationId: string } | null {
    if (![...this.bots.values()].some((b) => b.botId === botId)) return null;
    if (contactId !== undefined) {
      const c = this.contacts.get(contactId);
      return c && c.botId === botId ? { contactId: c.id, conversationId: `conv-${c.id}` } : null;
    }
    const id = `contact-${this.nextContact++}`;
    this.contacts.set(id, { id, botId, fields: {}, messages: [], byClientId: new Map() });
    return { contactId: id, conversationId: `conv-${id}` };
  }

  history(contactId: string, afterSeq: number): ChatMessage[] {
    return (this.contacts.get(contactId)?.messages ?? []).filter((m) => m.seq > afterSeq).map((m) => ({ ...m }));
  }

  async acceptInbound(input: {
    botId: string;
    contactId: string;
    clientId: string;
    text: string;
  }): Promise<{ message: ChatMessage; duplicate: boolean }> {
    this.acceptCalls++;
    if (this.acceptGate) await this.acceptGate;
    await Promise.resolve(); // a commit is never synchronous
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full (simulated)');
    }
    const c = this.mustContact(input.contactId);
    if (c.botId !== input.botId) throw new Error('contact of another bot');
    const existing = c.byClientId.get(input.clientId);
    if (existing) return { message: { ...existing }, duplicate: true };
    const message = this.append(c, 'contact', input.text);
    c.byClientId.set(input.clientId, message);
    this.emit(c.id, message);
    if (this.autoReply) {
      const reply = this.autoReply(input.text);
      setImmediate(() => this.pushBotMessage(c.id, reply));
    }
    return { message: { ...message }, duplicate: false };
  }

  async updateContact(contactId: string, fields: ContactFields): Promise<void> {
    await Promise.resolve();
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full (simulated)');
    }
    const c = this.mustContact(contactId);
    c.fields = { ...c.fields, ...fields };
  }

  subscribe(listener: (contactId: string, message: ChatMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeTyping(listener: (contactId: string, typing: boolean) => void): () => void {
    this.typingListeners.add(listener);
    return () => this.typingListeners.delete(listener);
  }

  // ---- test helpers -------------------------------------------------------------------

  pushBotMessage(contactId: string, text: string, followUp?: { scenario: string; step: number }): ChatMessage {
    const c = this.mustContact(contactId);
    const message = this.append(c, 'bot', text, followUp);
    this.emit(contactId, message);
    return message;
  }

  setTyping(contactId: string, typing: boolean): void {
    for (const l of this.typingListeners) l(contactId, typing);
  }

  listenerCount(): number {
    return this.listeners.size + this.typingListeners.size;
  }

  messages(contactId: string): ChatMessage[] {
    return this.mustContact(contactId).messages;
  }

  /** Everything stored, for "no stored change" assertions. */
  snapshot(): string {
    return JSON.stringify(
      [...this.contacts.values()].map((c) => ({ id: c.id, fields: c.fields, messages: c.messages })),
    );
  }

  private mustContact(contactId: string): FakeContact {
    const c = this.contacts.get(contactId);
    if (!c) throw new Error(`unknown contact ${contactId}`);
    return c;
  }

  private append(
    c: FakeContact,
    from: 'contact' | 'bot',
    text: string,
    followUp?: { scenario: string; step: number },
  ): ChatMessage {
    const message: ChatMessage = {
      id: `msg-${this.nextMessage++}`,
      seq: c.messages.length + 1,
      from,
      text,
      at: this.now(),
    };
    if (followUp) message.followUp = followUp;
    c.messages.push(message);
    return message;
  }

  flushEmits(): void {
    const held = this.heldEmits;
    this.heldEmits = [];
    for (const [contactId, message] of held) for (const l of this.listeners) l(contactId, { ...message });
  }

  private emit(contactId: string, message: ChatMessage): void {
    if (this.holdEmits) {
      this.heldEmits.push([contactId, { ...message }]);
      return;
    }
    for (const l of this.listeners) l(contactId, { ...message });
  }
}
