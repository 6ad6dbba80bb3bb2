/**
 * The bots resource of the operator API: list the bots in scope, create one (admin), read
 * one, and replace (PUT: missing fields take defaults) or merge (PATCH) its configuration.
 * A configuration the validator refuses answers 400 `invalid_config` with every problem.
 * Registered under the principal plugin (src/http/principal.ts).
 */
import type { FastifyInstance } from 'fastify';
import { applyConfigPatch, configWarnings, parseBotConfig, type ConfigResult } from '../config/botConfig.ts';
import type { NudgeServices } from '../services.ts';
import type { BotRow } from '../store/store.ts';
import { Errors } from './errors.ts';
import { parse } from './parse.ts';
import { adminOnly } from './principal.ts';
import { createBotBody } from './requests.ts';

/** A bot as the API shows it: configuration parsed, with its warnings. */
export function botView(row: BotRow) {
  const config = JSON.parse(row.config);
  return {
    id: row.id,
    name: row.name,
    widgetKey: row.widget_key,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    config,
    warnings: configWarnings(config),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** The configuration, or 400 `invalid_config` naming the first problem. */
function validConfig(result: ConfigResult) {
  if (result.ok) return result.config;
  const [first] = result.errors;
  throw Errors.invalidConfig(`invalid bot configuration: ${first.path}: ${first.message}`, result.errors);
}

function isJsonObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export async function botRoutes(app: FastifyInstance, { services }: { services: NudgeServices }): Promise<void> {
  const { store } = services;
  const { scope } = app;
  const currentView = (id: string) => botView(store.getBot(id)!);

  app.get('/api/bots', async (request) => ({ bots: scope.bots(request).map(botView) }));

  app.post('/api/bots', { onRequest: adminOnly('create bots') }, async (request, reply) => {
    const body = parse(createBotBody, request.body);
    const config = validConfig(parseBotConfig({ ...(body.config as object | undefined), name: body.name }));
    const bot = services.createBot(config, body.allowedOrigins ?? []);
    return reply.status(201).send(currentView(bot.id));
  });

  app.get('/api/bots/:id', async (request) => botView(scope.bot(request)));

  for (const method of ['put', 'patch'] as const) {
    app[method]('/api/bots/:id/config', async (request) => {
      const bot = scope.bot(request);
      if (!isJsonObject(request.body)) {
        throw Errors.invalidRequest('request body must be a JSON object with the bot configuration');
      }
      const current = JSON.parse(bot.config);
      const config = validConfig(
        method === 'put'
          ? parseBotConfig({ name: current.name, ...request.body })
          : applyConfigPatch(current, request.body),
      );
      services.updateBotConfig(bot.id, config);
      return currentView(bot.id);
    });
  }
}
