/**
 * One load-generating process of the live-chat benchmark (bench/livechat.ts starts 1–2 of
 * them, so the clients' CPU is not charged to the measured server). It opens its share of
 * widget connections (hello → welcome), reports `ready`, waits for `go`, then sends
 * `message` frames at a fixed rate or closed loop with a bounded number in flight, timing
 * each from the send to the ack carrying its clientId. Results go back over the IPC
 * channel; nothing is printed on stdout.
 *
 *   node --import tsx bench/livechatClient.ts '<ClientConfig as JSON>'   (with an IPC channel)
 */
import { WebSocket, type RawData } from 'ws';

export interface ClientConfig {
  /** This process's number (0-based): part of every clientId and of the source addresses. */
  index: number;
  /** ws://127.0.0.1:PORT/ws/chat */
  url: string;
  /** Sent as the Origin header (must be allowed for the bot). */
  origin: string;
  botKey: string;
  connections: number;
  /** Handshakes in flight at once while connecting. */
  connectConcurrency: number;
  /** Loopback source addresses, used round-robin in blocks (spreads ephemeral ports); [] = default. */
  localAddresses: string[];
  /** Connections per source address before moving to the next one. */
  connectionsPerAddress: number;
  /** Messages/s this process sends; null = closed loop (send again when an ack comes back). */
  rate: number | null;
  /** Unacknowledged messages allowed per connection (closed loop: exactly this many). */
  maxInFlight: number;
  /** Sends before the measured window (JIT and caches warm up); not recorded. */
  warmupMs: number;
  durationMs: number;
  /** After the window: how long to wait for outstanding acks before counting them lost. */
  drainMs: number;
}

/** Parent → client. */
export type ParentCommand = { type: 'go' } | { type: 'close' };

/** Client → parent. */
export type ClientReport =
  | {
      type: 'ready';
      index: number;
      connected: number;
      failed: number;
      failures: Record<string, number>;
      connectMs: number;
    }
  | { type: 'result'; index: number; result: ClientResult }
  | { type: 'fatal'; index: number; message: string };

export interface ClientResult {
  /** Messages sent inside the measured window. */
  sent: number;
  /** Of those, acknowledged (before the drain ended). */
  acked: number;
  /** Message acks that arrived inside the window (whenever sent): the sustained rate's numerator. */
  ackedInWindow: number;
  /** Message acks received from the window's start until the drain ended (whenever sent). */
  ackedSinceWindowStart: number;
  /** Last ack of that count, ms after the window's start (≥ the window when the server lags behind). */
  lastAckMs: number;
  /** Every message ack after `go` (warm-up, window and drain): the work the server did meanwhile. */
  ackedTotal: number;
  /** Window messages with no ack after the drain. */
  unacked: number;
  /** Window messages answered with an error frame instead of an ack. */
  refused: number;
  /** Ack round trips (ms) of the window's messages. */
  ackMs: Float64Array;
  /** Fixed rate only: how late each send was against its schedule (ms); shows client-side lag. */
  sendLagMs: Float64Array;
  /** Fixed rate only: scheduled sends that found every connection at maxInFlight (server behind). */
  deferred: number;
  errorFrames: Record<string, number>;
  /** Connections that closed during the load, by close code. */
  closes: Record<string, number>;
  /** Acks whose clientId this process never sent or had already seen acknowledged. */
  strayAcks: number;
  windowMs: number;
  cpuUs: number;
}

interface Conn {
  i: number;
  ws: WebSocket;
  /** Unacknowledged clientIds → send time (ns, hrtime) or -1 when outside the window. */
  inFlight: Map<string, number>;
  open: boolean;
}

const TEXTS = [
  "I'm driving, text me later",
  'Yes, Saturday at 10 works for me',
  'How much does a cut and colour cost?',
  'Can I come in tomorrow afternoon?',
  "Thanks, I'll think about it and get back to you",
  'Do you have anything later in the week?',
  'ok',
  'Sounds good, see you then!',
];

const now = (): number => Number(process.hrtime.bigint());

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Growable Float64Array: 10k msgs/s × 10 s is a lot of boxed numbers otherwise. */
class Samples {
  private buf = new Float64Array(1 << 14);
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  toArray(): Float64Array {
    return this.buf.slice(0, this.length);
  }
}

function send(report: ClientReport): void {
  process.send?.(report);
}

async function connectAll(
  cfg: ClientConfig,
  onFrame: (conn: Conn, data: RawData) => void,
  onClose: (conn: Conn, code: number) => void,
): Promise<{ conns: Conn[]; failures: Record<string, number> }> {
  const conns: Conn[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  const connectOne = (i: number): Promise<void> =>
    new Promise((resolve) => {
      const localAddress = cfg.localAddresses.length
        ? cfg.localAddresses[Math.floor(i / cfg.connectionsPerAddress) % cfg.localAddresses.length]
        : undefined;
      const ws = new WebSocket(cfg.url, {
        origin: cfg.origin,
        perMessageDeflate: false,
        ...(localAddress ? { localAddress } : {}),
      });
      const conn: Conn = { i, ws, inFlight: new Map(), open: false };
      let settled = false;
      const done = (failure?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (failure) {
          bump(failures, failure);
          ws.terminate();
        } else {
          conn.open = true;
          conns.push(conn);
          ws.on('message', (data) => onFrame(conn, data));
        }
        resolve();
      };
      const timer = setTimeout(() => done('welcome timeout (30 s)'), 30_000);
      ws.on('unexpected-response', (_req, res) => done(`HTTP ${res.statusCode}`));
      ws.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', botKey: cfg.botKey })));
      ws.once('message', (data) => {
        let frame: { type?: string; code?: string };
        try {
          frame = JSON.parse(data.toString()) as { type?: string; code?: string };
        } catch {
          return done('unparsable first frame');
        }
        done(frame.type === 'welcome' ? undefined : `first frame ${frame.type}${frame.code ? ` ${frame.code}` : ''}`);
      });
      ws.on('close', (code) => {
        if (!settled) return done(`closed ${code} before welcome`);
        if (conn.open) {
          conn.open = false;
          onClose(conn, code);
        }
      });
    });
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= cfg.connections) return;
      await connectOne(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(cfg.connectConcurrency, cfg.connections) }, worker));
  conns.sort((a, b) => a.i - b.i);
  return { conns, failures };
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('livechat-client must be started by bench/livechat.ts (it reports over IPC)');
  const parsed = JSON.parse(process.argv[2] ?? 'null') as ClientConfig | null;
  if (!parsed || typeof parsed.url !== 'string') throw new Error('usage: livechatClient.ts <config JSON>');
  const cfg: ClientConfig = parsed;
  // The parent going away (killed, crashed) must not leave this process holding sockets.
  process.on('disconnect', () => process.exit(1));

  const ackMs = new Samples();
  const sendLagMs = new Samples();
  const errorFrames: Record<string, number> = {};
  const closes: Record<string, number> = {};
  let phase: 'connecting' | 'idle' | 'warmup' | 'window' | 'drain' = 'connecting';
  let windowStart = 0;
  let windowEnd = 0;
  let sent = 0;
  let acked = 0;
  let ackedInWindow = 0;
  let ackedSinceWindowStart = 0;
  let ackedTotal = 0;
  let lastAckAt = 0;
  /** Fixed rate: the last scan found every connection at maxInFlight and no ack has come since. */
  let saturated = false;
  let refused = 0;
  let strayAcks = 0;
  let outstanding = 0; // window messages not yet answered
  let counter = 0;
  let onSettled: (() => void) | null = null;
  let sendNext: ((conn: Conn) => void) | null = null;

  const settleOne = () => {
    outstanding--;
    if (outstanding === 0 && phase === 'drain') onSettled?.();
  };

  const onFrame = (conn: Conn, data: RawData) => {
    const t = now();
    let frame: { type?: string; for?: string; clientId?: string; code?: string };
    try {
      frame = JSON.parse(data.toString()) as typeof frame;
    } catch {
      bump(errorFrames, 'unparsable server frame');
      return;
    }
    if (frame.type === 'ack' && frame.for === 'message' && frame.clientId !== undefined) {
      const t0 = conn.inFlight.get(frame.clientId);
      if (t0 === undefined) {
        strayAcks++;
        return;
      }
      conn.inFlight.delete(frame.clientId);
      ackedTotal++;
      // Throughput counts every ack inside the window, warm-up messages' included.
      if (windowStart > 0 && t >= windowStart) {
        if (t <= windowEnd) ackedInWindow++;
        ackedSinceWindowStart++;
        lastAckAt = t;
      }
      saturated = false;
      if (t0 >= 0) {
        acked++;
        ackMs.push((t - t0) / 1e6);
        settleOne();
      }
      sendNext?.(conn);
    } else if (frame.type === 'error') {
      bump(errorFrames, frame.code ?? 'error');
      if (frame.clientId !== undefined) {
        const t0 = conn.inFlight.get(frame.clientId);
        if (t0 !== undefined) {
          conn.inFlight.delete(frame.clientId);
          if (t0 >= 0) {
            refused++;
            settleOne();
          }
          saturated = false;
          sendNext?.(conn);
        }
      }
    }
    // `message` frames (fan-out to other tabs) and `typing` are not expected here: one tab per visitor, no responder.
  };

  const onClose = (conn: Conn, code: number) => {
    if (phase === 'idle' || phase === 'connecting') bump(closes, `${code} (before load)`);
    else bump(closes, String(code));
    // Messages in flight on a dead connection will never be acknowledged.
    for (const t0 of conn.inFlight.values()) if (t0 >= 0) settleOne();
    conn.inFlight.clear();
  };

  const t0Connect = performance.now();
  const { conns, failures } = await connectAll(cfg, onFrame, onClose);
  phase = 'idle';
  send({
    type: 'ready',
    index: cfg.index,
    connected: conns.length,
    failed: cfg.connections - conns.length,
    failures,
    connectMs: performance.now() - t0Connect,
  });

  /** Sends one message on `conn`; window messages are timed, warm-up ones are not. */
  const sendOn = (conn: Conn, at: number): void => {
    const clientId = `${cfg.index}.${conn.i}.${++counter}`;
    const inWindow = phase === 'window' && at < windowEnd;
    conn.inFlight.set(clientId, inWindow ? at : -1);
    if (inWindow) {
      sent++;
      outstanding++;
    }
    conn.ws.send(`{"type":"message","clientId":"${clientId}","text":${JSON.stringify(TEXTS[counter % TEXTS.length])}}`);
  };

  const runLoad = (): Promise<ClientResult> =>
    new Promise((resolve) => {
      const start = now();
      windowStart = start + cfg.warmupMs * 1e6;
      windowEnd = windowStart + cfg.durationMs * 1e6;
      phase = cfg.warmupMs > 0 ? 'warmup' : 'window';
      const cpuStart = process.cpuUsage();
      let cpuAtWindow = cpuStart;
      const sendable = (conn: Conn) => conn.open && conn.inFlight.size < cfg.maxInFlight;

      const finish = () => {
        phase = 'drain';
        sendNext = null;
        const drainTimer = setTimeout(done, cfg.drainMs);
        function done() {
          clearTimeout(drainTimer);
          onSettled = null;
          const cpu = process.cpuUsage(cpuAtWindow);
          resolve({
            sent,
            acked,
            ackedInWindow,
            ackedSinceWindowStart,
            lastAckMs: lastAckAt > 0 ? (lastAckAt - windowStart) / 1e6 : 0,
            ackedTotal,
            unacked: outstanding,
            refused,
            ackMs: ackMs.toArray(),
            sendLagMs: sendLagMs.toArray(),
            deferred,
            errorFrames,
            closes,
            strayAcks,
            windowMs: cfg.durationMs,
            cpuUs: cpu.user + cpu.system,
          });
        }
        if (outstanding === 0) done();
        else onSettled = done;
      };

      /** Moves warmup → window → drain by the clock; false once the window is over. */
      const tickPhase = (t: number): boolean => {
        if (phase === 'drain') return false;
        if (phase === 'warmup' && t >= windowStart) {
          phase = 'window';
          cpuAtWindow = process.cpuUsage();
        }
        if (phase === 'window' && t >= windowEnd) {
          finish();
          return false;
        }
        return true;
      };

      let deferred = 0;
      if (cfg.rate === null) {
        // Closed loop: every connection keeps maxInFlight messages outstanding.
        sendNext = (conn) => {
          const t = now();
          if (!tickPhase(t) || !sendable(conn)) return;
          sendOn(conn, t);
        };
        for (let k = 0; k < cfg.maxInFlight; k++) for (const conn of conns) if (sendable(conn)) sendOn(conn, now());
        // Phase changes must happen even if no ack ever comes back.
        const watchdog = setInterval(() => {
          if (!tickPhase(now())) clearInterval(watchdog);
        }, 5);
      } else {
        // Open loop: message k is due at start + k / rate, round-robin over the connections,
        // skipping any at maxInFlight. A 1 ms timer sends whatever has fallen due.
        const rate = cfg.rate;
        const n = conns.length;
        let scheduled = 0; // messages sent since start (warm-up included)
        let cursor = 0;
        const tick = () => {
          const t = now();
          if (!tickPhase(t)) return;
          const due = Math.floor(((t - start) / 1e9) * rate);
          while (scheduled < due) {
            let conn: Conn | null = null;
            // A full scan is only worth repeating once an ack has freed a slot.
            for (let k = 0; k < n && !saturated; k++) {
              const c = conns[cursor];
              cursor = cursor + 1 === n ? 0 : cursor + 1;
              if (sendable(c)) {
                conn = c;
                break;
              }
            }
            if (!conn) {
              saturated = true;
              if (phase === 'window') deferred += due - scheduled;
              scheduled = due; // the server is behind: these sends are dropped, not bunched later
              break;
            }
            const dueAt = start + (scheduled / rate) * 1e9;
            const sendAt = now();
            if (phase === 'window' && sendAt < windowEnd) sendLagMs.push((sendAt - dueAt) / 1e6);
            sendOn(conn, sendAt);
            scheduled++;
          }
          setTimeout(tick, 1);
        };
        setTimeout(tick, 1);
      }
    });

  process.on('message', async (cmd: ParentCommand) => {
    if (cmd.type === 'go') {
      if (phase !== 'idle') return;
      send({ type: 'result', index: cfg.index, result: await runLoad() });
    } else if (cmd.type === 'close') {
      for (const conn of conns) if (conn.ws.readyState === WebSocket.OPEN) conn.ws.close(1000);
      // A close handshake per socket; give them a moment, then leave regardless.
      setTimeout(() => process.exit(0), 2000).unref();
      await Promise.all(
        conns.map((c) => (c.ws.readyState === WebSocket.CLOSED ? null : new Promise((r) => c.ws.once('close', r)))),
      );
      process.exit(0);
    }
  });
}

main().catch((err: unknown) => {
  send({ type: 'fatal', index: -1, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.stderr.write(`livechat-client: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
