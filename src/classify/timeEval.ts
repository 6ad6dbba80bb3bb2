/**
 * Evaluation of the time resolver alone: on the records whose gold intent is request_time, does
 * resolveTimePhrase on the whole message land within the labelled tolerance? The intent model's
 * errors are kept out of this figure on purpose; they are eval.ts's job.
 */
import type { EvalRecord } from './eval.ts';
import { resolveTimePhrase } from './timeResolver.ts';

/** One request_time record and what the resolver made of it. */
export interface TimeEvalResult {
  record: EvalRecord;
  language: string;
  /** UTC epoch ms, or null when the resolver found no future time. */
  at: number | null;
  wallClock?: string;
  ok: boolean;
  errorMinutes?: number;
}

/** Hit rate of a group of records. */
export interface TimeEvalGroup {
  n: number;
  hits: number;
  rate: number;
}

/** The resolver's figures on one file. */
export interface TimeEvalReport {
  n: number;
  hits: number;
  timeWithinTolerance: number;
  perLanguage: Record<string, TimeEvalGroup>;
  results: TimeEvalResult[];
}

/** Language names used in the data notes ("Portuguese (Brazil): …") → our codes. */
const NOTE_LANGUAGES: Record<string, string> = {
  spanish: 'es',
  french: 'fr',
  portuguese: 'pt',
  german: 'de',
  italian: 'it',
  dutch: 'nl',
  flemish: 'nl',
  polish: 'pl',
  turkish: 'tr',
  hinglish: 'hi-Latn',
  hindi: 'hi-Latn',
  tagalog: 'tl',
  taglish: 'tl',
  filipino: 'tl',
  english: 'en',
  'swiss german': 'de',
  austrian: 'de',
};

/**
 * A record's language: an explicit `language`/`lang` field when the corpus carries one, else the
 * language the note names first (the train file's convention), else English.
 */
export function recordLanguage(record: EvalRecord & { language?: string; lang?: string }): string {
  const explicit = record.language ?? record.lang;
  if (explicit) return explicit;
  const head = /^\s*([A-Za-z][A-Za-z ]*?)\s*(?:\(|:|,|\/|;)/.exec(record.note ?? '');
  if (!head) return 'en';
  const words = head[1].toLowerCase();
  return NOTE_LANGUAGES[words] ?? NOTE_LANGUAGES[words.split(' ')[0]] ?? 'en';
}

/** Resolves every request_time record of `records` and scores it against its tolerance. */
export function evaluateResolver(records: readonly EvalRecord[]): TimeEvalReport {
  const results: TimeEvalResult[] = [];
  for (const record of records) {
    if (record.intent !== 'request_time' || record.followupAt === undefined) continue;
    const language = recordLanguage(record);
    const r = resolveTimePhrase(record.text, record.now, record.timezone);
    const tolerance = record.toleranceMinutes ?? 0;
    if (!r) {
      results.push({ record, language, at: null, ok: false });
      continue;
    }
    const errorMinutes = (r.at - record.followupAt) / 60_000;
    results.push({
      record,
      language,
      at: r.at,
      wallClock: r.wallClock,
      ok: Math.abs(errorMinutes) <= tolerance,
      errorMinutes,
    });
  }
  const perLanguage: Record<string, TimeEvalGroup> = {};
  for (const r of results) {
    const g = (perLanguage[r.language] ??= { n: 0, hits: 0, rate: 0 });
    g.n++;
    if (r.ok) g.hits++;
  }
  for (const g of Object.values(perLanguage)) g.rate = g.n ? g.hits / g.n : 0;
  const hits = results.filter((r) => r.ok).length;
  return {
    n: results.length,
    hits,
    timeWithinTolerance: results.length ? hits / results.length : 0,
    perLanguage,
    results,
  };
}
