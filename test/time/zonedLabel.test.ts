import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { inZone, zonedLabel } from '../../src/time/zonedLabel.ts';

// The label the API has always given: luxon's format in en-US.
const luxonLabel = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone, locale: 'en-US' }).toFormat('ccc d LLL yyyy HH:mm ZZZZ');

describe('zonedLabel', () => {
  it('reads like luxon in every zone Intl knows, across a year and both DST changes', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    assert.ok(zones.length > 300, `Intl lists ${zones.length} zones`);
    let compared = 0;
    for (const zone of [...zones, 'UTC', 'Etc/GMT+5', 'Etc/GMT-14']) {
      for (let i = 0; i < 40; i++) {
        // Spread over 2026 at odd minutes, so days, months, hours and DST sides all vary.
        const ms = Date.UTC(2026, 0, 1) + i * 9 * 86_400_000 + i * 3_541_000;
        assert.equal(zonedLabel(ms, zone), luxonLabel(ms, zone), `${zone} at ${new Date(ms).toISOString()}`);
        compared++;
      }
    }
    assert.ok(compared > 12_000);
  });

  it('labels a known instant', () => {
    const ms = Date.parse('2026-01-05T14:00:00Z');
    assert.equal(zonedLabel(ms, 'Europe/Paris'), 'Mon 5 Jan 2026 15:00 GMT+1');
    assert.equal(zonedLabel(ms, 'America/New_York'), 'Mon 5 Jan 2026 09:00 EST');
    assert.equal(zonedLabel(Date.parse('2026-07-05T23:30:00Z'), 'Asia/Kolkata'), 'Mon 6 Jul 2026 05:00 GMT+5:30');
    assert.equal(zonedLabel(Date.parse('2026-03-29T00:59:00Z'), 'Europe/London'), 'Sun 29 Mar 2026 00:59 GMT');
    assert.equal(zonedLabel(Date.parse('2026-03-29T01:00:00Z'), 'Europe/London'), 'Sun 29 Mar 2026 02:00 GMT+1');
  });

  it('labels are remembered by instant and zone: the same pair again, another zone, long after', () => {
    const ms = Date.parse('2026-01-05T14:00:00Z');
    assert.equal(zonedLabel(ms, 'Europe/Paris'), 'Mon 5 Jan 2026 15:00 GMT+1');
    assert.equal(zonedLabel(ms, 'America/New_York'), 'Mon 5 Jan 2026 09:00 EST');
    assert.equal(zonedLabel(ms + 60_000, 'Europe/Paris'), 'Mon 5 Jan 2026 15:01 GMT+1');
    for (let i = 0; i < 10_000; i++) zonedLabel(ms + i * 1_000, 'UTC'); // more than the memo holds
    assert.equal(zonedLabel(ms, 'Europe/Paris'), 'Mon 5 Jan 2026 15:00 GMT+1');
    assert.equal(zonedLabel(ms, 'Europe/Paris x'), null, 'a stored zone with a space is still unknown');
  });

  it('gives null for an unknown zone or an invalid instant, every time', () => {
    assert.equal(zonedLabel(0, 'Europe/Nowhere'), null);
    assert.equal(zonedLabel(0, 'Europe/Nowhere'), null); // cached as unknown
    assert.equal(zonedLabel(Number.NaN, 'UTC'), null);
    assert.equal(inZone(0, 'Mars/Olympus'), null);
    assert.deepEqual(inZone(0, 'UTC'), { zone: 'UTC', local: 'Thu 1 Jan 1970 00:00 UTC' });
  });
});
