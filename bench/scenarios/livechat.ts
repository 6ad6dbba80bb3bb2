/** Live chat: 1,000 widget connections on loopback, inbound messages/s and ack round trip (issue 4). */
import type { BenchOptions } from '../lib.ts';
import { benchLiveChat } from '../livechat.ts';

export async function runLiveChat(opts: BenchOptions): Promise<Record<string, unknown>> {
  const result = await benchLiveChat(
    // A fixed rate makes the ack p99 mean something (closed loop it is just in-flight ÷ rate).
    opts.quick
      ? { connections: 200, durationMs: 3000, targetRate: 200 }
      : { connections: 1000, durationMs: 10_000, targetRate: 1000 },
  );
  return result as unknown as Record<string, unknown>;
}
