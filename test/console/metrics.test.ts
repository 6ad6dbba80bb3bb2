/** Metrics per bot and range (armed, sent, skipped/cancelled by reason, reply rate per step) and /metrics. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { client, contactSaying, createOperator, startConsoleServer } from './helpers.ts';

const MIN = 60_000;

describe('metrics', () => {
  test('counts by reason, reply rate per scenario step, time ranges, and the Prometheus text', async (t) => {
    const server = await startConsoleServer(t, {
      config: { scenarios: { busy: { cadence: [{ delay: '10m' }, { delay: '1h' }] } } },
    });
    const http = client(server.url);
    const bot = server.botId;
    const t0 = server.clock.now();
    const a = await contactSaying(server, { name: 'A' }, 'busy');
    const b = await contactSaying(server, { name: 'B' }, 'busy');
    const c = await contactSaying(server, { name: 'C' }, 'busy');
    const cFollowUp = (await http.get(`/api/contacts/${c}`)).body.pendingFollowUps[0].id;
    assert.equal((await http.post(`/api/followups/${encodeURIComponent(cFollowUp)}/cancel`)).status, 200); // cancelled: operator_cancelled

    await server.advance(10 * MIN); // A1, B1 sent; A2, B2 armed
    await server.advance(5 * MIN);
    await http.post(`/api/contacts/${a}/messages/inbound`, { text: 'thanks, got it' }); // A answers step 1; A2 cancelled: contact_replied
    await contactSaying(server, { name: 'D' }, 'busy'); // D1 due at +25m
    await server.advance(5 * MIN);
    await http.patch(`/api/bots/${bot}/config`, { active: false });
    await server.advance(5 * MIN); // D1 skipped: bot_inactive; A falls through to awaiting (stoppedReplying armed)
    await http.patch(`/api/bots/${bot}/config`, { active: true });
    await server.advance(45 * MIN); // t0+70m: B2 sent

    const m = (
      await http.get(
        `/api/bots/${bot}/metrics?from=${new Date(t0).toISOString()}&to=${new Date(t0 + 120 * MIN).toISOString()}`,
      )
    ).body;
    assert.deepEqual(m.armed, { total: 7, byScenario: { busy: 6, stoppedReplying: 1 } });
    assert.deepEqual(m.sent, { total: 3, byChannel: { livechat: 3 }, byScenario: { busy: 3 } });
    assert.deepEqual(m.skipped, { total: 1, byReason: { bot_inactive: 1 } });
    assert.deepEqual(m.cancelled, { total: 2, byReason: { contact_replied: 1, operator_cancelled: 1 } });
    assert.equal(m.pendingNow, 1);
    assert.deepEqual(m.replyRate, [
      { scenario: 'busy', step: 1, sent: 2, replied: 1, rate: 0.5 },
      { scenario: 'busy', step: 2, sent: 1, replied: 0, rate: 0 },
    ]);

    // A later window only counts what happened in it.
    const late = (
      await http.get(
        `/api/bots/${bot}/metrics?from=${new Date(t0 + 30 * MIN).toISOString()}&to=${new Date(t0 + 120 * MIN).toISOString()}`,
      )
    ).body;
    assert.deepEqual([late.armed.total, late.sent.total, late.skipped.total, late.cancelled.total], [0, 1, 0, 0]);
    assert.deepEqual(late.replyRate, [{ scenario: 'busy', step: 2, sent: 1, replied: 0, rate: 0 }]);
    // The default window is the last 7 days up to now.
    const byDefault = (await http.get(`/api/bots/${bot}/metrics`)).body;
    assert.equal(byDefault.to, new Date(server.clock.now()).toISOString());
    assert.equal(byDefault.sent.total, 3);

    // B answering after step 2 counts for step 2 (the next follow-up bounds a reply window).
    await http.post(`/api/contacts/${b}/messages/inbound`, { text: 'ok ok' });
    const after = (await http.get(`/api/bots/${bot}/metrics`)).body;
    assert.deepEqual(
      after.replyRate.map((r: any) => [r.step, r.replied]),
      [
        [1, 1],
        [2, 1],
      ],
    );

    for (const query of [
      '?from=yesterday',
      '?from=2026-01-06T00:00:00Z&to=2026-01-05T00:00:00Z',
      '?from=2024-01-01T00:00:00Z&to=2026-01-05T00:00:00Z',
      '?bucket=1h',
    ]) {
      const res = await http.get(`/api/bots/${bot}/metrics${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error.code, 'invalid_request');
    }

    // Prometheus text: well-formed, typed, scoped, escaped.
    const other = (await http.post('/api/bots', { name: 'Quote "Q" \\ Salon' })).body.id;
    const prom = await http.get('/metrics');
    assert.equal(prom.status, 200);
    assert.match(prom.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const lines = prom.text.trimEnd().split('\n');
    const sample =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (-?[0-9]+(\.[0-9]+)?)$/;
    const typed = new Map<string, string>();
    for (const line of lines) {
      const type = /^# TYPE (\S+) (counter|gauge)$/.exec(line);
      if (type) typed.set(type[1], type[2]);
      else if (line.startsWith('# HELP ')) continue;
      else {
        const m2 = sample.exec(line);
        assert.ok(m2, `malformed sample line: ${line}`);
        assert.ok(typed.has(m2[1]), `sample before its # TYPE: ${line}`);
      }
    }
    assert.equal(typed.get('nudge_followups_sent_total'), 'counter');
    assert.equal(typed.get('nudge_followups_pending'), 'gauge');
    const has = (line: string) => assert.ok(lines.includes(line), `missing ${line}\n${prom.text}`);
    has(`nudge_followups_armed_total{bot="${bot}",scenario="busy"} 6`);
    has(`nudge_followups_sent_total{bot="${bot}",scenario="busy",step="1",channel="livechat"} 2`);
    has(`nudge_followups_sent_total{bot="${bot}",scenario="busy",step="2",channel="livechat"} 1`);
    has(`nudge_followups_skipped_total{bot="${bot}",reason="bot_inactive"} 1`);
    has(`nudge_followups_cancelled_total{bot="${bot}",reason="operator_cancelled"} 1`);
    has(`nudge_followup_replies_total{bot="${bot}",scenario="busy",step="1"} 1`);
    has(`nudge_followups_pending{bot="${bot}"} 1`);
    has(`nudge_bot_active{bot="${bot}"} 1`);
    has(`nudge_bot_info{bot="${other}",name="Quote \\"Q\\" \\\\ Salon"} 1`);
    has(`nudge_followups_pending{bot="${other}"} 0`);

    const op = await createOperator(server, 'Scoped', [other]);
    const scoped = await client(server.url, op.token).get('/metrics');
    assert.equal(scoped.status, 200);
    assert.ok(scoped.text.includes(`bot="${other}"`));
    assert.ok(!scoped.text.includes(bot), 'another bot never appears');
    assert.equal((await client(server.url, null).get('/metrics')).status, 401);
  });
});
