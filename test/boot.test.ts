/**
 * Start-up in two phases (src/boot.ts): the store and the due window first, everything
 * else after; classification bound late.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootCore } from '../src/boot.ts';
import { FakeClock } from '../src/clock.ts';
import type { ClassifierStack } from '../src/runtime/classifierStack.ts';
import { labelCompose, makeCore, tableClassify } from './helpers/core.ts';
import { deferred } from './helpers/deferred.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('bootCore knows the next due follow-up before the classifier has loaded; events wait for it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-boot-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new FakeClock('2026-01-05T09:00:00Z');
  // A first life of the service arms a follow-up, then stops.
  let contactId = '';
  let armed = '';
  await t.test('first life', async (tt) => {
    const first = makeCore(tt, { dir, clock });
    const contact = first.services.runtime.createContact(first.botId, { name: 'Ana' });
    contactId = contact.id;
    await first.services.runtime.inbound({ contactId, text: 'what are your prices?' });
    await first.services.runtime.outbound({ contactId, text: 'From 30.', sender: 'bot' });
    armed = first.services.store.pendingWindow(1)[0]?.id ?? '';
    assert.ok(armed, 'the bot answer armed a follow-up');
  });

  const stack = deferred<ClassifierStack>();
  const core = await bootCore({ dataDir: dir, clock, classifierStack: stack.promise });
  t.after(() => core.services.close());
  assert.equal(core.services.scheduler.nextDue()?.id, armed, 'the due window was read at boot');
  assert.ok(core.timings.storeOpenMs > 0 && core.timings.firstDueKnownMs >= core.timings.storeOpenMs);
  assert.equal(core.timings.classifierReadyMs, null);

  let settled = false;
  const inbound = core.services.runtime.inbound({ contactId, text: 'busy right now' }).finally(() => (settled = true));
  for (let i = 0; i < 5; i++) await tick();
  assert.equal(settled, false, 'the event waits for the classifier');

  stack.resolve({ mode: 'model', reason: 'test', classify: tableClassify, compose: labelCompose });
  const result = await inbound;
  assert.equal(result.to, 'busy');
  assert.ok((core.timings.classifierReadyMs ?? 0) >= core.timings.firstDueKnownMs);
});

test('a classifier that fails to load fails the events that need it, with its own error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-boot-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new FakeClock('2026-01-05T09:00:00Z');
  const core = await bootCore({
    dataDir: dir,
    clock,
    classifierStack: Promise.reject(new Error('rules failed to compile')),
  });
  t.after(() => core.services.close());
  await assert.rejects(core.classifier, /rules failed to compile/);
  const bot = core.services.createBot((await import('./helpers/core.ts')).botConfig());
  const contact = core.services.runtime.createContact(bot.id, { name: 'B' });
  await assert.rejects(
    core.services.runtime.inbound({ contactId: contact.id, text: 'hello' }),
    /rules failed to compile/,
  );
  assert.equal(core.services.store.messagesAfter(contact.id, 0).length, 0, 'nothing was stored');
});

test('a data file that is not a database is refused at boot with SQLite’s error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-boot-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'nudge.sqlite'),
    'this is not a database, just text long enough to be read as a header '.repeat(20),
  );
  await assert.rejects(
    bootCore({ dataDir: dir, clock: new FakeClock(0), classifierStack: Promise.resolve({} as ClassifierStack) }),
    /not a database/,
  );
});
