/**
 * Operator accounts: the token is shown once and stored only as its sha256; grants and
 * revocations, token rotation and deletion take effect on the next request; bad input
 * gets field-level errors.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { client, createOperator, startConsoleServer } from './helpers.ts';

describe('operators', () => {
  test('token returned once, stored hashed; grants, revocation, rotation and deletion apply at once', async (t) => {
    const server = await startConsoleServer(t);
    const admin = client(server.url);
    const created = await admin.post('/api/operators', { name: '  Olga  ', botIds: [server.botId] });
    assert.equal(created.status, 201, created.text);
    const { operator, token } = created.body;
    assert.match(token, /^nop_[A-Za-z0-9_-]{40,}$/);
    assert.deepEqual(
      { name: operator.name, admin: operator.admin, botIds: operator.botIds },
      { name: 'Olga', admin: false, botIds: [server.botId] },
    );

    // Only the hash is in the database, and it is the sha256 of the token.
    const row = server.services.db.prepare(`SELECT * FROM operators WHERE id = ?`).get(operator.id) as {
      token_hash: string;
    };
    assert.equal(row.token_hash, createHash('sha256').update(token).digest('hex'));
    const dump = JSON.stringify(server.services.db.prepare(`SELECT * FROM operators`).all());
    assert.ok(!dump.includes(token), 'the token itself is never stored');
    // ...and never shown again.
    const read = await admin.get(`/api/operators/${operator.id}`);
    assert.ok(!JSON.stringify(read.body).includes(token));
    const list = await admin.get('/api/operators');
    assert.deepEqual(
      list.body.operators.map((o: any) => o.id),
      [operator.id],
    );

    const asOlga = client(server.url, token);
    assert.equal((await asOlga.get(`/api/bots/${server.botId}`)).status, 200);

    // Revoke → 404 at once; grant back → 200.
    assert.equal((await admin.delete(`/api/operators/${operator.id}/bots/${server.botId}`)).status, 200);
    assert.equal((await asOlga.get(`/api/bots/${server.botId}`)).status, 404);
    assert.deepEqual((await asOlga.get('/api/bots')).body.bots, []);
    assert.equal(
      (await admin.delete(`/api/operators/${operator.id}/bots/${server.botId}`)).status,
      404,
      'revoking twice: no such grant',
    );
    const granted = await admin.post(`/api/operators/${operator.id}/bots`, { botId: server.botId });
    assert.deepEqual(granted.body.botIds, [server.botId]);
    assert.equal((await asOlga.get(`/api/bots/${server.botId}`)).status, 200);
    assert.equal((await admin.post(`/api/operators/${operator.id}/bots`, { botId: 'bot_nope' })).status, 404);

    // Promote to admin: sees every bot and may manage operators.
    const promoted = await admin.patch(`/api/operators/${operator.id}`, { admin: true, name: 'Olga K' });
    assert.deepEqual(
      { admin: promoted.body.admin, name: promoted.body.name, botIds: promoted.body.botIds },
      { admin: true, name: 'Olga K', botIds: null },
    );
    assert.equal((await asOlga.get('/api/operators')).status, 200);
    await admin.patch(`/api/operators/${operator.id}`, { admin: false });
    assert.equal((await asOlga.get('/api/operators')).status, 403);

    // Rotate: the old token stops working, the new one works.
    const rotated = await admin.post(`/api/operators/${operator.id}/token`);
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.token, token);
    assert.equal((await asOlga.get('/api/me')).status, 401);
    assert.equal((await client(server.url, rotated.body.token).get('/api/me')).status, 200);

    // Delete: 401 from then on.
    assert.deepEqual((await admin.delete(`/api/operators/${operator.id}`)).body, { deleted: true });
    assert.equal((await client(server.url, rotated.body.token).get('/api/me')).status, 401);
    assert.equal((await admin.get(`/api/operators/${operator.id}`)).status, 404);
  });

  test('validation errors name the field', async (t) => {
    const server = await startConsoleServer(t);
    const admin = client(server.url);
    const cases: [unknown, string, RegExp][] = [
      [{}, 'name', /./],
      [{ name: '   ' }, 'name', /empty/],
      [{ name: 'x'.repeat(101) }, 'name', /100/],
      [{ name: 'A', admin: 'yes' }, 'admin', /true or false/],
      [{ name: 'A', botIds: ['bot_ghost'] }, 'botIds.0', /does not exist/],
      [{ name: 'A', colour: 'red' }, '(body)', /colour/],
    ];
    for (const [body, path, message] of cases) {
      const res = await admin.post('/api/operators', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'invalid_request');
      const detail = res.body.error.details.find((d: any) => d.path === path);
      assert.ok(detail, `${JSON.stringify(body)} → ${JSON.stringify(res.body.error.details)}`);
      assert.match(detail.message + res.body.error.message, message);
    }
    const op = await createOperator(server, 'Real', []);
    assert.equal((await admin.patch(`/api/operators/${op.id}`, { admin: 1 })).status, 400);
    assert.equal((await admin.post(`/api/operators/${op.id}/bots`, {})).status, 400);
    assert.equal((await admin.post('/api/operators', 'not json', { 'content-type': 'application/json' })).status, 400);
    assert.equal(
      (server.services.db.prepare(`SELECT COUNT(*) AS n FROM operators`).get() as { n: number }).n,
      1,
      'nothing was created by the bad requests',
    );
  });
});
