/**
 * The visualizer's HTTP routes (the page, its bundle, and the JSON API it uses). Same
 * bearer auth and bot scoping as the operator API: a contact of a bot outside the
 * caller's scope answers 404 exactly like a missing one. Every route only READS, through
 * the visualizer's own read-only SQLite connection. The replays, whose cost grows with a
 * contact's history or an uploaded file (history, what-if, export, import, import
 * what-if), run one at a time on a thread of their own with its own connection, whose heap
 * bound limits what one may cost (src/readers/replayThread.ts).
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
import { withBuiltScript } from '../web/assetRoutes.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { assertBotAccess, authenticate, type Principal, type TokenVerifier } from '../http/auth.ts';
import { Errors, HttpError, validationError } from '../http/errors.ts';
import type { NudgeServices } from '../services.ts';
import { ensureVizBundle, VIZ_SOURCE_DIR } from './build.ts';
import { buildExport, MAX_IMPORT_BYTES } from './exportFile.ts';
import type { ImportKind } from './importRead.ts';
import { ReplayRefusedError, VizReplays } from '../readers/replayThread.ts';
import { contactMachineGraph } from './graph.ts';
import { HistoryReader, openHistoryReader, type ContactHistory } from './reader.ts';
import { replayHistory, VizInputError, type HypotheticalEvent } from './replay.ts';
import { whatIfBody } from './requests.ts';
import { buildTimeline, whatIfView } from './timeline.ts';

const idParam = z.object({ id: z.string().min(1).max(200) });
/** `GET /api/contacts/:id/export`. */
export const exportQuery = z.strictObject({ redact: z.enum(['true', 'false', '1', '0']).optional() });

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
 * `replays`: the thread the replays run on (the server passes its own, whose stats its
 * health reports); default: a new one, closed with the app.
 */
export function registerVizRoutes(
  app: FastifyInstance,
  services: NudgeServices,
  verifiers: TokenVerifier[],
  replays?: VizReplays,
): void {
  const { reader, owned } = openReaderFor(services);
  if (owned) app.addHook('onClose', async () => reader.close());
  const replayThread = replays ?? new VizReplays(services);
  if (!replays) app.addHook('onClose', () => replayThread.close());
  const auth = (request: FastifyRequest): Principal => authenticate(request, verifiers);

  /** 404 unless the contact exists in the caller's scope (a cheap check, on the event loop). */
  const checkAccess = (principal: Principal, contactId: string): void => {
    const contact = reader.contact(contactId);
    const notFound = () => Errors.notFound(`contact ${contactId} not found`);
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
    if (!history) throw Errors.notFound(`contact ${contactId} not found`);
    return history;
  };
  const asHttpError = (error: unknown): never => {
    if (error instanceof VizInputError) throw new HttpError(error.code, error.message, error.details);
    if (error instanceof ReplayRefusedError) throw new HttpError(error.code, error.message);
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
    reply
      .header('content-security-policy', VIZ_CSP)
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY');
    // After `npm run build` the page loads its hashed, forever-cacheable bundle (src/web/assetRoutes.ts).
    const html = withBuiltScript(await readFile(join(VIZ_SOURCE_DIR, 'index.html'), 'utf8'), 'viz');
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(html);
  };
  app.get('/viz', page);
  app.get('/viz/', page);
  app.get('/viz/viz.js', async (_request, reply) => {
    try {
      const file = await ensureVizBundle();
      return await sendStatic(reply, file, 'application/javascript; charset=utf-8');
    } catch (error) {
      throw Errors.bundleFailed(
        `could not build the visualizer bundle: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
  app.get('/viz/viz.css', async (_request, reply) =>
    sendStatic(reply, join(VIZ_SOURCE_DIR, 'viz.css'), 'text/css; charset=utf-8'),
  );

  // ---------------------------------------------------------------- JSON API

  app.get('/api/machine/graph', async (request) => {
    auth(request);
    return contactMachineGraph();
  });

  const sendJson = (reply: FastifyReply, utf8: Buffer) =>
    reply.header('content-type', 'application/json; charset=utf-8').send(utf8);

  app.get('/api/contacts/:id/history', async (request, reply) => {
    const principal = auth(request);
    const { id } = parse(idParam, request.params, 'path');
    checkAccess(principal, id);
    const json = await replayThread
      .stored({ type: 'vizTimeline', contactId: id }, () =>
        JSON.stringify(buildTimeline(historyOnLoop(id), 'database')),
      )
      .catch(asHttpError);
    return sendJson(reply, json);
  });

  app.post('/api/contacts/:id/what-if', async (request, reply) => {
    const principal = auth(request);
    const { id } = parse(idParam, request.params, 'path');
    checkAccess(principal, id);
    const body = parse(whatIfBody, request.body, 'request body');
    const event = body.event as HypotheticalEvent;
    const json = await replayThread
      .stored({ type: 'vizWhatIf', contactId: id, afterSeq: body.afterSeq, event, policy: body.policy }, () =>
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
    const json = await replayThread
      .stored({ type: 'vizExport', contactId: id, now, redact }, () => {
        const history = historyOnLoop(id);
        return JSON.stringify(buildExport(history, replayHistory(history), { now, redact }), null, 2);
      })
      .catch(asHttpError);
    const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
    return sendJson(
      reply.header(
        'content-disposition',
        `attachment; filename="nudge-contact-${id.replace(/[^\w.-]/g, '_')}-${stamp}.json"`,
      ),
      json,
    );
  });

  // An uploaded file is read as raw bytes, then parsed and replayed on the replay thread
  // (replayThread.ts): a 20 MB file's JSON.parse alone held the event loop ~60 ms, its
  // replay ~0.8 s, and a crafted one seconds. Scoped: the app's own JSON parser is
  // untouched; any other media type is a 415.
  app.register(async (uploads) => {
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES },
      (_request, body, done) => done(null, body),
    );
    const answerUpload = async (request: FastifyRequest, reply: FastifyReply, kind: ImportKind) => {
      auth(request);
      const body = Buffer.isBuffer(request.body) ? request.body : null;
      return sendJson(reply, await replayThread.upload(body, kind).catch(asHttpError));
    };
    uploads.post('/api/viz/import', { bodyLimit: MAX_IMPORT_BYTES }, (request, reply) =>
      answerUpload(request, reply, 'timeline'),
    );
    // What-if against an imported file: the file travels with the request, nothing is stored.
    uploads.post('/api/viz/import/what-if', { bodyLimit: MAX_IMPORT_BYTES }, (request, reply) =>
      answerUpload(request, reply, 'whatIf'),
    );
  });
}
