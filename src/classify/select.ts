/**
 * Chooses the classifier at start: Ollama (with the local classifier as fallback) when the
 * server answers and has the model, otherwise the local classifier (local.ts: the intent
 * model with the rules). The reason is meant for the start banner and the
 * health endpoint ("Ollama 0.6.2 at http://127.0.0.1:11434 with llama3.2" / "Ollama not
 * reachable at …: connection refused").
 */
import {
  createOllamaClient,
  DEFAULT_OLLAMA_TIMEOUT_MS,
  DEFAULT_PROBE_TIMEOUT_MS,
  describeOllamaError,
} from './ollamaConfig.ts';
import { OllamaClassifier } from './ollama.ts';
import { LocalClassifier } from './local.ts';
import type { RulesOptions } from './rules.ts';
import type { IntentClassifier } from './types.ts';

export interface SelectOptions {
  /** Ollama base URL; empty/null disables Ollama. */
  host?: string | null;
  model: string;
  /** Per-classification timeout used once Ollama is selected. */
  timeoutMs?: number;
  /** Budget of each start-up probe request (default 1500 ms, never above timeoutMs). */
  probeTimeoutMs?: number;
  fetch?: typeof fetch;
  rules?: RulesOptions;
}

export interface ClassifierSelection {
  classifier: IntentClassifier;
  mode: 'ollama' | 'model';
  reason: string;
  ollama?: { host: string; model: string; version: string; timeoutMs: number };
}

/** Model names match with or without the implicit ":latest" tag. */
export function modelMatches(available: string, wanted: string): boolean {
  const norm = (s: string) => (s.includes(':') ? s : `${s}:latest`);
  return norm(available) === norm(wanted);
}

export async function selectClassifier(options: SelectOptions): Promise<ClassifierSelection> {
  const local = new LocalClassifier(options.rules);
  const host = options.host?.trim();
  if (!host)
    return { classifier: local, mode: 'model', reason: 'Ollama disabled (no host configured): local intent model' };
  const timeoutMs = options.timeoutMs ?? DEFAULT_OLLAMA_TIMEOUT_MS;
  const probeMs = Math.min(options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, timeoutMs);
  const client = createOllamaClient({ host, model: options.model, fetch: options.fetch }, probeMs);

  let version: string;
  try {
    const v = await client.version();
    version = typeof v?.version === 'string' ? v.version : 'unknown';
  } catch (e) {
    return {
      classifier: local,
      mode: 'model',
      reason: `Ollama not reachable at ${host}: ${describeOllamaError(e, probeMs)}; using the local model`,
    };
  }

  let names: string[];
  try {
    const list = await client.list();
    names = (list?.models ?? []).flatMap((m) => [m.name, m.model].filter((x): x is string => typeof x === 'string'));
  } catch (e) {
    return {
      classifier: local,
      mode: 'model',
      reason: `Ollama at ${host} did not list models: ${describeOllamaError(e, probeMs)}; using the local model`,
    };
  }
  if (!names.some((n) => modelMatches(n, options.model))) {
    const avail = [...new Set(names)].slice(0, 8).join(', ') || 'none';
    return {
      classifier: local,
      mode: 'model',
      reason: `Ollama ${version} at ${host} has no model ${JSON.stringify(options.model)} (available: ${avail}); using the local model — run \`ollama pull ${options.model}\``,
    };
  }

  const classifier = new OllamaClassifier({
    host,
    model: options.model,
    timeoutMs,
    fetch: options.fetch,
    rules: options.rules,
  });
  return {
    classifier,
    mode: 'ollama',
    reason: `Ollama ${version} at ${host} with model ${options.model} (local model fallback, timeout ${timeoutMs} ms)`,
    ollama: { host, model: options.model, version, timeoutMs },
  };
}
