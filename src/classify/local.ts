/**
 * The local classifier (source 'model'): the learned intent model combined with the rules
 * where the rules are the better judge; the service's default and the Ollama fallback.
 * Opt-outs are decided by the rules first, with confidence 1 (compliance never depends on a
 * model); the model gives a calibrated probability per intent (the top two are `readings`);
 * a refusal wins from a lower probability than the others; times come from the grammar,
 * read once per message; `refusalCue` flags a cue the model did not resolve, for the doubt
 * path. The decision order in detail: `analyzeLocal`.
 */
import { defaultIntentModel, modelProbabilities, type IntentModel } from './intentModel.ts';
import { extractFeatures, type FeatureOptions, type FeatureVector } from './features.ts';
import { normalizeMessage } from './normalize.ts';
import { findRefusalCue } from './refusalCues.ts';
import {
  classifyRules,
  MAX_ANALYZED_CHARS,
  readRules,
  warmUpRules,
  warmUpRulesInSlices,
  type RulesOptions,
  type RulesReading,
} from './rules.ts';
import { pickFutureTime } from './timeResolver.ts';
import type { Classification, ClassifyInput, IntentClassifier, IntentReading } from './types.ts';

/**
 * Below this confidence a classification counts as unsure: the eval's needs_review count, and
 * the bots' default `uncertainThreshold` (src/config/botConfig.ts keeps the same value).
 */
export const DEFAULT_UNCERTAIN_THRESHOLD = 0.5;

/**
 * `not_interested` is chosen whenever its probability reaches this, even when another intent
 * is more probable (chosen on out-of-fold predictions of the training part: docs/classification.md).
 */
export const REFUSAL_MIN_PROBABILITY = 0.4;

/**
 * A time request the rules read, with its time, wins over the model's busy or engaged from
 * this probability of request_time: "a time request wins over busy" (shared/data/README.md).
 * Chosen on out-of-fold predictions of the training part (docs/classification.md).
 */
export const RULES_TIME_MIN_PROBABILITY = 0.15;

export interface LocalOptions extends RulesOptions {
  /** The model to use (default: the committed one). */
  model?: IntentModel;
}

/** What the rules say about a message, computed once per classification. */
export interface Signals {
  rules: Classification;
  /** The first refusal cue, or null. */
  cue: string | null;
}

/** The signals of a message whose rules answer is known. */
function signalsOf(rules: Classification, text: string): Signals {
  return { rules, cue: findRefusalCue(text) };
}

/**
 * The rules' answer as symbolic features of the model: their intent, an opt-out, a refusal
 * cue. ("The grammar finds a future time" was measured too: no gain, and a second reading
 * of every message by the time grammar.)
 */
export function ruleHints(signals: Signals): string[] {
  const hints = [`rules:${signals.rules.intent}`];
  if (signals.rules.optOut) hints.push('rules:optout');
  if (signals.cue) hints.push('cue:refusal');
  return hints;
}

function clip(text: string): string {
  return text.length > MAX_ANALYZED_CHARS ? text.slice(0, MAX_ANALYZED_CHARS) : text;
}

/** The model's features of a message, given its signals (null: no rule hints). */
export function messageFeatures(
  input: ClassifyInput,
  signals: Signals | null,
  features: FeatureOptions,
): FeatureVector {
  return extractFeatures(normalizeMessage(clip(input.text)).text, features, signals ? ruleHints(signals) : []);
}

/** Features of a labelled record (training and evaluation). */
export function featurizeRecord(
  record: ClassifyInput,
  features: FeatureOptions,
  withRuleHints: boolean,
): FeatureVector {
  return messageFeatures(record, withRuleHints ? signalsOf(classifyRules(record), record.text) : null, features);
}

/** True when a classification should go to an operator: unsure, or an unresolved refusal cue. */
export function needsReview(c: Classification, threshold = DEFAULT_UNCERTAIN_THRESHOLD): boolean {
  return Boolean(c.refusalCue) || (c.confidence !== undefined && c.confidence < threshold);
}

/** Intents with their probabilities, most probable first (ties in INTENTS order). */
export function rankReadings(model: IntentModel, probabilities: readonly number[]): IntentReading[] {
  return model.classes
    .map((intent, k) => ({ intent, confidence: probabilities[k] }))
    .sort((a, b) => b.confidence - a.confidence || model.classes.indexOf(a.intent) - model.classes.indexOf(b.intent));
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The local classifier's full reading of a message (what Ollama's answers are combined with). */
export interface LocalAnalysis {
  classification: Classification;
  /** Every intent with its calibrated probability, most probable first (empty for a rule-decided opt-out). */
  ranked: IntentReading[];
  /** The rules' answer (their time pick and language). */
  rules: Classification;
  /** The first refusal cue in the message, or null. */
  cue: string | null;
}

/**
 * Classifies one message synchronously. Throws InvalidClassifyInputError on bad input, as
 * classifyRules does.
 */
export function classifyLocal(input: ClassifyInput, options: LocalOptions = {}): Classification {
  return analyzeLocal(input, options).classification;
}

/**
 * classifyLocal with the probabilities and the rules' answer behind it. Decision order:
 *   1. Opt-outs (STOP keywords, stop-phrases, wrong number): the rules (`detectOptOut`).
 *   2. The model reads the message, the rules' answer among its features.
 *   3. A refusal wins from REFUSAL_MIN_PROBABILITY; a time request the rules read wins over
 *      busy or engaged from RULES_TIME_MIN_PROBABILITY.
 *   4. A time request takes its time from the rules' pick, else the most specific future time
 *      in the rules' reading (`pickFutureTime`); when neither finds one the intent stays
 *      request_time without `requestedAt`, which the statechart treats as busy.
 *   5. `refusalCue` is set when the message carries a refusal cue (refusalCues.ts) and the
 *      intent is not `not_interested`.
 */
export function analyzeLocal(input: ClassifyInput, options: LocalOptions = {}): LocalAnalysis {
  const t0 = performance.now();
  const reading = readRules(input, options);
  const rules = reading.classification;
  const language = rules.language;
  if (rules.optOut) {
    const classification: Classification = {
      intent: 'not_interested',
      optOut: true,
      source: 'model',
      confidence: 1,
      readings: [{ intent: 'not_interested', confidence: 1 }],
      ...(language ? { language } : {}),
      latencyMs: performance.now() - t0,
    };
    return { classification, ranked: [], rules, cue: null };
  }
  const model = options.model ?? defaultIntentModel();
  const signals = signalsOf(rules, input.text);
  const x = messageFeatures(input, model.ruleHints ? signals : null, model.features);
  const ranked = rankReadings(model, modelProbabilities(model, x));

  const chosen = choose(ranked, rules);
  const time = chosen.intent === 'request_time' ? timeOf(input, reading) : null;
  const readings = ranked.slice(0, 2).map((r) => ({ intent: r.intent, confidence: round4(r.confidence) }));
  const classification: Classification = {
    intent: chosen.intent,
    ...(time ?? {}),
    source: 'model',
    confidence: round4(chosen.confidence),
    readings,
    ...(signals.cue && chosen.intent !== 'not_interested' ? { refusalCue: true } : {}),
    ...(language ? { language } : {}),
  };
  classification.latencyMs = performance.now() - t0;
  return { classification, ranked, rules, cue: signals.cue };
}

/** The intent of a message from the model's ranked readings and the rules' answer (steps 3 and 4 of the module comment). */
function choose(ranked: readonly IntentReading[], rules: Classification): IntentReading {
  const refusal = ranked.find((r) => r.intent === 'not_interested')!;
  if (refusal.confidence >= REFUSAL_MIN_PROBABILITY) return refusal;
  const top = ranked[0];
  if ((top.intent === 'busy' || top.intent === 'engaged') && rules.intent === 'request_time' && rules.requestedAt) {
    const request = ranked.find((r) => r.intent === 'request_time')!;
    if (request.confidence >= RULES_TIME_MIN_PROBABILITY) return request;
  }
  return top;
}

type TimeFields = Pick<Classification, 'requestedAt' | 'phrase' | 'zone' | 'wallClock'>;

/**
 * The follow-up time of a message the model reads as a time request: the rules' pick, else the
 * most specific future time of the rules' own reading of the message (the grammar runs once).
 */
function timeOf(input: ClassifyInput, reading: RulesReading): TimeFields | null {
  const rules = reading.classification;
  if (rules.intent === 'request_time' && rules.requestedAt !== undefined) {
    return { requestedAt: rules.requestedAt, phrase: rules.phrase, zone: rules.zone, wallClock: rules.wallClock };
  }
  if (!reading.analysis) return null;
  const resolved = pickFutureTime(reading.analysis, input.now, input.timezone, reading.conventions);
  if (!resolved) return null;
  return {
    requestedAt: resolved.at,
    phrase: resolved.phrase,
    zone: resolved.zone,
    wallClock: resolved.wallClock,
  };
}

/** The local classifier behind the IntentClassifier interface. */
export class LocalClassifier implements IntentClassifier {
  readonly name = 'model' as const;
  constructor(private readonly options: LocalOptions = {}) {}
  async classify(input: ClassifyInput): Promise<Classification> {
    return classifyLocal(input, this.options);
  }
}

const WARM_UP_MESSAGES = [
  'call me tomorrow at 3',
  'in a meeting, text me later',
  'not interested, thanks',
  'I booked for friday',
  'what time do you close?',
  'llámame mañana a las 4, estoy ocupado',
  'Appelez-moi lundi à 9h',
  'Können Sie mich morgen um 10 anrufen?',
];

/** Warms the rules and the model up (and loads the model) before latency matters. */
export function warmUpLocal(zones: readonly string[] = ['UTC']): void {
  warmUpRules(zones);
  const now = Date.UTC(2026, 0, 7, 15, 0, 0);
  for (let round = 0; round < 5; round++)
    for (const text of WARM_UP_MESSAGES) classifyLocal({ text, now, timezone: 'UTC' });
}

/**
 * `warmUpLocal` one message per event-loop turn (the rules' warm-up first, sliced the same
 * way), for a process that is serving meanwhile.
 */
export async function warmUpLocalInSlices(
  zones: readonly string[] = ['UTC'],
  nextTurn: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve)),
): Promise<number> {
  let classified = await warmUpRulesInSlices(zones, nextTurn);
  const now = Date.UTC(2026, 0, 7, 15, 0, 0);
  for (let round = 0; round < 5; round++) {
    for (const text of WARM_UP_MESSAGES) {
      classifyLocal({ text, now, timezone: 'UTC' });
      classified++;
      await nextTurn();
    }
  }
  return classified;
}
