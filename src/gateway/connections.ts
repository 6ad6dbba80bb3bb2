/**
 * The open sockets of the chat gateway and everything per socket: its state, the frames it
 * sends in (rate-limited per connection and per IP, validated, `message`/`contact` frames
 * answered one at a time in order), the frames sent to it (a client whose `bufferedAmount`
 * passes the limit is not reading and is terminated), the error budget (every error frame
 * costs one; an empty budget closes with 1008), ping/pong liveness, and the orderly close on
 * shutdown (in-flight frames answered and flushed, then 1012). `hello` is the handshake's
 * (handshake.ts); who hears a contact's messages is the fan-out's (fanOut.ts).
 */
import { WebSocket, type RawData } from 'ws';
import type { Clock, TimerHandle } from '../clock.ts';
import type { BotWidgetInfo, ChatBackend, ChatMessage } from './backend.ts';
import type { GatewayLimits, GatewayLogger } from './chatGateway.ts';
import type { FanOut } from './fanOut.ts';
import {
  CLOSE,
  parseClientFrame,
  type ContactFrame,
  type ErrorCode,
  type ErrorFrame,
  type HelloFrame,
  type MessageFrame,
  type ServerFrame,
} from './protocol.ts';
import { TokenBucket } from './rateLimit.ts';

/** What all connections from one address share. */
export interface IpState {
  connections: number;
  frames: TokenBucket;
  connects: TokenBucket;
}

/** One socket's state. */
export interface Conn {
  id: number;
  ws: WebSocket;
  ip: string;
  ipState: IpState;
  origin: string | undefined;
  /** Widget key from the URL, if any (then `bot` is already checked, origin included). */
  urlKey: string | null;
  bot: BotWidgetInfo | null;
  /** Set by a successful hello (the fan-out's `join`). */
  contactId: string | null;
  alive: boolean;
  frames: TokenBucket;
  strikes: TokenBucket;
  /** Serialises message/contact frames so acks come back in order. */
  queue: Promise<void>;
  queued: number;
  /** Inbound messages of this connection being committed right now. */
  accepting: number;
  /** Contact messages fanned out while `accepting`: possibly this tab's own echo. */
  held: ChatMessage[];
  /** Ids of this connection's own recent messages (already acked, never echoed back). */
  recentOwn: string[];
  /** Highest seq covered by the replay after hello; fan-out skips these. */
  replayedThrough: number;
  pendingWrites: number;
  drainWaiters: Array<() => void>;
  helloTimer: TimerHandle | null;
  closed: boolean;
  whenClosed: Promise<void>;
  markClosed: () => void;
}

export interface ConnectionsOptions {
  limits: GatewayLimits;
  clock: Clock;
  logger: GatewayLogger;
  backend: ChatBackend;
  fanOut: FanOut;
  /** Answers a `hello` frame (the handshake). */
  onHello(conn: Conn, frame: HelloFrame): void;
  onVisitorTyping?: (contactId: string, typing: boolean) => void;
}

/** Resolves when `promise` settles or after `ms`, whichever is first; never rejects. */
function within(clock: Clock, promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(resolve, ms);
    const done = () => {
      clock.clearTimeout(timer);
      resolve();
    };
    promise.then(done, done);
  });
}

function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export class Connections {
  readonly open = new Set<Conn>();
  /** Set on shutdown: no new sockets, no new frames. */
  closing = false;
  readonly counters = {
    framesIn: 0,
    framesOut: 0,
    closedPolicy: 0,
    closedTooBig: 0,
    terminatedSlow: 0,
    terminatedDead: 0,
  };
  readonly errorCounts: Partial<Record<ErrorCode, number>> = {};
  private readonly ips = new Map<string, IpState>();
  private nextConnId = 1;
  private heartbeatTimer: TimerHandle | null = null;
  private readonly limits: GatewayLimits;
  private readonly clock: Clock;
  private readonly logger: GatewayLogger;

  constructor(private readonly options: ConnectionsOptions) {
    this.limits = options.limits;
    this.clock = options.clock;
    this.logger = options.logger;
    this.heartbeatTimer = this.clock.setTimeout(() => this.heartbeat(), this.limits.heartbeatIntervalMs);
  }

  /** Addresses with connections or rate-limit budget in use. */
  get trackedIps(): number {
    return this.ips.size;
  }

  ipState(ip: string): IpState {
    let state = this.ips.get(ip);
    if (!state) {
      state = {
        connections: 0,
        frames: new TokenBucket(this.limits.perIp, this.clock),
        connects: new TokenBucket(this.limits.connectsPerIp, this.clock),
      };
      this.ips.set(ip, state);
    }
    return state;
  }

  /** A socket the handshake accepted: tracked from now on, closed (1008) if it does not say hello in time. */
  admit(
    ws: WebSocket,
    ip: string,
    ipState: IpState,
    origin: string | undefined,
    urlKey: string | null,
    bot: BotWidgetInfo | null,
  ): Conn {
    let markClosed!: () => void;
    const whenClosed = new Promise<void>((resolve) => (markClosed = resolve));
    const conn: Conn = {
      id: this.nextConnId++,
      ws,
      ip,
      ipState,
      origin,
      urlKey,
      bot,
      contactId: null,
      alive: true,
      frames: new TokenBucket(this.limits.perConnection, this.clock),
      strikes: new TokenBucket(this.limits.strikes, this.clock),
      queue: Promise.resolve(),
      queued: 0,
      accepting: 0,
      held: [],
      recentOwn: [],
      replayedThrough: 0,
      pendingWrites: 0,
      drainWaiters: [],
      helloTimer: null,
      closed: false,
      whenClosed,
      markClosed,
    };
    this.open.add(conn);
    ipState.connections++;
    this.logger.info({ conn: conn.id, ip, origin }, 'websocket connected');
    conn.helloTimer = this.clock.setTimeout(() => {
      conn.helloTimer = null;
      if (conn.contactId === null) this.policyClose(conn, 'no hello in time');
    }, this.limits.helloTimeoutMs);

    ws.on('message', (data, isBinary) => this.onRawFrame(conn, data, isBinary));
    ws.on('pong', () => (conn.alive = true));
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.counters.closedTooBig++;
      else this.logger.warn({ conn: conn.id, err: err.message }, 'websocket error');
    });
    ws.on('close', (code) => {
      this.logger.info({ conn: conn.id, contactId: conn.contactId, code }, 'websocket closed');
      this.onClosed(conn);
    });
    return conn;
  }

  clearHelloTimer(conn: Conn): void {
    if (conn.helloTimer) this.clock.clearTimeout(conn.helloTimer);
    conn.helloTimer = null;
  }

  // ---- sending ------------------------------------------------------------------------

  /** Sends one frame, or cuts the client off when it is not reading. False when not sent. */
  send(conn: Conn, frame: ServerFrame | string): boolean {
    const ws = conn.ws;
    if (ws.readyState !== WebSocket.OPEN) return false;
    const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
    if (ws.bufferedAmount + data.length > this.limits.maxBufferedBytes) {
      this.counters.terminatedSlow++;
      this.logger.warn(
        { conn: conn.id, ip: conn.ip, buffered: ws.bufferedAmount },
        'client is not reading; terminating',
      );
      ws.terminate();
      return false;
    }
    conn.pendingWrites++;
    this.counters.framesOut++;
    ws.send(data, () => {
      conn.pendingWrites--;
      if (conn.pendingWrites === 0) releaseDrainWaiters(conn);
    });
    return true;
  }

  /**
   * Answers a bad frame. Every error, ours included, spends the connection's error budget
   * and an empty budget closes it: an error that cost nothing would be a free probe.
   */
  reject(conn: Conn, code: ErrorCode, message: string, ref?: string, clientId?: string): void {
    this.errorCounts[code] = (this.errorCounts[code] ?? 0) + 1;
    const frame: ErrorFrame = { type: 'error', code, message };
    if (ref !== undefined) frame.ref = ref;
    if (clientId !== undefined) frame.clientId = clientId;
    this.send(conn, frame);
    if (!conn.strikes.take()) this.policyClose(conn, 'too many bad frames');
  }

  /** An error after which the connection cannot be used: error frame, then close (1008 unless a refusal code is given). */
  fatal(conn: Conn, code: ErrorCode, message: string, ref: string, closeCode: number = CLOSE.policy): void {
    this.errorCounts[code] = (this.errorCounts[code] ?? 0) + 1;
    this.send(conn, { type: 'error', code, message, ref });
    if (closeCode === CLOSE.policy) return this.policyClose(conn, code);
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.close(closeCode, code);
  }

  private policyClose(conn: Conn, reason: string): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    this.counters.closedPolicy++;
    this.logger.warn({ conn: conn.id, ip: conn.ip, reason }, 'closing connection (policy)');
    conn.ws.close(CLOSE.policy, reason.slice(0, 120));
  }

  // ---- receiving ----------------------------------------------------------------------

  private onRawFrame(conn: Conn, data: RawData, isBinary: boolean): void {
    conn.alive = true;
    this.counters.framesIn++;
    if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return;
    // Both buckets are always charged so a burst on one connection also drains its IP's budget.
    const connOk = conn.frames.take();
    const ipOk = conn.ipState.frames.take();
    if (!connOk || !ipOk) {
      return this.reject(
        conn,
        'rate_limited',
        connOk ? 'too many frames from this address; slow down' : 'too many frames; slow down',
      );
    }
    if (this.closing) return this.reject(conn, 'shutting_down', 'the server is shutting down; reconnect shortly');
    if (isBinary) return this.reject(conn, 'invalid_json', 'binary frames are not accepted; send JSON text');

    const parsed = parseClientFrame(frameText(data), { maxTextLength: this.limits.maxTextLength });
    if (!parsed.ok) return this.reject(conn, parsed.code, parsed.message, parsed.ref, parsed.clientId);
    const frame = parsed.frame;
    if (frame.type === 'hello') return this.options.onHello(conn, frame);
    if (conn.contactId === null) {
      const clientId = 'clientId' in frame ? frame.clientId : undefined;
      return this.reject(conn, 'not_ready', 'send hello first', frame.type, clientId);
    }
    switch (frame.type) {
      case 'message':
        return this.enqueue(conn, frame.type, frame.clientId, () => this.onMessage(conn, frame));
      case 'contact':
        return this.enqueue(conn, frame.type, frame.clientId, () => this.onContact(conn, frame));
      case 'typing':
        try {
          this.options.onVisitorTyping?.(conn.contactId, frame.typing);
        } catch (err) {
          this.logger.error({ err }, 'onVisitorTyping failed');
        }
        return;
    }
  }

  private enqueue(conn: Conn, ref: string, clientId: string | undefined, work: () => Promise<void>): void {
    if (conn.queued >= this.limits.maxQueuedFrames) {
      return this.reject(conn, 'rate_limited', 'too many frames waiting for an answer; slow down', ref, clientId);
    }
    conn.queued++;
    conn.queue = conn.queue
      .then(work)
      .catch((err) => this.logger.error({ err, conn: conn.id }, 'frame handler failed'))
      .finally(() => conn.queued--);
  }

  private async onMessage(conn: Conn, frame: MessageFrame): Promise<void> {
    const contactId = conn.contactId as string;
    const botId = (conn.bot as BotWidgetInfo).botId;
    const { backend, fanOut } = this.options;
    await fanOut.accepting(conn, async () => {
      try {
        const { message, duplicate } = await backend.acceptInbound({
          botId,
          contactId,
          clientId: frame.clientId,
          text: frame.text,
        });
        fanOut.rememberOwn(conn, message.id);
        this.send(conn, {
          type: 'ack',
          for: 'message',
          clientId: frame.clientId,
          id: message.id,
          seq: message.seq,
          at: new Date(message.at).toISOString(),
          duplicate,
        });
      } catch (err) {
        this.logger.error({ err, conn: conn.id, contactId }, 'acceptInbound failed');
        this.reject(
          conn,
          'internal',
          'the message could not be stored; retry with the same clientId',
          'message',
          frame.clientId,
        );
      }
    });
  }

  private async onContact(conn: Conn, frame: ContactFrame): Promise<void> {
    const contactId = conn.contactId as string;
    const contact: { name?: string; phone?: string; email?: string } = {};
    if (frame.name !== undefined) contact.name = frame.name;
    if (frame.phone !== undefined) contact.phone = frame.phone;
    if (frame.email !== undefined) contact.email = frame.email;
    try {
      await this.options.backend.updateContact(contactId, contact);
    } catch (err) {
      this.logger.error({ err, conn: conn.id, contactId }, 'updateContact failed');
      return this.reject(conn, 'internal', 'the contact details could not be saved', 'contact', frame.clientId);
    }
    this.send(
      conn,
      frame.clientId !== undefined
        ? { type: 'ack', for: 'contact', clientId: frame.clientId, contact }
        : { type: 'ack', for: 'contact', contact },
    );
  }

  // ---- lifecycle ----------------------------------------------------------------------

  private onClosed(conn: Conn): void {
    if (conn.closed) return;
    conn.closed = true;
    this.clearHelloTimer(conn);
    this.open.delete(conn);
    conn.ipState.connections--;
    this.options.fanOut.leave(conn);
    releaseDrainWaiters(conn);
    conn.markClosed();
  }

  /** Pings every socket; one that did not answer the previous ping is terminated. */
  private heartbeat(): void {
    this.heartbeatTimer = null;
    for (const conn of this.open) {
      if (conn.ws.readyState !== WebSocket.OPEN) continue;
      if (!conn.alive) {
        this.counters.terminatedDead++;
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
    // Forget idle addresses once their buckets are full again: nothing is lost by doing so.
    for (const [ip, state] of this.ips) {
      if (state.connections === 0 && state.frames.isFull() && state.connects.isFull()) this.ips.delete(ip);
    }
    if (!this.closing)
      this.heartbeatTimer = this.clock.setTimeout(() => this.heartbeat(), this.limits.heartbeatIntervalMs);
  }

  /** Stops taking frames and pings; waits (bounded) for the frames already accepted to be answered. */
  async quiesce(): Promise<Conn[]> {
    this.closing = true;
    if (this.heartbeatTimer) this.clock.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
    const all = [...this.open];
    await within(this.clock, Promise.all(all.map((c) => c.queue)), this.limits.closeTimeoutMs);
    return all;
  }

  /** Flushes and closes each socket with 1012 (server restarting), terminating any that does not close in time. */
  async closeAll(conns: Conn[]): Promise<void> {
    const { clock } = this;
    const ms = this.limits.closeTimeoutMs;
    await Promise.all(
      conns.map(async (conn) => {
        await within(clock, drained(conn), ms);
        if (conn.ws.readyState === WebSocket.OPEN) conn.ws.close(CLOSE.serviceRestart, 'server restarting');
        await within(clock, conn.whenClosed, ms);
        if (!conn.closed) {
          conn.ws.terminate();
          await conn.whenClosed;
        }
      }),
    );
  }
}

function releaseDrainWaiters(conn: Conn): void {
  const waiters = conn.drainWaiters;
  conn.drainWaiters = [];
  for (const resolve of waiters) resolve();
}

/** Resolves once every frame sent to the socket has been written (or it closed). */
function drained(conn: Conn): Promise<void> {
  if (conn.pendingWrites === 0 || conn.closed) return Promise.resolve();
  return new Promise((resolve) => conn.drainWaiters.push(resolve));
}
