/** Messages between the event loop and a rules-classifier thread (rulesWorker.ts). */
import type { Classification } from './types.ts';

export interface ThreadInput {
  id: number;
  text: string;
  now: number;
  timezone: string;
}

export type ThreadRequest = { type: 'classify'; batch: ThreadInput[] } | { type: 'stop' };

export type ThreadReply = { id: number; ok: true; value: Classification } | { id: number; ok: false; name: string; message: string };

export type ThreadMessage = { type: 'ready' } | { type: 'results'; replies: ThreadReply[] };
