/**
 * Checks the labelled corpus (`data/corpus/*.jsonl`): one valid record per line, ids unique across
 * the corpus, `followup_at` after `now` for time requests, and no text that duplicates another line
 * or a line of the shared train file once normalised.
 *
 * Usage: node --import tsx scripts/corpus/check.ts [file.jsonl ...]
 * Without arguments it checks every `data/corpus/*.jsonl`. The shared train file is looked up in
 * NUDGE_TRAIN_FILE, `data/`, `../shared/data/` and `/work/shared/data/`; when none exists the
 * cross-file duplicate check is skipped with a warning.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DateTime, IANAZone } from 'luxon';

export const INTENTS = ['busy', 'request_time', 'not_interested', 'booked', 'engaged'] as const;
export const CORPUS_DIR = 'data/corpus';
const TRAIN_NAME = 'followup-intents.train.jsonl';
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const KNOWN_FIELDS = new Set([
  'id',
  'text',
  'now',
  'timezone',
  'intent',
  'followup_at',
  'tolerance_minutes',
  'lang',
  'note',
]);

export interface Problem {
  file: string;
  line: number;
  message: string;
}

export interface CheckResult {
  problems: Problem[];
  records: number;
  byIntent: Record<string, number>;
  byFile: Record<string, number>;
  trainFile: string | undefined;
}

/** Case, accents, punctuation, emoji and spacing folded away: two lines that differ only there are one line. */
export function normaliseText(text: string): string {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  // An emoji-only message is itself once spacing is gone.
  return folded || text.replace(/\s+/g, '');
}

/** The shared train file, if this checkout can see it. */
export function findTrainFile(root = process.cwd()): string | undefined {
  const candidates = [
    process.env.NUDGE_TRAIN_FILE,
    join(root, 'data', TRAIN_NAME),
    join(root, CORPUS_DIR, SHARED_TRAIN_COPY),
    join(root, '..', 'shared', 'data', TRAIN_NAME),
    join('/work/shared/data', TRAIN_NAME),
  ];
  return candidates.find((path): path is string => !!path && existsSync(path));
}

/** The verbatim copy of the shared train file in the corpus: the file the others are checked against, not one of them. */
export const SHARED_TRAIN_COPY = 'shared-train.jsonl';

/** The written corpus files (every `data/corpus/*.jsonl` but the shared train file's copy). */
export function corpusFiles(root = process.cwd()): string[] {
  const dir = join(root, CORPUS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl') && name !== SHARED_TRAIN_COPY)
    .sort()
    .map((name) => join(dir, name));
}

function parseInstant(value: unknown): DateTime | undefined {
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value)) return undefined;
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed : undefined;
}

/** A written offset must be the zone's at that instant (UTC `Z` is always allowed): catches hand-computed offsets. */
function offsetProblems(field: string, written: string, instant: DateTime, zone: string): string[] {
  if (written.endsWith('Z')) return [];
  const expected = instant.setZone(zone).offset;
  return instant.offset === expected
    ? []
    : [`${field} ${written} has offset ${instant.offset} min, ${zone} has ${expected}`];
}

/** The problems of one record, without the cross-line checks. */
export function recordProblems(record: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(record)) if (!KNOWN_FIELDS.has(key)) out.push(`unknown field ${key}`);
  for (const key of ['id', 'text', 'now', 'timezone', 'intent', 'lang'] as const) {
    if (typeof record[key] !== 'string' || (record[key] as string).trim() === '') out.push(`missing field ${key}`);
  }
  if (out.length) return out;
  if (!(INTENTS as readonly string[]).includes(record.intent as string)) out.push(`unknown intent ${record.intent}`);
  if (!IANAZone.isValidZone(record.timezone as string)) out.push(`invalid IANA zone ${record.timezone}`);
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(record.lang as string)) out.push(`invalid lang ${record.lang}`);
  if (record.note !== undefined && typeof record.note !== 'string') out.push('note must be a string');
  const zoneValid = IANAZone.isValidZone(record.timezone as string);
  const now = parseInstant(record.now);
  if (!now) out.push(`now is not an ISO datetime with offset: ${record.now}`);
  else if (zoneValid) out.push(...offsetProblems('now', record.now as string, now, record.timezone as string));
  if (record.intent === 'request_time') {
    const at = parseInstant(record.followup_at);
    if (!at) out.push(`request_time needs followup_at as an ISO datetime with offset: ${record.followup_at}`);
    else if (zoneValid)
      out.push(...offsetProblems('followup_at', record.followup_at as string, at, record.timezone as string));
    const tolerance = record.tolerance_minutes;
    if (typeof tolerance !== 'number' || !Number.isInteger(tolerance) || tolerance < 0) {
      out.push(`request_time needs tolerance_minutes as a non-negative integer: ${tolerance}`);
    }
    if (now && at && at.toMillis() <= now.toMillis()) out.push(`followup_at ${record.followup_at} is not after now`);
  } else if (record.followup_at !== undefined || record.tolerance_minutes !== undefined) {
    out.push(`followup_at/tolerance_minutes only belong to request_time`);
  }
  return out;
}

/** Checks the given corpus files against each other and against the shared train file. */
export function checkCorpus(files: string[], trainFile = findTrainFile()): CheckResult {
  const problems: Problem[] = [];
  const byIntent: Record<string, number> = {};
  const byFile: Record<string, number> = {};
  const ids = new Map<string, string>();
  const texts = new Map<string, string>();
  let records = 0;

  if (trainFile) {
    readFileSync(trainFile, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (!line.trim()) return;
        const text = (JSON.parse(line) as { text: string }).text;
        texts.set(normaliseText(text), `${basename(trainFile)}:${index + 1}`);
      });
  }

  for (const file of files) {
    const name = basename(file);
    const lines = readFileSync(file, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    byFile[name] = 0;
    lines.forEach((line, index) => {
      const at = { file: name, line: index + 1 };
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        problems.push({ ...at, message: 'invalid JSON' });
        return;
      }
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        problems.push({ ...at, message: 'not a JSON object' });
        return;
      }
      records++;
      byFile[name]++;
      for (const message of recordProblems(record)) problems.push({ ...at, message });
      if (typeof record.intent === 'string') byIntent[record.intent] = (byIntent[record.intent] ?? 0) + 1;
      if (typeof record.id === 'string') {
        const seen = ids.get(record.id);
        if (seen) problems.push({ ...at, message: `duplicate id ${record.id} (first at ${seen})` });
        else ids.set(record.id, `${name}:${index + 1}`);
      }
      if (typeof record.text === 'string') {
        const key = normaliseText(record.text);
        const seen = texts.get(key);
        if (key === '') problems.push({ ...at, message: 'text is empty once normalised' });
        else if (seen) problems.push({ ...at, message: `duplicate text of ${seen}: ${record.text}` });
        else texts.set(key, `${name}:${index + 1}`);
      }
    });
  }
  return { problems, records, byIntent, byFile, trainFile };
}

function main(argv: string[]): number {
  const files = argv.length ? argv.map((path) => resolve(path)) : corpusFiles();
  if (files.length === 0) {
    console.error(`check: no corpus files under ${CORPUS_DIR}/`);
    return 1;
  }
  const result = checkCorpus(files);
  if (!result.trainFile) console.warn(`check: ${TRAIN_NAME} not found, train duplicates not checked`);
  for (const problem of result.problems) console.error(`${problem.file}:${problem.line}: ${problem.message}`);
  const intents = Object.entries(result.byIntent)
    .map(([intent, count]) => `${intent} ${count}`)
    .join(', ');
  console.log(`${result.records} records in ${files.length} files (${intents}); ${result.problems.length} problems`);
  return result.problems.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
