/**
 * Putting a bot's chat widget on a business's own site: `GET /api/bots/:id/install` (widget
 * key, the <script> snippet, allowed websites, business name and colour, the last refused
 * origin) and `PUT /api/bots/:id/origins` (replace the allowed websites, each validated as an
 * origin). Name and colour are Bot Goals fields, changed with PATCH /api/bots/:id/config.
 * Registered under the principal plugin (src/http/principal.ts): a bot outside the token's
 * bots answers 404.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { BotConfig } from '../config/botConfig.ts';
import { Errors } from '../http/errors.ts';
import { parse } from '../http/parse.ts';
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

export async function installRoutes(app: FastifyInstance, { services }: { services: NudgeServices }): Promise<void> {
  const { store } = services;
  const { scope } = app;
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

  app.get('/api/bots/:id/install', async (request) => installView(request, scope.bot(request).id));

  app.put('/api/bots/:id/origins', async (request) => {
    const bot = scope.bot(request);
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
