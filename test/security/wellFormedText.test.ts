/**
 * Text integrity (issue 25, fault 6): text with an unpaired surrogate (JSON's `\ud800`
 * escape) was acknowledged, then stored as invalid UTF-8 and read back mangled. Now the API
 * and the widget refuse it with a clear error, and nothing is stored.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, makeServer } from '../helpers/server.ts';
import { openWidget } from '../helpers/widget.ts';

test('the API refuses text with an unpaired surrogate (400, the field named) and stores nothing; a paired one is fine', async (t) => {
  const server = await makeServer(t);
  const http = api(server);
  const contact = (await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: 'Ana' })).body;
  for (const escape of ['\\ud800', '\\udfff', '\\udc00\\ud800']) {
    const response = await http.post(
      `/api/contacts/${contact.id}/messages/inbound`,
      `{"text":"hello ${escape} there"}`,
    );
    assert.equal(response.status, 400, escape);
    assert.equal(response.body.error.code, 'invalid_json');
    assert.match(response.body.error.message, /\$\.text contains an unpaired UTF-16 surrogate/);
  }
  const renamed = await http.patch(`/api/contacts/${contact.id}`, '{"name":"Ana \\udbff"}');
  assert.equal(renamed.status, 400);
  assert.equal((await http.get(`/api/contacts/${contact.id}/messages`)).body.messages.length, 0, 'nothing stored');
  assert.equal(server.services.store.getContact(contact.id)?.name, 'Ana');

  const emoji = await http.post(`/api/contacts/${contact.id}/messages/inbound`, '{"text":"hello \\ud83d\\ude00"}');
  assert.equal(emoji.status, 201);
  const stored = (await http.get(`/api/contacts/${contact.id}/messages`)).body.messages[0].text;
  assert.equal(stored, 'hello 😀', 'a surrogate pair is one character, stored and read back whole');
});

test('the widget refuses a message frame with an unpaired surrogate: bad_field with its clientId, no ack, nothing stored', async (t) => {
  const server = await makeServer(t);
  const key = server.services.store.getBot(server.demoBotId)!.widget_key;
  const { ws, frames, waitFor: next } = await openWidget(server.url, key);
  t.after(() => ws.terminate());
  ws.send(JSON.stringify({ type: 'hello', botKey: key }));
  const welcome = await next((f) => f.type === 'welcome');
  ws.send('{"type":"message","clientId":"m-1","text":"hi \\ud800"}');
  const error = await next((f) => f.type === 'error');
  assert.equal(error.code, 'bad_field');
  assert.equal(error.clientId, 'm-1');
  assert.match(error.message, /text contains an unpaired UTF-16 surrogate/);
  ws.send('{"type":"message","clientId":"m-2","text":"fine"}');
  await next((f) => f.type === 'ack' && f.clientId === 'm-2');
  assert.equal(
    frames.some((f) => f.type === 'ack' && f.clientId === 'm-1'),
    false,
  );
  const texts = server.services.store.messagesAfter(welcome.contactId, 0, 10).map((m) => m.text);
  assert.deepEqual(
    texts.filter((text) => text !== 'fine' && text.startsWith('hi')),
    [],
    'the refused text was not stored',
  );
});
