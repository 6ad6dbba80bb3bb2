/**
 * Which sockets hear which contact: every open tab of a contact that has said hello gets
 * the contact's new messages (replies, follow-ups, other tabs' messages) and typing, and
 * presence counts them. A tab never hears its own message back (the ack tells it), even
 * when the fan-out overtakes the ack: while the tab's own message is being committed, the
 * contact's messages are held and sent after, minus its own. A message already in a tab's
 * replay after hello is not sent again.
 */
import type { ChatMessage } from './backend.ts';
import type { GatewayLogger, Presence } from './chatGateway.ts';
import type { Conn } from './connections.ts';
import { toWireMessage, type ServerFrame } from './protocol.ts';

/** How many of a tab's own message ids are remembered to suppress their echo. */
const RECENT_OWN = 32;
/** Messages held for one tab while its own message commits; past this they go out at once. */
const MAX_HELD = 256;

export class FanOut {
  private readonly byContact = new Map<string, Set<Conn>>();
  private readonly presenceListeners = new Set<(contactId: string, connections: number) => void>();

  constructor(
    private readonly send: (conn: Conn, frame: ServerFrame | string) => boolean,
    private readonly logger: GatewayLogger,
  ) {}

  /** Contacts with at least one tab joined. */
  get contactsOnline(): number {
    return this.byContact.size;
  }

  /**
   * The tab hears `contactId` from now on; messages up to `replayedThrough` were in its
   * replay. Joining before anything async means no message falls between replay and fan-out.
   */
  join(conn: Conn, contactId: string, replayedThrough: number): void {
    conn.contactId = contactId;
    conn.replayedThrough = replayedThrough;
    let set = this.byContact.get(contactId);
    if (!set) this.byContact.set(contactId, (set = new Set()));
    set.add(conn);
    this.notifyPresence(contactId);
  }

  /** The tab closed: it hears nothing more, and what it held is dropped. */
  leave(conn: Conn): void {
    conn.held = [];
    if (conn.contactId === null) return;
    const set = this.byContact.get(conn.contactId);
    if (!set) return;
    set.delete(conn);
    if (set.size === 0) this.byContact.delete(conn.contactId);
    this.notifyPresence(conn.contactId);
  }

  /** Runs the commit of the tab's own message; the contact's messages fanned out meanwhile wait for it. */
  async accepting<T>(conn: Conn, commit: () => Promise<T>): Promise<T> {
    conn.accepting++;
    try {
      return await commit();
    } finally {
      conn.accepting--;
      if (conn.accepting === 0) this.flushHeld(conn);
    }
  }

  /** The tab's own message `id` (acked): never echoed back to it. */
  rememberOwn(conn: Conn, id: string): void {
    conn.recentOwn.push(id);
    if (conn.recentOwn.length > RECENT_OWN) conn.recentOwn.shift();
  }

  deliver(contactId: string, message: ChatMessage): void {
    const set = this.byContact.get(contactId);
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
      this.send(conn, data);
    }
  }

  typing(contactId: string, typing: boolean): void {
    const set = this.byContact.get(contactId);
    if (!set) return;
    const data = JSON.stringify({ type: 'typing', typing });
    for (const conn of set) this.send(conn, data);
  }

  readonly presence: Presence = {
    isConnected: (contactId) => this.tabs(contactId) > 0,
    connections: (contactId) => this.tabs(contactId),
    onChange: (listener) => {
      this.presenceListeners.add(listener);
      return () => this.presenceListeners.delete(listener);
    },
  };

  private tabs(contactId: string): number {
    return this.byContact.get(contactId)?.size ?? 0;
  }

  private flushHeld(conn: Conn): void {
    const held = conn.held;
    conn.held = [];
    for (const m of held) if (!conn.recentOwn.includes(m.id)) this.send(conn, toWireMessage(m));
  }

  private notifyPresence(contactId: string): void {
    const n = this.tabs(contactId);
    for (const listener of this.presenceListeners) {
      try {
        listener(contactId, n);
      } catch (err) {
        this.logger.error({ err }, 'presence listener failed');
      }
    }
  }
}
