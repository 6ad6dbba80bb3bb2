/**
 * A scripted live-chat widget for fault and load scripts: speaks the /ws/chat protocol
 * (docs/protocol.md) like web/widget does — visitor token, `lastSeq` = the highest seq up to
 * which it holds every message, resends of unacknowledged messages with their original
 * clientId — and records everything it was told, so a script can check afterwards that
 * no acknowledged message was lost and that every replay was exact.
 *
 * Protocol violations it can see on its own (a replayed seq at or below lastSeq, message
 * frames out of order on one connection, one seq with two different ids, an ack that
 * contradicts an earlier one) are collected in `violations`, never thrown.
 */
import { WebSocket } from 'ws';

export interface KnownMessage {
  id: string;
  from: 'contact' | 'bot';
  followUp: boolean;
}

export interface AckInfo {
  id: string;
  seq: number;
}

export interface WidgetClientOptions {
  /** ws://127.0.0.1:PORT/ws/chat (the widget key goes in the hello frame). */
  url: string;
  origin: string;
  botKey: string;
  /** Loopback source address (127.x.y.z), so per-IP limits apply per group of widgets. */
  localAddress?: string;
  /** Prefix of this widget's clientIds; unique per widget. */
  name: string;
  /** Called for every ack (for latency measurements). */
  onAck?: (clientId: string, duplicate: boolean) => void;
}

export interface ConnectResult {
  /** The lastSeq sent in hello (null for a brand-new visitor). */
  lastSeq: number | null;
}

export class WidgetClient {
  token: string | null = null;
  contactId: string | null = null;
  /** Every message this widget knows, by seq (replays, live fan-out and its own acked messages). */
  readonly messages = new Map<number, KnownMessage>();
  /** Acknowledged messages by clientId. */
  readonly acked = new Map<string, AckInfo>();
  /** Sent (possibly more than once) but not acknowledged yet: clientId → text. */
  readonly unacked = new Map<string, string>();
  readonly violations: string[] = [];
  /** Error frames by code. */
  readonly errors = new Map<string, number>();
  stats = { sent: 0, resent: 0, acks: 0, duplicateAcks: 0, framesIn: 0, replayed: 0, followUpsSeen: 0, connects: 0 };

  private ws: WebSocket | null = null;
  private counter = 0;
  /** Highest message seq received on the current connection (frames must come in order). */
  private lastFrameSeq = 0;
  /** lastSeq announced in the current connection's hello. */
  private helloSeq = 0;
  private welcomed = false;

  constructor(private readonly options: WidgetClientOptions) {}

  get connected(): boolean {
    return this.ws !== null && this.welcomed && this.ws.readyState === WebSocket.OPEN;
  }

  /** The highest seq up to which this widget holds every message (0 when none). */
  lastSeq(): number {
    let seq = 0;
    while (this.messages.has(seq + 1)) seq++;
    return seq;
  }

  /** Highest seq known at all (may be above lastSeq when something is missing). */
  maxSeq(): number {
    let max = 0;
    for (const seq of this.messages.keys()) if (seq > max) max = seq;
    return max;
  }

  /**
   * Opens the socket and says hello (with the token and lastSeq when known). Resolves on
   * `welcome`; rejects when the socket closes or errors first, or after `timeoutMs`.
   */
  connect(timeoutMs = 15_000): Promise<ConnectResult> {
    this.close();
    const ws = new WebSocket(this.options.url, {
      origin: this.options.origin,
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
      ...(this.options.localAddress ? { localAddress: this.options.localAddress } : {}),
    });
    this.ws = ws;
    this.welcomed = false;
    this.lastFrameSeq = 0;
    this.stats.connects++;
    const lastSeq = this.token ? this.lastSeq() : null;
    this.helloSeq = lastSeq ?? 0;
    return new Promise<ConnectResult>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(
        () => finish(new Error(`${this.options.name}: no welcome within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const finish = (error: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          if (this.ws === ws) this.ws = null;
          ws.terminate();
          reject(error);
        } else resolve({ lastSeq });
      };
      ws.on('open', () => {
        const hello: Record<string, unknown> = { type: 'hello', botKey: this.options.botKey };
        if (this.token) {
          hello.visitorToken = this.token;
          hello.lastSeq = lastSeq;
        }
        ws.send(JSON.stringify(hello));
      });
      ws.on('message', (data, isBinary) => {
        if (this.ws !== ws) return;
        if (isBinary) {
          this.violations.push(`${this.options.name}: binary frame from the server`);
          return;
        }
        let frame: Record<string, unknown>;
        try {
          frame = JSON.parse(data.toString()) as Record<string, unknown>;
        } catch {
          this.violations.push(`${this.options.name}: server frame is not JSON`);
          return;
        }
        this.stats.framesIn++;
        if (frame.type === 'welcome') {
          if (this.contactId !== null && frame.contactId !== this.contactId) {
            this.violations.push(
              `${this.options.name}: welcome for contact ${String(frame.contactId)}, expected ${this.contactId}`,
            );
          }
          this.token = frame.visitorToken as string;
          this.contactId = frame.contactId as string;
          this.welcomed = true;
          finish(null);
          return;
        }
        if (frame.type === 'error' && !this.welcomed) {
          finish(new Error(`${this.options.name}: hello refused: ${String(frame.code)} ${String(frame.message)}`));
          return;
        }
        this.onFrame(frame);
      });
      ws.on('error', (err) => finish(err instanceof Error ? err : new Error(String(err))));
      ws.on('close', (code) => {
        if (this.ws === ws) this.ws = null;
        finish(new Error(`${this.options.name}: closed (${code}) before welcome`));
      });
    });
  }

  private onFrame(frame: Record<string, unknown>): void {
    switch (frame.type) {
      case 'message': {
        const seq = frame.seq as number;
        const id = frame.id as string;
        if (!Number.isInteger(seq) || seq < 1) {
          this.violations.push(`${this.options.name}: message frame with seq ${String(seq)}`);
          return;
        }
        if (seq <= this.helloSeq) {
          this.violations.push(`${this.options.name}: got seq ${seq} although hello said lastSeq ${this.helloSeq}`);
        }
        if (seq <= this.lastFrameSeq) {
          this.violations.push(
            `${this.options.name}: message seq ${seq} after seq ${this.lastFrameSeq} on one connection (out of order or repeated)`,
          );
        }
        this.lastFrameSeq = Math.max(this.lastFrameSeq, seq);
        this.learn(seq, { id, from: frame.from as 'contact' | 'bot', followUp: frame.followUp !== undefined });
        if (frame.followUp !== undefined) this.stats.followUpsSeen++;
        return;
      }
      case 'ack': {
        if (frame.for !== 'message') return;
        const clientId = frame.clientId as string;
        const ack = { id: frame.id as string, seq: frame.seq as number };
        const before = this.acked.get(clientId);
        if (before && (before.id !== ack.id || before.seq !== ack.seq)) {
          this.violations.push(
            `${this.options.name}: clientId ${clientId} acked as ${ack.id}/${ack.seq}, earlier as ${before.id}/${before.seq}`,
          );
        }
        this.acked.set(clientId, ack);
        this.unacked.delete(clientId);
        this.stats.acks++;
        if (frame.duplicate === true) this.stats.duplicateAcks++;
        this.learn(ack.seq, { id: ack.id, from: 'contact', followUp: false });
        this.options.onAck?.(clientId, frame.duplicate === true);
        return;
      }
      case 'error': {
        const code = String(frame.code);
        this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
        return;
      }
      default:
        return; // typing indicators and contact acks carry nothing to check here
    }
  }

  private learn(seq: number, message: KnownMessage): void {
    const known = this.messages.get(seq);
    if (known && known.id !== message.id) {
      this.violations.push(`${this.options.name}: seq ${seq} is ${message.id} now but was ${known.id} before`);
      return;
    }
    if (!known) this.messages.set(seq, message);
  }

  /**
   * Sends a new message and returns its clientId (kept for a resend until acked), or null
   * when the socket is not usable right now (it is still kept for the next resend).
   */
  send(text: string): string | null {
    const clientId = `${this.options.name}-${++this.counter}`;
    this.unacked.set(clientId, text);
    this.stats.sent++;
    return this.write(clientId, text) ? clientId : null;
  }

  /** Sends visitor details (a phone enables SMS follow-ups once the widget is closed). */
  sendContact(fields: { name?: string; phone?: string; email?: string }): boolean {
    const ws = this.ws;
    if (!ws || !this.welcomed || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify({ type: 'contact', clientId: `${this.options.name}-contact-${++this.counter}`, ...fields }));
    return true;
  }

  /** Resends every unacknowledged message with its original clientId (after a reconnect). */
  resendUnacked(): number {
    let n = 0;
    for (const [clientId, text] of this.unacked) {
      if (!this.write(clientId, text)) break;
      this.stats.resent++;
      n++;
    }
    return n;
  }

  private write(clientId: string, text: string): boolean {
    const ws = this.ws;
    if (!ws || !this.welcomed || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify({ type: 'message', clientId, text }));
    return true;
  }

  /** Closes without waiting (terminate: no close handshake with a possibly dead server). */
  close(): void {
    const ws = this.ws;
    this.ws = null;
    this.welcomed = false;
    if (ws) ws.terminate();
  }
}
