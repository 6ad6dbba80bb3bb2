/**
 * The storage contract, stated once and run against every store (test/helpers/stores.ts):
 * what the runtime, the scheduler and the dispatcher rely on, whichever database holds the
 * rows. JSON columns are compared parsed: PostgreSQL keeps them as JSONB, which normalises
 * the text.
 */
import assert from 'node:assert/strict';
import { TIMER_KIND } from '../../machines/vocabulary.ts';
import type { FollowUpRow, MessageRow } from '../../src/store/store.ts';
import { storeTest, type AnyStore } from '../helpers/stores.ts';

const BOT = 'bot_1';

async function withBot(store: AnyStore, id = BOT, createdAt = 0): Promise<void> {
  await store.insertBot({
    id,
    name: 'Salon',
    widget_key: `wk_${id}`,
    allowed_origins: '["https://salon.example"]',
    config: '{"tone":"warm"}',
    created_at: createdAt,
    updated_at: createdAt,
  });
}

async function withContact(
  store: AnyStore,
  id: string,
  fields: { phone?: string; state?: string; botId?: string } = {},
): Promise<void> {
  await store.insertContact(
    {
      id,
      bot_id: fields.botId ?? BOT,
      name: null,
      phone: fields.phone ?? null,
      email: null,
      timezone: null,
      state: fields.state ?? 'active',
      last_channel: 'livechat',
      created_at: 10,
      updated_at: 10,
    },
    { value: fields.state ?? 'active' },
  );
}

function followUp(
  contactId: string,
  id: string,
  fields: Partial<Pick<FollowUpRow, 'due_at' | 'created_at' | 'kind' | 'epoch'>> = {},
): Omit<FollowUpRow, 'status' | 'reason' | 'actor' | 'sent_at' | 'replied_at'> {
  return {
    id,
    contact_id: contactId,
    bot_id: BOT,
    kind: fields.kind ?? 'followup',
    scenario: 'stoppedReplying',
    step: 1,
    epoch: fields.epoch ?? 0,
    raw_due_at: fields.due_at ?? 1000,
    due_at: fields.due_at ?? 1000,
    defer_reason: null,
    channel: null,
    channel_reason: null,
    message_mode: null,
    trigger_message_id: null,
    created_at: fields.created_at ?? 100,
    updated_at: fields.created_at ?? 100,
  };
}

function message(
  contactId: string,
  id: string,
  fields: Partial<Pick<MessageRow, 'sender' | 'channel' | 'at' | 'client_id' | 'followup_id' | 'text'>> = {},
): Omit<MessageRow, 'seq'> {
  return {
    id,
    contact_id: contactId,
    sender: fields.sender ?? 'contact',
    channel: fields.channel ?? 'livechat',
    text: fields.text ?? `text of ${id}`,
    at: fields.at ?? 500,
    client_id: fields.client_id ?? null,
    classification: null,
    followup_id: fields.followup_id ?? null,
    meta: null,
  };
}

storeTest('bots are found by id and widget key, listed in creation order, and updated', async (_t, store) => {
  await withBot(store, 'bot_b', 20);
  await withBot(store, 'bot_a', 20);
  await withBot(store, 'bot_c', 10);
  assert.deepEqual(
    (await store.listBots()).map((bot) => bot.id),
    ['bot_c', 'bot_a', 'bot_b'],
  );
  const bot = await store.getBotByWidgetKey('wk_bot_a');
  assert.equal(bot?.id, 'bot_a');
  assert.deepEqual(JSON.parse(bot!.config), { tone: 'warm' });
  assert.equal(await store.getBot('bot_x'), undefined);
  await assert.rejects(async () => withBot(store, 'bot_a'), 'a bot id is unique');

  await store.updateBotConfig('bot_a', 'Spa', '{"tone":"brisk"}', 30);
  await store.updateBotOrigins('bot_a', ['https://spa.example'], 31);
  const updated = (await store.getBot('bot_a'))!;
  assert.equal(updated.name, 'Spa');
  assert.deepEqual(JSON.parse(updated.config), { tone: 'brisk' });
  assert.deepEqual(JSON.parse(updated.allowed_origins), ['https://spa.example']);
  assert.equal(updated.updated_at, 31);
});

storeTest('a contact reads back as inserted, with its snapshot, phone and insertion number', async (_t, store) => {
  await withBot(store);
  await withContact(store, 'ct_1', { phone: '+14155550100' });
  await withContact(store, 'ct_2');
  assert.deepEqual(await store.getContact('ct_1'), {
    id: 'ct_1',
    bot_id: BOT,
    name: null,
    phone: '+14155550100',
    email: null,
    timezone: null,
    state: 'active',
    epoch: 0,
    last_channel: 'livechat',
    last_seq: 0,
    tags: (await store.getContact('ct_1'))!.tags,
    assigned_user: null,
    last_template_id: null,
    last_followup_id: null,
    review_at: null,
    review: null,
    language: null,
    created_at: 10,
    updated_at: 10,
  });
  assert.deepEqual(JSON.parse((await store.getContact('ct_1'))!.tags), []);
  assert.deepEqual(await store.getSnapshot('ct_1'), { value: 'active' });
  assert.equal(await store.getSnapshot('ct_x'), undefined);
  assert.equal((await store.getContactByPhone(BOT, '+14155550100'))?.id, 'ct_1');
  assert.equal(await store.getContactByPhone(BOT, '+14155550199'), undefined);
  await assert.rejects(async () => withContact(store, 'ct_3', { phone: '+14155550100' }), 'one phone per bot');

  const first = await store.visitorNumber('ct_1');
  const second = await store.visitorNumber('ct_2');
  assert.ok(first !== null && second !== null && second > first, `numbers ${first}, ${second}`);
  assert.equal(await store.visitorNumber('ct_x'), null);
});

storeTest(
  'contact fields change only where given; tags, assignee, template and language are set',
  async (_t, store) => {
    await withBot(store);
    await withContact(store, 'ct_1');
    await store.updateContactFields('ct_1', { name: 'Ana', timezone: 'Europe/Lisbon' }, 20);
    await store.updateContactFields('ct_1', { email: 'ana@example.com', name: null }, 21);
    await store.setTags('ct_1', ['vip', 'new'], 22);
    await store.setAssignedUser('ct_1', 'op_1', 23);
    await store.setLastTemplate('ct_1', 'tpl_9');
    await store.setLanguage('ct_1', 'pt');
    await store.setLastChannel('ct_1', 'sms');
    const row = (await store.getContact('ct_1'))!;
    assert.equal(row.name, 'Ana', 'null leaves a field as it is');
    assert.equal(row.timezone, 'Europe/Lisbon');
    assert.equal(row.email, 'ana@example.com');
    assert.deepEqual(JSON.parse(row.tags), ['vip', 'new']);
    assert.equal(row.assigned_user, 'op_1');
    assert.equal(row.last_template_id, 'tpl_9');
    assert.equal(row.language, 'pt');
    assert.equal(row.last_channel, 'sms');
    assert.equal(row.updated_at, 23);
  },
);

storeTest('the epoch fence: a save with a stale read epoch writes nothing', async (_t, store) => {
  await withBot(store);
  await withContact(store, 'ct_1', { state: 'awaiting' });
  assert.equal(await store.saveMachineState('ct_1', 'awaiting', 1, { n: 1 }, 50, 'awaiting', 0), true);
  let row = (await store.getContact('ct_1'))!;
  assert.deepEqual([row.state, row.epoch, row.updated_at], ['awaiting', 1, 50]);
  assert.deepEqual(await store.getSnapshot('ct_1'), { n: 1 });

  assert.equal(
    await store.saveMachineState('ct_1', 'booked', 2, { n: 'stale' }, 60, 'awaiting', 0),
    false,
    'read at epoch 0, the row holds 1',
  );
  row = (await store.getContact('ct_1'))!;
  assert.deepEqual([row.state, row.epoch, row.updated_at], ['awaiting', 1, 50]);
  assert.deepEqual(await store.getSnapshot('ct_1'), { n: 1 });

  assert.equal(await store.saveMachineState('ct_1', 'booked', 2, { n: 2 }, 70, 'awaiting', 1), true);
  assert.equal((await store.getContact('ct_1'))!.state, 'booked', 'a changed state is written');
  assert.equal(await store.saveMachineState('ct_1', 'stopped', 2, { n: 3 }, 80), true, 'no fence: always written');
  assert.equal((await store.getContact('ct_1'))!.state, 'stopped');
  assert.equal(await store.saveMachineState('ct_x', 'stopped', 0, {}, 80), false, 'no such contact');
});

storeTest('a save that leaves the state as stored keeps the state and moves the rest', async (_t, store) => {
  await withBot(store);
  await withContact(store, 'ct_1', { state: 'awaiting' });
  assert.equal(await store.saveMachineState('ct_1', 'awaiting', 3, { n: 1 }, 50, 'awaiting'), true);
  const row = (await store.getContact('ct_1'))!;
  assert.deepEqual([row.state, row.epoch, row.updated_at], ['awaiting', 3, 50]);
});

storeTest('messages are numbered per contact in insertion order and read back by page', async (_t, store) => {
  await withBot(store);
  await withContact(store, 'ct_1');
  await withContact(store, 'ct_2');
  const seqs: number[] = [];
  for (let i = 1; i <= 5; i++) {
    seqs.push((await store.insertMessage(message('ct_1', `m1_${i}`, { client_id: `c${i}`, at: 500 + i }))).seq);
    await store.insertMessage(message('ct_2', `m2_${i}`, { sender: 'bot' }));
  }
  assert.deepEqual(seqs, [1, 2, 3, 4, 5]);
  assert.equal((await store.getContact('ct_1'))!.last_seq, 5);
  assert.deepEqual(await store.getMessage('m1_2'), {
    ...message('ct_1', 'm1_2', { client_id: 'c2', at: 502 }),
    seq: 2,
  });
  assert.equal((await store.getMessageByClientId('ct_1', 'c4'))?.id, 'm1_4');
  assert.equal(await store.getMessageByClientId('ct_2', 'c4'), undefined);
  assert.deepEqual(
    (await store.messagesAfter('ct_1', 2, 2)).map((m) => m.seq),
    [3, 4],
  );
  assert.deepEqual(
    (await store.recentMessages('ct_1', 3)).map((m) => m.id),
    ['m1_3', 'm1_4', 'm1_5'],
  );
  await assert.rejects(async () => store.insertMessage(message('ct_x', 'mx')), /contact ct_x not found/);
  await assert.rejects(
    async () => store.insertMessage(message('ct_1', 'm1_6', { client_id: 'c1' })),
    'a client id is stored once per contact',
  );
});

storeTest('a contact message moves its channel’s last inbound time; the latest time wins', async (_t, store) => {
  await withBot(store);
  await withContact(store, 'ct_1');
  assert.deepEqual(await store.lastInboundByChannel('ct_1'), {});
  await store.insertMessage(message('ct_1', 'm1', { sender: 'bot', at: 100 }));
  assert.deepEqual(await store.lastInboundByChannel('ct_1'), {}, 'a bot message is not inbound');
  await store.insertMessage(message('ct_1', 'm2', { at: 200 }));
  await store.insertMessage(message('ct_1', 'm3', { channel: 'sms', at: 300 }));
  await store.insertMessage(message('ct_1', 'm4', { at: 150 })); // stored late, written earlier
  assert.deepEqual(await store.lastInboundByChannel('ct_1'), { livechat: 200, sms: 300 });
});

storeTest('a follow-up message opens a reply window that the next contact message marks, once', async (_t, store) => {
  await withBot(store);
  await withContact(store, 'ct_1');
  assert.equal(await store.insertFollowUp(followUp('ct_1', 'f1')), true);
  await store.insertMessage(message('ct_1', 'm1', { sender: 'bot', followup_id: 'f1', at: 1000 }));
  assert.equal((await store.getContact('ct_1'))!.last_followup_id, 'f1');
  await store.insertMessage(message('ct_1', 'm2', { sender: 'bot', at: 1100 }));
  assert.equal((await store.getFollowUp('f1'))!.replied_at, null, 'a bot message is no reply');
  await store.insertMessage(message('ct_1', 'm3', { at: 1200 }));
  await store.insertMessage(message('ct_1', 'm4', { at: 1300 }));
  assert.equal((await store.getFollowUp('f1'))!.replied_at, 1200, 'the first reply counts');
});

storeTest('a follow-up id is stored once; it finishes only from pending', async (_t, store) => {
  await withBot(store);
  await withContact(store, 'ct_1');
  assert.equal(await store.insertFollowUp(followUp('ct_1', 'f1')), true);
  assert.equal(await store.insertFollowUp({ ...followUp('ct_1', 'f1'), due_at: 9 }), false, 'the id is the key');
  assert.equal((await store.getFollowUp('f1'))!.due_at, 1000);

  assert.equal(await store.retimeFollowUp('f1', 2000, 'quiet hours', 'op_1', 150), true);
  const sent = { channel: 'sms', reason: 'no socket' };
  assert.equal(await store.finishFollowUp('f1', 'sent', null, 2000, sent), true);
  assert.equal(await store.finishFollowUp('f1', 'skipped', 'late', 2100), false, 'sent is final');
  assert.equal(await store.cancelFollowUp('f1', 'reply', null, 2200), false);
  assert.equal(await store.retimeFollowUp('f1', 3000, null, null, 2300), false);
  const row = (await store.getFollowUp('f1'))!;
  assert.deepEqual(
    [row.status, row.due_at, row.defer_reason, row.actor, row.channel, row.channel_reason, row.sent_at],
    ['sent', 2000, 'quiet hours', 'op_1', 'sms', 'no socket', 2000],
  );

  await store.insertFollowUp(followUp('ct_1', 'f2'));
  await store.insertFollowUp(followUp('ct_1', 'f3'));
  await store.insertFollowUp(followUp('ct_1', 'f4'));
  assert.equal(await store.cancelFollowUp('f2', 'operator', 'op_1', 300), true);
  assert.equal(await store.finishFollowUp('f3', 'skipped', 'quiet', 300), true);
  assert.equal((await store.getFollowUp('f3'))!.sent_at, null, 'only a sent follow-up has a send time');
  assert.equal(await store.cancelPendingFollowUps('ct_1', 'reply', null, 400), 1, 'only f4 was pending');
  const f4 = (await store.getFollowUp('f4'))!;
  assert.deepEqual([f4.status, f4.reason, f4.updated_at], ['cancelled', 'reply', 400]);
});

storeTest(
  'a contact’s follow-ups read in creation order, ties of one millisecond in insertion order',
  async (_t, store) => {
    await withBot(store);
    await withContact(store, 'ct_1');
    // Ids that sort the other way round: epoch 10 after epoch 9, in the same millisecond.
    await store.insertFollowUp(followUp('ct_1', 'ct_1:busy:1:9', { created_at: 100 }));
    await store.insertFollowUp(followUp('ct_1', 'ct_1:busy:1:10', { created_at: 100 }));
    await store.insertFollowUp(followUp('ct_1', 'ct_1:timer:0', { created_at: 100, kind: TIMER_KIND.botSilence }));
    await store.insertFollowUp(followUp('ct_1', 'ct_1:busy:2:10', { created_at: 200 }));
    await store.insertFollowUp(followUp('ct_1', 'ct_1:busy:3:10', { created_at: 300 }));
    await store.finishFollowUp('ct_1:busy:1:9', 'sent', null, 150, { channel: 'livechat', reason: 'socket' });
    await store.finishFollowUp('ct_1:busy:1:10', 'cancelled', 'reply', 160);

    assert.deepEqual(
      (await store.followUpsOfContact('ct_1')).map((f) => f.id),
      ['ct_1:busy:1:9', 'ct_1:busy:1:10', 'ct_1:timer:0', 'ct_1:busy:2:10', 'ct_1:busy:3:10'],
    );
    assert.deepEqual(
      (await store.pendingFollowUpsOfContact('ct_1')).map((f) => f.id),
      ['ct_1:busy:2:10', 'ct_1:busy:3:10'],
      'pending of kind followup only',
    );
    const past = await store.latestPastFollowUpsOfContact('ct_1', 1);
    assert.deepEqual([past.rows.map((f) => f.id), past.total], [['ct_1:busy:1:10'], 2]);
    const page = await store.followUpsOfContactPage('ct_1', 1, 2);
    assert.deepEqual([page.rows.map((f) => f.id), page.total], [['ct_1:busy:1:10', 'ct_1:busy:2:10'], 4]);
    assert.equal(await store.lastLiveChatFollowUpSentAt('ct_1'), 150);
    assert.equal(await store.lastLiveChatFollowUpSentAt('ct_x'), null);
  },
);

storeTest('the pending window pages through every pending follow-up once, by due time then id', async (_t, store) => {
  await withBot(store);
  const expected: string[] = [];
  for (let c = 0; c < 6; c++) {
    await withContact(store, `ct_${c}`);
    for (let i = 0; i < 5; i++) {
      const id = `ct_${c}:f${i}`;
      await store.insertFollowUp(followUp(`ct_${c}`, id, { due_at: 1000 + ((c * 7 + i * 3) % 4) * 100 }));
      if (i === 4) await store.finishFollowUp(id, 'fired', null, 1);
      else expected.push(id);
    }
  }
  const due = new Map<string, number>();
  for (let c = 0; c < 6; c++) for (const f of await store.followUpsOfContact(`ct_${c}`)) due.set(f.id, f.due_at);
  expected.sort((a, b) => due.get(a)! - due.get(b)! || (a < b ? -1 : 1));

  const first = await store.pendingWindow(7);
  assert.deepEqual(
    first.map((ref) => ref.id),
    expected.slice(0, 7),
  );
  assert.deepEqual(Object.keys(first[0]).sort(), ['contact_id', 'due_at', 'id']);
  const seen = [...first];
  for (let last = first.at(-1)!; ;) {
    const next = await store.pendingAfter(last.due_at, last.id, 7);
    if (next.length === 0) break;
    seen.push(...next);
    last = next.at(-1)!;
  }
  assert.deepEqual(
    seen.map((ref) => ref.id),
    expected,
  );
});

storeTest('an outbox idempotency key is queued once', async (_t, store) => {
  await withBot(store);
  await withContact(store, 'ct_1');
  const row = {
    idempotency_key: 'ct_1:stoppedReplying:1:0',
    bot_id: BOT,
    contact_id: 'ct_1',
    channel: 'sms',
    recipient: '+14155550100',
    body: 'Still there?',
    meta: '{"followUpId":"f1"}',
    next_attempt_at: 100,
    created_at: 100,
    updated_at: 100,
  };
  assert.equal(await store.insertOutbox(row), true);
  assert.equal(await store.insertOutbox({ ...row, body: 'again' }), false);
  assert.equal(await store.insertOutbox({ ...row, idempotency_key: 'other' }), true);
  const queued = await store.outboxOfContact('ct_1');
  assert.deepEqual(
    queued.map((r) => [r.idempotency_key, r.body, r.status, r.attempts, r.claimed_at]),
    [
      ['ct_1:stoppedReplying:1:0', 'Still there?', 'pending', 0, null],
      ['other', 'Still there?', 'pending', 0, null],
    ],
  );
  assert.ok(queued[0].id < queued[1].id);
  assert.deepEqual(JSON.parse(queued[0].meta!), { followUpId: 'f1' });
});

storeTest('the transition log reads each event whole, its policy stored once', async (_t, store) => {
  await withBot(store);
  await withContact(store, 'ct_1');
  assert.equal(await store.lastTransitionSeq('ct_1'), 0);
  const policy = '{"cadence":[60,1440]}';
  await store.insertPolicy('pol_1', policy);
  await store.insertPolicy('pol_1', '{"ignored":true}');
  for (let seq = 1; seq <= 4; seq++) {
    await store.insertTransition({
      contact_id: 'ct_1',
      seq,
      event: JSON.stringify({ type: 'inbound', n: seq }),
      policy_id: seq % 2 ? 'pol_1' : null,
      from_state: 'active',
      to_state: 'awaiting',
      actions: '["schedule"]',
      at: 100 * seq,
    });
  }
  assert.equal(await store.lastTransitionSeq('ct_1'), 4);
  await assert.rejects(
    async () =>
      store.insertTransition({
        contact_id: 'ct_1',
        seq: 4,
        event: '{}',
        policy_id: null,
        from_state: 'a',
        to_state: 'b',
        actions: '[]',
        at: 0,
      }),
    'one entry per seq',
  );
  const log = await store.transitionsOfContact('ct_1');
  assert.deepEqual(
    log.map((entry) => JSON.parse(entry.event)),
    [
      { type: 'inbound', n: 1, policy: { cadence: [60, 1440] } },
      { type: 'inbound', n: 2 },
      { type: 'inbound', n: 3, policy: { cadence: [60, 1440] } },
      { type: 'inbound', n: 4 },
    ],
  );
  assert.deepEqual(JSON.parse(log[0].actions), ['schedule']);
  assert.deepEqual(
    (await store.transitionsAfter('ct_1', 1, 2)).map((entry) => [entry.seq, entry.at, entry.to_state]),
    [
      [2, 200, 'awaiting'],
      [3, 300, 'awaiting'],
    ],
  );
  assert.equal(await store.prunedHistory('ct_1'), null);
});

storeTest('a log entry is appended as the contact’s next seq, its policy stored once', async (_t, store) => {
  await withBot(store);
  await withContact(store, 'ct_1');
  await withContact(store, 'ct_2');
  const entry = (contactId: string, n: number, policyId: string | null) => ({
    contact_id: contactId,
    event: JSON.stringify({ type: 'tick', n }),
    policy_id: policyId,
    from_state: 'active',
    to_state: 'active',
    actions: '[]',
    at: n,
  });
  const policy = { id: 'pol_1', json: '{"quiet":true}' };
  assert.equal(await store.appendTransition(entry('ct_1', 1, 'pol_1'), policy), 1);
  assert.equal(await store.appendTransition(entry('ct_2', 2, null), null), 1, 'numbered per contact');
  assert.equal(await store.appendTransition(entry('ct_1', 3, 'pol_1'), policy), 2);
  assert.equal(await store.appendTransition(entry('ct_1', 4, null), null), 3);
  assert.deepEqual(
    (await store.transitionsOfContact('ct_1')).map((row) => [row.seq, JSON.parse(row.event)]),
    [
      [1, { type: 'tick', n: 1, policy: { quiet: true } }],
      [2, { type: 'tick', n: 3, policy: { quiet: true } }],
      [3, { type: 'tick', n: 4 }],
    ],
  );
  assert.equal(await store.lastTransitionSeq('ct_1'), 3);
});

storeTest('the review list holds contacts with a pending review, held longest first', async (_t, store) => {
  await withBot(store);
  await withBot(store, 'bot_2');
  for (let i = 0; i < 8; i++) await withContact(store, `ct_${i}`, { botId: i % 2 ? 'bot_2' : BOT });
  await store.setReview('ct_4', { at: 300, json: '{"messageId":"m4"}' });
  await store.setReview('ct_2', { at: 100, json: '{"messageId":"m2"}' });
  await store.setReview('ct_1', { at: 50, json: '{"messageId":"m1"}' }); // another bot's
  await store.setReview('ct_6', { at: 200, json: '{"messageId":"m6"}' });
  await store.setReview('ct_6', null);
  const page = await store.contactsNeedingReview(BOT, 0, 10);
  assert.deepEqual(
    page.rows.map((row) => [row.id, row.review_at, JSON.parse(row.review!)]),
    [
      ['ct_2', 100, { messageId: 'm2' }],
      ['ct_4', 300, { messageId: 'm4' }],
    ],
  );
  assert.equal(page.total, 2);
  const second = await store.contactsNeedingReview(BOT, 1, 10);
  assert.deepEqual([second.rows.map((row) => row.id), second.total], [['ct_4'], 2]);
  assert.equal((await store.getContact('ct_6'))!.review, null);
});

storeTest('a setting is stored under its key and overwritten', async (_t, store) => {
  assert.equal(await store.getKv('k'), undefined);
  await store.setKv('k', 'one');
  await store.setKv('k', 'two');
  assert.equal(await store.getKv('k'), 'two');
});
