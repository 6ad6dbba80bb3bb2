/**
 * The built-in bot's reply to an inbound contact message: short and helpful, in the
 * contact's language (English, Spanish, French, Portuguese, German).
 *   request_time   → echoes the resolved time ("Sure — I'll text you Tue 3:00 PM") so a wrong
 *                    parse is caught by the contact
 *   busy           → acknowledges, offers the booking link when the bot has one
 *   not_interested → a polite confirmation (always a fixed text: compliance wording is never
 *                    left to a model)
 *   booked         → thanks
 *   engaged        → acknowledges, offers the booking link
 * Ollama writes the reply when configured; any failure (or a reply that drops the time echo)
 * falls back to the template with the reason recorded.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { luxonZone } from '../time/wallTime.ts';
import { detectLanguage } from './language.ts';
import { enforceLinkPolicy } from './links.ts';
import { normalizeMessage } from './normalize.ts';
import { createOllamaClient, DEFAULT_OLLAMA_TIMEOUT_MS, describeOllamaError } from './ollama-config.ts';
import { fitsSegments, fitToSegments } from './segments.ts';
import type { Classification, ConversationMessage, Language, OllamaOptions } from './types.ts';

export interface ReplyInput {
  text: string;
  classification: Pick<Classification, 'intent'> & Partial<Classification>;
  recentMessages: ConversationMessage[];
  business: { name: string; bookingUrl?: string | null };
  ollama?: OllamaOptions | null;
}

export interface ReplyResult {
  text: string;
  source: 'ollama' | 'template';
  fallbackReason?: string;
}

interface Strings {
  requestTime: (when: string) => string;
  requestTimeUnknown: string;
  busy: string;
  optOut: (business: string) => string;
  notInterested: string;
  booked: string;
  engaged: (business: string) => string;
  bookingOffer: (url: string) => string;
  bookingOfferBusy: (url: string) => string;
}

const STRINGS: Record<Language, Strings> = {
  en: {
    requestTime: (w) => `Sure — I'll text you ${w}.`,
    requestTimeUnknown: "Sure — I'll get back to you then.",
    busy: "No problem — I'll check back with you later.",
    optOut: (b) => `Understood. You won't receive any more messages from ${b}.`,
    notInterested: "Understood, thanks for letting us know. We won't follow up again.",
    booked: "Great, thanks for booking! We'll see you then.",
    engaged: (b) => `Thanks for your message! Someone from ${b} will get back to you shortly.`,
    bookingOffer: (u) => `You can also book directly here: ${u}`,
    bookingOfferBusy: (u) => `Whenever you're ready, you can book here: ${u}`,
  },
  es: {
    requestTime: (w) => `Claro — te escribo ${w}.`,
    requestTimeUnknown: 'Claro — te escribo entonces.',
    busy: 'Sin problema — te escribo más tarde.',
    optOut: (b) => `Entendido. No recibirás más mensajes de ${b}.`,
    notInterested: 'Entendido, gracias por avisarnos. No volveremos a escribirte.',
    booked: '¡Perfecto, gracias por reservar! Nos vemos pronto.',
    engaged: (b) => `¡Gracias por tu mensaje! Alguien de ${b} te responderá en breve.`,
    bookingOffer: (u) => `También puedes reservar aquí: ${u}`,
    bookingOfferBusy: (u) => `Cuando quieras, puedes reservar aquí: ${u}`,
  },
  fr: {
    requestTime: (w) => `Entendu — je vous écris ${w}.`,
    requestTimeUnknown: 'Entendu — je reviens vers vous à ce moment-là.',
    busy: 'Pas de souci — je reviens vers vous plus tard.',
    optOut: (b) => `C'est noté. Vous ne recevrez plus de messages de ${b}.`,
    notInterested: "C'est noté, merci de nous avoir prévenus. Nous ne vous relancerons plus.",
    booked: 'Parfait, merci pour la réservation ! À bientôt.',
    engaged: (b) => `Merci pour votre message ! Quelqu'un de ${b} vous répond très vite.`,
    bookingOffer: (u) => `Vous pouvez aussi réserver ici : ${u}`,
    bookingOfferBusy: (u) => `Quand vous voulez, vous pouvez réserver ici : ${u}`,
  },
  pt: {
    requestTime: (w) => `Claro — te mando mensagem ${w}.`,
    requestTimeUnknown: 'Claro — falo com você nesse horário.',
    busy: 'Sem problema — falo com você mais tarde.',
    optOut: (b) => `Entendido. Você não vai receber mais mensagens de ${b}.`,
    notInterested: 'Entendido, obrigado por avisar. Não vamos mais entrar em contato.',
    booked: 'Perfeito, obrigado pelo agendamento! Até breve.',
    engaged: (b) => `Obrigado pela mensagem! Alguém da ${b} vai te responder em breve.`,
    bookingOffer: (u) => `Você também pode agendar aqui: ${u}`,
    bookingOfferBusy: (u) => `Quando puder, é só agendar aqui: ${u}`,
  },
  de: {
    requestTime: (w) => `Gerne — ich melde mich ${w}.`,
    requestTimeUnknown: 'Gerne — ich melde mich dann.',
    busy: 'Kein Problem — ich melde mich später noch einmal.',
    optOut: (b) => `Verstanden. Sie erhalten keine Nachrichten mehr von ${b}.`,
    notInterested: 'Verstanden, danke für die Rückmeldung. Wir melden uns nicht mehr.',
    booked: 'Super, danke für die Buchung! Bis bald.',
    engaged: (b) => `Danke für Ihre Nachricht! Jemand von ${b} meldet sich in Kürze.`,
    bookingOffer: (u) => `Sie können auch direkt hier buchen: ${u}`,
    bookingOfferBusy: (u) => `Wann immer es passt, können Sie hier buchen: ${u}`,
  },
};

/**
 * The requested time as the contact will read it: the classifier's wallClock in English
 * ("Tue 3:00 PM"), a localised equivalent otherwise ("el martes a las 15:00").
 */
export function timeEcho(c: ReplyInput['classification'], lang: Language, now?: number): string | null {
  if (lang === 'en' || c.requestedAt === undefined || !c.zone) return c.wallClock ?? null;
  const dt = DateTime.fromMillis(c.requestedAt, { zone: luxonZone(c.zone) }).setLocale(lang);
  if (!dt.isValid) return c.wallClock ?? null;
  const far = now !== undefined && c.requestedAt - now >= 6 * 24 * 3_600_000;
  const day = far ? dt.toFormat("cccc d LLLL") : dt.toFormat('cccc');
  switch (lang) {
    case 'es':
      return `el ${day} a las ${dt.toFormat('H:mm')}`;
    case 'fr':
      return `${day} à ${dt.toFormat("H'h'mm")}`;
    case 'pt':
      return `${day} às ${dt.toFormat('H:mm')}`;
    case 'de':
      return `am ${far ? dt.toFormat('cccc, d. LLLL') : day} um ${dt.toFormat('H:mm')} Uhr`;
  }
}

function languageOf(input: ReplyInput): Language {
  return input.classification.language ?? detectLanguage(normalizeMessage(input.text ?? '').text);
}

/** The deterministic reply (also the fallback). */
export function templateReply(input: ReplyInput, fallbackReason?: string): ReplyResult {
  const s = STRINGS[languageOf(input)];
  const c = input.classification;
  const business = input.business.name?.trim() || 'us';
  const url = input.business.bookingUrl?.trim() || null;
  let text: string;
  switch (c.intent) {
    case 'request_time': {
      const when = timeEcho(c, languageOf(input));
      text = when ? s.requestTime(when) : s.requestTimeUnknown;
      break;
    }
    case 'busy':
      text = s.busy + (url ? ` ${s.bookingOfferBusy(url)}` : '');
      break;
    case 'not_interested':
      text = c.optOut ? s.optOut(business) : s.notInterested;
      break;
    case 'booked':
      text = s.booked;
      break;
    default:
      text = s.engaged(business) + (url ? ` ${s.bookingOffer(url)}` : '');
  }
  return { text, source: 'template', ...(fallbackReason ? { fallbackReason } : {}) };
}

const ReplyAnswer = z.object({ reply: z.string() });
const REPLY_SCHEMA = {
  type: 'object',
  properties: { reply: { type: 'string' } },
  required: ['reply'],
  additionalProperties: false,
} as const;

const INTENT_BRIEF: Record<string, string> = {
  request_time: 'The contact asked to be contacted at a specific time.',
  busy: 'The contact is busy right now. Acknowledge briefly; do not push.',
  booked: 'The contact says the appointment is booked. Thank them.',
  engaged: 'The contact is engaged in the conversation. Answer helpfully; if you do not know a fact, say someone will follow up.',
};

function replyPrompt(input: ReplyInput, echo: string | null): string {
  const c = input.classification;
  const lines = [
    `You are the friendly text-message assistant of "${input.business.name}". Write one short reply (at most 2 sentences, under 280 characters) to the contact's last message.`,
    INTENT_BRIEF[c.intent] ?? INTENT_BRIEF.engaged,
  ];
  if (c.intent === 'request_time' && echo) {
    lines.push(`You MUST confirm the time by including exactly this text: "${echo}" (for example: "Sure — I'll text you ${echo}.").`);
  }
  lines.push(
    input.business.bookingUrl
      ? `The only link you may include is the booking link: ${input.business.bookingUrl}.`
      : 'Do not include any link, URL, email address or phone number.',
    'Never invent prices, availability, offers or facts. Do not say you are an AI. Reply in the language of the contact.',
    'Answer with JSON: {"reply": "..."}.',
  );
  return lines.join('\n');
}

class ReplyFallback extends Error {}

export async function replyToContact(input: ReplyInput): Promise<ReplyResult> {
  if (!input || typeof input !== 'object') throw new TypeError('replyToContact: input must be an object');
  if (!input.classification || typeof input.classification.intent !== 'string') throw new TypeError('replyToContact: classification.intent is required');
  if (!input.business || typeof input.business.name !== 'string') throw new TypeError('replyToContact: business.name must be a string');
  const c = input.classification;
  // Opt-outs and rejections get the fixed confirmation; no model involved.
  if (c.intent === 'not_interested' || !input.ollama) return templateReply(input);

  const ollama = input.ollama;
  const echo = c.intent === 'request_time' ? timeEcho(c, languageOf(input)) : null;
  const timeoutMs = ollama.timeoutMs ?? DEFAULT_OLLAMA_TIMEOUT_MS;
  const client = createOllamaClient(ollama, timeoutMs);
  const history = (input.recentMessages ?? [])
    .slice(-10)
    .map((m) => `${m.sender === 'contact' ? 'Contact' : 'Us'}: ${m.text.replace(/\s+/g, ' ').slice(0, 500)}`)
    .join('\n');
  let content: string;
  try {
    const res = await client.chat({
      model: ollama.model,
      messages: [
        { role: 'system', content: replyPrompt(input, echo) },
        { role: 'user', content: `${history ? `Conversation so far:\n${history}\n\n` : ''}Contact's last message: ${input.text}` },
      ],
      format: REPLY_SCHEMA,
      options: { temperature: 0.3 },
      stream: false,
    });
    content = res?.message?.content ?? '';
  } catch (e) {
    return templateReply(input, describeOllamaError(e, timeoutMs));
  }
  try {
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch {
      throw new ReplyFallback(`invalid JSON from model: ${JSON.stringify(content.slice(0, 80))}`);
    }
    const parsed = ReplyAnswer.safeParse(json);
    if (!parsed.success) throw new ReplyFallback('schema violation: expected {"reply": string}');
    let text = enforceLinkPolicy(parsed.data.reply.replace(/\s+/g, ' ').trim(), input.business.bookingUrl).text;
    if (!text) throw new ReplyFallback('model returned an empty reply');
    if (echo && !text.includes(echo)) throw new ReplyFallback('model reply did not echo the requested time');
    if (!fitsSegments(text, 2)) {
      text = fitToSegments(text, 2);
      if (echo && !text.includes(echo)) throw new ReplyFallback('model reply too long to keep the time echo');
    }
    return { text, source: 'ollama' };
  } catch (e) {
    if (e instanceof ReplyFallback) return templateReply(input, e.message);
    throw e;
  }
}
