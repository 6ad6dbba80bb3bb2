/**
 * Builds `data/corpus/en-*.jsonl` from the labelled sources in `scripts/corpus/specs/`.
 * A source line is `code | text | options | note` (`#` starts a comment). Codes: ni, rt, bu,
 * bk, en (the five intents). Options: `now=2026-03-06T10:00` (local wall time), `tz=Europe/London`,
 * `Z` (write `now` in UTC), and for rt the time spec of ./resolve.ts with its `~tolerance`.
 * A line without `now`/`tz` gets them from a generator seeded by its text: rebuilding gives
 * the same file.  Usage: node --import tsx scripts/corpus/build.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DateTime } from 'luxon';
import { resolveSpec } from './resolve.ts';
import { mulberry32 } from '../../src/random.ts';

/** Each source numbers its ids from its own block (nc-en-1001… for the second), so appending keeps ids stable. */
export const SOURCES = ['en-refusals', 'en-times', 'en-busy', 'en-booked', 'en-engaged'];
const BLOCK = 1000;
export const SPECS_DIR = 'scripts/corpus/specs';

const CODES: Record<string, string> = {
  ni: 'not_interested',
  rt: 'request_time',
  bu: 'busy',
  bk: 'booked',
  en: 'engaged',
};

/** Zones with a weight: mostly North America, then the other English-speaking markets. */
const ZONES: [string, number][] = [
  ['America/New_York', 10],
  ['America/Chicago', 8],
  ['America/Denver', 4],
  ['America/Los_Angeles', 8],
  ['America/Phoenix', 2],
  ['America/Anchorage', 1],
  ['Pacific/Honolulu', 1],
  ['America/Detroit', 2],
  ['America/Boise', 1],
  ['America/Indiana/Indianapolis', 1],
  ['America/Puerto_Rico', 1],
  ['America/Toronto', 4],
  ['America/Vancouver', 3],
  ['America/Edmonton', 2],
  ['America/Winnipeg', 1],
  ['America/Halifax', 1],
  ['America/St_Johns', 1],
  ['America/Regina', 1],
  ['Europe/London', 7],
  ['Europe/Dublin', 3],
  ['Australia/Sydney', 4],
  ['Australia/Melbourne', 3],
  ['Australia/Brisbane', 2],
  ['Australia/Perth', 2],
  ['Australia/Adelaide', 1],
  ['Australia/Hobart', 1],
  ['Pacific/Auckland', 3],
  ['Asia/Kolkata', 3],
  ['Asia/Singapore', 2],
  ['Africa/Johannesburg', 2],
  ['Asia/Manila', 2],
  ['Asia/Dubai', 1],
  ['Asia/Hong_Kong', 1],
  ['Africa/Lagos', 1],
  ['Africa/Nairobi', 1],
  ['America/Jamaica', 1],
];
const RANGE_START = DateTime.fromISO('2025-09-01T00:00:00Z');
const RANGE_DAYS = 455; // to the end of November 2026

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function pickZone(random: () => number): string {
  const total = ZONES.reduce((sum, [, weight]) => sum + weight, 0);
  let at = random() * total;
  for (const [zone, weight] of ZONES) if ((at -= weight) < 0) return zone;
  return ZONES[0][0];
}

const changesByZone = new Map<string, DateTime[]>();

/** Local dates (in the range) on which a zone's UTC offset changes. */
function dstChanges(zone: string): DateTime[] {
  const cached = changesByZone.get(zone);
  if (cached) return cached;
  const out: DateTime[] = [];
  changesByZone.set(zone, out);
  let day = RANGE_START.setZone(zone).startOf('day').set({ hour: 12 });
  for (let i = 0; i < RANGE_DAYS; i++) {
    const next = day.plus({ days: 1 });
    if (next.offset !== day.offset) out.push(next.startOf('day'));
    day = next;
  }
  return out;
}

/** A generated receipt time: daytime for most intents; for time requests a morning, often days before a DST change. */
function generatedNow(code: string, zone: string, random: () => number): DateTime {
  const changes = dstChanges(zone);
  let date: DateTime;
  if (code === 'rt' && changes.length && random() < 0.45) {
    const change = changes[Math.floor(random() * changes.length)];
    date = change.minus({ days: 1 + Math.floor(random() * 4) });
  } else {
    date = RANGE_START.setZone(zone)
      .startOf('day')
      .plus({ days: Math.floor(random() * RANGE_DAYS) });
  }
  const first = DateTime.fromObject({ year: 2025, month: 9, day: 1 }, { zone });
  if (date < first) date = first;
  const [from, to] = code === 'rt' ? [7, 13] : code === 'bu' ? [7, 21] : [6, 24];
  const minutes = Math.floor((from + random() * (to - from)) * 60);
  return date.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: Math.floor(random() * 60) });
}

function iso(date: DateTime): string {
  return date.toISO({ suppressMilliseconds: true }) ?? '';
}

export interface SourceLine {
  file: string;
  line: number;
  code: string;
  text: string;
  options: string;
  note: string | undefined;
}

export function parseSource(file: string, content: string): SourceLine[] {
  const out: SourceLine[] = [];
  content.split('\n').forEach((raw, index) => {
    if (!raw.trim() || raw.startsWith('#')) return;
    const [code, text, options = '', ...note] = raw.split('|');
    if (!CODES[code.trim()] || !text?.trim()) throw new Error(`${file}:${index + 1}: bad line: ${raw}`);
    out.push({
      file,
      line: index + 1,
      code: code.trim(),
      text: text.trim(),
      options: options.trim(),
      note: note.join('|').trim() || undefined,
    });
  });
  return out;
}

export function buildRecord(source: SourceLine, id: string): Record<string, unknown> {
  const random = mulberry32(hash(`${source.file}\n${source.text}`));
  const spec: string[] = [];
  let nowText: string | undefined;
  let zone: string | undefined;
  let utc = false;
  for (const token of source.options.split(/\s+/).filter(Boolean)) {
    if (token.startsWith('now=')) nowText = token.slice(4);
    else if (token.startsWith('tz=')) zone = token.slice(3);
    else if (token === 'Z') utc = true;
    else spec.push(token);
  }
  zone ??= pickZone(random);
  const now = nowText ? DateTime.fromISO(nowText, { zone }) : generatedNow(source.code, zone, random);
  if (!now.isValid) throw new Error(`${source.file}:${source.line}: invalid now ${nowText} in ${zone}`);
  const writeUtc = utc || random() < 0.12;
  const record: Record<string, unknown> = {
    id,
    text: source.text,
    now: writeUtc ? iso(now.toUTC()).replace('+00:00', 'Z') : iso(now),
    timezone: zone,
    intent: CODES[source.code],
  };
  if (source.code === 'rt') {
    if (!spec.length) throw new Error(`${source.file}:${source.line}: request_time without a spec`);
    const { at, tolerance } = resolveSpec(spec.join(' '), now);
    if (tolerance === undefined) throw new Error(`${source.file}:${source.line}: no ~tolerance`);
    record.followup_at = iso(at.set({ millisecond: 0 }));
    record.tolerance_minutes = tolerance;
  } else if (spec.length) throw new Error(`${source.file}:${source.line}: a time spec on a ${source.code} line`);
  record.lang = 'en';
  if (source.note) record.note = source.note;
  return record;
}

/** The JSONL text of one source, ids numbered from the source's block. */
export function buildSource(name: string): string {
  const index = SOURCES.indexOf(name);
  if (index < 0) throw new Error(`unknown source ${name}`);
  const path = join(SPECS_DIR, `${name}.txt`);
  let n = index * BLOCK;
  const lines = parseSource(path, readFileSync(path, 'utf8')).map((source) =>
    JSON.stringify(buildRecord(source, `nc-en-${String(++n).padStart(4, '0')}`)),
  );
  return lines.join('\n') + '\n';
}

function main(): void {
  for (const name of SOURCES) {
    if (!existsSync(join(SPECS_DIR, `${name}.txt`))) continue;
    const text = buildSource(name);
    writeFileSync(join('data/corpus', `${name}.jsonl`), text);
    console.log(`${name}: ${text.split('\n').length - 1}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
