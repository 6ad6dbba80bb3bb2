/**
 * Chooses classification and composition at start (Ollama when it answers and has the
 * model, else the local intent model and templates) and adapts them to the runtime's
 * function shapes.
 */
import { composeFollowUp, composerModel } from '../classify/composer.ts';
import { selectClassifier } from '../classify/select.ts';
import type { RulesThreadsStats } from '../classify/rulesThreads.ts';
import type { OllamaOptions } from '../classify/types.ts';
import type { ClassifyFn, ComposeFn } from './runtime.ts';

export interface ClassifierStack {
  mode: 'ollama' | 'model';
  reason: string;
  classify: ClassifyFn;
  compose: ComposeFn;
  /** Set when Ollama is in use: the responder and composer use it too. */
  ollama?: OllamaOptions | null;
  /** The local classifier's worker threads, when it runs on them (NUDGE_CLASSIFY_THREADS). */
  threads?: () => RulesThreadsStats | null;
  /**
   * Starts the classifier threads now instead of at the first saturation (memory readings that
   * must not count their start, benchmarks); nothing without threads.
   */
  startThreads?: () => void;
  /** Resolves when the started classifier threads have warmed up (memory readings, tests); at once without threads. */
  whenReady?: () => Promise<void>;
  /** Stops what the stack started (classifier threads); pending classifications are answered first. */
  close?: () => Promise<void>;
}

export async function createClassifierStack(options: {
  host: string | null;
  model: string;
  timeoutMs: number;
  /** Worker threads for the local classifier (0: on the event loop). */
  rulesThreads?: number;
}): Promise<ClassifierStack> {
  const selected = options.host
    ? await selectClassifier({ host: options.host, model: options.model, timeoutMs: options.timeoutMs })
    : null;
  const ollama: OllamaOptions | null =
    selected?.mode === 'ollama' && options.host
      ? { host: options.host, model: options.model, timeoutMs: options.timeoutMs }
      : null;
  const classifier = selected?.classifier;
  const local = await import('../classify/local.ts');
  const threaded =
    !classifier || classifier.name === 'model'
      ? (options.rulesThreads ?? 0) > 0
        ? new (await import('../classify/rulesThreads.ts')).RulesClassifierThreads({ threads: options.rulesThreads! })
        : null
      : null;
  // Loads the model and compiles the rules' patterns now, so the first contacts are not the
  // slow ones: the event loop classifies whenever it has time (threads start only on
  // saturation and warm themselves up), and this is also the Ollama fallback. In slices, so
  // start-up and the first requests are not held up by it; a failure would show on the
  // first real message.
  local.warmUpLocalInSlices().catch(() => {});
  const classify: ClassifyFn = threaded
    ? (input) => threaded.classify(input)
    : classifier && classifier.name !== 'model'
      ? (input) => classifier.classify(input)
      : local.classifyLocal;
  const compose: ComposeFn = async ({ bot, contact, scenario, step, message, recent }) => {
    const result = await composeFollowUp({
      scenario,
      step,
      mode: message.mode,
      customText: message.mode === 'custom' ? message.text : undefined,
      contact: { firstName: contact.name?.split(/\s+/)[0] || undefined },
      business: { name: bot.config.name, bookingUrl: bot.config.bookingUrl },
      recentMessages: composerModel(message.mode, ollama)
        ? (await recent()).map((m) => ({ sender: m.sender, text: m.text }))
        : [],
      previousTemplateId: contact.last_template_id,
      language: contact.language,
      ollama,
    });
    return { text: result.text, templateId: result.templateId ?? null, source: result.source };
  };
  return {
    mode: selected?.mode ?? 'model',
    reason: selected?.reason ?? 'Ollama disabled',
    classify,
    compose,
    ollama,
    threads: () => threaded?.stats() ?? null,
    startThreads: () => threaded?.startThreads(),
    whenReady: async () => threaded?.whenReady(),
    close: async () => threaded?.close(),
  };
}
