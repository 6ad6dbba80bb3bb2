/**
 * /widget.js (built on demand into a temp dir) and the demo page at `/`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Fastify from 'fastify';
import { escapeHtmlAttribute, widgetStaticRoutes } from '../../src/gateway/static.ts';

async function app(t: import('node:test').TestContext, key: string) {
  const distDir = mkdtempSync(join(tmpdir(), 'nudge-dist-'));
  const server = Fastify({ logger: false });
  await server.register(widgetStaticRoutes, { demoWidgetKey: () => key, distDir });
  t.after(async () => {
    await server.close();
    rmSync(distDir, { recursive: true, force: true });
  });
  return server;
}

test('/widget.js is built on first request and served as cacheable JavaScript', async (t) => {
  const server = await app(t, 'wk_demo');
  const res = await server.inject({ method: 'GET', url: '/widget.js' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/javascript/);
  assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
  assert.ok(res.body.length > 5000, 'a real bundle');
  assert.match(res.body, /\/ws\/chat`/, 'the widget connects to the chat endpoint; its key goes in hello');
  assert.doesNotMatch(res.body, /^import |^export /m, 'bundled: no module syntax left');
  const etag = String(res.headers.etag);
  const again = await server.inject({ method: 'GET', url: '/widget.js', headers: { 'if-none-match': etag } });
  assert.equal(again.statusCode, 304);
});

test('the demo page embeds the widget with the demo key, escaped', async (t) => {
  const server = await app(t, 'wk_"<demo>&');
  const res = await server.inject({ method: 'GET', url: '/' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/html/);
  assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
  assert.ok(res.body.includes('<script src="/widget.js" data-bot-key="wk_&quot;&lt;demo&gt;&amp;"'));
  assert.ok(!res.body.includes('{{WIDGET_KEY}}'));
  assert.equal(escapeHtmlAttribute(`a'b`), 'a&#39;b');
});
