/**
 * The built-in bot's reply to an inbound contact message: short, helpful, in the contact's
 * language (polite register, as the follow-up templates). A time request echoes the resolved
 * time and the channel the follow-up will really use, and asks for a mobile number when a text
 * would need one; a refusal gets a fixed confirmation (compliance wording is never left to a
 * model); an engaged contact is asked something they can answer, never promised a human.
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

/** Reply languages: every language the classifier reads. */
type ReplyLanguage = Language;

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
    requestTime: { sms: (w) => `Claro — le envío un SMS ${w}.`, here: (w) => `Claro — le escribo por aquí ${w}.` },
    requestTimeUnknown: { sms: 'Claro — le envío un SMS entonces.', here: 'Claro — le escribo por aquí entonces.' },
    askPhone: '¿Prefiere un SMS? Deje su número de móvil en el formulario de abajo.',
    busy: 'Sin problema — le escribo más tarde.',
    optOut: (b) => `Entendido. No recibirá más mensajes de ${b}.`,
    notInterested: 'Entendido, gracias por avisarnos. No volveremos a escribirle.',
    booked: '¡Perfecto, gracias por reservar! Nos vemos pronto.',
    engaged: '¡Gracias por su mensaje! ¿Me cuenta un poco más de lo que necesita y cuándo le vendría bien?',
    engagedAgain: 'Gracias, eso me ayuda. ¿Qué día y a qué hora le vendría mejor?',
    bookingOffer: (u) => `También puede reservar aquí: ${u}`,
    bookingOfferBusy: (u) => `Cuando quiera, puede reservar aquí: ${u}`,
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
  it: {
    requestTime: { sms: (w) => `Certo — le mando un SMS ${w}.`, here: (w) => `Certo — le scrivo qui ${w}.` },
    requestTimeUnknown: { sms: "Certo — le mando un SMS a quell'ora.", here: "Certo — le scrivo qui a quell'ora." },
    askPhone: 'Preferisce un SMS? Lasci il suo numero di cellulare nel modulo qui sotto.',
    busy: 'Nessun problema — la ricontatto più tardi.',
    optOut: (b) => `D'accordo. Non riceverà più messaggi da ${b}.`,
    notInterested: 'Capito, grazie di avercelo detto. Non la ricontatteremo.',
    booked: 'Perfetto, grazie della prenotazione! A presto.',
    engaged: 'Grazie del messaggio! Può dirmi qualcosa in più su ciò che le serve, e quando le farebbe comodo?',
    engagedAgain: 'Grazie, mi è utile. Quale giorno e orario le andrebbero meglio?',
    bookingOffer: (u) => `Può anche prenotare direttamente qui: ${u}`,
    bookingOfferBusy: (u) => `Quando vuole, può prenotare qui: ${u}`,
  },
  nl: {
    requestTime: {
      sms: (w) => `Prima — ik stuur u ${w} een sms.`,
      here: (w) => `Prima — ik stuur u ${w} hier een bericht.`,
    },
    requestTimeUnknown: { sms: 'Prima — ik stuur u dan een sms.', here: 'Prima — ik stuur u dan hier een bericht.' },
    askPhone: 'Liever een sms? Laat uw mobiele nummer achter in het formulier hieronder.',
    busy: 'Geen probleem — ik kom later bij u terug.',
    optOut: (b) => `Begrepen. U ontvangt geen berichten meer van ${b}.`,
    notInterested: 'Begrepen, bedankt dat u het laat weten. We nemen geen contact meer op.',
    booked: 'Top, bedankt voor uw boeking! Tot dan.',
    engaged: 'Bedankt voor uw bericht! Kunt u iets meer vertellen over wat u zoekt, en wanneer het u uitkomt?',
    engagedAgain: 'Bedankt, dat helpt. Welke dag en welk tijdstip komen u het best uit?',
    bookingOffer: (u) => `U kunt ook direct hier boeken: ${u}`,
    bookingOfferBusy: (u) => `Wanneer het u uitkomt, kunt u hier boeken: ${u}`,
  },
  pl: {
    requestTime: {
      sms: (w) => `Oczywiście — wyślemy SMS ${w}.`,
      here: (w) => `Oczywiście — odezwiemy się tutaj ${w}.`,
    },
    requestTimeUnknown: { sms: 'Oczywiście — wyślemy wtedy SMS.', here: 'Oczywiście — odezwiemy się wtedy tutaj.' },
    askPhone: 'Wolą Państwo SMS? Prosimy zostawić numer komórki w formularzu poniżej.',
    busy: 'Nie ma problemu — odezwiemy się później.',
    optOut: (b) => `Rozumiemy. Nie będą Państwo otrzymywać więcej wiadomości od ${b}.`,
    notInterested: 'Rozumiemy, dziękujemy za informację. Nie będziemy się więcej odzywać.',
    booked: 'Świetnie, dziękujemy za rezerwację! Do zobaczenia.',
    engaged: 'Dziękujemy za wiadomość! Czego Państwo potrzebują i kiedy byłoby najwygodniej?',
    engagedAgain: 'Dziękujemy, to pomaga. Jaki dzień i godzina będą najwygodniejsze?',
    bookingOffer: (u) => `Można też od razu zarezerwować termin: ${u}`,
    bookingOfferBusy: (u) => `W dogodnej chwili można zarezerwować termin tutaj: ${u}`,
  },
  tr: {
    requestTime: {
      sms: (w) => `Tabii — size ${w} SMS göndereceğiz.`,
      here: (w) => `Tabii — size ${w} buradan yazacağız.`,
    },
    requestTimeUnknown: {
      sms: 'Tabii — size o saatte SMS göndereceğiz.',
      here: 'Tabii — size o saatte buradan yazacağız.',
    },
    askPhone: 'SMS tercih eder misiniz? Cep telefonu numaranızı aşağıdaki forma bırakabilirsiniz.',
    busy: 'Sorun değil — size daha sonra tekrar yazacağız.',
    optOut: (b) => `Anlaşıldı. Size artık ${b} tarafından mesaj gönderilmeyecek.`,
    notInterested: 'Anlaşıldı, bildirdiğiniz için teşekkürler. Size tekrar yazmayacağız.',
    booked: 'Harika, randevunuz için teşekkürler! Görüşmek üzere.',
    engaged:
      'Mesajınız için teşekkürler! Neye ihtiyacınız olduğunu ve hangi zamanın size uygun olduğunu yazar mısınız?',
    engagedAgain: 'Teşekkürler, bu yardımcı oldu. Hangi gün ve saat size en uygun?',
    bookingOffer: (u) => `Dilerseniz doğrudan buradan randevu alabilirsiniz: ${u}`,
    bookingOfferBusy: (u) => `Hazır olduğunuzda buradan randevu alabilirsiniz: ${u}`,
  },
  'hi-Latn': {
    requestTime: {
      sms: (w) => `Ji zaroor — hum aapko ${w} SMS bhej denge.`,
      here: (w) => `Ji zaroor — hum aapko ${w} yahin message karenge.`,
    },
    requestTimeUnknown: {
      sms: 'Ji zaroor — hum aapko usi time SMS bhej denge.',
      here: 'Ji zaroor — hum aapko usi time yahin message karenge.',
    },
    askPhone: 'SMS chahiye? Neeche diye form mein apna mobile number daal dijiye.',
    busy: 'Koi baat nahi — hum aapse baad mein baat karte hain.',
    optOut: (b) => `Samajh gaye. Ab aapko ${b} se koi message nahi aayega.`,
    notInterested: 'Samajh gaye, batane ke liye shukriya. Hum aapko dobara message nahi karenge.',
    booked: 'Bahut badhiya, booking ke liye shukriya! Milte hain.',
    engaged: 'Message ke liye shukriya! Thoda batayenge ki aapko kya chahiye, aur kab aapke liye theek rahega?',
    engagedAgain: 'Shukriya, isse madad mili. Aapke liye kaunsa din aur time sabse sahi rahega?',
    bookingOffer: (u) => `Aap seedha yahan bhi book kar sakte hain: ${u}`,
    bookingOfferBusy: (u) => `Jab suvidha ho, aap yahan book kar sakte hain: ${u}`,
  },
  tl: {
    requestTime: {
      sms: (w) => `Sige po — ite-text namin kayo sa ${w}.`,
      here: (w) => `Sige po — magme-message kami rito sa ${w}.`,
    },
    requestTimeUnknown: {
      sms: 'Sige po — ite-text namin kayo sa oras na iyon.',
      here: 'Sige po — magme-message kami rito sa oras na iyon.',
    },
    askPhone: 'Mas gusto po ba ninyo ng text? Ilagay lang po ang inyong mobile number sa form sa ibaba.',
    busy: 'Walang problema po — babalikan namin kayo mamaya.',
    optOut: (b) => `Naiintindihan po. Hindi na kayo makakatanggap ng mensahe mula sa ${b}.`,
    notInterested: 'Naiintindihan po, salamat sa pagsabi. Hindi na po kami magfo-follow up.',
    booked: 'Ayos, salamat po sa pag-book! Kita-kits po.',
    engaged: 'Salamat po sa mensahe! Ano po ang kailangan ninyo, at kailan po kayo libre?',
    engagedAgain: 'Salamat po, malaking tulong iyan. Anong araw at oras po ang pinakamainam para sa inyo?',
    bookingOffer: (u) => `Puwede rin po kayong mag-book dito: ${u}`,
    bookingOfferBusy: (u) => `Kapag handa na po kayo, puwede kayong mag-book dito: ${u}`,
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
    case 'it':
      return `${day} alle ${dt.toFormat('H:mm')}`;
    case 'nl':
      return `${day} om ${dt.toFormat('H:mm')}`;
    case 'pl': {
      const weekday = POLISH_WEEKDAY_ACCUSATIVE[dt.weekday - 1];
      return `${weekday}${far ? `, ${dt.toFormat('d MMMM')},` : ''} o ${dt.toFormat('H:mm')}`;
    }
    case 'tr': {
      const clock = dt.toFormat('H:mm');
      return `${far ? `${dt.toFormat('d MMMM')} ` : ''}${dt.toFormat('cccc')} saat ${clock}'${turkishLocative(dt.hour, dt.minute)}`;
    }
    default:
      // Hinglish and Tagalog speakers read times the English way ("Tue 3:00 PM").
      return c.wallClock ?? null;
  }
}

/** "w poniedziałek", "we wtorek", "w środę": the preposition and accusative Polish times take. */
const POLISH_WEEKDAY_ACCUSATIVE = [
  'w poniedziałek',
  'we wtorek',
  'w środę',
  'w czwartek',
  'w piątek',
  'w sobotę',
  'w niedzielę',
];

/**
 * The locative ending of a time read aloud in Turkish ("15:00'te", "15:30'da"): it follows
 * the last number word (beş → -te, otuz → -da), by vowel harmony and consonant hardening.
 */
function turkishLocative(hour: number, minute: number): string {
  const n = minute || hour;
  // 0 (sıfır), 1 bir, 2 iki, … 9 dokuz; then the tens: on, yirmi, otuz, kırk, elli.
  const ONES = ['da', 'de', 'de', 'te', 'te', 'te', 'da', 'de', 'de', 'da'];
  const TENS = ['da', 'da', 'de', 'da', 'ta', 'de'];
  return n % 10 === 0 ? TENS[Math.floor(n / 10)] : ONES[n % 10];
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
