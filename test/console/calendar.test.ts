/** The signed calendar webhook: booked / cancelled / rescheduled move the contact; bad input is refused. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signCalendarBody } from '../../src/console/calendar.ts';
import { client, contactSaying, startConsoleServer, type ConsoleServer } from './helpers.ts';

async function post(
  server: ConsoleServer,
  botId: string,
  body: unknown,
  options: { secret?: string; timestamp?: number | string; headers?: Record<string, string>; raw?: string } = {},
) {
  const text = options.raw ?? JSON.stringify(body);
  const signed = options.secret ? signCalendarBody(options.secret, text, options.timestamp ?? server.clock.now()) : {};
  const res = await fetch(`${server.url}/webhooks/calendar/${botId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed, ...(options.headers ?? {}) },
    body: text,
  });
  const out = await res.text();
  return { status: res.status, body: out ? JSON.parse(out) : null };
}

describe('calendar webhook', () => {
  test('a signed booking moves the contact to booked; cancellation moves it back; repeats are harmless', async (t) => {
    const server = await startConsoleServer(t);
    const http = client(server.url);
    const secret = (await http.get(`/api/bots/${server.botId}/secrets`)).body.calendar.secret as string;
    assert.match(secret, /^ncal_/);
    const ana = await contactSaying(
      server,
      { name: 'Ana', email: 'Ana@Example.com', phone: '+14155550123' },
      'busy at work',
    );
    assert.equal((await http.get(`/api/contacts/${ana}`)).body.pendingFollowUps.length, 1);

    const booked = await post(
      server,
      server.botId,
      {
        event: 'booked',
        eventId: 'evt-1',
        email: 'ana@example.com',
        startsAt: '2026-01-07T15:00:00Z',
        title: 'Haircut',
      },
      { secret },
    );
    assert.equal(booked.status, 200, JSON.stringify(booked.body));
    assert.deepEqual(booked.body, {
      received: true,
      duplicate: false,
      contactId: ana,
      event: 'booked',
      from: 'busy',
      state: 'booked',
    });
    let detail = (await http.get(`/api/contacts/${ana}`)).body;
    assert.equal(detail.state, 'booked');
    assert.equal(detail.pendingFollowUps.length, 0, 'booking cancels the pending follow-up');
    assert.equal(detail.pastFollowUps[0].reason, 'booked');

    // The same delivery again (calendars retry): acknowledged, nothing applied twice.
    const transitions = detail.transitions;
    const again = await post(
      server,
      server.botId,
      { event: 'booked', eventId: 'evt-1', email: 'ana@example.com' },
      { secret },
    );
    assert.deepEqual(again.body, { received: true, duplicate: true, contactId: ana, state: 'booked' });
    assert.equal((await http.get(`/api/contacts/${ana}`)).body.transitions, transitions);

    // Seconds are accepted as the timestamp unit too; matching by phone in any format.
    const cancelled = await post(
      server,
      server.botId,
      { event: 'cancelled', eventId: 'evt-2', phone: '+1 (415) 555-0123' },
      { secret, timestamp: Math.floor(server.clock.now() / 1000) },
    );
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.state, 'awaiting');
    detail = (await http.get(`/api/contacts/${ana}`)).body;
    assert.equal(detail.pendingFollowUps[0].scenario, 'stoppedReplying', 'follow-ups resume after a cancelled booking');

    const moved = await post(
      server,
      server.botId,
      { event: 'rescheduled', eventId: 'evt-3', contactId: ana, startsAt: '2026-01-08T10:00:00Z' },
      { secret },
    );
    assert.equal(moved.body.state, 'booked');
    const info = (await http.get(`/api/contacts/${ana}/info`)).body;
    assert.deepEqual(
      info.appointments.map((a: any) => [a.eventId, a.event, a.startsAt]),
      [
        ['evt-1', 'booked', '2026-01-07T15:00:00.000Z'],
        ['evt-2', 'cancelled', null],
        ['evt-3', 'rescheduled', '2026-01-08T10:00:00.000Z'],
      ],
    );
    assert.equal(info.appointments[0].title, 'Haircut');
    const log = (await http.get(`/api/contacts/${ana}/transitions`)).body.transitions;
    assert.equal(log.at(-1).event.source, 'calendar:rescheduled');

    // Rotating the secret invalidates the old one.
    const rotated = (await http.post(`/api/bots/${server.botId}/secrets/calendar/rotate`)).body.calendar.secret;
    assert.notEqual(rotated, secret);
    assert.equal(
      (await post(server, server.botId, { event: 'booked', eventId: 'evt-4', contactId: ana }, { secret })).status,
      403,
    );
    assert.equal(
      (await post(server, server.botId, { event: 'booked', eventId: 'evt-4', contactId: ana }, { secret: rotated }))
        .status,
      200,
    );
  });

  test('wrong or missing signature and stale timestamps → 403; malformed → 400; unknown contact or bot → 404', async (t) => {
    const server = await startConsoleServer(t);
    const http = client(server.url);
    const secret = (await http.get(`/api/bots/${server.botId}/secrets`)).body.calendar.secret as string;
    const ana = await contactSaying(server, { name: 'Ana', email: 'ana@example.com' }, 'busy');
    const event = { event: 'booked', eventId: 'evt-x', contactId: ana };
    const now = server.clock.now();

    const expectRefused = async (res: { status: number; body: any }, status: number, code: string, label: string) => {
      assert.equal(res.status, status, `${label}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, code, label);
    };
    await expectRefused(await post(server, server.botId, event), 403, 'bad_signature', 'no signature');
    await expectRefused(
      await post(server, server.botId, event, { secret: 'ncal_wrong' }),
      403,
      'bad_signature',
      'wrong secret',
    );
    const text = JSON.stringify(event);
    const good = signCalendarBody(secret, text, now);
    await expectRefused(
      await post(server, server.botId, event, { raw: `${text} `, headers: good }),
      403,
      'bad_signature',
      'body changed after signing',
    );
    await expectRefused(
      await post(server, server.botId, event, { headers: { ...good, 'x-nudge-timestamp': String(now + 1) } }),
      403,
      'bad_signature',
      'timestamp changed after signing',
    );
    await expectRefused(
      await post(server, server.botId, event, { headers: { ...good, 'x-nudge-signature': 'md5=abc' } }),
      403,
      'bad_signature',
      'malformed signature header',
    );
    await expectRefused(
      await post(server, server.botId, event, { secret, timestamp: now - 5 * 60_000 - 1 }),
      403,
      'stale_timestamp',
      'older than 5 minutes',
    );
    await expectRefused(
      await post(server, server.botId, event, { secret, timestamp: now + 5 * 60_000 + 1 }),
      403,
      'stale_timestamp',
      'more than 5 minutes ahead',
    );
    assert.equal(
      (await post(server, server.botId, { ...event, eventId: 'edge' }, { secret, timestamp: now - 5 * 60_000 })).status,
      200,
      'exactly 5 minutes is accepted',
    );
    assert.equal((await http.get(`/api/contacts/${ana}`)).body.state, 'booked');
    await http.post(`/api/contacts/${ana}/booking-cancelled`);

    await expectRefused(
      await post(server, server.botId, null, { raw: '{"event":', secret }),
      400,
      'invalid_json',
      'not JSON',
    );
    await expectRefused(
      await post(server, server.botId, { event: 'maybe', contactId: ana }, { secret }),
      400,
      'invalid_request',
      'unknown event',
    );
    await expectRefused(
      await post(server, server.botId, { event: 'booked' }, { secret }),
      400,
      'invalid_request',
      'no way to find the contact',
    );
    await expectRefused(
      await post(server, server.botId, { event: 'booked', email: 'not-an-email' }, { secret }),
      400,
      'invalid_request',
      'bad email',
    );
    await expectRefused(
      await post(server, server.botId, { event: 'booked', contactId: ana, startsAt: 'tomorrow' }, { secret }),
      400,
      'invalid_request',
      'bad instant',
    );
    await expectRefused(
      await post(server, server.botId, { event: 'booked', contactId: ana, contact_id: ana }, { secret }),
      400,
      'invalid_request',
      'unknown field',
    );

    await expectRefused(
      await post(server, server.botId, { event: 'booked', email: 'nobody@example.com' }, { secret }),
      404,
      'contact_not_found',
      'no such email',
    );
    await expectRefused(
      await post(server, server.botId, { event: 'booked', contactId: 'ct_nope' }, { secret }),
      404,
      'contact_not_found',
      'no such contact',
    );
    // A contact of another bot is not found through this bot's webhook, even with a valid signature.
    const other = (await http.post('/api/bots', { name: 'Other' })).body.id;
    const stranger = (await http.post(`/api/bots/${other}/contacts`, { name: 'Zed' })).body.id;
    await expectRefused(
      await post(server, server.botId, { event: 'booked', contactId: stranger }, { secret }),
      404,
      'contact_not_found',
      'contact of another bot',
    );
    await expectRefused(await post(server, 'bot_missing', event, { secret }), 404, 'not_found', 'unknown bot');
    const wrongType = await fetch(`${server.url}/webhooks/calendar/${server.botId}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    assert.equal(wrongType.status, 415);

    assert.equal((await http.get(`/api/contacts/${ana}`)).body.state, 'awaiting', 'no refused call changed anything');
    assert.equal((await http.get(`/api/contacts/${stranger}`)).body.state, 'active');
  });
});
