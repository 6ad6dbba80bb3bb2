/**
 * Ollama settings from the environment, and the HTTP plumbing every Ollama caller shares:
 * an `ollama` client with an explicit host (the npm client ignores OLLAMA_HOST) and a fetch
 * that gives up after the timeout (AbortSignal.timeout), plus readable failure reasons.
 */
import { Ollama } from 'ollama';
import type { OllamaOptions } from './types.ts';

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
export const DEFAULT_OLLAMA_MODEL = 'llama3.2';
export const DEFAULT_OLLAMA_TIMEOUT_MS = 4000;
/** The start-up probe must not delay boot: it gets its own, shorter budget. */
export const DEFAULT_PROBE_TIMEOUT_MS = 1500;

export interface OllamaEnvConfig {
  host: string;
  model: string;
  timeoutMs: number;
}

export class OllamaConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OllamaConfigError';
  }
}

/** "127.0.0.1:11434" → "http://127.0.0.1:11434"; rejects what is not an http(s) URL. */
export function normalizeOllamaHost(raw: string): string {
  let host = raw.trim();
  if (!host) throw new OllamaConfigError('OLLAMA_HOST is empty');
  if (host.startsWith(':')) host = `127.0.0.1${host}`;
  // Like Ollama itself: no scheme means http on port 11434 unless a port is given.
  const hadScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host);
  if (!hadScheme) host = `http://${host}`;
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new OllamaConfigError(`OLLAMA_HOST is not a valid URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OllamaConfigError(`OLLAMA_HOST must be http(s), got ${JSON.stringify(raw)}`);
  }
  if (!hadScheme && !url.port) url.port = '11434';
  return url.toString().replace(/\/$/, '');
}

/** Reads OLLAMA_HOST, OLLAMA_MODEL and OLLAMA_TIMEOUT_MS (with defaults); throws OllamaConfigError on bad values. */
export function ollamaConfigFromEnv(env: Record<string, string | undefined>): OllamaEnvConfig {
  const host = normalizeOllamaHost(env.OLLAMA_HOST?.trim() ? env.OLLAMA_HOST : DEFAULT_OLLAMA_HOST);
  const model = env.OLLAMA_MODEL?.trim() || DEFAULT_OLLAMA_MODEL;
  let timeoutMs = DEFAULT_OLLAMA_TIMEOUT_MS;
  if (env.OLLAMA_TIMEOUT_MS !== undefined && env.OLLAMA_TIMEOUT_MS.trim() !== '') {
    const v = Number(env.OLLAMA_TIMEOUT_MS);
    if (!Number.isInteger(v) || v < 100 || v > 600_000) {
      throw new OllamaConfigError(
        `OLLAMA_TIMEOUT_MS must be an integer between 100 and 600000 (ms), got ${JSON.stringify(env.OLLAMA_TIMEOUT_MS)}`,
      );
    }
    timeoutMs = v;
  }
  return { host, model, timeoutMs };
}

/** A fetch that aborts after `ms` (covers connecting, waiting for headers and reading the body). */
export function fetchWithTimeout(ms: number, base: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return base(input, { ...init, signal });
  };
}

export function createOllamaClient(
  options: OllamaOptions,
  timeoutMs = options.timeoutMs ?? DEFAULT_OLLAMA_TIMEOUT_MS,
): Ollama {
  return new Ollama({ host: options.host, fetch: fetchWithTimeout(timeoutMs, options.fetch) });
}

/** A short, stable description of why an Ollama call failed (recorded as fallbackReason). */
export function describeOllamaError(error: unknown, timeoutMs: number): string {
  const e = error as {
    name?: string;
    message?: string;
    status_code?: number;
    cause?: { code?: string; message?: string };
    code?: string;
  };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.code === 'UND_ERR_ABORTED') {
    return `timeout: no answer within ${timeoutMs} ms`;
  }
  if (typeof e?.status_code === 'number') return `HTTP ${e.status_code} from Ollama: ${truncate(e.message ?? '')}`;
  const code = e?.cause?.code ?? e?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code) return `network error: ${code}`;
  return `error: ${truncate(e?.message ?? String(error))}`;
}

function truncate(s: string, n = 120): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
