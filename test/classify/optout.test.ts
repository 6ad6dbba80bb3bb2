import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectOptOut } from '../../src/classify/optout.ts';

describe('detectOptOut', () => {
  const optOuts = [
    'STOP',
    'stop.',
    ' Stop please!! ',
    'STOP ALL',
    'unsubscribe',
    'opt out',
    'CANCEL',
    'who is this?? i never signed up for anything. stop',
    'Stop messaging me',
    'I said no already. Stop contacting me.',
    "I'm not a customer, stop sending me this stuff",
    "Please don't text me again",
    'Do not call this number',
    'remove me from your list',
    'Take me off your mailing list',
    'lose my number',
    'leave me alone',
    'wrong number',
    "I'm not Jessica, you have the wrong person",
    "this number doesn't belong to Mark anymore",
    "this isn't Dave",
    // Spanish, French, Portuguese, German
    'BAJA',
    'no me escribas más',
    'Dejen de escribirme',
    "Arrêtez de m'envoyer des messages svp",
    'désabonnez-moi',
    "ne m'écrivez plus",
    'PARE',
    'para de me mandar mensagem',
    'não me mande mais mensagens',
    'STOPP',
    'Bitte keine Nachrichten mehr',
    'Lassen Sie mich bitte in Ruhe',
    'falsche Nummer',
  ];
  for (const text of optOuts) {
    test(`opt-out: ${JSON.stringify(text)}`, () => {
      const d = detectOptOut(text);
      assert.equal(d.optOut, true);
    });
  }

  const notOptOuts = [
    "I didn't say stop lol, what's the price",
    'can i just stop by or do i need an appointment',
    "stop, you're making me blush 😂 ok what's the deal",
    "don't call me before 5, text me instead",
    'not interested',
    'can you call me tomorrow?',
    "I'm not sure yet",
    "I'm not Interested in the basic plan", // "Interested" is not a name
    'bus stop near you?',
    '',
  ];
  for (const text of notOptOuts) {
    test(`not an opt-out: ${JSON.stringify(text)}`, () => {
      assert.equal(detectOptOut(text).optOut, false);
    });
  }

  test('the match kind is reported', () => {
    const k = detectOptOut('STOP');
    assert.ok(k.optOut && k.kind === 'keyword');
    const w = detectOptOut('sorry wrong number');
    assert.ok(w.optOut && w.kind === 'wrong_number');
    const p = detectOptOut('please stop texting me');
    assert.ok(p.optOut && p.kind === 'phrase');
  });
});
