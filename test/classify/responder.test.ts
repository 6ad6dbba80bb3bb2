import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { replyToContact, timeEcho, type ReplyInput } from '../../src/classify/responder.ts';
import { classifyRules } from '../../src/classify/rules.ts';
import { findUrls } from '../../src/classify/links.ts';
import { startFakeOllama, type ChatReply, type FakeOllama } from './fake-ollama.ts';

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
  test('request_time echoes the resolved time so a wrong parse is caught', async () => {
    const r = await replyToContact(replyInput('call me tomorrow at 3'));
    assert.equal(r.source, 'template');
    assert.equal(r.text, "Sure — I'll text you Thu 3:00 PM.");
  });
  test('the echo shows the date when the time is a week or more away', async () => {
    const r = await replyToContact(replyInput('text me in 2 weeks'));
    assert.match(r.text, /Wed Feb 18, 10:00 AM/);
  });
  test('the echo is in the contact\'s language', async () => {
    const es = await replyToContact(replyInput('llámame mañana a las 4', {}, 'America/Mexico_City'));
    assert.equal(es.text, 'Claro — te escribo el jueves a las 16:00.');
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
  test('booked and engaged', async () => {
    assert.match((await replyToContact(replyInput('I booked for Tuesday'))).text, /thanks for booking/);
    const e = await replyToContact(replyInput('how much is it?'));
    assert.match(e.text, /Acme Plumbing will get back to you/);
    assert.deepEqual(findUrls(e.text), [BOOKING]);
  });
  test('bad input is a clear error', async () => {
    await assert.rejects(replyToContact({ ...replyInput('hi'), classification: {} as never }), /classification\.intent/);
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
  const withOllama = (text: string, timeoutMs = 5000) => replyInput(text, { ollama: { host: server.host, model: 'llama3.2', timeoutMs } });

  test('a good answer that keeps the time echo is used', async () => {
    next = { content: JSON.stringify({ reply: "Perfect — I'll text you Thu 3:00 PM. Talk then!" }) };
    server.requests.length = 0;
    const r = await replyToContact(withOllama('call me tomorrow at 3'));
    assert.equal(r.source, 'ollama');
    assert.equal(r.text, "Perfect — I'll text you Thu 3:00 PM. Talk then!");
    const prompt = JSON.stringify(server.requests.find((q) => q.url === '/api/chat')!.body.messages);
    assert.match(prompt, /Thu 3:00 PM/);
  });
  test('an answer that drops the time echo falls back to the template', async () => {
    next = { content: JSON.stringify({ reply: "Sure, I'll text you tomorrow afternoon!" }) };
    const r = await replyToContact(withOllama('call me tomorrow at 3'));
    assert.equal(r.source, 'template');
    assert.equal(r.text, "Sure — I'll text you Thu 3:00 PM.");
    assert.match(r.fallbackReason ?? '', /echo/);
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
