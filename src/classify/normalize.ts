/**
 * Message normalisation shared by every rule: lower case, accents folded (contacts type
 * "manana" as often as "mañana"), meaning-bearing emojis turned into words, stretched words
 * squeezed ("stoppp" → "stop") and SMS spelling expanded ("tmrw @ 3" → "tomorrow at 3").
 * Every step keeps the mapping back to the original text (see MappedText).
 */
import { MappedText } from './mappedText.ts';

/** Emojis that carry intent; every other pictograph becomes a space. */
const EMOJI_WORDS: Record<string, string> = {
  '🚗': 'driving',
  '🚙': 'driving',
  '🚘': 'driving',
  '🚕': 'driving',
  '🏎': 'driving',
  '✈': 'flying',
  '🛫': 'flying',
  '👍': 'ok',
  '👌': 'ok',
  '🙌': 'ok',
  '🆗': 'ok',
  '✅': 'done',
  '✔': 'done',
  '☑': 'done',
  '🙄': 'eyeroll',
  '😒': 'eyeroll',
  '😴': 'sleeping',
  '💤': 'sleeping',
};

const PICTO = /\p{Extended_Pictographic}/u;
const MARKS = /\p{M}/gu;

function foldChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code < 128) return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : ch;
  switch (ch) {
    case '’':
    case '‘':
    case '`':
    case '´':
      return "'";
    case '“':
    case '”':
    case '«':
    case '»':
      return '"';
    case '–':
    case '—':
      return '-';
    case '¿':
    case '¡':
      return ' ';
    case 'ß':
      return 'ss';
    // Letters without a decomposition: Turkish dotless i, Polish ł.
    case 'ı':
      return 'i';
    case 'ł':
    case 'Ł':
      return 'l';
    case '\u00a0':
    case '\u2009':
    case '\u202f':
      return ' ';
    case '\u200d':
    case '\ufe0f':
    case '\ufe0e':
      return '';
  }
  if (code >= 0x1f3fb && code <= 0x1f3ff) return ''; // skin-tone modifiers
  const word = EMOJI_WORDS[ch];
  if (word) return ` ${word} `;
  if (PICTO.test(ch)) return ' ';
  const lower = ch.toLowerCase();
  return lower.normalize('NFD').replace(MARKS, '');
}

/** Lower-case, fold accents, map emojis, squeeze letter runs of 3+ to one letter. */
function foldText(original: string): MappedText {
  let mt: MappedText;
  // eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
  if (/^[\x00-\x7f]*$/.test(original)) {
    // Plain ASCII (most messages): lower-casing keeps every index.
    mt = MappedText.identity(original).replace(/[A-Z]+/g, (m) => m[0].toLowerCase());
  } else {
    const pieces: { text: string; from: number; to: number }[] = [];
    let i = 0;
    for (const ch of original) {
      const from = i;
      i += ch.length;
      pieces.push({ text: foldChar(ch), from, to: i });
    }
    mt = MappedText.fromPieces(original, pieces);
  }
  // "stoppp" → "stop", "sooo" → "so", "pleeease" → "please": a run of 3+ equal letters is
  // never English, Spanish, French, Portuguese or German spelling.
  return mt.replace(/([a-z])\1{2,}/g, (m) => m[1]);
}

/** SMS spelling and abbreviations → plain words. Keys are matched as whole words. */
const SLANG: Record<string, string> = {
  tmrw: 'tomorrow',
  tmr: 'tomorrow',
  tmrow: 'tomorrow',
  tmrrw: 'tomorrow',
  tmorrow: 'tomorrow',
  tomorow: 'tomorrow',
  tommorow: 'tomorrow',
  tommorrow: 'tomorrow',
  tomoz: 'tomorrow',
  tmw: 'tomorrow',
  tmro: 'tomorrow',
  tmoro: 'tomorrow',
  '2moro': 'tomorrow',
  '2morrow': 'tomorrow',
  '2mrw': 'tomorrow',
  '2mro': 'tomorrow',
  '2morro': 'tomorrow',
  '2mrow': 'tomorrow',
  '2day': 'today',
  tdy: 'today',
  '2nite': 'tonight',
  '2night': 'tonight',
  tonite: 'tonight',
  nite: 'night',
  l8r: 'later',
  l8ter: 'later',
  ltr: 'later',
  l8er: 'later',
  laterz: 'later',
  l8: 'late',
  rn: 'right now',
  atm: 'at the moment',
  rite: 'right',
  u: 'you',
  ur: 'your',
  r: 'are',
  pls: 'please',
  plz: 'please',
  plse: 'please',
  plez: 'please',
  pleez: 'please',
  pleas: 'please',
  pl0x: 'please',
  txt: 'text',
  txting: 'texting',
  txted: 'texted',
  msg: 'message',
  msgs: 'messages',
  msging: 'messaging',
  thx: 'thanks',
  thnx: 'thanks',
  thnks: 'thanks',
  tks: 'thanks',
  ty: 'thanks',
  tysm: 'thanks',
  b4: 'before',
  aftr: 'after',
  afta: 'after',
  hr: 'hour',
  hrs: 'hours',
  min: 'minutes',
  mins: 'minutes',
  wk: 'week',
  wks: 'weeks',
  wknd: 'weekend',
  nxt: 'next',
  btwn: 'between',
  betw: 'between',
  mon: 'monday',
  tue: 'tuesday',
  tues: 'tuesday',
  wed: 'wednesday',
  weds: 'wednesday',
  thu: 'thursday',
  thur: 'thursday',
  thurs: 'thursday',
  thrs: 'thursday',
  fri: 'friday',
  cnt: "can't",
  cant: "can't",
  wont: "won't",
  dont: "don't",
  didnt: "didn't",
  ive: "i've",
  isnt: "isn't",
  havent: "haven't",
  hasnt: "hasn't",
  doesnt: "doesn't",
  wasnt: "wasn't",
  couldnt: "couldn't",
  wouldnt: "wouldn't",
  shouldnt: "shouldn't",
  arent: "aren't",
  youre: "you're",
  thats: "that's",
  whats: "what's",
  tlk: 'talk',
  ppl: 'people',
  bc: 'because',
  cuz: 'because',
  coz: 'because',
  cos: 'because',
  gonna: 'going to',
  wanna: 'want to',
  gotta: 'got to',
  gimme: 'give me',
  lemme: 'let me',
  nvm: 'never mind',
  ttyl: 'talk to you later',
  ttyl8r: 'talk to you later',
  brb: 'be right back',
  bbl: 'be back later',
  hmu: 'hit me up',
  asap: 'as soon as possible',
  eod: 'end of day',
  cob: 'end of day',
  eow: 'end of week',
  k: 'ok',
  kk: 'ok',
  okie: 'ok',
  okey: 'ok',
  okay: 'ok',
  arvo: 'afternoon',
  morn: 'morning',
  noonish: 'around noon',
  lunchish: 'around lunch',
  bout: 'about',
  fortnite: 'fortnight',
  tho: 'though',
  thru: 'through',
  abt: 'about',
  prob: 'probably',
  probs: 'probably',
  sched: 'schedule',
  appt: 'appointment',
  appts: 'appointments',
  info: 'information',
};

const SLANG_RE = new RegExp(
  `(?<![\\p{L}\\d'])(${Object.keys(SLANG)
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')})(?![\\p{L}\\d'])`,
  'gu',
);

/** "sat"/"sun" are only weekdays when the context says so ("sat at 3", "next sun"). */
const SAT_SUN_AFTER =
  /(?<![\p{L}\d])(sat|sun)(?=\s+(?:at|@|around|after|\d+|morning|afternoon|evening|night|am|pm)\b)/gu;
const SAT_SUN_BEFORE = /(?<=\b(?:on|next|this|till|until|by|coming|or)\s+)(sat|sun)(?![\p{L}\d])/gu;

const GERMAN_HINT =
  /\b(?:bin|ich|grad|gerade|nicht|bitte|danke|und|der|das|noch|jetzt|sind|wir|ist|sie|mich|mir|auto|buro|zug|urlaub|stau|januar|februar|marz|april|mai|juni|juli|august|september|oktober|november|dezember|sommer|winter|herbst|fruhling)\b/;

export interface NormalizedText {
  /** Folded, slang-expanded text with mapping to the original. */
  mapped: MappedText;
  /** Shorthand for mapped.text. */
  text: string;
}

export function normalizeMessage(raw: string): NormalizedText {
  let mt = foldText(raw.normalize('NFC'));
  mt = mt.replace(/@/g, () => ' at ');
  mt = mt.replace(/~\s*(?=\d)/g, () => 'around ');
  mt = mt.replace(/\bw\//g, () => 'with ');
  mt = mt.replace(/&/g, () => ' and ');
  // "in 2hrs", "15mins": a number glued to its unit.
  mt = mt.replace(/\b(\d+)(hrs?|hours?|mins?|minutes?|days?|wks?|weeks?)\b/g, (m) => `${m[1]} ${m[2]}`);
  mt = mt.replace(SLANG_RE, (m) => SLANG[m[1]] ?? m[1]);
  // "thurs pm", "tomorrow am": the part of that day; "afternoonish": around the afternoon.
  mt = mt.replace(
    /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today) (a|p)\.?m\b\.?/g,
    (m) => `${m[1]} ${m[2] === 'a' ? 'morning' : 'afternoon'}`,
  );
  mt = mt.replace(/\b(morning|afternoon|evening|noon|lunch|lunchtime|midday)-?ish\b/g, (m) => m[1]);
  mt = mt.replace(/\b(?:1\/2|half) (?:an )?hour\b/g, () => 'half an hour');
  // English "im" is "i'm"; German "im" ("im Auto", "im Meeting") must stay.
  if (!GERMAN_HINT.test(mt.text)) mt = mt.replace(/(?<![\p{L}\d'])im(?![\p{L}\d'])/gu, () => "i'm");
  mt = mt.replace(SAT_SUN_AFTER, (m) => (m[1] === 'sat' ? 'saturday' : 'sunday'));
  mt = mt.replace(SAT_SUN_BEFORE, (m) => (m[1] === 'sat' ? 'saturday' : 'sunday'));
  // "in the AM" / "in the PM": the morning / the afternoon.
  mt = mt.replace(/\bin the (a|p)\.?m\b\.?/g, (m) => (m[1] === 'a' ? 'in the morning' : 'in the afternoon'));
  mt = mt.replace(/\s+/g, () => ' ');
  return { mapped: mt, text: mt.text };
}

export interface Sentence {
  start: number;
  end: number;
  text: string;
  question: boolean;
}

/**
 * Splits normalised text into sentences. A '.' only ends a sentence when followed by a space
 * or the end ("3.30" and "dr.patel" stay whole); '?' marks the sentence as a question.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const re = /[.!?;]+(?=\s|$)|\n+|\s-\s/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const end = m.index;
    const seg = text.slice(last, end);
    if (seg.trim()) out.push({ start: last, end, text: seg, question: m[0].includes('?') });
    last = m.index + m[0].length;
  }
  if (last < text.length) {
    const seg = text.slice(last);
    if (seg.trim()) out.push({ start: last, end: text.length, text: seg, question: false });
  }
  return out;
}
