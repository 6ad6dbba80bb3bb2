/** Messages between the service and its console reader thread (consoleReader.ts, consoleReaderWorker.ts). */
import { RuntimeError } from '../runtime/errors.ts';
import type { ImportKind } from '../viz/importRead.ts';
import { VizInputError, type HypotheticalEvent } from '../viz/replay.ts';
import type { SearchQuery } from '../console/search.ts';

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
  | { type: 'search'; id: number; botId: string; query: SearchQuery; now: number }
  /** `online`: whether the contact's widget is open; null: unknown (no live chat). */
  | {
      type: 'responseInfo';
      id: number;
      contactId: string;
      now: number;
      online: boolean | null;
      operatorId: string;
      botIds: string[] | null;
    }
  /** The visualizer's reads of one contact's whole history (src/viz/routes.ts). */
  | { type: 'vizTimeline'; id: number; contactId: string }
  | {
      type: 'vizWhatIf';
      id: number;
      contactId: string;
      afterSeq: number;
      event: HypotheticalEvent;
      policy?: 'logged' | 'current';
    }
  | { type: 'vizExport'; id: number; contactId: string; now: number; redact: boolean }
  /** An uploaded bug-report file (src/viz/importRead.ts): `body`, the request's bytes, is transferred, not copied. */
  | { type: 'vizImport'; id: number; body: Uint8Array | null; kind: ImportKind }
  | { type: 'stop' };

/** A visualizer read as its route asks for it (the reader numbers it). */
export type VizRead = WithoutId<Extract<ConsoleReadRequest, { type: 'vizTimeline' | 'vizWhatIf' | 'vizExport' }>>;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A failed read, with what the API needs to answer it as the event loop would have (RuntimeError's or VizInputError's code). */
export interface ReadFailure {
  message: string;
  runtimeCode?: RuntimeError['code'];
  vizCode?: VizInputError['code'];
  /** A VizInputError's details (the problems an invalid file or request has). */
  vizDetails?: unknown;
}

/** Every answer also says how large the thread's JS heap is (`heapMiB`, V8's total heap size). */
/** What crosses the thread of an error: its message, and the code of an error the API shows as-is. */
export function readFailureOf(error: unknown): ReadFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RuntimeError) return { message, runtimeCode: error.code };
  if (error instanceof VizInputError)
    return { message, vizCode: error.code, ...(error.details === undefined ? {} : { vizDetails: error.details }) };
  return { message };
}

/** The error the event loop would have thrown, rebuilt from what crossed (the API maps its class). */
export function errorOf(failure: ReadFailure): Error {
  if (failure.runtimeCode) return new RuntimeError(failure.runtimeCode, failure.message);
  if (failure.vizCode) return new VizInputError(failure.vizCode, failure.message, failure.vizDetails);
  return new Error(failure.message);
}

export type ConsoleReadReply = (
  { type: 'answer'; id: number; ok: true; value: unknown } | ({ type: 'answer'; id: number; ok: false } & ReadFailure)
) & { heapMiB: number };

/** The forecast as computed on the thread, and the contacts whose presence it asked about. */
export interface ForecastAnswer<T> {
  forecast: T;
  asked: string[];
}
