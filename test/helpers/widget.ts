/**
 * A widget's socket for tests that speak the chat protocol by hand: every frame the server
 * sends is kept in `frames`, and `waitFor` resolves with the first one a predicate accepts
 * (polling, so a frame that arrived before the call counts), or fails after `timeoutMs`
 * naming what it waited for and every frame received.
 */
import WebSocket from 'ws';

export type Frame = Record<string, any>;

export interface TestWidget {
  ws: WebSocket;
  frames: Frame[];
  send(frame: Frame): void;
  waitFor(predicate: (f: Frame) => boolean, what?: string, timeoutMs?: number): Promise<Frame>;
  closeCode(): number | null;
}

/** Opens `/ws/chat?botKey=key` on `serverUrl` (or the given `url`) with `origin`, once open. */
export async function openWidget(
  serverUrl: string,
  key: string,
  options: { origin?: string; url?: string } = {},
): Promise<TestWidget> {
  const url = options.url ?? `${serverUrl.replace('http', 'ws')}/ws/chat?botKey=${key}`;
  const ws = new WebSocket(url, { origin: options.origin ?? serverUrl });
  const frames: Frame[] = [];
  let closeCode: number | null = null;
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  ws.on('close', (code) => (closeCode = code));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waitFor = async (predicate: (f: Frame) => boolean, what = 'a frame', timeoutMs = 5000): Promise<Frame> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = frames.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(frames)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { ws, frames, send: (frame) => ws.send(JSON.stringify(frame)), waitFor, closeCode: () => closeCode };
}
