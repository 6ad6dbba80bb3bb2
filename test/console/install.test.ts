/**
 * Install on your site: the install details of a bot, its allowed websites validated as
 * origins and scoped to the bot's operators, the business name and widget colour through
 * Bot Goals, and a refused page origin reported back to the console.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { parseOriginInput, widgetSnippet } from '../../src/console/install.ts';
import { api, makeServer } from '../helpers/server.ts';

async function operatorOf(server: Awaited<ReturnType<typeof makeServer>>, botIds: string[]) {
  const created = await api(server).post('/api/operators', { name: 'Olga', botIds });
  assert.equal(created.status, 201);
  return api(server, created.body.token as string);
}

/** Opens the widget socket as a page on `origin` would, and resolves with the close code. */
function helloFrom(url: string, origin: string, botKey: string): Promise<{ code: number; frames: any[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws/chat`, { origin });
    const frames: any[] = [];
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', botKey })));
    ws.on('message', (data) => frames.push(JSON.parse(String(data))));
    ws.on('close', (code) => resolve({ code, frames }));
    ws.on('error', reject);
    setTimeout(() => ws.terminate(), 5000);
  });
}

test('origins are accepted as origins only, normalised, with the reason for each refusal', () => {
  assert.deepEqual(parseOriginInput(' https://Shop.Example:443/ '), { ok: true, origin: 'https://shop.example' });
  assert.deepEqual(parseOriginInput('http://127.0.0.1:8080'), { ok: true, origin: 'http://127.0.0.1:8080' });
  assert.deepEqual(parseOriginInput('*'), { ok: true, origin: '*' });
  const refused = (value: string) => {
    const result = parseOriginInput(value);
    assert.equal(result.ok, false, value);
    return result.ok ? '' : result.message;
  };
  assert.match(refused('shop.example'), /not a website address; write it as https:\/\/shop.example/);
  assert.match(refused('https://shop.example/contact'), /has a path; allow the whole site: https:\/\/shop.example/);
  assert.match(refused('https://shop.example/?x=1'), /has a path/);
  assert.match(refused('ftp://shop.example'), /must start with https:\/\//);
  assert.match(refused('https://me:pw@shop.example'), /user name or password/);
});

test('the snippet carries the key and options, with attribute values escaped', () => {
  assert.equal(
    widgetSnippet('https://chat.example', 'wk_1', 'Bob "the" <Bikes> & Co', '#0b6e4f'),
    '<script src="https://chat.example/widget.js" data-bot-key="wk_1" data-title="Bob &quot;the&quot; &lt;Bikes&gt; &amp; Co" data-bot-name="Bob &quot;the&quot; &lt;Bikes&gt; &amp; Co" data-color="#0b6e4f" async></script>',
  );
  assert.doesNotMatch(widgetSnippet('https://chat.example', 'wk_1', 'Shop', null), /data-color/);
});

test('an operator of the bot sets its websites, name and colour; the install details follow', async (t) => {
  const server = await makeServer(t);
  const created = await api(server).post('/api/bots', { name: 'Harbor Bikes' });
  assert.equal(created.status, 201);
  const botId = created.body.id as string;
  const olga = await operatorOf(server, [botId]);

  const fresh = await olga.get(`/api/bots/${botId}/install`);
  assert.equal(fresh.status, 200);
  assert.deepEqual(fresh.body.allowedOrigins, []);
  assert.equal(fresh.body.widgetKey, created.body.widgetKey);
  assert.equal(fresh.body.lastRefused, null);
  assert.equal(
    fresh.body.snippet,
    `<script src="${server.url}/widget.js" data-bot-key="${created.body.widgetKey}" data-title="Harbor Bikes" data-bot-name="Harbor Bikes" async></script>`,
  );

  const saved = await olga.put(`/api/bots/${botId}/origins`, {
    allowedOrigins: ['https://Harbor.example/', 'https://harbor.example', 'http://127.0.0.1:8080'],
  });
  assert.equal(saved.status, 200);
  assert.deepEqual(saved.body.allowedOrigins, ['https://harbor.example', 'http://127.0.0.1:8080']);

  const bad = await olga.put(`/api/bots/${botId}/origins`, {
    allowedOrigins: ['https://ok.example', 'harbor.example/page'],
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_request');
  assert.deepEqual(
    bad.body.error.details.map((d: { path: string }) => d.path),
    ['allowedOrigins.1'],
  );
  assert.deepEqual(
    (await olga.get(`/api/bots/${botId}/install`)).body.allowedOrigins,
    ['https://harbor.example', 'http://127.0.0.1:8080'],
    'a refused list changes nothing',
  );
  assert.equal((await olga.put(`/api/bots/${botId}/origins`, { allowedOrigins: 'https://x.example' })).status, 400);

  const renamed = await olga.patch(`/api/bots/${botId}/config`, {
    name: 'Harbor Street Bikes',
    widgetColor: '#0b6e4f',
  });
  assert.equal(renamed.status, 200);
  const after = (await olga.get(`/api/bots/${botId}/install`)).body;
  assert.equal(after.businessName, 'Harbor Street Bikes');
  assert.equal(after.widgetColor, '#0b6e4f');
  assert.match(
    after.snippet,
    /data-title="Harbor Street Bikes" data-bot-name="Harbor Street Bikes" data-color="#0b6e4f"/,
  );
  assert.equal((await olga.patch(`/api/bots/${botId}/config`, { widgetColor: 'green' })).status, 400);
});

test("another bot's operator cannot read or change its websites (404, unchanged)", async (t) => {
  const server = await makeServer(t);
  const mine = (await api(server).post('/api/bots', { name: 'Mine' })).body.id as string;
  const theirs = (await api(server).post('/api/bots', { name: 'Theirs', allowedOrigins: ['https://theirs.example'] }))
    .body.id as string;
  const olga = await operatorOf(server, [mine]);
  assert.equal((await olga.get(`/api/bots/${theirs}/install`)).status, 404);
  const put = await olga.put(`/api/bots/${theirs}/origins`, { allowedOrigins: ['https://evil.example'] });
  assert.equal(put.status, 404);
  assert.deepEqual((await api(server).get(`/api/bots/${theirs}/install`)).body.allowedOrigins, [
    'https://theirs.example',
  ]);
  assert.equal((await api(server, null).get(`/api/bots/${mine}/install`)).status, 401);
});

test('a page on a site the bot does not allow is closed with 4403, and the console learns the origin', async (t) => {
  const server = await makeServer(t);
  const bot = (await api(server).post('/api/bots', { name: 'Harbor Bikes' })).body;
  const refused = await helloFrom(server.url, 'http://127.0.0.1:9', bot.widgetKey);
  assert.equal(refused.code, 4403);
  assert.equal(refused.frames[0]?.code, 'bad_origin');
  const install = (await api(server).get(`/api/bots/${bot.id}/install`)).body;
  assert.equal(install.lastRefused.origin, 'http://127.0.0.1:9');
  assert.equal(install.lastRefused.nowAllowed, false);

  await api(server).put(`/api/bots/${bot.id}/origins`, { allowedOrigins: ['http://127.0.0.1:9'] });
  assert.equal((await api(server).get(`/api/bots/${bot.id}/install`)).body.lastRefused.nowAllowed, true);
  const allowed = await new Promise<any>((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/chat`, { origin: 'http://127.0.0.1:9' });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', botKey: bot.widgetKey })));
    ws.on('message', (data) => {
      resolve(JSON.parse(String(data)));
      ws.close();
    });
    ws.on('error', reject);
  });
  assert.equal(allowed.type, 'welcome');
});
