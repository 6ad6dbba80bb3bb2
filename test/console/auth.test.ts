/**
 * Every operator-facing route, three ways: no token → 401, a wrong token → 401, and the
 * token of an operator who lacks the bot → 404 shaped exactly like a missing resource
 * (admin-only routes → 403). Out-of-scope calls must change nothing.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ADMIN, client, contactSaying, createOperator, startConsoleServer } from './helpers.ts';

type Scope = 'bot' | 'contact' | 'followup' | 'admin' | 'global';
interface Route {
  method: string;
  path: string;
  scope: Scope;
  body?: unknown;
}

const AT = '2026-01-06T10:00:00Z';
const routes: Route[] = [
  // bot-scoped
  { method: 'GET', path: '/api/bots/BOT', scope: 'bot' },
  { method: 'PUT', path: '/api/bots/BOT/config', scope: 'bot', body: { active: false } },
  { method: 'PATCH', path: '/api/bots/BOT/config', scope: 'bot', body: { active: false } },
  { method: 'POST', path: '/api/bots/BOT/config/validate', scope: 'bot', body: { config: {} } },
  { method: 'GET', path: '/api/bots/BOT/secrets', scope: 'bot' },
  { method: 'POST', path: '/api/bots/BOT/secrets/calendar/rotate', scope: 'bot' },
  { method: 'POST', path: '/api/bots/BOT/contacts', scope: 'bot', body: { name: 'Intruder' } },
  { method: 'GET', path: '/api/bots/BOT/contacts', scope: 'bot' },
  { method: 'GET', path: '/api/bots/BOT/contacts/search?q=a', scope: 'bot' },
  { method: 'GET', path: '/api/bots/BOT/forecast', scope: 'bot' },
  { method: 'GET', path: '/api/bots/BOT/metrics', scope: 'bot' },
  { method: 'GET', path: '/api/notifications?botId=BOT', scope: 'bot' },
  // contact-scoped
  { method: 'GET', path: '/api/contacts/CT', scope: 'contact' },
  { method: 'PATCH', path: '/api/contacts/CT', scope: 'contact', body: { name: 'Renamed' } },
  { method: 'GET', path: '/api/contacts/CT/info', scope: 'contact' },
  { method: 'GET', path: '/api/contacts/CT/transitions', scope: 'contact' },
  { method: 'GET', path: '/api/contacts/CT/messages', scope: 'contact' },
  { method: 'POST', path: '/api/contacts/CT/messages/inbound', scope: 'contact', body: { text: 'stop' } },
  {
    method: 'POST',
    path: '/api/contacts/CT/messages/outbound',
    scope: 'contact',
    body: { text: 'hello', sender: 'operator' },
  },
  { method: 'POST', path: '/api/contacts/CT/booked', scope: 'contact' },
  { method: 'POST', path: '/api/contacts/CT/booking-cancelled', scope: 'contact' },
  { method: 'POST', path: '/api/contacts/CT/opt-in', scope: 'contact' },
  { method: 'POST', path: '/api/contacts/CT/stop', scope: 'contact' },
  { method: 'POST', path: '/api/contacts/CT/handback', scope: 'contact' },
  { method: 'GET', path: '/api/notifications?contactId=CT', scope: 'contact' },
  // follow-up-scoped
  { method: 'POST', path: '/api/followups/FU/cancel', scope: 'followup' },
  { method: 'POST', path: '/api/followups/FU/reschedule', scope: 'followup', body: { at: AT } },
  { method: 'POST', path: '/api/followups/FU/send-now', scope: 'followup' },
  // admin-only
  { method: 'POST', path: '/api/bots', scope: 'admin', body: { name: 'Another' } },
  { method: 'GET', path: '/api/operators', scope: 'admin' },
  { method: 'POST', path: '/api/operators', scope: 'admin', body: { name: 'Mallory' } },
  { method: 'GET', path: '/api/operators/OP', scope: 'admin' },
  { method: 'PATCH', path: '/api/operators/OP', scope: 'admin', body: { admin: true } },
  { method: 'DELETE', path: '/api/operators/OP', scope: 'admin' },
  { method: 'POST', path: '/api/operators/OP/token', scope: 'admin' },
  { method: 'POST', path: '/api/operators/OP/bots', scope: 'admin', body: { botId: 'BOT' } },
  { method: 'DELETE', path: '/api/operators/OP/bots/BOT', scope: 'admin' },
  // any valid token
  { method: 'GET', path: '/api/me', scope: 'global' },
  { method: 'GET', path: '/metrics', scope: 'global' },
  { method: 'POST', path: '/api/notifications/read', scope: 'global', body: { upTo: 0 } },
];

describe('console API auth and scoping', () => {
  test('no token, a wrong token and an operator without the bot are all refused, without leaking existence', async (t) => {
    const server = await startConsoleServer(t);
    const admin = client(server.url);
    const botA = server.botId;
    const botB = (await admin.post('/api/bots', { name: 'Other Salon' })).body.id as string;
    const inA = await contactSaying(server, { name: 'Ada' }, 'busy right now');
    // a contact of bot B, busy with a pending follow-up
    const createdB = await admin.post(`/api/bots/${botB}/contacts`, { name: 'Bea', email: 'bea@example.com' });
    await admin.post(`/api/contacts/${createdB.body.id}/messages/inbound`, { text: 'busy, driving' });
    const inB = createdB.body.id as string;
    const followB = (await admin.get(`/api/contacts/${inB}`)).body.pendingFollowUps[0].id as string;
    const followA = (await admin.get(`/api/contacts/${inA}`)).body.pendingFollowUps[0].id as string;
    const opA = await createOperator(server, 'Alice', [botA]);
    const victim = await createOperator(server, 'Victim', [botB]);
    const before = JSON.stringify((await admin.get(`/api/contacts/${inB}`)).body);

    const fill = (path: string, ids: { bot: string; ct: string; fu: string }) =>
      path
        .replace('BOT', ids.bot)
        .replace('CT', ids.ct)
        .replace('FU', encodeURIComponent(ids.fu))
        .replace('OP', victim.id);
    const outOfScope = { bot: botB, ct: inB, fu: followB };
    const missing = { bot: 'bot_doesnotexist', ct: 'ct_doesnotexist', fu: 'ct_doesnotexist:busy:1:1' };
    const bodyFor = (route: Route, ids: { bot: string }) =>
      route.body === undefined ? undefined : JSON.parse(JSON.stringify(route.body).replace('BOT', ids.bot));

    for (const route of routes) {
      const label = `${route.method} ${route.path}`;
      const noToken = await client(server.url, null).call(
        route.method,
        fill(route.path, outOfScope),
        bodyFor(route, outOfScope),
      );
      assert.equal(noToken.status, 401, `${label} without a token: ${noToken.text}`);
      assert.equal(noToken.body.error.code, 'unauthorized', label);
      for (const wrong of ['nop_definitely-not-a-token', 'test-admin-token-but-longer', ADMIN.toUpperCase()]) {
        const bad = await client(server.url, wrong).call(
          route.method,
          fill(route.path, outOfScope),
          bodyFor(route, outOfScope),
        );
        assert.equal(bad.status, 401, `${label} with a wrong token: ${bad.text}`);
      }

      const asA = client(server.url, opA.token);
      const res = await asA.call(route.method, fill(route.path, outOfScope), bodyFor(route, outOfScope));
      if (route.scope === 'admin') {
        assert.equal(res.status, 403, `${label} as a non-admin: ${res.text}`);
        assert.equal(res.body.error.code, 'forbidden');
      } else if (route.scope !== 'global') {
        assert.equal(res.status, 404, `${label} on another bot's data: ${res.text}`);
        // Indistinguishable from a resource that does not exist.
        const absent = await asA.call(route.method, fill(route.path, missing), bodyFor(route, missing));
        assert.equal(absent.status, 404, `${label} on a missing id: ${absent.text}`);
        assert.equal(res.body.error.code, absent.body.error.code, label);
        assert.deepEqual(Object.keys(res.body.error).sort(), Object.keys(absent.body.error).sort(), label);
        assert.ok(!JSON.stringify(res.body).includes('Bea'), `${label} leaks data`);
      }
    }

    // Nothing out of scope changed: the contact, its follow-up, the victim operator, the other bot.
    assert.equal(JSON.stringify((await admin.get(`/api/contacts/${inB}`)).body), before);
    assert.equal((await admin.get(`/api/operators/${victim.id}`)).status, 200);
    assert.equal((await admin.get(`/api/bots/${botB}`)).body.config.active, true);
    assert.equal(
      (server.services.db.prepare(`SELECT COUNT(*) AS n FROM contacts WHERE bot_id = ?`).get(botB) as { n: number }).n,
      1,
    );

    // In scope, the same operator reads everything of its bot and only its bot.
    const asA = client(server.url, opA.token);
    for (const route of routes.filter((r) => r.method === 'GET' && r.scope !== 'admin')) {
      const res = await asA.get(fill(route.path, { bot: botA, ct: inA, fu: followA }));
      assert.equal(res.status, 200, `${route.path} in scope: ${res.text}`);
    }
    const bots = await asA.get('/api/bots');
    assert.deepEqual(
      bots.body.bots.map((b: any) => b.id),
      [botA],
    );
    const me = await asA.get('/api/me');
    assert.deepEqual(
      { operator: me.body.operator, bots: me.body.bots },
      { operator: { id: opA.id, name: 'Alice', admin: false }, bots: [{ id: botA, name: 'Test Salon' }] },
    );
    const metrics = await asA.get('/metrics');
    assert.ok(metrics.text.includes(`bot="${botA}"`));
    assert.ok(!metrics.text.includes(botB), '/metrics shows only the bots in scope');
    const cancel = await asA.post(`/api/followups/${encodeURIComponent(followA)}/cancel`);
    assert.equal(cancel.status, 200);
    assert.equal(
      cancel.body.pastFollowUps.find((f: any) => f.id === followA).actor,
      opA.id,
      'the cancel is recorded with the operator',
    );
  });

  test('public routes need no token; an admin operator sees every bot', async (t) => {
    const server = await startConsoleServer(t);
    const anonymous = client(server.url, null);
    const openapi = await anonymous.get('/api/openapi.json');
    assert.equal(openapi.status, 200);
    assert.equal(openapi.body.openapi, '3.1.0');
    const page = await anonymous.get('/console');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);

    const other = (await client(server.url).post('/api/bots', { name: 'Second' })).body.id;
    const root = await createOperator(server, 'Root', [], true);
    const bots = await client(server.url, root.token).get('/api/bots');
    assert.deepEqual(bots.body.bots.map((b: any) => b.id).sort(), [server.botId, other].sort());
    const created = await client(server.url, root.token).post('/api/operators', { name: 'Made by an admin operator' });
    assert.equal(created.status, 201);
  });
});
