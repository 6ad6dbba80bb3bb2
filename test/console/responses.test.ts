/**
 * The response schemas are the truth about what the server answers: every answer the console
 * reads, from a server with follow-ups sent and pending, a held review and a notification,
 * parses with its strict schema, and the OpenAPI document names that schema for the route.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openApiDocument } from '../../src/console/openapi.ts';
import { responseSchema as schemaNamed } from '../../src/console/responses.ts';
import { doubtClassify } from '../helpers/doubt.ts';
import { client, contactSaying, createOperator, startConsoleServer } from './helpers.ts';

describe('response schemas', () => {
  test('every answer the console reads parses with the schema the document names for its route', async (t) => {
    const server = await startConsoleServer(t, {
      classify: doubtClassify,
      config: {
        timezone: 'Europe/Paris',
        scenarios: {
          stoppedReplying: {
            cadence: [{ delay: '1h', workflow: [{ type: 'notifyUser', userId: 'olga', message: 'Bo was nudged' }] }],
          },
        },
      },
    });
    const http = client(server.url);
    const bot = server.botId;
    const timed = await contactSaying(
      server,
      { name: 'Ana Lima', timezone: 'America/New_York', phone: '+14155550123' },
      'hi',
      'call me at+90',
    );
    const silent = await contactSaying(server, { name: 'Bo' }, 'hello');
    await http.post(`/api/contacts/${silent}/messages/outbound`, { text: 'hi, how can I help?', sender: 'bot' });
    await server.advance(2 * 3_600_000);
    await contactSaying(server, {}, 'unsure: meh, not for me');
    const olga = await createOperator(server, 'Olga', [bot]);
    const asOlga = client(server.url, olga.token);

    const checks: [method: string, route: string, status: string, schema: string, answer: () => Promise<unknown>][] = [
      ['get', '/api/me', '200', 'Me', async () => (await asOlga.get('/api/me')).body],
      ['get', '/api/bots/{id}', '200', 'Bot', async () => (await http.get(`/api/bots/${bot}`)).body],
      [
        'post',
        '/api/bots/{id}/config/validate',
        '200',
        'ConfigVerdict',
        async () => (await http.post(`/api/bots/${bot}/config/validate`, { mode: 'replace', config: {} })).body,
      ],
      [
        'post',
        '/api/bots/{id}/config/validate',
        '200',
        'ConfigVerdict',
        async () =>
          (await http.post(`/api/bots/${bot}/config/validate`, { mode: 'replace', config: { timezone: 'Mars' } })).body,
      ],
      [
        'get',
        '/api/bots/{id}/install',
        '200',
        'BotInstall',
        async () => (await http.get(`/api/bots/${bot}/install`)).body,
      ],
      [
        'get',
        '/api/bots/{id}/secrets',
        '200',
        'BotSecrets',
        async () => (await http.get(`/api/bots/${bot}/secrets`)).body,
      ],
      [
        'get',
        '/api/bots/{id}/contacts/search',
        '200',
        'ContactPage',
        async () => (await http.get(`/api/bots/${bot}/contacts/search?limit=25&offset=0`)).body,
      ],
      [
        'get',
        '/api/contacts/{id}/info',
        '200',
        'ResponseInfo',
        async () => (await http.get(`/api/contacts/${timed}/info`)).body,
      ],
      [
        'get',
        '/api/contacts/{id}/info',
        '200',
        'ResponseInfo',
        async () => (await http.get(`/api/contacts/${silent}/info`)).body,
      ],
      [
        'get',
        '/api/bots/{id}/forecast',
        '200',
        'Forecast',
        async () => (await http.get(`/api/bots/${bot}/forecast?hours=72`)).body,
      ],
      [
        'get',
        '/api/bots/{id}/metrics',
        '200',
        'Metrics',
        async () => (await http.get(`/api/bots/${bot}/metrics`)).body,
      ],
      [
        'get',
        '/api/notifications',
        '200',
        'NotificationPage',
        async () => (await asOlga.get('/api/notifications')).body,
      ],
      [
        'post',
        '/api/notifications/read',
        '200',
        'ReadMark',
        async () => (await asOlga.post('/api/notifications/read', { upTo: 1 })).body,
      ],
      ['get', '/api/operators', '200', 'OperatorList', async () => (await http.get('/api/operators')).body],
      [
        'post',
        '/api/operators',
        '201',
        'OperatorToken',
        async () => (await http.post('/api/operators', { name: 'Sam', admin: false, botIds: [bot] })).body,
      ],
      [
        'post',
        '/api/operators/{id}/bots',
        '200',
        'Operator',
        async () => (await http.post(`/api/operators/${olga.id}/bots`, { botId: bot })).body,
      ],
      [
        'post',
        '/api/operators/{id}/token',
        '200',
        'OperatorToken',
        async () => (await http.post(`/api/operators/${olga.id}/token`)).body,
      ],
      [
        'delete',
        '/api/operators/{id}/bots/{botId}',
        '200',
        'Operator',
        async () => (await http.delete(`/api/operators/${olga.id}/bots/${bot}`)).body,
      ],
      [
        'put',
        '/api/bots/{id}/origins',
        '200',
        'BotInstall',
        async () => (await http.put(`/api/bots/${bot}/origins`, { allowedOrigins: ['https://shop.example'] })).body,
      ],
      [
        'patch',
        '/api/bots/{id}/config',
        '200',
        'Bot',
        async () => (await http.patch(`/api/bots/${bot}/config`, { widgetColor: '#336699' })).body,
      ],
      [
        'put',
        '/api/bots/{id}/config',
        '200',
        'Bot',
        async () => (await http.put(`/api/bots/${bot}/config`, { name: 'Salon' })).body,
      ],
      ['post', '/api/bots', '201', 'Bot', async () => (await http.post('/api/bots', { name: 'Second salon' })).body],
    ];

    const paths = (openApiDocument() as any).paths;
    for (const [method, route, status, name, answer] of checks) {
      const documented = paths[route]?.[method]?.responses?.[status]?.content?.['application/json']?.schema;
      assert.equal(documented?.$ref, `#/components/schemas/${name}`, `${method} ${route} ${status} documents ${name}`);
      const body = await answer();
      const parsed = schemaNamed(name).safeParse(body);
      assert.ok(parsed.success, `${method} ${route}: ${parsed.error?.message}`);
    }

    // The answers exercised the shapes that are easy to leave empty.
    const info = (await http.get(`/api/contacts/${timed}/info`)).body;
    assert.ok(info.pendingFollowUps[0]?.trigger && info.pendingFollowUps[0].projected.length > 0);
    const bo = (await http.get(`/api/contacts/${silent}/info`)).body;
    assert.ok(bo.history.some((f: any) => f.status === 'sent') && bo.notifications.length > 0);
    const page = (await http.get(`/api/bots/${bot}/contacts/search?limit=25&offset=0`)).body;
    assert.ok(page.contacts.some((c: any) => c.review !== null) && page.contacts.some((c: any) => c.nextFollowUp));
    assert.ok((await http.get(`/api/bots/${bot}/forecast?hours=72`)).body.items.length > 0);
  });

  test('a field the server does not send is refused by the strict schemas (the check above can fail)', () => {
    const extra = { operator: { id: 'a', name: 'A', admin: true }, bots: [], channels: {}, surprise: 1 };
    assert.equal(schemaNamed('Me').safeParse(extra).success, false);
  });
});
