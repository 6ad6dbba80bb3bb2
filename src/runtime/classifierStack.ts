/**
 * Chooses classification and composition at start (Ollama when it answers and has the
 * model, else rules and templates) and adapts them to the runtime's function shapes.
 */
import { composeFollowUp, composerModel } from '../classify/composer.ts';
import { selectClassifier } from '../classify/select.ts';
import type { OllamaOptions } from '../classify/types.ts';
import type { ClassifyFn, ComposeFn } from './runtime.ts';

export interface ClassifierStack {
  mode: 'ollama' | 'rules';
  reason: string;
  classify: ClassifyFn;
  compose: ComposeFn;
  /** Set when Ollama is in use: the responder and composer use it too. */
  ollama?: OllamaOptions | null;
}

export async function createClassifierStack(options: { host: string | null; model: string; timeoutMs: number }): Promise<ClassifierStack> {
  const selected = options.host
    ? await selectClassifier({ host: options.host, model: options.model, timeoutMs: options.timeoutMs })
    : null;
  const ollama: OllamaOptions | null =
    selected?.mode === 'ollama' && options.host ? { host: options.host, model: options.model, timeoutMs: options.timeoutMs } : null;
  const classifier = selected?.classifier;
  const rules = await import('../classify/rules.ts');
  // Compiles the rules' patterns now, so the first contacts are not the slow ones.
  rules.warmUpRules();
  const classify: ClassifyFn = classifier ? (input) => classifier.classify(input) : rules.classifyRules;
  const compose: ComposeFn = async ({ bot, contact, scenario, step, message, recent }) => {
    const result = await composeFollowUp({
      scenario,
      step,
      mode: message.mode,
      customText: message.mode === 'custom' ? message.text : undefined,
      contact: { firstName: contact.name?.split(/\s+/)[0] || undefined },
      business: { name: bot.config.name, bookingUrl: bot.config.bookingUrl },
      recentMessages: composerModel(message.mode, ollama) ? recent().map((m) => ({ sender: m.sender, text: m.text })) : [],
      previousTemplateId: contact.last_template_id,
      ollama,
    });
    return { text: result.text, templateId: result.templateId ?? null, source: result.source };
  };
  return {
    mode: selected?.mode ?? 'rules',
    reason: selected?.reason ?? 'Ollama disabled',
    classify,
    compose,
    ollama,
  };
}
