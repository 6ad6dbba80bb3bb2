/**
 * Writes the non-English corpus, data/corpus/<lang>.jsonl, from the specs in
 * scripts/corpus/intl/. Every followup_at is resolved here from an explicit spec in the
 * record's zone (data/README conventions): nobody types an instant by hand. A spec line is
 * [intent, text, now, zone, note] or ['rt', text, now, zone, at, toleranceMinutes, note];
 * `now` is local wall time (a trailing 'Z' writes it in UTC), `at` a list of steps (`step`).
 * Lines are only appended: ids follow file order.
 *   node --import tsx scripts/corpus/intl.ts [--list]   (--list prints each resolution)
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { DateTime } from 'luxon';
import { lines as es } from './intl/es.ts';
import { lines as pt } from './intl/pt.ts';
import { lines as fr } from './intl/fr.ts';
import { lines as de } from './intl/de.ts';
import { lines as it } from './intl/it.ts';
import { lines as nl } from './intl/nl.ts';
import { lines as pl } from './intl/pl.ts';
import { lines as tr } from './intl/tr.ts';
import { lines as hi } from './intl/hi.ts';
import { lines as tl } from './intl/tl.ts';

export type Code = 'ni' | 'bu' | 'bk' | 'en';
export type Line = [Code, string, string, string, string] | ['rt', string, string, string, string, number, string];

const INTENTS = { ni: 'not_interested', bu: 'busy', bk: 'booked', en: 'engaged', rt: 'request_time' } as const;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Sets the wall time, refusing a time the zone skips (a DST gap) rather than letting luxon shift it. */
function at(cursor: DateTime, hhmm: string): DateTime {
  const [hour, minute] = hhmm.split(':').map(Number);
  const moved = cursor.set({ hour, minute, second: 0, millisecond: 0 });
  if (moved.hour !== hour || moved.minute !== minute)
    throw new Error(`${hhmm} does not exist on ${cursor.toISODate()}`);
  return moved;
}

/**
 * One step of an `at` spec:
 * +Nd / +Nmo calendar days or months (wall time kept, month end clamped); +Nh / +Nm elapsed
 * hours or minutes; HH:MM wall time; mon…sun the first such weekday after today;
 * this:thu / next:thu that weekday in the current / next Monday-start week; dom:N the next
 * date after today whose day of month is N; date:YYYY-MM-DD; eom the month's last day.
 */
function step(cursor: DateTime, token: string): DateTime {
  let match: RegExpMatchArray | null;
  if ((match = token.match(/^\+(\d+)(d|mo|h|m)$/))) {
    const n = Number(match[1]);
    const unit = { d: 'days', mo: 'months', h: 'hours', m: 'minutes' }[match[2] as 'd' | 'mo' | 'h' | 'm'];
    return cursor.plus({ [unit]: n });
  }
  if (/^\d{1,2}:\d{2}$/.test(token)) return at(cursor, token);
  if (WEEKDAYS.includes(token)) {
    const target = WEEKDAYS.indexOf(token) + 1;
    const ahead = (target - cursor.weekday + 7) % 7 || 7;
    return cursor.plus({ days: ahead });
  }
  if ((match = token.match(/^(this|next):(\w{3})$/))) {
    const target = WEEKDAYS.indexOf(match[2]) + 1;
    if (target === 0) throw new Error(`unknown weekday ${match[2]}`);
    const monday = cursor.startOf('day').minus({ days: cursor.weekday - 1 });
    const day = monday.plus({ days: target - 1 + (match[1] === 'next' ? 7 : 0) });
    return cursor.set({ year: day.year, month: day.month, day: day.day });
  }
  if ((match = token.match(/^dom:(\d{1,2})$/))) {
    const dom = Number(match[1]);
    let day = cursor.plus({ days: 1 });
    while (day.day !== dom) day = day.plus({ days: 1 });
    return day;
  }
  if ((match = token.match(/^date:(\d{4})-(\d{2})-(\d{2})$/))) {
    return cursor.set({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) });
  }
  if (token === 'eom') return cursor.endOf('month').set({ second: 0, millisecond: 0 });
  throw new Error(`unknown step ${token}`);
}

/** Resolves an `at` spec from `now`; the result must not precede the message. */
export function resolve(now: DateTime, spec: string): DateTime {
  const result = spec.split(/\s+/).reduce(step, now);
  if (result < now) throw new Error(`${spec} resolves before now (${result.toISO()})`);
  return result;
}

function parseNow(text: string, zone: string): DateTime {
  const utc = text.endsWith('Z');
  const local = DateTime.fromFormat(
    text.replace(/Z$/, ''),
    text.length > 17 ? 'yyyy-MM-dd HH:mm:ss' : 'yyyy-MM-dd HH:mm',
    { zone },
  );
  if (!local.isValid) throw new Error(`bad now ${text} in ${zone}: ${local.invalidExplanation}`);
  return utc ? local.toUTC() : local;
}

const iso = (moment: DateTime) => moment.toISO({ suppressMilliseconds: true }) as string;

/** Builds the records of one language file; throws on any spec that does not resolve cleanly. */
export function build(lang: string, idPrefix: string, lines: Line[], list = false): string[] {
  return lines.map((line, index) => {
    const [code, text, nowText, zone] = line;
    const id = `nc-${idPrefix}-${String(index + 1).padStart(4, '0')}`;
    try {
      const now = parseNow(nowText, zone);
      const record: Record<string, unknown> = { id, text, now: iso(now), timezone: zone, intent: INTENTS[code] };
      if (line[0] === 'rt') {
        const followUp = resolve(now.setZone(zone), line[4]);
        record.followup_at = iso(followUp);
        record.tolerance_minutes = line[5];
        if (list) {
          const local = now.setZone(zone);
          console.log(
            `${id} ${local.toFormat('ccc dd LLL yyyy HH:mm')} → ${followUp.toFormat('ccc dd LLL yyyy HH:mm ZZ')} ±${line[5]} | ${text}`,
          );
        }
      }
      record.lang = lang;
      record.note = line[0] === 'rt' ? line[6] : line[4];
      return JSON.stringify(record);
    } catch (error) {
      throw new Error(`${id} (${text}): ${(error as Error).message}`);
    }
  });
}

const FILES: [string, string, Line[]][] = [
  ['es', 'es', es],
  ['pt', 'pt', pt],
  ['fr', 'fr', fr],
  ['de', 'de', de],
  ['it', 'it', it],
  ['nl', 'nl', nl],
  ['pl', 'pl', pl],
  ['tr', 'tr', tr],
  ['hi-Latn', 'hi', hi],
  ['tl', 'tl', tl],
];

if (import.meta.url === `file://${process.argv[1]}`) {
  const list = process.argv.includes('--list');
  mkdirSync('data/corpus', { recursive: true });
  for (const [lang, prefix, lines] of FILES) {
    if (lines.length === 0) continue;
    const records = build(lang, prefix, lines, list);
    writeFileSync(`data/corpus/${lang}.jsonl`, records.join('\n') + '\n');
    console.error(`data/corpus/${lang}.jsonl: ${records.length}`);
  }
}
