/**
 * How the API reads a JSON body from its bytes: the bytes must be UTF-8 (invalid ones are
 * refused, never stored as U+FFFD), and a `__proto__` or `constructor.prototype` key is
 * refused as fastify's default parser refuses it, and so is text with an unpaired surrogate
 * (src/text/wellFormed.ts) (secure-json-parse, fastify's own). Used by
 * the server's JSON content-type parser and by the visualizer's upload thread, which parses
 * its 20 MiB bodies itself; no heavy imports, so the thread can load it.
 */
import secureJson from 'secure-json-parse';
import { unpairedSurrogateAt, unpairedSurrogateMessage } from '../text/wellFormed.ts';

export type JsonBody = { ok: true; value: unknown } | { ok: false; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body's value, or why it is not JSON (the API answers that as 400 `invalid_json`). */
export function parseJsonBody(bytes: Uint8Array): JsonBody {
  if (bytes.byteLength === 0) return { ok: false, message: 'empty JSON body: send a JSON value or no Content-Type' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, message: 'request body is not valid UTF-8' };
  }
  let value: unknown;
  try {
    value = secureJson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    return {
      ok: false,
      message: `request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const broken = unpairedSurrogateAt(value);
  return broken ? { ok: false, message: unpairedSurrogateMessage(broken) } : { ok: true, value };
}
