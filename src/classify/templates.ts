/**
 * Built-in follow-up templates: several variants per scenario and step so a contact never
 * gets the same text twice in a row, in every language the classifier reads (English here,
 * the others in templateTranslations.ts). The contact's last known language picks the
 * table; an unknown one gets English. The English texts use plain GSM-7 characters only
 * (one SMS segment is 160 characters in GSM-7 but 70 in UCS-2: a single em dash would more
 * than halve it).
 */
import type { Scenario } from '../../machines/vocabulary.ts';
import { TRANSLATED_TEMPLATES, type TemplateTable } from './templateTranslations.ts';
import type { Language } from './types.ts';

export { SCENARIOS, type Scenario } from '../../machines/vocabulary.ts';

export interface Template {
  id: string;
  text: string;
}

/** [scenario][step bucket] → variants. Steps beyond the last bucket use the last one. */
const ENGLISH: TemplateTable = {
  stoppedReplying: [
    [
      'Hi {{first_name}}, just checking in. Did you have any other questions? Happy to help. You can also book here: {{booking_url}}',
      "Hey {{first_name}}, wanted to make sure my last message didn't get lost. Anything I can help with? Book anytime: {{booking_url}}",
      "Hi {{first_name}}, {{business_name}} here. Still interested? Just reply and we'll take it from there.",
    ],
    [
      'Hi {{first_name}}, following up from {{business_name}}. Is now a good time to pick this back up? Grab a time here: {{booking_url}}',
      "{{first_name}}, any thoughts on what we discussed? Reply anytime, we're here to help.",
      "Hi {{first_name}}, is this still something you'd like help with? A quick yes or no is perfect.",
    ],
    [
      'Hi {{first_name}}, this is my last check-in from {{business_name}}. If you would like to continue, just reply. You can also book here: {{booking_url}}',
      "Hi {{first_name}}, I don't want to bother you. If the timing isn't right, no worries, reply whenever you're ready.",
      "{{first_name}}, we'll leave it here for now. If anything changes, reply to this message and we'll pick it up.",
    ],
  ],
  busy: [
    [
      "Hi {{first_name}}, hope you've got a moment now. Want to continue where we left off?",
      'Hey {{first_name}}, circling back as promised. Is now a better time?',
      "Hi {{first_name}}, {{business_name}} here again. Whenever you're free, just reply. Or pick a time that suits you: {{booking_url}}",
    ],
    [
      'Hi {{first_name}}, checking in again from {{business_name}}. Is today any better? Happy to work around your schedule.',
      "Hey {{first_name}}, no rush. When things calm down, reply here and we'll pick it up. Or book directly: {{booking_url}}",
      'Hi {{first_name}}, still happy to help whenever suits you. What time works best?',
    ],
    [
      "Hi {{first_name}}, one last nudge from {{business_name}}. Reply whenever you're ready, we'll be here.",
      "{{first_name}}, we'll give you some space. Whenever you want to continue, just reply. Book anytime: {{booking_url}}",
      "Hi {{first_name}}, I'll stop checking in for now. Message us anytime and we'll pick up where we left off.",
    ],
  ],
  requestedTime: [
    [
      'Hi {{first_name}}, {{business_name}} here, getting back to you at the time you asked. Is this still a good time?',
      'Hi {{first_name}}, following up as you requested. Ready to continue? You can also book directly: {{booking_url}}',
      "Hey {{first_name}}, as promised, here's your follow-up from {{business_name}}. What's the best next step for you?",
    ],
    [
      'Hi {{first_name}}, just following up on my last message. Still a good time to chat?',
      "Hey {{first_name}}, checking in again from {{business_name}}. Reply when you're free. Or book a slot: {{booking_url}}",
      'Hi {{first_name}}, did you still want to go over this? Happy to find another time if that suits you better.',
    ],
    [
      "Hi {{first_name}}, last follow-up from {{business_name}} for now. Reply anytime and we'll pick it up.",
      "{{first_name}}, we'll leave it with you. Whenever you're ready, just reply. You can also book here: {{booking_url}}",
      "Hi {{first_name}}, no worries if the timing didn't work out. Message us whenever suits you.",
    ],
  ],
};

const TEMPLATES: Record<Language, TemplateTable> = { en: ENGLISH, ...TRANSLATED_TEMPLATES };

/** The languages with built-in templates, English first. */
export const TEMPLATE_LANGUAGES = Object.keys(TEMPLATES) as Language[];

/** A stored language code as a template language; anything unknown (or none) is English. */
export function templateLanguage(language: string | null | undefined): Language {
  return language && language in TEMPLATES ? (language as Language) : 'en';
}

/**
 * The variants for (scenario, step) in `language`. Ids are `scenario.bucket.variant`
 * (`busy.2.b`), prefixed with the language but for English (`de:busy.2.b`).
 */
export function templatesFor(scenario: Scenario, step: number, language?: string | null): Template[] {
  const lang = templateLanguage(language);
  const buckets = TEMPLATES[lang][scenario];
  const b = Math.min(Math.max(1, Math.floor(step)), buckets.length) - 1;
  const prefix = lang === 'en' ? '' : `${lang}:`;
  return buckets[b].map((text, i) => ({ id: `${prefix}${scenario}.${b + 1}.${String.fromCharCode(97 + i)}`, text }));
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** A template id without its language prefix: the same variant in any language. */
const variantOf = (id: string | null | undefined) => (id ? id.slice(id.indexOf(':') + 1) : null);

/**
 * Picks a variant for (scenario, step), never the variant of `previousTemplateId` (in any
 * language). Deterministic for the same inputs (tests, idempotent retries) yet rotating
 * across steps and contacts.
 */
export function pickTemplate(
  scenario: Scenario,
  step: number,
  previousTemplateId?: string | null,
  seed = '',
  language?: string | null,
): Template {
  const all = templatesFor(scenario, step, language);
  const previous = variantOf(previousTemplateId);
  const candidates = all.filter((t) => variantOf(t.id) !== previous);
  const pool = candidates.length ? candidates : all;
  // The hash reads the variant, so a contact's rotation is the same in every language.
  return pool[(hash(`${seed}|${previous ?? ''}|${step}`) + step) % pool.length];
}
