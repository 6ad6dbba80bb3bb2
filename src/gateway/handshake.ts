/**
 * Who may chat, in two steps. The HTTP upgrade (`/ws/chat` only; other paths are left to
 * their own handlers) is refused with a JSON error body when the server is closing, the
 * address is over its connect rate or connection count, the server is full, or a widget
 * key in the URL is unknown or not allowed from the page's Origin. The `hello` frame then
 * names the widget key (if the URL did not), which must match the URL's, and may carry a
 * visitor token signed for that bot; a refused key closes with 4404, a refused origin with
 * 4403 and is noted so the console can show it. A good hello opens the conversation, joins
 * the fan-out, answers `welcome` with a fresh token, and replays what the visitor missed.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { BotWidgetInfo, ChatBackend, ChatMessage } from './backend.ts';
import type { GatewayLimits, GatewayLogger } from './chatGateway.ts';
import type { Conn, Connections } from './connections.ts';
import type { FanOut } from './fanOut.ts';
import { isOriginAllowed } from './origin.ts';
import { CLOSE, toWireMessage, type ErrorCode, type HelloFrame } from './protocol.ts';
import { signVisitorToken, verifyVisitorToken } from './visitorToken.ts';

export interface HandshakeOptions {
  /** The chat endpoint's path (`/ws/chat`). */
  path: string;
  limits: GatewayLimits;
  logger: GatewayLogger;
  backend: ChatBackend;
  /** Server secret for visitor tokens. */
  secret: Buffer;
  clientIp: (req: IncomingMessage) => string;
  connections: Connections;
  fanOut: FanOut;
}

/** Answers an upgrade with an HTTP error and a JSON body, then drops the socket. */
function refuse(socket: Duplex, status: number, code: ErrorCode, message: string): void {
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

export class Handshake {
  rejectedUpgrades = 0;
  private readonly wss: WebSocketServer;

  constructor(private readonly options: HandshakeOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.limits.maxPayloadBytes,
      perMessageDeflate: false, // compression costs CPU and memory per socket and invites zip bombs
      clientTracking: false,
    });
  }

  /** The HTTP server's `upgrade` listener. */
  readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const { connections, limits, backend, logger } = this.options;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return; // not a URL we can route; some other handler's business
    }
    if (url.pathname !== this.options.path) return; // another WebSocket endpoint (e.g. the console) handles it

    if (connections.closing) return this.refuse(socket, 503, 'shutting_down', 'the server is shutting down');
    const ip = this.options.clientIp(req);
    const ipState = connections.ipState(ip);
    if (!ipState.connects.take())
      return this.refuse(socket, 429, 'rate_limited', 'too many connection attempts from this address');
    if (ipState.connections >= limits.maxConnectionsPerIp) {
      return this.refuse(socket, 429, 'rate_limited', 'too many open connections from this address');
    }
    if (connections.open.size >= limits.maxConnections)
      return this.refuse(socket, 503, 'rate_limited', 'the server is at its connection limit');

    const origin = req.headers.origin;
    const urlKey = url.searchParams.get('botKey');
    let bot: BotWidgetInfo | null = null;
    if (urlKey !== null) {
      try {
        bot = backend.findBotByWidgetKey(urlKey);
      } catch (err) {
        logger.error({ err }, 'findBotByWidgetKey failed');
        return this.refuse(socket, 500, 'internal', 'could not look up the widget key');
      }
      if (!bot) return this.refuse(socket, 403, 'bad_bot_key', 'unknown widget key');
      if (!isOriginAllowed(origin, bot.allowedOrigins)) {
        this.noteRefusedOrigin(bot.botId, origin);
        return this.refuse(socket, 403, 'bad_origin', `origin ${origin ?? '(none)'} is not allowed for this widget`);
      }
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (connections.closing) {
        ws.close(CLOSE.serviceRestart, 'server restarting');
        return;
      }
      connections.admit(ws, ip, ipState, origin, urlKey, bot);
    });
  };

  /** Answers a `hello` frame: the widget, the visitor, then `welcome` and the replay. */
  hello(conn: Conn, frame: HelloFrame): void {
    const { connections, backend, logger, secret } = this.options;
    if (conn.contactId !== null)
      return connections.reject(conn, 'duplicate_hello', 'this connection already said hello', 'hello');
    const bot = this.widget(conn, frame);
    if (!bot) return;

    let claimed: string | undefined;
    if (frame.visitorToken !== undefined) {
      const contactId = verifyVisitorToken(secret, bot.botId, frame.visitorToken);
      if (contactId === null) {
        return connections.reject(
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
      return connections.reject(conn, 'internal', 'could not open the conversation', 'hello');
    }
    if (!visitor) {
      if (claimed !== undefined) {
        return connections.reject(
          conn,
          'bad_token',
          'this conversation no longer exists; say hello without a token to start over',
          'hello',
        );
      }
      logger.error({ conn: conn.id, botId: bot.botId }, 'openVisitor refused a new visitor');
      return connections.reject(conn, 'internal', 'could not start a conversation', 'hello');
    }

    // Joining before anything async can happen means no message falls between the replay
    // (history) and the live fan-out; `replayedThrough` filters any overlap.
    connections.clearHelloTimer(conn);
    const replayedThrough = missed.reduce((max, m) => Math.max(max, m.seq), after);
    this.options.fanOut.join(conn, visitor.contactId, replayedThrough);

    connections.send(conn, {
      type: 'welcome',
      visitorToken: signVisitorToken(secret, bot.botId, visitor.contactId),
      contactId: visitor.contactId,
      conversationId: visitor.conversationId,
      maxTextLength: this.options.limits.maxTextLength,
    });
    for (const m of missed) if (!connections.send(conn, toWireMessage(m))) break;
  }

  /** Stops answering upgrades (once every socket is closed). */
  close(): Promise<void> {
    return new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** The widget this hello is for (the URL's, or the hello's key checked now), or null once refused. */
  private widget(conn: Conn, frame: HelloFrame): BotWidgetInfo | null {
    const { connections, backend, logger } = this.options;
    if (frame.botKey !== undefined && conn.urlKey !== null && frame.botKey !== conn.urlKey) {
      connections.fatal(conn, 'bad_bot_key', 'botKey differs from the one in the URL', 'hello', CLOSE.unknownKey);
      return null;
    }
    if (conn.bot) return conn.bot;
    if (frame.botKey === undefined) {
      connections.reject(conn, 'missing_field', 'botKey is required (in hello or the URL)', 'hello');
      return null;
    }
    let bot: BotWidgetInfo | null;
    try {
      bot = backend.findBotByWidgetKey(frame.botKey);
    } catch (err) {
      logger.error({ err, conn: conn.id }, 'findBotByWidgetKey failed');
      connections.reject(conn, 'internal', 'could not look up the widget key', 'hello');
      return null;
    }
    if (!bot) {
      connections.fatal(conn, 'bad_bot_key', 'unknown widget key', 'hello', CLOSE.unknownKey);
      return null;
    }
    if (!isOriginAllowed(conn.origin, bot.allowedOrigins)) {
      this.noteRefusedOrigin(bot.botId, conn.origin);
      const message = `origin ${conn.origin ?? '(none)'} is not allowed for this widget`;
      connections.fatal(conn, 'bad_origin', message, 'hello', CLOSE.originRefused);
      return null;
    }
    conn.bot = bot;
    return bot;
  }

  private refuse(socket: Duplex, status: number, code: ErrorCode, message: string): void {
    this.rejectedUpgrades++;
    refuse(socket, status, code, message);
  }

  private noteRefusedOrigin(botId: string, origin: string | undefined): void {
    try {
      this.options.backend.noteRefusedOrigin?.(botId, origin ?? null);
    } catch (err) {
      this.options.logger.error({ err }, 'noteRefusedOrigin failed');
    }
  }
}
