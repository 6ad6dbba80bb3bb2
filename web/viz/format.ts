/** Small formatting helpers for the visualizer page (UTC everywhere, so reports agree). */

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `Mon 05 Jan 10:30 UTC` (seconds shown only when not zero). */
export function shortTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const secs = d.getUTCSeconds() ? `:${pad(d.getUTCSeconds())}` : '';
  return `${WEEKDAYS[d.getUTCDay()]} ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${secs} UTC`;
}

/** `05 Jan 10:30Z` — compact, for badges on the chart. */
export function badgeTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const secs = d.getUTCSeconds() ? `:${pad(d.getUTCSeconds())}` : '';
  return `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${secs}Z`;
}

/** `2026-01-05 10:30:00Z` for lists. */
export function isoShort(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

const TIME_KEYS = new Set(['at', 'dueAt', 'lastContactAt', 'lastBotAt', 'requestedAt']);

/** JSON for people: epoch-ms fields get their UTC instant next to them. */
export function prettyContext(value: unknown): string {
  return JSON.stringify(
    value,
    (key, v) => {
      if (typeof v === 'number' && (TIME_KEYS.has(key) || key === 'unansweredSends') && v > 1e11) return `${v} (${isoShort(v)})`;
      if (key === 'unansweredSends' && Array.isArray(v)) return v.map((t) => (typeof t === 'number' ? `${t} (${isoShort(t)})` : t));
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
