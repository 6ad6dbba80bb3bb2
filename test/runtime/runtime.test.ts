import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClock } from '../../src/clock.ts';
import type { ComposeFn } from '../../src/runtime/runtime.ts';
import { createClassifierStack } from '../../src/runtime/classifierStack.ts';
import { botConfig, makeCore } from '../helpers/core.ts';

const MIN = 60_000;

const cadence5then15 = botConfig({
  scenarios: {
    stoppedReplying: { enabled: true, cadence: [{ delay: '5m' }, { delay: '15m' }] },
  },
});

function outboxCount(db: import('../../src/store/db.ts').DB, key: string): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE idempotency_key = ?').get(key) as { n: number }).n;
}

describe('runtime + scheduler with a fake clock', () => {
  test("the contact's last known language is kept, and its built-in follow-up is written in it", async (t) => {
    const stack = await createClassifierStack({ host: null, model: 'none', timeoutMs: 100 });
    t.after(() => stack.close?.());
    const core = makeCore(t, { config: cadence5then15, compose: stack.compose });
    const { runtime, store } = core.services;
    const contact = runtime.createContact(core.botId, { name: 'Lucía Pérez' });
    assert.equal(runtime.contact(contact.id).language, null, 'unknown until the contact writes');
    await runtime.inbound({ contactId: contact.id, text: 'Hola, ¿cuánto cuesta una revisión de la bici?' });
    assert.equal(runtime.contact(contact.id).language, 'es');
    await runtime.inbound({ contactId: contact.id, text: 'ok 👍' });
    assert.equal(runtime.contact(contact.id).language, 'es', '"ok" says nothing of its language');
    await runtime.outbound({ contactId: contact.id, text: 'Desde 30 €. ¿Quiere reservar?', sender: 'bot' });
    await core.advance(5 * MIN);
    const sent = store.recentMessages(contact.id, 1)[0];
    assert.ok(sent.followup_id, 'the follow-up went out');
    assert.match(sent.text, /^Hola Lucía, /);
    assert.match(JSON.parse(sent.meta ?? '{}').templateId, /^es:stoppedReplying\.1\.[abc]$/);
    await runtime.inbound({ contactId: contact.id, text: 'Guten Tag, ich habe morgen Zeit' });
    assert.equal(runtime.contact(contact.id).language, 'de', 'a message in another language moves it');
  });

  test('cadence 5 min then 15 min fires at exactly those instants', async (t) => {
    const core = makeCore(t, { config: cadence5then15 });
    const { runtime, store } = core.services;
    const contact = runtime.createContact(core.botId, { name: 'Ana' });
    await runtime.inbound({ contactId: contact.id, text: 'hello, what are your prices?' });
    core.clock.advance(2000);
    const reply = await runtime.outbound({ contactId: contact.id, text: 'From $30. Want to book?', sender: 'bot' });
    assert.equal(reply.to, 'awaiting');
    const botAt = core.clock.now();

    await core.advance(5 * MIN - 1);
    assert.equal(
      store.followUpsOfContact(contact.id).filter((f) => f.status === 'sent').length,
      0,
      'nothing before 5 min',
    );
    await core.advance(1);
    const first = store.followUpsOfContact(contact.id).filter((f) => f.status === 'sent');
    assert.equal(first.length, 1);
    assert.equal(first[0].sent_at, botAt + 5 * MIN);
    await core.advance(15 * MIN);
    const sent = store.followUpsOfContact(contact.id).filter((f) => f.status === 'sent' && f.kind === 'followup');
    assert.deepEqual(
      sent.map((f) => [f.step, f.sent_at! - botAt]),
      [
        [1, 5 * MIN],
        [2, 20 * MIN],
      ],
    );
    const detail = runtime.snapshotOf(contact.id);
    assert.equal(detail.value, 'awaiting');
    assert.equal(detail.context.timer, null, 'cadence complete leaves no timer');
    assert.equal(detail.context.cadenceComplete, 'stoppedReplying');
    // Each send wrote exactly one outbox row and one conversation message.
    for (const f of sent) assert.equal(outboxCount(core.services.db, f.id), 1);
    const msgs = store.messagesAfter(contact.id, 0).filter((m) => m.followup_id);
    assert.deepEqual(
      msgs.map((m) => m.text),
      ['follow-up stoppedReplying #1', 'follow-up stoppedReplying #2'],
    );
  });

  test('a reply resets the cadence: the pending follow-up is cancelled and never fires', async (t) => {
    const core = makeCore(t, { config: cadence5then15 });
    const { runtime, store } = core.services;
    const c = runtime.createContact(core.botId);
    await runtime.inbound({ contactId: c.id, text: 'hi' });
    await runtime.outbound({ contactId: c.id, text: 'hello!', sender: 'bot' });
    await core.advance(4 * MIN);
    await runtime.inbound({ contactId: c.id, text: 'busy now' });
    await core.advance(2 * MIN);
    const rows = store.followUpsOfContact(c.id).filter((f) => f.scenario === 'stoppedReplying');
    assert.equal(rows[0].status, 'cancelled');
    assert.equal(rows[0].reason, 'contact_replied');
    assert.equal(store.outboxOfContact(c.id).length, 0);
    assert.equal(runtime.snapshotOf(c.id).value, 'busy');
  });

  test('working hours: due 21:00 with hours 08–17 goes out 08:00 the next working day', async (t) => {
    const config = botConfig({
      timezone: 'America/New_York',
      workingHours: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '08:00', end: '17:00' }]]),
      ),
      scenarios: { stoppedReplying: { enabled: true, cadence: [{ delay: '1h' }] } },
    });
    // Monday 2026-01-05 20:00 New York = 2026-01-06T01:00Z; due 21:00 local.
    const core = makeCore(t, { config, clock: new FakeClock('2026-01-06T01:00:00Z') });
    const { runtime, store } = core.services;
    const c = runtime.createContact(core.botId);
    await runtime.inbound({ contactId: c.id, text: 'hi' });
    await runtime.outbound({ contactId: c.id, text: 'hello!', sender: 'bot' });
    const [row] = store.followUpsOfContact(c.id).filter((f) => f.kind === 'followup');
    assert.equal(new Date(row.raw_due_at).toISOString(), '2026-01-06T02:00:00.000Z');
    assert.equal(new Date(row.due_at).toISOString(), '2026-01-06T13:00:00.000Z'); // Tue 08:00 EST
    assert.equal(row.defer_reason, 'working_hours');
    await core.advance(11 * 60 * MIN);
    assert.equal(store.getFollowUp(row.id)!.status, 'pending');
    await core.advance(60 * MIN);
    assert.equal(store.getFollowUp(row.id)!.status, 'sent');
    assert.equal(store.getFollowUp(row.id)!.sent_at, Date.parse('2026-01-06T13:00:00Z'));
  });

  test('per-contact ordering under concurrent events; contacts proceed independently', async (t) => {
    let slow = 0;
    const core = makeCore(t, {
      classify: async ({ text, now }) => {
        // Earlier messages classify slower: order must still hold per contact.
        const n = Number(/#(\d+)/.exec(text)?.[1] ?? 0);
        await new Promise((r) => setTimeout(r, (20 - n) % 7));
        slow++;
        return text.includes('busy') ? { intent: 'busy' } : { intent: 'engaged', now };
      },
    });
    const { runtime, store } = core.services;
    const a = runtime.createContact(core.botId);
    const b = runtime.createContact(core.botId);
    const sends = [];
    for (let i = 0; i < 20; i++) {
      sends.push(runtime.inbound({ contactId: a.id, text: `a #${i}${i === 19 ? ' busy' : ''}` }));
      sends.push(runtime.inbound({ contactId: b.id, text: `b #${i}` }));
    }
    await Promise.all(sends);
    assert.equal(slow, 40);
    const texts = store.messagesAfter(a.id, 0).map((m) => m.text);
    assert.deepEqual(
      texts,
      Array.from({ length: 20 }, (_, i) => `a #${i}${i === 19 ? ' busy' : ''}`),
    );
    assert.deepEqual(
      store.messagesAfter(b.id, 0).map((m) => m.seq),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      store.transitionsOfContact(a.id).map((r) => r.seq),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.equal(runtime.snapshotOf(a.id).value, 'busy', 'the last message decides the state');
  });

  test('bot inactive: due follow-ups are recorded skipped with the reason', async (t) => {
    const core = makeCore(t, { config: cadence5then15 });
    const { runtime, store } = core.services;
    const c = runtime.createContact(core.botId);
    await runtime.inbound({ contactId: c.id, text: 'hi' });
    await runtime.outbound({ contactId: c.id, text: 'hello!', sender: 'bot' });
    core.services.updateBotConfig(core.botId, { ...cadence5then15, active: false });
    await core.advance(6 * MIN);
    const [row] = store.followUpsOfContact(c.id).filter((f) => f.kind === 'followup');
    assert.equal(row.status, 'skipped');
    assert.equal(row.reason, 'bot_inactive');
    assert.equal(store.outboxOfContact(c.id).length, 0);
  });

  test('a silent bot: the contact falls through from active to awaiting and is followed up', async (t) => {
    const core = makeCore(t, {
      config: botConfig({
        botReplyTimeout: '10m',
        scenarios: { stoppedReplying: { enabled: true, cadence: [{ delay: '5m' }] } },
      }),
    });
    const { runtime, store } = core.services;
    const c = runtime.createContact(core.botId);
    await runtime.inbound({ contactId: c.id, text: 'hello?' });
    await core.advance(10 * MIN);
    assert.equal(runtime.snapshotOf(c.id).value, 'awaiting');
    await core.advance(5 * MIN);
    assert.equal(store.followUpsOfContact(c.id).filter((f) => f.status === 'sent').length, 1);
  });

  test('a human operator writing disarms follow-ups until the contact writes again', async (t) => {
    const core = makeCore(t, { config: cadence5then15 });
    const { runtime, store } = core.services;
    const c = runtime.createContact(core.botId);
    await runtime.inbound({ contactId: c.id, text: 'hi' });
    await runtime.outbound({ contactId: c.id, text: 'hello!', sender: 'bot' });
    await runtime.outbound({
      contactId: c.id,
      text: 'Hi, this is Maria from the salon',
      sender: 'operator',
      operatorId: 'maria',
    });
    const rows = store.followUpsOfContact(c.id).filter((f) => f.kind === 'followup');
    assert.equal(rows[0].status, 'cancelled');
    assert.equal(rows[0].reason, 'human_active');
    await core.advance(60 * MIN);
    assert.equal(store.outboxOfContact(c.id).length, 0);
  });

  test('disabling a scenario cancels what it armed', async (t) => {
    const core = makeCore(t, { config: cadence5then15 });
    const { runtime, store } = core.services;
    const c = runtime.createContact(core.botId);
    await runtime.inbound({ contactId: c.id, text: 'hi' });
    await runtime.outbound({ contactId: c.id, text: 'hello!', sender: 'bot' });
    core.services.updateBotConfig(
      core.botId,
      botConfig({ scenarios: { stoppedReplying: { enabled: false, cadence: [{ delay: '5m' }] } } }),
    );
    await core.advance(10 * MIN);
    const [row] = store.followUpsOfContact(c.id).filter((f) => f.kind === 'followup');
    assert.equal(row.status, 'cancelled');
    assert.equal(row.reason, 'scenario_disabled');
  });

  test('a requested time is echoed into the follow-up row and fires at that instant', async (t) => {
    const core = makeCore(t);
    const { runtime, store } = core.services;
    const c = runtime.createContact(core.botId);
    const start = core.clock.now();
    await runtime.inbound({ contactId: c.id, text: 'call me at+180' });
    const [row] = store.followUpsOfContact(c.id).filter((f) => f.kind === 'followup');
    assert.equal(row.scenario, 'requestedTime');
    assert.equal(row.due_at, start + 180 * MIN);
    const trigger = store.getMessage(row.trigger_message_id!);
    assert.equal(trigger?.text, 'call me at+180');
    assert.equal(JSON.parse(trigger!.classification!).intent, 'request_time');
  });
});

describe('epoch fence and idempotency', () => {
  test('a follow-up claimed by the scheduler is not sent when the contact replied in between', async (t) => {
    // eslint-disable-next-line prefer-const -- assigned after the compose closure that reads it
    let core!: ReturnType<typeof makeCore>;
    let contactId = '';
    // While the due follow-up is being composed (after the scheduler claimed it), another
    // writer records a contact reply: the send must be refused at commit time.
    const compose: ComposeFn = async (input) => {
      const store = core.services.store;
      store.db.transaction(() => {
        store.cancelPendingFollowUps(contactId, 'contact_replied', null, core.clock.now());
        store.db.prepare('UPDATE contacts SET epoch = epoch + 1 WHERE id = ?').run(contactId);
      })();
      return { text: `follow-up ${input.scenario}`, source: 'template' };
    };
    core = makeCore(t, { config: cadence5then15, compose });
    const { runtime, store } = core.services;
    const c = runtime.createContact(core.botId);
    contactId = c.id;
    await runtime.inbound({ contactId: c.id, text: 'hi' });
    await runtime.outbound({ contactId: c.id, text: 'hello!', sender: 'bot' });
    await core.advance(6 * MIN);
    const [row] = store.followUpsOfContact(c.id).filter((f) => f.kind === 'followup');
    assert.equal(row.status, 'cancelled');
    assert.equal(store.outboxOfContact(c.id).length, 0, 'nothing was sent');
    assert.equal(store.messagesAfter(c.id, 0).filter((m) => m.followup_id).length, 0);
  });

  test('an operator message queued behind the due follow-up wins if it commits first', async (t) => {
    const core = makeCore(t, { config: cadence5then15 });
    const { runtime, store } = core.services;
    const c = runtime.createContact(core.botId);
    await runtime.inbound({ contactId: c.id, text: 'hi' });
    await runtime.outbound({ contactId: c.id, text: 'hello!', sender: 'bot' });
    const [row] = store.followUpsOfContact(c.id).filter((f) => f.kind === 'followup');
    core.clock.advanceTo(row.due_at - 1);
    // The operator's message is queued before the due delivery reaches the mailbox.
    const operator = runtime.outbound({ contactId: c.id, text: 'Maria here', sender: 'operator' });
    core.clock.advanceTo(row.due_at);
    await operator;
    await core.settle();
    assert.equal(store.getFollowUp(row.id)!.status, 'cancelled');
    assert.equal(store.outboxOfContact(c.id).length, 0);
  });

  test('the send path run twice sends once (idempotency key)', async (t) => {
    const core = makeCore(t, { config: cadence5then15 });
    const { runtime, store, db } = core.services;
    const c = runtime.createContact(core.botId);
    await runtime.inbound({ contactId: c.id, text: 'hi' });
    await runtime.outbound({ contactId: c.id, text: 'hello!', sender: 'bot' });
    const [row] = store.followUpsOfContact(c.id).filter((f) => f.kind === 'followup');
    core.services.scheduler.stop();
    core.clock.advanceTo(row.due_at);
    const ref = { id: row.id, contact_id: c.id, due_at: row.due_at };
    await Promise.all([runtime.deliverDue(ref), runtime.deliverDue(ref)]);
    assert.equal(outboxCount(db, row.id), 1);
    // Even if the row were somehow pending again (a crash between two writers), the
    // unique key refuses a second outbox row and no second message appears.
    db.prepare(`UPDATE followups SET status = 'pending' WHERE id = ?`).run(row.id);
    const snapshot = db.prepare('SELECT snapshot FROM contacts WHERE id = ?').get(c.id) as { snapshot: string };
    const before = JSON.parse(snapshot.snapshot);
    // Rewind the stored machine to before the send so it decides to send again.
    before.context.timer = {
      id: row.id,
      kind: 'followup',
      scenario: 'stoppedReplying',
      step: 1,
      epoch: row.epoch,
      dueAt: row.due_at,
      triggerMessageId: null,
    };
    db.prepare('UPDATE contacts SET snapshot = ? WHERE id = ?').run(JSON.stringify(before), c.id);
    const fresh = makeCore(t, { config: cadence5then15, dir: core.dir, clock: core.clock });
    fresh.services.scheduler.stop();
    await fresh.services.runtime.deliverDue(ref);
    assert.equal(outboxCount(fresh.services.db, row.id), 1);
    assert.equal(fresh.services.store.messagesAfter(c.id, 0).filter((m) => m.followup_id === row.id).length, 1);
  });
});
