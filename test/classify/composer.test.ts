import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  composeFollowUp,
  ComposeInputError,
  fillPlaceholders,
  type ComposeInput,
} from '../../src/classify/composer.ts';
import { enforceLinkPolicy, findUrls } from '../../src/classify/links.ts';
import { fitsSegments, fitToSegments, smsSegments } from '../../src/classify/segments.ts';
import { pickTemplate, SCENARIOS, templatesFor } from '../../src/classify/templates.ts';
import { closedPort, startFakeOllama, type ChatReply, type FakeOllama } from './fakeOllama.ts';

const BOOKING = 'https://book.acme-salon.example/now';

function input(over: Partial<ComposeInput> = {}): ComposeInput {
  return {
    scenario: 'stoppedReplying',
    step: 1,
    mode: 'ai',
    contact: { firstName: 'Ana' },
    business: { name: 'Acme Salon', bookingUrl: BOOKING },
    recentMessages: [
      { sender: 'contact', text: 'how much is a cut and colour?' },
      { sender: 'bot', text: 'A cut and colour starts at $120. Would you like to book?' },
    ],
    previousTemplateId: null,
    ollama: null,
    ...over,
  };
}

describe('SMS segments', () => {
  test('GSM-7: 160 in one segment, 153 per segment beyond', () => {
    assert.deepEqual(smsSegments('a'.repeat(160)), { encoding: 'GSM-7', units: 160, segments: 1, remaining: 0 });
    assert.equal(smsSegments('a'.repeat(161)).segments, 2);
    assert.equal(smsSegments('a'.repeat(306)).segments, 2);
    assert.equal(smsSegments('a'.repeat(307)).segments, 3);
  });
  test('GSM-7 extension characters count twice', () => {
    assert.equal(smsSegments('€'.repeat(80)).units, 160);
    assert.equal(smsSegments('€'.repeat(81)).segments, 2);
  });
  test('any non-GSM character makes it UCS-2: 70 in one, 67 per segment beyond', () => {
    assert.equal(smsSegments('—' + 'a'.repeat(69)).encoding, 'UCS-2');
    assert.equal(smsSegments('—' + 'a'.repeat(69)).segments, 1);
    assert.equal(smsSegments('—' + 'a'.repeat(70)).segments, 2);
    assert.equal(smsSegments('—' + 'a'.repeat(133)).segments, 2);
    assert.equal(smsSegments('—' + 'a'.repeat(134)).segments, 3);
    assert.equal(smsSegments('🙂').units, 2, 'an emoji is two UTF-16 units');
  });
  test('fitToSegments bounds both encodings to two segments', () => {
    const gsm = fitToSegments('This is a sentence. '.repeat(40));
    assert.ok(fitsSegments(gsm, 2) && smsSegments(gsm).units <= 306, gsm);
    assert.match(gsm, /\.$/, 'cut at a sentence end');
    const ucs = fitToSegments('Olá — tudo bem? '.repeat(30));
    assert.ok(fitsSegments(ucs, 2) && ucs.length <= 134, ucs);
    const words = fitToSegments('word '.repeat(200));
    assert.ok(fitsSegments(words, 2));
    assert.match(words, /\.\.\.$/);
  });
});

describe('link policy', () => {
  test('only the booking URL survives', () => {
    const r = enforceLinkPolicy(
      `Book here: ${BOOKING} or see https://evil.example.com/deal and www.other.example.com. Also acme.io/promo!`,
      BOOKING,
    );
    assert.deepEqual(findUrls(r.text), [BOOKING]);
    assert.equal(r.removed.length, 3);
    assert.doesNotMatch(r.text, /evil|other|acme\.io/);
  });
  test('the booking URL matches regardless of scheme, www and trailing slash', () => {
    const r = enforceLinkPolicy('Book: http://www.book.acme-salon.example/now/', BOOKING);
    assert.equal(r.removed.length, 0);
  });
  test('without a booking URL every link goes, with its lead-in', () => {
    const r = enforceLinkPolicy('Thanks! You can book at https://x.example.com/b. See you soon.', null);
    assert.equal(r.text, 'Thanks! You can book. See you soon.');
  });
});

describe('placeholders', () => {
  test('values are filled', () => {
    assert.equal(
      fillPlaceholders('Hi {{first_name}}, {{business_name}} here. Book: {{booking_url}}', {
        first_name: 'Ana',
        business_name: 'Acme',
        booking_url: BOOKING,
      }),
      `Hi Ana, Acme here. Book: ${BOOKING}`,
    );
  });
  test('safe defaults when values are missing', () => {
    assert.equal(fillPlaceholders('Hi {{first_name}}, thanks!', {}), 'Hi there, thanks!');
    assert.equal(fillPlaceholders('Hi {{ First Name }}!', { first_name: '  ' }), 'Hi there!');
    assert.equal(fillPlaceholders('From {{business_name}}.', {}), 'From our team.');
  });
  test('a missing booking URL drops the sentence offering it', () => {
    assert.equal(
      fillPlaceholders('Hi {{first_name}}! Book here: {{booking_url}}. Talk soon.', { first_name: 'Ana' }),
      'Hi Ana! Talk soon.',
    );
    assert.equal(fillPlaceholders('Book here: {{booking_url}}', {}), '');
  });
  test('a missing booking URL inside a longer sentence drops just the link', () => {
    assert.equal(
      fillPlaceholders(
        'Hi {{first_name}}, you can pick a time that suits you at {{booking_url}} or simply reply to this message.',
        {},
      ),
      'Hi there, you can pick a time that suits you or simply reply to this message.',
    );
  });
  test('unknown placeholders are left out, never printed raw', () => {
    const out = fillPlaceholders('Hi {{first_name}}{{nickname}}, welcome {{ pet_name }}!', { first_name: 'Ana' });
    assert.equal(out, 'Hi Ana, welcome!');
    assert.doesNotMatch(out, /nickname|pet_name|\{\{/);
    assert.equal(fillPlaceholders('Your code: {{code}}', { code: 'X1' }), 'Your code: X1', 'extra values are usable');
  });
  test('aliases and casing are accepted', () => {
    assert.equal(
      fillPlaceholders('{{firstName}} / {{Business_Name}}', { first_name: 'Ana', business_name: 'Acme' }),
      'Ana / Acme',
    );
  });
});

describe('templates', () => {
  test('every scenario and step has several variants, all within 2 GSM-7 segments', () => {
    for (const s of SCENARIOS) {
      for (let step = 1; step <= 5; step++) {
        const variants = templatesFor(s, step);
        assert.ok(variants.length >= 3);
        for (const v of variants) {
          const filled = fillPlaceholders(v.text, {
            first_name: 'Maximiliano',
            business_name: 'Northside Family Dental & Ortho',
            booking_url: BOOKING,
          });
          assert.ok(fitsSegments(filled, 2), `${v.id} too long`);
          assert.equal(smsSegments(filled).encoding, 'GSM-7', `${v.id} is not GSM-7`);
        }
      }
    }
  });
  test('never the same template twice in a row', () => {
    for (const s of SCENARIOS) {
      for (let step = 1; step <= 4; step++) {
        for (const prev of templatesFor(s, step)) {
          assert.notEqual(pickTemplate(s, step, prev.id).id, prev.id);
        }
      }
      // A contact going through the cadence repeatedly never sees a repeat.
      let prev: string | null = null;
      for (let step = 1; step <= 12; step++) {
        const t = pickTemplate(s, ((step - 1) % 3) + 1, prev);
        assert.notEqual(t.id, prev);
        prev = t.id;
      }
    }
  });
  test('rotation varies between contacts', () => {
    const picks = new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((seed) => pickTemplate('busy', 1, null, seed).id));
    assert.ok(picks.size >= 2);
  });
});

describe('composeFollowUp', () => {
  test('bad input is a clear error', async () => {
    await assert.rejects(composeFollowUp(input({ scenario: 'nope' as never })), ComposeInputError);
    await assert.rejects(composeFollowUp(input({ step: 0 })), /step/);
    await assert.rejects(composeFollowUp(input({ mode: 'x' as never })), /mode/);
  });

  test('ai mode without Ollama uses a template (no fallback reason: Ollama was not tried)', async () => {
    const r = await composeFollowUp(input());
    assert.equal(r.source, 'template');
    assert.ok(r.templateId?.startsWith('stoppedReplying.1.'));
    assert.equal(r.fallbackReason, undefined);
    assert.match(r.text, /Ana/);
    assert.doesNotMatch(r.text, /\{\{/);
  });

  test('template fallback never repeats the previous template', async () => {
    const first = await composeFollowUp(input());
    const second = await composeFollowUp(input({ previousTemplateId: first.templateId }));
    assert.notEqual(second.templateId, first.templateId);
  });

  test('template without a booking URL omits the link sentence', async () => {
    for (const t of templatesFor('stoppedReplying', 1)) {
      const r = await composeFollowUp(
        input({ business: { name: 'Acme', bookingUrl: null }, previousTemplateId: t.id }),
      );
      assert.doesNotMatch(r.text, /https?:|\{\{|book here:\s*$/i);
    }
  });

  test('custom mode fills placeholders with safe defaults', async () => {
    const r = await composeFollowUp(
      input({
        mode: 'custom',
        customText: 'Hi {{first_name}}, {{business_name}} here! Book: {{booking_url}}',
        contact: {},
        business: { name: 'Acme', bookingUrl: null },
      }),
    );
    assert.equal(r.source, 'custom');
    assert.equal(r.text, 'Hi there, Acme here!');
  });

  test('custom mode with empty text falls back to a template with the reason', async () => {
    const r = await composeFollowUp(input({ mode: 'custom', customText: '   ' }));
    assert.equal(r.source, 'template');
    assert.match(r.fallbackReason ?? '', /custom text missing/);
  });
});

describe('composeFollowUp with Ollama', () => {
  let server: FakeOllama;
  let next: ChatReply = { content: '{}' };
  before(async () => {
    server = await startFakeOllama({ chat: () => next });
  });
  after(() => server.close());
  const ai = (over: Partial<ComposeInput> = {}, timeoutMs = 5000) =>
    input({ ollama: { host: server.host, model: 'llama3.2', timeoutMs }, ...over });

  test('a good answer is used, with the conversation and business in the prompt', async () => {
    next = {
      content: JSON.stringify({
        message: 'Hi Ana, still thinking about the cut and colour? Happy to hold a slot for you.',
      }),
    };
    server.requests.length = 0;
    const r = await composeFollowUp(ai());
    assert.equal(r.source, 'ollama');
    assert.equal(r.text, 'Hi Ana, still thinking about the cut and colour? Happy to hold a slot for you.');
    const chat = server.requests.find((q) => q.url === '/api/chat')!;
    const prompt = JSON.stringify(chat.body.messages);
    assert.match(prompt, /Acme Salon/);
    assert.match(prompt, /cut and colour starts at \$120/);
    assert.match(prompt, /follow-up number 1/);
    assert.equal(chat.body.format.type, 'object');
  });

  test('length is bounded to 2 SMS segments', async () => {
    next = { content: JSON.stringify({ message: 'We would love to see you again soon. '.repeat(30) }) };
    const r = await composeFollowUp(ai());
    assert.equal(r.source, 'ollama');
    assert.ok(fitsSegments(r.text, 2), `${r.text.length} chars`);
    next = { content: JSON.stringify({ message: 'Olá Ana — ainda interessada? '.repeat(20) }) };
    const u = await composeFollowUp(ai());
    assert.ok(u.text.length <= 134 && fitsSegments(u.text, 2));
  });

  test('invented links are removed, the booking link is kept', async () => {
    next = {
      content: JSON.stringify({
        message: `Hi Ana! Book at ${BOOKING} or check our deals at https://deals.example.com/x today.`,
      }),
    };
    const r = await composeFollowUp(ai());
    assert.equal(r.source, 'ollama');
    assert.deepEqual(findUrls(r.text), [BOOKING]);
    next = { content: JSON.stringify({ message: 'Hi Ana! Grab a slot at https://fake-booking.example.com.' }) };
    const noBooking = await composeFollowUp(ai({ business: { name: 'Acme Salon', bookingUrl: null } }));
    assert.deepEqual(findUrls(noBooking.text), []);
  });

  test('invalid answers fall back to a template with the reason', async () => {
    next = { content: 'Sure! Here is a message: Hi Ana' };
    const bad = await composeFollowUp(ai());
    assert.equal(bad.source, 'template');
    assert.match(bad.fallbackReason ?? '', /invalid JSON/);
    next = { content: JSON.stringify({ text: 'wrong key' }) };
    const schema = await composeFollowUp(ai());
    assert.match(schema.fallbackReason ?? '', /schema violation/);
    next = { content: JSON.stringify({ message: '   ' }) };
    const empty = await composeFollowUp(ai());
    assert.match(empty.fallbackReason ?? '', /empty/);
    next = { content: JSON.stringify({ message: 'A cut and colour starts at $120. Would you like to book?' }) };
    const repeat = await composeFollowUp(ai());
    assert.match(repeat.fallbackReason ?? '', /repeated/);
  });

  test('timeout, HTTP error and connection refused fall back to a template', async () => {
    next = { content: JSON.stringify({ message: 'late' }), delayMs: 2000 };
    const slow = await composeFollowUp(ai({ previousTemplateId: 'stoppedReplying.1.a' }, 250));
    assert.equal(slow.source, 'template');
    assert.notEqual(slow.templateId, 'stoppedReplying.1.a');
    assert.match(slow.fallbackReason ?? '', /timeout/);
    next = { status: 500, content: 'boom' };
    const err = await composeFollowUp(ai());
    assert.match(err.fallbackReason ?? '', /HTTP 500/);
    const port = await closedPort();
    const refused = await composeFollowUp(
      input({ ollama: { host: `http://127.0.0.1:${port}`, model: 'llama3.2', timeoutMs: 300 } }),
    );
    assert.equal(refused.source, 'template');
    assert.equal(refused.fallbackReason, 'connection refused');
  });
});
