/**
 * The console's reads whose cost grows with the data (contact search, forecast, per-bot
 * metrics, Response Info, the Prometheus text): each runs on the console reader's thread,
 * off the event loop (src/readers/consoleReader.ts); the route only checks scope and input.
 * Registered under the principal plugin (src/http/principal.ts).
 */
import type { FastifyInstance } from 'fastify';
import { Errors } from '../http/errors.ts';
import { parse } from '../http/parse.ts';
import type { ConsoleReader } from '../readers/consoleReader.ts';
import type { NudgeServices } from '../services.ts';
import type { PresenceLike } from './predict.ts';
import { forecastQuery, metricsQuery } from './requests.ts';
import { searchQuerySchema } from './search.ts';

const DAY = 86_400_000;
/** The longest range `GET /api/bots/:id/metrics` reads. */
const MAX_METRICS_DAYS = 400;

export interface ReadRouteOptions {
  services: NudgeServices;
  consoleReader: ConsoleReader;
  presence: PresenceLike | null;
  /** Process and latency metrics, appended to `GET /metrics`. */
  processMetrics?: () => Promise<string>;
}

export async function readRoutes(app: FastifyInstance, options: ReadRouteOptions): Promise<void> {
  const { services, consoleReader, presence } = options;
  const { clock, runtime } = services;
  const { scope } = app;

  app.get('/api/bots/:id/contacts/search', async (request) => {
    const { id } = scope.bot(request);
    const query = parse(searchQuerySchema, request.query, 'query');
    return consoleReader.search(id, query, clock.now());
  });

  app.get('/api/bots/:id/forecast', async (request) => {
    const { id } = scope.bot(request);
    const query = parse(forecastQuery, request.query, 'query');
    return consoleReader.forecast(id, { hours: query.hours, limit: query.limit, now: clock.now() }, presence);
  });

  app.get('/api/bots/:id/metrics', async (request) => {
    const { id } = scope.bot(request);
    const query = parse(metricsQuery, request.query, 'query');
    const to = query.to ?? clock.now();
    const from = query.from ?? to - 7 * DAY;
    if (from >= to)
      throw Errors.invalidRequest('invalid query: from: must be before to', [
        { path: 'from', message: 'must be before to' },
      ]);
    if (to - from > MAX_METRICS_DAYS * DAY)
      throw Errors.invalidRequest(`invalid query: from: the range may span at most ${MAX_METRICS_DAYS} days`, [
        { path: 'from', message: `the range may span at most ${MAX_METRICS_DAYS} days` },
      ]);
    return consoleReader.botMetrics(id, from, to);
  });

  app.get('/api/contacts/:id/info', async (request) => {
    const { principal } = request;
    const { id } = scope.contact(request);
    return consoleReader.responseInfo(id, {
      now: clock.now(),
      presence,
      operatorId: principal.operatorId,
      botIds: principal.botIds,
    });
  });

  app.get('/metrics', async (request, reply) => {
    const bots = scope.bots(request).map((b) => ({ id: b.id, name: b.name, active: runtime.bot(b.id).config.active }));
    const [perBot, process] = await Promise.all([consoleReader.prometheus(bots), options.processMetrics?.() ?? '']);
    const text = process ? `${perBot.trimEnd()}\n${process}` : perBot;
    return reply
      .header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(text);
  });
}
