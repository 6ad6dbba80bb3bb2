import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClock } from '../../src/clock.ts';
import { openApiDocument } from '../../src/console/openapi.ts';
import { api, makeServer } from '../helpers/server.ts';

type Json = Record<string, any>;

/** Sample values for fields whose JSON Schema says too little to produce a valid one. */
const BY_NAME: Record<string, unknown> = {
  // Every body with an intent also allows requestedAt, which goes only with request_time.
  intent: 'request_time',
  phone: '+14155550123',
  timezone: 'Europe/London',
  zone: 'Europe/London',
  allowedOrigins: ['https://shop.example'],
  // The search's comma-separated states are a plain string to the document.
  state: 'busy',
  // Before `to`, which defaults to now.
  from: '2026-01-01T00:00:00.000Z',
};

/** A value of every property `schema` allows, as a client reading only the document would write it. */
function sample(schema: Json, name: string, context: { botId: string; future: string }): unknown {
  if (name in BY_NAME) return BY_NAME[name];
  if (name === 'botId') return context.botId;
  if (name === 'botIds') return [context.botId];
  if (schema.$ref) return {};
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.oneOf) return sample(schema.oneOf[0], name, context);
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date-time') return context.future;
      if (schema.format === 'email') return 'ana@example.com';
      if (schema.format === 'uri') return 'https://shop.example';
      return 'x';
    case 'integer':
    case 'number':
      return schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : (schema.minimum ?? 0);
    case 'boolean':
      return false;
    case 'array':
      return [sample(schema.items ?? {}, name, context)];
    case 'object':
      return Object.fromEntries(
        Object.entries<Json>(schema.properties ?? {}).map(([key, value]) => [key, sample(value, key, context)]),
      );
    default:
      return 'x';
  }
}

describe('the OpenAPI document and the server agree', () => {
  test('a body with every field the document allows, or any query parameter it lists, is never refused as invalid_request', async (t) => {
    const clock = new FakeClock('2026-01-05T09:00:00Z');
    const server = await makeServer(t, { clock });
    const http = api(server);
    const botId = server.demoBotId;
    const contact = await http.post(`/api/bots/${botId}/contacts`, { name: 'Ana' });
    await http.post(`/api/contacts/${contact.body.id}/messages/inbound`, { text: 'hello' });
    await http.post(`/api/contacts/${contact.body.id}/messages/outbound`, { text: 'hi, how can I help?' });
    const detail = await http.get(`/api/contacts/${contact.body.id}`);
    const followUpId = detail.body.pendingFollowUps[0]?.id;
    assert.ok(followUpId, 'a pending follow-up to reschedule');
    const operator = await http.post('/api/operators', { name: 'Olga' });
    const ids: Record<string, string> = {
      bots: botId,
      contacts: contact.body.id,
      operators: operator.body.operator.id,
      followups: followUpId,
    };
    const context = { botId, future: new Date(clock.now() + 86_400_000).toISOString() };

    const paths = (openApiDocument() as Json).paths as Record<string, Record<string, Json>>;
    const refused: string[] = [];
    let checked = 0;
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const schema = operation.requestBody?.content?.['application/json']?.schema as Json | undefined;
        if (!schema?.properties || path.startsWith('/webhooks/')) continue;
        const url = path.replace(
          /\/(\w+)\/\{(\w+)\}/g,
          (_m, collection: string, param: string) =>
            `/${collection}/${encodeURIComponent(param === 'botId' ? botId : ids[collection])}`,
        );
        const body = sample(schema, '', context);
        const answer = await http.raw(method.toUpperCase(), url, body);
        checked++;
        if (answer.body?.error?.code === 'invalid_request')
          refused.push(`${method.toUpperCase()} ${path}: ${answer.body.error.message}`);
      }
    }
    assert.deepEqual(refused, []);
    assert.ok(checked >= 12, `only ${checked} operations checked`);

    // Query parameters one at a time: some exclude each other (needsReview with state), as documented.
    const refusedParameters: string[] = [];
    let parameters = 0;
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (path.startsWith('/webhooks/')) continue;
        const url = path.replace(
          /\/(\w+)\/\{(\w+)\}/g,
          (_m, collection: string, param: string) =>
            `/${collection}/${encodeURIComponent(param === 'botId' ? botId : ids[collection])}`,
        );
        for (const parameter of (operation.parameters ?? []).filter((p: Json) => p.in === 'query')) {
          const value = sample(parameter.schema, parameter.name, context);
          const answer = await http.raw(
            method.toUpperCase(),
            `${url}?${new URLSearchParams({ [parameter.name]: String(value) })}`,
          );
          parameters++;
          if (answer.body?.error?.code === 'invalid_request')
            refusedParameters.push(
              `${method.toUpperCase()} ${path}?${parameter.name}=${value}: ${answer.body.error.message}`,
            );
        }
      }
    }
    assert.deepEqual(refusedParameters, []);
    assert.ok(parameters >= 20, `only ${parameters} query parameters checked`);
  });

  test('a field the document does not list is refused by the server, as the document says', async (t) => {
    const server = await makeServer(t);
    const http = api(server);
    const body = (openApiDocument() as Json).paths['/api/bots/{id}/contacts'].post.requestBody.content[
      'application/json'
    ].schema;
    assert.equal(body.additionalProperties, false);
    const answer = await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: 'Ana', nickname: 'A' });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, 'invalid_request');
  });
});
