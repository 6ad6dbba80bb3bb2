/**
 * Public API of the classification area (see docs/classification.md).
 */
export type {
  Classification,
  ClassifyInput,
  ConversationMessage,
  Intent,
  IntentClassifier,
  IntentReading,
  Language,
  OllamaOptions,
} from './types.ts';
export { INTENTS } from './types.ts';
export {
  classifyRules,
  RulesClassifier,
  rulesClassifier,
  warmUpRules,
  InvalidClassifyInputError,
  type RulesOptions,
} from './rules.ts';
export {
  classifyLocal,
  analyzeLocal,
  LocalClassifier,
  needsReview,
  warmUpLocal,
  DEFAULT_UNCERTAIN_THRESHOLD,
  type LocalOptions,
} from './local.ts';
export { findRefusalCue } from './refusalCues.ts';
export { OllamaClassifier, CLASSIFICATION_SCHEMA } from './ollama.ts';
export { selectClassifier, type ClassifierSelection, type SelectOptions } from './select.ts';
export {
  ollamaConfigFromEnv,
  normalizeOllamaHost,
  OllamaConfigError,
  DEFAULT_OLLAMA_HOST,
  DEFAULT_OLLAMA_MODEL,
  DEFAULT_OLLAMA_TIMEOUT_MS,
  type OllamaEnvConfig,
} from './ollamaConfig.ts';
export { detectOptOut, type OptOutDecision } from './optout.ts';
export {
  resolveTimePhrase,
  formatWallClock,
  isValidZone,
  InvalidZoneError,
  type ResolvedTime,
} from './timeResolver.ts';
export { DEFAULT_CONVENTIONS, type TimeConventions } from './conventions.ts';
export {
  composeFollowUp,
  fillPlaceholders,
  MAX_SEGMENTS,
  ComposeInputError,
  type ComposeInput,
  type ComposeResult,
} from './composer.ts';
export { replyToContact, type ReplyInput, type ReplyResult } from './responder.ts';
export { smsSegments, fitToSegments, fitsSegments, isGsm7, type SegmentInfo } from './segments.ts';
export { enforceLinkPolicy, findUrls } from './links.ts';
