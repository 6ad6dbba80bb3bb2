/** The Bot Goals editor's server side: validate without saving (errors + warnings), secrets. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { client, startConsoleServer } from './helpers.ts';

describe('bot configuration for the editor', () => {
  test('validate returns field-level errors and spam warnings and saves nothing', async (t) => {
    const server = await startConsoleServer(t);
    const http = client(server.url);
    const path = `/api/bots/${server.botId}/config/validate`;
    const before = (await http.get(`/api/bots/${server.botId}`)).body;

    const tooFast = await http.post(path, {
      mode: 'patch',
      config: { scenarios: { busy: { cadence: [{ delay: { value: 10, unit: 'seconds' } }] } } },
    });
    assert.equal(tooFast.status, 200);
    assert.equal(tooFast.body.ok, false);
    assert.deepEqual(tooFast.body.errors, [
      { path: 'scenarios.busy.cadence.0.delay', message: 'delay 10s is below the minimum of 1m between follow-ups' },
    ]);
    assert.equal(tooFast.body.config, null);

    const spammy = await http.post(path, {
      mode: 'patch',
      config: {
        scenarios: {
          stoppedReplying: { cadence: [{ delay: '5m' }, { delay: '10m' }, { delay: '10m' }, { delay: '10m' }] },
        },
      },
    });
    assert.equal(spammy.body.ok, true);
    const warned = spammy.body.warnings.map((w: any) => w.path);
    assert.ok(warned.includes('scenarios.stoppedReplying.cadence.1.delay'), JSON.stringify(spammy.body.warnings));
    assert.ok(warned.includes('scenarios.stoppedReplying.cadence'), 'more than the cap within 24 h');

    // Replace mode: the whole document, missing fields take defaults; the name is kept.
    const replaced = await http.post(path, { config: { active: false } });
    assert.equal(replaced.body.ok, true);
    assert.equal(replaced.body.config.name, 'Test Salon');
    assert.ok(replaced.body.warnings.some((w: any) => w.path === 'active'));

    const several = await http.post(path, {
      config: {
        timezone: 'Mars/Base',
        workingHours: { mon: [{ start: '09:00', end: '08:00' }] },
        scenarios: { busy: { message: { mode: 'custom', text: 'Hi {{frist_name}}' } } },
        colour: 'red',
      },
    });
    assert.equal(several.body.ok, false);
    const paths = several.body.errors.map((e: any) => e.path).sort();
    assert.deepEqual(paths, ['colour', 'scenarios.busy.message.text', 'timezone', 'workingHours.mon.0.end']);

    for (const body of [{}, { config: [] }, { config: {}, mode: 'merge' }, { config: {}, extra: 1 }]) {
      const res = await http.post(path, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'invalid_request');
    }
    assert.deepEqual((await http.get(`/api/bots/${server.botId}`)).body, before, 'validating never saves');

    // Saving the invalid value is refused with the same field-level error.
    const saved = await http.put(`/api/bots/${server.botId}/config`, {
      scenarios: { busy: { cadence: [{ delay: '10s' }] } },
    });
    assert.equal(saved.status, 400);
    assert.deepEqual(saved.body.error.details, [
      { path: 'scenarios.busy.cadence.0.delay', message: 'delay 10s is below the minimum of 1m between follow-ups' },
    ]);
  });

  test('secrets are created on first read and rotate independently', async (t) => {
    const server = await startConsoleServer(t);
    const http = client(server.url);
    const first = (await http.get(`/api/bots/${server.botId}/secrets`)).body;
    assert.match(first.calendar.secret, /^ncal_/);
    assert.match(first.webhook.secret, /^nwh_/);
    assert.equal(first.calendar.webhookPath, `/webhooks/calendar/${server.botId}`);
    assert.deepEqual((await http.get(`/api/bots/${server.botId}/secrets`)).body, first, 'stable across reads');
    const rotated = (await http.post(`/api/bots/${server.botId}/secrets/webhook/rotate`)).body;
    assert.notEqual(rotated.webhook.secret, first.webhook.secret);
    assert.equal(rotated.calendar.secret, first.calendar.secret);
    const bad = await http.post(`/api/bots/${server.botId}/secrets/everything/rotate`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].path, 'kind');
  });
});
