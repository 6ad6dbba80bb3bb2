/**
 * The built-in bot's reply to an inbound contact message: short and helpful, in the
 * contact's language (English, Spanish, French, Portuguese, German).
 *   request_time   → echoes the resolved time and the channel the follow-up will really use
 *                    ("Sure — I'll text you Tue 3:00 PM", "… message you here …") so a wrong
 *                    parse is caught by the contact; asks for a mobile number when a text
 *                    would need one (always a template: it is a promise)
 *   busy           → acknowledges, offers the booking link when the bot has one
 *   not_interested → a polite confirmation (always a fixed text: compliance wording is never
 *                    left to a model)
 *   booked         → thanks
 *   engaged        → asks what the contact needs and when (a question they can answer, so a
 *                    later "still interested?" follows a question, never a promise that
 *                    someone will reply), offers the booking link
 * Ollama writes the other replies when configured; any failure falls back to the template
 * with the reason recorded.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { luxonZone } from '../time/wallTime.ts';
import { detectLanguage } from './language.ts';
import { enforceLinkPolicy } from './links.ts';
import { normalizeMessage } from './normalize.ts';
import { createOllamaClient, DEFAULT_OLLAMA_TIMEOUT_MS, describeOllamaError } from './ollamaConfig.ts';
import { fitsSegments, fitToSegments } from './segments.ts';
import type { Classification, ConversationMessage, Language, OllamaOptions } from './types.ts';

/**
 * How a follow-up at the requested time will reach the contact: by SMS, or on the channel
 * the contact wrote on ("here"). `askPhone`: a text is what they would get, but no mobile
 * number is known, so the reply asks for one.
 */
export interface FollowUpDelivery {
  by: 'sms' | 'here';
  askPhone: boolean;
}

export interface ReplyInput {
  text: string;
  classification: Pick<Classification, 'intent'> & Partial<Classification>;
  recentMessages: ConversationMessage[];
  business: { name: string; bookingUrl?: string | null };
  /** For request_time; absent means "here" without asking for a number. */
  delivery?: FollowUpDelivery;
  ollama?: OllamaOptions | null;
}

export interface ReplyResult {
  text: string;
  source: 'ollama' | 'template';
  fallbackReason?: string;
}

interface Strings {
  /** The confirmation, naming the channel: by SMS, or on the channel the contact wrote on. */
  requestTime: Record<FollowUpDelivery['by'], (when: string) => string>;
  requestTimeUnknown: Record<FollowUpDelivery['by'], string>;
  /** Appended when a text would need a number the contact has not given (the widget opens its form under the message). */
  askPhone: string;
  busy: string;
  optOut: (business: string) => string;
  notInterested: string;
  booked: string;
  /** The first answer to a message the bot cannot act on: a question the contact can answer. */
  engaged: string;
  /** The same, after the contact answered that question. */
  engagedAgain: string;
  bookingOffer: (url: string) => string;
  bookingOfferBusy: (url: string) => string;
}

/** Reply languages; a contact writing in another one gets English (the time echo stays exact). */
type ReplyLanguage = 'en' | 'es' | 'fr' | 'pt' | 'de';

const STRINGS: Record<ReplyLanguage, Strings> = {
  en: {
    requestTime: { sms: (w) => `Sure — I'll text you ${w}.`, here: (w) => `Sure — I'll message you here ${w}.` },
    requestTimeUnknown: { sms: "Sure — I'll text you then.", here: "Sure — I'll message you here then." },
    askPhone: 'Would you like a text instead? Leave your mobile number in the form below.',
    busy: "No problem — I'll check back with you later.",
    optOut: (b) => `Understood. You won't receive any more messages from ${b}.`,
    notInterested: "Understood, thanks for letting us know. We won't follow up again.",
    booked: "Great, thanks for booking! We'll see you then.",
    engaged: 'Thanks for your message! Could you tell me a bit more about what you need, and when would suit you?',
    engagedAgain: 'Thanks, that helps. What day and time would suit you best?',
    bookingOffer: (u) => `You can also book directly here: ${u}`,
    bookingOfferBusy: (u) => `Whenever you're ready, you can book here: ${u}`,
  },
  es: {
    requestTime: { sms: (w) => `Claro — te envío un SMS ${w}.`, here: (w) => `Claro — te escribo por aquí ${w}.` },
    requestTimeUnknown: { sms: 'Claro — te envío un SMS entonces.', here: 'Claro — te escribo por aquí entonces.' },
    askPhone: '¿Prefieres un SMS? Deja tu número de móvil en el formulario de abajo.',
    busy: 'Sin problema — te escribo más tarde.',
    optOut: (b) => `Entendido. No recibirás más mensajes de ${b}.`,
    notInterested: 'Entendido, gracias por avisarnos. No volveremos a escribirte.',
    booked: '¡Perfecto, gracias por reservar! Nos vemos pronto.',
    engaged: '¡Gracias por tu mensaje! ¿Me cuentas un poco más de lo que necesitas y cuándo te vendría bien?',
    engagedAgain: 'Gracias, eso me ayuda. ¿Qué día y a qué hora te vendría mejor?',
    bookingOffer: (u) => `También puedes reservar aquí: ${u}`,
    bookingOfferBusy: (u) => `Cuando quieras, puedes reservar aquí: ${u}`,
  },
  fr: {
    requestTime: {
      sms: (w) => `Entendu — je vous envoie un SMS ${w}.`,
      here: (w) => `Entendu — je vous écris ici ${w}.`,
    },
    requestTimeUnknown: {
      sms: 'Entendu — je vous envoie un SMS à ce moment-là.',
      here: 'Entendu — je vous écris ici à ce moment-là.',
    },
    askPhone: 'Vous préférez un SMS ? Laissez votre numéro de mobile dans le formulaire ci-dessous.',
    busy: 'Pas de souci — je reviens vers vous plus tard.',
    optOut: (b) => `C'est noté. Vous ne recevrez plus de messages de ${b}.`,
    notInterested: "C'est noté, merci de nous avoir prévenus. Nous ne vous relancerons plus.",
    booked: 'Parfait, merci pour la réservation ! À bientôt.',
    engaged:
      "Merci pour votre message ! Pouvez-vous m'en dire un peu plus sur votre besoin, et quand cela vous arrangerait ?",
    engagedAgain: "Merci, cela m'aide. Quel jour et quelle heure vous conviendraient le mieux ?",
    bookingOffer: (u) => `Vous pouvez aussi réserver ici : ${u}`,
    bookingOfferBusy: (u) => `Quand vous voulez, vous pouvez réserver ici : ${u}`,
  },
  pt: {
    requestTime: { sms: (w) => `Claro — te mando um SMS ${w}.`, here: (w) => `Claro — te escrevo por aqui ${w}.` },
    requestTimeUnknown: {
      sms: 'Claro — te mando um SMS nesse horário.',
      here: 'Claro — te escrevo por aqui nesse horário.',
    },
    askPhone: 'Prefere receber um SMS? Deixe seu celular no formulário abaixo.',
    busy: 'Sem problema — falo com você mais tarde.',
    optOut: (b) => `Entendido. Você não vai receber mais mensagens de ${b}.`,
    notInterested: 'Entendido, obrigado por avisar. Não vamos mais entrar em contato.',
    booked: 'Perfeito, obrigado pelo agendamento! Até breve.',
    engaged: 'Obrigado pela mensagem! Pode me contar um pouco mais sobre o que precisa e quando seria bom para você?',
    engagedAgain: 'Obrigado, isso ajuda. Qual dia e horário seriam melhores para você?',
    bookingOffer: (u) => `Você também pode agendar aqui: ${u}`,
    bookingOfferBusy: (u) => `Quando puder, é só agendar aqui: ${u}`,
  },
  de: {
    requestTime: {
      sms: (w) => `Gerne — ich schicke Ihnen ${w} eine SMS.`,
      here: (w) => `Gerne — ich melde mich ${w} hier.`,
    },
    requestTimeUnknown: { sms: 'Gerne — ich schicke Ihnen dann eine SMS.', here: 'Gerne — ich melde mich dann hier.' },
    askPhone: 'Lieber per SMS? Tragen Sie Ihre Handynummer unten im Formular ein.',
    busy: 'Kein Problem — ich melde mich später noch einmal.',
    optOut: (b) => `Verstanden. Sie erhalten keine Nachrichten mehr von ${b}.`,
    notInterested: 'Verstanden, danke für die Rückmeldung. Wir melden uns nicht mehr.',
    booked: 'Super, danke für die Buchung! Bis bald.',
    engaged: 'Danke für Ihre Nachricht! Worum geht es genau, und wann würde es Ihnen passen?',
    engagedAgain: 'Danke, das hilft. Welcher Tag und welche Uhrzeit passen Ihnen am besten?',
    bookingOffer: (u) => `Sie können auch direkt hier buchen: ${u}`,
    bookingOfferBusy: (u) => `Wann immer es passt, können Sie hier buchen: ${u}`,
  },
};

/** The languages the built-in bot answers in. */
export const REPLY_LANGUAGES = Object.keys(STRINGS) as Language[];

/**
 * The requested time as the contact will read it: the classifier's wallClock in English
 * ("Tue 3:00 PM"), a localised equivalent otherwise ("el martes a las 15:00").
 */
export function timeEcho(c: ReplyInput['classification'], lang: Language, now?: number): string | null {
  if (lang === 'en' || c.requestedAt === undefined || !c.zone) return c.wallClock ?? null;
  const dt = DateTime.fromMillis(c.requestedAt, { zone: luxonZone(c.zone) }).setLocale(lang);
  if (!dt.isValid) return c.wallClock ?? null;
  const far = now !== undefined && c.requestedAt - now >= 6 * 24 * 3_600_000;
  const day = far ? dt.toFormat('cccc d LLLL') : dt.toFormat('cccc');
  switch (lang) {
    case 'es':
      return `el ${day} a las ${dt.toFormat('H:mm')}`;
    case 'fr':
      return `${day} à ${dt.toFormat("H'h'mm")}`;
    case 'pt':
      return `${day} às ${dt.toFormat('H:mm')}`;
    case 'de':
      return `am ${far ? dt.toFormat('cccc, d. LLLL') : day} um ${dt.toFormat('H:mm')} Uhr`;
    default:
      return c.wallClock ?? null;
  }
}

function languageOf(input: ReplyInput): ReplyLanguage {
  const lang = input.classification.language ?? detectLanguage(normalizeMessage(input.text ?? '').text);
  return lang in STRINGS ? (lang as ReplyLanguage) : 'en';
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
      const delivery = input.delivery ?? { by: 'here', askPhone: false };
      text = when ? s.requestTime[delivery.by](when) : s.requestTimeUnknown[delivery.by];
      if (delivery.askPhone) text += ` ${s.askPhone}`;
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
    default: {
      const lastBot = [...(input.recentMessages ?? [])].reverse().find((m) => m.sender === 'bot');
      const asked =
        lastBot !== undefined &&
        Object.values(STRINGS).some(
          (l) => lastBot.text.startsWith(l.engaged) || lastBot.text.startsWith(l.engagedAgain),
        );
      text = (asked ? s.engagedAgain : s.engaged) + (url ? ` ${s.bookingOffer(url)}` : '');
    }
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
  busy: 'The contact is busy right now. Acknowledge briefly; do not push.',
  booked: 'The contact says the appointment is booked. Thank them.',
  engaged:
    'The contact is engaged in the conversation. Answer helpfully; if you do not know a fact, ask a question the contact can answer (what they need, when suits them). Never promise that someone will get back to them.',
};

function replyPrompt(input: ReplyInput): string {
  const c = input.classification;
  const lines = [
    `You are the friendly text-message assistant of "${input.business.name}". Write one short reply (at most 2 sentences, under 280 characters) to the contact's last message.`,
    INTENT_BRIEF[c.intent] ?? INTENT_BRIEF.engaged,
  ];
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
  if (!input.classification || typeof input.classification.intent !== 'string')
    throw new TypeError('replyToContact: classification.intent is required');
  if (!input.business || typeof input.business.name !== 'string')
    throw new TypeError('replyToContact: business.name must be a string');
  const c = input.classification;
  // Opt-outs, rejections and time confirmations are promises: fixed text, no model involved.
  if (c.intent === 'not_interested' || c.intent === 'request_time' || !input.ollama) return templateReply(input);

  const ollama = input.ollama;
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
        { role: 'system', content: replyPrompt(input) },
        {
          role: 'user',
          content: `${history ? `Conversation so far:\n${history}\n\n` : ''}Contact's last message: ${input.text}`,
        },
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
    if (!fitsSegments(text, 2)) text = fitToSegments(text, 2);
    return { text, source: 'ollama' };
  } catch (e) {
    if (e instanceof ReplyFallback) return templateReply(input, e.message);
    throw e;
  }
}
