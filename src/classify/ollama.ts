/**
 * The Ollama classifier: asks a local model for the intent, the time *phrase* and its
 * confidence (JSON-schema structured output, temperature 0, few-shot examples from the
 * corpus); our own resolver turns the phrase into an instant (conventions, DST). Its
 * confidence is mixed half and half with the local model's calibrated one and goes through
 * the same doubt path. Opt-outs are decided by the rules first. Any failure (timeout, HTTP
 * error, invalid JSON, schema violation, unresolvable phrase) returns the local classifier's
 * answer with `fallbackReason` set, never an exception.
 */
import type { Ollama } from 'ollama';
import { z } from 'zod';
import { createOllamaClient, DEFAULT_OLLAMA_TIMEOUT_MS, describeOllamaError } from './ollamaConfig.ts';
import type { FewShotExample } from './fewShot.ts';
import { defaultIntentModel, type IntentModel } from './intentModel.ts';
import { analyzeLocal } from './local.ts';
import { validateClassifyInput, type RulesOptions } from './rules.ts';
import { formatWallClock, resolveTimePhrase } from './timeResolver.ts';
import {
  INTENTS,
  type Classification,
  type ClassifyInput,
  type Intent,
  type IntentClassifier,
  type IntentReading,
  type OllamaOptions,
} from './types.ts';

/** JSON schema handed to Ollama's `format`: the model can only answer in this shape. */
export const CLASSIFICATION_SCHEMA = {
  type: 'object',
  properties: {
    intent: { type: 'string', enum: [...INTENTS] },
    time_phrase: {
      type: ['string', 'null'],
      description: 'For request_time: the exact words of the message that say when. Otherwise null.',
    },
    confidence: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description: 'How sure you are that intent is right, from 0 to 1.',
    },
  },
  required: ['intent', 'time_phrase', 'confidence'],
  additionalProperties: false,
} as const;

const ModelAnswer = z.object({
  intent: z.enum(INTENTS),
  time_phrase: z.string().nullable().optional(),
  confidence: z.number().min(0).max(1).optional(),
});

/** Weight of the local model's calibrated distribution in the combined confidence. */
export const LOCAL_WEIGHT = 0.5;

export const CLASSIFY_SYSTEM_PROMPT = `You label one message that a sales lead sent to a business's assistant by SMS or chat.
Answer with JSON only: {"intent": ..., "time_phrase": ..., "confidence": ...}.

intent is exactly one of:
- "busy": busy right now and no time given ("in a meeting", "driving rn", "text me later", "I'll get back to you"). "later" alone is busy.
- "request_time": asks to be contacted at or after a time or after a duration ("call me tomorrow at 3", "in 2 hours", "next week", "after 5"). A time request wins over busy ("in a meeting, call me at 4").
- "not_interested": a rejection or opt-out in any wording or language (STOP, unsubscribe, "not interested", "wrong number", "stop texting me", "delete my data", found someone else, annoyance at the messages).
- "booked": says the appointment is booked or scheduled. "Not booked yet" or "can I book?" is not booked.
- "engaged": anything else that continues the conversation, including questions about times or availability ("what time do you close?", "are you open Saturday?") and references to the past ("I called yesterday").

time_phrase: for "request_time", copy the exact words from the message that say when (for example "tomorrow at 3", "in 2 hours", "next week", "friday afternoon"); do not compute or reformat dates. For every other intent, null.
The message may be in any language; copy the phrase in the message's language.
confidence: your probability, from 0 to 1, that intent is right; lower it when the message could be read two ways.`;

/** The few-shot turns of the prompt: each example as a user message and the answer as the assistant's. */
export function fewShotMessages(
  examples: readonly FewShotExample[],
): { role: 'user' | 'assistant'; content: string }[] {
  return examples.flatMap((e) => [
    { role: 'user' as const, content: `Message: """${e.text}"""` },
    {
      role: 'assistant' as const,
      content: JSON.stringify({ intent: e.intent, time_phrase: e.timePhrase, confidence: 0.95 }),
    },
  ]);
}

/**
 * Ollama's answer combined with the local model's distribution: Ollama's distribution puts
 * its confidence on its intent and spreads the rest over the others in the local model's
 * proportions; the result is the average of the two (LOCAL_WEIGHT), best first.
 */
export function combineReadings(
  intent: Intent,
  ollamaConfidence: number,
  local: readonly IntentReading[],
): IntentReading[] {
  const others = local.filter((r) => r.intent !== intent);
  const otherMass = others.reduce((s, r) => s + r.confidence, 0);
  const localOf = (i: Intent) => local.find((r) => r.intent === i)?.confidence ?? 0;
  const combined = INTENTS.map((i) => {
    const ollama =
      i === intent
        ? ollamaConfidence
        : otherMass > 0
          ? ((1 - ollamaConfidence) * localOf(i)) / otherMass
          : (1 - ollamaConfidence) / (INTENTS.length - 1);
    return { intent: i, confidence: LOCAL_WEIGHT * localOf(i) + (1 - LOCAL_WEIGHT) * ollama };
  });
  return combined.sort((a, b) => b.confidence - a.confidence || INTENTS.indexOf(a.intent) - INTENTS.indexOf(b.intent));
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export interface OllamaClassifierOptions extends OllamaOptions {
  rules?: RulesOptions;
  /** The local intent model (default: the committed one): fallback, few-shot examples, confidence. */
  intentModel?: IntentModel;
}

function stripFences(s: string): string {
  const t = s.trim();
  const m = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(t);
  return m ? m[1] : t;
}

class FallbackError extends Error {}

export class OllamaClassifier implements IntentClassifier {
  readonly name = 'ollama' as const;
  private readonly client: Ollama;
  private readonly timeoutMs: number;

  constructor(private readonly options: OllamaClassifierOptions) {
    if (!options.host) throw new TypeError('OllamaClassifier needs a host');
    if (!options.model) throw new TypeError('OllamaClassifier needs a model');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_OLLAMA_TIMEOUT_MS;
    this.client = createOllamaClient(options, this.timeoutMs);
  }

  async classify(input: ClassifyInput): Promise<Classification> {
    const t0 = performance.now();
    validateClassifyInput(input);
    // The local answer is cheap: it decides opt-outs, is the fallback and calibrates the confidence.
    const model = this.options.intentModel ?? defaultIntentModel();
    const local = analyzeLocal(input, { ...this.options.rules, model });
    if (local.classification.optOut) return { ...local.classification, latencyMs: performance.now() - t0 };
    const fallback = (reason: string): Classification => ({
      ...local.classification,
      fallbackReason: reason,
      latencyMs: performance.now() - t0,
    });

    let content: string;
    try {
      const res = await this.client.chat({
        model: this.options.model,
        messages: [
          { role: 'system', content: CLASSIFY_SYSTEM_PROMPT },
          ...fewShotMessages(model.fewShot ?? []),
          { role: 'user', content: `Message: """${input.text}"""` },
        ],
        format: CLASSIFICATION_SCHEMA,
        options: { temperature: 0 },
        stream: false,
      });
      content = res?.message?.content ?? '';
    } catch (e) {
      return fallback(describeOllamaError(e, this.timeoutMs));
    }

    try {
      const answer = this.parse(content);
      const readings = combineReadings(answer.intent, answer.confidence ?? 0.5, local.ranked);
      const doubt = {
        confidence: round4(readings.find((r) => r.intent === answer.intent)!.confidence),
        readings: readings.slice(0, 2).map((r) => ({ intent: r.intent, confidence: round4(r.confidence) })),
        ...(local.cue && answer.intent !== 'not_interested' ? { refusalCue: true } : {}),
      };
      const language = local.rules.language;
      if (answer.intent !== 'request_time') {
        return { intent: answer.intent, source: 'ollama', ...doubt, language, latencyMs: performance.now() - t0 };
      }
      // The model found a time request: our resolver places the phrase (falling back to the
      // whole message when the phrase alone is not enough, e.g. "at 3" + "tomorrow" apart).
      const phrase = answer.time_phrase?.trim() ?? '';
      const opts = { conventions: this.options.rules?.conventions, language };
      const resolved =
        (phrase ? resolveTimePhrase(phrase, input.now, input.timezone, opts) : null) ??
        resolveTimePhrase(input.text, input.now, input.timezone, opts);
      if (!resolved) throw new FallbackError(`model time phrase not resolvable: ${JSON.stringify(phrase || null)}`);
      return {
        intent: 'request_time',
        requestedAt: resolved.at,
        phrase: phrase && input.text.includes(phrase) ? phrase : resolved.phrase,
        zone: resolved.zone,
        wallClock: formatWallClock(resolved.at, resolved.zone, input.now),
        source: 'ollama',
        ...doubt,
        language,
        latencyMs: performance.now() - t0,
      };
    } catch (e) {
      if (e instanceof FallbackError) return fallback(e.message);
      throw e;
    }
  }

  private parse(content: string): z.infer<typeof ModelAnswer> & { intent: Intent } {
    let json: unknown;
    try {
      json = JSON.parse(stripFences(content));
    } catch {
      throw new FallbackError(`invalid JSON from model: ${JSON.stringify(content.slice(0, 80))}`);
    }
    const parsed = ModelAnswer.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FallbackError(
        `schema violation: ${issue ? `${issue.path.join('.') || '(root)'} ${issue.message}` : 'invalid answer'}`,
      );
    }
    return parsed.data as z.infer<typeof ModelAnswer> & { intent: Intent };
  }
}
