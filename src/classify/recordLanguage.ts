/**
 * The language of a labelled record: its `lang` field when it has one (the corpus files),
 * else the language its `note` names ("Portuguese (Portugal): call me…", the shared train
 * file's convention), else English.
 */

/** Note prefixes → language codes; Tagalog and Taglish share one code, as do Swiss and Austrian German. */
const NOTE_LANGUAGES: readonly [RegExp, string][] = [
  [/^(?:spanish|spanglish)\b/i, 'es'],
  [/^portuguese\b/i, 'pt'],
  [/^french\b/i, 'fr'],
  [/^(?:german|swiss german|austrian)\b/i, 'de'],
  [/^italian\b/i, 'it'],
  [/^(?:dutch|flemish)\b/i, 'nl'],
  [/^polish\b/i, 'pl'],
  [/^turkish\b/i, 'tr'],
  [/^(?:tagalog|taglish|filipino)\b/i, 'tl'],
  [/^hinglish\b/i, 'hi-latn'],
];

/** Language code of a raw JSONL object (see the module comment). */
export function recordLanguage(raw: { lang?: unknown; note?: unknown }): string {
  if (typeof raw.lang === 'string' && raw.lang.trim()) return raw.lang.trim().toLowerCase();
  if (typeof raw.note === 'string') {
    for (const [re, code] of NOTE_LANGUAGES) if (re.test(raw.note.trim())) return code;
  }
  return 'en';
}
