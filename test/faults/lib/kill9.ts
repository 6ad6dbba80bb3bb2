/**
 * Kill -9 under load, against the real server process (src/main.ts).
 *
 * N scripted widgets (WidgetClient) talk to the demo bot, configured with second-level
 * cadences so follow-ups fall due all the time; the built-in responder answers every
 * message. Each round: start the server, reconnect every widget with its visitor token and
 * lastSeq, check the replay and the acknowledged messages against the SQLite file, send
 * traffic (new messages and resends of unacknowledged ones), then SIGKILL the server at a
 * random moment. After the last round the server is started once more, every unacked
 * message is resent, the follow-ups drain, and the final state is checked:
 *
 * - no acknowledged message lost (each ack's clientId is stored once, with the acked id/seq);
 * - no follow-up lost (after the drain no pending follow-up is overdue);
 * - none sent twice (one outbox row and one conversation message per sent follow-up);
 * - every widget resumes with replay (after each hello the widget holds exactly the
 *   stored conversation: the replay started at lastSeq + 1, no seq missing, no id differing);
 * - per contact, seqs are 1..last_seq; integrity_check and foreign_key_check pass.
 *
 * Per-IP limits of the real server are the defaults (main.ts has no override): widgets are
 * spread over loopback source addresses 127.77.x.y, `perIp` widgets per address.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkAcked,
  checkSentOnce,
  checkSeqs,
  conversationOf,
  integrity,
  openReadOnly,
  overdueFollowUps,
} from './dbCheck.ts';
import { apiClient, freePort, startRealServer, type RealServer } from './realServer.ts';
import { mapLimit, mulberry32, sleep } from './util.ts';
import { WidgetClient } from './widgetClient.ts';

export interface Kill9Options {
  connections: number;
  rounds: number;
  seed: number;
  /** Widgets per loopback source address (default 10; the server allows 50 and 20 handshakes in a burst). */
  perIp?: number;
  /** SIGKILL this long after the traffic of a round starts: uniform in [min, max] ms. */
  killAfterMs?: [number, number];
  /** Each widget sends a new message every [min, max] ms during traffic. */
  sendEveryMs?: [number, number];
  /** Longest wait for the final drain of follow-ups. */
  drainTimeoutMs?: number;
  /** How the server is started (default tsx; `npm-start` runs the bundle as `npm start` does). */
  launcher?: 'tsx' | 'npm-start';
  log?: (line: string) => void;
}

export interface RoundReport {
  round: number;
  startMs: number;
  reconnectMs: number;
  connected: number;
  replayedMessages: number;
  killAfterMs: number | null;
  sentThisRound: number;
  acksThisRound: number;
}

export interface Kill9Report {
  seed: number;
  connections: number;
  rounds: number;
  violations: string[];
  totals: {
    sent: number;
    resent: number;
    acks: number;
    duplicateAcks: number;
    ackedMessages: number;
    unackedAtEnd: number;
    storedMessages: number;
    followUpsSent: number;
    followUpsSeenLive: number;
    followUpsPendingAtEnd: number;
    contacts: number;
    errorFrames: Record<string, number>;
  };
  roundDetails: RoundReport[];
  durationMs: number;
}

const TEXTS = [
  "I'm busy right now, driving",
  'busy at work, later',
  'in a meeting',
  'hi, what are your prices?',
  'sounds good, thanks',
  'can you tell me more about the service?',
  'which bikes do you have in stock?',
  'how much is a repair',
  "thanks, I'll think about it",
];

/** Cadences in seconds so a few seconds of traffic make follow-ups fall due. */
export const FAST_CADENCES = {
  botReplyTimeout: '2s',
  followUpCapPer24h: 10,
  scenarios: {
    stoppedReplying: { cadence: [{ delay: '1s' }, { delay: '2s' }] },
    busy: { cadence: [{ delay: '2s' }, { delay: '2s' }] },
  },
};

function sourceAddress(index: number, perIp: number): string {
  const group = Math.floor(index / perIp);
  return `127.77.${Math.floor(group / 250)}.${(group % 250) + 1}`;
}

export async function runKill9(options: Kill9Options): Promise<Kill9Report> {
  const began = performance.now();
  const log = options.log ?? (() => {});
  const random = mulberry32(options.seed);
  const between = ([lo, hi]: [number, number]) => lo + random() * (hi - lo);
  const perIp = options.perIp ?? 10;
  const killWindow = options.killAfterMs ?? [300, 3500];
  const sendEvery = options.sendEveryMs ?? [1500, 5000];
  const dir = mkdtempSync(join(tmpdir(), 'nudge-kill9-'));
  const dbPath = join(dir, 'nudge.sqlite');
  const adminToken = `kill9-${options.seed}-${Math.floor(random() * 1e9)}`;
  const port = await freePort();
  const violations: string[] = [];
  const rounds: RoundReport[] = [];
  const clients: WidgetClient[] = [];
  const errorFrames: Record<string, number> = {};
  let server: RealServer | null = null;
  let followUpsPendingAtEnd = 0;
  let storedMessages = 0;
  let followUpsSent = 0;
  let contacts = 0;

  const allAcks = () =>
    clients.flatMap((c) =>
      [...c.acked].map(([clientId, a]) => ({ contactId: c.contactId as string, clientId, id: a.id, seq: a.seq })),
    );

  /**
   * Every connected widget must hold exactly the stored conversation (seq 1..max, same
   * ids), and every ack must be stored as acked. Messages committed a moment ago may still
   * be on their way, so mismatches are re-checked for a while before they count.
   */
  async function verifyViews(label: string, settleMs: number): Promise<void> {
    const db = openReadOnly(dbPath);
    try {
      violations.push(...checkAcked(db, allAcks()).map((p) => `${label}: ${p}`));
      const conversation = conversationOf(db);
      const deadline = Date.now() + settleMs;
      for (;;) {
        const problems: string[] = [];
        for (const c of clients) {
          if (!c.contactId || !c.connected) continue;
          const rows = conversation(c.contactId);
          const held = c.lastSeq();
          const max = c.maxSeq();
          if (max !== held)
            problems.push(`${label}: widget of ${c.contactId} holds up to seq ${max} but is missing seq ${held + 1}`);
          for (const row of rows) {
            const known = c.messages.get(row.seq);
            if (!known) problems.push(`${label}: widget of ${c.contactId} never got seq ${row.seq} (${row.sender})`);
            else if (known.id !== row.id)
              problems.push(`${label}: widget of ${c.contactId} has ${known.id} at seq ${row.seq}, stored ${row.id}`);
          }
          if (max > (rows.at(-1)?.seq ?? 0))
            problems.push(
              `${label}: widget of ${c.contactId} knows seq ${max}, the database only ${rows.at(-1)?.seq ?? 0}`,
            );
        }
        if (problems.length === 0) return;
        if (Date.now() > deadline) {
          violations.push(...problems);
          return;
        }
        await sleep(200);
      }
    } finally {
      db.close();
    }
  }

  async function reconnectAll(round: number): Promise<{ ms: number; connected: number; replayed: number }> {
    const t0 = performance.now();
    const before = clients.map((c) => c.lastSeq());
    const results = await mapLimit(clients, 100, async (c) => {
      try {
        await c.connect();
        return true;
      } catch (error) {
        violations.push(
          `round ${round}: widget ${c.contactId ?? '(new)'} could not resume: ${(error as Error).message}`,
        );
        return false;
      }
    });
    const ms = performance.now() - t0;
    await sleep(300);
    const replayed = clients.reduce((sum, c, i) => sum + Math.max(0, c.maxSeq() - before[i]), 0);
    return { ms, connected: results.filter(Boolean).length, replayed };
  }

  try {
    for (let round = 1; round <= options.rounds + 1; round++) {
      const final = round === options.rounds + 1;
      server = await startRealServer({ dataDir: dir, port, adminToken, launcher: options.launcher });
      const pid = server.pid;
      if (round === 1) {
        const api = apiClient(server.url, adminToken);
        const bots = await api('GET', '/api/bots');
        const bot = bots.body.bots[0];
        const patched = await api('PATCH', `/api/bots/${bot.id}/config`, FAST_CADENCES);
        if (patched.status !== 200)
          throw new Error(`configuring the demo bot failed: ${patched.status} ${JSON.stringify(patched.body)}`);
        for (let i = 0; i < options.connections; i++) {
          clients.push(
            new WidgetClient({
              url: `ws://127.0.0.1:${port}/ws/chat`,
              origin: `http://127.0.0.1:${port}`,
              botKey: bot.widgetKey,
              localAddress: sourceAddress(i, perIp),
              name: `w${i}`,
            }),
          );
        }
      }
      const sentBefore = clients.reduce((s, c) => s + c.stats.sent, 0);
      const acksBefore = clients.reduce((s, c) => s + c.stats.acks, 0);
      const resumed = await reconnectAll(round);
      await verifyViews(`round ${round} replay`, 3000);
      const report: RoundReport = {
        round,
        startMs: Math.round(server.startMs),
        reconnectMs: Math.round(resumed.ms),
        connected: resumed.connected,
        replayedMessages: resumed.replayed,
        killAfterMs: null,
        sentThisRound: 0,
        acksThisRound: 0,
      };
      rounds.push(report);

      if (final) {
        for (const c of clients) c.resendUnacked();
        const ackDeadline = Date.now() + 15_000;
        while (clients.some((c) => c.connected && c.unacked.size > 0) && Date.now() < ackDeadline) await sleep(100);
        report.acksThisRound = clients.reduce((s, c) => s + c.stats.acks, 0) - acksBefore;
        log(
          `final: server pid ${pid} up in ${report.startMs} ms, ${resumed.connected}/${clients.length} widgets resumed (${resumed.replayed} messages replayed); draining follow-ups`,
        );
        break;
      }

      // Traffic: resends of unacknowledged messages (staggered), then new messages, until the kill.
      let active = true;
      const timers = new Set<NodeJS.Timeout>();
      const later = (ms: number, fn: () => void) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (active) fn();
        }, ms);
        timers.add(timer);
      };
      for (const c of clients) {
        later(random() * 300, () => c.resendUnacked());
        const next = () => {
          c.send(TEXTS[Math.floor(random() * TEXTS.length)]);
          later(between(sendEvery), next);
        };
        later(between([0, sendEvery[1]]), next);
      }
      const killAfter = Math.round(between(killWindow));
      report.killAfterMs = killAfter;
      await sleep(killAfter);
      await server.kill9();
      active = false;
      for (const timer of timers) clearTimeout(timer);
      for (const c of clients) c.close();
      report.sentThisRound = clients.reduce((s, c) => s + c.stats.sent, 0) - sentBefore;
      report.acksThisRound = clients.reduce((s, c) => s + c.stats.acks, 0) - acksBefore;
      log(
        `round ${round}/${options.rounds}: pid ${pid} up in ${report.startMs} ms, ${resumed.connected}/${clients.length} resumed in ${report.reconnectMs} ms ` +
          `(${resumed.replayed} replayed), SIGKILL after ${killAfter} ms of traffic (${report.sentThisRound} sent, ${report.acksThisRound} acked)`,
      );
      server = null;
    }

    // Final drain: no traffic; wait until no follow-up is pending (or the deadline).
    const drainDeadline = Date.now() + (options.drainTimeoutMs ?? 30_000);
    {
      const db = openReadOnly(dbPath);
      try {
        const pendingN = db.prepare(`SELECT COUNT(*) FROM followups WHERE status = 'pending'`).pluck();
        while ((pendingN.get() as number) > 0 && Date.now() < drainDeadline) await sleep(250);
        const overdue = overdueFollowUps(db, Date.now(), 2000);
        for (const f of overdue.slice(0, 20))
          violations.push(`follow-up ${f.id} still pending ${Date.now() - f.due_at} ms after it fell due`);
        if (overdue.length > 20) violations.push(`… ${overdue.length - 20} more overdue follow-ups`);
        followUpsPendingAtEnd = pendingN.get() as number;
      } finally {
        db.close();
      }
    }
    await verifyViews('after drain', 5000);
    const stopped = await server!.stop();
    if (stopped.code !== 0)
      violations.push(`graceful stop exited with ${stopped.code ?? stopped.signal}:\n${server!.output().slice(-2000)}`);
    server = null;
    for (const c of clients) c.close();

    const db = openReadOnly(dbPath);
    try {
      violations.push(...checkAcked(db, allAcks()).map((p) => `final: ${p}`));
      const once = checkSentOnce(db);
      violations.push(...once.problems);
      followUpsSent = once.sent;
      violations.push(...checkSeqs(db));
      violations.push(...integrity(db));
      storedMessages = db.prepare('SELECT COUNT(*) FROM messages').pluck().get() as number;
      contacts = db.prepare('SELECT COUNT(*) FROM contacts').pluck().get() as number;
    } finally {
      db.close();
    }
    if (contacts !== clients.length) violations.push(`${contacts} contacts stored for ${clients.length} widgets`);
    for (const c of clients) {
      if (c.unacked.size > 0)
        violations.push(
          `widget of ${c.contactId}: ${c.unacked.size} messages never acknowledged, even after resending`,
        );
      violations.push(...c.violations);
      for (const [code, n] of c.errors) errorFrames[code] = (errorFrames[code] ?? 0) + n;
    }
  } finally {
    if (server) await server.kill9();
    for (const c of clients) c.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const sum = (f: (c: WidgetClient) => number) => clients.reduce((s, c) => s + f(c), 0);
  return {
    seed: options.seed,
    connections: options.connections,
    rounds: options.rounds,
    violations,
    totals: {
      sent: sum((c) => c.stats.sent),
      resent: sum((c) => c.stats.resent),
      acks: sum((c) => c.stats.acks),
      duplicateAcks: sum((c) => c.stats.duplicateAcks),
      ackedMessages: sum((c) => c.acked.size),
      unackedAtEnd: sum((c) => c.unacked.size),
      storedMessages,
      followUpsSent,
      followUpsSeenLive: sum((c) => c.stats.followUpsSeen),
      followUpsPendingAtEnd,
      contacts,
      errorFrames,
    },
    roundDetails: rounds,
    durationMs: Math.round(performance.now() - began),
  };
}
