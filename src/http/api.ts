/**
 * The operator REST API (bearer-token protected): enough to drive and inspect a contact end
 * to end. One encapsulated context: the principal plugin authenticates every request and
 * holds the scope checks (src/http/principal.ts); one plugin per resource declares its
 * routes (bots.ts, contacts.ts, followUps.ts), their schemas in requests.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { NudgeServices } from '../services.ts';
import type { TokenVerifier } from './auth.ts';
import { botRoutes } from './bots.ts';
import { contactRoutes } from './contacts.ts';
import { followUpRoutes } from './followUps.ts';
import { principal } from './principal.ts';

export function registerApi(app: FastifyInstance, services: NudgeServices, verifiers: TokenVerifier[]): void {
  app.register(async (api) => {
    await api.register(principal, { verifiers, lookup: services.store });
    await api.register(botRoutes, { services });
    await api.register(contactRoutes, { services });
    await api.register(followUpRoutes, { services });
  });
}
