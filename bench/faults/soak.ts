/**
 * Soak: the real server (src/main.ts, with bench/faults/sampler.ts preloaded to sample its
 * RSS and event-loop delay every second) under mixed traffic — live chat with churn, signed
 * SMS webhooks against a fake Twilio, follow-ups falling due all the time, console and API
 * reads — and prints one JSON object with the slopes of RSS and event-loop delay after a
 * warm-up (method and output: docs/faults.md#soak). Loopback only; every process and temp
 * dir it creates is cleaned up. Its options are documented on `parseArgs` below.
 *
 *   node --import tsx bench/faults/soak.ts [--minutes 10] [--widgets 200] [--chat-rate 20] …
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { twilioSignature } from '../../src/channels/signatures.ts';
import { startFakeTwilio } from '../../test/channels/fakes/fakeTwilio.ts';
import { openReadOnly } from '../../test/faults/lib/dbCheck.ts';
import { FAST_CADENCES } from '../../test/faults/lib/kill9.ts';
import { apiClient, freePort, startRealServer, type RealServer } from '../../test/faults/lib/realServer.ts';
import { linearRegression, mapLimit, mulberry32, sleep } from '../../test/faults/lib/util.ts';
import { WidgetClient } from '../../test/faults/lib/widgetClient.ts';

/**
 * --minutes (10); --widgets (200) over WebSocket, --chat-rate messages/s in all (20), some
 * giving a phone number; --churn-rate widgets/s close and come back (1), resuming with
 * replay, a share as brand-new visitors; --sms-rate signed Twilio webhooks/s (5) from a
 * pool of phones, occasionally STOP / START; --read-rate API GETs/s (10), with the console's
 * metrics / forecast / search unless --no-console-reads; --warmup-seconds (10 % of the run,
 * at most 60 s); --seed N; --cpu-prof-dir DIR (the server writes a V8 CPU profile there when
 * it stops: bench/faults/profileTop.ts summarises it); --keep-data DIR (the server's data
 * directory is copied there at the end, to study reads on a soaked database).
 */
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    widgets: { type: 'string', default: '200' },
    'chat-rate': { type: 'string', default: '20' },
    'sms-rate': { type: 'string', default: '5' },
    'read-rate': { type: 'string', default: '10' },
    'churn-rate': { type: 'string', default: '1' },
    'warmup-seconds': { type: 'string' },
    seed: { type: 'string' },
    'cpu-prof-dir': { type: 'string' },
    'no-console-reads': { type: 'boolean', default: false },
    'keep-data': { type: 'string' },
  },
});
function num(name: string, raw: string | undefined, min: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) {
    process.stderr.write(`soak: --${name} must be a number ≥ ${min}, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}
const minutes = num('minutes', values.minutes, 0.1);
const widgetCount = Math.round(num('widgets', values.widgets, 1));
const rates = {
  chat: num('chat-rate', values['chat-rate'], 0),
  sms: num('sms-rate', values['sms-rate'], 0),
  read: num('read-rate', values['read-rate'], 0),
  churn: num('churn-rate', values['churn-rate'], 0),
};
const warmupS =
  values['warmup-seconds'] !== undefined
    ? num('warmup-seconds', values['warmup-seconds'], 0)
    : Math.min(60, minutes * 6);
const seed = values.seed !== undefined ? Math.round(num('seed', values.seed, 0)) : Math.floor(Math.random() * 2 ** 31);
const random = mulberry32(seed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const log = (line: string) => process.stderr.write(`[soak] ${line}\n`);

const MiB = 1024 * 1024;
const PER_IP = 10;
const MAX_IN_FLIGHT = 64;
const ADMIN = `soak-${seed}`;
const TWILIO_FROM = '+15550001111';
const CHAT_TEXTS = [
  "I'm busy right now, driving",
  'in a meeting',
  'hi, what are your prices?',
  'sounds good, thanks',
  'can you tell me more about the service?',
  'how much is a repair',
];
const SMS_TEXTS = [...CHAT_TEXTS, 'busy at work, later'];

function phone(i: number): string {
  const e164 = `+447911${String(100000 + i).padStart(6, '0')}`;
  if (!parsePhoneNumberFromString(e164)?.isValid()) throw new Error(`test phone ${e164} is not valid`);
  return e164;
}

/** SMS quiet hours (at least 1 h, contact-local) placed 12 h away from now in the contacts' zone, so SMS flow. */
function quietHoursAwayFromNow(zone: string): { start: string; end: string } {
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()),
  );
  const at = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
  return { start: at(hour + 12), end: at(hour + 13) };
}

class Stats {
  private readonly samples: number[] = [];
  count = 0;
  errors = new Map<string, number>();
  add(ms: number): void {
    this.count++;
    if (this.samples.length < 200_000) this.samples.push(ms);
    else this.samples[Math.floor(random() * this.samples.length)] = ms; // reservoir-ish
  }
  fail(what: string): void {
    this.errors.set(what, (this.errors.get(what) ?? 0) + 1);
  }
  summary() {
    const s = Float64Array.from(this.samples).sort();
    const p = (q: number) =>
      s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] * 100) / 100 : null;
    return { count: this.count, p50Ms: p(0.5), p99Ms: p(0.99), maxMs: p(1), errors: Object.fromEntries(this.errors) };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'nudge-soak-'));
const samplesFile = join(dir, 'samples.jsonl');
const twilio = await startFakeTwilio();
let server: RealServer | null = null;
const widgets: WidgetClient[] = [];
const timers = new Set<NodeJS.Timeout>();
let running = true;

try {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  server = await startRealServer({
    dataDir: join(dir, 'data'),
    port,
    adminToken: ADMIN,
    nodeArgs: [
      '--import',
      pathToFileURL(join(import.meta.dirname, 'sampler.ts')).href,
      ...(values['cpu-prof-dir'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof-dir']] : []),
    ],
    env: {
      NUDGE_SOAK_SAMPLES: samplesFile,
      NUDGE_PUBLIC_URL: publicUrl,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM,
      TWILIO_BASE_URL: twilio.url,
    },
  });
  log(
    `seed ${seed}; server pid ${server.pid} at ${server.url}, fake Twilio at ${twilio.url}; ${minutes} min, ${widgetCount} widgets, rates/s ${JSON.stringify(rates)}`,
  );
  const api = apiClient(server.url, ADMIN);
  const bot = (await api('GET', '/api/bots')).body.bots[0];
  const configured = await api('PATCH', `/api/bots/${bot.id}/config`, {
    ...FAST_CADENCES,
    followUpCapPer24h: 20,
    smsQuietHours: quietHoursAwayFromNow('Europe/London'),
  });
  if (configured.status !== 200) throw new Error(`configuring the bot failed: ${JSON.stringify(configured.body)}`);

  // Console routes are optional (wired by the lead): read the ones the server answers.
  type ReadRoute = { name: string; path: (contactId: string) => string };
  const readPaths: ReadRoute[] = [
    { name: 'GET /api/bots/:id/contacts', path: () => `/api/bots/${bot.id}/contacts?limit=50` },
    { name: 'GET /api/contacts/:id', path: (c) => `/api/contacts/${c}` },
    { name: 'GET /api/contacts/:id/messages', path: (c) => `/api/contacts/${c}/messages` },
    { name: 'GET /api/contacts/:id/transitions', path: (c) => `/api/contacts/${c}/transitions` },
    { name: 'GET /api/health', path: () => '/api/health' },
  ];
  const consoleCandidates: ReadRoute[] = [
    { name: 'GET /api/bots/:id/metrics', path: () => `/api/bots/${bot.id}/metrics` },
    { name: 'GET /api/bots/:id/forecast', path: () => `/api/bots/${bot.id}/forecast` },
    { name: 'GET /api/bots/:id/contacts/search', path: () => `/api/bots/${bot.id}/contacts/search?q=a` },
    { name: 'GET /api/contacts/:id/info', path: (c) => `/api/contacts/${c}/info` },
    { name: 'GET /api/notifications', path: () => '/api/notifications' },
  ];

  // ---- widgets
  const newWidget = (i: number) =>
    new WidgetClient({
      url: `ws://127.0.0.1:${port}/ws/chat`,
      origin: publicUrl,
      botKey: bot.widgetKey,
      localAddress: `127.78.${Math.floor(Math.floor(i / PER_IP) / 250)}.${(Math.floor(i / PER_IP) % 250) + 1}`,
      name: `s${i}-${Math.floor(random() * 1e9)}`,
      onAck: (clientId) => {
        const t0 = sentAt.get(clientId);
        if (t0 !== undefined) {
          chat.add(performance.now() - t0);
          sentAt.delete(clientId);
        }
      },
    });
  const chat = new Stats();
  const sentAt = new Map<string, number>();
  for (let i = 0; i < widgetCount; i++) widgets.push(newWidget(i));
  await mapLimit(widgets, 50, async (w, i) => {
    await w.connect();
    if (i % 3 === 0) w.sendContact({ name: `Visitor ${i}`, phone: phone(i) });
  });
  const contactIds = () => widgets.map((w) => w.contactId).filter((c): c is string => c !== null);
  for (const route of values['no-console-reads'] ? [] : consoleCandidates) {
    const r = await api('GET', route.path(contactIds()[0]));
    if (r.status === 200) readPaths.push(route);
  }
  const readsByRoute = new Map(readPaths.map((r) => [r.name, new Stats()]));
  log(
    `${widgets.length} widgets connected; reading ${readPaths.length} routes (${readPaths.length - 5} console routes answered)`,
  );

  // ---- load
  const sms = new Stats();
  const reads = new Stats();
  const churn = { closed: 0, resumed: 0, newVisitors: 0, failed: 0, resentAfterResume: 0, unackedLeftWithVisitor: 0 };
  const inFlight = { sms: 0, read: 0 };
  const skipped = { sms: 0, read: 0, chat: 0 };
  let smsCounter = 0;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (running) fn();
    }, ms);
    timers.add(t);
  };

  const sendChat = () => {
    const w = pick(widgets);
    const text = pick(CHAT_TEXTS);
    if (!w.connected) {
      skipped.chat++;
      return;
    }
    const clientId = w.send(text);
    if (clientId) sentAt.set(clientId, performance.now());
  };
  const sendSms = async () => {
    if (inFlight.sms >= MAX_IN_FLIGHT) return void skipped.sms++;
    inFlight.sms++;
    const r = random();
    const body = r < 0.01 ? 'STOP' : r < 0.02 ? 'START' : pick(SMS_TEXTS);
    const params = {
      From: phone(1000 + Math.floor(random() * 200)),
      To: TWILIO_FROM,
      Body: body,
      MessageSid: `SM${seed}x${++smsCounter}`,
      NumMedia: '0',
    };
    const path = `/webhooks/sms/${bot.id}`;
    const t0 = performance.now();
    try {
      const response = await fetch(`${server!.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(twilio.authToken, `${publicUrl}${path}`, params),
        },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      if (response.status === 200) sms.add(performance.now() - t0);
      else sms.fail(String(response.status));
    } catch (error) {
      sms.fail((error as Error).name);
    } finally {
      inFlight.sms--;
    }
  };
  // The WAL as the server's health reports it (does it keep rewinding under this load?).
  const walSeen = {
    healthReads: 0,
    maxWalFrames: 0,
    checkpointsInline: 0,
    last: null as Record<string, unknown> | null,
  };
  // The classifier threads as health last reported them: whether they ran (they start at
  // the event loop's first saturation and retire after a quiet minute), which moves RSS.
  let classifierThreads: Record<string, unknown> | null = null;
  /** Each change in the threads running, started or retired, with when (s since the soak began). */
  const threadChanges: { atS: number; running: unknown; starts: unknown; retirements: unknown }[] = [];
  const soakStart = performance.now();
  const noteHealth = (
    body:
      | {
          storage?: { walFrames?: number | null; checkpoints?: string };
          classifier?: { threads?: Record<string, unknown> | null };
        }
      | undefined,
  ) => {
    noteStorage(body?.storage);
    const threads = body?.classifier?.threads;
    if (!threads) return;
    const last = threadChanges.at(-1);
    if (
      !last ||
      last.running !== threads.running ||
      last.starts !== threads.starts ||
      last.retirements !== threads.retirements
    ) {
      threadChanges.push({
        atS: Math.round((performance.now() - soakStart) / 100) / 10,
        running: threads.running,
        starts: threads.starts,
        retirements: threads.retirements,
      });
    }
    classifierThreads = { ...threads, changes: threadChanges };
  };
  const noteStorage = (storage: { walFrames?: number | null; checkpoints?: string } | undefined) => {
    if (!storage) return;
    walSeen.healthReads++;
    walSeen.maxWalFrames = Math.max(walSeen.maxWalFrames, storage.walFrames ?? 0);
    if (storage.checkpoints === 'inline') walSeen.checkpointsInline++;
    walSeen.last = storage;
  };
  const read = async () => {
    if (inFlight.read >= MAX_IN_FLIGHT) return void skipped.read++;
    const ids = contactIds();
    inFlight.read++;
    const route = pick(readPaths);
    const byRoute = readsByRoute.get(route.name)!;
    const t0 = performance.now();
    try {
      const r = await api('GET', route.path(pick(ids)));
      if (r.status === 200) {
        reads.add(performance.now() - t0);
        byRoute.add(performance.now() - t0);
        if (route.name === 'GET /api/health') noteHealth(r.body);
      } else {
        reads.fail(String(r.status));
        byRoute.fail(String(r.status));
      }
    } catch (error) {
      reads.fail((error as Error).name);
      byRoute.fail((error as Error).name);
    } finally {
      inFlight.read--;
    }
  };
  /** Resends after a resume; their acks are not timed (the time away is not the server's). */
  const resendAfterResume = (w: WidgetClient) => {
    for (const clientId of w.unacked.keys()) sentAt.delete(clientId);
    churn.resentAfterResume += w.resendUnacked();
  };
  const doChurn = () => {
    const i = Math.floor(random() * widgets.length);
    const w = widgets[i];
    if (!w.connected) return;
    w.close();
    churn.closed++;
    // Away for a while (follow-ups may switch to SMS meanwhile), then back: resumed, or a new visitor.
    later(1000 + random() * 5000, () => {
      const fresh = random() < 0.2;
      const next = fresh ? newWidget(i) : w;
      if (fresh) {
        // The visitor left for good: what their widget had not seen acknowledged leaves with it.
        churn.unackedLeftWithVisitor += w.unacked.size;
        widgets[i] = next;
        churn.newVisitors++;
      }
      next.connect().then(
        () => {
          churn.resumed++;
          // As the widget does: what it sent before closing and never saw acknowledged goes
          // again with the same clientId (the server answers `duplicate` if it had stored it).
          if (!fresh) resendAfterResume(next);
          if (fresh && random() < 0.3) next.sendContact({ phone: phone(2000 + Math.floor(random() * 100_000)) });
        },
        () => churn.failed++,
      );
    });
  };

  const loadStartWall = Date.now();
  const started = performance.now();
  const endAt = started + minutes * 60_000;
  const due = { chat: 0, sms: 0, read: 0, churn: 0 };
  let last = started;
  let nextReport = started + 30_000;
  while (performance.now() < endAt) {
    await sleep(20);
    const now = performance.now();
    const dt = (now - last) / 1000;
    last = now;
    for (const kind of ['chat', 'sms', 'read', 'churn'] as const) due[kind] += rates[kind] * dt;
    for (; due.chat >= 1; due.chat--) sendChat();
    for (; due.sms >= 1; due.sms--) void sendSms();
    for (; due.read >= 1; due.read--) void read();
    for (; due.churn >= 1; due.churn--) doChurn();
    if (now >= nextReport) {
      nextReport += 30_000;
      const lines = readFileSync(samplesFile, 'utf8').trim().split('\n');
      const s = JSON.parse(lines.at(-1) ?? '{}');
      log(
        `${((now - started) / 60_000).toFixed(1)} min: rss ${(s.rss / MiB).toFixed(1)} MiB, loop p99 ${s.eldP99Ms} ms; chat acks ${chat.count}, sms ${sms.count}, reads ${reads.count}`,
      );
    }
  }
  running = false;
  for (const t of timers) clearTimeout(t);
  // Widgets still away come back and resend what they never saw acknowledged, so that
  // chatUnackedAtEnd counts messages the server failed to acknowledge, not closed tabs.
  await mapLimit(
    widgets.filter((w) => !w.connected),
    50,
    async (w) => {
      await w.connect().then(
        () => resendAfterResume(w),
        () => churn.failed++,
      );
    },
  );
  // Let requests in flight finish (and the last acks arrive) before the server stops.
  const unackedNow = () => widgets.reduce((n, w) => n + w.unacked.size, 0);
  for (let i = 0; i < 300 && (inFlight.sms + inFlight.read > 0 || unackedNow() > 0); i++) await sleep(100);
  await sleep(1000);
  const elapsedMin = (performance.now() - started) / 60_000;

  // ---- the server's own figures
  const loadEndWall = Date.now();
  const samples = readFileSync(samplesFile, 'utf8')
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as {
          at: number;
          rss: number;
          heapUsed: number;
          external: number;
          eldP99Ms: number;
          eldMaxMs: number;
          eldMeanMs: number;
          handles: number;
        },
    );
  // Fit over the load only, after the warm-up (setup and the first requests excluded).
  const window = samples.filter((s) => s.at >= loadStartWall + warmupS * 1000 && s.at <= loadEndWall);
  if (window.length < 10)
    throw new Error(`only ${window.length} samples after the warm-up; run longer or shorten --warmup-seconds`);
  const minutesOf = (s: { at: number }) => (s.at - loadStartWall) / 60_000;
  type Sample = (typeof samples)[number];
  const fitOver = (over: Sample[], f: (s: Sample) => number) =>
    linearRegression(over.map((s) => ({ x: minutesOf(s), y: f(s) })));
  const fit = (f: (s: Sample) => number) => fitOver(window, f);
  const firstMin = window.filter((s) => minutesOf(s) < minutesOf(window[0]) + 1);
  const lastMin = window.filter((s) => minutesOf(s) > minutesOf(window.at(-1)!) - 1);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const r2 = (x: number) => Math.round(x * 1000) / 1000;
  const rssFit = fit((s) => s.rss / MiB);
  const heapFit = fit((s) => s.heapUsed / MiB);
  const externalFit = fit((s) => s.external / MiB);
  const p99Fit = fit((s) => s.eldP99Ms);
  // Growth that levels off (caches and allocator arenas filling) versus a leak: the slope
  // of the second half of the window alone.
  const secondHalf = window.slice(Math.floor(window.length / 2));
  const rssHalfFit = fitOver(secondHalf, (s) => s.rss / MiB);
  const p99HalfFit = fitOver(secondHalf, (s) => s.eldP99Ms);
  const handlesFit = fit((s) => s.handles);

  const health = await api('GET', '/api/health');
  if (health.status === 200) noteHealth(health.body);
  const stopped = await server.stop();
  const db = openReadOnly(join(dir, 'data', 'nudge.sqlite'));
  const q = (sql: string) => db.prepare(sql).all();
  const stored = {
    contacts: db.prepare('SELECT COUNT(*) FROM contacts').pluck().get(),
    messages: db.prepare('SELECT COUNT(*) FROM messages').pluck().get(),
    followUpsByStatus: Object.fromEntries(
      (
        q(`SELECT status, COUNT(*) AS n FROM followups WHERE kind = 'followup' GROUP BY status`) as {
          status: string;
          n: number;
        }[]
      ).map((r) => [r.status, r.n]),
    ),
    sentFollowUpsByChannel: Object.fromEntries(
      (
        q(`SELECT channel, COUNT(*) AS n FROM followups WHERE status = 'sent' GROUP BY channel`) as {
          channel: string;
          n: number;
        }[]
      ).map((r) => [r.channel, r.n]),
    ),
    outbox: Object.fromEntries(
      (
        q(`SELECT channel || ':' || status AS k, COUNT(*) AS n FROM outbox GROUP BY k`) as { k: string; n: number }[]
      ).map((r) => [r.k, r.n]),
    ),
    integrity: db.pragma('integrity_check', { simple: true }),
  };
  db.close();
  server = null;

  const report = {
    seed,
    minutes: Math.round(elapsedMin * 100) / 100,
    warmupSeconds: warmupS,
    widgets: widgetCount,
    rates,
    consoleReads: readPaths.length > 5,
    server: { gracefulStopExit: stopped.code, samples: samples.length, samplesInFit: window.length },
    rss: {
      slopeMiBPerMin: r2(rssFit.slope),
      r2: r2(rssFit.r2),
      firstMinuteMeanMiB: r2(mean(firstMin.map((s) => s.rss / MiB))),
      lastMinuteMeanMiB: r2(mean(lastMin.map((s) => s.rss / MiB))),
      maxMiB: r2(Math.max(...window.map((s) => s.rss / MiB))),
      secondHalfSlopeMiBPerMin: r2(rssHalfFit.slope),
    },
    heapUsed: {
      slopeMiBPerMin: r2(heapFit.slope),
      r2: r2(heapFit.r2),
      lastMinuteMeanMiB: r2(mean(lastMin.map((s) => s.heapUsed / MiB))),
    },
    external: {
      slopeMiBPerMin: r2(externalFit.slope),
      r2: r2(externalFit.r2),
      lastMinuteMeanMiB: r2(mean(lastMin.map((s) => s.external / MiB))),
    },
    eventLoopDelayP99: {
      slopeMsPerMin: r2(p99Fit.slope),
      r2: r2(p99Fit.r2),
      firstMinuteMeanMs: r2(mean(firstMin.map((s) => s.eldP99Ms))),
      lastMinuteMeanMs: r2(mean(lastMin.map((s) => s.eldP99Ms))),
      maxOfSecondP99Ms: r2(Math.max(...window.map((s) => s.eldP99Ms))),
      maxMs: r2(Math.max(...window.map((s) => s.eldMaxMs))),
      secondHalfSlopeMsPerMin: r2(p99HalfFit.slope),
    },
    activeHandles: { slopePerMin: r2(handlesFit.slope), last: window.at(-1)?.handles ?? null },
    // From GET /api/health → storage over the run: the largest WAL a checkpoint found, and
    // the last report (commits, batches held at the WAL bound, checkpoint errors).
    storage: walSeen,
    classifierThreads,
    traffic: {
      chatAck: chat.summary(),
      chatUnackedAtEnd: widgets.reduce((s, w) => s + w.unacked.size, 0),
      chatSkippedWidgetOffline: skipped.chat,
      widgetErrorFrames: widgets.reduce<Record<string, number>>((acc, w) => {
        for (const [k, v] of w.errors) acc[k] = (acc[k] ?? 0) + v;
        return acc;
      }, {}),
      widgetViolations: widgets.flatMap((w) => w.violations).slice(0, 20),
      smsWebhook: sms.summary(),
      apiReads: reads.summary(),
      apiReadsByRoute: Object.fromEntries([...readsByRoute].map(([name, st]) => [name, st.summary()])),
      skippedBacklog: skipped,
      churn,
      followUpsSeenLive: widgets.reduce((s, w) => s + w.stats.followUpsSeen, 0),
      smsSentToFakeTwilio: twilio.messages.length,
    },
    stored,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  running = false;
  for (const t of timers) clearTimeout(t);
  for (const w of widgets) w.close();
  if (server) await server.kill9();
  await twilio.close();
  if (values['keep-data']) cpSync(join(dir, 'data'), values['keep-data'], { recursive: true });
  rmSync(dir, { recursive: true, force: true });
}
