/**
 * The visualizer's HTTP routes: the page and its bundle (`/viz`), and its read-only JSON API
 * (the machine graph; a contact's history, what-if and export; replaying an uploaded export).
 * The API sits behind the principal plugin (src/http/principal.ts), whose contact check reads
 * the visualizer's own read-only connection: a contact outside the caller's bots answers 404
 * like a missing one. Replays, whose cost grows with a history or an upload, run one at a
 * time on their own thread with a heap bound (src/readers/replayThread.ts). Every route and
 * its answer: docs/api.md and the OpenAPI document.
 */
import { withBuiltScript } from '../web/assetRoutes.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { TokenVerifier } from '../http/auth.ts';
import { Errors, HttpError } from '../http/errors.ts';
import { parse, pathId } from '../http/parse.ts';
import { principal } from '../http/principal.ts';
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

/** `GET /api/contacts/:id/export`. */
export const exportQuery = z.strictObject({ redact: z.enum(['true', 'false', '1', '0']).optional() });

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
  // Scope checks read the visualizer's own connection (a cheap lookup, on the event loop).
  const lookup = {
    getBot: (id: string) => services.store.getBot(id),
    listBots: () => services.store.listBots(),
    getContact: (id: string) => reader.contact(id),
    getFollowUp: (id: string) => services.store.getFollowUp(id),
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

  // ---------------------------------------------------------------- JSON API, behind a bearer token

  const sendJson = (reply: FastifyReply, utf8: Buffer) =>
    reply.header('content-type', 'application/json; charset=utf-8').send(utf8);

  app.register(async (api) => {
    await api.register(principal, { verifiers, lookup });
    const { scope } = api;

    api.get('/api/machine/graph', async () => contactMachineGraph());

    api.get('/api/contacts/:id/history', async (request, reply) => {
      const { id } = scope.contact(request);
      const json = await replayThread
        .stored({ type: 'vizTimeline', contactId: id }, () =>
          JSON.stringify(buildTimeline(historyOnLoop(id), 'database')),
        )
        .catch(asHttpError);
      return sendJson(reply, json);
    });

    api.post('/api/contacts/:id/what-if', async (request, reply) => {
      const { id } = scope.contact(request);
      const body = parse(whatIfBody, request.body, 'request body');
      const event = body.event as HypotheticalEvent;
      const json = await replayThread
        .stored({ type: 'vizWhatIf', contactId: id, afterSeq: body.afterSeq, event, policy: body.policy }, () =>
          JSON.stringify(whatIfView(historyOnLoop(id), body.afterSeq, event, { policy: body.policy })),
        )
        .catch(asHttpError);
      return sendJson(reply, json);
    });

    api.get('/api/contacts/:id/export', async (request, reply) => {
      const id = pathId(request);
      const query = parse(exportQuery, request.query, 'query');
      scope.contact(request, id);
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
    // (replayThread.ts): parsing and replaying a large or crafted file would hold the event
    // loop. Scoped: the app's own JSON parser is untouched; any other media type is a 415.
    // The token is checked before the body is read.
    api.register(async (uploads) => {
      uploads.removeAllContentTypeParsers();
      uploads.addContentTypeParser(
        'application/json',
        { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES },
        (_request, body, done) => done(null, body),
      );
      const answerUpload = async (request: FastifyRequest, reply: FastifyReply, kind: ImportKind) => {
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
  });
}
