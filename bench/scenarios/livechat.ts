/** Live chat: 1,000 widget connections on loopback, inbound messages/s and ack round trip (issue 4). */
import type { BenchOptions } from '../lib.ts';
import { benchLiveChat } from '../livechat.ts';

export async function runLiveChat(opts: BenchOptions): Promise<Record<string, unknown>> {
  const result = await benchLiveChat(opts.quick ? { connections: 200, durationMs: 3000 } : { connections: 1000, durationMs: 10_000 });
  return result as unknown as Record<string, unknown>;
}
