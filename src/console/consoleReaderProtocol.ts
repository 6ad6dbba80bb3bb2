/** Messages between the service and its console reader thread (consoleReader.ts, consoleReaderWorker.ts). */
import type { SearchQuery } from './search.ts';

export interface BotScope {
  id: string;
  name: string;
  active: boolean;
}

export type ConsoleReadRequest =
  | { type: 'botMetrics'; id: number; botId: string; from: number; to: number }
  | { type: 'prometheus'; id: number; bots: BotScope[] }
  /**
   * `online`: the contacts whose widget the event loop saw open, among those it was asked
   * about; the thread treats every other contact as closed and names, in its answer, every
   * contact whose presence the forecast depended on (ForecastAnswer.asked). null: the
   * service has no live chat, presence is unknown (as a null PresenceLike on the loop).
   */
  | { type: 'forecast'; id: number; botId: string; hours: number; limit: number; now: number; online: string[] | null }
  /** `online`: whether the contact's widget is open; null: unknown (no live chat). */
  | { type: 'search'; id: number; botId: string; query: SearchQuery; now: number }
  | { type: 'responseInfo'; id: number; contactId: string; now: number; online: boolean | null; operatorId: string; botIds: string[] | null }
  | { type: 'stop' };

/** A failed read, with what the API needs to answer it as the event loop would have (RuntimeError's code). */
export interface ReadFailure {
  message: string;
  runtimeCode?: 'not_found' | 'conflict' | 'invalid';
}

export type ConsoleReadReply = { type: 'answer'; id: number; ok: true; value: unknown } | ({ type: 'answer'; id: number; ok: false } & ReadFailure);

/** The forecast as computed on the thread, and the contacts whose presence it asked about. */
export interface ForecastAnswer<T> {
  forecast: T;
  asked: string[];
}
