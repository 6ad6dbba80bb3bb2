/**
 * "Mon 5 Jan 2026 15:00 GMT+1": an instant as read on the wall clock of an IANA zone, the
 * label the console and the API put next to every due and send time. Equal to luxon's
 * `toFormat('ccc d LLL yyyy HH:mm ZZZZ')` in en-US (the test compares them over every zone
 * Intl knows), built from one cached Intl.DateTimeFormat per zone and memoised, because the
 * forecast labels every item several times (docs/benchmarks.md).
 */
import { memoized } from '../memo.ts';

export interface ZonedTime {
  zone: string;
  /** e.g. "Mon 5 Jan 2026 15:00 GMT+1" */
  local: string;
}

// Zones are few (the business zone and the contacts' zones); an unknown name is remembered
// as null so a bad stored zone costs one failed construction, not one per label.
const formatterFor = memoized((zone: string): Intl.DateTimeFormat | null => {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
  } catch {
    return null; // RangeError: not a time zone Intl knows
  }
}, 1_000);

/** The wall-clock label of `ms` in `zone`, or null when the zone is unknown or the instant invalid. */
export function zonedLabel(ms: number, zone: string): string | null {
  return labelOf(`${ms} ${zone}`);
}

// The same instant is labelled again and again: a forecast item's due and send times are
// usually one instant, in the business zone and the contact's, and a contact's cadence
// steps repeat across reads. A label depends on the instant and zone alone.
const labelOf = memoized((key: string): string | null => {
  const space = key.indexOf(' ');
  return formatLabel(Number(key.slice(0, space)), key.slice(space + 1));
}, 4_096);

function formatLabel(ms: number, zone: string): string | null {
  const formatter = formatterFor(zone);
  if (!formatter || !Number.isFinite(ms)) return null;
  let weekday = '',
    day = '',
    month = '',
    year = '',
    hour = '',
    minute = '',
    zoneName = '';
  for (const part of formatter.formatToParts(ms)) {
    switch (part.type) {
      case 'weekday':
        weekday = part.value;
        break;
      case 'day':
        day = part.value;
        break;
      case 'month':
        month = part.value;
        break;
      case 'year':
        year = part.value;
        break;
      case 'hour':
        hour = part.value;
        break;
      case 'minute':
        minute = part.value;
        break;
      case 'timeZoneName':
        zoneName = part.value;
        break;
    }
  }
  return `${weekday} ${day} ${month} ${year} ${hour}:${minute} ${zoneName}`;
}

/** `{ zone, local }` for the API, or null when the zone is unknown. */
export function inZone(ms: number, zone: string): ZonedTime | null {
  const local = zonedLabel(ms, zone);
  return local === null ? null : { zone, local };
}
