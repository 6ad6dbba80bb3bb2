/** The Response Info panel's data: state, scheduled follow-ups with triggers, history, conversation. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { client, contactSaying, createOperator, startConsoleServer } from './helpers.ts';

describe('Response Info', () => {
  test('a contact who asked for a time: the scheduled follow-up, its trigger, zones, channel, history', async (t) => {
    const server = await startConsoleServer(t, { config: { timezone: 'Europe/Paris' } });
    const http = client(server.url);
    const id = await contactSaying(
      server,
      { name: 'Ana Lima', timezone: 'America/New_York', email: 'ana@example.com' },
      'hi there',
      'call me at+90',
    );

    const info = (await http.get(`/api/contacts/${id}/info`)).body;
    assert.equal(info.state, 'scheduled');
    assert.equal(info.scenario, 'requestedTime');
    assert.deepEqual(info.zones, {
      business: 'Europe/Paris',
      contact: 'America/New_York',
      contactZoneSource: 'contact',
    });
    assert.equal(info.pendingFollowUps.length, 1);
    const f = info.pendingFollowUps[0];
    assert.equal(f.scenario, 'requestedTime');
    assert.equal(f.step, 1);
    assert.equal(f.stepsInCadence, 2);
    assert.equal(f.dueAt, '2026-01-05T10:30:00.000Z');
    assert.equal(f.dueInBusinessZone.local, 'Mon 5 Jan 2026 11:30 GMT+1');
    assert.equal(f.dueInContactZone.local, 'Mon 5 Jan 2026 05:30 EST');
    assert.equal(f.messageMode, 'ai');
    // What triggered it: the message and its classification.
    assert.equal(f.trigger.text, 'call me at+90');
    assert.equal(f.trigger.from, 'contact');
    assert.equal(f.trigger.classification.intent, 'request_time');
    assert.equal(f.trigger.classification.phrase, 'at+90');
    assert.equal(f.prediction.channel, 'livechat');
    assert.equal(f.prediction.outcome, 'send');
    assert.equal(f.projected.length, 1, 'step 2 follows a day later, inside 72 h');
    assert.equal(f.projected[0].dueAt, '2026-01-06T10:30:00.000Z');
    assert.equal(info.context.requested.phrase, 'at+90');
    assert.deepEqual(
      info.conversation.messages.map((m: any) => [m.from, m.text]),
      [
        ['contact', 'hi there'],
        ['contact', 'call me at+90'],
      ],
    );
    assert.equal(info.conversation.messages[1].classification.intent, 'request_time');
    assert.ok(info.transitions.entries.some((e: any) => e.to === 'scheduled'));
    assert.equal(info.links.visualizer, `/viz#contact=${id}`);

    // An operator reschedules, then cancels: both recorded with who did it.
    const op = await createOperator(server, 'Olga', [server.botId]);
    const asOp = client(server.url, op.token);
    const fid = encodeURIComponent(f.id);
    const moved = await asOp.post(`/api/followups/${fid}/reschedule`, { at: '2026-01-05T15:00:00Z' });
    assert.equal(moved.status, 200, moved.text);
    let after = (await http.get(`/api/contacts/${id}/info`)).body;
    assert.equal(after.pendingFollowUps[0].dueAt, '2026-01-05T15:00:00.000Z');
    assert.equal(after.pendingFollowUps[0].actor, op.id);
    assert.equal(after.pendingFollowUps[0].operatorTimed, true);
    assert.equal((await asOp.post(`/api/followups/${fid}/cancel`)).status, 200);
    after = (await http.get(`/api/contacts/${id}/info`)).body;
    assert.equal(after.pendingFollowUps.length, 0);
    assert.equal(after.history.length, 1);
    assert.deepEqual(
      { status: after.history[0].status, reason: after.history[0].reason, actor: after.history[0].actor },
      { status: 'cancelled', reason: 'operator_cancelled', actor: op.id },
    );
    assert.equal(after.history[0].trigger.text, 'call me at+90', 'the trigger stays visible in the history');
    assert.equal((await asOp.post(`/api/followups/${fid}/cancel`)).status, 409, 'not pending any more');
  });

  test('sent and skipped follow-ups with reasons; takeover and hand-back; presence decides the channel now', async (t) => {
    const server = await startConsoleServer(t, {
      config: { scenarios: { busy: { cadence: [{ delay: '10m' }, { delay: '1h' }] } } },
    });
    const http = client(server.url);
    const id = await contactSaying(server, { name: 'Bo', phone: '+14155550199' }, 'busy driving');
    server.presence.open.add(id); // the widget is open when step 1 falls due: it goes by live chat
    await server.advance(10 * 60_000);
    server.presence.open.delete(id);
    let info = (await http.get(`/api/contacts/${id}/info`)).body;
    assert.equal(info.history[0].status, 'sent');
    assert.equal(info.history[0].scenario, 'busy');
    assert.equal(info.history[0].step, 1);
    assert.ok(
      info.conversation.messages.some(
        (m: any) => m.text === 'follow-up busy #1' && m.followUpId === info.history[0].id,
      ),
    );
    assert.equal(info.pendingFollowUps[0].step, 2);

    // The widget is open but the live-chat follow-up went unanswered: the next one switches to SMS.
    assert.equal(info.pendingFollowUps[0].prediction.channel, 'sms');
    assert.match(info.pendingFollowUps[0].prediction.channelReason, /no reply to the last live-chat follow-up/);

    // Presence decides a follow-up due now: widget open → live chat; closed → SMS.
    const cy = await contactSaying(server, { name: 'Cy', phone: '+14155550198' }, 'busy');
    const cyInfo = (await http.get(`/api/contacts/${cy}/info`)).body;
    await http.post(`/api/followups/${encodeURIComponent(cyInfo.pendingFollowUps[0].id)}/reschedule`, {
      at: new Date(server.clock.now()).toISOString(),
    });
    server.presence.open.add(cy);
    let cyNow = (await http.get(`/api/contacts/${cy}/info`)).body;
    assert.equal(cyNow.presence, 'open');
    assert.deepEqual(
      [cyNow.pendingFollowUps[0].prediction.channel, cyNow.pendingFollowUps[0].prediction.presence],
      ['livechat', 'open'],
    );
    server.presence.open.delete(cy);
    cyNow = (await http.get(`/api/contacts/${cy}/info`)).body;
    assert.deepEqual(
      [cyNow.pendingFollowUps[0].prediction.channel, cyNow.pendingFollowUps[0].prediction.presence],
      ['sms', 'closed'],
    );

    // An operator writes: takeover disarms follow-ups (human_active); hand-back resumes.
    const takeover = await http.post(`/api/contacts/${id}/messages/outbound`, {
      text: 'Hi Bo, Sam here',
      sender: 'operator',
    });
    assert.equal(takeover.status, 201);
    info = (await http.get(`/api/contacts/${id}/info`)).body;
    assert.equal(info.humanActive, true);
    assert.equal(info.pendingFollowUps.length, 0);
    assert.ok(info.history.some((h: any) => h.status === 'cancelled' && h.reason === 'human_active'));
    await http.post(`/api/contacts/${id}/handback`);
    info = (await http.get(`/api/contacts/${id}/info`)).body;
    assert.equal(info.humanActive, false);
    assert.equal(info.pendingFollowUps.length, 1);
    assert.equal(info.pendingFollowUps[0].scenario, 'stoppedReplying');
  });

  test('a bot message with the booking URL marks "booking link sent" and follow-ups continue', async (t) => {
    const server = await startConsoleServer(t, { config: { bookingUrl: 'https://cal.example.com/salon' } });
    const http = client(server.url);
    const id = await contactSaying(server, { name: 'Di' }, 'do you have time on friday?');
    let info = (await http.get(`/api/contacts/${id}/info`)).body;
    assert.equal(info.context.bookingLinkSent, false);
    await http.post(`/api/contacts/${id}/messages/outbound`, {
      text: 'Sure! Pick a slot: https://cal.example.com/salon',
      sender: 'bot',
    });
    info = (await http.get(`/api/contacts/${id}/info`)).body;
    assert.equal(info.context.bookingLinkSent, true);
    assert.equal(info.state, 'awaiting');
    assert.equal(info.pendingFollowUps.length, 1, 'keeps following up until the contact books');
    await http.post(`/api/contacts/${id}/messages/inbound`, { text: 'booked it, thanks' });
    info = (await http.get(`/api/contacts/${id}/info`)).body;
    assert.equal(info.state, 'booked');
    assert.equal(info.pendingFollowUps.length, 0);
  });
});
