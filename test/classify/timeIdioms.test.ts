/**
 * How people say times in es, pt, nl, tr, pl, it, fr, de, Hinglish and Tagalog, by category
 * (shared/data/README.md conventions); written from how each language says times, one row per form.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { resolveTimePhrase } from '../../src/classify/timeResolver.ts';

/** Resolves `text` said at local wall time `now` in `zone`; the answer as local "yyyy-MM-ddTHH:mm". */
function resolveAt(text: string, now: string, zone: string): string | null {
  const r = resolveTimePhrase(text, DateTime.fromISO(now, { zone }).toMillis(), zone);
  return r ? DateTime.fromMillis(r.at, { zone }).toFormat("yyyy-LL-dd'T'HH:mm") : null;
}

describe('clock idioms: quarters and halves said in words, 24-hour clocks', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['à trois heures et quart', '2026-03-04T10:00', 'Europe/Paris', '2026-03-04T15:15'],
    ['à cinq heures moins le quart', '2026-03-04T10:00', 'Europe/Paris', '2026-03-04T16:45'],
    ['vers quatre heures et demie', '2026-03-04T10:00', 'Europe/Paris', '2026-03-04T16:30'],
    ['a las cuatro menos cuarto', '2026-03-04T10:00', 'Europe/Madrid', '2026-03-04T15:45'],
    ['a las 6 de la tarde', '2026-03-04T10:00', 'Europe/Madrid', '2026-03-04T18:00'],
    ['mañana a las 7 de la mañana', '2026-03-04T10:00', 'Europe/Madrid', '2026-03-05T07:00'],
    ['llámame a las 8 de la noche', '2026-03-04T10:00', 'America/Mexico_City', '2026-03-04T20:00'],
    ['às duas menos um quarto', '2026-03-04T10:00', 'Europe/Lisbon', '2026-03-04T13:45'],
    ['às três e meia', '2026-03-04T10:00', 'America/Sao_Paulo', '2026-03-04T15:30'],
    ['amanhã às 7 da manhã', '2026-03-04T10:00', 'America/Sao_Paulo', '2026-03-05T07:00'],
    ['lá pras 8 da noite', '2026-03-04T10:00', 'America/Sao_Paulo', '2026-03-04T20:00'],
    ['rond een uur of drie', '2026-03-04T10:00', 'Europe/Amsterdam', '2026-03-04T15:00'],
    ["bel me om 8 uur 's avonds", '2026-03-04T10:00', 'Europe/Amsterdam', '2026-03-04T20:00'],
    ['yarın saat 3 buçukta', '2026-03-04T10:00', 'Europe/Istanbul', '2026-03-05T15:30'],
    ["yarın sabah 9'da ara", '2026-03-04T10:00', 'Europe/Istanbul', '2026-03-05T09:00'],
    ['o wpół do czwartej', '2026-03-04T10:00', 'Europe/Warsaw', '2026-03-04T15:30'],
    ['kwadrans po trzeciej', '2026-03-04T10:00', 'Europe/Warsaw', '2026-03-04T15:15'],
    ['jutro o piętnastej', '2026-03-04T10:00', 'Europe/Warsaw', '2026-03-05T15:00'],
    ['alle tre e mezza', '2026-03-04T10:00', 'Europe/Rome', '2026-03-04T15:30'],
    ['alle quattro meno un quarto', '2026-03-04T10:00', 'Europe/Rome', '2026-03-04T15:45'],
    ['alle cinque e un quarto', '2026-03-04T10:00', 'Europe/Rome', '2026-03-04T17:15'],
    ['Donnerstag um viertel zehn', '2026-03-04T10:00', 'Europe/Vienna', '2026-03-05T09:15'],
    ['um viertel vier', '2026-03-04T10:00', 'Europe/Berlin', '2026-03-04T15:15'],
    ['kal saade 4 baje', '2026-03-04T10:00', 'Asia/Kolkata', '2026-03-05T16:30'],
    ['dhai baje call karo', '2026-03-04T10:00', 'Asia/Kolkata', '2026-03-04T14:30'],
    ['alas tres y medya', '2026-03-04T10:00', 'Asia/Manila', '2026-03-04T15:30'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('parts of the day, also joined to a day word', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['Übermorgen nach em Zmittag', '2026-03-04T10:00', 'Europe/Zurich', '2026-03-06T14:00'],
    ['woensdagnamiddag', '2026-03-02T18:00', 'Europe/Brussels', '2026-03-04T14:00'],
    ['dinsdagavond na achten', '2026-03-04T10:00', 'Europe/Amsterdam', '2026-03-10T20:00'],
    ['morgenochtend', '2026-03-04T10:00', 'Europe/Amsterdam', '2026-03-05T09:00'],
    ['domattina presto', '2026-03-04T22:00', 'Europe/Rome', '2026-03-05T08:00'],
    ['nel primo pomeriggio', '2026-03-04T10:00', 'Europe/Rome', '2026-03-04T13:00'],
    ['in tarda mattinata', '2026-03-04T09:00', 'Europe/Rome', '2026-03-04T11:00'],
    ['el lunes a media mañana', '2026-03-04T10:00', 'Europe/Madrid', '2026-03-09T11:00'],
    ['mañana a primera hora de la tarde', '2026-03-04T10:00', 'Europe/Madrid', '2026-03-05T13:00'],
    ['no fim da tarde', '2026-03-04T10:00', 'America/Sao_Paulo', '2026-03-04T16:00'],
    ['amanhã cedo', '2026-03-04T10:00', 'America/Sao_Paulo', '2026-03-05T08:00'],
    ['jutro po południu', '2026-03-04T10:00', 'Europe/Warsaw', '2026-03-05T14:00'],
    ['jutro rano', '2026-03-04T10:00', 'Europe/Warsaw', '2026-03-05T09:00'],
    ['bukas ng umaga', '2026-03-04T10:00', 'Asia/Manila', '2026-03-05T09:00'],
    ['kal subah', '2026-03-04T10:00', 'Asia/Kolkata', '2026-03-05T09:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('"after the weekend" is Monday 09:00', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['después del finde', '2026-03-04T10:00', 'Europe/Madrid', '2026-03-09T09:00'],
    ['depois do fim de semana', '2026-03-04T10:00', 'Europe/Lisbon', '2026-03-09T09:00'],
    ['na het weekend', '2026-03-04T10:00', 'Europe/Amsterdam', '2026-03-09T09:00'],
    ['po weekendzie', '2026-03-04T10:00', 'Europe/Warsaw', '2026-03-09T09:00'],
    ['dopo il weekend', '2026-03-04T10:00', 'Europe/Rome', '2026-03-09T09:00'],
    ['dopo il fine settimana', '2026-03-04T10:00', 'Europe/Rome', '2026-03-09T09:00'],
    ['nach em Wucheänd', '2026-03-04T10:00', 'Europe/Zurich', '2026-03-09T09:00'],
    ['weekend ke baad', '2026-03-04T10:00', 'Asia/Kolkata', '2026-03-09T09:00'],
    ['pagkatapos ng weekend', '2026-03-04T10:00', 'Asia/Manila', '2026-03-09T09:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('"next weekend" is Saturday of next week', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['el finde que viene', '2026-03-04T10:00', 'Europe/Madrid', '2026-03-14T09:00'],
    ['volgend weekend', '2026-03-04T10:00', 'Europe/Amsterdam', '2026-03-14T09:00'],
    ['il prossimo weekend', '2026-03-04T10:00', 'Europe/Rome', '2026-03-14T09:00'],
    ['no próximo fim de semana', '2026-03-04T10:00', 'America/Sao_Paulo', '2026-03-14T09:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('"end of next week" is Friday of next week, 17:00', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['fine della settimana prossima', '2026-03-04T10:00', 'Europe/Rome', '2026-03-13T17:00'],
    ['no final da semana que vem', '2026-03-04T10:00', 'America/Sao_Paulo', '2026-03-13T17:00'],
    ['eind volgende week', '2026-03-04T10:00', 'Europe/Amsterdam', '2026-03-13T17:00'],
    ['pod koniec przyszłego tygodnia', '2026-03-04T10:00', 'Europe/Warsaw', '2026-03-13T17:00'],
    ['end of next week', '2026-03-04T10:00', 'America/Chicago', '2026-03-13T17:00'],
    ['Ende nächster Woche', '2026-03-04T10:00', 'Europe/Berlin', '2026-03-13T17:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('a fortnight is 14 days on, the same wall time', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['fra due settimane', '2026-03-04T10:00', 'Europe/Rome', '2026-03-18T10:00'],
    ['tra quindici giorni', '2026-03-04T10:00', 'Europe/Rome', '2026-03-18T10:00'],
    ['over twee weken', '2026-03-04T10:00', 'Europe/Amsterdam', '2026-03-18T10:00'],
    ['over veertien dagen', '2026-03-04T10:00', 'Europe/Amsterdam', '2026-03-18T10:00'],
    ['za dwa tygodnie', '2026-03-04T10:00', 'Europe/Warsaw', '2026-03-18T10:00'],
    ['daqui a quinze dias', '2026-03-04T10:00', 'America/Sao_Paulo', '2026-03-18T10:00'],
    ['do hafte baad', '2026-03-04T10:00', 'Asia/Kolkata', '2026-03-18T10:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('durations in diminutives and loose words', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['in ner Stunde', '2026-03-04T10:00', 'Europe/Berlin', '2026-03-04T11:00'],
    ["fra un'oretta", '2026-03-04T10:00', 'Europe/Rome', '2026-03-04T11:00'],
    ['en dos horitas te hablo', '2026-03-04T10:00', 'America/Santiago', '2026-03-04T12:00'],
    ['over een uur of twee', '2026-03-04T10:00', 'Europe/Amsterdam', '2026-03-04T12:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('a day of the month is the next such date; "after the 20th" the day after', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['después del 20', '2026-03-04T10:00', 'America/Mexico_City', '2026-03-21T09:00'],
    ['depois do dia 20', '2026-03-04T10:00', 'America/Sao_Paulo', '2026-03-21T09:00'],
    ['après le 20', '2026-03-04T10:00', 'Europe/Paris', '2026-03-21T09:00'],
    ['nach dem 20.', '2026-03-04T10:00', 'Europe/Berlin', '2026-03-21T09:00'],
    ['dopo il 20', '2026-03-04T10:00', 'Europe/Rome', '2026-03-21T09:00'],
    ['il 15', '2026-03-04T10:00', 'Europe/Rome', '2026-03-15T09:00'],
    ["ayın 15'inde", '2026-03-04T10:00', 'Europe/Istanbul', '2026-03-15T09:00'],
    ['piętnastego', '2026-03-04T10:00', 'Europe/Warsaw', '2026-03-15T09:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('busy until a time, and an hour given after an event', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['zit in de auto tot een uur of 3, bel daarna', '2026-03-04T10:00', 'Europe/Amsterdam', '2026-03-04T15:00'],
    ['je finis mon service à 23h, écrivez-moi après', '2026-03-04T19:00', 'Europe/Paris', '2026-03-04T23:00'],
    ['después de recoger a los niños, como a las 5', '2026-03-04T10:00', 'Europe/Madrid', '2026-03-04T17:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});

describe('more everyday forms: a couple of days, towards evening, "vers 18h", after the holiday', () => {
  const cases: [text: string, now: string, zone: string, want: string][] = [
    ['tra un paio di giorni', '2026-03-04T10:00', 'Europe/Rome', '2026-03-06T10:00'],
    ['akşama doğru', '2026-03-04T10:00', 'Europe/Istanbul', '2026-03-04T18:00'],
    ['pod wieczór', '2026-03-04T10:00', 'Europe/Warsaw', '2026-03-04T18:00'],
    ['vers 18h', '2026-03-04T10:00', 'Europe/Paris', '2026-03-04T18:00'],
    // "o feriado": the next public holiday (Tiradentes, Tuesday 21 April 2026), then the next working day.
    ['depois do feriado', '2026-04-15T10:00', 'America/Sao_Paulo', '2026-04-22T09:00'],
  ];
  for (const [text, now, zone, want] of cases)
    test(`${JSON.stringify(text)} on ${now} in ${zone} → ${want}`, () =>
      assert.equal(resolveAt(text, now, zone), want));
});
