/**
 * Time travel must be trustworthy: replaying a contact's stored transition log through the
 * pure machine reproduces every snapshot the runtime stored along the way, every stored
 * from/to and every stored effect list. Property-tested over generated event sequences
 * driven through the REAL runtime (SQLite, scheduler, fake clock), including timers that
 * fire, bursts of concurrent messages, configuration changes mid-conversation, working
 * hours and operator cancellations. And the checks must be able to fail: tampered logs
 * and snapshots are flagged at the right place.
 */
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openHistoryReader, type ContactHistory } from '../../src/viz/reader.ts';
import { canonical, replayHistory, storedSnapshotView } from '../../src/viz/replay.ts';
import { buildTimeline } from '../../src/viz/timeline.ts';
import { botConfig, makeCore, type Core } from '../helpers/core.ts';

const BOOKING = 'https://book.example/slot';
const baseOverrides = {
  bookingUrl: BOOKING,
  followUpCapPer24h: 3,
  botReplyTimeout: '10m',
  scenarios: {
    stoppedReplying: {
      enabled: true,
      cadence: [{ delay: '5m' }, { delay: '15m' }],
      workflow: [{ type: 'addTag', tag: 'nudged' }],
    },
    busy: { enabled: true, cadence: [{ delay: '1h' }] },
    requestedTime: { enabled: true, cadence: [{ delay: '0m' }, { delay: '1d' }] },
  },
};
const configs = {
  base: () => botConfig(baseOverrides),
  busyOff: () =>
    botConfig({
      ...baseOverrides,
      scenarios: { ...baseOverrides.scenarios, busy: { enabled: false, cadence: [{ delay: '1h' }] } },
    }),
  inactive: () => botConfig({ ...baseOverrides, active: false }),
  cap1: () => botConfig({ ...baseOverrides, followUpCapPer24h: 1 }),
  hours: () =>
    botConfig({
      ...baseOverrides,
      workingHours: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '08:00', end: '17:00' }]]),
      ),
    }),
};

type Command =
  | { kind: 'inbound'; text: string }
  | { kind: 'burst'; texts: [string, string] }
  | { kind: 'bot'; booking: boolean }
  | { kind: 'operator' }
  | {
      kind: 'signal';
      type: 'APPOINTMENT_BOOKED' | 'APPOINTMENT_CANCELLED' | 'OPT_IN' | 'OPERATOR_STOP' | 'OPERATOR_HANDBACK';
    }
  | { kind: 'update' }
  | { kind: 'advance'; ms: number }
  | { kind: 'config'; name: keyof typeof configs }
  | { kind: 'cancelPending' };

const text = fc.constantFrom(
  'hello there',
  'busy right now',
  'call me at+90',
  'call me at+3s',
  'stop',
  'booked it',
  'ok',
);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: text.map((t) => ({ kind: 'inbound' as const, text: t })) },
  { weight: 1, arbitrary: fc.tuple(text, text).map((texts) => ({ kind: 'burst' as const, texts })) },
  { weight: 3, arbitrary: fc.boolean().map((booking) => ({ kind: 'bot' as const, booking })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'operator' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('APPOINTMENT_BOOKED', 'APPOINTMENT_CANCELLED', 'OPT_IN', 'OPERATOR_STOP', 'OPERATOR_HANDBACK')
      .map((type) => ({ kind: 'signal' as const, type })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'update' as const }) },
  {
    weight: 4,
    arbitrary: fc
      .constantFrom(1_000, 60_000, 5 * 60_000, 11 * 60_000, 16 * 60_000, 3_600_000, 3 * 3_600_000, 86_400_000)
      .map((ms) => ({ kind: 'advance' as const, ms })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...(Object.keys(configs) as Array<keyof typeof configs>))
      .map((name) => ({ kind: 'config' as const, name })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'cancelPending' as const }) },
);

async function run(core: Core, contactId: string, cmd: Command, n: number): Promise<void> {
  const rt = core.services.runtime;
  switch (cmd.kind) {
    case 'inbound':
      await rt.inbound({ contactId, text: cmd.text });
      break;
    case 'burst':
      // Two messages in the same instant, not awaited one by one: the mailbox orders them.
      await Promise.all(cmd.texts.map((t) => rt.inbound({ contactId, text: t })));
      break;
    case 'bot':
      await rt.outbound({
        contactId,
        sender: 'bot',
        text: cmd.booking ? `Book here: ${BOOKING}` : 'Thanks! How can I help?',
      });
      break;
    case 'operator':
      await rt.outbound({ contactId, sender: 'operator', text: 'Hi, a human here.', operatorId: 'op1' });
      break;
    case 'signal':
      await rt.signal(contactId, cmd.type, { source: 'test' });
      break;
    case 'update':
      await rt.updateContact(contactId, { name: `Name ${n}` });
      break;
    case 'advance':
      await core.advance(cmd.ms);
      break;
    case 'config':
      core.services.updateBotConfig(core.botId, configs[cmd.name]());
      break;
    case 'cancelPending': {
      const pending = core.services.store
        .followUpsOfContact(contactId)
        .find((f) => f.status === 'pending' && f.kind === 'followup');
      if (pending) await rt.cancelFollowUp(pending.id, 'op1');
      break;
    }
  }
  await core.settle();
}

function loadHistory(core: Core, contactId: string): ContactHistory {
  const reader = openHistoryReader(join(core.dir, 'nudge.sqlite'));
  try {
    const history = reader.history(contactId);
    assert.ok(history, 'contact exists');
    return history;
  } finally {
    reader.close();
  }
}

describe('replay of stored logs', () => {
  test('reproduces every stored snapshot, state and effect list (property, real runtime)', async (t) => {
    const core = makeCore(t, { config: configs.base() });
    let runs = 0;
    let entriesChecked = 0;
    let snapshotsChecked = 0;
    let commandsRun = 0;
    const typesSeen = new Set<string>();
    const effectsSeen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (commands) => {
        runs++;
        core.services.updateBotConfig(core.botId, configs.base());
        const contact = core.services.runtime.createContact(core.botId, { name: 'Prop' });
        // Every snapshot the runtime stored, keyed by the log position it was stored at.
        const stored: Array<{ seq: number; snapshot: unknown }> = [
          { seq: 0, snapshot: core.services.store.getSnapshot(contact.id) },
        ];
        let n = 0;
        for (const cmd of commands) {
          await run(core, contact.id, cmd, n++);
          commandsRun++;
          stored.push({
            seq: core.services.store.lastTransitionSeq(contact.id),
            snapshot: core.services.store.getSnapshot(contact.id),
          });
        }

        const history = loadHistory(core, contact.id);
        const replay = replayHistory(history);
        assert.equal(replay.steps.length, history.log.length);
        history.log.forEach((entry, i) => assert.equal(entry.seq, i + 1, 'log seqs are contiguous from 1'));
        for (const step of replay.steps) {
          assert.equal(step.mismatch, null, `entry #${step.seq} disagrees: ${JSON.stringify(step.mismatch)}`);
          typesSeen.add(step.event!.type);
          for (const e of step.effects) effectsSeen.add(e.type);
        }
        assert.equal(replay.final.mismatch, null, `final snapshot disagrees: ${JSON.stringify(replay.final.mismatch)}`);
        for (const { seq, snapshot } of stored) {
          const want = storedSnapshotView(snapshot)!;
          const got = replay.snapshots[seq];
          assert.equal(canonical(got.value), canonical(want.value), `state after #${seq}`);
          assert.equal(canonical(got.context), canonical(want.context), `context after #${seq}`);
          snapshotsChecked++;
        }
        entriesChecked += replay.steps.length;
        assert.equal(buildTimeline(history, 'database', replay).mismatchCount, 0);

        // Leave nothing armed for the next run's clock moves.
        await core.services.runtime.signal(contact.id, 'OPERATOR_STOP');
        await core.settle();
      }),
      { numRuns: 50, seed: Number(process.env.VIZ_PROPERTY_SEED ?? 20260105), endOnFailure: true },
    );
    assert.equal(runs, 50);
    // The generator must actually reach the interesting parts of the machine.
    for (const type of ['CONTACT_MESSAGE', 'BOT_MESSAGE', 'FOLLOWUP_DUE', 'OPERATOR_MESSAGE'])
      assert.ok(typesSeen.has(type), `no ${type} was generated`);
    for (const type of ['armTimer', 'cancelTimers', 'sendFollowUp'])
      assert.ok(effectsSeen.has(type), `no ${type} effect was exercised`);
    assert.ok(entriesChecked > runs, `only ${entriesChecked} log entries for ${commandsRun} commands`);
    assert.equal(snapshotsChecked, commandsRun + runs, 'a stored snapshot was checked after every command');
  });

  describe('disagreements are flagged', () => {
    async function sampleHistory(t: Parameters<typeof makeCore>[0]) {
      const core = makeCore(t, { config: configs.base() });
      const rt = core.services.runtime;
      const contact = rt.createContact(core.botId, {});
      await rt.inbound({ contactId: contact.id, text: 'hello there' });
      await rt.outbound({ contactId: contact.id, sender: 'bot', text: 'Hi!' });
      await core.advance(5 * 60_000); // stoppedReplying #1 fires
      await rt.inbound({ contactId: contact.id, text: 'call me at+90' });
      return loadHistory(core, contact.id);
    }

    test('a clean history has no mismatch', async (t) => {
      const history = await sampleHistory(t);
      assert.deepEqual(
        history.log.map((e) => (e.event as { type: string }).type),
        ['CONTACT_MESSAGE', 'BOT_MESSAGE', 'FOLLOWUP_DUE', 'CONTACT_MESSAGE'],
      );
      const timeline = buildTimeline(history, 'database');
      assert.equal(timeline.mismatchCount, 0);
      assert.deepEqual(
        timeline.entries.map((e) => e.to),
        ['active', 'awaiting', 'awaiting', 'scheduled'],
      );
    });

    test('a stored target state the machine would not reach', async (t) => {
      const history = await sampleHistory(t);
      history.log[1] = { ...history.log[1], to: 'busy' };
      const timeline = buildTimeline(history, 'database');
      const flagged = timeline.entries.filter((e) => e.mismatch);
      assert.deepEqual(
        flagged.map((e) => e.seq),
        [2],
      );
      assert.equal(flagged[0].mismatch![0].field, 'to');
      assert.match(flagged[0].mismatch![0].message, /stored to=busy, the replay went to awaiting/);
    });

    test('stored effects that differ from the decision', async (t) => {
      const history = await sampleHistory(t);
      const effects = structuredClone(history.log[2].effects) as Array<{
        type: string;
        params: Record<string, unknown>;
      }>;
      effects.pop(); // drop the armTimer of step 2
      history.log[2] = { ...history.log[2], effects };
      const timeline = buildTimeline(history, 'database');
      const entry = timeline.entries.find((e) => e.seq === 3)!;
      assert.equal(entry.mismatch?.[0].field, 'effects');
      assert.match(
        entry.mismatch![0].message,
        /sendFollowUp, runWorkflow\] differ from the replay's \[sendFollowUp, runWorkflow, armTimer\]/,
      );
      assert.equal(timeline.entries.filter((e) => e.mismatch).length, 1);
    });

    test('an event changed in the log diverges from the stored path', async (t) => {
      const history = await sampleHistory(t);
      const event = structuredClone(history.log[3].event) as Record<string, unknown>;
      event.intent = 'not_interested';
      history.log[3] = { ...history.log[3], event };
      const timeline = buildTimeline(history, 'database');
      assert.equal(timeline.entries[3].mismatch?.[0].field, 'to');
      assert.ok(timeline.final.mismatch, 'final snapshot no longer matches');
      assert.equal(timeline.mismatchCount, 2);
    });

    test('a stored snapshot that the log does not explain', async (t) => {
      const history = await sampleHistory(t);
      const snapshot = structuredClone(history.storedSnapshot) as { context: { epoch: number } };
      snapshot.context.epoch += 7;
      const timeline = buildTimeline({ ...history, storedSnapshot: snapshot }, 'database');
      assert.equal(timeline.entries.filter((e) => e.mismatch).length, 0);
      assert.match(timeline.final.mismatch?.[0].message ?? '', /differs from the replay in: epoch/);
    });

    test('an unreadable log entry is reported and skipped, the rest still replays', async (t) => {
      const history = await sampleHistory(t);
      history.log.splice(1, 0, {
        seq: 99,
        at: history.log[0].at,
        event: null,
        from: 'active',
        to: 'active',
        effects: [],
        corrupt: 'event: Unexpected token',
      });
      const timeline = buildTimeline(history, 'database');
      const bad = timeline.entries.find((e) => e.seq === 99)!;
      assert.equal(bad.mismatch?.[0].field, 'event');
      assert.equal(timeline.entries.filter((e) => e.mismatch).length, 1, 'later entries still agree');
    });

    test('explains why an event did nothing', async (t) => {
      const history = await sampleHistory(t);
      history.log.push({
        seq: 5,
        at: history.log[3].at + 1,
        event: { ...(history.log[3].event as object), type: 'FOLLOWUP_DUE', followUpId: 'stale:id:1:0' },
        from: 'scheduled',
        to: 'scheduled',
        effects: [],
      });
      const timeline = buildTimeline({ ...history, storedSnapshot: null }, 'database');
      const entry = timeline.entries[4];
      assert.equal(entry.mismatch, null);
      assert.deepEqual(entry.decision.taken, []);
      assert.deepEqual(
        entry.decision.rejected.map((r) => r.guard),
        ['isCurrentTimer'],
      );
      assert.match(entry.decision.note, /ignored: guard isCurrentTimer failed \(stale/);
    });
  });
});
