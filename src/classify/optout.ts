/**
 * Opt-out detection: STOP-style keywords, "stop messaging me", "wrong number" and their
 * Spanish, French, Portuguese and German forms. Decided by rules before any model is asked,
 * so compliance never depends on a model being up, and biased towards honouring a request
 * to stop (a false opt-out costs a lead; a missed one breaks the law in many places).
 */
import { normalizeMessage } from './normalize.ts';

export type OptOutDecision =
  { optOut: true; matched: string; kind: 'keyword' | 'phrase' | 'wrong_number' } | { optOut: false };

/** A message (or its first/last sentence) that is only one of these is an opt-out. */
const KEYWORDS = new Set([
  // CTIA / carrier keywords and common English forms
  'stop',
  'stop all',
  'stopall',
  'stop it',
  'stop now',
  'stop texting',
  'stop messaging',
  'unsubscribe',
  'unsub',
  'cancel',
  'end',
  'quit',
  'opt out',
  'optout',
  'opt-out',
  'remove',
  'remove me',
  'revoke',
  'stop please',
  'no more',
  // Spanish
  'baja',
  'alto',
  'para',
  'parar',
  'cancelar',
  'detener',
  'darme de baja',
  'dar de baja',
  'dame de baja',
  'basta',
  'no mas',
  'no mas mensajes',
  // French
  'arret',
  'arreter',
  'arrete',
  'arretez',
  'desabonner',
  'desinscrire',
  'desinscription',
  'desabonnement',
  'stop sms',
  // Portuguese
  'pare',
  'sair',
  'descadastrar',
  'chega',
  'parem',
  // German
  'stopp',
  'abmelden',
  'austragen',
  'abbestellen',
  'ende',
  'aufhoren',
  'hor auf',
  'horen sie auf',
]);

/** Words that may surround a keyword without changing it ("STOP please!!", "unsubscribe thanks"). */
const FILLER =
  /\b(?:please|now|thanks|thank you|thx|ok|pls|plz|por favor|svp|s'il vous plait|bitte|danke|merci|gracias|obrigad[oa]|just|all|asap|immediately|already|right now|eyeroll)\b/g;

const PHRASES: RegExp[] = [
  // English
  /\b(?:stop|quit|cease|end)\s+(?:all\s+)?(?:the\s+)?(?:texting|txting|messaging|contacting|calling|sending|emailing|bugging|spamming|harassing|bothering|hitting me up|reaching out|texts|messages|calls)\b/,
  /\b(?:don't|do not|never|pls don't|please don't|please do not|no need to)\s+(?:ever\s+)?(?:text|message|contact|call|email|sms|ring|reach out to|send)\s+(?:me|us|this number|here)\b/,
  /\b(?:remove|delete|erase)\s+(?:me|my (?:number|name|info|information|details|contact(?: info)?|phone(?: number)?)|this number|us)\b/,
  /\b(?:take|get|put)\s+(?:me|my number|this number|us|my name)\s+(?:off|out of)\b/,
  /\bunsubscribe\b|\bunsub\b|\bopt(?:-|\s)?(?:me\s+)?out\b|\bstop all\b/,
  /\bno more (?:texts|messages|calls|emails|spam)\b/,
  /\bleave me alone\b|\b(?:lose|forget|delete) my number\b/,
  // Spanish
  /\b(?:deja|dejen|deje|para|paren|pare)\s+de\s+(?:escribirme|enviarme|mandarme|llamarme|contactarme|molestarme|escribir|enviar|mandar|llamar)\b/,
  /\bno\s+(?:me\s+)?(?:vuelvas|vuelvan|vuelva)\s+a\s+(?:escribir|llamar|contactar|enviar|molestar)\b/,
  /\bno\s+me\s+(?:escribas|escriban|escriba|llames|llamen|contactes|contacten|contacte|envies|envien|mandes|manden|molestes|molesten)\b/,
  /\b(?:dame|denme|darme|deme|dar|dan)\s+de\s+baja\b/,
  /\b(?:quitame|quitenme|sacame|sacenme|borrame|borrenme|eliminame|eliminenme)\b/,
  /\bno\s+(?:quiero|deseo)\s+(?:recibir\s+)?mas\s+(?:mensajes|llamadas|sms)\b/,
  /\bdej(?:a|e|en)me en paz\b/,
  // French
  /\barret(?:ez|e|er)\s+de\s+(?:m'?\s?|me\s+)(?:envoyer|ecrire|appeler|contacter|harceler|spammer|deranger)\b/,
  /\bne\s+(?:m'?\s?|me\s+)(?:ecrivez|envoyez|appelez|contactez|ecris|envoie|appelle|contacte|recontactez|rappelez|derangez)\s+plus\b/,
  /\b(?:desabonn|desinscri)\w*\b/,
  /\b(?:retirez|enlevez|supprimez)[- ](?:moi|mon numero)\b|\bsupprimez mon numero\b/,
  /\bplus de (?:messages|sms|appels)\b/,
  /\blaissez[- ]moi tranquille\b|\bfoutez[- ]moi la paix\b/,
  // Portuguese
  /\b(?:para|pare|parem|parar)\s+de\s+(?:me\s+)?(?:mandar|enviar|ligar|escrever|chamar|incomodar)\b/,
  /\bnao\s+me\s+(?:mande|mandem|manda|envie|enviem|ligue|liguem|liga|escreva|escrevam|chame|chamem|contate|contatem|procure|procurem|incomode|incomodem)\s+mais\b/,
  /\bnao\s+(?:quero|desejo)\s+(?:mais\s+)?receber\s+(?:mais\s+)?(?:mensagens?|ligacoes|sms|nada)\b/,
  /\b(?:me\s+)?(?:tira|tire|remove|remova|exclua|exclui)\s+(?:da (?:sua )?lista|meu numero|meu contato|do cadastro)\b|\bme\s+(?:tira|tire|remove|remova|exclua)\b/,
  /\bdescadastr\w*\b|\bquero sair da lista\b/,
  /\bme deix(?:a|e) em paz\b/,
  // German
  /\bhor(?:en sie|t)?\s+auf\s+(?:mir\s+)?(?:zu\s+)?(?:schreiben|nachrichten|anzurufen|mich\s+anzurufen|mir zu schreiben|zu nerven)\b/,
  /\bschreib(?:en sie|t)?\s+mir\s+nicht\s+mehr\b|\bruf(?:en sie|t)?\s+mich\s+nicht\s+mehr\s+an\b/,
  /\bkeine\s+(?:nachrichten|sms|anrufe|werbung|e-?mails|mails)\s+mehr\b/,
  /\bnicht\s+mehr\s+(?:kontaktieren|anrufen|anschreiben|schreiben)\b/,
  /\babmelden\b|\babbestellen\b|\baustragen\b|\btragen sie mich aus\b|\bentfernen sie (?:mich|meine nummer)\b|\bloschen sie meine (?:nummer|daten)\b/,
  /\blass(?:en sie|t)? mich (?:bitte |doch |einfach )*in ruhe\b/,
];

const WRONG_NUMBER: RegExp[] = [
  /\bwrong (?:number|person|guy|girl|contact|phone|lady|man)\b|\bnot my number\b|\byou have the wrong\b/,
  /\b(?:number|phone)\s+(?:doesn't|does not|don't|no longer|isn't|is not)\s+(?:belong|belongs)\b|\bdoesn't belong to \w+ anymore\b|\bno one (?:here )?by that name\b|\bthere(?:'s| is) no \w+ (?:here|at this number)\b/,
  /\bnumero equivocado\b|\bequivocad[oa] de numero\b|\bse equivoc\w+ de numero\b/,
  /\bmauvais numero\b|\bfaux numero\b|\berreur de numero\b/,
  /\bnumero errado\b|\bengano de numero\b/,
  /\bfalsche nummer\b|\bfalsch verbunden\b/,
  // "this isn't Dave" as the whole message
  /^(?:sorry,? )?(?:this|it)(?:'s| is)? (?:isn't|is not|not) (?!a\b|an\b|the\b|ok\b|okay\b|good\b|working\b|right\b|true\b|it\b|that\b|what\b|me\b|my\b|your\b|for\b|interested\b|important\b|urgent\b|helpful\b|necessary\b|needed\b|clear\b|possible\b|fair\b|funny\b|cool\b|enough\b|bad\b)[a-z]+\W*$/,
];

/** Capitalised words that are not names ("I'm not Sure", "I'm not Interested"). */
const NOT_NAMES = new Set([
  'I',
  'A',
  'The',
  'Sure',
  'Interested',
  'Busy',
  'Free',
  'Available',
  'Home',
  'Ready',
  'Looking',
  'Going',
  'Able',
  'Happy',
  'Paying',
  'Buying',
  'Selling',
  'Here',
  'There',
  'Really',
  'In',
  'At',
  'On',
  'Into',
  'Very',
  'That',
  'This',
  'Your',
  'You',
  'Yet',
  'Now',
  'Today',
  'Tomorrow',
  'OK',
  'Ok',
  'Okay',
  'Driving',
  'Working',
  'Done',
]);
/** "I'm not Jessica" / "this is not Mark's phone": uses the original capitalisation. */
function notThisPerson(original: string): string | null {
  const m =
    /\b(?:I'?m|I am|this is not|this isn'?t|it'?s not|you'?re not (?:texting|messaging|talking to))\s+([A-Z][a-z]+)(?:'s)?\b/.exec(
      original,
    );
  if (!m || NOT_NAMES.has(m[1])) return null;
  return m[0];
}

/** Words before a stop-phrase that cancel it: "I didn't say stop", "don't stop texting". */
const CANCELLED_BEFORE =
  /\b(?:didn't|did not|never|don't|do not|not|if you|why would you|why did you|won't|wouldn't|say|said)\s+(?:say\s+|said\s+)?$/;

/** After "don't call me": a restriction, not an opt-out ("don't call me before 5", "don't call, text instead"). */
const RESTRICTION_AFTER =
  /^[^.!?;]*?\b(?:before|after|until|till|instead|only|between|during|while|at work|text me|just text|email me|in the morning|at night|so early|so late)\b/;

function keywordOnly(s: string): boolean {
  const core = s
    .replace(FILLER, ' ')
    .replace(/[^a-z' -]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return core.length > 0 && KEYWORDS.has(core);
}

/** Opt-out decision on already-normalised text (`original` enables the capitalised-name check). */
export function detectOptOutNormalized(text: string, original?: string): OptOutDecision {
  const t = text.trim();
  if (!t) return { optOut: false };
  if (original) {
    const who = notThisPerson(original);
    if (who) return { optOut: true, matched: who, kind: 'wrong_number' };
  }
  if (keywordOnly(t)) return { optOut: true, matched: t, kind: 'keyword' };
  // A keyword standing as its own first or last sentence ("who is this? stop").
  const sentences = t
    .split(/[.!?;\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (sentences.length > 1) {
    for (const s of [sentences[0], sentences[sentences.length - 1]]) {
      if (keywordOnly(s)) return { optOut: true, matched: s, kind: 'keyword' };
    }
  }
  for (const re of WRONG_NUMBER) {
    const m = re.exec(t);
    if (m) return { optOut: true, matched: m[0], kind: 'wrong_number' };
  }
  for (const re of PHRASES) {
    const m = re.exec(t);
    if (!m) continue;
    const before = t.slice(Math.max(0, m.index - 24), m.index);
    if (CANCELLED_BEFORE.test(before) && !/^(?:don't|do not|never|please|pls|no need)/.test(m[0])) continue;
    if (/^(?:don't|do not|never|pls don't|please don't|please do not)/.test(m[0])) {
      const after = t.slice(m.index + m[0].length);
      if (
        RESTRICTION_AFTER.test(after) &&
        !/\b(?:either|ever|again|anymore|any more)\b/.test(after.split(/[.!?;]/)[0] ?? '')
      )
        continue;
    }
    return { optOut: true, matched: m[0], kind: 'phrase' };
  }
  return { optOut: false };
}

/** Opt-out decision for a raw inbound message. */
export function detectOptOut(text: string): OptOutDecision {
  return detectOptOutNormalized(normalizeMessage(text).text, text);
}
