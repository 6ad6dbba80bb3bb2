/**
 * The operator console's HTTP surface, registered next to the core API:
 *
 *   GET  /console, /console/console.js, /console/console.css   the page (token kept in sessionStorage)
 *   GET  /api/me                                               who the token is (console login)
 *   *    /api/operators…                                       operator accounts and bot grants (admin)
 *   POST /api/bots/:id/config/validate                         errors + warnings without saving
 *   GET  /api/bots/:id/secrets, POST …/secrets/:kind/rotate    calendar / outgoing-webhook HMAC secrets
 *   GET  /api/bots/:id/install, PUT …/origins                  widget key, snippet, allowed websites (install.ts)
 *   GET  /api/bots/:id/contacts/search                         search, filters, pagination
 *   GET  /api/bots/:id/forecast                                what will be sent in the next hours
 *   GET  /api/bots/:id/metrics                                 armed / sent / skipped / cancelled / reply rate
 *   GET  /api/contacts/:id/info                                the Response Info panel
 *   GET  /api/notifications, POST /api/notifications/read      notifyUser notifications
 *   GET  /metrics                                              Prometheus text (bearer token)
 *   GET  /api/openapi.json                                     OpenAPI 3.1 of every route
 *   POST /webhooks/calendar/:botId                             signed calendar booking events
 *
 * Scoping is the core API's: a bot, contact or follow-up outside the token's bots answers
 * 404 exactly like one that does not exist.
 */
import { withBuiltScript } from '../web/assetRoutes.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { applyConfigPatch, configWarnings, parseBotConfig, type BotConfig } from '../config/botConfig.ts';
import { assertBotAccess, authenticate, type Principal, type TokenVerifier } from '../http/auth.ts';
import { Errors, validationError } from '../http/errors.ts';
import type { NudgeServices } from '../services.ts';
import { CONSOLE_SOURCE_DIR, ensureConsoleBundle } from './build.ts';
import { calendarWebhookRoutes } from './calendar.ts';
import { channelModeWarnings, type ChannelModes } from '../channels/modes.ts';
import { installRoutes } from './install.ts';
import { ConsoleReader } from '../readers/consoleReader.ts';
import { listNotifications, markRead } from './notifications.ts';
import { openApiDocument } from './openapi.ts';
import { OperatorStore } from './operators.ts';
import type { PresenceLike } from './predict.ts';
import {
  createOperatorBody,
  forecastQuery,
  grantBody,
  metricsQuery,
  notificationsQuery,
  patchOperatorBody,
  readBody,
  validateBody,
} from './requests.ts';
import { searchQuerySchema } from './search.ts';
import { botSecretCreatedAt, ensureBotSecret, rotateBotSecret, SECRET_KINDS, type SecretKind } from './secrets.ts';

export interface ConsoleOptions {
  /** The same verifiers the core API uses (admin token, operator tokens). */
  verifiers: TokenVerifier[];
  /** Live-chat presence (the gateway's), so channel predictions know whether the widget is open now. */
  presence?: PresenceLike | null;
  /** Which channels really send, for the console's log-only notices; default: SMS to the log, no Meta. */
  channels?: ChannelModes;
  /** Where metrics, forecasts, contact searches and Response Info are read (the server passes its own to report it in health); default: a new one. Closed with the app. */
  consoleReader?: ConsoleReader;
  /** Process and latency metrics (src/metrics/serviceMetrics.ts), appended to `GET /metrics`. */
  processMetrics?: () => Promise<string>;
}

/** The page's Content-Security-Policy: everything from this origin, nothing from anywhere else. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const DAY = 86_400_000;
const idParam = z.object({ id: z.string().min(1).max(200) });
const emptyBody = z.union([z.undefined(), z.null(), z.object({}).strict()]);

function parse<T>(schema: z.ZodType<T>, value: unknown, what = 'request body'): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}

export async function registerConsole(
  app: FastifyInstance,
  services: NudgeServices,
  options: ConsoleOptions,
): Promise<void> {
  const { store, runtime, clock } = services;
  const db = store.db;
  const operators = new OperatorStore(db);
  // Metrics, forecasts, the contact search and Response Info read more the more data there
  // is: on a thread of their own, off the event loop.
  const consoleReader = options.consoleReader ?? new ConsoleReader(services);
  app.addHook('onClose', () => consoleReader.close());
  const presence = options.presence ?? null;
  const channels: ChannelModes = options.channels ?? { sms: 'log', facebook: false, instagram: false, whatsapp: false };
  const auth = (request: FastifyRequest): Principal => authenticate(request, options.verifiers);
  const admin = (request: FastifyRequest): Principal => {
    const principal = auth(request);
    if (!principal.admin) throw Errors.forbidden('only an admin can manage operators');
    return principal;
  };
  const botFor = (principal: Principal, botId: string) => {
    assertBotAccess(principal, botId);
    const bot = store.getBot(botId);
    if (!bot) throw Errors.notFound(`bot ${botId} not found`);
    return bot;
  };
  const contactFor = (principal: Principal, contactId: string) => {
    const contact = store.getContact(contactId);
    const notFound = Errors.notFound(`contact ${contactId} not found`);
    if (!contact) throw notFound;
    if (principal.botIds !== null && !principal.botIds.includes(contact.bot_id)) throw notFound;
    return contact;
  };
  const operatorFor = (id: string) => {
    const view = operators.view(id);
    if (!view) throw Errors.notFound(`operator ${id} not found`);
    return view;
  };
  const botsInScope = (principal: Principal) =>
    store.listBots().filter((b) => principal.botIds === null || principal.botIds.includes(b.id));

  // ---------------------------------------------------------------- page

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
      .header('content-security-policy', CONSOLE_CSP)
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY');
    // After `npm run build` the page loads its hashed, forever-cacheable bundle (src/web/assetRoutes.ts).
    const html = withBuiltScript(await readFile(join(CONSOLE_SOURCE_DIR, 'index.html'), 'utf8'), 'console');
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(html);
  };
  app.get('/console', page);
  app.get('/console/', page);
  app.get('/console/console.js', async (_request, reply) => {
    let file: string;
    try {
      file = await ensureConsoleBundle();
    } catch (error) {
      throw Errors.bundleFailed(
        `could not build the console bundle: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return sendStatic(reply, file, 'application/javascript; charset=utf-8');
  });
  app.get('/console/console.css', async (_request, reply) =>
    sendStatic(reply, join(CONSOLE_SOURCE_DIR, 'console.css'), 'text/css; charset=utf-8'),
  );

  app.get('/api/openapi.json', async () => openApiDocument());

  // ---------------------------------------------------------------- session and operators

  app.get('/api/me', async (request) => {
    const principal = auth(request);
    const row = principal.operatorId === 'admin' ? null : operators.get(principal.operatorId);
    return {
      operator: {
        id: principal.operatorId,
        name: row?.name ?? (principal.admin ? 'Administrator' : principal.operatorId),
        admin: principal.admin,
      },
      bots: botsInScope(principal).map((b) => ({ id: b.id, name: b.name })),
      channels: { ...channels, warnings: channelModeWarnings(channels) },
    };
  });

  app.get('/api/operators', async (request) => {
    admin(request);
    return { operators: operators.list() };
  });

  app.post('/api/operators', async (request, reply) => {
    admin(request);
    const body = parse(createOperatorBody, request.body);
    const missing = body.botIds.map((id, index) => ({ id, index })).filter(({ id }) => !store.getBot(id));
    if (missing.length) {
      throw Errors.invalidRequest(
        `invalid request body: botIds.${missing[0].index}: bot ${missing[0].id} does not exist`,
        missing.map(({ id, index }) => ({ path: `botIds.${index}`, message: `bot ${id} does not exist` })),
      );
    }
    const created = operators.create({ name: body.name, admin: body.admin, botIds: body.botIds }, clock.now());
    return reply.status(201).send(created);
  });

  app.get('/api/operators/:id', async (request) => {
    admin(request);
    const { id } = parse(idParam, request.params, 'path');
    return operatorFor(id);
  });

  app.patch('/api/operators/:id', async (request) => {
    admin(request);
    const { id } = parse(idParam, request.params, 'path');
    operatorFor(id);
    const body = parse(patchOperatorBody, request.body);
    operators.update(id, body, clock.now());
    return operatorFor(id);
  });

  app.delete('/api/operators/:id', async (request) => {
    admin(request);
    const { id } = parse(idParam, request.params, 'path');
    operatorFor(id);
    return { deleted: operators.delete(id) };
  });

  app.post('/api/operators/:id/token', async (request) => {
    admin(request);
    const { id } = parse(idParam, request.params, 'path');
    operatorFor(id);
    parse(emptyBody, request.body);
    const token = operators.rotateToken(id, clock.now());
    return { operator: operatorFor(id), token };
  });

  app.post('/api/operators/:id/bots', async (request) => {
    admin(request);
    const { id } = parse(idParam, request.params, 'path');
    operatorFor(id);
    const body = parse(grantBody, request.body);
    if (!store.getBot(body.botId)) throw Errors.notFound(`bot ${body.botId} not found`);
    operators.grant(id, body.botId, clock.now());
    return operatorFor(id);
  });

  app.delete('/api/operators/:id/bots/:botId', async (request) => {
    admin(request);
    const { id, botId } = parse(
      z.object({ id: z.string().min(1).max(200), botId: z.string().min(1).max(200) }),
      request.params,
      'path',
    );
    operatorFor(id);
    if (!operators.revoke(id, botId, clock.now()))
      throw Errors.notFound(`operator ${id} has no grant for bot ${botId}`);
    return operatorFor(id);
  });

  // ---------------------------------------------------------------- bots

  app.post('/api/bots/:id/config/validate', async (request) => {
    const { id } = parse(idParam, request.params, 'path');
    const bot = botFor(auth(request), id);
    const body = parse(validateBody, request.body);
    const current = JSON.parse(bot.config) as BotConfig;
    const result =
      body.mode === 'replace'
        ? parseBotConfig({ name: current.name, ...body.config })
        : applyConfigPatch(current, body.config);
    return result.ok
      ? { ok: true, errors: [], warnings: configWarnings(result.config), config: result.config }
      : { ok: false, errors: result.errors, warnings: [], config: null };
  });

  const secretsView = (botId: string) => {
    const now = clock.now();
    const calendar = ensureBotSecret(db, botId, 'calendar', now);
    const webhook = ensureBotSecret(db, botId, 'webhook', now);
    const created = (kind: SecretKind) => new Date(botSecretCreatedAt(db, botId, kind) ?? now).toISOString();
    return {
      calendar: { secret: calendar, createdAt: created('calendar'), webhookPath: `/webhooks/calendar/${botId}` },
      webhook: {
        secret: webhook,
        createdAt: created('webhook'),
        signature: 'X-Nudge-Signature: sha256=hex(HMAC-SHA256(secret, `${X-Nudge-Timestamp}.${body}`))',
      },
    };
  };

  app.get('/api/bots/:id/secrets', async (request) => {
    const { id } = parse(idParam, request.params, 'path');
    botFor(auth(request), id);
    return secretsView(id);
  });

  app.post('/api/bots/:id/secrets/:kind/rotate', async (request) => {
    const { id, kind } = parse(
      z.object({
        id: z.string().min(1).max(200),
        kind: z.enum(SECRET_KINDS, { error: `must be ${SECRET_KINDS.join(' or ')}` }),
      }),
      request.params,
      'path',
    );
    botFor(auth(request), id);
    parse(emptyBody, request.body);
    rotateBotSecret(db, id, kind, clock.now());
    return secretsView(id);
  });

  installRoutes(app, services, options.verifiers);

  app.get('/api/bots/:id/contacts/search', async (request) => {
    const { id } = parse(idParam, request.params, 'path');
    botFor(auth(request), id);
    const query = parse(searchQuerySchema, request.query, 'query');
    return consoleReader.search(id, query, clock.now());
  });

  app.get('/api/bots/:id/forecast', async (request) => {
    const { id } = parse(idParam, request.params, 'path');
    botFor(auth(request), id);
    const query = parse(forecastQuery, request.query, 'query');
    return consoleReader.forecast(id, { hours: query.hours, limit: query.limit, now: clock.now() }, presence);
  });

  app.get('/api/bots/:id/metrics', async (request) => {
    const { id } = parse(idParam, request.params, 'path');
    botFor(auth(request), id);
    const query = parse(metricsQuery, request.query, 'query');
    const to = query.to ?? clock.now();
    const from = query.from ?? to - 7 * DAY;
    if (from >= to)
      throw Errors.invalidRequest('invalid query: from: must be before to', [
        { path: 'from', message: 'must be before to' },
      ]);
    if (to - from > 400 * DAY)
      throw Errors.invalidRequest('invalid query: from: the range may span at most 400 days', [
        { path: 'from', message: 'the range may span at most 400 days' },
      ]);
    return consoleReader.botMetrics(id, from, to);
  });

  // ---------------------------------------------------------------- contacts

  app.get('/api/contacts/:id/info', async (request) => {
    const principal = auth(request);
    const { id } = parse(idParam, request.params, 'path');
    contactFor(principal, id);
    return consoleReader.responseInfo(id, {
      now: clock.now(),
      presence,
      operatorId: principal.operatorId,
      botIds: principal.botIds,
    });
  });

  // ---------------------------------------------------------------- notifications

  app.get('/api/notifications', async (request) => {
    const principal = auth(request);
    const query = parse(notificationsQuery, request.query, 'query');
    let botId = query.botId;
    if (botId) botFor(principal, botId);
    if (query.contactId) {
      const contact = contactFor(principal, query.contactId);
      if (botId && contact.bot_id !== botId) throw Errors.notFound(`contact ${query.contactId} not found`);
      botId = contact.bot_id;
    }
    return listNotifications(db, principal.operatorId, {
      botIds: principal.botIds,
      botId,
      contactId: query.contactId,
      before: query.before,
      limit: query.limit,
    });
  });

  app.post('/api/notifications/read', async (request) => {
    const principal = auth(request);
    const body = parse(readBody, request.body);
    return { lastReadId: markRead(db, principal.operatorId, body.upTo) };
  });

  // ---------------------------------------------------------------- monitoring

  app.get('/metrics', async (request, reply) => {
    const principal = auth(request);
    const bots = botsInScope(principal).map((b) => ({
      id: b.id,
      name: b.name,
      active: runtime.bot(b.id).config.active,
    }));
    const [perBot, process] = await Promise.all([consoleReader.prometheus(bots), options.processMetrics?.() ?? '']);
    const text = process ? `${perBot.trimEnd()}\n${process}` : perBot;
    return reply
      .header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(text);
  });

  // ---------------------------------------------------------------- webhooks in (raw body: own scope)

  await app.register(calendarWebhookRoutes, { services });
}
