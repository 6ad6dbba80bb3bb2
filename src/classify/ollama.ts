/**
 * The Ollama classifier: asks a local model for the intent and the time *phrase* (structured
 * output constrained by a JSON schema, temperature 0), then turns the phrase into an instant
 * with our own resolver — models are bad at calendar arithmetic, our resolver knows the
 * conventions and DST.
 *
 * Safety: opt-out keywords are decided by the rules before the model is asked. Any failure
 * (timeout, HTTP error, connection refused, invalid JSON, schema violation, a time phrase we
 * cannot resolve) returns the rules answer with `fallbackReason` set, never an exception.
 */
import type { Ollama } from 'ollama';
import { z } from 'zod';
import { createOllamaClient, DEFAULT_OLLAMA_TIMEOUT_MS, describeOllamaError } from './ollama-config.ts';
import { classifyRules, validateClassifyInput, type RulesOptions } from './rules.ts';
import { formatWallClock, resolveTimePhrase } from './time-resolver.ts';
import { INTENTS, type Classification, type ClassifyInput, type IntentClassifier, type OllamaOptions } from './types.ts';

/** JSON schema handed to Ollama's `format`: the model can only answer in this shape. */
export const CLASSIFICATION_SCHEMA = {
  type: 'object',
  properties: {
    intent: { type: 'string', enum: [...INTENTS] },
    time_phrase: {
      type: ['string', 'null'],
      description: 'For request_time: the exact words of the message that say when. Otherwise null.',
    },
  },
  required: ['intent', 'time_phrase'],
  additionalProperties: false,
} as const;

const ModelAnswer = z.object({
  intent: z.enum(INTENTS),
  time_phrase: z.string().nullable().optional(),
});

export const CLASSIFY_SYSTEM_PROMPT = `You label one message that a sales lead sent to a business's assistant by SMS or chat.
Answer with JSON only: {"intent": ..., "time_phrase": ...}.

intent is exactly one of:
- "busy": busy right now and no time given ("in a meeting", "driving rn", "text me later", "I'll get back to you"). "later" alone is busy.
- "request_time": asks to be contacted at or after a time or after a duration ("call me tomorrow at 3", "in 2 hours", "next week", "after 5"). A time request wins over busy ("in a meeting, call me at 4").
- "not_interested": a rejection or opt-out in any wording or language (STOP, unsubscribe, "not interested", "wrong number", "stop texting me").
- "booked": says the appointment is booked or scheduled. "Not booked yet" or "can I book?" is not booked.
- "engaged": anything else that continues the conversation, including questions about times or availability ("what time do you close?", "are you open Saturday?") and references to the past ("I called yesterday").

time_phrase: for "request_time", copy the exact words from the message that say when (for example "tomorrow at 3", "in 2 hours", "next week", "friday afternoon"); do not compute or reformat dates. For every other intent, null.
The message may be in English, Spanish, French, Portuguese or German; copy the phrase in the message's language.`;

export interface OllamaClassifierOptions extends OllamaOptions {
  rules?: RulesOptions;
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
    // The rules answer is cheap: it decides opt-outs and is the fallback for everything else.
    const rules = classifyRules(input, this.options.rules);
    if (rules.optOut) return { ...rules, latencyMs: performance.now() - t0 };
    const fallback = (reason: string): Classification => ({ ...rules, fallbackReason: reason, latencyMs: performance.now() - t0 });

    let content: string;
    try {
      const res = await this.client.chat({
        model: this.options.model,
        messages: [
          { role: 'system', content: CLASSIFY_SYSTEM_PROMPT },
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
      if (answer.intent !== 'request_time') {
        return { intent: answer.intent, source: 'ollama', language: rules.language, latencyMs: performance.now() - t0 };
      }
      // The model found a time request: our resolver places the phrase (falling back to the
      // whole message when the phrase alone is not enough, e.g. "at 3" + "tomorrow" apart).
      const phrase = answer.time_phrase?.trim() ?? '';
      const opts = { conventions: this.options.rules?.conventions, language: rules.language };
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
        language: rules.language,
        latencyMs: performance.now() - t0,
      };
    } catch (e) {
      if (e instanceof FallbackError) return fallback(e.message);
      throw e;
    }
  }

  private parse(content: string): z.infer<typeof ModelAnswer> & { intent: Classification['intent'] } {
    let json: unknown;
    try {
      json = JSON.parse(stripFences(content));
    } catch {
      throw new FallbackError(`invalid JSON from model: ${JSON.stringify(content.slice(0, 80))}`);
    }
    const parsed = ModelAnswer.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FallbackError(`schema violation: ${issue ? `${issue.path.join('.') || '(root)'} ${issue.message}` : 'invalid answer'}`);
    }
    return parsed.data as z.infer<typeof ModelAnswer> & { intent: Classification['intent'] };
  }
}
