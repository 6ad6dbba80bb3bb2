/**
 * The visualizer's HTTP routes (the page, its bundle, and the JSON API it uses). Same
 * bearer auth and bot scoping as the operator API: a contact of a bot outside the
 * caller's scope answers 404 exactly like a missing one. Every route only READS, through
 * the visualizer's own read-only SQLite connection; the replays of a stored contact's
 * history (history, what-if, export), whose cost grows with the history, run on the
 * console reader thread (src/console/consoleReader.ts) over its own.
 *
 *   GET  /viz                         the page (token entered once, kept in sessionStorage)
 *   GET  /viz/viz.js, /viz/viz.css    its bundle (built on demand) and styles
 *   GET  /api/machine/graph           statechart nodes, edges and layout
 *   GET  /api/contacts/:id/history    timeline + replay verdicts + pending timers
 *   POST /api/contacts/:id/what-if    one hypothetical event after an entry (dry run)
 *   GET  /api/contacts/:id/export     the JSON bug-report file
 *   POST /api/viz/import              replays such a file; stores nothing
 *   POST /api/viz/import/what-if      what-if against such a file (`{ file, afterSeq, event }`)
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { assertBotAccess, authenticate, type Principal, type TokenVerifier } from '../http/auth.ts';
import { HttpError, validationError } from '../http/errors.ts';
import { ConsoleReader } from '../console/consoleReader.ts';
import type { NudgeServices } from '../services.ts';
import { ensureVizBundle, VIZ_SOURCE_DIR } from './build.ts';
import { buildExport, historyFromExport, MAX_IMPORT_BYTES } from './exportFile.ts';
import { contactMachineGraph } from './graph.ts';
import { HistoryReader, openHistoryReader, type ContactHistory } from './reader.ts';
import { EVENT_TYPES, replayHistory, VizInputError, type HypotheticalEvent } from './replay.ts';
import { buildTimeline, whatIfView } from './timeline.ts';

const INTENTS = ['busy', 'request_time', 'not_interested', 'booked', 'engaged'] as const;

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant with a zone, e.g. 2026-01-05T15:00:00Z' }).transform((s) => Date.parse(s));
const zoneName = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/London');
const shortText = z.string().min(1).max(200);
const at = { at: instant.optional() };

const hypotheticalEvent = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('CONTACT_MESSAGE'), intent: z.enum(INTENTS), requestedAt: instant.optional(), phrase: shortText.optional(), zone: zoneName.optional(), ...at }),
    z.strictObject({ type: z.literal('BOT_MESSAGE'), bookingLink: z.boolean().optional(), ...at }),
    z.strictObject({ type: z.literal('OPERATOR_MESSAGE'), operatorId: shortText.optional(), ...at }),
    z.strictObject({ type: z.literal('OPERATOR_HANDBACK'), operatorId: shortText.optional(), ...at }),
    z.strictObject({ type: z.literal('OPERATOR_STOP'), operatorId: shortText.optional(), ...at }),
    z.strictObject({ type: z.literal('FOLLOWUP_DUE'), followUpId: shortText.optional(), ...at }),
    z.strictObject({ type: z.literal('APPOINTMENT_BOOKED'), source: shortText.optional(), ...at }),
    z.strictObject({ type: z.literal('APPOINTMENT_CANCELLED'), source: shortText.optional(), ...at }),
    z.strictObject({ type: z.literal('OPT_IN'), source: shortText.optional(), ...at }),
    z.strictObject({ type: z.literal('CONTACT_UPDATED'), fields: z.record(z.string().max(50), z.string().max(50)).optional(), ...at }),
  ],
  { error: `event.type must be one of ${EVENT_TYPES.join(', ')}` },
);

const whatIfBody = z.strictObject({
  afterSeq: z.number({ error: 'must be a log entry number (0 = before the first event)' }).int().min(0),
  policy: z.enum(['logged', 'current']).optional(),
  event: hypotheticalEvent,
});

const idParam = z.object({ id: z.string().min(1).max(200) });
const exportQuery = z.strictObject({ redact: z.enum(['true', 'false', '1', '0']).optional() });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}

/** The page's Content-Security-Policy: everything from this origin, nothing from anywhere else. */
export const VIZ_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** Opens the visualizer's own read-only connection to the services' database. */
export function openReaderFor(services: NudgeServices): { reader: HistoryReader; owned: boolean } {
  // An in-memory database cannot be opened twice; its one connection is used for reads only.
  if (services.db.memory) return { reader: new HistoryReader(services.db), owned: false };
  return { reader: openHistoryReader(services.db.name), owned: true };
}

/**
 * `consoleReader`: the thread the replays run on (the server passes the one its console
 * uses); default: a new one, closed with the app.
 */
export function registerVizRoutes(app: FastifyInstance, services: NudgeServices, verifiers: TokenVerifier[], consoleReader?: ConsoleReader): void {
  const { reader, owned } = openReaderFor(services);
  if (owned) app.addHook('onClose', async () => reader.close());
  const readerThread = consoleReader ?? new ConsoleReader(services);
  if (!consoleReader) app.addHook('onClose', () => readerThread.close());
  const auth = (request: FastifyRequest): Principal => authenticate(request, verifiers);

  /** 404 unless the contact exists in the caller's scope (a cheap check, on the event loop). */
  const checkAccess = (principal: Principal, contactId: string): void => {
    const contact = reader.contact(contactId);
    const notFound = () => new HttpError(404, 'not_found', `contact ${contactId} not found`);
    if (!contact) throw notFound();
    try {
      assertBotAccess(principal, contact.bot_id);
    } catch {
      throw notFound();
    }
  };
  /** The whole stored history, read on the event loop: the thread's fallback. */
  const historyOnLoop = (contactId: string): ContactHistory => {
    const history = reader.history(contactId);
    if (!history) throw new HttpError(404, 'not_found', `contact ${contactId} not found`);
    return history;
  };
  const asHttpError = (error: unknown): never => {
    if (error instanceof VizInputError) throw new HttpError(400, error.code, error.message);
    throw error;
  };

  // ---------------------------------------------------------------- the page

  const sendStatic = async (reply: FastifyReply, file: string, type: string) => {
    const body = await readFile(file);
    return reply
      .header('content-type', type)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  };
  const page = async (_request: FastifyRequest, reply: FastifyReply) => {
    reply.header('content-security-policy', VIZ_CSP).header('referrer-policy', 'no-referrer').header('x-frame-options', 'DENY');
    return sendStatic(reply, join(VIZ_SOURCE_DIR, 'index.html'), 'text/html; charset=utf-8');
  };
  app.get('/viz', page);
  app.get('/viz/', page);
  app.get('/viz/viz.js', async (_request, reply) => {
    try {
      const file = await ensureVizBundle();
      return await sendStatic(reply, file, 'application/javascript; charset=utf-8');
    } catch (error) {
      throw new HttpError(500, 'bundle_failed', `could not build the visualizer bundle: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  app.get('/viz/viz.css', async (_request, reply) => sendStatic(reply, join(VIZ_SOURCE_DIR, 'viz.css'), 'text/css; charset=utf-8'));

  // ---------------------------------------------------------------- JSON API

  app.get('/api/machine/graph', async (request) => {
    auth(request);
    return contactMachineGraph();
  });

  const sendJson = (reply: FastifyReply, utf8: Buffer) => reply.header('content-type', 'application/json; charset=utf-8').send(utf8);

  app.get('/api/contacts/:id/history', async (request, reply) => {
    const principal = auth(request);
    const { id } = parse(idParam, request.params, 'path');
    checkAccess(principal, id);
    const json = await readerThread.visualizer({ type: 'vizTimeline', contactId: id }, () => JSON.stringify(buildTimeline(historyOnLoop(id), 'database')));
    return sendJson(reply, json);
  });

  app.post('/api/contacts/:id/what-if', async (request, reply) => {
    const principal = auth(request);
    const { id } = parse(idParam, request.params, 'path');
    checkAccess(principal, id);
    const body = parse(whatIfBody, request.body, 'request body');
    const event = body.event as HypotheticalEvent;
    const json = await readerThread
      .visualizer({ type: 'vizWhatIf', contactId: id, afterSeq: body.afterSeq, event, policy: body.policy }, () =>
        JSON.stringify(whatIfView(historyOnLoop(id), body.afterSeq, event, { policy: body.policy })),
      )
      .catch(asHttpError);
    return sendJson(reply, json);
  });

  app.get('/api/contacts/:id/export', async (request, reply) => {
    const principal = auth(request);
    const { id } = parse(idParam, request.params, 'path');
    const query = parse(exportQuery, request.query, 'query');
    checkAccess(principal, id);
    const now = services.clock.now();
    const redact = query.redact === 'true' || query.redact === '1';
    const json = await readerThread.visualizer({ type: 'vizExport', contactId: id, now, redact }, () => {
      const history = historyOnLoop(id);
      return JSON.stringify(buildExport(history, replayHistory(history), { now, redact }), null, 2);
    });
    const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
    return sendJson(reply.header('content-disposition', `attachment; filename="nudge-contact-${id.replace(/[^\w.-]/g, '_')}-${stamp}.json"`), json);
  });

  const importedHistory = (file: unknown, where: string): ContactHistory => {
    if (file === undefined || file === null || typeof file !== 'object' || Array.isArray(file)) {
      throw new HttpError(400, 'invalid_request', `${where} must be an exported contact-history JSON object`);
    }
    const result = historyFromExport(file);
    if (!result.ok) {
      const first = result.errors[0];
      throw new HttpError(400, 'invalid_export', `not a valid contact-history file: ${first.path}: ${first.message}`, result.errors.slice(0, 50));
    }
    return result.history;
  };

  app.post('/api/viz/import', { bodyLimit: MAX_IMPORT_BYTES }, async (request) => {
    auth(request);
    return buildTimeline(importedHistory(request.body, 'request body'), 'import');
  });

  // What-if against an imported file: the file travels with the request, nothing is stored.
  app.post('/api/viz/import/what-if', { bodyLimit: MAX_IMPORT_BYTES }, async (request) => {
    auth(request);
    const body = parse(whatIfBody.extend({ file: z.unknown() }), request.body, 'request body');
    const history = importedHistory(body.file, 'file');
    try {
      return whatIfView(history, body.afterSeq, body.event as HypotheticalEvent, { policy: body.policy });
    } catch (error) {
      return asHttpError(error);
    }
  });
}
