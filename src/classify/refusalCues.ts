/**
 * Refusal cues: words and phrases that, in a message not classified `not_interested`, make
 * the contact worth an operator's look — opt-out words, annoyance at the messages,
 * privacy/legal requests, "wrong person", in every language the corpus has. A cue alone
 * decides nothing (the model may be right that "no thanks, but can I book friday?" is
 * engaged); it only sends the classification to the doubt path.
 *
 * Matched on the normalised text (lower case, accents folded), as whole words.
 */
import { normalizeMessage } from './normalize.ts';

/** One alternative per line; grouped by what they signal. */
const CUES: readonly string[] = [
  // opt-out words
  'stop (?:texting|messaging|contacting|calling|sending|asking|bugging|bothering)',
  'unsubscribe',
  'unsub',
  'opt (?:me )?out',
  'take me off',
  'remove (?:me|my|this number|it)',
  'delete (?:me|my|this number)',
  "(?:don't|do not|never) (?:text|message|contact|call|email) (?:me|us|this number)",
  'leave me alone',
  'block (?:you|this|ur|your)',
  'no more (?:texts|messages|calls)',
  'lose my number',
  // annoyance
  'spam(?:ming|med)?',
  'annoying',
  'harass(?:ing|ment)?',
  'stop (?:it|this)',
  'enough already',
  'reported',
  'complaint',
  'how did you get (?:my|this) number',
  "(?:never|didn't|did not) (?:give|gave|sign(?:ed)? up|authori[sz]e|consent)",
  '(?:who|where did you) (?:gave you|get|got) my (?:number|name|info|details|cell)',
  'how do you have my',
  "(?:i've|i have|i) (?:already )?told you",
  '(?:[3-9]|\\d\\d|third|3rd|fourth|4th|fifth|5th) (?:message|text|time)s?\\b(?: this| today)?',
  'erase (?:my|all)',
  'close out my',
  'cancel(?:l)?ing (?:my|the|it)',
  "(?:the answer is|it's a) no",
  'not the right person',
  // privacy / legal
  'gdpr',
  'rgpd',
  'dsgvo',
  'avg',
  'lgpd',
  'do not call',
  'dnc',
  'tcpa',
  'legal action',
  // wrong person
  'wrong (?:number|person|#)',
  'not my number',
  "(?:isn't|is not|not) (?:his|her|their) number",
  // plain refusals
  'not interested',
  'no thanks',
  'no thank you',
  "(?:i'll|i will) pass",
  'hard pass',
  // Spanish
  'no me (?:escribas|escriban|llames|llamen|contacten|molesten)',
  'no me vuelv\\w+ a',
  'dej\\w+ de (?:escribir|llamar|molestar|mandar|enviar)',
  'dar(?:me)? de baja',
  'que pesad[oa]s',
  'quien (?:te|les?) dio mi',
  'borr\\w+ (?:mis datos|mi numero)',
  'numero equivocado',
  'no me interesa',
  'no gracias',
  'no estoy interesad[oa]',
  // Portuguese
  'nao me (?:mande|mandem|ligue|liguem|escreva|chame|incomode)\\w*',
  'me tir[ae]',
  'apag\\w+ (?:os )?meus dados',
  'numero errado',
  'nao (?:tenho|estou) interess\\w+',
  'nao obrigad[oa]',
  'descadastr\\w*',
  // French
  'ne m\\W?(?:ecrivez|appelez|contactez|envoyez)',
  'arret\\w* de m',
  'supprim\\w+ (?:mes donnees|mon numero)',
  'desabonn\\w*',
  'desinscri\\w*',
  'mauvais numero',
  'pas interesse\\w*',
  'non merci',
  'laissez[- ]moi',
  'qui vous a donne',
  'trompez de personne',
  'relances',
  // German
  'keine nachrichten',
  'nicht mehr (?:schreiben|anrufen|kontaktieren)',
  'hor\\w* auf',
  'falsche nummer',
  'kein interesse',
  'nein danke',
  'loschen sie',
  'lass\\w* mich in ruhe',
  'abmelden',
  'belastig\\w*',
  'streichen sie mich',
  'verteiler',
  'verbraucherzentrale',
  'anwalt',
  // Italian
  'numero sbagliato',
  'chi (?:vi|ti|le) ha dato il mio',
  'non mi interessa',
  'no grazie',
  'cancellate',
  'non (?:scrivetemi|chiamatemi|contattatemi)',
  'basta (?:messaggi|con)',
  // Dutch
  'geen interesse',
  'nee bedankt',
  'verkeerd nummer',
  'verwijder\\w*',
  'niet meer (?:bellen|sturen|appen)',
  'stop met',
  // Polish, Turkish, Tagalog, Hindi (romanised)
  'nie jestem zainteresowan\\w+',
  'usun\\w*',
  'zly numer',
  'nie dzwon\\w*',
  'ilgilenmiyorum',
  'mesaj atmayin',
  'yanlis numara',
  'ayoko na',
  'wag na',
  'hindi na po',
  'mat bhejo',
  'nahi chahiye',
  'number delete',
  'galat number',
];

const CUE_RE = new RegExp(`(?<![\\p{L}\\d])(?:${CUES.join('|')})(?![\\p{L}\\d])`, 'u');

/** The first refusal cue in a raw message, or null. */
export function findRefusalCue(text: string): string | null {
  const m = CUE_RE.exec(normalizeMessage(text).text);
  return m ? m[0] : null;
}
