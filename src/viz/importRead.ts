/**
 * The answers to an uploaded bug-report file (`POST /api/viz/import` and
 * `POST /api/viz/import/what-if`): from the request's raw bytes to the UTF-8 JSON text the
 * route sends. It runs on the import thread (importReplays.ts, a console reader thread of
 * its own): a 20 MB file took 0.8–0.9 s to parse, validate and replay, all of it on the
 * event loop, where every chat ack and timer waited (docs/visualizer.md). The loop runs the
 * same code only when no thread can exist (an in-memory database, a closed service).
 *
 * Every bad input is a VizInputError carrying the code the API answers with a 400, worded
 * as fastify's own JSON parser and the routes' validation would word it.
 */
import secureJson from 'secure-json-parse';
import type { ContactHistory } from './reader.ts';
import { historyFromExport } from './exportFile.ts';
import { VizInputError, type HypotheticalEvent } from './replay.ts';
import { importWhatIfBody, parseVizInput } from './requests.ts';
import { buildTimeline, whatIfView } from './timeline.ts';

/** `timeline`: the file's replay (`/api/viz/import`); `whatIf`: one event after one of its entries. */
export type ImportKind = 'timeline' | 'whatIf';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `body`: the request's bytes; null when it had none. */
export function answerImport(body: Uint8Array | null, kind: ImportKind): string {
  const request = body === null ? undefined : parseJsonBody(body);
  if (kind === 'timeline') return JSON.stringify(buildTimeline(importedHistory(request, 'request body'), 'import'));
  const whatIf = parseVizInput(importWhatIfBody, request, 'request body');
  return JSON.stringify(whatIfView(importedHistory(whatIf.file, 'file'), whatIf.afterSeq, whatIf.event as HypotheticalEvent, { policy: whatIf.policy }));
}

/**
 * JSON as fastify's default parser reads it, prototype poisoning refused (`__proto__`,
 * `constructor.prototype`), except that bytes which are not UTF-8 are refused too: no
 * export this service writes has any, and replacing them would replay a different file.
 */
function parseJsonBody(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) throw new VizInputError('invalid_json', 'empty JSON body');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new VizInputError('invalid_json', 'request body is not valid UTF-8');
  }
  try {
    return secureJson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    throw new VizInputError('invalid_json', `request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function importedHistory(file: unknown, where: string): ContactHistory {
  if (file === undefined || file === null || typeof file !== 'object' || Array.isArray(file)) {
    throw new VizInputError('invalid_request', `${where} must be an exported contact-history JSON object`);
  }
  const result = historyFromExport(file);
  if (!result.ok) {
    const first = result.errors[0];
    throw new VizInputError('invalid_export', `not a valid contact-history file: ${first.path}: ${first.message}`, result.errors.slice(0, 50));
  }
  return result.history;
}
