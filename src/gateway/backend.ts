/**
 * The only door between the live-chat gateway and the rest of Nudge. The gateway knows
 * nothing about the store, the statechart or the responder: the runtime implements this
 * interface, and the gateway's tests use an in-memory fake of it.
 */

export interface ChatMessage {
  id: string;
  /** Per-conversation sequence number, strictly increasing, starting at 1. */
  seq: number;
  from: 'contact' | 'bot';
  text: string;
  /** Epoch milliseconds; sent as an ISO string on the wire. */
  at: number;
  followUp?: { scenario: string; step: number };
  /** The bot asks for something the widget has a form for (a mobile number). */
  ask?: 'phone';
}

export interface BotWidgetInfo {
  botId: string;
  /** Exact origins (`https://shop.example`) allowed to open the widget; `*` allows any. */
  allowedOrigins: string[];
}

export interface ContactFields {
  name?: string;
  /** E.164, already validated by the gateway. */
  phone?: string;
  email?: string;
}

export interface ChatBackend {
  findBotByWidgetKey(key: string): BotWidgetInfo | null;
  /**
   * Returns the contact for this visitor, creating one when contactId is absent. Null when
   * the bot is unknown or the contact does not exist / does not belong to that bot.
   */
  openVisitor(botId: string, contactId?: string): { contactId: string; conversationId: string } | null;
  /** Messages of the contact's conversation with seq > afterSeq, in seq order. */
  history(contactId: string, afterSeq: number): ChatMessage[];
  /**
   * Stores and processes an inbound message; resolves only after the durable commit.
   * A repeated clientId returns the stored message with duplicate=true.
   */
  acceptInbound(input: {
    botId: string;
    contactId: string;
    clientId: string;
    text: string;
  }): Promise<{ message: ChatMessage; duplicate: boolean }>;
  updateContact(contactId: string, fields: ContactFields): Promise<void>;
  /**
   * Called for every new message of a contact (bot replies, follow-ups, and inbound ones
   * from other tabs). Returns an unsubscribe function.
   */
  subscribe(listener: (contactId: string, message: ChatMessage) => void): () => void;
  /**
   * Optional: a page whose origin the bot does not allow tried to open its widget, so the
   * console can show the business which site was refused (origin null: none was sent).
   */
  noteRefusedOrigin?(botId: string, origin: string | null): void;
  /** Optional: bot typing indicator. */
  subscribeTyping?(listener: (contactId: string, typing: boolean) => void): () => void;
}
