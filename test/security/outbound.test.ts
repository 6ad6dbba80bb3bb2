/**
 * Server-side requests to operator-supplied URLs reach public addresses only (issue 25,
 * fault 2). An operator could set a bot's or a workflow's webhook to 127.0.0.1, 10.x or
 * 169.254.169.254 and the server posted there, and the delivery error read back like a port
 * scan. A receiver on 127.0.0.1 stands in for the private network: it must receive nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { api, makeServer } from '../helpers/server.ts';

async function loopbackReceiver(t: TestContext) {
  const received: string[] = [];
  const server = createServer((req, res) => {
    received.push(req.url ?? '');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as { port: number }).port, received };
}

test('webhook URLs with literal private addresses are refused when saved, in every spelling', async (t) => {
  const rx = await loopbackReceiver(t);
  const server = await makeServer(t);
  const http = api(server);
  const urls = [
    `http://127.0.0.1:${rx.port}/hook`,
    `http://2130706433:${rx.port}/hook`, // decimal
    `http://0177.0.0.1:${rx.port}/hook`, // octal
    `http://0x7f.1:${rx.port}/hook`, // hex, short form
    `http://[::1]:${rx.port}/hook`,
    `http://[::ffff:127.0.0.1]:${rx.port}/hook`, // IPv4-mapped
    `http://localhost:${rx.port}/hook`,
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.7/hook',
    'http://[fd00::1]/hook',
    'http://0.0.0.0/hook',
    'http://224.0.0.1/hook',
  ];
  for (const url of urls) {
    const bot = await http.patch(`/api/bots/${server.demoBotId}/config`, { inboundWebhookUrl: url });
    assert.equal(bot.status, 400, `${url}: ${JSON.stringify(bot.body)}`);
    assert.match(JSON.stringify(bot.body), /inboundWebhookUrl points at a private address/, url);
    const workflow = await http.patch(`/api/bots/${server.demoBotId}/config`, {
      scenarios: { busy: { workflow: [{ type: 'notifyUser', webhookUrl: url }] } },
    });
    assert.equal(workflow.status, 400, `${url}: ${JSON.stringify(workflow.body)}`);
    assert.match(JSON.stringify(workflow.body), /webhookUrl points at a private address/, url);
  }
  const publicUrl = await http.patch(`/api/bots/${server.demoBotId}/config`, {
    inboundWebhookUrl: 'https://hooks.example.com/nudge',
  });
  assert.equal(publicUrl.status, 200, 'a public host is accepted');
  assert.deepEqual(rx.received, []);
});

test('a stored webhook to a private address is refused at delivery: nothing reaches it, the error names no network detail', async (t) => {
  const rx = await loopbackReceiver(t);
  const dataDir = mkdtempSync(join(tmpdir(), 'nudge-ssrf-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  // The admin once allowed 127.0.0.1 and an operator saved a webhook there; then the allowance went.
  {
    const allowed = await makeServer(t, { dataDir, outboundAllow: '127.0.0.1' });
    const saved = await api(allowed).patch(`/api/bots/${allowed.demoBotId}/config`, {
      builtInResponder: false,
      inboundWebhookUrl: `http://127.0.0.1:${rx.port}/inbound`,
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    await allowed.close();
  }
  const server = await makeServer(t, { dataDir });
  const http = api(server);
  const contact = (await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: 'Ana' })).body;
  assert.equal(
    (await http.post(`/api/contacts/${contact.id}/messages/inbound`, { text: 'are you open?' })).status,
    201,
  );

  const outbox = () =>
    server.services.db.prepare(`SELECT status, last_error FROM outbox WHERE channel = 'webhook'`).get() as {
      status: string;
      last_error: string | null;
    };
  const deadline = Date.now() + 10_000;
  while (outbox()?.status !== 'failed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const row = outbox();
  assert.equal(row.status, 'failed', 'refused for good, not retried');
  assert.match(row.last_error ?? '', /^refused: private address/);
  assert.doesNotMatch(row.last_error ?? '', /127\.0\.0\.1|ECONN|\d{4,5}/, 'no address, port or socket error is echoed');
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(rx.received, [], 'the loopback receiver got nothing');
});
