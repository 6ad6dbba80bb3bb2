import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import {
  classifyRules,
  InvalidClassifyInputError,
  RulesClassifier,
  warmUpRulesInSlices,
} from '../../src/classify/rules.ts';
import type { Intent } from '../../src/classify/types.ts';

const at = (local: string, zone: string) => DateTime.fromISO(local, { zone }).toMillis();

/** A weekday morning, nothing special: Wed 2026-02-04 10:00 in New York. */
const NOW = at('2026-02-04T10:00', 'America/New_York');

function intentOf(text: string, zone = 'America/New_York', now = NOW): Intent {
  return classifyRules({ text, now, timezone: zone }).intent;
}

type Row = [text: string, expected: Intent];

const TABLE: Record<string, Row[]> = {
  en: [
    ['in a meeting', 'busy'],
    ['driving rn, ttyl', 'busy'],
    ['text me later', 'busy'],
    ["I'll get back to you", 'busy'],
    ['call me tomorrow at 3', 'request_time'],
    ['in a meeting, call me at 4', 'request_time'],
    ['next week works better', 'request_time'],
    ['not interested', 'not_interested'],
    ['No thanks, we went with someone else', 'not_interested'],
    ['STOP', 'not_interested'],
    ['wrong number', 'not_interested'],
    ['I booked for Tuesday', 'booked'],
    ['all set, made the appointment online', 'booked'],
    ['how much is it?', 'engaged'],
    ['ok', 'engaged'],
  ],
  es: [
    ['Estoy manejando', 'busy'],
    ['ocupada, luego te escribo', 'busy'],
    ['llámame mañana a las 4', 'request_time'],
    ['escríbeme la próxima semana', 'request_time'],
    ['No me interesa, gracias', 'not_interested'],
    ['BAJA', 'not_interested'],
    ['Ya reservé la cita para el jueves', 'booked'],
    ['¿Cuánto cuesta el corte?', 'engaged'],
  ],
  fr: [
    ['Je suis en réunion', 'busy'],
    ['pas maintenant, je conduis', 'busy'],
    ['Appelez-moi lundi à 9h', 'request_time'],
    ['rappelle-moi dans une heure', 'request_time'],
    ["Ça ne m'intéresse pas", 'not_interested'],
    ["Arrêtez de m'envoyer des messages svp", 'not_interested'],
    ["J'ai pris rendez-vous pour mardi", 'booked'],
    ["Oui, ça m'intéresse. C'est combien ?", 'engaged'],
  ],
  pt: [
    ['Tô no trabalho agora, depois falo', 'busy'],
    ['estou dirigindo', 'busy'],
    ['Fala comigo amanhã às 11', 'request_time'],
    ['me liga daqui a 2 horas', 'request_time'],
    ['Não tenho interesse', 'not_interested'],
    ['para de me mandar mensagem', 'not_interested'],
    ['Já agendei pelo link, obrigada', 'booked'],
    ['Vocês atendem aos sábados?', 'engaged'],
  ],
  de: [
    ['Bin grad im Auto', 'busy'],
    ['kann grad nicht, melde mich später', 'busy'],
    ['Können Sie mich morgen um 10 anrufen?', 'request_time'],
    ['Schreib mir nächste Woche', 'request_time'],
    ['Kein Interesse, danke.', 'not_interested'],
    ['Bitte keine Nachrichten mehr', 'not_interested'],
    ['Termin ist gebucht 👍', 'booked'],
    ['Wie lange dauert die Behandlung?', 'engaged'],
  ],
};

describe('rules classifier: every intent in every language', () => {
  for (const [lang, rows] of Object.entries(TABLE)) {
    for (const [text, expected] of rows) {
      test(`${lang}: ${JSON.stringify(text)} → ${expected}`, () => {
        assert.equal(intentOf(text), expected);
      });
    }
  }
  test('each language table covers all five intents', () => {
    for (const rows of Object.values(TABLE)) {
      assert.deepEqual(
        new Set(rows.map((r) => r[1])),
        new Set(['busy', 'request_time', 'not_interested', 'booked', 'engaged']),
      );
    }
  });
  test('the language guess is reported', () => {
    assert.equal(
      classifyRules({ text: 'llámame mañana a las 4', now: NOW, timezone: 'America/Mexico_City' }).language,
      'es',
    );
    assert.equal(classifyRules({ text: 'Appelez-moi lundi à 9h', now: NOW, timezone: 'Europe/Paris' }).language, 'fr');
  });
});

describe('rules classifier: negations', () => {
  const rows: Row[] = [
    ["I'm not busy now, go ahead", 'engaged'],
    ["I'm not driving anymore, we can talk", 'engaged'],
    ["I'm not free right now", 'busy'],
    ['not booked yet, still looking', 'engaged'],
    ["haven't booked yet, is the 10am still open?", 'engaged'],
    ["I want to book but the link isn't working", 'engaged'],
    ['not interested in the basic one, what about premium?', 'engaged'],
    ['Nope. Not interested in a facial.', 'not_interested'],
    ["I didn't say stop lol, what's the price", 'engaged'],
    ['can i just stop by or do i need an appointment', 'engaged'],
    ["stop, you're making me blush 😂 ok what's the deal", 'engaged'],
    ["Not now, I'm working", 'busy'],
    ['Not interested. Not now, not ever.', 'not_interested'],
    ["Not interested, and don't text me next week either", 'not_interested'],
  ];
  for (const [text, expected] of rows)
    test(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(intentOf(text), expected));
});

describe('rules classifier: SMS spelling, emojis, caps', () => {
  const rows: Row[] = [
    ['cnt tlk rn', 'busy'],
    ['l8r', 'busy'],
    ['busy atm', 'busy'],
    ['brb', 'busy'],
    ['Driving 🚗', 'busy'],
    ['👍', 'engaged'],
    ['scheduled ✅', 'booked'],
    ['AT WORK. CANT TALK', 'busy'],
    ['STOP TEXTING ME!!!', 'not_interested'],
    ['BOOKED', 'booked'],
    ['stoppp', 'not_interested'],
    ['Oh sure, because I have SO much free time right now 🙄', 'busy'],
  ];
  for (const [text, expected] of rows)
    test(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(intentOf(text), expected));

  test('"tmrw @ 3" is tomorrow 15:00 and the phrase is echoed as written', () => {
    const c = classifyRules({ text: 'tmrw @ 3', now: NOW, timezone: 'America/New_York' });
    assert.equal(c.intent, 'request_time');
    assert.equal(c.requestedAt, at('2026-02-05T15:00', 'America/New_York'));
    assert.equal(c.phrase, 'tmrw @ 3');
    assert.equal(c.wallClock, 'Thu 3:00 PM');
    assert.equal(c.zone, 'America/New_York');
  });
  test('"aftr 5" is 17:00', () => {
    const c = classifyRules({ text: 'aftr 5', now: NOW, timezone: 'America/New_York' });
    assert.equal(c.requestedAt, at('2026-02-04T17:00', 'America/New_York'));
  });
});

describe('rules classifier: time words that are not follow-up requests', () => {
  const rows: Row[] = [
    ['What time do you close?', 'engaged'],
    ['Are you open at 7am?', 'engaged'],
    ['do you have anything saturday morning?', 'engaged'],
    ['Does 4pm on Friday work for a viewing?', 'engaged'],
    ['Can you book me in for Tuesday at 2?', 'engaged'],
    ['Is Dr. Patel available next Thursday?', 'engaged'],
    ['is the 20% off still going next week?', 'engaged'],
    ['How long does a full set take? like 2 hours?', 'engaged'],
    ['3 bedrooms, 2 bath, about 1800 sq ft', 'engaged'],
    ['My budget is around 400k', 'engaged'],
    ['I called yesterday and nobody picked up', 'engaged'],
    ['We spoke on Monday about the roof', 'engaged'],
    ['I was in last month, same as before please', 'engaged'],
    ['Do you do evenings? I work till 6', 'engaged'],
    ['free now, call me', 'engaged'],
    ['ugh meetings all day', 'busy'],
    ["I'm at work until late, can't really talk", 'busy'],
    ['On a call, gimme a bit', 'busy'],
    ["Can we do this another time? I'm at work", 'busy'],
  ];
  for (const [text, expected] of rows)
    test(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(intentOf(text), expected));

  test('a proposed time phrased as a question is a request', () => {
    const c = classifyRules({ text: 'tomorrow at noon?', now: NOW, timezone: 'America/New_York' });
    assert.equal(c.intent, 'request_time');
    assert.equal(c.requestedAt, at('2026-02-05T12:00', 'America/New_York'));
  });
  test('"Tomorrow at 10 is better, I\'m out tonight": tonight is not the requested time', () => {
    const c = classifyRules({
      text: "Tomorrow at 10 is better, I'm out tonight",
      now: NOW,
      timezone: 'America/New_York',
    });
    assert.equal(c.requestedAt, at('2026-02-05T10:00', 'America/New_York'));
  });
  test('"I have meetings until 2, call me after" → 14:00', () => {
    const c = classifyRules({ text: 'I have meetings until 2, call me after', now: NOW, timezone: 'America/New_York' });
    assert.equal(c.intent, 'request_time');
    assert.equal(c.requestedAt, at('2026-02-04T14:00', 'America/New_York'));
  });
});

describe('rules classifier: input validation and interface', () => {
  test('bad input is a clear error', () => {
    assert.throws(() => classifyRules({ text: 42 as never, now: NOW, timezone: 'UTC' }), InvalidClassifyInputError);
    assert.throws(() => classifyRules({ text: 'hi', now: Number.NaN, timezone: 'UTC' }), /finite/);
    assert.throws(() => classifyRules({ text: 'hi', now: NOW, timezone: 'Mars/Olympus' }), /IANA zone/);
  });
  test('empty text is engaged, not an error', () => {
    assert.equal(intentOf(''), 'engaged');
  });
  test('RulesClassifier implements IntentClassifier', async () => {
    const c = await new RulesClassifier().classify({ text: 'STOP', now: NOW, timezone: 'UTC' });
    assert.equal(c.intent, 'not_interested');
    assert.equal(c.optOut, true);
    assert.equal(c.source, 'rules');
    assert.equal(typeof c.latencyMs, 'number');
  });
});

describe('rules classifier: long messages', () => {
  test('an opt-out at the end of a very long message still counts', () => {
    const text = `${'We have a lot going on with the house and the garden. '.repeat(60)}Anyway, please stop texting me.`;
    assert.ok(text.length > 2000);
    const c = classifyRules({ text, now: NOW, timezone: 'America/New_York' });
    assert.equal(c.intent, 'not_interested');
    assert.equal(c.optOut, true);
  });
  test('the start of a very long message is classified', () => {
    const text = `In a meeting, call me at 4. ${'Lots of details about the project follow here. '.repeat(80)}`;
    const c = classifyRules({ text, now: NOW, timezone: 'America/New_York' });
    assert.equal(c.intent, 'request_time');
    assert.equal(c.requestedAt, at('2026-02-04T16:00', 'America/New_York'));
  });
});

test('the sliced warm-up gives the event loop a turn after every classification, in each valid zone', async () => {
  let turns = 0;
  const countTurn = async () => {
    turns++;
  };
  const utcOnly = await warmUpRulesInSlices(['UTC'], countTurn);
  assert.ok(utcOnly >= 20, `a warm-up worth having classifies many messages, got ${utcOnly}`);
  assert.equal(turns, utcOnly);
  turns = 0;
  const twoZones = await warmUpRulesInSlices(['UTC', 'Nowhere/Atlantis', 'Europe/Madrid'], countTurn);
  assert.equal(twoZones, 2 * utcOnly, 'the unknown zone is skipped');
  assert.equal(turns, twoZones);
});
