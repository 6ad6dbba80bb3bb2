/**
 * The principal plugin guards every route it is registered over: each registered route
 * outside the short public list answers 401 without a token, and it does so before reading
 * the body (a malformed body still gets 401, not 400), so a new resource plugin cannot be
 * left open by forgetting a check.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { registerConsole } from '../../src/console/routes.ts';
import { registerApi } from '../../src/http/api.ts';
import { adminTokenVerifier, hashSecret } from '../../src/http/auth.ts';
import { registerBackupRoute } from '../../src/http/backupRoute.ts';
import { installErrorHandling } from '../../src/http/errors.ts';
import { registerVizRoutes } from '../../src/viz/routes.ts';
import { makeCore } from '../helpers/core.ts';

/** Routes anyone may call: the pages and their bundles, the OpenAPI document, signed webhooks. */
const PUBLIC = [/^\/console/, /^\/viz(\/|$)/, /^\/api\/openapi\.json$/, /^\/webhooks\//];

describe('principal plugin', () => {
  test('every protected route answers 401 without a token, before reading a malformed body', async (t) => {
    const core = makeCore(t);
    const app = Fastify({ logger: false });
    t.after(() => app.close());
    installErrorHandling(app);
    const routes: { method: string; url: string }[] = [];
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
    });
    const verifiers = [adminTokenVerifier(hashSecret('admin-token'))];
    registerApi(app, core.services, verifiers);
    registerBackupRoute(app, core.services, verifiers, core.dir);
    await registerConsole(app, core.services, { verifiers });
    registerVizRoutes(app, core.services, verifiers);
    await app.ready();

    const protectedRoutes = routes.filter((r) => !PUBLIC.some((re) => re.test(r.url)));
    assert.ok(protectedRoutes.length > 40, `only ${protectedRoutes.length} protected routes found`);
    for (const { method, url } of protectedRoutes) {
      const path = url.replace(/:(\w+)/g, 'x_$1');
      const hasBody = method !== 'GET' && method !== 'DELETE';
      const res = await app.inject({
        method: method as 'GET',
        url: path,
        ...(hasBody ? { payload: '{not json', headers: { 'content-type': 'application/json' } } : {}),
      });
      assert.equal(res.statusCode, 401, `${method} ${url}: ${res.body}`);
      assert.equal(res.json().error.code, 'unauthorized', `${method} ${url}`);
      const wrong = await app.inject({ method: method as 'GET', url: path, headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.statusCode, 401, `${method} ${url} with a wrong token`);
    }
  });
});
