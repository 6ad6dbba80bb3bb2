/**
 * The doubt path through the real server: a widget on the real WebSocket, the operator API
 * over HTTP, a real SQLite file, a fake clock, and a classifier that answers with chosen
 * confidences. A held message arms nothing, reaches the operators (console notification and
 * a signed webhook received on 127.0.0.1) and their decision is applied once.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, test, type TestContext } from 'node:test';
import { verifyWebhookBody } from '../../src/channels/signatures.ts';
import { FakeClock } from '../../src/clock.ts';
import type { ClassifierStack } from '../../src/runtime/classifierStack.ts';
import { labelCompose, settle } from '../helpers/core.ts';
import { doubtClassify } from '../helpers/doubt.ts';
import { api, makeServer } from '../helpers/server.ts';
import { openWidget as openTestWidget } from '../helpers/widget.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

const doubtStack: ClassifierStack = {
  mode: 'model',
  reason: 'test doubt classifier',
  classify: doubtClassify,
  compose: labelCompose,
};

/** A widget on the real WebSocket, collecting every frame, closed when the test ends. */
async function openWidget(t: TestContext, serverUrl: string, key: string) {
  const widget = await openTestWidget(serverUrl, key);
  t.after(() => widget.ws.close());
  return widget;
}

/** An HTTP receiver on 127.0.0.1 recording each webhook delivery. */
async function receiver(t: TestContext) {
  const received: { body: string; signature: string; timestamp: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({
        body,
        signature: req.headers['x-nudge-signature'] as string,
        timestamp: req.headers['x-nudge-timestamp'] as string,
      });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/review`, received };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('doubt: a held message waits for an operator', () => {
  test('an unsure refusal holds follow-ups, reaches the operators, and their decision is applied once', async (t) => {
    const hook = await receiver(t);
    const clock = new FakeClock('2026-01-05T10:00:00Z');
    const server = await makeServer(t, { clock, responder: true, stack: doubtStack, outboundAllow: '127.0.0.1' });
    const http = api(server);
    const botId = server.demoBotId;
    const patched = await http.patch(`/api/bots/${botId}/config`, {
      reviewWebhookUrl: hook.url,
      uncertainThreshold: 0.55,
      onDoubt: 'hold',
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const widget = await openWidget(t, server.url, server.services.store.getBot(botId)!.widget_key);
    widget.send({ type: 'hello', botKey: server.services.store.getBot(botId)!.widget_key });
    const { contactId } = await widget.waitFor((f) => f.type === 'welcome', 'welcome');

    // A confident first message: the bot answers and the stoppedReplying cadence is armed.
    widget.send({ type: 'message', clientId: 'c1', text: 'hi, how much is a haircut?' });
    await widget.waitFor((f) => f.type === 'message' && f.from === 'bot', 'bot reply');
    await settle(server.services);
    let detail = (await http.get(`/api/contacts/${contactId}`)).body;
    assert.equal(detail.pendingFollowUps.length, 1);

    // The unsure refusal: the cadence is reset and nothing is re-armed, the bot stays silent.
    widget.send({ type: 'message', clientId: 'c2', text: 'unsure: meh, not for me I think, stop pinging' });
    await widget.waitFor((f) => f.type === 'ack' && f.clientId === 'c2', 'ack');
    await settle(server.services);
    detail = (await http.get(`/api/contacts/${contactId}`)).body;
    assert.equal(detail.state, 'active');
    assert.deepEqual(detail.pendingFollowUps, []);
    assert.equal(detail.contact.needsReview, true);
    const held = detail.contact.review;
    assert.deepEqual(held.readings, [
      { intent: 'engaged', confidence: 0.41 },
      { intent: 'not_interested', confidence: 0.38 },
    ]);

    // Days pass: no follow-up fires, not even the bot-silence fall-through.
    clock.advance(6 * DAY);
    await settle(server.services);
    assert.equal(
      widget.frames.filter((f) => f.type === 'message' && f.followUp).length,
      0,
      'no follow-up reached the widget',
    );
    detail = (await http.get(`/api/contacts/${contactId}`)).body;
    assert.equal(detail.state, 'active');
    assert.deepEqual(detail.pendingFollowUps, []);
    assert.equal(server.services.store.followUpsOfContact(contactId).filter((f) => f.status === 'sent').length, 0);

    // The operators hear of it: listed for review, a console notification, a signed webhook.
    const listed = (await http.get(`/api/bots/${botId}/contacts?needsReview=true`)).body;
    assert.equal(listed.total, 1);
    assert.equal(listed.contacts[0].id, contactId);
    assert.equal(listed.contacts[0].review.text, 'unsure: meh, not for me I think, stop pinging');
    const operator = (await http.post('/api/operators', { name: 'Sam', botIds: [botId] })).body;
    const asSam = api(server, operator.token);
    const notes = (await asSam.get(`/api/notifications?contactId=${contactId}`)).body.notifications;
    const note = notes.find((n: any) => n.channel === 'console');
    assert.equal(note.type, 'contact.needs_review');
    assert.match(note.message, /engaged 41 % or not_interested 38 %/);
    await until(() => hook.received.length > 0, 'the needs_review webhook');
    const payload = JSON.parse(hook.received[0].body);
    assert.equal(payload.type, 'contact.needs_review');
    assert.equal(payload.contactId, contactId);
    assert.equal(payload.messageId, held.messageId);
    assert.equal(payload.text, 'unsure: meh, not for me I think, stop pinging');
    assert.deepEqual(
      payload.readings.map((r: any) => r.intent),
      ['engaged', 'not_interested'],
    );
    const secret = (await http.get(`/api/bots/${botId}/secrets`)).body.webhook.secret as string;
    assert.ok(
      verifyWebhookBody(
        secret,
        hook.received[0].body,
        hook.received[0].signature,
        hook.received[0].timestamp,
        Date.now(),
      ),
      'signed with the bot webhook secret',
    );

    // Another bot's operator cannot decide; the bot's operator decides once.
    const outsider = (await http.post('/api/operators', { name: 'Out', botIds: [] })).body;
    const refused = await api(server, outsider.token).post(`/api/contacts/${contactId}/review`, {
      messageId: held.messageId,
      intent: 'engaged',
    });
    assert.equal(refused.status, 404);
    const decided = await asSam.post(`/api/contacts/${contactId}/review`, {
      messageId: held.messageId,
      intent: 'not_interested',
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    assert.equal(decided.body.state, 'stopped');
    assert.equal(decided.body.contact.needsReview, false);
    const again = await asSam.post(`/api/contacts/${contactId}/review`, {
      messageId: held.messageId,
      intent: 'engaged',
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'review_not_pending');
    assert.equal(
      (await http.get(`/api/contacts/${contactId}`)).body.state,
      'stopped',
      'the refused decision changed nothing',
    );
    assert.equal((await http.get(`/api/bots/${botId}/contacts?needsReview=true`)).body.total, 0);

    // The decision is in the transition log, with who made it.
    const log = (await http.get(`/api/contacts/${contactId}/transitions`)).body.transitions;
    const decisions = log.filter((entry: any) => entry.event.type === 'REVIEW_RESOLVED');
    assert.equal(decisions.length, 1);
    assert.equal(decisions[0].event.operatorId, operator.operator?.id ?? operator.id);
    assert.equal(decisions[0].to, 'stopped');
  });

  test('under treatAsEngaged a doubtful message carries on as engaged: the cadence runs', async (t) => {
    const clock = new FakeClock('2026-01-05T10:00:00Z');
    const server = await makeServer(t, { clock, responder: true, stack: doubtStack });
    const http = api(server);
    const botId = server.demoBotId;
    await http.patch(`/api/bots/${botId}/config`, {
      onDoubt: 'treatAsEngaged',
      scenarios: { stoppedReplying: { cadence: [{ delay: '1h' }] } },
    });
    const key = server.services.store.getBot(botId)!.widget_key;
    const widget = await openWidget(t, server.url, key);
    widget.send({ type: 'hello', botKey: key });
    const { contactId } = await widget.waitFor((f) => f.type === 'welcome', 'welcome');
    widget.send({ type: 'message', clientId: 'c1', text: 'unsure: meh, not for me I think' });
    await widget.waitFor((f) => f.type === 'message' && f.from === 'bot', 'bot reply');
    await settle(server.services);
    const detail = (await http.get(`/api/contacts/${contactId}`)).body;
    assert.equal(detail.contact.needsReview, false);
    assert.equal(detail.state, 'awaiting');
    clock.advance(61 * MIN);
    await settle(server.services);
    const followUp = await widget.waitFor((f) => f.type === 'message' && f.followUp, 'follow-up');
    assert.deepEqual(followUp.followUp, { scenario: 'stoppedReplying', step: 1 });
  });

  test('a later confident refusal supersedes the review, and an operator stop ends one: neither stays listed', async (t) => {
    const clock = new FakeClock('2026-01-05T10:00:00Z');
    const server = await makeServer(t, { clock, responder: false, stack: doubtStack });
    const http = api(server);
    const botId = server.demoBotId;
    const listed = async () =>
      (await http.get(`/api/bots/${botId}/contacts?needsReview=true`)).body.contacts.map((c: any) => c.id);
    const ana = (await http.post(`/api/bots/${botId}/contacts`, { name: 'Ana' })).body.id;
    const ben = (await http.post(`/api/bots/${botId}/contacts`, { name: 'Ben' })).body.id;
    await http.post(`/api/contacts/${ana}/messages/inbound`, { text: 'unsure: hmm' });
    clock.advance(1000);
    await http.post(`/api/contacts/${ben}/messages/inbound`, { text: 'unsure: meh' });
    assert.deepEqual(await listed(), [ana, ben], 'held longest first');
    const searched = (await http.get(`/api/bots/${botId}/contacts/search?needsReview=true&sort=name`)).body;
    assert.deepEqual(
      searched.contacts.map((c: any) => c.id),
      [ana, ben],
      'the console search filters on it too',
    );
    assert.equal((await http.get(`/api/bots/${botId}/contacts/search?needsReview=yes`)).status, 400);
    const gauge = () =>
      http.get('/metrics').then((r) => /nudge_contacts_needing_review\{bot="[^"]+"\} (\d+)/.exec(r.body.raw)?.[1]);
    assert.equal(await gauge(), '2', 'the Prometheus gauge counts them');

    // A bare engaged message keeps the hold; a confident refusal supersedes it.
    await http.post(`/api/contacts/${ana}/messages/inbound`, { text: 'what?' });
    assert.deepEqual(await listed(), [ana, ben]);
    assert.equal((await http.get(`/api/contacts/${ana}`)).body.pendingFollowUps.length, 0, 'still nothing armed');
    const stop = await http.post(`/api/contacts/${ana}/messages/inbound`, { text: 'stop' });
    assert.equal(stop.body.state, 'stopped');
    assert.equal((await http.post(`/api/contacts/${ben}/stop`)).body.state, 'stopped');
    assert.deepEqual(await listed(), []);
    assert.equal((await http.get(`/api/bots/${botId}/contacts/search?needsReview=true`)).body.total, 0);
    assert.equal(await gauge(), '0');
    for (const id of [ana, ben]) {
      const detail = (await http.get(`/api/contacts/${id}`)).body;
      assert.equal(detail.contact.needsReview, false);
      assert.equal(server.services.runtime.snapshotOf(id).context.review, null, 'the projection follows the machine');
    }
    const late = await http.post(`/api/contacts/${ben}/review`, { messageId: 'msg_x', intent: 'engaged' });
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, 'review_not_pending');
  });

  test('decisions are validated; a stale one is refused; request_time schedules at the chosen instant', async (t) => {
    const clock = new FakeClock('2026-01-05T10:00:00Z');
    const server = await makeServer(t, { clock, responder: false, stack: doubtStack });
    const http = api(server);
    const botId = server.demoBotId;
    const contact = (await http.post(`/api/bots/${botId}/contacts`, { name: 'Ana' })).body;
    const say = (text: string) => http.post(`/api/contacts/${contact.id}/messages/inbound`, { text });
    await say('unsure: first');
    const first = (await http.get(`/api/contacts/${contact.id}`)).body.contact.review.messageId;
    await say('unsure: second');
    const second = (await http.get(`/api/contacts/${contact.id}`)).body.contact.review.messageId;
    assert.notEqual(first, second, 'a newer doubtful message replaces the review');

    const post = (body: unknown) => http.post(`/api/contacts/${contact.id}/review`, body);
    const bad = [
      [{ messageId: second, intent: 'maybe' }, 'intent'],
      [{ messageId: second, intent: 'request_time' }, 'requestedAt'],
      [{ messageId: second, intent: 'busy', requestedAt: '2026-01-06T10:00:00Z' }, 'requestedAt'],
      [{ messageId: second, intent: 'request_time', requestedAt: '2026-01-04T10:00:00Z' }, 'requestedAt'],
      [{ intent: 'busy' }, 'messageId'],
      [{ messageId: second, intent: 'busy', extra: 1 }, '(body)'],
    ] as const;
    for (const [body, path] of bad) {
      const res = await post(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'invalid_request');
      assert.ok(
        res.body.error.details.some((d: any) => d.path === path),
        `${JSON.stringify(body)} → ${JSON.stringify(res.body.error)}`,
      );
    }
    const stale = await post({ messageId: first, intent: 'engaged' });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'review_stale');
    assert.equal(
      (await http.get(`/api/contacts/${contact.id}`)).body.contact.needsReview,
      true,
      'refused decisions change nothing',
    );

    const requestedAt = '2026-01-06T15:00:00.000Z';
    const decided = await post({ messageId: second, intent: 'request_time', requestedAt });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    assert.equal(decided.body.state, 'scheduled');
    const detail = (await http.get(`/api/contacts/${contact.id}`)).body;
    assert.equal(detail.pendingFollowUps[0].scenario, 'requestedTime');
    assert.equal(detail.pendingFollowUps[0].dueAt, requestedAt);
    assert.equal((await http.get(`/api/bots/${botId}/contacts?needsReview=maybe`)).status, 400);
  });
});
