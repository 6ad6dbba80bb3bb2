/**
 * The follow-ups resource of the operator API: cancel one, move it to a later instant, or
 * send it now. Each answers the contact's detail as it stands after the change. A follow-up
 * of a contact outside the principal's bots answers 404. Registered under the principal
 * plugin (src/http/principal.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { NudgeServices } from '../services.ts';
import { Errors } from './errors.ts';
import { emptyBody, parse } from './parse.ts';
import { rescheduleBody } from './requests.ts';
import { contactDetail } from './views.ts';

/** How far in the past a requested instant may be and still count as "now" (clock skew). */
const PAST_TOLERANCE_MS = 1000;

export async function followUpRoutes(app: FastifyInstance, { services }: { services: NudgeServices }): Promise<void> {
  const { runtime, clock } = services;
  const { scope } = app;

  app.post('/api/followups/:id/cancel', async (request) => {
    const row = scope.followUp(request);
    parse(emptyBody, request.body);
    await runtime.cancelFollowUp(row.id, request.principal.operatorId);
    return contactDetail(services, row.contact_id);
  });

  app.post('/api/followups/:id/reschedule', async (request) => {
    const row = scope.followUp(request);
    const body = parse(rescheduleBody, request.body);
    const at = Date.parse(body.at);
    if (at < clock.now() - PAST_TOLERANCE_MS) throw Errors.invalidRequest('at: must not be in the past');
    await runtime.rescheduleFollowUp(row.id, at, request.principal.operatorId);
    return contactDetail(services, row.contact_id);
  });

  app.post('/api/followups/:id/send-now', async (request) => {
    const row = scope.followUp(request);
    parse(emptyBody, request.body);
    await runtime.rescheduleFollowUp(row.id, clock.now(), request.principal.operatorId);
    return contactDetail(services, row.contact_id);
  });
}
