/**
 * Putting a bot's chat widget on a business's own site:
 *
 *   GET /api/bots/:id/install   widget key, the <script> snippet, allowed websites, business
 *                               name and widget colour, and the last refused origin
 *   PUT /api/bots/:id/origins   replace the allowed websites (each validated as an origin)
 *
 * The business name and colour are Bot Goals fields (`name`, `widgetColor`), changed with
 * PATCH /api/bots/:id/config like any other. Scoped like every bot route: a bot outside the
 * token's bots answers 404.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { BotConfig } from '../config/botConfig.ts';
import { assertBotAccess, authenticate, type TokenVerifier } from '../http/auth.ts';
import { Errors, validationError } from '../http/errors.ts';
import { lastRefusedOrigin } from '../livechat/refusedOrigins.ts';
import { isOriginAllowed } from '../gateway/origin.ts';
import type { NudgeServices } from '../services.ts';

export const MAX_ALLOWED_ORIGINS = 50;

/**
 * `https://Shop.Example:443/` → `https://shop.example`; `*` stays `*` (any site). Anything
 * with a path, query, fragment, credentials or a scheme other than http(s) is an error
 * message instead, because the browser's Origin header never carries them.
 */
export function parseOriginInput(value: string): { ok: true; origin: string } | { ok: false; message: string } {
  const trimmed = value.trim();
  if (trimmed === '*') return { ok: true, origin: '*' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return {
      ok: false,
      message: `"${trimmed.slice(0, 100)}" is not a website address; write it as https://shop.example`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, message: `"${trimmed.slice(0, 100)}" must start with https:// (or http://)` };
  if (url.username || url.password)
    return { ok: false, message: `"${trimmed.slice(0, 100)}" must not contain a user name or password` };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return { ok: false, message: `"${trimmed.slice(0, 100)}" has a path; allow the whole site: ${url.origin}` };
  }
  return { ok: true, origin: url.origin };
}

/** `PUT /api/bots/:id/origins`. */
export const originsBody = z
  .object({
    allowedOrigins: z
      .array(z.string().max(300, 'must be at most 300 characters'), {
        error: 'allowedOrigins must be a list of website addresses',
      })
      .max(MAX_ALLOWED_ORIGINS, `at most ${MAX_ALLOWED_ORIGINS} websites`),
  })
  .strict();
const idParam = z.object({ id: z.string().min(1).max(200) });

function parse<T>(schema: z.ZodType<T>, value: unknown, what = 'request body'): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The tag a business pastes before `</body>`: the widget loads from this server. */
export function widgetSnippet(
  serverOrigin: string,
  widgetKey: string,
  businessName: string,
  color: string | null,
): string {
  const attributes = [
    `src="${escapeAttribute(`${serverOrigin}/widget.js`)}"`,
    `data-bot-key="${escapeAttribute(widgetKey)}"`,
    `data-title="${escapeAttribute(businessName)}"`,
    `data-bot-name="${escapeAttribute(businessName)}"`,
    ...(color ? [`data-color="${escapeAttribute(color)}"`] : []),
    'async',
  ];
  return `<script ${attributes.join(' ')}></script>`;
}

export function installRoutes(app: FastifyInstance, services: NudgeServices, verifiers: TokenVerifier[]): void {
  const { store } = services;
  const botFor = (request: FastifyRequest) => {
    const { id } = parse(idParam, request.params, 'path');
    assertBotAccess(authenticate(request, verifiers), id);
    const bot = store.getBot(id);
    if (!bot) throw Errors.notFound(`bot ${id} not found`);
    return bot;
  };
  const installView = (request: FastifyRequest, botId: string) => {
    const bot = store.getBot(botId)!;
    const config = JSON.parse(bot.config) as BotConfig;
    const allowedOrigins = JSON.parse(bot.allowed_origins) as string[];
    const refused = lastRefusedOrigin(store, botId);
    const color = config.widgetColor ?? null;
    return {
      botId,
      widgetKey: bot.widget_key,
      businessName: config.name,
      widgetColor: color,
      allowedOrigins,
      snippet: widgetSnippet(`${request.protocol}://${request.host}`, bot.widget_key, config.name, color),
      lastRefused: refused
        ? {
            origin: refused.origin,
            at: new Date(refused.at).toISOString(),
            nowAllowed: refused.origin !== null && isOriginAllowed(refused.origin, allowedOrigins),
          }
        : null,
    };
  };

  app.get('/api/bots/:id/install', async (request) => installView(request, botFor(request).id));

  app.put('/api/bots/:id/origins', async (request) => {
    const bot = botFor(request);
    const body = parse(originsBody, request.body);
    const origins: string[] = [];
    const details: { path: string; message: string }[] = [];
    body.allowedOrigins.forEach((value, index) => {
      const parsed = parseOriginInput(value);
      if (!parsed.ok) details.push({ path: `allowedOrigins.${index}`, message: parsed.message });
      else if (!origins.includes(parsed.origin)) origins.push(parsed.origin);
    });
    if (details.length) throw Errors.invalidRequest(details[0].message, details);
    store.updateBotOrigins(bot.id, origins, services.clock.now());
    return installView(request, bot.id);
  });
}
