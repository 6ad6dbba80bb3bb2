/**
 * `/ws/console?token=…`: live notifications for the operator console and the visualizer.
 * Pushes `{type:'transition'|'followups'|'message', contactId}` frames (transitions also
 * carry from/to/event) whenever the runtime commits something for a contact the caller may
 * see; the page then re-reads what it shows. The token rides in the query because browsers
 * cannot set WebSocket headers (`Authorization: Bearer` works too). `ws` runs in noServer
 * mode and answers only its own pathname, leaving `/ws/chat` to the gateway. Client frames:
 * `{type:'subscribe', contactIds}` narrows the feed (`[]`/null = all in scope);
 * `{type:'ping'}` → `{type:'pong'}`.
 */
import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Principal, TokenVerifier } from '../http/auth.ts';
import { operatorChanges } from './operatorChanges.ts';
import { ERROR_CATALOG, errorBody, type ErrorCode } from '../http/errors.ts';
import type { NudgeServices } from '../services.ts';
import type { MessageRow } from '../store/store.ts';
import type { ConsoleNotice } from '../viz/types.ts';

export const CONSOLE_PATH = '/ws/console';
const MAX_CLIENTS = 200;
/** One operator's sockets at most (tabs, the visualizer): none can hold all MAX_CLIENTS. */
export const MAX_CLIENTS_PER_OPERATOR = 20;
const MAX_SUBSCRIPTIONS = 500;
/** A client that cannot keep up (this much unsent) is dropped rather than buffered forever. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const CLOSE_POLICY = 1008;
const CLOSE_GOING_AWAY = 1001;
/** The socket's token no longer works (operator deleted, token rotated): docs/api.md. */
export const CLOSE_TOKEN_REVOKED = 4401;
/** The operator lost access to a bot the socket could see: reconnect for the new scope. */
export const CLOSE_SCOPE_NARROWED = 4403;

interface Client {
  ws: WebSocket;
  /** Re-verified whenever its operator's access changes. */
  token: string;
  principal: Principal;
  /** null = every contact in scope. */
  contacts: Set<string> | null;
}

export interface ConsoleSocket {
  /** Connected clients right now. */
  readonly size: number;
  close(): Promise<void>;
}

function refuse(socket: Duplex, code: ErrorCode, message: string): void {
  const status = ERROR_CATALOG[code];
  const body = errorBody(code, message);
  socket.on('error', () => {});
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function tokenOf(req: IncomingMessage, url: URL): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1] : null;
}

export function attachConsoleSocket(
  server: Server,
  services: NudgeServices,
  verifiers: TokenVerifier[],
): ConsoleSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  const clients = new Set<Client>();
  let closing = false;

  // contact → bot, for scoping; contacts never change bot. Bounded: cleared when full.
  const botOfContact = new Map<string, string | null>();
  const botOf = (contactId: string): string | null => {
    if (botOfContact.has(contactId)) return botOfContact.get(contactId) ?? null;
    const bot = services.store.getContact(contactId)?.bot_id ?? null;
    if (botOfContact.size > 50_000) botOfContact.clear();
    if (bot) botOfContact.set(contactId, bot);
    return bot;
  };

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return; // not ours to judge
    }
    if (url.pathname !== CONSOLE_PATH) return; // another endpoint's upgrade: leave it alone
    if (closing) return refuse(socket, 'shutting_down', 'the server is shutting down');
    const token = tokenOf(req, url);
    if (!token) return refuse(socket, 'unauthorized', 'missing token (?token=… or Authorization: Bearer …)');
    const principal = verify(token);
    if (!principal) return refuse(socket, 'unauthorized', 'invalid token');
    if (clients.size >= MAX_CLIENTS)
      return refuse(socket, 'too_many_connections', 'the console socket is at its connection limit');
    const granted = principal;
    if (socketsOf(granted.operatorId) >= MAX_CLIENTS_PER_OPERATOR) {
      return refuse(
        socket,
        'rate_limited',
        `at most ${MAX_CLIENTS_PER_OPERATOR} console sockets per operator; close another one first`,
      );
    }
    const requested = url.searchParams.getAll('contact').filter(Boolean);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = {
        ws,
        token,
        principal: granted,
        contacts: requested.length ? new Set(requested.slice(0, MAX_SUBSCRIPTIONS)) : null,
      };
      clients.add(client);
      ws.on('message', (data, isBinary) => onFrame(client, data.toString(), isBinary));
      ws.on('close', () => clients.delete(client));
      ws.on('error', () => clients.delete(client));
      send(client, { type: 'hello', scope: granted.botIds, contacts: client.contacts ? [...client.contacts] : null });
    });
  }

  function socketsOf(operatorId: string): number {
    let count = 0;
    for (const client of clients) if (client.principal.operatorId === operatorId) count++;
    return count;
  }

  function verify(token: string): Principal | null {
    for (const verifier of verifiers) {
      const principal = verifier.verify(token);
      if (principal) return principal;
    }
    return null;
  }

  /**
   * An operator's access changed: its sockets whose token stopped working, or that could
   * see a bot no longer granted, are closed; a widened scope is taken as is.
   */
  function onOperatorChanged(operatorId: string): void {
    for (const client of clients) {
      if (client.principal.operatorId !== operatorId) continue;
      const now = verify(client.token);
      if (!now || now.operatorId !== operatorId) {
        closeClient(client, CLOSE_TOKEN_REVOKED, 'token revoked');
      } else if (
        now.botIds !== null &&
        (client.principal.botIds === null || client.principal.botIds.some((bot) => !now.botIds!.includes(bot)))
      ) {
        closeClient(client, CLOSE_SCOPE_NARROWED, 'access changed');
      } else {
        client.principal = now;
      }
    }
  }

  /** Stops sending at once; a peer that never completes the close handshake is cut off. */
  function closeClient(client: Client, code: number, reason: string): void {
    clients.delete(client);
    client.ws.close(code, reason);
    setTimeout(() => client.ws.terminate(), 1000).unref();
  }

  function send(client: Client, frame: unknown): void {
    if (client.ws.readyState !== WebSocket.OPEN) return;
    if (client.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      client.ws.close(CLOSE_POLICY, 'too slow');
      clients.delete(client);
      return;
    }
    client.ws.send(JSON.stringify(frame));
  }

  function onFrame(client: Client, text: string, isBinary: boolean): void {
    const error = (code: string, message: string) => send(client, { type: 'error', error: { code, message } });
    if (isBinary) return error('invalid_frame', 'send JSON text frames');
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return error('invalid_json', 'frame is not valid JSON');
    }
    const f = frame as { type?: unknown; contactIds?: unknown };
    if (f?.type === 'ping') return send(client, { type: 'pong' });
    if (f?.type === 'subscribe') {
      if (f.contactIds === null || (Array.isArray(f.contactIds) && f.contactIds.length === 0)) {
        client.contacts = null;
      } else if (
        Array.isArray(f.contactIds) &&
        f.contactIds.every((c) => typeof c === 'string' && c.length > 0 && c.length <= 200)
      ) {
        if (f.contactIds.length > MAX_SUBSCRIPTIONS)
          return error('too_many', `at most ${MAX_SUBSCRIPTIONS} contacts per connection`);
        client.contacts = new Set(f.contactIds as string[]);
      } else {
        return error(
          'invalid_request',
          'subscribe needs contactIds: an array of contact ids (or [] for everything in scope)',
        );
      }
      return send(client, { type: 'subscribed', contacts: client.contacts ? [...client.contacts] : null });
    }
    return error('unknown_type', 'frame type must be subscribe or ping');
  }

  function broadcast(notice: ConsoleNotice & Record<string, unknown>): void {
    if (clients.size === 0) return;
    const bot = botOf(notice.contactId);
    for (const client of clients) {
      if (client.contacts && !client.contacts.has(notice.contactId)) continue;
      if (client.principal.botIds !== null && (bot === null || !client.principal.botIds.includes(bot))) continue;
      send(client, notice);
    }
  }

  const onTransition = (contactId: string, info: { from?: string; to?: string; event?: string }) =>
    broadcast({ type: 'transition', contactId, from: info?.from, to: info?.to, event: info?.event });
  const onFollowUps = (contactId: string) => broadcast({ type: 'followups', contactId });
  const onMessage = (contactId: string, message: MessageRow) =>
    broadcast({ type: 'message', contactId, messageId: message?.id });

  const events = services.runtime.events;
  events.on('transition', onTransition);
  events.on('followups', onFollowUps);
  events.on('message', onMessage);
  const operators = operatorChanges(services.db);
  operators.on('changed', onOperatorChanged);
  server.on('upgrade', onUpgrade);

  return {
    get size() {
      return clients.size;
    },
    async close() {
      if (closing) return;
      closing = true;
      server.off('upgrade', onUpgrade);
      events.off('transition', onTransition);
      events.off('followups', onFollowUps);
      events.off('message', onMessage);
      operators.off('changed', onOperatorChanged);
      await Promise.all(
        [...clients].map(
          (client) =>
            new Promise<void>((resolve) => {
              if (client.ws.readyState === WebSocket.CLOSED) return resolve();
              client.ws.once('close', () => resolve());
              client.ws.close(CLOSE_GOING_AWAY, 'server shutting down');
              // A peer that never answers the close handshake is cut off.
              setTimeout(() => {
                client.ws.terminate();
                resolve();
              }, 1000).unref();
            }),
        ),
      );
      clients.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
