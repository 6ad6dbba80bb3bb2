import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { classifyRules } from '../../src/classify/rules.ts';

const ZONE = 'Europe/London';
// Wednesday 4 March 2026, 10:00.
const NOW = DateTime.fromISO('2026-03-04T10:00', { zone: ZONE }).toMillis();
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

describe('a time that opens the message, then a reason, is a time request', () => {
  const cases: [text: string, want: string][] = [
    ["tomorrow afternoon, I'm at the dentist now", '2026-03-05T14:00'],
    ['next month when my lease is up', '2026-04-01T09:00'],
    ['maybe friday, we have inspections all week', '2026-03-06T09:00'],
    ['el lunes, que ahora estoy liado', '2026-03-09T09:00'],
    ['semana que vem, agora não dá', '2026-03-09T09:00'],
    ['morgen, weil ich heute keine Zeit habe', '2026-03-05T09:00'],
    ['tra due ore, sono in riunione', '2026-03-04T12:00'],
  ];
  for (const [text, want] of cases)
    test(`${JSON.stringify(text)} → ${want}`, () => {
      const c = classifyRules({ text, now: NOW, timezone: ZONE });
      assert.equal(c.intent, 'request_time');
      assert.equal(c.requestedAt, at(want));
    });
});

describe('a past time that opens the message is not a time request', () => {
  for (const text of ['yesterday, when you called, I was driving', 'last week, you said the price would drop'])
    test(JSON.stringify(text), () =>
      assert.notEqual(classifyRules({ text, now: NOW, timezone: ZONE }).intent, 'request_time'),
    );
});

describe('contact verbs and availability in other languages make a time a request', () => {
  const cases: [text: string, want: string][] = [
    ['te llamo mañana a las 5, ahora no puedo', '2026-03-05T17:00'],
    ['ligo-te amanhã às 3', '2026-03-05T15:00'],
    ["yarın 3'te ararım", '2026-03-05T15:00'],
    ['bukas na lang po', '2026-03-05T09:00'],
    ['bis 15 Uhr beim Arzt, danach gern', '2026-03-04T15:00'],
    ['w piątek mogę porozmawiać', '2026-03-06T09:00'],
  ];
  for (const [text, want] of cases)
    test(`${JSON.stringify(text)} → ${want}`, () => {
      const c = classifyRules({ text, now: NOW, timezone: ZONE });
      assert.equal(c.intent, 'request_time');
      assert.equal(c.requestedAt, at(want));
    });
});
