/**
 * Shared types of the classification area: what the runtime hands a classifier, what it gets
 * back, and how an Ollama endpoint is described. Kept free of logic so every other module
 * (runtime, console, eval) can import it cheaply.
 */

import type { Intent } from '../../machines/vocabulary.ts';

// The machine's intents; the vocabulary module is free of xstate, so this stays cheap to import.
export { INTENTS, type Intent } from '../../machines/vocabulary.ts';

/**
 * Languages the rules understand; anything else is read as English. 'hi-Latn' is Hindi typed
 * in Latin script (Hinglish), 'tl' Tagalog and Taglish.
 */
export type Language = 'en' | 'es' | 'fr' | 'pt' | 'de' | 'it' | 'nl' | 'pl' | 'tr' | 'hi-Latn' | 'tl';

/** Every Language, English first (it wins ties). */
export const LANGUAGES: readonly Language[] = ['en', 'es', 'fr', 'pt', 'de', 'it', 'nl', 'pl', 'tr', 'hi-Latn', 'tl'];

export interface ClassifyInput {
  text: string;
  /** Epoch ms: when the message was received. */
  now: number;
  /** IANA zone: the contact's zone, else the bot's zone. */
  timezone: string;
}

/**
 * A type alias rather than an interface so it is assignable to index-signature shapes such as
 * the runtime's ClassificationLike (interfaces get no implicit index signature).
 */
export type Classification = {
  intent: Intent;
  /** UTC epoch ms, only for request_time. */
  requestedAt?: number;
  /** The time phrase as written by the contact. */
  phrase?: string;
  /** Zone the phrase was resolved in. */
  zone?: string;
  /** e.g. "Tue 3:00 PM" in `zone`, for echoing back to the contact. */
  wallClock?: string;
  /** Decided by opt-out keyword rules (STOP, unsubscribe, translations). */
  optOut?: boolean;
  source: 'rules' | 'model' | 'ollama';
  /**
   * Calibrated probability (0..1) that `intent` is right. Rule-decided opt-outs report 1.
   * Absent only for classifications stored before the learned model existed.
   */
  confidence?: number;
  /** The classifier's top readings, best first (at most two), for an operator to choose from. */
  readings?: IntentReading[];
  /** The text carries a refusal cue (opt-out word, annoyance, privacy request) the intent does not resolve. */
  refusalCue?: boolean;
  /** Set when Ollama was tried and the rules answer was used instead. */
  fallbackReason?: string;
  latencyMs?: number;
  /** Language the message was read as (rules' guess). */
  language?: Language;
};

/** One reading of a message: an intent and its calibrated probability. */
export interface IntentReading {
  intent: Intent;
  confidence: number;
}

export interface IntentClassifier {
  readonly name: 'rules' | 'model' | 'ollama';
  classify(input: ClassifyInput): Promise<Classification>;
}

/** How to reach an Ollama server. `fetch` is injectable for tests and proxies. */
export interface OllamaOptions {
  /** e.g. http://127.0.0.1:11434 (the npm client ignores OLLAMA_HOST, so it is always passed). */
  host: string;
  model: string;
  /** Per-request budget; an answer later than this is abandoned. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface ConversationMessage {
  sender: 'contact' | 'bot' | 'operator';
  text: string;
}
