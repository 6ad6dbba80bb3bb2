/**
 * Composer of follow-up messages.
 *   ai mode:     Ollama writes one message from the recent conversation, the scenario, the
 *                step and the business name; the result is bounded to 2 SMS segments, and
 *                every link except the bot's booking URL is removed. Any failure falls back
 *                to a built-in template (varied per scenario and step, never the same one as
 *                the contact's previous follow-up), with the reason recorded.
 *   custom mode: the operator's text with {{first_name}}, {{business_name}}, {{booking_url}}
 *                filled (safe defaults when a value is missing).
 */
import { z } from 'zod';
import { enforceLinkPolicy } from './links.ts';
import { createOllamaClient, DEFAULT_OLLAMA_TIMEOUT_MS, describeOllamaError } from './ollamaConfig.ts';
import { fillPlaceholders } from './placeholders.ts';
import { fitsSegments, fitToSegments } from './segments.ts';
import { pickTemplate, SCENARIOS, templateLanguage, type Scenario } from './templates.ts';
import type { ConversationMessage, OllamaOptions } from './types.ts';

export { fillPlaceholders, type PlaceholderValues } from './placeholders.ts';
export type { Scenario } from './templates.ts';

/** Follow-ups must fit this many SMS segments (306 GSM-7 characters, 134 UCS-2). */
export const MAX_SEGMENTS = 2;

export interface ComposeInput {
  scenario: Scenario;
  step: number;
  mode: 'ai' | 'custom';
  customText?: string;
  contact: { firstName?: string };
  business: { name: string; bookingUrl?: string | null };
  recentMessages: ConversationMessage[];
  previousTemplateId?: string | null;
  /** The contact's last known language (src/classify/types.ts code): built-in templates are written in it. */
  language?: string | null;
  ollama?: OllamaOptions | null;
}

export interface ComposeResult {
  text: string;
  source: 'ollama' | 'template' | 'custom';
  templateId?: string;
  fallbackReason?: string;
}

export class ComposeInputError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'ComposeInputError';
  }
}

function validate(input: ComposeInput): void {
  if (!input || typeof input !== 'object') throw new ComposeInputError('compose input must be an object');
  if (!SCENARIOS.includes(input.scenario)) {
    throw new ComposeInputError(
      `scenario must be one of ${SCENARIOS.join(', ')} (got ${JSON.stringify(input.scenario)})`,
    );
  }
  if (!Number.isInteger(input.step) || input.step < 1)
    throw new ComposeInputError(`step must be an integer >= 1 (got ${JSON.stringify(input.step)})`);
  if (input.mode !== 'ai' && input.mode !== 'custom')
    throw new ComposeInputError(`mode must be "ai" or "custom" (got ${JSON.stringify(input.mode)})`);
  if (!input.business || typeof input.business.name !== 'string')
    throw new ComposeInputError('business.name must be a string');
  if (!Array.isArray(input.recentMessages)) throw new ComposeInputError('recentMessages must be an array');
}

function placeholderValues(input: ComposeInput) {
  return {
    first_name: input.contact?.firstName ?? null,
    business_name: input.business.name,
    booking_url: input.business.bookingUrl ?? null,
  };
}

/** A built-in template, filled and bounded. */
export function templateFollowUp(input: ComposeInput, fallbackReason?: string): ComposeResult {
  const language = templateLanguage(input.language);
  const t = pickTemplate(
    input.scenario,
    input.step,
    input.previousTemplateId,
    input.contact?.firstName ?? '',
    language,
  );
  const text = fitToSegments(fillPlaceholders(t.text, placeholderValues(input), language), MAX_SEGMENTS);
  return { text, source: 'template', templateId: t.id, ...(fallbackReason ? { fallbackReason } : {}) };
}

const SCENARIO_BRIEF: Record<Scenario, string> = {
  stoppedReplying: 'The contact stopped replying after our last message. Gently re-open the conversation.',
  busy: 'The contact said they were busy. Check back politely, acknowledging they were busy.',
  requestedTime: 'The contact asked us to get back to them at this time. Follow up as they asked.',
};

const ComposeAnswer = z.object({ message: z.string() });
const COMPOSE_SCHEMA = {
  type: 'object',
  properties: { message: { type: 'string', description: 'The follow-up message, plain text.' } },
  required: ['message'],
  additionalProperties: false,
} as const;

function composePrompt(input: ComposeInput): string {
  const booking = input.business.bookingUrl
    ? `The only link you may include is the booking link: ${input.business.bookingUrl}. Include it only if it helps.`
    : 'Do not include any link, URL, email address or phone number.';
  const name = input.contact?.firstName
    ? `The contact's first name is ${input.contact.firstName}.`
    : "The contact's name is unknown: do not invent one.";
  return [
    `You write a single follow-up text message on behalf of "${input.business.name}".`,
    SCENARIO_BRIEF[input.scenario],
    `This is follow-up number ${input.step}${input.step > 1 ? '; do not repeat earlier follow-ups' : ''}.`,
    name,
    booking,
    'Rules: at most 280 characters; plain text; no emojis; friendly and brief; one clear question or next step;',
    'do not invent prices, offers, facts or times; do not say you are an AI; write in the language the contact uses.',
    'Answer with JSON: {"message": "..."}.',
  ].join('\n');
}

function conversationText(messages: ConversationMessage[]): string {
  const recent = messages.slice(-10);
  if (!recent.length) return '(no messages yet)';
  return recent
    .map(
      (m) =>
        `${m.sender === 'contact' ? 'Contact' : m.sender === 'bot' ? 'Us' : 'Us (staff)'}: ${m.text.replace(/\s+/g, ' ').slice(0, 500)}`,
    )
    .join('\n');
}

class ComposeFallback extends Error {}

/** Cleans a model's message; throws ComposeFallback when it is unusable. */
export function sanitizeGenerated(raw: string, input: Pick<ComposeInput, 'business' | 'recentMessages'>): string {
  let text = raw.replace(/\s+/g, ' ').trim();
  text = text.replace(/^["'“”]+|["'“”]+$/g, '').trim();
  if (/\{\{|\}\}/.test(text))
    text = fillPlaceholders(text, {
      business_name: input.business.name,
      booking_url: input.business.bookingUrl ?? null,
    });
  text = enforceLinkPolicy(text, input.business.bookingUrl).text;
  if (!text) throw new ComposeFallback('model returned an empty message');
  if (!fitsSegments(text, MAX_SEGMENTS)) {
    const fitted = fitToSegments(text, MAX_SEGMENTS);
    if (fitted.length < 40) throw new ComposeFallback('model message too long to fit 2 SMS segments');
    text = fitted;
  }
  const lastBot = [...input.recentMessages].reverse().find((m) => m.sender === 'bot');
  if (lastBot && lastBot.text.trim().toLowerCase() === text.toLowerCase())
    throw new ComposeFallback('model repeated the previous message');
  return text;
}

async function composeWithOllama(input: ComposeInput, ollama: OllamaOptions): Promise<ComposeResult> {
  const timeoutMs = ollama.timeoutMs ?? DEFAULT_OLLAMA_TIMEOUT_MS;
  const client = createOllamaClient(ollama, timeoutMs);
  let content: string;
  try {
    const res = await client.chat({
      model: ollama.model,
      messages: [
        { role: 'system', content: composePrompt(input) },
        {
          role: 'user',
          content: `Recent conversation:\n${conversationText(input.recentMessages)}\n\nWrite the follow-up now.`,
        },
      ],
      format: COMPOSE_SCHEMA,
      options: { temperature: 0.7 },
      stream: false,
    });
    content = res?.message?.content ?? '';
  } catch (e) {
    return templateFollowUp(input, describeOllamaError(e, timeoutMs));
  }
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw new ComposeFallback(`invalid JSON from model: ${JSON.stringify(content.slice(0, 80))}`);
    }
    const answer = ComposeAnswer.safeParse(parsed);
    if (!answer.success) throw new ComposeFallback('schema violation: expected {"message": string}');
    return { text: sanitizeGenerated(answer.data.message, input), source: 'ollama' };
  } catch (e) {
    if (e instanceof ComposeFallback) return templateFollowUp(input, e.message);
    throw e;
  }
}

/**
 * The model that writes a follow-up of this mode, or null when templates or custom text
 * do (and then the conversation is not needed: callers skip reading it).
 */
export function composerModel(
  mode: ComposeInput['mode'],
  ollama: OllamaOptions | null | undefined,
): OllamaOptions | null {
  return mode === 'ai' && ollama ? ollama : null;
}

export async function composeFollowUp(input: ComposeInput): Promise<ComposeResult> {
  validate(input);
  if (input.mode === 'custom') {
    const raw = typeof input.customText === 'string' ? input.customText : '';
    const text = raw.trim() ? fillPlaceholders(raw, placeholderValues(input)) : '';
    if (text) return { text, source: 'custom' };
    return templateFollowUp(input, raw.trim() ? 'custom text empty after filling placeholders' : 'custom text missing');
  }
  const model = composerModel(input.mode, input.ollama);
  if (!model) return templateFollowUp(input);
  return composeWithOllama(input, model);
}
