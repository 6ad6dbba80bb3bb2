/**
 * The OpenAPI document covers every route the service registers (core API, console,
 * visualizer, widget pages, webhooks) and nothing that does not exist; its references
 * resolve and its operation ids are unique.
 */
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { describe, test } from 'node:test';
import { smsWebhookRoutes, metaWebhookRoutes, type InboundSink } from '../../src/channels/webhooks.ts';
import { documentedRoutes, openApiDocument } from '../../src/console/openapi.ts';
import { registerConsole } from '../../src/console/routes.ts';
import { widgetStaticRoutes } from '../../src/gateway/static.ts';
import { registerApi } from '../../src/http/api.ts';
import { registerBackupRoute } from '../../src/http/backupRoute.ts';
import { registerVizRoutes } from '../../src/viz/routes.ts';
import { makeCore } from '../helpers/core.ts';

describe('OpenAPI', () => {
  test('every registered route is described, and every described route exists', async (t) => {
    const core = makeCore(t);
    const app = Fastify({ logger: false });
    t.after(() => app.close());
    const registered: { method: string; url: string }[] = [];
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') registered.push({ method, url: route.url });
      }
    });
    registerApi(app, core.services, []);
    registerBackupRoute(app, core.services, [], core.dir);
    await registerConsole(app, core.services, { verifiers: [] });
    registerVizRoutes(app, core.services, []);
    await widgetStaticRoutes(app, { demoWidgetKey: () => '' });
    const sink = {} as InboundSink;
    await app.register(smsWebhookRoutes, { sink });
    await app.register(metaWebhookRoutes, { sink });
    await app.ready();

    const documented = new Set(documentedRoutes().map((r) => `${r.method} ${r.url}`));
    const actual = new Set(registered.map((r) => `${r.method} ${r.url}`));
    const undocumented = [...actual].filter((r) => !documented.has(r));
    assert.deepEqual(undocumented, [], 'routes missing from the OpenAPI document');
    // /api/health is registered by src/server.ts itself.
    const stale = [...documented].filter((r) => !actual.has(r) && r !== 'GET /api/health');
    assert.deepEqual(stale, [], 'documented routes that do not exist');
  });

  test('the document is OpenAPI 3.1 with resolvable references and unique operation ids', () => {
    const doc = openApiDocument() as any;
    assert.equal(doc.openapi, '3.1.0');
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      assert.ok(path.startsWith('/'), path);
      for (const [method, op] of Object.entries<any>(item)) {
        assert.ok(['get', 'post', 'put', 'patch', 'delete'].includes(method), `${method} ${path}`);
        assert.ok(op.summary && op.responses && Object.keys(op.responses).length > 0, `${method} ${path}`);
        assert.ok(!ids.has(op.operationId), `duplicate operationId ${op.operationId}`);
        ids.add(op.operationId);
        const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        for (const name of params)
          assert.ok(
            op.parameters.some((p: any) => p.in === 'path' && p.name === name),
            `${method} ${path} declares {${name}}`,
          );
        if (op.security?.some((s: any) => 'bearer' in s))
          assert.ok(op.responses['401'], `${method} ${path} documents 401`);
      }
    }
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const name = ref.slice('"#/components/schemas/'.length, -1);
      assert.ok(doc.components.schemas[name], `unresolved ${ref}`);
    }
    // The bot configuration schema is generated from the validator: spot-check a few fields.
    const config = doc.components.schemas.BotConfig;
    assert.ok(config.properties.scenarios && config.properties.workingHours && config.properties.smsQuietHours);
    assert.equal(config.additionalProperties, false);
  });

  test('served at /api/openapi.json', async (t) => {
    const core = makeCore(t);
    const app = Fastify({ logger: false });
    t.after(() => app.close());
    await registerConsole(app, core.services, { verifiers: [] });
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().info.title, 'Nudge');
  });
});
