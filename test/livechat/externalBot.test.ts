/**
 * A business with its own bot: the built-in responder stays silent, each inbound message
 * is announced by a signed webhook (delivered through the outbox to a receiver on
 * 127.0.0.1), and the business's bot answers through the operator API.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { verifyWebhookBody } from '../../src/channels/signatures.ts';
import { settle } from '../helpers/core.ts';
import { api, makeServer } from '../helpers/server.ts';

test('inbound messages are announced by a signed webhook; the own bot replies through the API', async (t) => {
  const received: { body: string; signature?: string; timestamp?: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({
        body,
        signature: req.headers['x-nudge-signature'] as string,
        timestamp: req.headers['x-nudge-timestamp'] as string,
      });
      // The first delivery fails with a 503: the outbox retries it.
      res.statusCode = received.length === 1 ? 503 : 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
  const port = (receiver.address() as { port: number }).port;

  const server = await makeServer(t, { responder: true, outboundAllow: '127.0.0.1' });
  const http = api(server);
  const patched = await http.patch(`/api/bots/${server.demoBotId}/config`, {
    builtInResponder: false,
    inboundWebhookUrl: `http://127.0.0.1:${port}/inbound`,
  });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const contact = (await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: 'Ana' })).body;
  await http.post(`/api/contacts/${contact.id}/messages/inbound`, { text: 'do you open on sundays?' });
  await settle(server.services);
  // The retry comes 0.5-1 s after the 503. The wait allows one more attempt held to the
  // webhook's 10 s timeout: in two full-suite runs out of many a delivery here did not come
  // within 10 s (not reproduced alone, 21 runs, also beside CPU hogs); the outbox row says
  // what happened if it ever fails again.
  const deadline = Date.now() + 25_000;
  while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const outbox = server.services.db
    .prepare(`SELECT status, attempts, last_error, next_attempt_at, updated_at FROM outbox WHERE channel = 'webhook'`)
    .all();
  assert.equal(received.length, 2, `delivered after one retry; outbox: ${JSON.stringify(outbox)}; now ${Date.now()}`);
  const last = received[1];
  assert.equal(last.body, received[0].body, 'the retry carries the same body');
  const payload = JSON.parse(last.body);
  assert.equal(payload.type, 'message.inbound');
  assert.equal(payload.text, 'do you open on sundays?');
  const secret = (
    server.services.db
      .prepare(`SELECT secret FROM bot_secrets WHERE bot_id = ? AND kind = 'webhook'`)
      .get(server.demoBotId) as { secret: string }
  ).secret;
  assert.ok(verifyWebhookBody(secret, last.body, last.signature, last.timestamp, Date.now()), 'signature verifies');
  assert.ok(!verifyWebhookBody('wrong', last.body, last.signature, last.timestamp, Date.now()));

  let detail = (await http.get(`/api/contacts/${contact.id}`)).body;
  assert.equal(detail.state, 'active', 'the built-in bot did not answer');
  const reply = await http.post(`/api/contacts/${contact.id}/messages/outbound`, {
    text: 'Yes, 10 to 4.',
    sender: 'bot',
  });
  assert.equal(reply.body.state, 'awaiting');
  detail = (await http.get(`/api/contacts/${contact.id}`)).body;
  assert.equal(detail.pendingFollowUps[0].scenario, 'stoppedReplying');
});
