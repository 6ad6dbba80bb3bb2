import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { isHeldBack, loadCorpus } from '../../src/classify/corpus.ts';
import { combineReadings, LOCAL_WEIGHT, OllamaClassifier } from '../../src/classify/ollama.ts';
import { normalizeOllamaHost, ollamaConfigFromEnv, OllamaConfigError } from '../../src/classify/ollamaConfig.ts';
import { analyzeLocal, classifyLocal, needsReview } from '../../src/classify/local.ts';
import { modelMatches, selectClassifier } from '../../src/classify/select.ts';
import type { Classification } from '../../src/classify/types.ts';
import { closedPort, startFakeOllama, type ChatReply, type FakeOllama } from './fakeOllama.ts';

const ZONE = 'America/New_York';
const NOW = DateTime.fromISO('2026-02-04T10:00', { zone: ZONE }).toMillis();
const TOMORROW_3PM = DateTime.fromISO('2026-02-05T15:00', { zone: ZONE }).toMillis();
/** Generous budget for answers that should succeed (the machine may be loaded); short one for the slow case. */
const TIMEOUT = 5000;
const SHORT_TIMEOUT = 250;

const answer = (intent: string, time_phrase: string | null): ChatReply => ({
  content: JSON.stringify({ intent, time_phrase }),
});

/** A failed Ollama answer is the local classifier's answer for the message, with the reason. */
function assertLocalFallback(c: Classification, text: string, reason: RegExp): void {
  assert.equal(c.source, 'model');
  assert.match(c.fallbackReason ?? '', reason);
  const { latencyMs: _a, fallbackReason: _b, ...got } = c;
  const { latencyMs: _c, ...local } = classifyLocal({ text, now: NOW, timezone: ZONE });
  assert.deepEqual(got, local);
}

describe('OllamaClassifier against an Ollama-compatible server', () => {
  let server: FakeOllama;
  let next: ChatReply = answer('engaged', null);
  let classifier: OllamaClassifier;

  before(async () => {
    server = await startFakeOllama({ chat: () => next });
    classifier = new OllamaClassifier({ host: server.host, model: 'llama3.2', timeoutMs: TIMEOUT });
  });
  after(() => server.close());

  const classify = (text: string) => classifier.classify({ text, now: NOW, timezone: ZONE });

  test('good answer: the model gives intent + phrase, our resolver gives the instant', async () => {
    next = answer('request_time', 'tomorrow at 3');
    server.requests.length = 0;
    const c = await classify('hey could you maybe call me tomorrow at 3');
    assert.equal(c.source, 'ollama');
    assert.equal(c.intent, 'request_time');
    assert.equal(c.requestedAt, TOMORROW_3PM);
    assert.equal(c.phrase, 'tomorrow at 3');
    assert.equal(c.wallClock, 'Thu 3:00 PM');
    assert.equal(c.fallbackReason, undefined);
    // What the real client sent: model, JSON-schema format, temperature 0, non-streaming.
    const chat = server.requests.find((r) => r.url === '/api/chat');
    assert.ok(chat);
    assert.equal(chat.body.model, 'llama3.2');
    assert.equal(chat.body.stream, false);
    assert.equal(chat.body.options.temperature, 0);
    assert.equal(chat.body.format.type, 'object');
    assert.deepEqual(chat.body.format.properties.intent.enum, [
      'busy',
      'request_time',
      'not_interested',
      'booked',
      'engaged',
    ]);
  });

  test('good answer for another intent is taken as is', async () => {
    next = answer('booked', null);
    const c = await classify('all sorted, see you thursday');
    assert.equal(c.source, 'ollama');
    assert.equal(c.intent, 'booked');
    assert.equal(c.requestedAt, undefined);
  });

  test('malformed JSON → the local answer with the reason', async () => {
    next = { content: '{"intent": "busy", ' };
    const c = await classify('in a meeting, call me at 4');
    assertLocalFallback(c, 'in a meeting, call me at 4', /invalid JSON/);
  });

  test('schema-violating answer → the local answer with the reason', async () => {
    next = { content: JSON.stringify({ intent: 'maybe_later', time_phrase: 3 }) };
    assertLocalFallback(await classify('driving rn'), 'driving rn', /schema violation/);
  });

  test('slow answer past the timeout → the local answer with the reason', async () => {
    next = { ...answer('engaged', null), delayMs: SHORT_TIMEOUT * 8 };
    const impatient = new OllamaClassifier({ host: server.host, model: 'llama3.2', timeoutMs: SHORT_TIMEOUT });
    const c = await impatient.classify({ text: 'not interested', now: NOW, timezone: ZONE });
    assertLocalFallback(c, 'not interested', /timeout/);
  });

  test('HTTP 500 → the local answer with the reason', async () => {
    next = { status: 500, content: 'model crashed' };
    assertLocalFallback(await classify('I booked for Tuesday'), 'I booked for Tuesday', /HTTP 500/);
  });

  test('a request_time whose phrase cannot be resolved → the local answer', async () => {
    next = answer('request_time', 'whenever');
    assertLocalFallback(await classify('whenever works'), 'whenever works', /not resolvable/);
  });

  test('the phrase is resolved even when the model paraphrases it, from the message itself', async () => {
    next = answer('request_time', 'Tomorrow 15:00 (tomorrow at 3)');
    const c = await classify('call me tomorrow at 3');
    assert.equal(c.source, 'ollama');
    assert.equal(c.requestedAt, TOMORROW_3PM);
  });

  test('opt-out keywords are decided by rules: the model is never asked', async () => {
    next = answer('engaged', null);
    server.requests.length = 0;
    const c = await classify('STOP');
    assert.equal(c.intent, 'not_interested');
    assert.equal(c.optOut, true);
    assert.equal(c.confidence, 1);
    assert.equal(c.fallbackReason, undefined);
    assert.equal(server.requests.filter((r) => r.url === '/api/chat').length, 0);
  });
});

describe('OllamaClassifier with nothing listening', () => {
  test('connection refused → the local answer with the reason', async () => {
    const port = await closedPort();
    const classifier = new OllamaClassifier({
      host: `http://127.0.0.1:${port}`,
      model: 'llama3.2',
      timeoutMs: TIMEOUT,
    });
    const c = await classifier.classify({ text: 'call me tomorrow at 3', now: NOW, timezone: ZONE });
    assert.equal(c.fallbackReason, 'connection refused');
    assertLocalFallback(c, 'call me tomorrow at 3', /^connection refused$/);
  });
});

describe('selectClassifier', () => {
  let server: FakeOllama;
  before(async () => {
    server = await startFakeOllama({ models: ['llama3.2:latest', 'qwen2.5:7b'], chat: () => answer('busy', null) });
  });
  after(() => server.close());

  test('Ollama answering with the model → ollama mode', async () => {
    const s = await selectClassifier({
      host: server.host,
      model: 'llama3.2',
      timeoutMs: TIMEOUT,
      probeTimeoutMs: TIMEOUT,
    });
    assert.equal(s.mode, 'ollama');
    assert.equal(s.classifier.name, 'ollama');
    assert.equal(s.ollama?.version, '0.6.2');
    assert.match(s.reason, /llama3\.2/);
    const c = await s.classifier.classify({ text: 'hmm', now: NOW, timezone: ZONE });
    assert.equal(c.source, 'ollama');
    assert.equal(c.intent, 'busy');
  });

  test('model missing → the local model, and the reason says which model', async () => {
    const s = await selectClassifier({
      host: server.host,
      model: 'mistral',
      timeoutMs: TIMEOUT,
      probeTimeoutMs: TIMEOUT,
    });
    assert.equal(s.mode, 'model');
    assert.equal(s.classifier.name, 'model');
    assert.match(s.reason, /no model "mistral"/);
    assert.match(s.reason, /llama3\.2:latest/);
  });

  test('nothing listening → the local model with the reason', async () => {
    const port = await closedPort();
    const s = await selectClassifier({ host: `http://127.0.0.1:${port}`, model: 'llama3.2', timeoutMs: TIMEOUT });
    assert.equal(s.mode, 'model');
    assert.match(s.reason, /not reachable.*connection refused/);
  });

  test('no host → the local model', async () => {
    const s = await selectClassifier({ host: null, model: 'llama3.2' });
    assert.equal(s.mode, 'model');
    assert.match(s.reason, /disabled/);
  });

  test('model names match with or without :latest', () => {
    assert.ok(modelMatches('llama3.2:latest', 'llama3.2'));
    assert.ok(modelMatches('llama3.2', 'llama3.2:latest'));
    assert.ok(!modelMatches('llama3.2:1b', 'llama3.2'));
  });
});

describe('Ollama configuration from the environment', () => {
  test('defaults', () => {
    assert.deepEqual(ollamaConfigFromEnv({}), { host: 'http://127.0.0.1:11434', model: 'llama3.2', timeoutMs: 4000 });
  });
  test('values are read and normalised', () => {
    assert.deepEqual(
      ollamaConfigFromEnv({ OLLAMA_HOST: '10.0.0.5', OLLAMA_MODEL: 'qwen2.5:7b', OLLAMA_TIMEOUT_MS: '2500' }),
      {
        host: 'http://10.0.0.5:11434',
        model: 'qwen2.5:7b',
        timeoutMs: 2500,
      },
    );
    assert.equal(normalizeOllamaHost('https://ollama.example.test/'), 'https://ollama.example.test');
    assert.equal(normalizeOllamaHost(':11500'), 'http://127.0.0.1:11500');
  });
  test('bad values are clear errors', () => {
    assert.throws(() => ollamaConfigFromEnv({ OLLAMA_TIMEOUT_MS: 'soon' }), OllamaConfigError);
    assert.throws(() => ollamaConfigFromEnv({ OLLAMA_TIMEOUT_MS: '5' }), /between 100 and 600000/);
    assert.throws(() => ollamaConfigFromEnv({ OLLAMA_HOST: 'ftp://x' }), /http/);
  });
});

describe('OllamaClassifier: few-shot prompt and doubt fields', () => {
  let server: FakeOllama;
  let next: ChatReply = answer('engaged', null);
  let classifier: OllamaClassifier;

  before(async () => {
    server = await startFakeOllama({ chat: () => next });
    classifier = new OllamaClassifier({ host: server.host, model: 'llama3.2', timeoutMs: TIMEOUT });
  });
  after(() => server.close());

  const withConfidence = (intent: string, time_phrase: string | null, confidence: number): ChatReply => ({
    content: JSON.stringify({ intent, time_phrase, confidence }),
  });

  test('the prompt carries few-shot examples from the training part of the corpus and asks for a confidence', async () => {
    next = withConfidence('engaged', null, 0.9);
    server.requests.length = 0;
    await classifier.classify({ text: 'how much is it?', now: NOW, timezone: ZONE });
    const chat = server.requests.find((r) => r.url === '/api/chat');
    assert.ok(chat);
    assert.deepEqual(chat.body.format.required, ['intent', 'time_phrase', 'confidence']);
    const messages: { role: string; content: string }[] = chat.body.messages;
    assert.equal(messages[0].role, 'system');
    const shots = messages.slice(1, -1);
    assert.ok(shots.length >= 10, `${shots.length} few-shot turns`);
    const corpus = new Map(loadCorpus().map((r) => [r.text, r]));
    const intents = new Set<string>();
    for (let i = 0; i < shots.length; i += 2) {
      assert.equal(shots[i].role, 'user');
      assert.equal(shots[i + 1].role, 'assistant');
      const text = /^Message: """([\s\S]*)"""$/.exec(shots[i].content)?.[1] ?? '';
      const record = corpus.get(text);
      assert.ok(record, `few-shot text from the corpus: ${text}`);
      assert.equal(isHeldBack(record.id), false, 'never a held-back record');
      const shot = JSON.parse(shots[i + 1].content);
      assert.equal(shot.intent, record.intent);
      intents.add(shot.intent);
    }
    assert.equal(intents.size, 5, 'every intent has examples');
    assert.equal(messages.at(-1)?.content, 'Message: """how much is it?"""');
  });

  test("the confidence mixes Ollama's with the local model's calibrated probability", async () => {
    const text = 'ok, what are the prices for next month?';
    next = withConfidence('engaged', null, 0.9);
    const c = await classifier.classify({ text, now: NOW, timezone: ZONE });
    const local = analyzeLocal({ text, now: NOW, timezone: ZONE });
    const expected = combineReadings('engaged', 0.9, local.ranked);
    assert.equal(c.source, 'ollama');
    assert.equal(c.intent, 'engaged');
    assert.equal(c.confidence, Math.round(expected.find((r) => r.intent === 'engaged')!.confidence * 1e4) / 1e4);
    assert.equal(c.readings?.length, 2);
    assert.ok(
      Math.abs(
        c.confidence! -
          (LOCAL_WEIGHT * (local.ranked.find((r) => r.intent === 'engaged')?.confidence ?? 0) +
            (1 - LOCAL_WEIGHT) * 0.9),
      ) < 1e-4,
    );
  });

  test('an unsure Ollama answer goes to the doubt path; a refusal cue it does not resolve is flagged', async () => {
    next = withConfidence('busy', null, 0.05);
    const unsure = await classifier.classify({ text: 'hmm not sure, maybe', now: NOW, timezone: ZONE });
    assert.ok(needsReview(unsure), `confidence ${unsure.confidence}`);
    next = withConfidence('engaged', null, 0.95);
    const cue = await classifier.classify({
      text: 'no thanks. how did you even get my number?',
      now: NOW,
      timezone: ZONE,
    });
    assert.equal(cue.intent, 'engaged');
    assert.equal(cue.refusalCue, true);
    next = withConfidence('not_interested', null, 0.95);
    const refusal = await classifier.classify({
      text: 'no thanks. how did you even get my number?',
      now: NOW,
      timezone: ZONE,
    });
    assert.equal(refusal.refusalCue, undefined);
  });
});
