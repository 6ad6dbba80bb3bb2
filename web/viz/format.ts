/**
 * Small formatting helpers for the visualizer page. Times use the console's one format
 * ("Mon 5 Jan 2026 10:30 UTC", src/time/zonedLabel.ts) in the contact's bot's business zone,
 * so a report, the console and the API read alike; raw snapshots keep ISO instants.
 */
import { zonedLabel } from '../../src/time/zonedLabel.ts';

let businessZone = 'UTC';

/** The zone labels are read in: the shown contact's bot's. */
export function setBusinessZone(zone: string | null | undefined): void {
  businessZone = zone && zonedLabel(0, zone) !== null ? zone : 'UTC';
}

function label(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) return String(value);
  return zonedLabel(ms, businessZone) ?? new Date(ms).toISOString();
}

/** `Mon 5 Jan 2026 10:30 UTC` in the business zone. */
export function shortTime(value: string | number | null | undefined): string {
  return label(value);
}

/** The same label without weekday and year (`5 Jan 10:30 UTC`): chart badges are narrow. */
export function badgeTime(value: string | number | null | undefined): string {
  return label(value).replace(/^\w{3} (\d{1,2} \w{3}) \d{4} /, '$1 ');
}

/** The same label, for lists (the timeline). */
export function isoShort(value: string | number | null | undefined): string {
  return label(value);
}

/** An instant as ISO-8601 UTC, for raw snapshots. */
function isoUtc(value: number): string {
  return `${new Date(value).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

const TIME_KEYS = new Set(['at', 'dueAt', 'lastContactAt', 'lastBotAt', 'requestedAt']);

/** JSON for people: epoch-ms fields get their UTC instant next to them. */
export function prettyContext(value: unknown): string {
  return JSON.stringify(
    value,
    (key, v) => {
      if (typeof v === 'number' && (TIME_KEYS.has(key) || key === 'unansweredSends') && v > 1e11)
        return `${v} (${isoUtc(v)})`;
      if (key === 'unansweredSends' && Array.isArray(v))
        return v.map((t) => (typeof t === 'number' ? `${t} (${isoShort(t)})` : t));
      return v;
    },
    2,
  );
}

/** `scheduled` from `'scheduled'` or `{ a: 'b' }` → `a.b`. */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value as Record<string, unknown>)[0] ?? [];
    return key === undefined ? '' : `${key}.${stateName(inner)}`;
  }
  return String(value ?? '');
}
