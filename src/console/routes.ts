/**
 * The operator console's HTTP surface, registered next to the core API: the page and its
 * bundle, the OpenAPI document and the signed calendar webhook in the open; everything else
 * in one encapsulated context behind the principal plugin (src/http/principal.ts), one
 * plugin per resource: who am I and operators (operatorRoutes.ts), bot tools
 * (botToolRoutes.ts), the widget install (install.ts), the off-loop reads and `GET /metrics`
 * (readRoutes.ts), notifications (notificationRoutes.ts). Scoping is the core API's: a bot,
 * contact or follow-up outside the token's bots answers 404 exactly like a missing one.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChannelModes } from '../channels/modes.ts';
import type { TokenVerifier } from '../http/auth.ts';
import { Errors } from '../http/errors.ts';
import { principal } from '../http/principal.ts';
import { ConsoleReader } from '../readers/consoleReader.ts';
import type { NudgeServices } from '../services.ts';
import { withBuiltScript } from '../web/assetRoutes.ts';
import { botToolRoutes } from './botToolRoutes.ts';
import { CONSOLE_SOURCE_DIR, ensureConsoleBundle } from './build.ts';
import { calendarWebhookRoutes } from './calendar.ts';
import { installRoutes } from './install.ts';
import { notificationRoutes } from './notificationRoutes.ts';
import { openApiDocument } from './openapi.ts';
import { meRoutes, operatorRoutes } from './operatorRoutes.ts';
import type { PresenceLike } from './predict.ts';
import { readRoutes } from './readRoutes.ts';

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

export async function registerConsole(
  app: FastifyInstance,
  services: NudgeServices,
  options: ConsoleOptions,
): Promise<void> {
  // Metrics, forecasts, the contact search and Response Info read more the more data there
  // is: on a thread of their own, off the event loop.
  const consoleReader = options.consoleReader ?? new ConsoleReader(services);
  app.addHook('onClose', () => consoleReader.close());
  const presence = options.presence ?? null;
  const channels: ChannelModes = options.channels ?? { sms: 'log', facebook: false, instagram: false, whatsapp: false };

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

  // ---------------------------------------------------------------- behind a bearer token

  app.register(async (api) => {
    await api.register(principal, { verifiers: options.verifiers, lookup: services.store });
    await api.register(meRoutes, { services, channels });
    await api.register(operatorRoutes, { services });
    await api.register(botToolRoutes, { services });
    await api.register(installRoutes, { services });
    await api.register(readRoutes, { services, consoleReader, presence, processMetrics: options.processMetrics });
    await api.register(notificationRoutes, { services });
  });

  // ---------------------------------------------------------------- webhooks in (raw body: own scope)

  await app.register(calendarWebhookRoutes, { services });
}
