/**
 * Live updates over the console WebSocket (`/ws/console?token=…`, shared with the
 * visualizer): the server pushes `{type:'transition'|'followups'|'message', contactId}`
 * for every commit in the operator's scope and the page re-reads what it shows.
 * Reconnects with backoff; the status pill shows whether the page is live.
 */
export interface LiveEvent {
  type: 'transition' | 'followups' | 'message';
  contactId: string;
  from?: string;
  to?: string;
}

export type LiveStatus = 'connecting' | 'live' | 'offline';

export class LiveFeed {
  private socket: WebSocket | null = null;
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly listeners = new Set<(event: LiveEvent) => void>();

  constructor(
    private readonly token: string,
    private readonly onStatus: (status: LiveStatus) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close(1000, 'bye');
    this.socket = null;
  }

  on(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private connect(): void {
    this.onStatus('connecting');
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${proto}://${location.host}/ws/console?token=${encodeURIComponent(this.token)}`);
    this.socket = socket;
    socket.addEventListener('message', (message) => {
      let frame: { type?: string; contactId?: unknown };
      try {
        frame = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (frame.type === 'hello') {
        this.retry = 0;
        this.onStatus('live');
        return;
      }
      if (
        (frame.type === 'transition' || frame.type === 'followups' || frame.type === 'message') &&
        typeof frame.contactId === 'string'
      ) {
        for (const listener of this.listeners) listener(frame as LiveEvent);
      }
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.onStatus('offline');
      if (this.stopped) return;
      // 0.5 s, 1 s, 2 s … capped at 15 s
      const delay = Math.min(15_000, 500 * 2 ** this.retry++);
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }
}
