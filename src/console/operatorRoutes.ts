/**
 * Who the token is (`GET /api/me`, the console's login) and the operator accounts with their
 * bot grants (`/api/operators…`, admins only: 403 for anyone else). A token is shown once,
 * when created or rotated. Registered under the principal plugin (src/http/principal.ts).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { channelModeWarnings, type ChannelModes } from '../channels/modes.ts';
import { Errors } from '../http/errors.ts';
import { emptyBody, parse, pathId } from '../http/parse.ts';
import { adminOnly } from '../http/principal.ts';
import type { NudgeServices } from '../services.ts';
import { OperatorStore } from './operators.ts';
import { createOperatorBody, grantBody, patchOperatorBody } from './requests.ts';

const grantParams = z.object({ id: z.string().min(1).max(200), botId: z.string().min(1).max(200) });

export async function meRoutes(
  app: FastifyInstance,
  { services, channels }: { services: NudgeServices; channels: ChannelModes },
): Promise<void> {
  const operators = new OperatorStore(services.db);
  app.get('/api/me', async (request) => {
    const { principal } = request;
    const row = principal.operatorId === 'admin' ? null : operators.get(principal.operatorId);
    return {
      operator: {
        id: principal.operatorId,
        name: row?.name ?? (principal.admin ? 'Administrator' : principal.operatorId),
        admin: principal.admin,
      },
      bots: app.scope.bots(request).map((b) => ({ id: b.id, name: b.name })),
      channels: { ...channels, warnings: channelModeWarnings(channels) },
    };
  });
}

export async function operatorRoutes(app: FastifyInstance, { services }: { services: NudgeServices }): Promise<void> {
  const { store, clock } = services;
  const operators = new OperatorStore(services.db);
  const operatorFor = (id: string) => {
    const view = operators.view(id);
    if (!view) throw Errors.notFound(`operator ${id} not found`);
    return view;
  };
  app.addHook('onRequest', adminOnly('manage operators'));

  app.get('/api/operators', async () => ({ operators: operators.list() }));

  app.post('/api/operators', async (request, reply) => {
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

  app.get('/api/operators/:id', async (request) => operatorFor(pathId(request)));

  app.patch('/api/operators/:id', async (request) => {
    const { id } = operatorFor(pathId(request));
    const body = parse(patchOperatorBody, request.body);
    operators.update(id, body, clock.now());
    return operatorFor(id);
  });

  app.delete('/api/operators/:id', async (request) => {
    const { id } = operatorFor(pathId(request));
    return { deleted: operators.delete(id) };
  });

  app.post('/api/operators/:id/token', async (request) => {
    const { id } = operatorFor(pathId(request));
    parse(emptyBody, request.body);
    const token = operators.rotateToken(id, clock.now());
    return { operator: operatorFor(id), token };
  });

  app.post('/api/operators/:id/bots', async (request) => {
    const { id } = operatorFor(pathId(request));
    const body = parse(grantBody, request.body);
    if (!store.getBot(body.botId)) throw Errors.notFound(`bot ${body.botId} not found`);
    operators.grant(id, body.botId, clock.now());
    return operatorFor(id);
  });

  app.delete('/api/operators/:id/bots/:botId', async (request) => {
    const { id, botId } = parse(grantParams, request.params, 'path');
    operatorFor(id);
    if (!operators.revoke(id, botId, clock.now()))
      throw Errors.notFound(`operator ${id} has no grant for bot ${botId}`);
    return operatorFor(id);
  });
}
