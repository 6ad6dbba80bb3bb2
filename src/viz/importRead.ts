/**
 * The answers to an uploaded bug-report file (`POST /api/viz/import` and
 * `POST /api/viz/import/what-if`): from the request's raw bytes to the UTF-8 JSON text the
 * route sends. It runs on the visualizer's replay thread (replayThread.ts), because parsing,
 * validating and replaying a large file would hold the event loop for a long time
 * (docs/visualizer.md); the loop runs it only when no thread can exist (an in-memory
 * database, a closed service). Every bad input is a VizInputError carrying the code the API
 * answers with a 400, worded as the API's JSON parser and the routes' validation word it.
 */
import { parseJsonBody } from '../http/jsonBody.ts';
import type { ContactHistory } from './reader.ts';
import { historyFromExport } from './exportFile.ts';
import { VizInputError, type HypotheticalEvent } from './replay.ts';
import { importWhatIfBody, parseVizInput } from './requests.ts';
import { buildTimeline, whatIfView } from './timeline.ts';

/** `timeline`: the file's replay (`/api/viz/import`); `whatIf`: one event after one of its entries. */
export type ImportKind = 'timeline' | 'whatIf';

/** `body`: the request's bytes; null when it had none. */
export function answerImport(body: Uint8Array | null, kind: ImportKind): string {
  const request = body === null ? undefined : jsonOf(body);
  if (kind === 'timeline') return JSON.stringify(buildTimeline(importedHistory(request, 'request body'), 'import'));
  const whatIf = parseVizInput(importWhatIfBody, request, 'request body');
  return JSON.stringify(
    whatIfView(importedHistory(whatIf.file, 'file'), whatIf.afterSeq, whatIf.event as HypotheticalEvent, {
      policy: whatIf.policy,
    }),
  );
}

/** The body read as the API reads every JSON body (src/http/jsonBody.ts). */
function jsonOf(bytes: Uint8Array): unknown {
  const parsed = parseJsonBody(bytes);
  if (!parsed.ok) throw new VizInputError('invalid_json', parsed.message);
  return parsed.value;
}

function importedHistory(file: unknown, where: string): ContactHistory {
  if (file === undefined || file === null || typeof file !== 'object' || Array.isArray(file)) {
    throw new VizInputError('invalid_request', `${where} must be an exported contact-history JSON object`);
  }
  const result = historyFromExport(file);
  if (!result.ok) {
    const first = result.errors[0];
    throw new VizInputError(
      'invalid_export',
      `not a valid contact-history file: ${first.path}: ${first.message}`,
      result.errors.slice(0, 50),
    );
  }
  return result.history;
}
