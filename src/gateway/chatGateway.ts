/**
 * The live-chat WebSocket gateway: `ws` in noServer mode on the service's HTTP server,
 * answering upgrades for `/ws/chat` only. Three parts, composed here: the handshake (who may
 * chat: upgrade checks, widget key, origin, visitor token; handshake.ts), the connections
 * (per-socket state, frames in, rate limits, backpressure, liveness, orderly close;
 * connections.ts) and the fan-out (which sockets hear which contact, presence; fanOut.ts).
 * Everything about storage and bots goes through the ChatBackend interface.
 */
import type { IncomingMessage, Server } from 'node:http';
import { systemClock, type Clock } from '../clock.ts';
import type { ChatBackend } from './backend.ts';
import { Connections } from './connections.ts';
import { FanOut } from './fanOut.ts';
import { Handshake } from './handshake.ts';
import { CHAT_PATH, type ErrorCode } from './protocol.ts';
import type { BucketLimit } from './rateLimit.ts';

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

/** Builds the gateway from its three parts and attaches it to `options.server`. */
export function createChatGateway(options: ChatGatewayOptions): ChatGateway {
  const { server, backend, secret } = options;
  if (!Buffer.isBuffer(secret) || secret.length < 32)
    throw new Error('createChatGateway: secret must be a Buffer of at least 32 bytes');
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silent;
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const clientIp = options.clientIp ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');

  const fanOut = new FanOut((conn, frame) => connections.send(conn, frame), logger);
  const connections: Connections = new Connections({
    limits,
    clock,
    logger,
    backend,
    fanOut,
    onHello: (conn, frame) => handshake.hello(conn, frame),
    onVisitorTyping: options.onVisitorTyping,
  });
  const handshake = new Handshake({
    path: options.path ?? CHAT_PATH,
    limits,
    logger,
    backend,
    secret,
    clientIp,
    connections,
    fanOut,
  });

  const unsubscribe = backend.subscribe((contactId, message) => {
    try {
      fanOut.deliver(contactId, message);
    } catch (err) {
      logger.error({ err, contactId }, 'fan-out failed');
    }
  });
  const unsubscribeTyping =
    backend.subscribeTyping?.((contactId, typing) => {
      try {
        fanOut.typing(contactId, typing);
      } catch (err) {
        logger.error({ err, contactId }, 'typing fan-out failed');
      }
    }) ?? (() => {});
  server.on('upgrade', handshake.onUpgrade);

  // Frames already accepted are answered (their acks go out) before the sockets close.
  async function shutdown(): Promise<void> {
    const open = await connections.quiesce();
    unsubscribe();
    unsubscribeTyping();
    await connections.closeAll(open);
    server.off('upgrade', handshake.onUpgrade);
    await handshake.close();
  }
  let closePromise: Promise<void> | null = null;

  return {
    presence: fanOut.presence,
    close() {
      closePromise ??= shutdown();
      return closePromise;
    },
    stats() {
      let ready = 0;
      for (const c of connections.open) if (c.contactId !== null) ready++;
      return {
        connections: connections.open.size,
        readyConnections: ready,
        contactsOnline: fanOut.contactsOnline,
        trackedIps: connections.trackedIps,
        ...connections.counters,
        rejectedUpgrades: handshake.rejectedUpgrades,
        errors: { ...connections.errorCounts },
      };
    },
  };
}
