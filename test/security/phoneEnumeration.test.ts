/**
 * No phone enumeration through the widget (issue 25, fault 4): a `contact` frame with an
 * existing customer's phone got an `internal` error, an unused phone an ack, and `internal`
 * errors did not count against the connection's error allowance, so a script could test
 * numbers without end. Now both answers are the same ack, the customer's number stays with
 * the customer, and every error frame spends the allowance.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, makeServer } from '../helpers/server.ts';
import { openWidget } from '../helpers/widget.ts';

/** A widget that has said hello and been welcomed. */
async function widget(url: string, origin: string, key: string) {
  const visitor = await openWidget(origin, key, { url, origin });
  visitor.send({ type: 'hello', botKey: key });
  const welcome = await visitor.waitFor((f) => f.type === 'welcome', 'welcome');
  return { ...visitor, next: visitor.waitFor, contactId: welcome.contactId as string };
}

test("a widget's contact frame answers the same for a customer's phone and an unused one, and never takes the customer's number", async (t) => {
  const server = await makeServer(t);
  const http = api(server);
  const customer = (await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: 'Ana', phone: '+14155550164' }))
    .body;
  const key = server.services.store.getBot(server.demoBotId)!.widget_key;
  const url = `${server.url.replace('http', 'ws')}/ws/chat?botKey=${key}`;
  const visitor = await widget(url, server.url, key);
  t.after(() => visitor.ws.terminate());

  visitor.send({ type: 'contact', clientId: 'c-1', phone: '+14155550164' });
  const taken = await visitor.next((f) => f.clientId === 'c-1', 'answer for the customer phone');
  visitor.send({ type: 'contact', clientId: 'c-2', phone: '+14155550199' });
  const unused = await visitor.next((f) => f.clientId === 'c-2', 'answer for an unused phone');
  assert.equal(taken.type, 'ack', JSON.stringify(taken));
  assert.deepEqual(Object.keys(taken).sort(), Object.keys(unused).sort());
  assert.deepEqual({ ...taken, clientId: null, contact: null }, { ...unused, clientId: null, contact: null });

  assert.equal(
    server.services.store.getContactByPhone(server.demoBotId, '+14155550164')?.id,
    customer.id,
    'the customer keeps the number',
  );
  assert.equal(server.services.store.getContact(visitor.contactId)?.phone, '+14155550199');
});

test('every error frame spends the connection error allowance: a stream of bad frames is closed 1008', async (t) => {
  const server = await makeServer(t);
  const key = server.services.store.getBot(server.demoBotId)!.widget_key;
  const visitor = await widget(`${server.url.replace('http', 'ws')}/ws/chat?botKey=${key}`, server.url, key);
  t.after(() => visitor.ws.terminate());
  // Break the store under the contact frame: each answer is an `internal` error.
  const store = server.services.store as unknown as { updateContactFields: (...args: unknown[]) => void };
  store.updateContactFields = () => {
    throw new Error('disk says no');
  };
  for (let i = 0; i < 30 && visitor.closeCode() === null; i++) {
    visitor.send({ type: 'contact', clientId: `c-${i}`, name: `Name ${i}` });
    await new Promise((r) => setTimeout(r, 10));
  }
  await visitor.next(() => visitor.closeCode() !== null, 'close');
  assert.equal(visitor.closeCode(), 1008);
  assert.ok(visitor.frames.filter((f) => f.type === 'error').length <= 11, 'closed once the allowance (10) was spent');
});
