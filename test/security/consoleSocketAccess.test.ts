/**
 * Console sockets follow the token (issue 25, faults 3 and 6): after an operator was
 * deleted, its grant revoked or its token rotated, an open /ws/console kept streaming the
 * bot's contact ids and state changes; and one operator could hold all 200 sockets. Now each
 * change closes that operator's affected sockets at once (4401 token revoked, 4403 access
 * changed), and an operator holds at most MAX_CLIENTS_PER_OPERATOR sockets.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { MAX_CLIENTS_PER_OPERATOR } from '../../src/console/consoleSocket.ts';
import { api, makeServer } from '../helpers/server.ts';

interface Open {
  ws: WebSocket;
  frames: { type: string }[];
  closed: Promise<{ code: number; reason: string; at: number }>;
}

function connect(url: string): Promise<Open> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames: { type: string }[] = [];
    const closed = new Promise<{ code: number; reason: string; at: number }>((done) =>
      ws.on('close', (code, reason) => done({ code, reason: reason.toString(), at: Date.now() })),
    );
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      frames.push(frame);
      if (frame.type === 'hello') resolve({ ws, frames, closed });
    });
    ws.on('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
    );
    ws.on('error', reject);
  });
}

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)),
  ]);

test('deleting an operator, rotating its token or revoking its bot closes its live console sockets within a second', async (t) => {
  const server = await makeServer(t);
  const http = api(server);
  const base = `${server.url.replace('http', 'ws')}/ws/console?token=`;
  const operator = async (name: string) =>
    (await http.post('/api/operators', { name, admin: false, botIds: [server.demoBotId] })).body as {
      operator: { id: string };
      token: string;
    };
  const deleted = await operator('Dee');
  const rotated = await operator('Rio');
  const revoked = await operator('Rev');
  const bystander = await operator('Bea');
  const sockets = {
    deleted: await connect(base + deleted.token),
    rotated: await connect(base + rotated.token),
    revoked: await connect(base + revoked.token),
    bystander: await connect(base + bystander.token),
  };
  t.after(() => Object.values(sockets).forEach((s) => s.ws.terminate()));

  let at = Date.now();
  assert.equal((await http.raw('DELETE', `/api/operators/${deleted.operator.id}`)).status, 200);
  const byDelete = await within(sockets.deleted.closed, 1000, 'delete');
  assert.equal(byDelete.code, 4401);
  assert.ok(byDelete.at - at < 1000);

  at = Date.now();
  assert.equal((await http.post(`/api/operators/${rotated.operator.id}/token`)).status, 200);
  const byRotation = await within(sockets.rotated.closed, 1000, 'rotation');
  assert.equal(byRotation.code, 4401);

  assert.equal(
    (await http.raw('DELETE', `/api/operators/${revoked.operator.id}/bots/${server.demoBotId}`)).status,
    200,
  );
  const byRevoke = await within(sockets.revoked.closed, 1000, 'revocation');
  assert.equal(byRevoke.code, 4403);

  // Nothing of the bot reaches a closed socket; the bystander still hears it.
  const contact = (await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: 'Ana' })).body;
  await http.post(`/api/contacts/${contact.id}/messages/inbound`, { text: 'hello' });
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(
    sockets.bystander.frames.some((f) => f.type === 'transition'),
    'the bystander still streams',
  );
  for (const name of ['deleted', 'rotated', 'revoked'] as const) {
    assert.equal(
      sockets[name].frames.filter((f) => f.type !== 'hello').length,
      0,
      `${name} got nothing after its change`,
    );
  }
  // The rotated operator's new token connects.
  const fresh = (await http.post(`/api/operators/${rotated.operator.id}/token`)).body.token as string;
  (await connect(base + fresh)).ws.close();
});

test(`one operator holds at most ${MAX_CLIENTS_PER_OPERATOR} console sockets; others still get in`, async (t) => {
  const server = await makeServer(t);
  const http = api(server);
  const base = `${server.url.replace('http', 'ws')}/ws/console?token=`;
  const hog = (await http.post('/api/operators', { name: 'Hog', admin: false, botIds: [server.demoBotId] })).body
    .token as string;
  const other = (await http.post('/api/operators', { name: 'Other', admin: false, botIds: [server.demoBotId] })).body
    .token as string;
  const open: Open[] = [];
  t.after(() => open.forEach((s) => s.ws.terminate()));
  for (let i = 0; i < MAX_CLIENTS_PER_OPERATOR; i++) open.push(await connect(base + hog));
  await assert.rejects(connect(base + hog), (error: { status?: number }) => error.status === 429);
  open.push(await connect(base + other));
  // A socket given back makes room again.
  open[0].ws.close();
  await open[0].closed;
  await new Promise((r) => setTimeout(r, 50));
  open.push(await connect(base + hog));
});
