/**
 * Cross-node fan-out through PostgreSQL's LISTEN/NOTIFY, no broker: a writer publishes a
 * small id in its transaction (delivered to listeners only if and when it commits), and a
 * reader, told that something changed, fetches the rows itself. Notifications are a hint,
 * not the data: one sent while a listener was disconnected is lost, so after every
 * reconnect the listener calls `onReconnect` and its readers scan for what they missed.
 * Each node keeps one dedicated connection for listening (a pooled one would be handed to
 * other work and lose its LISTENs).
 */
import type pg from 'pg';
import { createClient, run, statement, type Queryable } from '../store/postgres/pool.ts';

/** Channels: an inbox partition has new events; a contact has new rows for a socket to send. */
export const CHANNELS = { inbox: 'nudge_inbox', contact: 'nudge_contact' } as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

const notify = statement<[string, string]>('notify_publish', 'SELECT pg_notify($1, $2)');

/** Publishes `payload` (an id, well under PostgreSQL's 8,000-byte limit) on `channel`; inside a transaction it goes out on commit. */
export async function publish(db: Queryable, channel: Channel, payload: string): Promise<void> {
  await run(db, notify, [channel, payload]);
}

export interface NotifyListenerOptions {
  url: string;
  /** Shows in pg_stat_activity as this application name. */
  name: string;
  channels: readonly Channel[];
  onNotify: (channel: Channel, payload: string) => void;
  /** After a lost connection is back and listening: notifications in between are lost, rescan. */
  onReconnect?: () => void;
  log?: (line: string) => void;
  /** First wait before reconnecting; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

export class NotifyListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  /** Connections lost and re-established since start. */
  reconnects = 0;

  constructor(private readonly options: NotifyListenerOptions) {}

  /** Connects and listens; rejects if the first connection fails (later losses are retried). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Stops listening and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = createClient({ url: this.options.url }, this.options.name);
    client.on('notification', (message) => {
      if (this.options.channels.includes(message.channel as Channel)) {
        this.options.onNotify(message.channel as Channel, message.payload ?? '');
      }
    });
    const lost = (reason: string) => {
      if (this.client !== client) return;
      this.client = null;
      void client.end().catch(() => {});
      this.options.log?.(`[notify] listening connection lost (${reason}); reconnecting`);
      this.scheduleReconnect();
    };
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('closed'));
    try {
      await client.connect();
      // Channel names are constants of this module, never input: safe to inline.
      for (const channel of this.options.channels) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      void client.end().catch(() => {});
      throw error;
    }
    if (this.stopped) {
      await client.end();
      return;
    }
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    const base = this.options.retryMs ?? 100;
    const wait = Math.min(this.options.maxRetryMs ?? 5_000, base * 2 ** this.failures);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().then(
        () => {
          if (this.stopped) return;
          this.failures = 0;
          this.reconnects++;
          this.options.onReconnect?.();
        },
        (error: Error) => {
          this.failures++;
          this.options.log?.(`[notify] reconnect failed: ${error.message}`);
          this.scheduleReconnect();
        },
      );
    }, wait);
    this.retryTimer.unref();
  }
}
