/**
 * `{{placeholder}}` filling for operator-written (custom) follow-ups and for the built-in
 * templates. Missing values never leave "Hi {{first_name}}", "Hi ," or a sentence starting in
 * lowercase: a missing first name becomes "there" after an English greeting ("Hi there,"),
 * is dropped with its comma at the start of a sentence ("{{first_name}}, any thoughts?" →
 * "Any thoughts?") and dropped elsewhere ("Thanks {{first_name}}!" → "Thanks!", "Hola
 * {{first_name}}, ¿…" → "Hola, ¿…"); a missing business name → "our team" in the text's
 * language (`language`, default English); a missing booking URL drops the sentence offering it (one
 * that ends with the link, or a short one), or only the link and its lead-in when the
 * sentence goes on. Unknown placeholders are left out, never printed raw.
 */

export interface PlaceholderValues {
  first_name?: string | null;
  business_name?: string | null;
  booking_url?: string | null;
  [key: string]: string | null | undefined;
}

const PLACEHOLDER_RE = /\{\{\s*([A-Za-z][\w .-]*?)\s*\}\}/g;

/** "First Name", "firstName", "first-name" → "first_name". */
function canonicalKey(key: string): string {
  return key
    .trim()
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/[\s.-]+/g, '_')
    .toLowerCase();
}

const ALIASES: Record<string, string> = {
  firstname: 'first_name',
  name: 'first_name',
  contact_name: 'first_name',
  contact_first_name: 'first_name',
  business: 'business_name',
  company: 'business_name',
  company_name: 'business_name',
  booking_link: 'booking_url',
  link: 'booking_url',
  bookingurl: 'booking_url',
};

/** "our team", in each language of the built-in templates (src/classify/templates.ts). */
const OUR_TEAM: Record<string, string> = {
  en: 'our team',
  es: 'nuestro equipo',
  pt: 'nossa equipe',
  fr: 'notre équipe',
  de: 'unser Team',
  it: 'il nostro team',
  nl: 'ons team',
  pl: 'nasz zespół',
  tr: 'ekibimiz',
  'hi-Latn': 'hamari team',
  tl: 'aming team',
};

const BOOKING_MARK = '\u0001';
const NAME_MARK = '\u0002';
/** Greetings after which "there" reads naturally in place of a missing name. */
const GREETING_RE = new RegExp(`\\b(Hi|Hey|Hello)\\s+${NAME_MARK}`, 'g');
/** A missing name opening a sentence, with the comma after it: the next word is capitalised. */
const OPENING_NAME_RE = new RegExp(`(^|[.!?]\\s+)${NAME_MARK}\\s*[,:]?\\s*(\\p{Ll})?`, 'gu');
const ANY_NAME_RE = new RegExp(`\\s*${NAME_MARK}`, 'g');

function clean(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const v = value.replace(/\s+/g, ' ').trim();
  return v ? v : null;
}

/** Splits into sentences keeping their terminators and the whitespace after them. */
function sentences(text: string): string[] {
  return text.match(/[^.!?\n]*(?:[.!?]+|\n|$)\s*/g)?.filter((s) => s.length > 0) ?? [text];
}

/**
 * `text` with its placeholders filled. `language` (a code of src/classify/types.ts) words the
 * fallbacks: "Hi there" is English only, and French keeps its space before ? ! : ;.
 */
export function fillPlaceholders(text: string, values: PlaceholderValues = {}, language = 'en'): string {
  if (typeof text !== 'string') throw new TypeError('fillPlaceholders: text must be a string');
  const normalized: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(values)) {
    const key = ALIASES[canonicalKey(k)] ?? canonicalKey(k);
    normalized[key] = clean(v ?? null);
  }
  const firstName = normalized.first_name ?? null;
  const business = normalized.business_name ?? null;
  const booking = normalized.booking_url ?? null;

  let out = text.replace(PLACEHOLDER_RE, (_, rawKey: string) => {
    const key = ALIASES[canonicalKey(rawKey)] ?? canonicalKey(rawKey);
    switch (key) {
      case 'first_name':
        return firstName ?? NAME_MARK;
      case 'business_name':
        return business ?? OUR_TEAM[language] ?? OUR_TEAM.en;
      case 'booking_url':
        return booking ?? BOOKING_MARK;
      default: {
        const v = normalized[key];
        return v ?? '';
      }
    }
  });

  if (out.includes(BOOKING_MARK)) {
    out = sentences(out)
      .map((s) => {
        if (!s.includes(BOOKING_MARK)) return s;
        // A sentence that ends with the link only offers it ("Or book a slot: {{booking_url}}").
        if (/^[\s.!?)]*$/u.test(s.slice(s.indexOf(BOOKING_MARK) + 1))) return /\n$/.test(s) ? '\n' : '';
        const words = s
          .replace(BOOKING_MARK, ' ')
          .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
          .trim()
          .split(/\s+/)
          .filter(Boolean);
        // A short sentence that only offers the link ("Book here: {{booking_url}}") goes entirely.
        if (words.length <= 6) return /\n$/.test(s) ? '\n' : '';
        // Otherwise drop the link and the words that introduced it.
        return s.replace(
          new RegExp(`\\s*(?:\\b(?:at|via|on|through|using|here|from)\\b\\s*)?[:\\-–]?\\s*${BOOKING_MARK}`, 'u'),
          '',
        );
      })
      .join('');
  }

  if (out.includes(NAME_MARK)) {
    out = out
      .replace(GREETING_RE, language === 'en' ? '$1 there' : '$1')
      .replace(
        OPENING_NAME_RE,
        (_m, before: string, letter: string | undefined) => before + (letter ? letter.toUpperCase() : ''),
      )
      .replace(ANY_NAME_RE, '');
  }

  return out
    .replace(/[ \t]{2,}/g, ' ')
    .replace(language === 'fr' ? / +([.,])/g : / +([.,!?;:])/g, '$1')
    .replace(/\(\s*\)/g, '')
    .replace(/([,;:])\s*([.!?])/g, '$2')
    .replace(/^[\s,;:]+/, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
