/**
 * The rules classifier: the embedded default and the fallback whenever Ollama is missing,
 * slow or wrong. Synchronous and allocation-light (called on every inbound message).
 * Decision order, first that applies wins: opt-out keywords/phrases → not_interested
 * (optOut); rejections → not_interested; booked → booked; a future time meant as a follow-up
 * → request_time (+ instant); busy now (not negated) → busy; else engaged. A time request
 * wins over busy ("in a meeting, call me at 4"); a question about the business that mentions
 * a time ("are you open at 7?") is not a request.
 */
import { DEFAULT_CONVENTIONS, type TimeConventions } from './conventions.ts';
import { findAvailableNow, findBooked, findBusy, findRejection, type LexiconHit } from './lexicon.ts';
import { normalizeMessage, splitSentences, type Sentence } from './normalize.ts';
import { detectOptOutNormalized } from './optout.ts';
import type { Mention } from './timeGrammar.ts';
import {
  analyzeText,
  formatWallClock,
  InvalidZoneError,
  isValidZone,
  resolveMention,
  specificity,
  zoneOfMention,
  type MentionResolution,
  type TimeAnalysis,
} from './timeResolver.ts';
import type { Classification, ClassifyInput, IntentClassifier } from './types.ts';

export interface RulesOptions {
  conventions?: Partial<TimeConventions>;
}

export class InvalidClassifyInputError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidClassifyInputError';
  }
}

export function validateClassifyInput(input: ClassifyInput): void {
  if (!input || typeof input !== 'object') throw new InvalidClassifyInputError('classify input must be an object');
  if (typeof input.text !== 'string') throw new InvalidClassifyInputError('classify input "text" must be a string');
  if (typeof input.now !== 'number' || !Number.isFinite(input.now)) {
    throw new InvalidClassifyInputError('classify input "now" must be epoch milliseconds (a finite number)');
  }
  if (typeof input.timezone !== 'string' || !isValidZone(input.timezone)) {
    throw new InvalidClassifyInputError(
      `classify input "timezone" must be an IANA zone, got ${JSON.stringify(input.timezone)}`,
    );
  }
}

// ---------------------------------------------------------------- request heuristics (on the English gloss)

/** The contact asks to be contacted (either direction counts: "I'll call you at 3" too). */
const CONTACT =
  /\b(?:call|calls|ring|phone|text|message|email|e-mail|ping|buzz|holler|reach(?: out)?|contact|follow(?:ing)?[- ]?up|get back to (?:me|you|u)|(?:get|come|circle|check|write|hit) (?:me |you )?back|get in touch|touch base|try me|try again|catch me|hit me up|shoot me|drop me|send me|give me a (?:call|ring|shout|buzz|text|bell)|talk|chat|speak|circle back|check (?:back|in)|reconnect|pick (?:this|it|things) (?:back )?up|connect|reschedule|come back to me|write(?: to)? me|reach me|get me|let's do|can we do|could we do|we can do|do it|do this|hmu|let's talk|let's chat)\b/;

/** Proposals phrased as a question: "how about monday at 11?", "can we do next week instead?". */
const REQUEST_FRAME =
  /\b(?:how about|what about|instead|works?|work for you|would .{0,20}\b(?:work|be (?:ok|okay|good|fine|better))|is .{0,20}\b(?:ok|okay|good|fine|better)|better|maybe|could we|can we)\b/;

/** Questions about the business, its hours, slots or offers: time words there are not requests. */
const SERVICE_QUESTION =
  /\b(?:open|close|closing|closed|hours|available|availability|free|come|anything|any (?:openings?|slots?|spots?|availability|time)|slots?|openings?|spots?|come in|stop by|drop (?:in|by)|book|booking|appointment|viewing|showing|consult(?:ation)?|session|still|promo|deal|sale|discount|offer|valid|earliest|latest|get in|fit me in|squeeze me in|how long|how much|price|cost|what time|when (?:do|does|is|are|will|can)|do you (?:do|have|work|open)|are you (?:open|available|free)|is there|reservation|come by|visit|bring|last|ends?|expire|delivery|deliver|arrive|install)\b/;

/** Asking for an appointment slot (not a follow-up): "can I come in at 3", "book me in for Tuesday". */
const BOOKING_ASK =
  /\b(?:book me|book us|(?:can|could|may) (?:i|we|he|she|they|my \w+|our \w+) (?:come|stop|drop|get in|book|bring)|fit me in|get me in|squeeze me in|schedule me|sign me up)\b/;

/** A clause about an appointment or a visit rather than a follow-up. */
const APPOINTMENT_CLAUSE =
  /\b(?:book|booking|appointment|come in|stop by|drop by|drop in|viewing|showing|visit|reservation|consult(?:ation)?|inspection|delivery|install(?:ation)?|treatment|session|haircut|cleaning|class)\b/;

/** The contact is unavailable at the mentioned time ("I'm out tonight", "busy friday"). */
const UNAVAILABLE =
  /\b(?:i'm out|i am out|im out|we're out|i'm away|away|busy|can't|cannot|won't be|not available|not free|no good|doesn't work|does not work|won't work|tied up|out of town|working|booked|slammed|swamped)\b/;

/** Statements of when the contact is free: "I'm free thursday after 3", "I finish at 5". */
const AVAILABILITY =
  /\b(?:i'm|im|i am|i'll be|i will be|we're|we'll be|i should be|should be)\s+(?:free|available|around|home|back|off|done|finished|out of|awake|up|in|there)\b|\b(?:free|available)\b|\bi (?:get off|finish|am done|get out|land|wake up|leave work|get home|get back|get in)\b/;

const PREFERENCE =
  /\b(?:works|work for (?:me|us)|would work|better|best|good|fine|ok|okay|great|perfect|suits|prefer|preferably|ideally|instead|please|if (?:you can|possible|that works)|sharp|then|would be|is good|either)\b/;

/** "…call me after" with nothing after "after": the time is the end of the busy spell. */
const DANGLING_AFTER =
  /\b(?:after|afterwards|after that|once (?:i'm|im|i am) (?:done|out|free))\s*(?:$|[,.!?;]|please|pls|thanks)/;

/** "…until Friday - can you ping me then?": a request in one sentence pointing at a time in another. */
const CONTACT_THEN =
  /\b(?:call|ring|text|message|ping|reach|contact|try|catch|hit|get back to|follow up|talk|chat|speak)\b[^.!?]*\b(?:then|after that|afterwards|at that (?:time|point))\s*(?:$|[,.!?;]|please|pls|thanks)/;

/** Tense tells a weekday/date mention is in the past: "we spoke on monday". */
const PAST_VERB =
  /\b(?:was|were|did|had|spoke|talked|called|texted|emailed|messaged|sent|went|came|said|told|saw|met|visited|tried|left|missed|received|asked|mentioned|dropped|paid|bought|came in|fixed|installed|replied|answered|contacted|reached out|started|happened|broke|since|stopped by)\b/;
const FUTURE_MARKER =
  /\b(?:will|'ll|going to|gonna|next|this coming|coming|can you|could you|please|call me|text me|let's|tomorrow|works|would|should|try me|reach me)\b/;

const FILLER = new Set(
  (
    'ok okay yes yeah yep yup sure fine maybe perhaps probably how what about or and so like um uh hmm hm then is be would could should just ' +
    "sometime anytime any time hey hi hello thanks thank you please lol actually but let's lets say good great better best works for me " +
    "i i'm am the a an that this it its it's at on in by around after before instead again ideally preferably if can do does we us pm " +
    "o'clock sounds also still right cool alright all yea ya sharp ish perfect nice prefer either whichever whatever more much " +
    // Words left untranslated by the gloss that carry no request meaning.
    'el la los las de que y o pues bueno vale si entonces por favor me te a en le les et ou alors bon oui peut-etre je vous ca c est ' +
    'os as e entao bom sim talvez pode pra der die das und oder dann gut ja vielleicht mir mich sie ich passt geht ' +
    // Tagalog politeness and "instead": "next week na lang po".
    'po na lang nalang gern gerne'
  ).split(' '),
);

/** Time words that make a busy statement about now ("…right now", "can't…"). */
const IMMEDIATE =
  /\b(?:now|right now|at the moment|currently|today|tonight|this (?:morning|afternoon|evening)|can't|cannot|can not)\b/;
/** A question addressed to the business ("do you…", "what…", "is there…"). */
const BUSINESS_QUESTION = /\b(?:do you|does|are you|is there|is it|how|what|when|where|which|who|why|any)\b/;
/** A routine rather than a state: "I work till 6", "at work all week". */
const HABITUAL =
  /\b(?:i work|work(?:ing)? (?:till|until|til|late|nights|days|weekends|weekdays|shifts)|all week|during the week|on weekdays|weekdays|most days|every day)\b/;

/**
 * "Do you do evenings? I work till 6": the work schedule explains the question; the contact is
 * engaged, not busy right now.
 */
function habitualBusyWithQuestion(a: TimeAnalysis): boolean {
  if (IMMEDIATE.test(a.gloss.text) || !HABITUAL.test(a.gloss.text)) return false;
  return splitSentences(a.gloss.text).some(
    (s) => s.question && !CONTACT.test(s.text) && BUSINESS_QUESTION.test(s.text),
  );
}

function sentenceAt(sentences: Sentence[], index: number): Sentence | undefined {
  for (const s of sentences) if (index >= s.start && index < s.end) return s;
  return sentences[sentences.length - 1];
}

/** The comma-delimited clause of a sentence that holds [start, end). */
function clauseAt(text: string, s: Sentence, start: number, end: number): string {
  let a = start;
  while (a > s.start && !/[,]/.test(text[a - 1])) a--;
  let b = end;
  while (b < s.end && !/[,]/.test(text[b])) b++;
  return text.slice(a, b);
}

function residueSmall(text: string, s: Sentence, mentions: Mention[], limit = 2): boolean {
  let rest = '';
  let pos = s.start;
  for (const m of mentions) {
    if (m.end <= s.start || m.start >= s.end) continue;
    rest += ' ' + text.slice(pos, Math.max(pos, m.start));
    pos = Math.max(pos, m.end);
  }
  rest += ' ' + text.slice(pos, s.end);
  let count = 0;
  for (const w of rest.split(/[^a-z0-9'-]+/)) {
    if (!w || FILLER.has(w)) continue;
    if (++count > limit) return false;
  }
  return true;
}

/**
 * The time opens its sentence (nothing but filler before it) and a reason follows after a
 * break: "next spring when the snow's gone", "tra 3 ore, sono a una festa", "mês que vem,
 * agora tô sem grana". Said this way a time is the answer to "when?".
 */
function leadsSentence(text: string, s: Sentence, m: Mention): boolean {
  const before = text.slice(s.start, m.start);
  for (const w of before.split(/[^a-z0-9'-]+/)) if (w && !FILLER.has(w)) return false;
  return REASON_BREAK.test(text.slice(m.end, s.end));
}

/** What may follow a time that opens its sentence: a pause or a subordinate clause. */
const REASON_BREAK =
  /^\s*(?:[,;:\u2014-]|\b(?:when|once|as soon as|because|cause|cos|since|que|q|quando|wenn|weil|quand|car|omdat|als|zodra|jak|kiedy|bo)\b)/;

function isUntil(m: Mention): boolean {
  return Boolean(m.until || (m.tod && 'mod' in m.tod && m.tod.mod === 'until'));
}

function pastByTense(clause: string, m: Mention): boolean {
  const k = m.day?.kind;
  const ambiguous = k === 'weekday' || k === 'date' || k === 'monthDay' || (!m.day && m.tod?.kind === 'part');
  if (!ambiguous) return false;
  if (m.day?.kind === 'weekday' && m.day.next) return false;
  return PAST_VERB.test(clause) && !FUTURE_MARKER.test(clause);
}

interface RequestPick {
  mention: Mention;
  resolution: MentionResolution;
}

/** Finds the follow-up time the contact asks for, if any (see the module comment). */
function pickRequest(
  a: TimeAnalysis,
  now: number,
  zone: string,
  c: TimeConventions,
  busy: LexiconHit | null,
): RequestPick | null {
  if (a.mentions.length === 0) return null;
  const text = a.gloss.text;
  const sentences = splitSentences(text);
  const dangling = DANGLING_AFTER.test(text);
  const contactThen = CONTACT_THEN.test(text);
  // A question to the business makes neighbouring time statements information ("Do you open
  // early? I start work at 8"), unless they come with a request or a preference.
  const businessQuestion = sentences.some((s) => s.question && !CONTACT.test(s.text) && BUSINESS_QUESTION.test(s.text));
  let best: (RequestPick & { score: number }) | null = null;

  for (const m of a.mentions) {
    if (m.past || m.negated) continue;
    const z = zoneOfMention(text, m.start, m.end, zone, now);
    const r = resolveMention(m, now, z, c);
    if (!r || r.past || r.at <= now - 60_000) continue;
    const s = sentenceAt(sentences, m.start);
    if (!s) continue;
    const clause = clauseAt(text, s, m.start, m.end);
    if (pastByTense(clause, m)) continue;
    const contact = CONTACT.test(s.text);
    const until = isUntil(m);

    let accept = false;
    if (s.question) {
      if (contact && !BOOKING_ASK.test(s.text)) accept = true;
      else if (SERVICE_QUESTION.test(s.text) || BOOKING_ASK.test(s.text)) accept = false;
      // A bare time as a question ("tomorrow at noon?") proposes it; more words ask something else.
      else if (REQUEST_FRAME.test(s.text) || residueSmall(text, s, a.mentions, 1)) accept = true;
    } else if (until) {
      // "busy till 3" / "meetings until 2, call me after": free from that time on.
      accept = dangling || contact || contactThen || busy !== null || AVAILABILITY.test(s.text);
    } else if (APPOINTMENT_CLAUSE.test(clause) && !CONTACT.test(clause)) {
      accept = false;
    } else if (UNAVAILABLE.test(clause) && !CONTACT.test(clause) && !contactThen) {
      accept = false;
    } else if (busy && !CONTACT.test(clause) && findBusy(clause.replace(text.slice(m.start, m.end), ' '))) {
      // "at a funeral today": the time says when the contact is busy, not when to call.
      accept = false;
    } else {
      const busyElsewhere =
        busy !== null && !(busy.index >= s.start && busy.index < s.end && clause.includes(busy.match));
      accept =
        contact ||
        contactThen ||
        PREFERENCE.test(s.text) ||
        AVAILABILITY.test(s.text) ||
        (!businessQuestion && (residueSmall(text, s, a.mentions) || busyElsewhere || leadsSentence(text, s, m)));
    }
    if (!accept) continue;

    let score = specificity(m);
    if (CONTACT.test(clause)) score += 3;
    if (PREFERENCE.test(clause)) score += 2;
    if (until) score -= 3;
    if (!best || score > best.score) best = { mention: m, resolution: r, score };
  }
  return best;
}

/** Longer messages are read up to this length (about 13 SMS segments). */
export const MAX_ANALYZED_CHARS = 2000;

/** The rules' answer and the time reading it was decided from. */
export interface RulesReading {
  classification: Classification;
  /** The message's time analysis (null for a long message decided by its opt-out alone). */
  analysis: TimeAnalysis | null;
  /** The conventions the analysis used (defaults merged with the options). */
  conventions: TimeConventions;
}

/**
 * Classifies one inbound message synchronously. Throws InvalidClassifyInputError on bad input
 * (non-string text, non-finite `now`, unknown zone).
 */
export function classifyRules(input: ClassifyInput, options: RulesOptions = {}): Classification {
  return readRules(input, options).classification;
}

/**
 * classifyRules with the time analysis behind it, so a caller that needs another reading of
 * the same message's times (the local classifier) does not run the grammar again.
 */
export function readRules(input: ClassifyInput, options: RulesOptions = {}): RulesReading {
  const t0 = performance.now();
  validateClassifyInput(input);
  const c = options.conventions ? { ...DEFAULT_CONVENTIONS, ...options.conventions } : DEFAULT_CONVENTIONS;
  // Very long messages: the first MAX_ANALYZED_CHARS are read for intent and time (bounded
  // cost); an opt-out anywhere in the message still counts.
  const long = input.text.length > MAX_ANALYZED_CHARS;
  let classification: Classification;
  let a: TimeAnalysis | null = null;
  if (long && detectOptOutNormalized(normalizeMessage(input.text).text, input.text).optOut) {
    classification = { intent: 'not_interested', optOut: true, source: 'rules' };
  } else {
    const text = long ? input.text.slice(0, MAX_ANALYZED_CHARS) : input.text;
    try {
      a = analyzeText(text, input.now, input.timezone, c);
    } catch (e) {
      if (e instanceof InvalidZoneError) throw new InvalidClassifyInputError(e.message);
      throw e;
    }
    classification = decide(a, text, input, c);
  }
  classification.latencyMs = performance.now() - t0;
  return { classification, analysis: a, conventions: c };
}

/** The decision order of the module comment, on a message's time analysis (`text`: the part read). */
function decide(a: TimeAnalysis, text: string, input: ClassifyInput, c: TimeConventions): Classification {
  const { now, timezone } = input;
  const norm = a.normalized;
  const base = { source: 'rules' as const, language: a.language };

  const opt = detectOptOutNormalized(norm, text);
  if (opt.optOut) return { intent: 'not_interested', optOut: true, ...base };

  const rejection = findRejection(norm);
  const busy = findBusy(norm);
  if (rejection) {
    // "not interested right now, maybe next month" defers rather than rejects.
    const soft = /^\s*(?:right now|at the moment|for now|yet|atm|just now)\b/.test(
      norm.slice(rejection.index + rejection.match.length),
    );
    const req = soft ? pickRequest(a, now, timezone, c, busy) : null;
    if (!req) return { intent: 'not_interested', ...base };
  }

  if (findBooked(norm)) return { intent: 'booked', ...base };

  const req = pickRequest(a, now, timezone, c, busy);
  if (req) {
    const { mention, resolution } = req;
    return {
      intent: 'request_time',
      requestedAt: resolution.at,
      phrase: mention.originalPhrase ?? a.gloss.originalSlice(mention.start, mention.end).trim(),
      zone: resolution.zone,
      wallClock: formatWallClock(resolution.at, resolution.zone, now),
      ...base,
    };
  }

  if (busy && !findAvailableNow(norm) && !habitualBusyWithQuestion(a)) return { intent: 'busy', ...base };
  return { intent: 'engaged', ...base };
}

/** The rules classifier behind the IntentClassifier interface. */
export class RulesClassifier implements IntentClassifier {
  readonly name = 'rules' as const;
  constructor(private readonly options: RulesOptions = {}) {}
  async classify(input: ClassifyInput): Promise<Classification> {
    return classifyRules(input, this.options);
  }
}

export const rulesClassifier: IntentClassifier = new RulesClassifier();

const WARM_UP_MESSAGES = [
  'call me tomorrow at 3',
  'in a meeting, text me later',
  'STOP',
  'not interested, thanks',
  'I booked for friday',
  'what time do you close?',
  'how about monday at 11?',
  'can we do next week instead?',
  'next week please, after 5pm or in 2 hours',
  "I'm free thursday after 3",
  'busy till 2, call me after',
  'we spoke on monday, is it still available?',
  'on the 15th or march 10 between 4 and 5 this weekend',
  'after the holidays, end of day, tonight around 8, in a couple days',
  'not booked yet, wrong number? take me off your list',
  'llámame mañana a las 4, estoy ocupado',
  'Appelez-moi lundi à 9h, je suis en réunion',
  'me liga amanhã de manhã, não tenho interesse',
  'Können Sie mich morgen um 10 anrufen? Termin ist gebucht',
  '👍 ok 🙄',
];

/** The warm-up's classifications: a fixed set of messages, five rounds, in each valid zone. */
function* warmUpInputs(zones: readonly string[]): Generator<ClassifyInput> {
  const now = Date.UTC(2026, 0, 7, 15, 0, 0);
  for (let round = 0; round < 5; round++) {
    for (const zone of zones.length ? zones : ['UTC']) {
      if (!isValidZone(zone)) continue;
      for (const text of WARM_UP_MESSAGES) yield { text, now, timezone: zone };
    }
  }
}

/**
 * Runs a fixed set of messages once so regexes are compiled and code is optimised before
 * latency matters (first use of a zone also loads its rules once: pass the zones you expect).
 */
export function warmUpRules(zones: readonly string[] = ['UTC']): void {
  for (const input of warmUpInputs(zones)) classifyRules(input);
}

/**
 * `warmUpRules` one message per event-loop turn, for a process that is serving meanwhile:
 * the whole warm-up is ~300 ms of CPU, which in one piece would hold up start-up (and any
 * request) for as long. `nextTurn` waits for the next turn (tests substitute a counter).
 */
export async function warmUpRulesInSlices(
  zones: readonly string[] = ['UTC'],
  nextTurn: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve)),
): Promise<number> {
  let classified = 0;
  for (const input of warmUpInputs(zones)) {
    classifyRules(input);
    classified++;
    await nextTurn();
  }
  return classified;
}
