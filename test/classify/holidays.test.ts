import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { countryOfZone, easterSunday, holidayStart, isWorkingDay } from '../../src/classify/holidays.ts';
import { resolveTimePhrase } from '../../src/classify/timeResolver.ts';

/** Resolves `text` said at local wall time `now` in `zone`; the answer as local ISO without offset. */
function resolveAt(text: string, now: string, zone: string): string | null {
  const r = resolveTimePhrase(text, DateTime.fromISO(now, { zone }).toMillis(), zone);
  return r ? DateTime.fromMillis(r.at, { zone }).toFormat("yyyy-LL-dd'T'HH:mm") : null;
}

describe('holiday table', () => {
  test('Easter Sunday follows the Gregorian computus', () => {
    assert.deepEqual(easterSunday(2025), [4, 20]);
    assert.deepEqual(easterSunday(2026), [4, 5]);
    assert.deepEqual(easterSunday(2027), [3, 28]);
  });
  test('nth-weekday rules: Labor Day is the first Monday of September, Thanksgiving the fourth Thursday of November', () => {
    assert.equal(holidayStart('laborDayUS', 2026, 'America/Chicago')!.toISODate(), '2026-09-07');
    assert.equal(holidayStart('thanksgiving', 2025, 'America/New_York')!.toISODate(), '2025-11-27');
    assert.equal(holidayStart('memorialDay', 2026, 'America/New_York')!.toISODate(), '2026-05-25');
  });
  test('a lunar holiday has no date in a year the table does not list', () => {
    assert.equal(holidayStart('eidFitr', 2026, 'Asia/Dubai')!.toISODate(), '2026-03-20');
    assert.equal(holidayStart('eidFitr', 2040, 'Asia/Dubai'), null);
  });
  test('the US observes the 4th of July on Friday when it falls on a Saturday', () => {
    assert.equal(isWorkingDay(DateTime.fromISO('2026-07-03', { zone: 'America/New_York' }), 'US'), false);
  });
  test("working days follow each country's days off, weekend holidays moved to their substitute or observed day", () => {
    const cases: [date: string, country: string, working: boolean][] = [
      ['2026-12-28', 'GB', false], // Boxing Day on a Saturday: substitute Monday
      ['2026-12-29', 'GB', true],
      ['2027-12-27', 'GB', false], // Christmas on a Saturday, Boxing Day on a Sunday: Monday and Tuesday off
      ['2027-12-28', 'GB', false],
      ['2027-12-29', 'GB', true],
      ['2027-07-05', 'US', false], // the 4th on a Sunday: observed Monday
      ['2026-04-06', 'DE', false], // Easter Monday
      ['2026-04-06', 'US', true],
      ['2026-05-14', 'NL', false], // Ascension
      ['2026-10-29', 'TR', false], // Republic Day
      ['2026-05-29', 'TR', false], // the third day of Kurban Bayramı (four in Turkey)
      ['2026-05-29', 'IN', true],
      ['2026-01-03', 'US', false], // a Saturday
      ['2026-12-28', 'PL', true], // Boxing Day on a Saturday: no substitute day in Poland
    ];
    for (const [date, country, working] of cases)
      assert.equal(isWorkingDay(DateTime.fromISO(date, { zone: 'UTC' }), country), working, `${date} in ${country}`);
  });
  test('each country keeps its own calendar when several are asked in turn (tables are built once per country and year)', () => {
    for (let round = 0; round < 2; round++) {
      assert.equal(resolveAt('after Easter', '2026-03-20T10:00', 'Europe/London'), '2026-04-07T09:00');
      assert.equal(resolveAt('after Easter', '2026-03-20T10:00', 'America/New_York'), '2026-04-06T09:00');
      assert.equal(resolveAt('after Easter', '2026-03-20T10:00', 'Europe/Lisbon'), '2026-04-06T09:00');
    }
  });
  test('the contact country comes from the zone', () => {
    assert.equal(countryOfZone('Europe/Amsterdam'), 'NL');
    assert.equal(countryOfZone('America/Bahia'), 'BR');
    assert.equal(countryOfZone('Mars/Olympus'), undefined);
  });
});

describe('"after <holiday>" is the first working day after it in the contact\'s country, 09:00', () => {
  const cases: [string, string, string, string][] = [
    // Easter Monday is a holiday in the UK and Germany, not in the US or Portugal.
    ['after Easter', '2026-03-20T10:00', 'Europe/London', '2026-04-07T09:00'],
    ['nach Ostern', '2026-03-20T10:00', 'Europe/Berlin', '2026-04-07T09:00'],
    ['after Easter', '2026-03-20T10:00', 'America/New_York', '2026-04-06T09:00'],
    ['depois da Páscoa', '2026-03-24T18:00', 'Europe/Lisbon', '2026-04-06T09:00'],
    ['after easter', '2027-03-01T10:00', 'Europe/London', '2027-03-30T09:00'],
    ['After Labor Day pls', '2026-08-20T16:40', 'America/Chicago', '2026-09-08T09:00'],
    ['reach out after the 4th of July', '2026-06-23T14:00', 'America/New_York', '2026-07-06T09:00'],
    ['after thanksgiving', '2025-11-10T10:00', 'America/New_York', '2025-12-01T09:00'],
    ['Po świętach', '2025-12-18T12:00', 'Europe/Warsaw', '2025-12-29T09:00'],
    ['after christmas', '2026-12-01T10:00', 'Europe/London', '2026-12-29T09:00'],
    ['after the holidays', '2025-12-16T14:00', 'Europe/Paris', '2026-01-05T09:00'],
    ['Na Koningsdag', '2026-04-20T12:00', 'Europe/Amsterdam', '2026-04-28T09:00'],
    ['Después de Reyes hablamos', '2025-12-22T11:00', 'Europe/Madrid', '2026-01-07T09:00'],
    ['Depois do Carnaval a gente conversa', '2026-02-10T11:00', 'America/Sao_Paulo', '2026-02-19T09:00'],
    ['dopo Ferragosto', '2026-07-28T10:00', 'Europe/Rome', '2026-08-17T09:00'],
    ['Bayramdan sonra konuşalım', '2026-03-12T11:00', 'Europe/Istanbul', '2026-03-23T09:00'],
    ['after diwali pls', '2026-10-26T12:00', 'Asia/Kolkata', '2026-11-12T09:00'],
    ['Después del puente', '2025-12-04T19:30', 'Europe/Madrid', '2025-12-09T09:00'],
  ];
  for (const [text, now, zone, want] of cases) {
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
  }
});

describe('holidays per locale: bank holidays, national days, long weekends', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    // UK and Irish bank holidays; an Irish "August bank holiday" is the first Monday.
    ["after the bank holiday, I'm away till then", '2026-08-19T10:00', 'Europe/London', '2026-09-01T09:00'],
    ['after the May bank holiday', '2026-04-20T10:00', 'Europe/London', '2026-05-05T09:00'],
    ['after the August bank holiday', '2026-07-20T10:00', 'Europe/London', '2026-09-01T09:00'],
    ['after the August bank holiday', '2026-07-20T10:00', 'Europe/Dublin', '2026-08-04T09:00'],
    // Thanksgiving is October's in Canada, and "after" it the next working day there.
    ['after canadian thanksgiving', '2026-09-29T10:00', 'America/Toronto', '2026-10-13T09:00'],
    ['after thanksgiving', '2026-09-29T10:00', 'America/Toronto', '2026-10-13T09:00'],
    ['after thanksgiving', '2026-09-29T10:00', 'America/New_York', '2026-11-30T09:00'],
    ['after halloween, we have a haunted house thing', '2026-10-12T10:00', 'America/Chicago', '2026-11-02T09:00'],
    ["easter's crazy for us, after that", '2026-03-10T10:00', 'America/Chicago', '2026-04-06T09:00'],
    ['A la vuelta de Semana Santa lo vemos', '2026-03-20T13:00', 'Europe/Madrid', '2026-04-06T09:00'],
    ['después de las fiestas patrias', '2026-09-01T10:00', 'America/Mexico_City', '2026-09-17T09:00'],
    ['después de las fiestas patrias', '2026-09-01T10:00', 'America/Santiago', '2026-09-21T09:00'],
    ['passou o Carnaval a gente fecha', '2026-02-05T14:00', 'America/Recife', '2026-02-19T09:00'],
    ['depois do feriadão de Tiradentes', '2026-04-15T09:45', 'America/Sao_Paulo', '2026-04-22T09:00'],
    ['depois de Finados', '2026-10-20T10:00', 'America/Sao_Paulo', '2026-11-03T09:00'],
    ['po świętach', '2026-12-10T10:00', 'Europe/Warsaw', '2026-12-28T09:00'],
    ['po Bożym Ciele', '2026-05-20T10:00', 'Europe/Warsaw', '2026-06-05T09:00'],
    ['nach Fronleichnam', '2026-05-20T10:00', 'Europe/Vienna', '2026-06-05T09:00'],
    // Two holidays in a row: after the later one.
    ['pagkatapos ng Pasko at Bagong Taon', '2025-12-08T11:00', 'Asia/Manila', '2026-01-05T09:00'],
    ["boxing day's fine", '2026-11-25T10:00', 'Pacific/Auckland', '2026-12-26T09:00'],
  ];
  for (const [text, now, zone, want] of cases) {
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
  }
});

describe('a holiday named as the day itself is that date, 09:00', () => {
  test('Boxing Day works', () =>
    assert.equal(resolveAt('boxing day works', '2025-12-20T11:00', 'Europe/London'), '2025-12-26T09:00'));
  test('zwischen den Jahren is the first working day after Christmas', () =>
    assert.equal(
      resolveAt('Zwischen den Jahren hab ich Zeit', '2025-12-15T12:00', 'Europe/Berlin'),
      '2025-12-29T09:00',
    ));
  test('à la rentrée is 1 September', () =>
    assert.equal(resolveAt('À la rentrée !', '2026-07-03T11:00', 'Europe/Paris'), '2026-09-01T09:00'));
  test('"merry christmas" alone is not a time', () =>
    assert.equal(resolveAt('merry christmas!', '2025-12-20T11:00', 'Europe/London'), null));
});

describe("seasons follow the contact's hemisphere", () => {
  test('"after the summer" in Europe is 1 September', () =>
    assert.equal(resolveAt('call me after the summer', '2026-07-10T10:00', 'Europe/Madrid'), '2026-09-01T09:00'));
  test('"after the summer" in Australia is 1 March', () =>
    assert.equal(resolveAt('call me after the summer', '2026-01-10T10:00', 'Australia/Sydney'), '2026-03-01T09:00'));
  test('"maybe summer?" is the first day of summer; a spring break is not a season', () => {
    assert.equal(
      resolveAt("maybe summer? when school's out", '2026-02-18T10:00', 'America/Denver'),
      '2026-06-01T09:00',
    );
    assert.equal(
      resolveAt('in 2 weeks, so after the spring break', '2026-03-12T09:00', 'America/Chicago'),
      '2026-03-26T09:00',
    );
  });
  test('"in the spring" said in winter is the first day of spring', () =>
    assert.equal(resolveAt('try me in the spring', '2026-01-10T10:00', 'America/Chicago'), '2026-03-01T09:00'));
});
