/**
 * The live-chat WebSocket gateway: `ws` in noServer mode on the service's HTTP server,
 * answering upgrades for `/ws/chat` only (other paths are left to their own handlers).
 *
 * It authenticates widgets (bot widget key + allowed origins + signed visitor token),
 * validates every frame, rate-limits per connection and per IP, replays missed messages
 * after a reconnect, fans new messages out to every open tab of a contact, cuts off
 * clients that do not read, detects dead peers with ping/pong, and tracks presence.
 * Everything about storage and bots goes through the ChatBackend interface.
 */
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { systemClock, type Clock, type TimerHandle } from '../clock.ts';
import type { BotWidgetInfo, ChatBackend, ChatMessage } from './backend.ts';
import { isOriginAllowed } from './origin.ts';
import {
  CHAT_PATH,
  CLOSE,
  parseClientFrame,
  toWireMessage,
  type ContactFrame,
  type ErrorCode,
  type ErrorFrame,
  type HelloFrame,
  type MessageFrame,
  type ServerFrame,
} from './protocol.ts';
import { TokenBucket, type BucketLimit } from './rateLimit.ts';
import { signVisitorToken, verifyVisitorToken } from './visitorToken.ts';

export interface GatewayLimits {
  /** Largest accepted frame; a bigger one closes the socket with 1009. */
  maxPayloadBytes: number;
  /** Longest message text (JavaScript string length); longer gets `text_too_long`. */
  maxTextLength: number;
  /** Frame rate of one connection. */
  perConnection: BucketLimit;
  /** Frame rate of all connections from one IP together. */
  perIp: BucketLimit;
  /** WebSocket handshakes per IP. */
  connectsPerIp: BucketLimit;
  maxConnectionsPerIp: number;
  maxConnections: number;
  /** Error budget of a connection: every error frame costs one; an empty budget closes with 1008. */
  strikes: BucketLimit;
  /** message/contact frames waiting for the backend on one connection. */
  maxQueuedFrames: number;
  /** Bytes queued towards a client; past this the client is not reading and is terminated. */
  maxBufferedBytes: number;
  /** Ping interval; a peer that has not answered the previous ping is terminated. */
  heartbeatIntervalMs: number;
  /** A connection that has not completed `hello` within this is closed with 1008. */
  helloTimeoutMs: number;
  /** How long shutdown waits for in-flight work, flushing and close handshakes. */
  closeTimeoutMs: number;
}

export const DEFAULT_LIMITS: Readonly<GatewayLimits> = Object.freeze({
  maxPayloadBytes: 16 * 1024,
  maxTextLength: 2000,
  perConnection: { burst: 20, perSecond: 2 },
  perIp: { burst: 60, perSecond: 10 },
  connectsPerIp: { burst: 20, perSecond: 1 },
  maxConnectionsPerIp: 50,
  maxConnections: 10_000,
  strikes: { burst: 10, perSecond: 0.1 },
  maxQueuedFrames: 16,
  maxBufferedBytes: 1024 * 1024,
  heartbeatIntervalMs: 30_000,
  helloTimeoutMs: 15_000,
  closeTimeoutMs: 5_000,
});

/** Compatible with fastify's / pino's logger (`app.log`). */
export interface GatewayLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Without a logger (tests that do not read the lines), the gateway logs nothing. */
const silent: GatewayLogger = { info: () => {}, warn: () => {}, error: () => {} };

export interface ChatGatewayOptions {
  server: Server;
  backend: ChatBackend;
  /** Server secret for visitor tokens (see loadOrCreateVisitorSecret). */
  secret: Buffer;
  clock?: Clock;
  limits?: Partial<GatewayLimits>;
  logger?: GatewayLogger;
  /** Defaults to `/ws/chat`. */
  path?: string;
  /** Defaults to the socket's remote address; override only behind a trusted proxy. */
  clientIp?: (req: IncomingMessage) => string;
  /** Visitor typing indicator (client `typing` frames), e.g. for the operator console. */
  onVisitorTyping?: (contactId: string, typing: boolean) => void;
}

export interface Presence {
  isConnected(contactId: string): boolean;
  connections(contactId: string): number;
  /** Called whenever a contact's number of open widgets changes. Returns an unsubscribe function. */
  onChange(listener: (contactId: string, connections: number) => void): () => void;
}

export interface GatewayStats {
  connections: number;
  readyConnections: number;
  contactsOnline: number;
  trackedIps: number;
  framesIn: number;
  framesOut: number;
  errors: Partial<Record<ErrorCode, number>>;
  rejectedUpgrades: number;
  closedPolicy: number;
  closedTooBig: number;
  terminatedSlow: number;
  terminatedDead: number;
}

export interface ChatGateway {
  presence: Presence;
  /** Stops accepting, finishes in-flight frames, flushes, closes every socket with 1012 (server restarting). */
  close(): Promise<void>;
  stats(): GatewayStats;
}

interface IpState {
  connections: number;
  frames: TokenBucket;
  connects: TokenBucket;
}

interface Conn {
  id: number;
  ws: WebSocket;
  ip: string;
  ipState: IpState;
  origin: string | undefined;
  /** Widget key from the URL, if any (then `bot` is already checked, origin included). */
  urlKey: string | null;
  bot: BotWidgetInfo | null;
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

const RECENT_OWN = 32;
const MAX_HELD = 256;

export function createChatGateway(options: ChatGatewayOptions): ChatGateway {
  const { server, backend, secret } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silent;
  const path = options.path ?? CHAT_PATH;
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const clientIp = options.clientIp ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');
  if (!Buffer.isBuffer(secret) || secret.length < 32)
    throw new Error('createChatGateway: secret must be a Buffer of at least 32 bytes');

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxPayloadBytes,
    perMessageDeflate: false, // compression costs CPU and memory per socket and invites zip bombs
    clientTracking: false,
  });

  const conns = new Set<Conn>();
  const byContact = new Map<string, Set<Conn>>();
  const ips = new Map<string, IpState>();
  const presenceListeners = new Set<(contactId: string, connections: number) => void>();
  let nextConnId = 1;
  let closing = false;
  let closePromise: Promise<void> | null = null;

  const counters = {
    framesIn: 0,
    framesOut: 0,
    rejectedUpgrades: 0,
    closedPolicy: 0,
    closedTooBig: 0,
    terminatedSlow: 0,
    terminatedDead: 0,
  };
  const errorCounts: Partial<Record<ErrorCode, number>> = {};

  // ---- upgrade ------------------------------------------------------------------------

  function refuseUpgrade(socket: Duplex, status: number, code: ErrorCode, message: string): void {
    counters.rejectedUpgrades++;
    const body = JSON.stringify({ error: { code, message } });
    socket.on('error', () => {}); // the client may already be gone; nothing to do about it
    socket.once('finish', () => socket.destroy());
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
        'Connection: close\r\n' +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
        body,
    );
  }

  function ipStateOf(ip: string): IpState {
    let state = ips.get(ip);
    if (!state) {
      state = {
        connections: 0,
        frames: new TokenBucket(limits.perIp, clock),
        connects: new TokenBucket(limits.connectsPerIp, clock),
      };
      ips.set(ip, state);
    }
    return state;
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return; // not a URL we can route; some other handler's business
    }
    if (url.pathname !== path) return; // another WebSocket endpoint (e.g. the console) handles it

    if (closing) return refuseUpgrade(socket, 503, 'shutting_down', 'the server is shutting down');
    const ip = clientIp(req);
    const ipState = ipStateOf(ip);
    if (!ipState.connects.take())
      return refuseUpgrade(socket, 429, 'rate_limited', 'too many connection attempts from this address');
    if (ipState.connections >= limits.maxConnectionsPerIp) {
      return refuseUpgrade(socket, 429, 'rate_limited', 'too many open connections from this address');
    }
    if (conns.size >= limits.maxConnections)
      return refuseUpgrade(socket, 503, 'rate_limited', 'the server is at its connection limit');

    const origin = req.headers.origin;
    const urlKey = url.searchParams.get('botKey');
    let bot: BotWidgetInfo | null = null;
    if (urlKey !== null) {
      try {
        bot = backend.findBotByWidgetKey(urlKey);
      } catch (err) {
        logger.error({ err }, 'findBotByWidgetKey failed');
        return refuseUpgrade(socket, 500, 'internal', 'could not look up the widget key');
      }
      if (!bot) return refuseUpgrade(socket, 403, 'bad_bot_key', 'unknown widget key');
      if (!isOriginAllowed(origin, bot.allowedOrigins)) {
        noteRefusedOrigin(bot.botId, origin);
        return refuseUpgrade(socket, 403, 'bad_origin', `origin ${origin ?? '(none)'} is not allowed for this widget`);
      }
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (closing) {
        ws.close(CLOSE.serviceRestart, 'server restarting');
        return;
      }
      onConnection(ws, ip, ipState, origin, urlKey, bot);
    });
  }

  // ---- connection lifecycle -----------------------------------------------------------

  function onConnection(
    ws: WebSocket,
    ip: string,
    ipState: IpState,
    origin: string | undefined,
    urlKey: string | null,
    bot: BotWidgetInfo | null,
  ): void {
    let markClosed!: () => void;
    const whenClosed = new Promise<void>((resolve) => (markClosed = resolve));
    const conn: Conn = {
      id: nextConnId++,
      ws,
      ip,
      ipState,
      origin,
      urlKey,
      bot,
      contactId: null,
      alive: true,
      frames: new TokenBucket(limits.perConnection, clock),
      strikes: new TokenBucket(limits.strikes, clock),
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
    conns.add(conn);
    ipState.connections++;
    logger.info({ conn: conn.id, ip, origin }, 'websocket connected');
    conn.helloTimer = clock.setTimeout(() => {
      conn.helloTimer = null;
      if (conn.contactId === null) policyClose(conn, 'no hello in time');
    }, limits.helloTimeoutMs);

    ws.on('message', (data, isBinary) => onRawFrame(conn, data, isBinary));
    ws.on('pong', () => (conn.alive = true));
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') counters.closedTooBig++;
      else logger.warn({ conn: conn.id, err: err.message }, 'websocket error');
    });
    ws.on('close', (code) => {
      logger.info({ conn: conn.id, contactId: conn.contactId, code }, 'websocket closed');
      onClosed(conn);
    });
  }

  function onClosed(conn: Conn): void {
    if (conn.closed) return;
    conn.closed = true;
    clearHelloTimer(conn);
    conns.delete(conn);
    conn.ipState.connections--;
    if (conn.contactId !== null) {
      const set = byContact.get(conn.contactId);
      if (set) {
        set.delete(conn);
        if (set.size === 0) byContact.delete(conn.contactId);
        notifyPresence(conn.contactId);
      }
    }
    conn.held = [];
    releaseDrainWaiters(conn);
    conn.markClosed();
  }

  function clearHelloTimer(conn: Conn): void {
    if (conn.helloTimer) clock.clearTimeout(conn.helloTimer);
    conn.helloTimer = null;
  }

  function policyClose(conn: Conn, reason: string): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    counters.closedPolicy++;
    logger.warn({ conn: conn.id, ip: conn.ip, reason }, 'closing connection (policy)');
    conn.ws.close(CLOSE.policy, reason.slice(0, 120));
  }

  // ---- sending ------------------------------------------------------------------------

  /** Sends one frame, or cuts the client off when it is not reading. False when not sent. */
  function send(conn: Conn, frame: ServerFrame | string): boolean {
    const ws = conn.ws;
    if (ws.readyState !== WebSocket.OPEN) return false;
    const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
    if (ws.bufferedAmount + data.length > limits.maxBufferedBytes) {
      counters.terminatedSlow++;
      logger.warn({ conn: conn.id, ip: conn.ip, buffered: ws.bufferedAmount }, 'client is not reading; terminating');
      ws.terminate();
      return false;
    }
    conn.pendingWrites++;
    counters.framesOut++;
    ws.send(data, () => {
      conn.pendingWrites--;
      if (conn.pendingWrites === 0) releaseDrainWaiters(conn);
    });
    return true;
  }

  function releaseDrainWaiters(conn: Conn): void {
    const waiters = conn.drainWaiters;
    conn.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function drained(conn: Conn): Promise<void> {
    if (conn.pendingWrites === 0 || conn.closed) return Promise.resolve();
    return new Promise((resolve) => conn.drainWaiters.push(resolve));
  }

  /**
   * Answers a bad frame. Every error, ours included, spends the connection's error budget
   * and an empty budget closes it: an error that cost nothing would be a free probe.
   */
  function reject(conn: Conn, code: ErrorCode, message: string, ref?: string, clientId?: string): void {
    errorCounts[code] = (errorCounts[code] ?? 0) + 1;
    const frame: ErrorFrame = { type: 'error', code, message };
    if (ref !== undefined) frame.ref = ref;
    if (clientId !== undefined) frame.clientId = clientId;
    send(conn, frame);
    if (!conn.strikes.take()) policyClose(conn, 'too many bad frames');
  }

  /** An error after which the connection cannot be used: error frame, then close (1008 unless a refusal code is given). */
  function fatal(conn: Conn, code: ErrorCode, message: string, ref: string, closeCode: number = CLOSE.policy): void {
    errorCounts[code] = (errorCounts[code] ?? 0) + 1;
    send(conn, { type: 'error', code, message, ref });
    if (closeCode === CLOSE.policy) return policyClose(conn, code);
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.close(closeCode, code);
  }

  function noteRefusedOrigin(botId: string, origin: string | undefined): void {
    try {
      backend.noteRefusedOrigin?.(botId, origin ?? null);
    } catch (err) {
      logger.error({ err }, 'noteRefusedOrigin failed');
    }
  }

  // ---- receiving ----------------------------------------------------------------------

  function onRawFrame(conn: Conn, data: RawData, isBinary: boolean): void {
    conn.alive = true;
    counters.framesIn++;
    if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return;
    // Both buckets are always charged so a burst on one connection also drains its IP's budget.
    const connOk = conn.frames.take();
    const ipOk = conn.ipState.frames.take();
    if (!connOk || !ipOk) {
      return reject(
        conn,
        'rate_limited',
        connOk ? 'too many frames from this address; slow down' : 'too many frames; slow down',
      );
    }
    if (closing) return reject(conn, 'shutting_down', 'the server is shutting down; reconnect shortly');
    if (isBinary) return reject(conn, 'invalid_json', 'binary frames are not accepted; send JSON text');
    const raw = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data).toString('utf8');

    const parsed = parseClientFrame(raw, { maxTextLength: limits.maxTextLength });
    if (!parsed.ok) return reject(conn, parsed.code, parsed.message, parsed.ref, parsed.clientId);
    const frame = parsed.frame;
    if (frame.type === 'hello') return onHello(conn, frame);
    if (conn.contactId === null) {
      const clientId = 'clientId' in frame ? frame.clientId : undefined;
      return reject(conn, 'not_ready', 'send hello first', frame.type, clientId);
    }
    switch (frame.type) {
      case 'message':
        return enqueue(conn, frame.type, frame.clientId, () => onMessage(conn, frame));
      case 'contact':
        return enqueue(conn, frame.type, frame.clientId, () => onContact(conn, frame));
      case 'typing':
        try {
          options.onVisitorTyping?.(conn.contactId, frame.typing);
        } catch (err) {
          logger.error({ err }, 'onVisitorTyping failed');
        }
        return;
    }
  }

  function onHello(conn: Conn, frame: HelloFrame): void {
    if (conn.contactId !== null) return reject(conn, 'duplicate_hello', 'this connection already said hello', 'hello');
    let bot = conn.bot;
    if (frame.botKey !== undefined && conn.urlKey !== null && frame.botKey !== conn.urlKey) {
      return fatal(conn, 'bad_bot_key', 'botKey differs from the one in the URL', 'hello', CLOSE.unknownKey);
    }
    if (!bot) {
      if (frame.botKey === undefined)
        return reject(conn, 'missing_field', 'botKey is required (in hello or the URL)', 'hello');
      try {
        bot = backend.findBotByWidgetKey(frame.botKey);
      } catch (err) {
        logger.error({ err, conn: conn.id }, 'findBotByWidgetKey failed');
        return reject(conn, 'internal', 'could not look up the widget key', 'hello');
      }
      if (!bot) return fatal(conn, 'bad_bot_key', 'unknown widget key', 'hello', CLOSE.unknownKey);
      if (!isOriginAllowed(conn.origin, bot.allowedOrigins)) {
        noteRefusedOrigin(bot.botId, conn.origin);
        return fatal(
          conn,
          'bad_origin',
          `origin ${conn.origin ?? '(none)'} is not allowed for this widget`,
          'hello',
          CLOSE.originRefused,
        );
      }
      conn.bot = bot;
    }

    let claimed: string | undefined;
    if (frame.visitorToken !== undefined) {
      const contactId = verifyVisitorToken(secret, bot.botId, frame.visitorToken);
      if (contactId === null) {
        return reject(
          conn,
          'bad_token',
          'visitor token is not valid for this widget; say hello without it to start over',
          'hello',
        );
      }
      claimed = contactId;
    }

    const after = frame.lastSeq ?? 0;
    let visitor: { contactId: string; conversationId: string } | null;
    let missed: ChatMessage[];
    try {
      visitor = backend.openVisitor(bot.botId, claimed);
      if (visitor && claimed !== undefined && visitor.contactId !== claimed) {
        throw new Error(`openVisitor returned contact ${visitor.contactId} for ${claimed}`);
      }
      missed = visitor ? backend.history(visitor.contactId, after) : [];
    } catch (err) {
      logger.error({ err, conn: conn.id, botId: bot.botId }, 'opening the visitor failed');
      return reject(conn, 'internal', 'could not open the conversation', 'hello');
    }
    if (!visitor) {
      if (claimed !== undefined) {
        return reject(
          conn,
          'bad_token',
          'this conversation no longer exists; say hello without a token to start over',
          'hello',
        );
      }
      logger.error({ conn: conn.id, botId: bot.botId }, 'openVisitor refused a new visitor');
      return reject(conn, 'internal', 'could not start a conversation', 'hello');
    }

    // Registering before anything async can happen means no message falls between the
    // replay (history) and the live fan-out; `replayedThrough` filters any overlap.
    conn.contactId = visitor.contactId;
    clearHelloTimer(conn);
    conn.replayedThrough = missed.reduce((max, m) => Math.max(max, m.seq), after);
    let set = byContact.get(visitor.contactId);
    if (!set) byContact.set(visitor.contactId, (set = new Set()));
    set.add(conn);
    notifyPresence(visitor.contactId);

    send(conn, {
      type: 'welcome',
      visitorToken: signVisitorToken(secret, bot.botId, visitor.contactId),
      contactId: visitor.contactId,
      conversationId: visitor.conversationId,
      maxTextLength: limits.maxTextLength,
    });
    for (const m of missed) if (!send(conn, toWireMessage(m))) break;
  }

  function enqueue(conn: Conn, ref: string, clientId: string | undefined, work: () => Promise<void>): void {
    if (conn.queued >= limits.maxQueuedFrames) {
      return reject(conn, 'rate_limited', 'too many frames waiting for an answer; slow down', ref, clientId);
    }
    conn.queued++;
    conn.queue = conn.queue
      .then(work)
      .catch((err) => logger.error({ err, conn: conn.id }, 'frame handler failed'))
      .finally(() => conn.queued--);
  }

  async function onMessage(conn: Conn, frame: MessageFrame): Promise<void> {
    const contactId = conn.contactId as string;
    const botId = (conn.bot as BotWidgetInfo).botId;
    conn.accepting++;
    try {
      const { message, duplicate } = await backend.acceptInbound({
        botId,
        contactId,
        clientId: frame.clientId,
        text: frame.text,
      });
      rememberOwn(conn, message.id);
      send(conn, {
        type: 'ack',
        for: 'message',
        clientId: frame.clientId,
        id: message.id,
        seq: message.seq,
        at: new Date(message.at).toISOString(),
        duplicate,
      });
    } catch (err) {
      logger.error({ err, conn: conn.id, contactId }, 'acceptInbound failed');
      reject(
        conn,
        'internal',
        'the message could not be stored; retry with the same clientId',
        'message',
        frame.clientId,
      );
    } finally {
      conn.accepting--;
      if (conn.accepting === 0) flushHeld(conn);
    }
  }

  async function onContact(conn: Conn, frame: ContactFrame): Promise<void> {
    const contactId = conn.contactId as string;
    const contact: { name?: string; phone?: string; email?: string } = {};
    if (frame.name !== undefined) contact.name = frame.name;
    if (frame.phone !== undefined) contact.phone = frame.phone;
    if (frame.email !== undefined) contact.email = frame.email;
    try {
      await backend.updateContact(contactId, contact);
    } catch (err) {
      logger.error({ err, conn: conn.id, contactId }, 'updateContact failed');
      return reject(conn, 'internal', 'the contact details could not be saved', 'contact', frame.clientId);
    }
    send(
      conn,
      frame.clientId !== undefined
        ? { type: 'ack', for: 'contact', clientId: frame.clientId, contact }
        : { type: 'ack', for: 'contact', contact },
    );
  }

  // ---- fan-out ------------------------------------------------------------------------

  function rememberOwn(conn: Conn, id: string): void {
    conn.recentOwn.push(id);
    if (conn.recentOwn.length > RECENT_OWN) conn.recentOwn.shift();
  }

  function flushHeld(conn: Conn): void {
    const held = conn.held;
    conn.held = [];
    for (const m of held) if (!conn.recentOwn.includes(m.id)) send(conn, toWireMessage(m));
  }

  function deliver(contactId: string, message: ChatMessage): void {
    const set = byContact.get(contactId);
    if (!set) return;
    let data: string | undefined;
    for (const conn of set) {
      if (message.seq <= conn.replayedThrough) continue; // already in this connection's replay
      if (message.from === 'contact') {
        // The sending tab learns about its own message from the ack, not from an echo.
        if (conn.recentOwn.includes(message.id)) continue;
        if (conn.accepting > 0 && conn.held.length < MAX_HELD) {
          conn.held.push(message);
          continue;
        }
      }
      data ??= JSON.stringify(toWireMessage(message));
      send(conn, data);
    }
  }

  function deliverTyping(contactId: string, typing: boolean): void {
    const set = byContact.get(contactId);
    if (!set) return;
    const data = JSON.stringify({ type: 'typing', typing });
    for (const conn of set) send(conn, data);
  }

  const unsubscribe = backend.subscribe((contactId, message) => {
    try {
      deliver(contactId, message);
    } catch (err) {
      logger.error({ err, contactId }, 'fan-out failed');
    }
  });
  const unsubscribeTyping =
    backend.subscribeTyping?.((contactId, typing) => {
      try {
        deliverTyping(contactId, typing);
      } catch (err) {
        logger.error({ err, contactId }, 'typing fan-out failed');
      }
    }) ?? (() => {});

  // ---- presence -----------------------------------------------------------------------

  function readyCount(contactId: string): number {
    return byContact.get(contactId)?.size ?? 0;
  }

  function notifyPresence(contactId: string): void {
    const n = readyCount(contactId);
    for (const listener of presenceListeners) {
      try {
        listener(contactId, n);
      } catch (err) {
        logger.error({ err }, 'presence listener failed');
      }
    }
  }

  const presence: Presence = {
    isConnected: (contactId) => readyCount(contactId) > 0,
    connections: readyCount,
    onChange(listener) {
      presenceListeners.add(listener);
      return () => presenceListeners.delete(listener);
    },
  };

  // ---- heartbeat ----------------------------------------------------------------------

  let heartbeatTimer: TimerHandle | null = null;

  function heartbeat(): void {
    heartbeatTimer = null;
    for (const conn of conns) {
      if (conn.ws.readyState !== WebSocket.OPEN) continue;
      if (!conn.alive) {
        counters.terminatedDead++;
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
    // Forget idle addresses once their buckets are full again: nothing is lost by doing so.
    for (const [ip, state] of ips) {
      if (state.connections === 0 && state.frames.isFull() && state.connects.isFull()) ips.delete(ip);
    }
    if (!closing) heartbeatTimer = clock.setTimeout(heartbeat, limits.heartbeatIntervalMs);
  }
  heartbeatTimer = clock.setTimeout(heartbeat, limits.heartbeatIntervalMs);

  server.on('upgrade', onUpgrade);

  // ---- shutdown -----------------------------------------------------------------------

  function within<T>(promise: Promise<T>, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = clock.setTimeout(resolve, ms);
      promise.then(
        () => {
          clock.clearTimeout(timer);
          resolve();
        },
        () => {
          clock.clearTimeout(timer);
          resolve();
        },
      );
    });
  }

  async function shutdown(): Promise<void> {
    closing = true;
    if (heartbeatTimer) clock.clearTimeout(heartbeatTimer);
    heartbeatTimer = null;
    const all = [...conns];
    // Let frames already accepted finish, so their acks go out before the close.
    await within(Promise.all(all.map((c) => c.queue)), limits.closeTimeoutMs);
    unsubscribe();
    unsubscribeTyping();
    await Promise.all(
      all.map(async (conn) => {
        await within(drained(conn), limits.closeTimeoutMs);
        if (conn.ws.readyState === WebSocket.OPEN) conn.ws.close(CLOSE.serviceRestart, 'server restarting');
        await within(conn.whenClosed, limits.closeTimeoutMs);
        if (!conn.closed) {
          conn.ws.terminate();
          await conn.whenClosed;
        }
      }),
    );
    server.off('upgrade', onUpgrade);
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  return {
    presence,
    close() {
      closePromise ??= shutdown();
      return closePromise;
    },
    stats() {
      let ready = 0;
      for (const c of conns) if (c.contactId !== null) ready++;
      return {
        connections: conns.size,
        readyConnections: ready,
        contactsOnline: byContact.size,
        trackedIps: ips.size,
        ...counters,
        errors: { ...errorCounts },
      };
    },
  };
}
