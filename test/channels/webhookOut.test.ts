import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { FakeClock } from '../../src/clock.ts';
import { verifyWebhookBody } from '../../src/channels/signatures.ts';
import { PermanentDeliveryError, RetryableDeliveryError } from '../../src/channels/types.ts';
import { WebhookAdapter } from '../../src/channels/webhookOut.ts';
import { parseOutboundAllow } from '../../src/net/outboundGuard.ts';

/** The receivers listen on 127.0.0.1, which the admin must allow explicitly. */
const loopback = parseOutboundAllow('127.0.0.1');

async function receiver(t: TestContext, status: () => number) {
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(status(), { 'retry-after': '2' });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got };
}

test('posts the body signed with the bot secret and an idempotency key', async (t) => {
  const rx = await receiver(t, () => 200);
  const clock = new FakeClock();
  const adapter = new WebhookAdapter({
    secretFor: (bot) => (bot === 'bot1' ? 'whsec_1' : null),
    clock,
    policy: loopback,
  });
  const body = JSON.stringify({ event: 'followup.sent', contactId: 'c1' });
  await adapter.send({ idempotencyKey: 'wh:1', to: rx.url, body, meta: {}, botId: 'bot1' });
  const { headers, body: received } = rx.got[0];
  assert.equal(received, body);
  assert.equal(headers['idempotency-key'], 'wh:1');
  assert.equal(headers['content-type'], 'application/json');
  assert.equal(headers['x-nudge-timestamp'], String(clock.now()));
  assert.equal(
    verifyWebhookBody(
      'whsec_1',
      received,
      headers['x-nudge-signature'] as string,
      headers['x-nudge-timestamp'] as string,
      clock.now(),
    ),
    true,
  );
});

test('error mapping: 5xx/429 retryable (with Retry-After), other 4xx permanent, no secret or bad URL permanent', async (t) => {
  let status = 503;
  const rx = await receiver(t, () => status);
  const adapter = new WebhookAdapter({ secretFor: () => 's', clock: new FakeClock(), policy: loopback });
  const send = (to: string | null = rx.url) =>
    adapter.send({ idempotencyKey: 'k', to, body: '{}', meta: {}, botId: 'b' });
  await assert.rejects(send(), (e: unknown) => e instanceof RetryableDeliveryError && e.retryAfterMs === 2000);
  status = 429;
  await assert.rejects(send(), RetryableDeliveryError);
  status = 410;
  await assert.rejects(send(), (e: unknown) => e instanceof PermanentDeliveryError && e.code === '410');
  await assert.rejects(send('ftp://127.0.0.1/x'), /must be http/);
  await assert.rejects(send(null), /missing or invalid/);
  const noSecret = new WebhookAdapter({ secretFor: () => null, policy: loopback });
  await assert.rejects(
    noSecret.send({ idempotencyKey: 'k', to: rx.url, body: '{}', meta: {} }),
    /no webhook signing secret/,
  );
});

test('the result does not wait on a response body that never ends or never cancels', { timeout: 5_000 }, async () => {
  // A body whose data never comes and whose cancel never settles: awaiting body.cancel()
  // on such a response (undici can do this) held a send until the dispatcher's timeout.
  let cancelled = false;
  const stuck = (status: number) =>
    new Response(
      new ReadableStream<Uint8Array>({
        pull: () => new Promise<void>(() => {}),
        cancel: () => {
          cancelled = true;
          return new Promise<void>(() => {});
        },
      }),
      { status },
    );
  let status = 200;
  const adapter = new WebhookAdapter({ secretFor: () => 'whsec_1', fetch: async () => stuck(status) });
  const msg = { idempotencyKey: 'wh:stuck', to: 'http://127.0.0.1:9/hook', body: '{}', meta: {}, botId: 'bot1' };
  assert.deepEqual(await adapter.send(msg), {}, '2xx: delivered at once');
  status = 503;
  await assert.rejects(
    adapter.send(msg),
    (err: unknown) => err instanceof RetryableDeliveryError && err.code === '503',
  );
  assert.equal(cancelled, false, 'a body still streaming is drained, not cancelled');
});

test('an unread body is drained up to a limit, then cancelled', async () => {
  const { discardBody } = await import('../../src/channels/http.ts');
  let pulled = 0;
  let cancelled = false;
  const endless = new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
      cancel() {
        cancelled = true;
      },
    }),
  );
  discardBody(endless, 4096);
  for (let i = 0; i < 50 && !cancelled; i++) await new Promise((r) => setImmediate(r));
  assert.equal(cancelled, true);
  assert.ok(pulled >= 5 && pulled < 20, `read ${pulled} KiB before letting go`);
  const small = new Response('fine');
  discardBody(small);
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  assert.equal(small.bodyUsed, true, 'a short body is read to the end (the connection can be reused)');
});
