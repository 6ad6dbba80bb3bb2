import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClock } from '../../src/clock.ts';
import { PAST_FOLLOWUPS_IN_DETAIL } from '../../src/http/views.ts';
import { settle } from '../helpers/core.ts';
import { api, makeServer } from '../helpers/server.ts';

const MIN = 60_000;

function counts(server: Awaited<ReturnType<typeof makeServer>>) {
  const db = server.services.db;
  const n = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    bots: n('bots'),
    contacts: n('contacts'),
    messages: n('messages'),
    followups: n('followups'),
    transitions: n('transitions'),
    outbox: n('outbox'),
  };
}

describe('HTTP API', () => {
  test('drives a contact end to end and shows state, follow-ups with triggers, and the log', async (t) => {
    const clock = new FakeClock('2026-01-05T09:00:00Z');
    const server = await makeServer(t, { clock });
    const http = api(server);
    const health = await fetch(`${server.url}/api/health`).then((r) => r.json());
    assert.equal(health.status, 'ok');

    const bots = await http.get('/api/bots');
    assert.equal(bots.status, 200);
    assert.equal(bots.body.bots.length, 1, 'the demo bot exists');
    const botId = server.demoBotId;

    const patch = await http.patch(`/api/bots/${botId}/config`, {
      scenarios: { stoppedReplying: { cadence: [{ delay: '5m' }, { delay: '15m' }] } },
    });
    assert.equal(patch.status, 200, JSON.stringify(patch.body));

    const created = await http.post(`/api/bots/${botId}/contacts`, {
      name: 'Ana Lima',
      email: 'ana@example.com',
      timezone: 'America/Los_Angeles',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const contactId = created.body.id;

    const inbound = await http.post(`/api/contacts/${contactId}/messages/inbound`, {
      text: 'do you have slots?',
      clientId: 'c-1',
    });
    assert.equal(inbound.status, 201);
    assert.equal(inbound.body.state, 'active');
    const again = await http.post(`/api/contacts/${contactId}/messages/inbound`, {
      text: 'do you have slots?',
      clientId: 'c-1',
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);

    const bot = await http.post(`/api/contacts/${contactId}/messages/outbound`, {
      text: 'Yes! Tomorrow 10am?',
      sender: 'bot',
    });
    assert.equal(bot.status, 201);
    assert.equal(bot.body.state, 'awaiting');

    let detail = await http.get(`/api/contacts/${contactId}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.state, 'awaiting');
    assert.equal(detail.body.pendingFollowUps.length, 1);
    const pending = detail.body.pendingFollowUps[0];
    assert.equal(pending.scenario, 'stoppedReplying');
    assert.equal(pending.step, 1);
    assert.equal(pending.dueAt, new Date(clock.now() + 5 * MIN).toISOString());
    assert.equal(pending.trigger.text, 'Yes! Tomorrow 10am?');
    assert.equal(pending.dueInContactZone.zone, 'America/Los_Angeles');

    clock.advance(5 * MIN);
    await settle(server.services);
    detail = await http.get(`/api/contacts/${contactId}`);
    assert.equal(detail.body.pastFollowUps[0].status, 'sent');
    assert.equal(detail.body.pendingFollowUps[0].step, 2);

    const booked = await http.post(`/api/contacts/${contactId}/booked`);
    assert.equal(booked.status, 200);
    assert.equal(booked.body.state, 'booked');
    detail = await http.get(`/api/contacts/${contactId}`);
    assert.equal(detail.body.pendingFollowUps.length, 0);
    assert.equal(detail.body.pastFollowUps.find((f: any) => f.step === 2).reason, 'booked');

    const log = await http.get(`/api/contacts/${contactId}/transitions`);
    assert.deepEqual(
      log.body.transitions.map((x: any) => [x.event.type, x.from, x.to]),
      [
        ['CONTACT_MESSAGE', 'active', 'active'],
        ['BOT_MESSAGE', 'active', 'awaiting'],
        ['FOLLOWUP_DUE', 'awaiting', 'awaiting'],
        ['APPOINTMENT_BOOKED', 'awaiting', 'booked'],
      ],
    );
    // A page at a time: after the last seq read, up to limit entries.
    const first = await http.get(`/api/contacts/${contactId}/transitions?limit=3`);
    assert.deepEqual(
      first.body.transitions.map((x: any) => x.seq),
      [1, 2, 3],
    );
    const rest = await http.get(`/api/contacts/${contactId}/transitions?after=3&limit=3`);
    assert.deepEqual(
      rest.body.transitions.map((x: any) => [x.seq, x.event.type]),
      [[4, 'APPOINTMENT_BOOKED']],
    );
    for (const bad of ['limit=0', 'limit=1001', 'after=-1', 'after=x', 'page=2']) {
      const res = await http.get(`/api/contacts/${contactId}/transitions?${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error.code, 'invalid_request', bad);
    }
    const messages = await http.get(`/api/contacts/${contactId}/messages`);
    assert.equal(messages.body.messages.length, 3);
  });

  test(`a contact's detail carries its latest ${PAST_FOLLOWUPS_IN_DETAIL} past follow-ups and their total; all of them page through /followups`, async (t) => {
    const server = await makeServer(t, { clock: new FakeClock('2026-01-05T09:00:00Z') });
    const http = api(server);
    const contactId = (await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: 'Chatty' })).body.id;
    // Every bot reply arms the stopped-replying cadence; every contact reply cancels it.
    const pairs = PAST_FOLLOWUPS_IN_DETAIL + 10;
    for (let i = 0; i < pairs; i++) {
      await http.post(`/api/contacts/${contactId}/messages/outbound`, { text: `Reply ${i}`, sender: 'bot' });
      await http.post(`/api/contacts/${contactId}/messages/inbound`, { text: `thanks ${i}` });
    }
    await http.post(`/api/contacts/${contactId}/messages/outbound`, { text: 'Anything else?', sender: 'bot' });
    const all = server.services.store.followUpsOfContact(contactId).filter((f) => f.kind === 'followup');
    const past = all.filter((f) => f.status !== 'pending');
    assert.equal(past.length, pairs, 'one cancelled follow-up a pair');

    const detail = (await http.get(`/api/contacts/${contactId}`)).body;
    assert.equal(detail.pastFollowUpsTotal, pairs);
    assert.deepEqual(
      detail.pastFollowUps.map((f: any) => f.id),
      past.slice(-PAST_FOLLOWUPS_IN_DETAIL).map((f) => f.id),
      'the latest, oldest first',
    );
    assert.deepEqual(
      detail.pendingFollowUps.map((f: any) => f.id),
      all.filter((f) => f.status === 'pending').map((f) => f.id),
    );
    assert.equal(detail.pastFollowUps.at(-1).trigger.text, `Reply ${pairs - 1}`, 'with the message that armed it');

    const pages: any[] = [];
    for (let offset = 0; ; offset += 25) {
      const page = (await http.get(`/api/contacts/${contactId}/followups?offset=${offset}&limit=25`)).body;
      assert.deepEqual([page.total, page.offset, page.limit], [all.length, offset, 25]);
      pages.push(...page.followUps);
      if (page.followUps.length < 25) break;
    }
    assert.deepEqual(
      pages.map((f) => [f.id, f.status]),
      all.map((f) => [f.id, f.status]),
      'every follow-up once, in creation order',
    );
    assert.deepEqual(pages.at(-1), detail.pendingFollowUps[0], 'the same view as the detail');
    for (const bad of ['limit=0', 'limit=1001', 'offset=-1', 'offset=x', 'after=2']) {
      const res = await http.get(`/api/contacts/${contactId}/followups?${bad}`);
      assert.deepEqual([res.status, res.body.error.code], [400, 'invalid_request'], bad);
    }
    assert.equal((await http.get('/api/contacts/ct_missing/followups')).status, 404);
  });

  test('operator control: cancel, reschedule and send-now one follow-up, recorded with who', async (t) => {
    const clock = new FakeClock('2026-01-05T09:00:00Z');
    const server = await makeServer(t, { clock });
    const http = api(server);
    const botId = server.demoBotId;
    await http.patch(`/api/bots/${botId}/config`, {
      scenarios: { stoppedReplying: { cadence: [{ delay: '1h' }, { delay: '1h' }] } },
    });
    const contactId = (await http.post(`/api/bots/${botId}/contacts`, {})).body.id;
    await http.post(`/api/contacts/${contactId}/messages/inbound`, { text: 'hi' });
    await http.post(`/api/contacts/${contactId}/messages/outbound`, { text: 'hello' });
    let detail = (await http.get(`/api/contacts/${contactId}`)).body;
    const id = detail.pendingFollowUps[0].id;
    const at = new Date(clock.now() + 3 * 60 * MIN).toISOString();
    const moved = await http.post(`/api/followups/${encodeURIComponent(id)}/reschedule`, { at });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.pendingFollowUps[0].dueAt, at);
    assert.equal(moved.body.pendingFollowUps[0].actor, 'admin');
    const now = await http.post(`/api/followups/${encodeURIComponent(id)}/send-now`);
    assert.equal(now.status, 200);
    clock.advance(1);
    await settle(server.services);
    detail = (await http.get(`/api/contacts/${contactId}`)).body;
    assert.equal(detail.pastFollowUps[0].status, 'sent');
    const next = detail.pendingFollowUps[0].id;
    const cancelled = await http.post(`/api/followups/${encodeURIComponent(next)}/cancel`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.pastFollowUps.find((f: any) => f.id === next).reason, 'operator_cancelled');
    assert.equal(cancelled.body.pastFollowUps.find((f: any) => f.id === next).actor, 'admin');
    const twice = await http.post(`/api/followups/${encodeURIComponent(next)}/cancel`);
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'conflict');
  });

  test("an operator's cancel and reschedule reach the machine: snapshot, history and badge agree with the rows", async (t) => {
    const clock = new FakeClock('2026-01-05T09:00:00Z');
    const server = await makeServer(t, { clock });
    const http = api(server);
    const botId = server.demoBotId;
    const contactId = (await http.post(`/api/bots/${botId}/contacts`, { timezone: 'UTC' })).body.id;
    const asked = await http.post(`/api/contacts/${contactId}/messages/inbound`, {
      text: 'call me at+300',
    });
    assert.equal(asked.body.state, 'scheduled', JSON.stringify(asked.body));
    let detail = (await http.get(`/api/contacts/${contactId}`)).body;
    const armed = detail.context.timer;
    assert.equal(armed.id, detail.pendingFollowUps[0].id);

    // Reschedule: the snapshot's timer moves with the row, same id.
    const at = new Date(clock.now() + 48 * 60 * MIN).toISOString();
    const moved = await http.post(`/api/followups/${encodeURIComponent(armed.id)}/reschedule`, { at });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual([moved.body.context.timer.id, moved.body.context.timer.dueAt], [armed.id, at]);

    // Cancel: no timer in the snapshot, the state kept, and the visualizer's history agrees.
    const cancelled = await http.post(`/api/followups/${encodeURIComponent(armed.id)}/cancel`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.state, 'scheduled');
    assert.equal(cancelled.body.context.timer, null);
    assert.deepEqual(cancelled.body.pendingFollowUps, []);
    const history = (await http.get(`/api/contacts/${contactId}/history`)).body;
    assert.equal(history.final.stored.context.timer, null, 'the stored snapshot holds no timer');
    assert.equal(history.final.replayed.context.timer, null, 'the replay agrees');
    assert.equal(history.mismatchCount, 0);
    assert.deepEqual(history.pendingTimers, []);
    const types = history.entries.map((e: any) => e.type);
    assert.deepEqual(types.slice(-2), ['FOLLOWUP_RETIMED', 'FOLLOWUP_CANCELLED']);
    assert.equal(history.entries.at(-1).payload.operatorId, 'admin');

    // The contacts list (the console's badge) shows the state with nothing pending.
    const listed = (await http.get(`/api/bots/${botId}/contacts`)).body.contacts.find((c: any) => c.id === contactId);
    assert.deepEqual([listed.state, listed.nextFollowUp ?? null], ['scheduled', null]);

    // The cancelled follow-up never fires, even at its time.
    clock.advance(49 * 60 * MIN);
    await settle(server.services);
    detail = (await http.get(`/api/contacts/${contactId}`)).body;
    assert.equal(detail.pastFollowUps.find((f: any) => f.id === armed.id).status, 'cancelled');
    const messages = (await http.get(`/api/contacts/${contactId}/messages`)).body.messages;
    assert.equal(messages.filter((m: any) => m.followUpId).length, 0, 'nothing was sent');
  });

  test('the bot-silence timer cannot be cancelled: 409 with the reason, the contact unchanged', async (t) => {
    const server = await makeServer(t, { clock: new FakeClock('2026-01-05T09:00:00Z') });
    const http = api(server);
    const contactId = (await http.post(`/api/bots/${server.demoBotId}/contacts`, {})).body.id;
    await http.post(`/api/contacts/${contactId}/messages/inbound`, { text: 'hello?' });
    const before = (await http.get(`/api/contacts/${contactId}`)).body;
    assert.equal(before.context.timer.kind, 'fallthrough');
    const refused = await http.post(`/api/followups/${encodeURIComponent(before.context.timer.id)}/cancel`);
    assert.deepEqual([refused.status, refused.body.error.code], [409, 'conflict']);
    assert.match(refused.body.error.message, /bot-silence/);
    const after = (await http.get(`/api/contacts/${contactId}`)).body;
    assert.deepEqual(after.context.timer, before.context.timer);
  });

  test('health reports storage: group commits and the background WAL checkpoints that follow them', async (t) => {
    const server = await makeServer(t, { clock: new FakeClock('2026-01-05T09:00:00Z') });
    const http = api(server);
    const before = (await fetch(`${server.url}/api/health`).then((r) => r.json())).storage;
    assert.equal(before.checkpoints, 'background');
    const postedAt = Date.now();
    const created = await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: 'Bo' });
    const inbound = await http.post(`/api/contacts/${created.body.id}/messages/inbound`, { text: 'hello?' });
    assert.equal(inbound.status, 201);
    // Each commit asks the worker for a checkpoint; poll until its answer is in.
    let storage = before;
    for (
      let i = 0;
      i < 200 &&
      !(
        storage.commits > before.commits &&
        Date.parse(storage.lastCheckpointAt ?? '') >= postedAt &&
        storage.walFrames > 0
      );
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      storage = (await fetch(`${server.url}/api/health`).then((r) => r.json())).storage;
    }
    assert.ok(storage.commits > before.commits && storage.writes >= storage.commits, JSON.stringify(storage));
    assert.ok(storage.walFrames > 0 && storage.walFramesCopied === storage.walFrames, JSON.stringify(storage));
    assert.match(storage.lastCheckpointAt, /^\d{4}-\d\d-\d\dT/);
    assert.equal(storage.checkpointErrors, 0);
    assert.equal(storage.commitWaits, 0);
  });

  test('auth is required everywhere under /api except health', async (t) => {
    const server = await makeServer(t);
    const anon = api(server, null);
    const wrong = api(server, 'nope');
    const paths: [string, string][] = [
      ['GET', '/api/bots'],
      ['POST', '/api/bots'],
      ['GET', `/api/bots/${server.demoBotId}`],
      ['PATCH', `/api/bots/${server.demoBotId}/config`],
      ['POST', `/api/bots/${server.demoBotId}/contacts`],
      ['GET', `/api/bots/${server.demoBotId}/contacts`],
      ['GET', '/api/contacts/x'],
      ['POST', '/api/contacts/x/messages/inbound'],
      ['POST', '/api/followups/x/cancel'],
    ];
    for (const [method, path] of paths) {
      for (const client of [anon, wrong]) {
        const r = await client.raw(method, path, method === 'GET' ? undefined : {});
        assert.equal(r.status, 401, `${method} ${path}`);
        assert.equal(r.body.error.code, 'unauthorized');
      }
    }
  });

  test('every bad input gets a clear 4xx JSON error and stores nothing', async (t) => {
    const server = await makeServer(t);
    const http = api(server);
    const botId = server.demoBotId;
    const contactId = (await http.post(`/api/bots/${botId}/contacts`, { name: 'Bo' })).body.id;
    await http.post(`/api/contacts/${contactId}/messages/inbound`, { text: 'hi' });
    const before = counts(server);
    const configBefore = server.services.store.getBot(botId)!.config;

    const cases: [string, string, unknown, number, string][] = [
      ['POST', `/api/contacts/${contactId}/messages/inbound`, '{"text": ', 400, 'invalid_json'],
      ['POST', `/api/contacts/${contactId}/messages/inbound`, {}, 400, 'invalid_request'],
      ['POST', `/api/contacts/${contactId}/messages/inbound`, { text: '' }, 400, 'invalid_request'],
      ['POST', `/api/contacts/${contactId}/messages/inbound`, { text: 42 }, 400, 'invalid_request'],
      ['POST', `/api/contacts/${contactId}/messages/inbound`, { text: 'x'.repeat(5000) }, 400, 'invalid_request'],
      ['POST', `/api/contacts/${contactId}/messages/inbound`, { text: 'hi', extra: 1 }, 400, 'invalid_request'],
      [
        'POST',
        `/api/contacts/${contactId}/messages/inbound`,
        { text: 'hi', channel: 'pigeon' },
        400,
        'invalid_request',
      ],
      ['POST', `/api/contacts/nope/messages/inbound`, { text: 'hi' }, 404, 'not_found'],
      ['POST', `/api/contacts/${contactId}/messages/outbound`, { text: 'hi', sender: 'robot' }, 400, 'invalid_request'],
      ['POST', `/api/bots/${botId}/contacts`, { phone: '12' }, 400, 'invalid_request'],
      ['POST', `/api/bots/${botId}/contacts`, { email: 'not-an-email' }, 400, 'invalid_request'],
      ['POST', `/api/bots/${botId}/contacts`, { timezone: 'Mars/Olympus' }, 400, 'invalid_request'],
      ['POST', `/api/bots/nope/contacts`, {}, 404, 'not_found'],
      [
        'PATCH',
        `/api/bots/${botId}/config`,
        { scenarios: { busy: { cadence: [{ delay: '10s' }] } } },
        400,
        'invalid_config',
      ],
      ['PATCH', `/api/bots/${botId}/config`, { surprise: true }, 400, 'invalid_config'],
      [
        'PATCH',
        `/api/bots/${botId}/config`,
        { scenarios: { busy: { workflow: [{ type: 'startBot', botId: 'x' }] } } },
        400,
        'invalid_config',
      ],
      [
        'PATCH',
        `/api/bots/${botId}/config`,
        { workingHours: { mon: [{ start: '18:00', end: '09:00' }] } },
        400,
        'invalid_config',
      ],
      ['PATCH', `/api/bots/${botId}/config`, [1, 2], 400, 'invalid_request'],
      ['POST', `/api/contacts/${contactId}/booked`, { surprise: 1 }, 400, 'invalid_request'],
      ['POST', `/api/followups/nope/cancel`, undefined, 404, 'not_found'],
      ['POST', `/api/followups/nope/reschedule`, { at: 'tomorrow' }, 404, 'not_found'],
      ['GET', `/api/bots/${botId}/contacts?limit=0`, undefined, 400, 'invalid_request'],
      ['GET', `/api/nowhere`, undefined, 404, 'not_found'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await http.raw(method, path, body);
      assert.equal(
        r.status,
        status,
        `${method} ${path} ${JSON.stringify(body)?.slice(0, 60)} → ${JSON.stringify(r.body)}`,
      );
      assert.equal(r.body.error.code, code, `${method} ${path}`);
      assert.ok(typeof r.body.error.message === 'string' && r.body.error.message.length > 5);
    }
    const delayError = await http.patch(`/api/bots/${botId}/config`, {
      scenarios: { busy: { cadence: [{ delay: '10s' }] } },
    });
    assert.match(JSON.stringify(delayError.body.error.details), /scenarios\.busy\.cadence\.0\.delay/);
    const workflowError = await http.patch(`/api/bots/${botId}/config`, {
      scenarios: { busy: { workflow: [{ type: 'startBot', botId: 'x' }] } },
    });
    assert.match(workflowError.body.error.message, /never start another bot/);
    const big = await http.raw(
      'POST',
      `/api/contacts/${contactId}/messages/inbound`,
      JSON.stringify({ text: 'x'.repeat(300_000) }),
    );
    assert.equal(big.status, 413);
    const form = await fetch(`${server.url}/api/contacts/${contactId}/messages/inbound`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-token', 'content-type': 'text/plain' },
      body: 'hello',
    });
    assert.equal(form.status, 415);

    assert.deepEqual(counts(server), before, 'a rejected request stored nothing');
    assert.equal(server.services.store.getBot(botId)!.config, configBefore, 'config unchanged');
  });
});
