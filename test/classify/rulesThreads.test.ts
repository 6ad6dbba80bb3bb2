import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { classifyLocal } from '../../src/classify/local.ts';
import { InvalidClassifyInputError } from '../../src/classify/rules.ts';
import { defaultRulesWorkerUrl, RulesClassifierThreads } from '../../src/classify/rulesThreads.ts';
import { REPLY_CHUNK, type ThreadMessage, type ThreadRequest } from '../../src/classify/rulesThreadProtocol.ts';
import type { Classification } from '../../src/classify/types.ts';
import { classifyThreads } from '../../src/process/classifyThreads.ts';
import { startWorker } from '../../src/workerThreads.ts';

const NOW = Date.UTC(2026, 1, 4, 15, 0, 0);
const TEXTS = [
  'call me tomorrow at 3',
  "I'm driving, text me later",
  'STOP',
  'not interested, thanks',
  'I booked for friday',
  'how much is a cut and colour?',
  'llámame mañana a las 4',
  'Appelez-moi lundi à 9h',
  'can we do next week instead?',
  'ok',
];
const DYING = new URL('../fixtures/classify/dyingRulesWorker.ts', import.meta.url);

/** The result without its timing, which differs from run to run. */
function comparable(c: Classification): Omit<Classification, 'latencyMs'> {
  const { latencyMs: _ignored, ...rest } = c;
  return rest;
}

describe('rules classifier on worker threads', () => {
  const pools: RulesClassifierThreads[] = [];
  const open = (options: ConstructorParameters<typeof RulesClassifierThreads>[0]) => {
    const pool = new RulesClassifierThreads(options);
    pools.push(pool);
    return pool;
  };
  after(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  test('answers exactly what classifyLocal answers on the event loop, in many zones, for many requests at once', async () => {
    const pool = open({ threads: 2, placement: 'never' });
    const inputs = Array.from({ length: 400 }, (_, i) => ({
      text: TEXTS[i % TEXTS.length],
      now: NOW + i * 3_600_000,
      timezone: ['America/New_York', 'Europe/Madrid', 'Asia/Kolkata', 'UTC'][i % 4],
    }));
    const threaded = await Promise.all(inputs.map((input) => pool.classify(input)));
    assert.deepEqual(
      threaded.map(comparable),
      inputs.map((input) => comparable(classifyLocal(input))),
    );
    const stats = pool.stats();
    assert.equal(stats.classified, 400);
    assert.equal(stats.classifiedInline, 0);
    assert.equal(stats.running, 2);
    assert.deepEqual(
      [stats.starts, stats.retirements],
      [1, 0],
      "'eager' (placement 'never') starts them once, at construction",
    );
  });

  test('a thread answers a batch in chunks of REPLY_CHUNK, in order, so the loop can start on the first answers', async (t) => {
    const worker = startWorker(defaultRulesWorkerUrl());
    t.after(() => worker.terminate());
    const messages: ThreadMessage[] = [];
    const count = 3 * REPLY_CHUNK + 5;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the thread exited (${code}) before answering everything`)));
      worker.on('message', (m: ThreadMessage) => {
        messages.push(m);
        const answered = messages.reduce((n, x) => n + (x.type === 'results' ? x.replies.length : 0), 0);
        if (answered === count) resolve();
      });
      timer = setTimeout(
        () => reject(new Error(`not every request answered within 30 s (${messages.length} messages)`)),
        30_000,
      );
    }).finally(() => clearTimeout(timer));
    const batch = Array.from({ length: count }, (_, i) => ({
      id: i + 1,
      text: i === 7 ? 'call me at 3' : TEXTS[i % TEXTS.length],
      now: NOW,
      timezone: i === 7 ? 'Nowhere/Atlantis' : 'UTC',
    }));
    worker.postMessage({ type: 'classify', batch } satisfies ThreadRequest);
    await done;
    const results = messages.filter((m) => m.type === 'results');
    assert.deepEqual(
      results.map((m) => m.replies.length),
      [REPLY_CHUNK, REPLY_CHUNK, REPLY_CHUNK, 5],
    );
    const replies = results.flatMap((m) => m.replies);
    assert.deepEqual(
      replies.map((r) => r.id),
      batch.map((b) => b.id),
      'every request answered once, in order',
    );
    const failed = replies.filter((r) => !r.ok);
    assert.deepEqual(
      failed.map((r) => r.id),
      [8],
      'a bad request fails alone, within its chunk',
    );
    const good = replies[0];
    assert.ok(good.ok);
    assert.deepEqual(
      comparable(good.value),
      comparable(classifyLocal({ text: batch[0].text, now: NOW, timezone: 'UTC' })),
    );
  });

  test('bad input is refused with InvalidClassifyInputError for that request only', async () => {
    const pool = open({ threads: 1, placement: 'never' });
    const [bad, good, notText] = await Promise.allSettled([
      pool.classify({ text: 'call me at 3', now: NOW, timezone: 'Nowhere/Atlantis' }),
      pool.classify({ text: 'call me at 3', now: NOW, timezone: 'UTC' }),
      pool.classify({ text: 42 as unknown as string, now: NOW, timezone: 'UTC' }),
    ]);
    assert.equal(bad.status, 'rejected');
    assert.ok((bad as PromiseRejectedResult).reason instanceof InvalidClassifyInputError);
    assert.match((bad as PromiseRejectedResult).reason.message, /Nowhere\/Atlantis/);
    assert.equal(good.status, 'fulfilled');
    assert.equal((good as PromiseFulfilledResult<Classification>).value.intent, 'request_time');
    assert.equal(notText.status, 'rejected');
    assert.ok((notText as PromiseRejectedResult).reason instanceof InvalidClassifyInputError);
  });

  test('a thread that dies loses no request: they are classified on the event loop and a new thread takes over', async () => {
    const pool = open({ threads: 1, workerUrl: DYING, maxRestarts: 1, placement: 'never' });
    await pool.whenReady();
    const batch = ['call me tomorrow at 3', 'die now', 'STOP'].map((text) =>
      pool.classify({ text, now: NOW, timezone: 'UTC' }),
    );
    const results = await Promise.all(batch);
    const onLoop = (text: string) => classifyLocal({ text, now: NOW, timezone: 'UTC' }).intent;
    assert.deepEqual(
      results.map((r) => r.intent),
      ['call me tomorrow at 3', 'die now', 'STOP'].map(onLoop),
    );
    let stats = pool.stats();
    assert.equal(stats.classifiedInline, 3);
    assert.equal(stats.restarts, 1);
    assert.match(stats.lastError ?? '', /exited with code 7/);
    // The replacement answers from its thread.
    await pool.whenReady();
    assert.equal(
      (await pool.classify({ text: 'busy, driving', now: NOW, timezone: 'UTC' })).intent,
      onLoop('busy, driving'),
    );
    stats = pool.stats();
    assert.equal(stats.classified, 1);
    assert.equal(stats.running, 1);
    // Past maxRestarts the event loop classifies everything, and says why.
    assert.equal((await pool.classify({ text: 'die now', now: NOW, timezone: 'UTC' })).intent, onLoop('die now'));
    stats = pool.stats();
    assert.equal(stats.running, 0);
    assert.equal(stats.restarts, 1);
    assert.equal(
      (await pool.classify({ text: 'not interested', now: NOW, timezone: 'UTC' })).intent,
      onLoop('not interested'),
    );
    assert.equal(pool.stats().classifiedInline, 5);
  });

  test('a lone request is classified in place; the rest of its turn, and all while the thread is busy, go to the thread', async () => {
    const pool = open({ threads: 1, placement: 'lone' });
    await pool.whenReady();
    const classify = (text: string) => pool.classify({ text, now: NOW, timezone: 'UTC' });
    assert.equal((await classify('call me tomorrow at 3')).intent, 'request_time');
    assert.deepEqual([pool.stats().classifiedOnLoop, pool.stats().classified], [1, 0]);
    // A new turn with three requests: the first in place, the other two as one batch.
    await new Promise((resolve) => setImmediate(resolve));
    const burst = await Promise.all([classify('STOP'), classify('busy, driving'), classify('ok')]);
    assert.deepEqual(
      burst.map((r) => r.intent),
      ['not_interested', 'busy', 'engaged'],
    );
    assert.deepEqual([pool.stats().classifiedOnLoop, pool.stats().classified], [2, 2]);
    // While the thread owes answers, a new turn's first request queues behind them.
    const owed = [classify('a'), classify('b'), classify('c')];
    await new Promise((resolve) => setImmediate(resolve));
    const later = classify('I booked for friday');
    await Promise.all([...owed, later]);
    assert.equal((await later).intent, 'booked');
    assert.deepEqual([pool.stats().classifiedOnLoop, pool.stats().classified], [3, 5]);
    assert.equal(pool.stats().classifiedInline, 0);
  });

  test('adaptive: in place while the event loop has time, through the thread once it is saturated', async () => {
    let saturated = false;
    const loopLoad = { saturated: () => saturated, lastUtilization: () => (saturated ? 0.95 : 0.4), stop: () => {} };
    const pool = open({ threads: 1, loopLoad, inPlaceBudgetMsPerTurn: Infinity, start: 'eager' });
    await pool.whenReady();
    /** One event-loop turn of requests: same answers as on the loop, and where they ran (in place, on the thread) so far. */
    const turn = async (texts: string[], counts: [number, number]) => {
      await new Promise((resolve) => setImmediate(resolve));
      const answers = await Promise.all(texts.map((text) => pool.classify({ text, now: NOW, timezone: 'UTC' })));
      assert.deepEqual(
        answers.map(comparable),
        texts.map((text) => comparable(classifyLocal({ text, now: NOW, timezone: 'UTC' }))),
      );
      assert.deepEqual([pool.stats().classifiedOnLoop, pool.stats().classified], counts);
      assert.deepEqual(
        [pool.stats().loopSaturated, pool.stats().loopUtilization],
        saturated ? [true, 0.95] : [false, 0.4],
      );
    };
    // Not saturated: a whole turn's requests are classified in place.
    await turn(TEXTS.slice(0, 4), [4, 0]);
    // Saturated: only the lone first request of a turn stays on the loop; the rest crosses.
    saturated = true;
    await turn(TEXTS.slice(4, 7), [5, 2]);
    // Calm again: in place again.
    saturated = false;
    await turn(TEXTS.slice(7), [8, 2]);
  });

  test("adaptive: a turn's in-place budget spent, the rest of that turn goes to the thread", async () => {
    const loopLoad = { saturated: () => false, lastUtilization: () => 0.1, stop: () => {} };
    // Any classification takes longer than a nanosecond: the first request spends the budget.
    const pool = open({ threads: 1, loopLoad, inPlaceBudgetMsPerTurn: 1e-6, start: 'eager' });
    await pool.whenReady();
    const answers = await Promise.all(TEXTS.map((text) => pool.classify({ text, now: NOW, timezone: 'UTC' })));
    assert.deepEqual(
      answers.map(comparable),
      TEXTS.map((text) => comparable(classifyLocal({ text, now: NOW, timezone: 'UTC' }))),
    );
    assert.deepEqual([pool.stats().classifiedOnLoop, pool.stats().classified], [1, TEXTS.length - 1]);
    // The next turn has a fresh budget.
    await new Promise((resolve) => setImmediate(resolve));
    await pool.classify({ text: 'ok', now: NOW, timezone: 'UTC' });
    assert.equal(pool.stats().classifiedOnLoop, 2);
  });

  test('adaptive: the thread starts at the first saturation, classifies once warm, and is retired after a quiet spell', async () => {
    let saturated = false;
    let now = 0;
    const loopLoad = { saturated: () => saturated, lastUtilization: () => (saturated ? 0.97 : 0.3), stop: () => {} };
    const pool = open({ threads: 1, loopLoad, retireAfterMs: 60_000, now: () => now });
    const turn = async (texts: string[]) => {
      await new Promise((resolve) => setImmediate(resolve));
      const answers = await Promise.all(texts.map((text) => pool.classify({ text, now: NOW, timezone: 'UTC' })));
      assert.deepEqual(
        answers.map(comparable),
        texts.map((text) => comparable(classifyLocal({ text, now: NOW, timezone: 'UTC' }))),
      );
      const { running, starts, retirements, classified, classifiedOnLoop } = pool.stats();
      return { running, starts, retirements, classified, classifiedOnLoop };
    };
    // A loop with time to spare never starts it.
    assert.deepEqual(await turn(TEXTS.slice(0, 3)), {
      running: 0,
      starts: 0,
      retirements: 0,
      classified: 0,
      classifiedOnLoop: 3,
    });
    // Saturated: it starts, but until it is warm the loop keeps classifying.
    saturated = true;
    assert.deepEqual(await turn(TEXTS.slice(3, 6)), {
      running: 1,
      starts: 1,
      retirements: 0,
      classified: 0,
      classifiedOnLoop: 6,
    });
    await pool.whenReady();
    // Warm: the turn's lone first request in place, the rest through the thread.
    assert.deepEqual(await turn(TEXTS.slice(6, 9)), {
      running: 1,
      starts: 1,
      retirements: 0,
      classified: 2,
      classifiedOnLoop: 7,
    });
    // Not retired while saturated, nor before a quiet minute has passed since the last saturation.
    now = 120_000;
    assert.equal(pool.retireIfIdle(), false);
    await turn(['ok']); // seen saturated at 120 s
    saturated = false;
    now = 120_000 + 59_999;
    assert.equal(pool.retireIfIdle(), false);
    now = 180_000;
    assert.equal(pool.retireIfIdle(), true);
    assert.deepEqual(await turn(['STOP']), {
      running: 0,
      starts: 1,
      retirements: 1,
      classified: 2,
      classifiedOnLoop: 9,
    });
    // The next saturation starts it again.
    saturated = true;
    assert.equal((await turn(['busy, driving'])).starts, 2);
    await pool.whenReady();
    assert.equal(pool.stats().ready, 1);
  });

  test('a retirement waits for answers owed, and close waits for a retiring thread', async () => {
    let saturated = true;
    let now = 0;
    const loopLoad = { saturated: () => saturated, lastUtilization: () => 1, stop: () => {} };
    const pool = new RulesClassifierThreads({ threads: 1, loopLoad, now: () => now, inPlaceBudgetMsPerTurn: 0 });
    pool.startThreads();
    await pool.whenReady();
    await new Promise((resolve) => setImmediate(resolve));
    const owed = TEXTS.map((text) => pool.classify({ text, now: NOW, timezone: 'UTC' }));
    await new Promise((resolve) => setImmediate(resolve)); // the batch has crossed
    saturated = false;
    now = 10 * 60_000;
    assert.equal(pool.retireIfIdle(), false, 'answers are owed');
    assert.equal((await Promise.all(owed)).length, TEXTS.length);
    assert.equal(pool.retireIfIdle(), true);
    await pool.close(); // resolves once the retired thread has exited
    assert.deepEqual([pool.stats().running, pool.stats().retirements], [0, 1]);
  });

  test('bad options are refused', () => {
    assert.throws(
      () => new RulesClassifierThreads({ threads: 1, start: 'later' as never }),
      /start must be eager or on-saturation/,
    );
    assert.throws(
      () => new RulesClassifierThreads({ threads: 1, placement: 'never', start: 'on-saturation' }),
      /needs placement 'adaptive'/,
    );
    assert.throws(
      () => new RulesClassifierThreads({ threads: 1, retireAfterMs: 0, start: 'on-saturation' }),
      /retireAfterMs must be a positive number/,
    );
  });

  test('close answers what was sent first; later requests are classified on the event loop', async () => {
    const pool = open({ threads: 1, placement: 'never' });
    const sent = Array.from({ length: 50 }, (_, i) =>
      pool.classify({ text: TEXTS[i % TEXTS.length], now: NOW, timezone: 'UTC' }),
    );
    await pool.close();
    assert.equal((await Promise.all(sent)).length, 50);
    assert.equal(pool.stats().classified, 50);
    assert.equal(pool.stats().running, 0);
    assert.equal((await pool.classify({ text: 'STOP', now: NOW, timezone: 'UTC' })).intent, 'not_interested');
    assert.equal(pool.stats().classifiedInline, 1);
  });
});

describe('NUDGE_CLASSIFY_THREADS', () => {
  test('one thread when there is a second core, none on one core', () => {
    assert.equal(classifyThreads({}, 2), 1);
    assert.equal(classifyThreads({}, 8), 1);
    assert.equal(classifyThreads({}, 1), 0);
    assert.equal(classifyThreads({ NUDGE_CLASSIFY_THREADS: ' ' }, 1), 0);
  });
  test('an explicit count wins, 0 keeps classification on the event loop', () => {
    assert.equal(classifyThreads({ NUDGE_CLASSIFY_THREADS: '0' }, 4), 0);
    assert.equal(classifyThreads({ NUDGE_CLASSIFY_THREADS: '3' }, 1), 3);
  });
  test('anything else is refused with the variable named', () => {
    for (const raw of ['-1', '1.5', 'two', '17']) {
      assert.throws(
        () => classifyThreads({ NUDGE_CLASSIFY_THREADS: raw }, 2),
        /NUDGE_CLASSIFY_THREADS must be a whole number of threads from 0 to 16/,
      );
    }
  });
});

describe('the service with its classifier on a thread', () => {
  test('an inbound message is classified on the thread, health says so, and close stops the thread', async (t) => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { FakeClock } = await import('../../src/clock.ts');
    const { startServer } = await import('../../src/server.ts');
    const dataDir = mkdtempSync(join(tmpdir(), 'nudge-threads-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServer({
      dataDir,
      port: 0,
      clock: new FakeClock('2026-01-05T09:00:00Z'),
      adminToken: 'test-admin-token',
      ollamaHost: null,
      classifyThreads: 1,
      responder: false,
    });
    let closed = false;
    t.after(async () => {
      if (!closed) await server.close();
    });
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: 'Bearer test-admin-token', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const contact = await call('POST', `/api/bots/${server.demoBotId}/contacts`, {
      name: 'Ana',
      timezone: 'Europe/Madrid',
    });
    assert.equal(contact.status, 201);
    const inbound = await call('POST', `/api/contacts/${contact.body.id}/messages/inbound`, {
      text: 'call me tomorrow at 3pm',
    });
    assert.equal(inbound.status, 201);
    assert.equal(inbound.body.state, 'scheduled');
    const health = await call('GET', '/api/health');
    assert.equal(health.body.classifier.mode, 'model');
    assert.equal(health.body.classifier.threads.threads, 1);
    // Whether the thread has started depends on the loop's load during start-up (it starts at
    // the first saturation; scripted in the tests above); it is started here to see it answer.
    // A lone message is classified in place (test above); either way it was classified once.
    assert.equal(health.body.classifier.threads.classified + health.body.classifier.threads.classifiedOnLoop, 1);
    assert.equal(health.body.classifier.threads.classifiedInline, 0);
    server.classifier.startThreads?.();
    await server.classifier.whenReady?.();
    const warm = (await call('GET', '/api/health')).body.classifier.threads;
    assert.deepEqual([warm.running, warm.ready], [1, 1]);
    await server.close();
    closed = true;
    assert.equal(server.classifier.threads?.()?.running, 0);
  });
});
