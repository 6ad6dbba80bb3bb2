/**
 * The operator's notifications (`notifyUser` workflow actions): a page of them, filtered to
 * a bot or contact in scope, and the read mark. Each operator has their own read mark.
 * Registered under the principal plugin (src/http/principal.ts).
 */
import type { FastifyInstance } from 'fastify';
import { Errors } from '../http/errors.ts';
import { parse } from '../http/parse.ts';
import type { NudgeServices } from '../services.ts';
import { listNotifications, markRead } from './notifications.ts';
import { notificationsQuery, readBody } from './requests.ts';

export async function notificationRoutes(
  app: FastifyInstance,
  { services }: { services: NudgeServices },
): Promise<void> {
  const { db } = services;
  const { scope } = app;

  app.get('/api/notifications', async (request) => {
    const { principal } = request;
    const query = parse(notificationsQuery, request.query, 'query');
    let botId = query.botId;
    if (botId) scope.bot(request, botId);
    if (query.contactId) {
      const contact = scope.contact(request, query.contactId);
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
    const body = parse(readBody, request.body);
    return { lastReadId: markRead(db, request.principal.operatorId, body.upTo) };
  });
}
