import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { OllamaClassifier } from '../../src/classify/ollama.ts';
import { normalizeOllamaHost, ollamaConfigFromEnv, OllamaConfigError } from '../../src/classify/ollama-config.ts';
import { classifyRules } from '../../src/classify/rules.ts';
import { modelMatches, selectClassifier } from '../../src/classify/select.ts';
import { closedPort, startFakeOllama, type ChatReply, type FakeOllama } from './fake-ollama.ts';

const ZONE = 'America/New_York';
const NOW = DateTime.fromISO('2026-02-04T10:00', { zone: ZONE }).toMillis();
const TOMORROW_3PM = DateTime.fromISO('2026-02-05T15:00', { zone: ZONE }).toMillis();
/** Generous budget for answers that should succeed (the machine may be loaded); short one for the slow case. */
const TIMEOUT = 5000;
const SHORT_TIMEOUT = 250;

const answer = (intent: string, time_phrase: string | null): ChatReply => ({ content: JSON.stringify({ intent, time_phrase }) });

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
    assert.deepEqual(chat.body.format.properties.intent.enum, ['busy', 'request_time', 'not_interested', 'booked', 'engaged']);
  });

  test('good answer for another intent is taken as is', async () => {
    next = answer('booked', null);
    const c = await classify('all sorted, see you thursday');
    assert.equal(c.source, 'ollama');
    assert.equal(c.intent, 'booked');
    assert.equal(c.requestedAt, undefined);
  });

  test('malformed JSON → rules answer with the reason', async () => {
    next = { content: '{"intent": "busy", ' };
    const c = await classify('in a meeting, call me at 4');
    assert.equal(c.source, 'rules');
    assert.equal(c.intent, 'request_time');
    assert.equal(c.requestedAt, DateTime.fromISO('2026-02-04T16:00', { zone: ZONE }).toMillis());
    assert.match(c.fallbackReason ?? '', /invalid JSON/);
  });

  test('schema-violating answer → rules answer with the reason', async () => {
    next = { content: JSON.stringify({ intent: 'maybe_later', time_phrase: 3 }) };
    const c = await classify('driving rn');
    assert.equal(c.source, 'rules');
    assert.equal(c.intent, 'busy');
    assert.match(c.fallbackReason ?? '', /schema violation/);
  });

  test('slow answer past the timeout → rules answer with the reason', async () => {
    next = { ...answer('engaged', null), delayMs: SHORT_TIMEOUT * 8 };
    const impatient = new OllamaClassifier({ host: server.host, model: 'llama3.2', timeoutMs: SHORT_TIMEOUT });
    const c = await impatient.classify({ text: 'not interested', now: NOW, timezone: ZONE });
    assert.equal(c.source, 'rules');
    assert.equal(c.intent, 'not_interested');
    assert.match(c.fallbackReason ?? '', /timeout/);
  });

  test('HTTP 500 → rules answer with the reason', async () => {
    next = { status: 500, content: 'model crashed' };
    const c = await classify('I booked for Tuesday');
    assert.equal(c.source, 'rules');
    assert.equal(c.intent, 'booked');
    assert.match(c.fallbackReason ?? '', /HTTP 500/);
  });

  test('a request_time whose phrase cannot be resolved → rules answer', async () => {
    next = answer('request_time', 'whenever');
    const c = await classify('whenever works');
    assert.equal(c.source, 'rules');
    assert.equal(c.intent, 'engaged');
    assert.match(c.fallbackReason ?? '', /not resolvable/);
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
    assert.equal(c.source, 'rules');
    assert.equal(c.fallbackReason, undefined);
    assert.equal(server.requests.filter((r) => r.url === '/api/chat').length, 0);
  });
});

describe('OllamaClassifier with nothing listening', () => {
  test('connection refused → rules answer with the reason', async () => {
    const port = await closedPort();
    const classifier = new OllamaClassifier({ host: `http://127.0.0.1:${port}`, model: 'llama3.2', timeoutMs: TIMEOUT });
    const c = await classifier.classify({ text: 'call me tomorrow at 3', now: NOW, timezone: ZONE });
    assert.equal(c.source, 'rules');
    assert.equal(c.intent, 'request_time');
    assert.equal(c.requestedAt, TOMORROW_3PM);
    assert.equal(c.fallbackReason, 'connection refused');
    assert.deepEqual({ ...c, latencyMs: 0, fallbackReason: undefined }, { ...classifyRules({ text: 'call me tomorrow at 3', now: NOW, timezone: ZONE }), latencyMs: 0, fallbackReason: undefined });
  });
});

describe('selectClassifier', () => {
  let server: FakeOllama;
  before(async () => {
    server = await startFakeOllama({ models: ['llama3.2:latest', 'qwen2.5:7b'], chat: () => answer('busy', null) });
  });
  after(() => server.close());

  test('Ollama answering with the model → ollama mode', async () => {
    const s = await selectClassifier({ host: server.host, model: 'llama3.2', timeoutMs: TIMEOUT, probeTimeoutMs: TIMEOUT });
    assert.equal(s.mode, 'ollama');
    assert.equal(s.classifier.name, 'ollama');
    assert.equal(s.ollama?.version, '0.6.2');
    assert.match(s.reason, /llama3\.2/);
    const c = await s.classifier.classify({ text: 'hmm', now: NOW, timezone: ZONE });
    assert.equal(c.source, 'ollama');
    assert.equal(c.intent, 'busy');
  });

  test('model missing → the local model, and the reason says which model', async () => {
    const s = await selectClassifier({ host: server.host, model: 'mistral', timeoutMs: TIMEOUT, probeTimeoutMs: TIMEOUT });
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
    assert.deepEqual(ollamaConfigFromEnv({ OLLAMA_HOST: '10.0.0.5', OLLAMA_MODEL: 'qwen2.5:7b', OLLAMA_TIMEOUT_MS: '2500' }), {
      host: 'http://10.0.0.5:11434',
      model: 'qwen2.5:7b',
      timeoutMs: 2500,
    });
    assert.equal(normalizeOllamaHost('https://ollama.example.test/'), 'https://ollama.example.test');
    assert.equal(normalizeOllamaHost(':11500'), 'http://127.0.0.1:11500');
  });
  test('bad values are clear errors', () => {
    assert.throws(() => ollamaConfigFromEnv({ OLLAMA_TIMEOUT_MS: 'soon' }), OllamaConfigError);
    assert.throws(() => ollamaConfigFromEnv({ OLLAMA_TIMEOUT_MS: '5' }), /between 100 and 600000/);
    assert.throws(() => ollamaConfigFromEnv({ OLLAMA_HOST: 'ftp://x' }), /http/);
  });
});
