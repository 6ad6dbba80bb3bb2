/**
 * Every built-in text reads well whatever the contact left out: each follow-up template
 * (every scenario, step bucket and variant) and each reply of the built-in bot (every
 * intent, in every language it answers in), with and without a name, a booking link and a
 * known phone. Follow-up templates are written in English only (docs/classification.md).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fillPlaceholders } from '../../src/classify/placeholders.ts';
import { REPLY_LANGUAGES, templateReply, type FollowUpDelivery } from '../../src/classify/responder.ts';
import { SCENARIOS, templatesFor } from '../../src/classify/templates.ts';
import { INTENTS } from '../../src/classify/types.ts';
import { wordingProblems } from '../helpers/wording.ts';

const BOOKING = 'https://book.example.test/harbor';
const NAMES = [{ first_name: 'Ana' }, {}, { first_name: '   ' }];
const LINKS = [{ booking_url: BOOKING }, {}];

describe('wording', () => {
  test('every follow-up template renders well with and without a name and a booking link', () => {
    const bad: string[] = [];
    let rendered = 0;
    for (const scenario of SCENARIOS) {
      for (let step = 1; step <= 3; step++) {
        for (const template of templatesFor(scenario, step)) {
          for (const name of NAMES) {
            for (const link of LINKS) {
              const text = fillPlaceholders(template.text, { business_name: 'Harbor Street Bikes', ...name, ...link });
              rendered++;
              for (const problem of wordingProblems(text))
                bad.push(`${template.id} ${JSON.stringify({ ...name, ...link })}: ${problem}: ${JSON.stringify(text)}`);
            }
          }
        }
      }
    }
    assert.equal(rendered, 3 * 3 * 3 * NAMES.length * LINKS.length);
    assert.deepEqual(bad, []);
  });

  test('every reply of the built-in bot reads well in every language, with and without a link or a phone', () => {
    const deliveries: FollowUpDelivery[] = [
      { by: 'sms', askPhone: false },
      { by: 'here', askPhone: false },
      { by: 'here', askPhone: true },
    ];
    const bad: string[] = [];
    for (const language of REPLY_LANGUAGES) {
      for (const intent of INTENTS) {
        for (const bookingUrl of [BOOKING, null]) {
          for (const delivery of deliveries) {
            for (const optOut of [false, true]) {
              for (const wallClock of ['Tue 3:00 PM', undefined]) {
                const { text } = templateReply({
                  text: '',
                  classification: {
                    intent,
                    language,
                    optOut,
                    ...(wallClock ? { wallClock, requestedAt: Date.UTC(2026, 0, 6, 15), zone: 'UTC' } : {}),
                  },
                  recentMessages: [],
                  business: { name: 'Harbor Street Bikes', bookingUrl },
                  delivery,
                });
                for (const problem of wordingProblems(text))
                  bad.push(
                    `${language} ${intent} ${JSON.stringify({ bookingUrl, delivery, optOut, wallClock })}: ${problem}: ${JSON.stringify(text)}`,
                  );
              }
            }
          }
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  test('the checker itself catches what the issue reported', () => {
    assert.deepEqual(wordingProblems('there, any thoughts on what we discussed?'), [
      'starts with a lowercase word',
      '"there" standing in for a name',
    ]);
    assert.ok(
      wordingProblems(
        "Hi there, Harbor here again. Whenever you're free, just reply. Or pick a time that suits you",
      ).includes('does not end a sentence'),
    );
    assert.ok(wordingProblems('Hi , thanks!').includes('a space before punctuation'));
    assert.ok(wordingProblems('Book here: ').includes('dangling punctuation'));
    assert.deepEqual(wordingProblems(`Hi there, book here: ${BOOKING}`), []);
  });
});
