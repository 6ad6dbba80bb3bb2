/**
 * The console's bot tools: check a configuration without saving it (errors and warnings),
 * and read or rotate the bot's HMAC secrets (calendar webhooks in, workflow webhooks out).
 * A bot outside the principal's scope answers 404. Registered under the principal plugin
 * (src/http/principal.ts).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { applyConfigPatch, configWarnings, parseBotConfig, type BotConfig } from '../config/botConfig.ts';
import { emptyBody, idParam, parse } from '../http/parse.ts';
import type { NudgeServices } from '../services.ts';
import { validateBody } from './requests.ts';
import { botSecretCreatedAt, ensureBotSecret, rotateBotSecret, SECRET_KINDS, type SecretKind } from './secrets.ts';

const rotateParams = idParam.extend({
  kind: z.enum(SECRET_KINDS, { error: `must be ${SECRET_KINDS.join(' or ')}` }),
});

export async function botToolRoutes(app: FastifyInstance, { services }: { services: NudgeServices }): Promise<void> {
  const { clock, db } = services;
  const { scope } = app;

  app.post('/api/bots/:id/config/validate', async (request) => {
    const bot = scope.bot(request);
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

  app.get('/api/bots/:id/secrets', async (request) => secretsView(scope.bot(request).id));

  app.post('/api/bots/:id/secrets/:kind/rotate', async (request) => {
    const { id, kind } = parse(rotateParams, request.params, 'path');
    scope.bot(request, id);
    parse(emptyBody, request.body);
    rotateBotSecret(db, id, kind, clock.now());
    return secretsView(id);
  });
}
