/** Messages between the event loop and a rules-classifier thread (rulesWorker.ts). */
import type { Classification } from './types.ts';

export interface ThreadInput {
  id: number;
  text: string;
  now: number;
  timezone: string;
}

export type ThreadRequest = { type: 'classify'; batch: ThreadInput[] } | { type: 'stop' };

export type ThreadReply =
  { id: number; ok: true; value: Classification } | { id: number; ok: false; name: string; message: string };

/**
 * Answers per `results` message. A saturated loop hands the thread one batch per turn, often
 * hundreds of requests; answered in one message, the loop waited idle for the whole batch
 * and then the thread waited for the loop (the `events` bench: the loop busy 86 % of the
 * time). Answered in chunks, the loop applies the first answers while the thread classifies
 * the rest: busy 97–98 %. The gain is smaller than the idle time, because the group COMMIT
 * then overlaps the checkpointer's copying and takes longer: +3–8 % events/s and live-chat
 * msgs/s in interleaved runs (docs/benchmarks.md). A message costs a clone and a wake-up, so
 * not one per answer.
 */
export const REPLY_CHUNK = 32;

export type ThreadMessage = { type: 'ready' } | { type: 'results'; replies: ThreadReply[] };
