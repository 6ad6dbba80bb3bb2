/** Numeric dates follow the contact's country: month first in the US, Canada and the Philippines, day first elsewhere. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { resolveTimePhrase } from '../../src/classify/timeResolver.ts';

/** Resolves `text` said at local wall time `now` in `zone`; the answer as local "yyyy-MM-ddTHH:mm". */
function resolveAt(text: string, now: string, zone: string): string | null {
  const r = resolveTimePhrase(text, DateTime.fromISO(now, { zone }).toMillis(), zone);
  return r ? DateTime.fromMillis(r.at, { zone }).toFormat("yyyy-LL-dd'T'HH:mm") : null;
}

describe('slash dates: day first in Brazil, Colombia and the UK, month first in the US', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['no dia 10/11 de manhã', '2025-10-29T14:00', 'America/Sao_Paulo', '2025-11-10T09:00'],
    ['el 10/11', '2025-10-29T14:00', 'America/Bogota', '2025-11-10T09:00'],
    ['10/11', '2025-10-29T14:00', 'America/New_York', '2026-10-11T09:00'],
    ['10/11', '2025-10-01T14:00', 'America/Chicago', '2025-10-11T09:00'],
    ['4/11', '2026-10-01T14:00', 'Europe/London', '2026-11-04T09:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});
