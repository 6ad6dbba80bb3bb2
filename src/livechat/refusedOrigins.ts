/**
 * The last page origin a bot's widget was refused for, kept so the console's install card
 * can say which site tried ("last connection refused from https://shop.example"). One row
 * per bot in the key-value table; a page retrying in a loop writes at most once per window.
 */
import type { Store } from '../store/store.ts';

/** One refusal: the origin the browser sent (null when none) and when, epoch ms. */
export interface RefusedOrigin {
  origin: string | null;
  at: number;
}

const REWRITE_AFTER_MS = 10_000;
/** An Origin header is sent by the browser, but any client can send a long one. */
const MAX_ORIGIN = 300;
const keyOf = (botId: string) => `refused_origin:${botId}`;

/** Records a refusal unless the same origin was recorded within the window. */
export function recordRefusedOrigin(
  store: Pick<Store, 'getKv' | 'setKv'>,
  botId: string,
  origin: string | null,
  now: number,
): void {
  origin = origin === null ? null : origin.slice(0, MAX_ORIGIN);
  const last = lastRefusedOrigin(store, botId);
  if (last && last.origin === origin && now - last.at < REWRITE_AFTER_MS) return;
  store.setKv(keyOf(botId), JSON.stringify({ origin, at: now } satisfies RefusedOrigin));
}

/** The bot's latest refusal, or null when none was ever recorded. */
export function lastRefusedOrigin(store: Pick<Store, 'getKv'>, botId: string): RefusedOrigin | null {
  const raw = store.getKv(keyOf(botId));
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as RefusedOrigin;
    return typeof value.at === 'number'
      ? { origin: typeof value.origin === 'string' ? value.origin.slice(0, MAX_ORIGIN) : null, at: value.at }
      : null;
  } catch {
    return null;
  }
}
