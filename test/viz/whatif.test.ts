/**
 * What-if: the resulting state, context and effects of a hypothetical event after any
 * log entry — and it never writes to the database (file bytes, WAL bytes and row counts
 * are identical before and after; the visualizer's connection is read-only).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openHistoryReader } from '../../src/viz/reader.ts';
import { VizInputError, whatIf } from '../../src/viz/replay.ts';
import { buildTimeline, whatIfView } from '../../src/viz/timeline.ts';
import { botConfig, makeCore } from '../helpers/core.ts';
import { doubtClassify } from '../helpers/doubt.ts';
import { authed, databaseFingerprint, startVizApp, testVerifiers } from './helpers.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-05T09:00:00Z'); // a Monday

async function scenario(t: Parameters<typeof makeCore>[0], config = botConfig()) {
  const core = makeCore(t, { config });
  const rt = core.services.runtime;
  const contact = rt.createContact(core.botId, { name: 'Ana' });
  await rt.inbound({ contactId: contact.id, text: 'hello there' }); // #1 active
  await rt.outbound({ contactId: contact.id, sender: 'bot', text: 'Hi Ana!' }); // #2 awaiting, stoppedReplying armed for +1h
  await core.settle();
  return { core, contact };
}

describe('what-if', () => {
  test('a busy reply after the bot message: state busy, busy step 1 armed 2h later, the old timer cancelled', async (t) => {
    const { core, contact } = await scenario(t);
    const reader = openHistoryReader(core.services.db.name);
    t.after(() => reader.close());
    const history = reader.history(contact.id)!;
    const view = whatIfView(history, 2, { type: 'CONTACT_MESSAGE', intent: 'busy', at: T0 + 10 * 60_000 });
    assert.equal(view.from, 'awaiting');
    assert.equal(view.state, 'busy');
    assert.equal(view.dryRun, true);
    assert.deepEqual(
      view.effects.map((e) => e.kind),
      ['cancelled', 'armed'],
    );
    assert.deepEqual(
      view.armed.map((a) => [a.scenario, a.step, a.dueAt]),
      [['busy', 1, new Date(T0 + 10 * 60_000 + 2 * HOUR).toISOString()]],
    );
    assert.equal((view.context.timer as { scenario: string }).scenario, 'busy');
    assert.match(view.decision.note, /\[saysBusy\] ✓/);
  });

  test('a requested time from the start, a follow-up due on time, opt-out from anywhere', async (t) => {
    const { core, contact } = await scenario(t);
    const reader = openHistoryReader(core.services.db.name);
    t.after(() => reader.close());
    const history = reader.history(contact.id)!;

    const asked = T0 + 5 * HOUR;
    const scheduled = whatIfView(history, 0, { type: 'CONTACT_MESSAGE', intent: 'request_time', requestedAt: asked });
    assert.equal(scheduled.state, 'scheduled');
    assert.deepEqual(
      scheduled.armed.map((a) => [a.scenario, a.dueAt]),
      [['requestedTime', new Date(asked).toISOString()]],
    );

    // FOLLOWUP_DUE defaults to the armed timer at its due time: the follow-up is sent.
    const due = whatIfView(history, 2, { type: 'FOLLOWUP_DUE' });
    assert.equal(due.event.at, new Date(T0 + HOUR).toISOString());
    assert.deepEqual(
      due.effects.map((e) => e.kind),
      ['sent', 'workflow', 'armed'],
    );
    assert.equal(due.armed[0].step, 2);

    const stale = whatIfView(history, 2, { type: 'FOLLOWUP_DUE', followUpId: 'nope:1:0' });
    assert.equal(stale.state, 'awaiting');
    assert.deepEqual(stale.effects, []);
    assert.match(stale.decision.note, /ignored/);

    const stop = whatIfView(history, 1, { type: 'CONTACT_MESSAGE', intent: 'not_interested' });
    assert.equal(stop.state, 'stopped');
    assert.deepEqual(stop.armed, []);
  });

  test('uses the policy logged at that entry, or the current one when asked', async (t) => {
    const { core, contact } = await scenario(t);
    core.services.updateBotConfig(
      core.botId,
      botConfig({ scenarios: { busy: { enabled: false, cadence: [{ delay: '2h' }] } } }),
    );
    const reader = openHistoryReader(core.services.db.name);
    t.after(() => reader.close());
    const history = reader.history(contact.id)!;
    const logged = whatIfView(history, 2, { type: 'CONTACT_MESSAGE', intent: 'busy' });
    assert.equal(logged.policySource, 'logged');
    assert.equal(logged.armed.length, 1, 'busy was enabled when #2 happened');
    const current = whatIfView(history, 2, { type: 'CONTACT_MESSAGE', intent: 'busy' }, { policy: 'current' });
    assert.equal(current.policySource, 'current');
    assert.equal(current.state, 'busy');
    assert.deepEqual(current.armed, [], 'busy is disabled now: nothing would be armed');
  });

  test('working hours move the planned send to the next opening', async (t) => {
    const hours = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '08:00', end: '17:00' }]]),
    );
    const { core, contact } = await scenario(t, botConfig({ workingHours: hours }));
    const reader = openHistoryReader(core.services.db.name);
    t.after(() => reader.close());
    const history = reader.history(contact.id)!;
    const late = Date.parse('2026-01-05T16:30:00Z');
    const view = whatIfView(history, 2, { type: 'CONTACT_MESSAGE', intent: 'busy', at: late });
    assert.equal(view.armed[0].dueAt, '2026-01-05T18:30:00.000Z');
    assert.equal(view.armed[0].scheduledAt, '2026-01-06T08:00:00.000Z');
    assert.equal(view.armed[0].deferReason, 'working_hours');
  });

  test('rejects impossible requests with clear errors', async (t) => {
    const { core, contact } = await scenario(t);
    const reader = openHistoryReader(core.services.db.name);
    t.after(() => reader.close());
    const history = reader.history(contact.id)!;
    assert.throws(
      () => whatIf(history, 9, { type: 'OPT_IN' }),
      (e: unknown) =>
        e instanceof VizInputError && /no log entry #9; use 0 \(the start\) or one of 1…2/.test(e.message),
    );
    assert.throws(() => whatIf(history, 2, { type: 'OPT_IN', at: T0 - 1 }), /before the chosen entry/);
    assert.throws(() => whatIf(history, 0, { type: 'FOLLOWUP_DUE' }), /no timer is armed/);
    assert.throws(
      () => whatIf(history, 1, { type: 'CONTACT_MESSAGE', intent: 'busy', requestedAt: T0 }),
      /only goes with intent request_time/,
    );
  });

  test('never writes to the database (bytes, WAL and row counts unchanged; read-only handle)', async (t) => {
    const { core, contact } = await scenario(t);
    core.services.committer.flush();
    // The service's own background checkpointer legitimately copies earlier commits into
    // the file; stop it so the byte-for-byte comparison sees only what the visualizer does.
    await core.services.checkpointer?.stop();
    const app = await startVizApp(t, core.services, testVerifiers());
    const http = authed(app.url);
    const before = databaseFingerprint(core.services);
    const dataVersion = () => core.services.db.pragma('data_version', { simple: true });
    const versionBefore = dataVersion();

    const bodies = [
      { afterSeq: 0, event: { type: 'CONTACT_MESSAGE', intent: 'request_time', requestedAt: '2026-01-05T15:00:00Z' } },
      { afterSeq: 1, event: { type: 'BOT_MESSAGE', bookingLink: true } },
      { afterSeq: 2, event: { type: 'FOLLOWUP_DUE' } },
      { afterSeq: 2, event: { type: 'OPERATOR_MESSAGE' } },
      { afterSeq: 2, event: { type: 'CONTACT_MESSAGE', intent: 'not_interested' }, policy: 'current' },
      { afterSeq: 2, event: { type: 'APPOINTMENT_BOOKED', at: '2026-01-06T10:00:00Z' } },
    ];
    for (const body of bodies) {
      const res = await http.post(`/api/contacts/${contact.id}/what-if`, body);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.dryRun, true);
    }
    // Also the other read paths.
    assert.equal((await http.get(`/api/contacts/${contact.id}/history`)).status, 200);
    const exported = await http.get(`/api/contacts/${contact.id}/export`);
    assert.equal((await http.post('/api/viz/import', exported.text)).status, 200);

    assert.deepEqual(databaseFingerprint(core.services), before);
    assert.equal(dataVersion(), versionBefore, 'no other connection committed anything');
    const state = core.services.store.getContact(contact.id)!;
    assert.equal(state.state, 'awaiting');

    // The visualizer's own connection cannot write even if it tried.
    const reader = openHistoryReader(core.services.db.name);
    t.after(() => reader.close());
    assert.equal(reader.db.readonly, true);
    assert.throws(
      () => reader.db.prepare(`DELETE FROM transitions`).run(),
      /readonly|read-only|query_only|attempt to write/i,
    );
  });
});

describe('what-if on a held message', () => {
  test("an operator's decision on the message under review: applied as that intent, and refused when nothing is under review", async (t) => {
    const core = makeCore(t, { classify: doubtClassify });
    const rt = core.services.runtime;
    const contact = rt.createContact(core.botId, { name: 'Ana' });
    await rt.inbound({ contactId: contact.id, text: 'hello there' }); // #1 active, confident
    await rt.inbound({ contactId: contact.id, text: 'unsure: meh' }); // #2 held for review
    await core.settle();
    const reader = openHistoryReader(core.services.db.name);
    t.after(() => reader.close());
    const history = reader.history(contact.id)!;

    const held = buildTimeline(history, 'database').entries[1].effects.find((e) => e.kind === 'review');
    assert.deepEqual(
      held && held.kind === 'review' ? held.readings.map((r) => r.intent) : null,
      ['engaged', 'not_interested'],
      'the timeline shows the hold and its readings',
    );
    const busy = whatIfView(history, 2, { type: 'REVIEW_RESOLVED', intent: 'busy' });
    assert.equal(busy.state, 'busy');
    assert.ok(busy.effects.some((e) => e.kind === 'reviewClosed' && e.reason === 'resolved'));
    assert.deepEqual(
      busy.armed.map((a) => a.scenario),
      ['busy'],
    );
    assert.equal(busy.context.review, null);
    const time = T0 + 30 * HOUR;
    const scheduled = whatIfView(history, 2, { type: 'REVIEW_RESOLVED', intent: 'request_time', requestedAt: time });
    assert.deepEqual(
      scheduled.armed.map((a) => [a.scenario, a.dueAt]),
      [['requestedTime', new Date(time).toISOString()]],
    );
    const stale = whatIfView(history, 2, { type: 'REVIEW_RESOLVED', intent: 'engaged', messageId: 'msg_other' });
    assert.equal(stale.state, 'active');
    assert.deepEqual(stale.effects, [], 'a decision about another message changes nothing');

    assert.throws(
      () => whatIfView(history, 1, { type: 'REVIEW_RESOLVED', intent: 'engaged' }),
      (e: unknown) => e instanceof VizInputError && /no message is under review/.test(e.message),
    );
    assert.throws(
      () => whatIfView(history, 2, { type: 'REVIEW_RESOLVED', intent: 'request_time' }),
      (e: unknown) => e instanceof VizInputError && /requestedAt is required/.test(e.message),
    );
  });
});
