/**
 * The rule machinery of the glosses (gloss.ts, glossMore.ts): a rule is a global regex and its
 * English replacement, applied in order on normalised text, keeping the mapping to the original.
 */
import type { MappedText } from './mappedText.ts';

export type Replacement = string | ((m: RegExpExecArray) => string);
export type Rule = readonly [RegExp, Replacement];

function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? '');
}

/** Applies `rules` in order; a rule whose regex does not match costs one test. */
export function applyRules(mt: MappedText, rules: readonly Rule[]): MappedText {
  let out = mt;
  for (const [re, rep] of rules) {
    re.lastIndex = 0;
    if (!re.test(out.text)) continue;
    out = out.replace(re, typeof rep === 'string' ? (m) => expand(rep, m) : rep);
  }
  return out;
}

/** One rule replacing whole words by their entry in `map` (longest first). */
export function mapWords(map: Record<string, string>, prefix = '', suffix = ''): Rule {
  const re = new RegExp(
    `\\b${prefix}(${Object.keys(map)
      .sort((a, b) => b.length - a.length)
      .join('|')})${suffix}\\b`,
    'g',
  );
  return [re, (m) => map[m[1]] ?? m[1]];
}

/** "half vijf" / "halb fünf": the half hour before the named hour. */
export const halfBefore = (hour: string) => `${(Number(hour) + 11) % 12 || 12}:30`;
/** "kwart voor drie" / "viertel vor drei": a quarter before the named hour. */
export const quarterBefore = (hour: string) => `${(Number(hour) + 11) % 12 || 12}:45`;
