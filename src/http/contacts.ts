/**
 * The contacts resource of the operator API: a bot's contacts (create, list, the review
 * queue), one contact (detail, edit, erase), its history a page at a time (transitions,
 * follow-ups, messages), messages in and out, and the operator's signals and review
 * decisions. Every change goes through the contact's mailbox in the runtime, so it is
 * applied once and in order. Registered under the principal plugin (src/http/principal.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { NudgeServices } from '../services.ts';
import { ContactEraser } from '../store/erasure.ts';
import { contactQueries } from '../store/contactQueries.ts';
import { Errors } from './errors.ts';
import { emptyBody, parse } from './parse.ts';
import {
  contactFields,
  contactListQuery,
  createContactBody,
  followUpPage,
  inboundBody,
  outboundBody,
  pageQuery,
  reviewBody,
} from './requests.ts';
import { contactDetail, contactSummary, followUpView, followUpZones, messageView, transitionView } from './views.ts';

/** `POST /api/contacts/:id/<path>`: the operator's signals, each one machine event. */
const SIGNALS = {
  booked: 'APPOINTMENT_BOOKED',
  'booking-cancelled': 'APPOINTMENT_CANCELLED',
  'opt-in': 'OPT_IN',
  stop: 'OPERATOR_STOP',
  handback: 'OPERATOR_HANDBACK',
} as const;

/** How far in the past a requested instant may be and still count as "now" (clock skew). */
const PAST_TOLERANCE_MS = 1000;

export async function contactRoutes(app: FastifyInstance, { services }: { services: NudgeServices }): Promise<void> {
  const { runtime, store } = services;
  const { scope } = app;
  const contacts = contactQueries(store.db);

  app.post('/api/bots/:id/contacts', async (request, reply) => {
    const bot = scope.bot(request);
    const body = parse(createContactBody, request.body ?? {});
    if (body.phone && store.getContactByPhone(bot.id, body.phone)) {
      throw Errors.conflict(`a contact with phone ${body.phone} already exists for this bot`);
    }
    const contact = runtime.createContact(bot.id, body);
    return reply.status(201).send(contactSummary(contact));
  });

  app.get('/api/bots/:id/contacts', async (request) => {
    const { id } = scope.bot(request);
    const query = parse(contactListQuery, request.query, 'query');
    // Held longest first, each with the message under review.
    if (query.needsReview) {
      const page = store.contactsNeedingReview(id, query.offset, query.limit);
      return {
        contacts: page.rows.map((row) => {
          const summary = contactSummary(row);
          const text = summary.review ? (store.getMessage(summary.review.messageId)?.text ?? null) : null;
          return { ...summary, review: summary.review && { ...summary.review, text } };
        }),
        total: page.total,
        limit: query.limit,
        offset: query.offset,
      };
    }
    const rows = contacts.contactsOfBot(id, query.state, query.offset, query.limit);
    return { contacts: rows.map(contactSummary), limit: query.limit, offset: query.offset };
  });

  app.get('/api/contacts/:id', async (request) => contactDetail(services, scope.contact(request).id));

  app.patch('/api/contacts/:id', async (request) => {
    const contact = scope.contact(request);
    const body = parse(contactFields, request.body);
    if (body.phone) {
      const other = store.getContactByPhone(contact.bot_id, body.phone);
      if (other && other.id !== contact.id) throw Errors.conflict(`another contact already has phone ${body.phone}`);
    }
    await runtime.updateContact(contact.id, body);
    return contactDetail(services, contact.id);
  });

  // A data-subject request: every row naming the contact goes; `erasures` keeps only that
  // one happened (bot, time, who asked).
  const eraser = new ContactEraser(services.db);
  app.delete('/api/contacts/:id', async (request, reply) => {
    const { principal } = request;
    const contact = scope.contact(request);
    await runtime.eraseContact(contact.id, () =>
      eraser.erase(contact.id, contact.bot_id, principal.operatorId, services.clock.now()),
    );
    request.log.info({ botId: contact.bot_id, actor: principal.operatorId }, 'contact erased');
    return reply.status(204).send();
  });

  app.get('/api/contacts/:id/transitions', async (request) => {
    const contact = scope.contact(request);
    const query = parse(pageQuery, request.query, 'query');
    return { transitions: store.transitionsAfter(contact.id, query.after, query.limit).map(transitionView) };
  });

  // The detail carries the latest past follow-ups only; all of them, a page at a time.
  app.get('/api/contacts/:id/followups', async (request) => {
    const contact = scope.contact(request);
    const query = parse(followUpPage, request.query, 'query');
    const zones = followUpZones(services, contact);
    const page = store.followUpsOfContactPage(contact.id, query.offset, query.limit);
    return {
      followUps: page.rows.map((row) => followUpView(row, store, zones)),
      total: page.total,
      offset: query.offset,
      limit: query.limit,
    };
  });

  app.get('/api/contacts/:id/messages', async (request) => {
    const contact = scope.contact(request);
    const query = parse(pageQuery, request.query, 'query');
    return { messages: store.messagesAfter(contact.id, query.after, query.limit).map(messageView) };
  });

  app.post('/api/contacts/:id/messages/inbound', async (request, reply) => {
    const contact = scope.contact(request);
    const body = parse(inboundBody, request.body);
    const result = await runtime.inbound({
      contactId: contact.id,
      text: body.text,
      channel: body.channel,
      clientId: body.clientId,
    });
    return reply.status(result.duplicate ? 200 : 201).send({
      duplicate: result.duplicate,
      message: result.message ? messageView(result.message) : null,
      from: result.from,
      state: result.to,
    });
  });

  app.post('/api/contacts/:id/messages/outbound', async (request, reply) => {
    const contact = scope.contact(request);
    const body = parse(outboundBody, request.body);
    if (contact.state === 'stopped')
      throw Errors.contactStopped('the contact opted out; no message may be sent until they opt back in');
    const result = await runtime.outbound({
      contactId: contact.id,
      text: body.text,
      sender: body.sender,
      operatorId: request.principal.operatorId,
    });
    return reply
      .status(201)
      .send({ message: result.message ? messageView(result.message) : null, from: result.from, state: result.to });
  });

  for (const [path, type] of Object.entries(SIGNALS)) {
    app.post(`/api/contacts/:id/${path}`, async (request) => {
      const contact = scope.contact(request);
      parse(emptyBody, request.body);
      const { operatorId } = request.principal;
      const result = await runtime.signal(contact.id, type, { source: 'operator', operatorId });
      return { from: result.from, state: result.to };
    });
  }

  // An operator's decision on a held message: applied once through the contact's mailbox; a
  // second or stale decision is refused with 409 review_not_pending / review_stale.
  app.post('/api/contacts/:id/review', async (request) => {
    const contact = scope.contact(request);
    const body = parse(reviewBody, request.body);
    const requestedAt = body.requestedAt === undefined ? undefined : Date.parse(body.requestedAt);
    if (requestedAt !== undefined && requestedAt < services.clock.now() - PAST_TOLERANCE_MS) {
      throw Errors.invalidRequest('invalid request body: requestedAt: must not be in the past', [
        { path: 'requestedAt', message: 'must not be in the past' },
      ]);
    }
    const result = await runtime.resolveReview(contact.id, {
      messageId: body.messageId,
      intent: body.intent,
      requestedAt,
      operatorId: request.principal.operatorId,
    });
    return { from: result.from, state: result.to, contact: contactSummary(runtime.contact(contact.id)) };
  });
}
