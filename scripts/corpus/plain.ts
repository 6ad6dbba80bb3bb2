/**
 * Builds the corpus files without follow-up times from scripts/corpus/plain/*.txt:
 * data/corpus/plain.jsonl, the everyday messages of a chat (greetings, service requests, short
 * answers to the bot's questions) that the themed files, written around hard cases, hold few
 * of; and data/corpus/indirect.jsonl, the kinds the model reads worst without a cue word
 * (refusals said indirectly, busy as what one is doing, bookings described, everyday replies
 * that look like refusals) in every corpus language. Each source line is `[lang|]intent|text`;
 * `now` and the zone are derived from the text, so a rebuild writes the same bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { DateTime } from 'luxon';

const ZONES: Record<string, readonly string[]> = {
  en: [
    'America/New_York',
    'America/Chicago',
    'America/Los_Angeles',
    'Europe/London',
    'Australia/Sydney',
    'America/Toronto',
  ],
  es: ['Europe/Madrid', 'America/Mexico_City', 'America/Bogota'],
  pt: ['America/Sao_Paulo', 'Europe/Lisbon'],
  fr: ['Europe/Paris', 'Europe/Brussels', 'America/Toronto'],
  de: ['Europe/Berlin', 'Europe/Vienna', 'Europe/Zurich'],
  it: ['Europe/Rome'],
  nl: ['Europe/Amsterdam', 'Europe/Brussels'],
  pl: ['Europe/Warsaw'],
  tr: ['Europe/Istanbul'],
  'hi-Latn': ['Asia/Kolkata'],
  tl: ['Asia/Manila'],
};

/** A stable number from a text, so each line's receipt time never changes between builds. */
function seed(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

function record(lang: string, intent: string, text: string, id: string) {
  const n = seed(`${lang}|${text}`);
  const zones = ZONES[lang];
  if (!zones) throw new Error(`unknown lang ${lang}`);
  const zone = zones[n % zones.length];
  const start = DateTime.fromISO('2025-09-01T00:00:00', { zone });
  const local = start.plus({ days: n % 440 }).set({ hour: 8 + (n % 13), minute: (n >> 8) % 60 });
  return {
    id,
    text,
    now: local.toISO({ suppressMilliseconds: true }),
    timezone: zone,
    intent,
    lang,
  };
}

/** One output file: its source files (with or without a `lang|` column) and its id prefix. */
export interface PlainOutput {
  file: string;
  idPrefix: string;
  sources: readonly (readonly [name: string, hasLang: boolean])[];
}

/** The outputs, each numbered on its own: appending to one never renumbers another. */
export const PLAIN_OUTPUTS: readonly PlainOutput[] = [
  {
    file: 'plain.jsonl',
    idPrefix: 'nc-plain',
    sources: [
      ['en.txt', false],
      ['intl.txt', true],
    ],
  },
  { file: 'indirect.jsonl', idPrefix: 'nc-ind', sources: [['indirect.txt', true]] },
];

/** The corpus lines of one output's source files, in order. */
export function buildPlain(output: PlainOutput = PLAIN_OUTPUTS[0]): string {
  const lines: string[] = [];
  for (const [file, hasLang] of output.sources) {
    for (const raw of readFileSync(`scripts/corpus/plain/${file}`, 'utf8').split('\n')) {
      if (!raw.trim()) continue;
      const parts = raw.split('|');
      const [lang, intent, text] = hasLang ? parts : ['en', ...parts];
      const id = `${output.idPrefix}-${String(lines.length + 1).padStart(4, '0')}`;
      lines.push(JSON.stringify(record(lang, intent, text, id)));
    }
  }
  return lines.join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const output of PLAIN_OUTPUTS) writeFileSync(`data/corpus/${output.file}`, buildPlain(output));
}
