/**
 * The built-in bot: answers every new inbound contact message (Ollama chat when in use,
 * else a short helpful template that echoes a requested time and offers the booking
 * link). Its reply goes through the runtime like any bot message, so it moves the contact
 * to `awaiting` exactly as the statechart says. Businesses with their own bot turn it off
 * (`responder: false` on the server) and post replies through the operator API instead.
 */
import { replyToContact, type FollowUpDelivery } from '../classify/responder.ts';
import type { OllamaOptions } from '../classify/types.ts';
import { chooseChannel } from '../channels/switching.ts';
import type { Channel } from '../channels/types.ts';
import type { ContactRuntime } from '../runtime/runtime.ts';
import type { MessageRow } from '../store/store.ts';

export interface BuiltInResponder {
  stop(): void;
  /** Resolves when every reply started so far has been committed (tests, shutdown). */
  idle(): Promise<void>;
}

export function startBuiltInResponder(options: {
  runtime: ContactRuntime;
  ollama?: OllamaOptions | null;
  onTyping?: (contactId: string, typing: boolean) => void;
  onError?: (error: unknown) => void;
}): BuiltInResponder {
  const { runtime } = options;
  const inFlight = new Set<Promise<unknown>>();
  const onMessage = (contactId: string, row: MessageRow) => {
    if (row.sender !== 'contact') return;
    const task = reply(contactId, row).catch((error) => options.onError?.(error));
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  async function reply(contactId: string, row: MessageRow): Promise<void> {
    const contact = runtime.contact(contactId);
    const snapshot = runtime.snapshotOf(contactId);
    // An opted-out contact gets no bot chatter; a human operator who took over answers themselves.
    if (snapshot.context.humanActive) return;
    // A message held for review is answered by the operator who decides it: a reply written
    // from a doubtful reading could pitch to someone who said no, or promise a wrong time.
    if (snapshot.context.review?.messageId === row.id) return;
    const classification = row.classification ? JSON.parse(row.classification) : { intent: 'engaged', source: 'rules' };
    // In `stopped` only the opt-out itself is acknowledged, once; nothing else is answered.
    if (snapshot.value === 'stopped' && classification.intent !== 'not_interested') return;
    if (row.channel === 'sms' && classification.optOut) return; // the SMS keyword flow confirms
    const bot = runtime.bot(contact.bot_id);
    if (!bot.config.builtInResponder) return; // the business's own bot answers via the API
    options.onTyping?.(contactId, true);
    try {
      const recent = (await runtime.store.recentMessages(contactId, 12)).map((m) => ({
        sender: m.sender,
        text: m.text,
      }));
      const delivery =
        classification.intent === 'request_time'
          ? promisedDelivery({
              channelSwitching: bot.config.channelSwitching,
              channel: row.channel as Channel,
              phone: contact.phone,
              stopped: snapshot.value === 'stopped',
              requestedAt: classification.requestedAt ?? null,
              now: row.at,
            })
          : undefined;
      const answer = await replyToContact({
        text: row.text,
        // In the language the contact last wrote in: "ok" or "3pm" says nothing of its own.
        classification: { ...classification, language: contact.language ?? classification.language },
        recentMessages: recent,
        business: { name: bot.config.name, bookingUrl: bot.config.bookingUrl },
        ...(delivery ? { delivery } : {}),
        ollama: options.ollama ?? null,
      });
      // The contact may have written again meanwhile: answer only the newest message.
      const newest = (await runtime.store.recentMessages(contactId, 1))[0];
      if (newest && newest.id !== row.id && newest.sender === 'contact') return;
      // A dash forces UCS-2 in SMS (70 characters a segment instead of 160).
      const text = row.channel === 'sms' ? answer.text.replace(/[—–]/g, '-') : answer.text;
      // `ask: 'phone'` lets the widget open its "Text me" form under the question.
      await runtime.outbound({
        contactId,
        text,
        sender: 'bot',
        channel: row.channel,
        meta: { responder: answer.source, ...(delivery?.askPhone ? { ask: 'phone' } : {}) },
      });
    } finally {
      options.onTyping?.(contactId, false);
    }
  }

  runtime.events.on('message', onMessage);
  return {
    stop: () => runtime.events.off('message', onMessage),
    async idle() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}

/**
 * The channel a follow-up at the requested time will most likely use, by the same switching
 * rule the send path applies (src/channels/switching.ts), assuming the visitor has closed the
 * chat by then. A text with no known number becomes a question asking for one, on live chat
 * where the widget has a form for it.
 */
export function promisedDelivery(input: {
  channelSwitching: boolean;
  channel: Channel;
  phone: string | null;
  stopped: boolean;
  requestedAt: number | null;
  now: number;
}): FollowUpDelivery {
  const at = input.requestedAt ?? input.now;
  const choice = chooseChannel({
    switchingEnabled: input.channelSwitching,
    lastChannel: input.channel,
    phone: input.phone,
    widgetConnected: false,
    lastLiveChatFollowUpUnanswered: false,
    lastInboundAt: { [input.channel]: input.now },
    now: at,
    smsOptedOut: input.stopped,
  });
  if (choice.channel === 'sms') return { by: 'sms', askPhone: false };
  return { by: 'here', askPhone: choice.code === 'stay_no_phone' && input.channel === 'livechat' };
}
