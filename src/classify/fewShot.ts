/**
 * Few-shot examples for the Ollama prompt, drawn from the training part of the corpus at
 * training time and stored in the model file, so the prompt needs no corpus at run time and
 * changes only when the model is retrained.
 *
 * Per intent: two English messages and one in another language, picked by a hash of the id
 * (not by hand), short enough to keep the prompt small. A request_time example is only used
 * when the rules place its time within the label's tolerance, so its `time_phrase` is
 * one our resolver reads the way the label means.
 */
import { fnv1a, type CorpusRecord } from './corpus.ts';
import { classifyRules } from './rules.ts';
import { INTENTS, type Intent } from './types.ts';

export interface FewShotExample {
  text: string;
  intent: Intent;
  timePhrase: string | null;
}

const MAX_EXAMPLE_CHARS = 100;

/** The examples, in INTENTS order (training records only: the caller passes the training part). */
export function selectFewShot(train: readonly CorpusRecord[], perIntent = { en: 2, other: 1 }): FewShotExample[] {
  const out: FewShotExample[] = [];
  const ordered = [...train]
    .filter((r) => r.text.length <= MAX_EXAMPLE_CHARS)
    .sort((a, b) => fnv1a(`fewshot:${a.id}`) - fnv1a(`fewshot:${b.id}`) || a.id.localeCompare(b.id));
  for (const intent of INTENTS) {
    let en = 0;
    let other = 0;
    for (const r of ordered) {
      if (r.intent !== intent) continue;
      const english = r.lang === 'en';
      if (english ? en >= perIntent.en : other >= perIntent.other) continue;
      let timePhrase: string | null = null;
      if (intent === 'request_time') {
        const rules = classifyRules(r);
        const ok =
          rules.requestedAt !== undefined &&
          r.followupAt !== undefined &&
          Math.abs(rules.requestedAt - r.followupAt) <= (r.toleranceMinutes ?? 0) * 60_000;
        if (!ok || !rules.phrase) continue;
        timePhrase = rules.phrase;
      }
      out.push({ text: r.text, intent, timePhrase });
      if (english) en++;
      else other++;
      if (en >= perIntent.en && other >= perIntent.other) break;
    }
  }
  return out;
}
