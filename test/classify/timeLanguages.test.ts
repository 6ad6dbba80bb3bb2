import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { detectLanguage } from '../../src/classify/language.ts';
import { normalizeMessage } from '../../src/classify/normalize.ts';
import { resolveTimePhrase } from '../../src/classify/timeResolver.ts';

/** Resolves `text` said at local wall time `now` in `zone`; the answer as local "yyyy-MM-ddTHH:mm". */
function resolveAt(text: string, now: string, zone: string): string | null {
  const r = resolveTimePhrase(text, DateTime.fromISO(now, { zone }).toMillis(), zone);
  return r ? DateTime.fromMillis(r.at, { zone }).toFormat("yyyy-LL-dd'T'HH:mm") : null;
}

describe('language detection covers every supported language', () => {
  const cases: [string, string][] = [
    ['domani verso le 5', 'it'],
    ['Morgen om kwart over vier', 'nl'],
    ['Zadzwoń jutro po 16', 'pl'],
    ["akşam 7'de ara", 'tr'],
    ['kal shaam 6 baje call karna', 'hi-Latn'],
    ['tawagan mo ko bukas ng hapon', 'tl'],
    ['morgen um 10 Uhr bitte', 'de'],
    ['half 4 works for me', 'en'],
  ];
  for (const [text, lang] of cases)
    test(`${JSON.stringify(text)} is ${lang}`, () => assert.equal(detectLanguage(normalizeMessage(text).text), lang));
});

describe('times in each language follow the same conventions', () => {
  // Wednesday 4 March 2026, 10:00 local.
  const NOW = '2026-03-04T10:00';
  const cases: [string, string, string][] = [
    // Italian
    ['domani verso le 5', 'Europe/Rome', '2026-03-05T17:00'],
    ['dopodomani mattina', 'Europe/Rome', '2026-03-06T09:00'],
    ["fra mezz'ora", 'Europe/Rome', '2026-03-04T10:30'],
    ['lunedì prossimo in mattinata', 'Europe/Rome', '2026-03-09T09:00'],
    ['a fine mese', 'Europe/Rome', '2026-03-31T17:00'],
    ['stasera dopo cena', 'Europe/Rome', '2026-03-04T21:00'],
    // Dutch: half vijf is 4:30, kwart voor drie 2:45
    ['half vijf is goed', 'Europe/Amsterdam', '2026-03-04T16:30'],
    ['kwart voor drie is goed', 'Europe/Amsterdam', '2026-03-04T14:45'],
    ['vanavond na achten', 'Europe/Amsterdam', '2026-03-04T20:00'],
    ['Eind volgende week', 'Europe/Brussels', '2026-03-13T17:00'],
    ['Over een uurtje', 'Europe/Amsterdam', '2026-03-04T11:00'],
    // Polish
    ['Zadzwoń jutro po 16', 'Europe/Warsaw', '2026-03-05T16:00'],
    ['za tydzień, teraz jestem w pracy', 'Europe/Warsaw', '2026-03-11T10:00'],
    ['pojutrze rano', 'Europe/Warsaw', '2026-03-06T09:00'],
    // Turkish
    ["akşam 7'de ara", 'Europe/Istanbul', '2026-03-04T19:00'],
    ['yarım saat sonra yazarım', 'Europe/Istanbul', '2026-03-04T10:30'],
    ['yarın sabah', 'Europe/Istanbul', '2026-03-05T09:00'],
    // Hinglish
    ['kal shaam 6 baje call karna', 'Asia/Kolkata', '2026-03-05T18:00'],
    ['abhi meeting mein hu, 2 ghante baad call karo', 'Asia/Kolkata', '2026-03-04T12:00'],
    ['parso subah 10 baje', 'Asia/Kolkata', '2026-03-06T10:00'],
    ['lunch ke baad ping karo', 'Asia/Kolkata', '2026-03-04T14:00'],
    // Tagalog / Taglish
    ['tawagan mo ko bukas ng hapon', 'Asia/Manila', '2026-03-05T14:00'],
    ['sa Lunes na lang po, mga 10am', 'Asia/Manila', '2026-03-09T10:00'],
    ['mamayang 8pm na lang, nasa work pa ako', 'Asia/Manila', '2026-03-04T20:00'],
    // German clock idioms
    ['dreiviertel fünf', 'Europe/Berlin', '2026-03-04T16:45'],
    ['um halb drei', 'Europe/Berlin', '2026-03-04T14:30'],
  ];
  for (const [text, zone, want] of cases) {
    test(`${JSON.stringify(text)} (${zone}) → ${want}`, () => assert.equal(resolveAt(text, NOW, zone), want));
  }
});

describe('calendar phrases', () => {
  // Wednesday 4 March 2026, 10:00 local.
  const NOW = '2026-03-04T10:00';
  const Z = 'Europe/London';
  const cases: [string, string, string][] = [
    ['try me again in a fortnight', Z, '2026-03-18T10:00'],
    ['en quince días', 'Europe/Madrid', '2026-03-18T10:00'],
    ['in 14 Tagen', 'Europe/Berlin', '2026-03-18T10:00'],
    ['after the weekend', Z, '2026-03-09T09:00'],
    ['same time next week', Z, '2026-03-11T10:00'],
    ['in september', Z, '2026-09-01T09:00'],
    ['mid-May', Z, '2026-05-15T09:00'],
    ['circle back in Q2', Z, '2026-04-01T09:00'],
    ['next quarter', Z, '2026-04-01T09:00'],
    ['reach out on the 3rd of next month', Z, '2026-04-03T09:00'],
    ['after the 20th', Z, '2026-03-21T09:00'],
    ['away until the 6th, contact me after', Z, '2026-03-07T09:00'],
    ['le 2 à 9h', 'Europe/Paris', '2026-04-02T09:00'],
    ['el día 15 por la tarde', 'America/Bogota', '2026-03-15T14:00'],
    ['dia 2 de manhã', 'America/Sao_Paulo', '2026-04-02T09:00'],
    ['am 3. bitte', 'Europe/Berlin', '2026-04-03T09:00'],
    ['Ende nächster Woche', 'Europe/Berlin', '2026-03-13T17:00'],
    ["let's talk at 1300", 'Australia/Sydney', '2026-03-04T13:00'],
    ['friday works, any time past 1', Z, '2026-03-06T13:00'],
    ['kids bedtime is 8 so text me after that', Z, '2026-03-04T20:00'],
    ['having surgery tuesday so maybe thursday?', Z, '2026-03-05T09:00'],
    ['entre midi et deux si possible', 'Europe/Paris', '2026-03-04T13:00'],
    ["dans un quart d'heure", 'Europe/Paris', '2026-03-04T10:15'],
  ];
  for (const [text, zone, want] of cases) {
    test(`${JSON.stringify(text)} (${zone}) → ${want}`, () => assert.equal(resolveAt(text, NOW, zone), want));
  }
  test('"in the AM" said in the evening is tomorrow 09:00', () =>
    assert.equal(resolveAt('in the AM', '2026-03-04T20:00', 'America/Denver'), '2026-03-05T09:00'));
  test('"same time next week" keeps the wall clock across the US DST start', () =>
    assert.equal(resolveAt('same time next week', '2026-03-04T18:20', 'America/Chicago'), '2026-03-11T18:20'));
});

describe('month parts, routines and week phrases in several languages', () => {
  const NOW = '2026-03-04T10:00';
  const cases: [string, string, string][] = [
    ['a mediados de mayo', 'Europe/Madrid', '2026-05-15T09:00'],
    ['Anfang Mai', 'Europe/Berlin', '2026-05-01T09:00'],
    ['mi-mai', 'Europe/Paris', '2026-05-01T09:00'.replace('01', '15')],
    ['a week from monday', 'America/New_York', '2026-03-16T09:00'],
    ['after the kids are in bed', 'America/New_York', '2026-03-04T20:30'],
    ['when I get off work', 'America/New_York', '2026-03-04T18:00'],
    ['around noon tomorrow', 'America/New_York', '2026-03-05T12:00'],
    ['za kwadrans', 'Europe/Warsaw', '2026-03-04T10:15'],
    ["ayın 15'inde", 'Europe/Istanbul', '2026-03-15T09:00'],
    ['alas-tres ng hapon', 'Asia/Manila', '2026-03-04T15:00'],
    ['morgenvroeg', 'Europe/Amsterdam', '2026-03-05T08:00'],
    ['po Wielkanocy', 'Europe/Warsaw', '2026-04-07T09:00'],
  ];
  for (const [text, zone, want] of cases) {
    test(`${JSON.stringify(text)} (${zone}) → ${want}`, () => assert.equal(resolveAt(text, NOW, zone), want));
  }
});

describe('explicit zones and DST', () => {
  test('a zone word inside the phrase is used: "10am pacific on monday" said in Denver', () =>
    assert.equal(resolveAt('10am pacific on monday', '2026-03-05T11:00', 'America/Denver'), '2026-03-09T11:00'));
  test('"9:30 pacific time tomorrow" said in Phoenix the day before the fall-back is 10:30 there', () =>
    assert.equal(resolveAt('9:30 pacific time tomorrow', '2025-11-01T09:00', 'America/Phoenix'), '2025-11-02T10:30'));
  test('"in 2 hours" across the EU spring-forward is elapsed time', () =>
    assert.equal(resolveAt('text me in 2 hours', '2026-03-29T01:30', 'Europe/Paris'), '2026-03-29T04:30'));
  test('"dans 2h" is a duration, not 2 o\'clock', () =>
    assert.equal(
      resolveAt('dans 2h je suis dispo', '2025-10-26T01:30', 'Europe/Paris'),
      DateTime.fromMillis(DateTime.fromISO('2025-10-26T01:30', { zone: 'Europe/Paris' }).toMillis() + 7_200_000, {
        zone: 'Europe/Paris',
      }).toFormat("yyyy-LL-dd'T'HH:mm"),
    ));
  test('"after Eid" in May is Eid al-Adha, in March Eid al-Fitr', () => {
    assert.equal(resolveAt('after eid', '2026-05-15T12:00', 'Europe/Istanbul'), '2026-06-01T09:00');
    assert.equal(resolveAt('after eid', '2026-03-10T12:00', 'Asia/Dubai'), '2026-03-23T09:00');
  });
  test('"after the long weekend" is the first working day after the next public holiday (Victoria Day)', () =>
    assert.equal(resolveAt('after the long weekend', '2026-05-12T10:00', 'America/Vancouver'), '2026-05-19T09:00'));
});

describe('texting shapes of durations and days', () => {
  const NOW = '2026-03-04T10:00';
  const Z = 'America/New_York';
  const cases: [string, string][] = [
    ['in 2hrs', '2026-03-04T12:00'],
    ['15mins', '2026-03-04T10:15'],
    ['half hour', '2026-03-04T10:30'],
    ['hour and a half', '2026-03-04T11:30'],
    ['in 2-3 days', '2026-03-06T10:00'],
    ['thurs pm', '2026-03-05T14:00'],
    ['friday afternoonish', '2026-03-06T14:00'],
    ['two weeks from monday', '2026-03-23T09:00'],
    ['the first of the month', '2026-04-01T09:00'],
    ['first week of april', '2026-04-01T09:00'],
  ];
  for (const [text, want] of cases)
    test(`${JSON.stringify(text)} → ${want}`, () => assert.equal(resolveAt(text, NOW, Z), want));
});

describe('Portuguese everyday forms', () => {
  const NOW = '2026-03-04T10:00';
  const Z = 'America/Sao_Paulo';
  const cases: [string, string][] = [
    ['lá pelas 4', '2026-03-04T16:00'],
    ['dia 10', '2026-03-10T09:00'],
    ['amanhã no mesmo horário', '2026-03-05T10:00'],
    ['pode ser às 8 da noite', '2026-03-04T20:00'],
    ['daqui uns 10 min', '2026-03-04T10:10'],
    ['no sábado', '2026-03-07T09:00'],
    ['em janeiro', '2027-01-01T09:00'],
  ];
  for (const [text, want] of cases)
    test(`${JSON.stringify(text)} → ${want}`, () => assert.equal(resolveAt(text, NOW, Z), want));
  test('"not tomorrow" is still a negation; "no, tomorrow" is not', () => {
    assert.equal(resolveAt('not tomorrow', NOW, Z), null);
    assert.equal(resolveAt('no, tomorrow', NOW, Z), '2026-03-05T09:00');
  });
});

describe('Spanish, French and German everyday forms', () => {
  const NOW = '2026-03-04T10:00';
  const cases: [string, string, string][] = [
    ['en un par de horas', 'Europe/Madrid', '2026-03-04T12:00'],
    ['en fin de semaine prochaine', 'Europe/Paris', '2026-03-13T17:00'],
    ['gegen Mittag', 'Europe/Berlin', '2026-03-04T12:00'],
  ];
  for (const [text, zone, want] of cases)
    test(`${JSON.stringify(text)} → ${want}`, () => assert.equal(resolveAt(text, NOW, zone), want));
});
