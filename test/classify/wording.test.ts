/**
 * Every built-in text reads well whatever the contact left out: each follow-up template
 * (every scenario, step bucket and variant, in every language the classifier reads) and
 * each reply of the built-in bot (every intent, in every language), with and without a
 * name, a booking link, a business name and a known phone.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_SEGMENTS, templateFollowUp } from '../../src/classify/composer.ts';
import { fillPlaceholders } from '../../src/classify/placeholders.ts';
import { REPLY_LANGUAGES, templateReply, type FollowUpDelivery } from '../../src/classify/responder.ts';
import { fitsSegments } from '../../src/classify/segments.ts';
import { SCENARIOS, TEMPLATE_LANGUAGES, templatesFor } from '../../src/classify/templates.ts';
import { INTENTS, LANGUAGES } from '../../src/classify/types.ts';
import { wordingProblems } from '../helpers/wording.ts';

const BOOKING = 'https://book.example.test/harbor';
const NAMES = [{ first_name: 'Ana' }, {}, { first_name: '   ' }];
const LINKS = [{ booking_url: BOOKING }, {}];
const BUSINESSES = [{ business_name: 'Harbor Street Bikes' }, {}];

describe('wording', () => {
  test('every follow-up template in every language renders well with a name, a link or a business missing', () => {
    assert.deepEqual([...TEMPLATE_LANGUAGES].sort(), [...LANGUAGES].sort(), 'a template table per language read');
    const bad: string[] = [];
    let rendered = 0;
    for (const language of TEMPLATE_LANGUAGES) {
      for (const scenario of SCENARIOS) {
        for (let step = 1; step <= 3; step++) {
          const templates = templatesFor(scenario, step, language);
          assert.equal(templates.length, 3, `${language} ${scenario} #${step}: three variants`);
          for (const template of templates) {
            for (const name of NAMES) {
              for (const link of LINKS) {
                for (const business of BUSINESSES) {
                  const values = { ...business, ...name, ...link };
                  const text = fillPlaceholders(template.text, values, language);
                  rendered++;
                  const problems = wordingProblems(text);
                  // Sent whole: the composer would cut a longer text at a sentence end.
                  if (!fitsSegments(text, MAX_SEGMENTS)) problems.push(`longer than ${MAX_SEGMENTS} SMS segments`);
                  for (const problem of problems)
                    bad.push(`${template.id} ${JSON.stringify(values)}: ${problem}: ${JSON.stringify(text)}`);
                }
              }
            }
          }
        }
      }
    }
    assert.equal(rendered, LANGUAGES.length * 3 * 3 * 3 * NAMES.length * LINKS.length * BUSINESSES.length);
    assert.deepEqual(bad, []);
  });

  test("a follow-up is written in the contact's last known language, English when it is unknown", () => {
    const input = (language: string | null) => ({
      scenario: 'busy' as const,
      step: 1,
      mode: 'ai' as const,
      contact: { firstName: 'Ana' },
      business: { name: 'Harbor Street Bikes', bookingUrl: null },
      recentMessages: [],
      language,
    });
    const de = templateFollowUp(input('de'));
    assert.match(de.templateId ?? '', /^de:busy\.1\.[abc]$/);
    const chosen = templatesFor('busy', 1, 'de').find((t) => t.id === de.templateId)!;
    assert.equal(
      de.text,
      fillPlaceholders(chosen.text, { first_name: 'Ana', business_name: 'Harbor Street Bikes' }, 'de'),
    );
    assert.match(de.text, /^Hallo Ana, /);
    for (const unknown of [null, 'xx', 'en']) {
      const en = templateFollowUp(input(unknown));
      assert.match(en.templateId ?? '', /^busy\.1\.[abc]$/, `language ${unknown}`);
    }
    // The variant rotates across languages: a contact who switched language still never gets
    // the same variant twice in a row.
    const previous = templateFollowUp(input('es')).templateId!;
    const next = templateFollowUp({ ...input('pt'), previousTemplateId: previous });
    assert.notEqual(next.templateId!.split(':')[1], previous.split(':')[1]);
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
