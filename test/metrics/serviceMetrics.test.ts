/**
 * GET /metrics carries, after the per-bot counters, prom-client's process metrics and the
 * latency histograms (chat ack, timer lateness, classification, commit), all in one valid
 * Prometheus text exposition: each family declared once, histograms cumulative.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import WebSocket from 'ws';
import { FakeClock } from '../../src/clock.ts';
import { settle } from '../helpers/core.ts';
import { api, makeServer } from '../helpers/server.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the text format: fails on any line it does not understand. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      assert.ok(!types.has(type[1]), `family ${type[1]} declared twice`);
      types.set(type[1], type[2]);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const sample =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?(?:[0-9.e+-]+|[Nn]a[Nn]|\+Inf|-Inf))(?: -?[0-9]+)?$/.exec(line);
    assert.ok(sample, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1]] = pair[2];
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return { types, samples };
}

const count = (samples: Sample[], family: string) => samples.find((s) => s.name === `${family}_count`)?.value ?? 0;

test('GET /metrics adds process metrics and latency histograms to the per-bot counters, as one valid exposition', async (t) => {
  const clock = new FakeClock('2026-01-05T15:00:00Z');
  const server = await makeServer(t, { clock });
  const http = api(server);
  await http.patch(`/api/bots/${server.demoBotId}/config`, {
    scenarios: { stoppedReplying: { cadence: [{ delay: '1h' }] } },
  });
  const key = server.services.store.getBot(server.demoBotId)!.widget_key;
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/chat?botKey=${key}`, { origin: server.url });
  t.after(() => ws.close());
  const frames: Record<string, any>[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  const waitFor = async (type: string) => {
    for (let i = 0; i < 200 && !frames.some((f) => f.type === type); i++) await new Promise((r) => setTimeout(r, 10));
    return frames.find((f) => f.type === type)!;
  };
  ws.send(JSON.stringify({ type: 'hello', botKey: key }));
  const welcome = await waitFor('welcome');
  ws.send(JSON.stringify({ type: 'message', clientId: 'm1', text: 'hello there' }));
  assert.ok(await waitFor('ack'));
  await http.post(`/api/contacts/${welcome.contactId}/messages/outbound`, { text: 'Hi! How can we help?' });
  clock.advance(3_600_000);
  await settle(server.services);

  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer test-admin-token' } });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const { types, samples } = parseExposition(text);

  assert.equal(types.get('nudge_followups_sent_total'), 'counter', 'the per-bot counters are still there');
  for (const family of [
    'process_cpu_user_seconds_total',
    'process_resident_memory_bytes',
    'nodejs_heap_size_used_bytes',
    'nodejs_eventloop_lag_seconds',
  ]) {
    assert.ok(
      samples.some((s) => s.name === family),
      `${family} is exported`,
    );
  }
  assert.equal(types.get('nodejs_gc_duration_seconds'), 'histogram');
  for (const family of [
    'nudge_chat_ack_seconds',
    'nudge_timer_lateness_seconds',
    'nudge_classification_seconds',
    'nudge_commit_seconds',
  ]) {
    assert.equal(types.get(family), 'histogram', family);
    assert.ok(count(samples, family) >= 1, `${family} observed: ${count(samples, family)}`);
    const buckets = samples.filter((s) => s.name === `${family}_bucket`);
    for (let i = 1; i < buckets.length; i++)
      assert.ok(buckets[i].value >= buckets[i - 1].value, `${family} buckets are cumulative`);
    assert.equal(buckets.at(-1)?.labels.le, '+Inf');
    assert.equal(buckets.at(-1)?.value, count(samples, family));
  }
  assert.ok(count(samples, 'nudge_classification_seconds') >= 1 && count(samples, 'nudge_chat_ack_seconds') === 1);

  // promtool's own check, where Prometheus's tools are installed (apt-get install prometheus).
  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (promtool.error) t.diagnostic('promtool not installed: its check was skipped');
  else assert.equal(promtool.status, 0, `${promtool.stdout}${promtool.stderr}`);
});
