/**
 * Workflows run when a follow-up is sent: tags added and removed, a user assigned, a console
 * notification listed for operators, and a signed webhook delivered through the outbox —
 * verified by a receiver on 127.0.0.1 with the bot's webhook secret, retried after a 5xx.
 * Config that tries to start another bot is refused.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { describe, test } from 'node:test';
import { OutboxDispatcher } from '../../src/channels/dispatcher.ts';
import { verifyWebhookBody } from '../../src/channels/signatures.ts';
import { WebhookAdapter } from '../../src/channels/webhookOut.ts';
import { webhookSecretFor } from '../../src/console/secrets.ts';
import { parseOutboundAllow, setOutboundPolicy } from '../../src/net/outboundGuard.ts';
import { client, contactSaying, createOperator, startConsoleServer } from './helpers.ts';

// The receivers listen on 127.0.0.1: private, so the admin allows it explicitly.
setOutboundPolicy(parseOutboundAllow('127.0.0.1'));

const MIN = 60_000;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

async function receiver(t: import('node:test').TestContext, statuses: number[]) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)];
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks/nudge`, received };
}

describe('workflows', () => {
  test('tags, assignment, console notification and a signed webhook retried after a 5xx', async (t) => {
    const hook = await receiver(t, [503, 200]);
    const server = await startConsoleServer(t, {
      config: {
        scenarios: {
          busy: {
            cadence: [
              {
                delay: '10m',
                workflow: [
                  { type: 'addTag', tag: 'cold' },
                  { type: 'assignUser', userId: 'sam' },
                  { type: 'notifyUser', userId: 'sam', message: 'Bo got the first nudge' },
                ],
              },
              {
                delay: '1h',
                workflow: [
                  { type: 'removeTag', tag: 'cold' },
                  { type: 'addTag', tag: 'hot' },
                  { type: 'notifyUser', webhookUrl: hook.url, message: 'second nudge out' },
                ],
              },
            ],
          },
        },
      },
    });
    const { services, clock } = server;
    const http = client(server.url);
    const dispatcher = new OutboxDispatcher({
      outbox: services.store.outbox,
      clock,
      adapters: { webhook: new WebhookAdapter({ secretFor: webhookSecretFor(services.db, () => clock.now()), clock }) },
      options: { baseBackoffMs: 1000, random: () => 0 },
      log: () => {}, // live-chat and console rows have no adapter here
    });
    dispatcher.start();
    t.after(() => dispatcher.stop());

    const bo = await contactSaying(server, { name: 'Bo' }, 'busy in a meeting');
    await server.advance(10 * MIN);
    let contact = (await http.get(`/api/contacts/${bo}`)).body.contact;
    assert.deepEqual(contact.tags, ['cold']);
    assert.equal(contact.assignedUser, 'sam');

    // The console notification, visible to operators of this bot only.
    const op = await createOperator(server, 'Sam', [server.botId]);
    const asSam = client(server.url, op.token);
    let list = (await asSam.get('/api/notifications')).body;
    assert.equal(list.unread, 1);
    assert.equal(list.notifications.length, 1);
    const note = list.notifications[0];
    assert.deepEqual(
      {
        type: note.type,
        message: note.message,
        userId: note.userId,
        scenario: note.scenario,
        step: note.step,
        channel: note.channel,
        contactId: note.contactId,
        contactName: note.contactName,
        unread: note.unread,
        delivery: note.delivery,
      },
      {
        type: 'followup.sent',
        message: 'Bo got the first nudge',
        userId: 'sam',
        scenario: 'busy',
        step: 1,
        channel: 'console',
        contactId: bo,
        contactName: 'Bo',
        unread: true,
        delivery: null,
      },
    );
    const outsider = await createOperator(server, 'Outsider', []);
    assert.deepEqual((await client(server.url, outsider.token).get('/api/notifications')).body.notifications, []);
    assert.equal(
      (await client(server.url, outsider.token).get(`/api/notifications?botId=${server.botId}`)).status,
      404,
    );
    assert.equal((await asSam.post('/api/notifications/read', { upTo: note.id })).body.lastReadId, note.id);
    list = (await asSam.get('/api/notifications')).body;
    assert.equal(list.unread, 0);
    assert.equal(list.notifications[0].unread, false);
    assert.equal((await http.get('/api/notifications')).body.unread, 1, 'read marks are per operator');

    // Step 2: tags swapped, and the webhook goes out through the outbox.
    await server.advance(60 * MIN);
    contact = (await http.get(`/api/contacts/${bo}`)).body.contact;
    assert.deepEqual(contact.tags, ['hot']);
    await dispatcher.drain();
    assert.equal(hook.received.length, 1, 'first attempt');
    clock.advance(1000); // the backoff after the 503
    await dispatcher.drain();
    assert.equal(hook.received.length, 2, 'retried after the 5xx');

    const secret = (await http.get(`/api/bots/${server.botId}/secrets`)).body.webhook.secret as string;
    for (const attempt of hook.received) {
      const ok = verifyWebhookBody(
        secret,
        attempt.body,
        attempt.headers['x-nudge-signature'] as string,
        attempt.headers['x-nudge-timestamp'] as string,
        clock.now(),
      );
      assert.ok(ok, `signature verifies with the bot's webhook secret: ${JSON.stringify(attempt.headers)}`);
      assert.ok(
        !verifyWebhookBody(
          'nwh_other',
          attempt.body,
          attempt.headers['x-nudge-signature'] as string,
          attempt.headers['x-nudge-timestamp'] as string,
          clock.now(),
        ),
      );
    }
    assert.equal(
      hook.received[0].headers['idempotency-key'],
      hook.received[1].headers['idempotency-key'],
      'a retry carries the same idempotency key',
    );
    const payload = JSON.parse(hook.received[1].body);
    assert.deepEqual(
      {
        type: payload.type,
        contactId: payload.contactId,
        scenario: payload.scenario,
        step: payload.step,
        message: payload.message,
      },
      { type: 'followup.sent', contactId: bo, scenario: 'busy', step: 2, message: 'second nudge out' },
    );

    const webhookNote = (await asSam.get(`/api/notifications?contactId=${bo}`)).body.notifications[0];
    assert.equal(webhookNote.channel, 'webhook');
    assert.equal(webhookNote.webhookUrl, hook.url);
    assert.deepEqual(webhookNote.delivery, { status: 'delivered', attempts: 2, lastError: null });
  });

  test('a workflow may never start another bot: refused with a field-level error, nothing saved', async (t) => {
    const server = await startConsoleServer(t);
    const http = client(server.url);
    const before = (await http.get(`/api/bots/${server.botId}`)).body.config;
    for (const action of [
      { type: 'startBot', botId: 'bot_x' },
      { type: 'addTag', tag: 'x', botId: 'bot_x' },
    ]) {
      const patch = { scenarios: { busy: { workflow: [action] } } };
      const res = await http.patch(`/api/bots/${server.botId}/config`, patch);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'invalid_config');
      assert.ok(
        res.body.error.details.some(
          (d: any) =>
            d.path.startsWith('scenarios.busy.workflow.0') && d.message === 'a workflow may never start another bot',
        ),
        JSON.stringify(res.body.error.details),
      );
      const checked = (await http.post(`/api/bots/${server.botId}/config/validate`, { mode: 'patch', config: patch }))
        .body;
      assert.equal(checked.ok, false);
      assert.ok(checked.errors.some((e: any) => e.message === 'a workflow may never start another bot'));
    }
    assert.deepEqual((await http.get(`/api/bots/${server.botId}`)).body.config, before);
  });
});
