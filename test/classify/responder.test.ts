import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { replyToContact, timeEcho, type ReplyInput } from '../../src/classify/responder.ts';
import { classifyRules } from '../../src/classify/rules.ts';
import { findUrls } from '../../src/classify/links.ts';
import { startFakeOllama, type ChatReply, type FakeOllama } from './fakeOllama.ts';

const ZONE = 'America/New_York';
const NOW = DateTime.fromISO('2026-02-04T10:00', { zone: ZONE }).toMillis();
const BOOKING = 'https://book.example.test/acme';

function replyInput(text: string, over: Partial<ReplyInput> = {}, zone = ZONE): ReplyInput {
  return {
    text,
    classification: classifyRules({ text, now: NOW, timezone: zone }),
    recentMessages: [{ sender: 'contact', text }],
    business: { name: 'Acme Plumbing', bookingUrl: BOOKING },
    ...over,
  };
}

describe('replyToContact (templates)', () => {
  test('request_time echoes the resolved time and the channel it will really use', async () => {
    const sms = await replyToContact(replyInput('call me tomorrow at 3', { delivery: { by: 'sms', askPhone: false } }));
    assert.equal(sms.source, 'template');
    assert.equal(sms.text, "Sure — I'll text you Thu 3:00 PM.");
    const here = await replyToContact(
      replyInput('call me tomorrow at 3', { delivery: { by: 'here', askPhone: false } }),
    );
    assert.equal(here.text, "Sure — I'll message you here Thu 3:00 PM.");
    assert.equal(
      (await replyToContact(replyInput('call me tomorrow at 3'))).text,
      here.text,
      'without a known channel it promises no text',
    );
  });
  test('request_time asks for a mobile number when a text would need one', async () => {
    const r = await replyToContact(replyInput('call me tomorrow at 3', { delivery: { by: 'here', askPhone: true } }));
    assert.equal(
      r.text,
      "Sure — I'll message you here Thu 3:00 PM. Would you like a text instead? Leave your mobile number in the form below.",
    );
  });
  test('the echo shows the date when the time is a week or more away', async () => {
    const r = await replyToContact(replyInput('text me in 2 weeks'));
    assert.match(r.text, /Wed Feb 18, 10:00 AM/);
  });
  test("the echo is in the contact's language", async () => {
    const es = await replyToContact(replyInput('llámame mañana a las 4', {}, 'America/Mexico_City'));
    assert.equal(es.text, 'Claro — le escribo por aquí el jueves a las 16:00.');
    const de = await replyToContact(replyInput('Können Sie mich morgen um 10 anrufen?', {}, 'Europe/Berlin'));
    assert.match(de.text, /am Donnerstag um 10:00 Uhr/);
    const fr = await replyToContact(replyInput('Appelez-moi lundi à 9h', {}, 'Europe/Paris'));
    assert.match(fr.text, /lundi à 9h00/);
  });
  test('busy is acknowledged and the booking link offered', async () => {
    const r = await replyToContact(replyInput('in a meeting'));
    assert.match(r.text, /No problem/);
    assert.deepEqual(findUrls(r.text), [BOOKING]);
    const noLink = await replyToContact(replyInput('in a meeting', { business: { name: 'Acme', bookingUrl: null } }));
    assert.deepEqual(findUrls(noLink.text), []);
  });
  test('not_interested gets a polite confirmation; an opt-out says no more messages', async () => {
    const r = await replyToContact(replyInput('not interested'));
    assert.match(r.text, /won't follow up again/);
    const stop = await replyToContact(replyInput('STOP'));
    assert.match(stop.text, /won't receive any more messages from Acme Plumbing/);
  });
  test('booked is thanked; engaged gets a question it can answer, never a promise of a human', async () => {
    assert.match((await replyToContact(replyInput('I booked for Tuesday'))).text, /thanks for booking/);
    const e = await replyToContact(replyInput('how much is it?'));
    assert.match(e.text, /tell me a bit more about what you need, and when would suit you\?/);
    assert.doesNotMatch(e.text, /get back to you|someone/i);
    assert.deepEqual(findUrls(e.text), [BOOKING]);
    const again = await replyToContact(
      replyInput('I need a tune-up for my bike', {
        recentMessages: [
          { sender: 'bot', text: e.text },
          { sender: 'contact', text: 'I need a tune-up for my bike' },
        ],
      }),
    );
    assert.match(
      again.text,
      /^Thanks, that helps\. What day and time would suit you best\?/,
      'the same question is not asked twice',
    );
  });
  test('bad input is a clear error', async () => {
    await assert.rejects(
      replyToContact({ ...replyInput('hi'), classification: {} as never }),
      /classification\.intent/,
    );
  });
  test('timeEcho falls back to the English wall clock', () => {
    assert.equal(timeEcho({ intent: 'request_time', wallClock: 'Tue 3:00 PM' }, 'es'), 'Tue 3:00 PM');
  });
});

describe('replyToContact with Ollama', () => {
  let server: FakeOllama;
  let next: ChatReply = { content: '{}' };
  before(async () => {
    server = await startFakeOllama({ chat: () => next });
  });
  after(() => server.close());
  const withOllama = (text: string, timeoutMs = 5000) =>
    replyInput(text, { ollama: { host: server.host, model: 'llama3.2', timeoutMs } });

  test('a good answer is used', async () => {
    next = { content: JSON.stringify({ reply: 'It depends on the job. What needs fixing?' }) };
    server.requests.length = 0;
    const r = await replyToContact(withOllama('how much is it?'));
    assert.equal(r.source, 'ollama');
    assert.equal(r.text, 'It depends on the job. What needs fixing?');
    const prompt = JSON.stringify(server.requests.find((q) => q.url === '/api/chat')!.body.messages);
    assert.match(prompt, /Never promise that someone will get back/);
  });
  test('a time confirmation never goes to the model: it promises a time and a channel', async () => {
    server.requests.length = 0;
    const r = await replyToContact({
      ...withOllama('call me tomorrow at 3'),
      delivery: { by: 'sms', askPhone: false },
    });
    assert.equal(r.source, 'template');
    assert.equal(r.text, "Sure — I'll text you Thu 3:00 PM.");
    assert.equal(server.requests.length, 0);
  });
  test('links other than the booking URL are removed from model replies', async () => {
    next = { content: JSON.stringify({ reply: 'Prices are on https://prices.example.com, or book: ' + BOOKING }) };
    const r = await replyToContact(withOllama('how much is it?'));
    assert.equal(r.source, 'ollama');
    assert.deepEqual(findUrls(r.text), [BOOKING]);
  });
  test('not_interested never goes to the model', async () => {
    server.requests.length = 0;
    const r = await replyToContact(withOllama('STOP'));
    assert.equal(r.source, 'template');
    assert.equal(server.requests.length, 0);
  });
  test('model failures fall back to the template with the reason', async () => {
    next = { content: 'nope' };
    const bad = await replyToContact(withOllama('how much is it?'));
    assert.equal(bad.source, 'template');
    assert.match(bad.fallbackReason ?? '', /invalid JSON/);
    next = { content: JSON.stringify({ reply: 'late' }), delayMs: 2000 };
    const slow = await replyToContact(withOllama('how much is it?', 250));
    assert.match(slow.fallbackReason ?? '', /timeout/);
  });
});
