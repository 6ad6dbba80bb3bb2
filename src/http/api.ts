/**
 * The operator REST API (bearer-token protected). Enough to drive and inspect a contact
 * end to end: bots and their configuration, contacts, inbound and outbound messages,
 * bookings and opt-in/out, one contact's state with its follow-ups and transition log,
 * and per-follow-up control.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { applyConfigPatch, configWarnings, parseBotConfig } from '../config/botConfig.ts';
import type { NudgeServices } from '../services.ts';
import { assertBotAccess, authenticate, type Principal, type TokenVerifier } from './auth.ts';
import { ContactEraser } from '../store/erasure.ts';
import { Errors, validationError } from './errors.ts';
import { zoneNameSchema } from './validation.ts';
import { contactDetail, contactSummary, followUpView, followUpZones, messageView, transitionView } from './views.ts';
import { contactColumns } from '../store/store.ts';
import { CONTACT_STATES, INTENTS } from '../../machines/contact.ts';
import { CHANNELS } from '../channels/types.ts';

const MAX_TEXT = 4000;

const text = z.string().trim().min(1, 'must not be empty').max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`);
const phone = z.string().transform((value, ctx) => {
  const parsed = parsePhoneNumberFromString(value);
  if (!parsed || !parsed.isValid()) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a valid phone number in international format, e.g. +14155550123',
    });
    return z.NEVER;
  }
  return parsed.number as string;
});

/** The channels a contact writes on (webhook and console carry notifications only). */
const contactChannel = z.enum(CHANNELS).exclude(['webhook', 'console']);

/** `PATCH /api/contacts/:id`. */
export const contactFields = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    phone: phone.optional(),
    email: z.email().max(320).optional(),
    timezone: zoneNameSchema.optional(),
  })
  .strict();
/** `POST /api/bots/:id/contacts`. */
export const createContactBody = contactFields.extend({ channel: contactChannel.optional() }).strict();
/** `POST /api/contacts/:id/messages/inbound`. */
export const inboundBody = z
  .object({ text, channel: contactChannel.optional(), clientId: z.string().min(1).max(100).optional() })
  .strict();
/** `POST /api/contacts/:id/messages/outbound`. */
export const outboundBody = z.object({ text, sender: z.enum(['bot', 'operator']).default('bot') }).strict();
/** `POST /api/bots`. */
export const createBotBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    allowedOrigins: z.array(z.url()).max(50).optional(),
    config: z.record(z.string(), z.unknown(), { error: 'config must be an object' }).optional(),
  })
  .strict();
/** `POST /api/followups/:id/reschedule`. */
export const rescheduleBody = z.object({ at: z.iso.datetime({ offset: true }) }).strict();
/** `POST /api/contacts/:id/review`: an operator's decision on a held message. */
export const reviewBody = z
  .object({
    messageId: z.string({ error: 'must be the id of the message under review' }).min(1).max(200),
    intent: z.enum(INTENTS, { error: `must be one of ${INTENTS.join(', ')}` }),
    requestedAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO-8601 instant such as 2026-01-05T15:00:00Z' })
      .optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.intent === 'request_time' && body.requestedAt === undefined) {
      ctx.addIssue({ code: 'custom', path: ['requestedAt'], message: 'is required when the intent is request_time' });
    }
    if (body.intent !== 'request_time' && body.requestedAt !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['requestedAt'], message: 'only goes with the intent request_time' });
    }
  });
/** `GET /api/bots/:id/contacts`: a simple page, or the contacts held for review. */
export const contactListQuery = z
  .object({
    state: z.enum(CONTACT_STATES).optional(),
    needsReview: z.enum(['true'], { error: 'must be true (to list the contacts held for review)' }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
  .refine((q) => !(q.state && q.needsReview), { path: ['needsReview'], message: 'cannot be combined with state' });
// Both logs grow with the contact's history: read a page at a time (`after` = the last
// seq already read), never the whole history in one answer on the event loop.
const pageLimit = z.coerce.number().int().min(1).max(1000).default(200);
/** The transitions and messages of a contact, after a seq. */
export const pageQuery = z.object({ after: z.coerce.number().int().min(0).default(0), limit: pageLimit }).strict();
/** `GET /api/contacts/:id/followups`. */
export const followUpPage = z.object({ offset: z.coerce.number().int().min(0).default(0), limit: pageLimit }).strict();
const idParam = z.object({ id: z.string().min(1).max(200) });
const emptyBody = z.union([z.undefined(), z.null(), z.object({}).strict()]);

function parse<T>(schema: z.ZodType<T>, value: unknown, what = 'request body'): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}

export function registerApi(app: FastifyInstance, services: NudgeServices, verifiers: TokenVerifier[]): void {
  const { runtime, store } = services;
  const auth = (request: FastifyRequest): Principal => authenticate(request, verifiers);

  const contactFor = (principal: Principal, contactId: string) => {
    const contact = store.getContact(contactId);
    if (!contact) throw Errors.notFound(`contact ${contactId} not found`);
    try {
      assertBotAccess(principal, contact.bot_id);
    } catch {
      throw Errors.notFound(`contact ${contactId} not found`);
    }
    return contact;
  };
  const botFor = (principal: Principal, botId: string) => {
    assertBotAccess(principal, botId);
    const bot = store.getBot(botId);
    if (!bot) throw Errors.notFound(`bot ${botId} not found`);
    return bot;
  };
  const botView = (botId: string) => {
    const row = store.getBot(botId)!;
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
  };

  app.get('/api/bots', async (request) => {
    const principal = auth(request);
    const bots = store.listBots().filter((b) => principal.botIds === null || principal.botIds.includes(b.id));
    return { bots: bots.map((b) => botView(b.id)) };
  });

  app.post('/api/bots', async (request, reply) => {
    const principal = auth(request);
    if (!principal.admin) throw Errors.forbidden('only an admin can create bots');
    const body = parse(createBotBody, request.body);
    const config = parseBotConfig({ ...(body.config as object | undefined), name: body.name });
    if (!config.ok)
      throw Errors.invalidConfig(
        `invalid bot configuration: ${config.errors[0].path}: ${config.errors[0].message}`,
        config.errors,
      );
    const bot = services.createBot(config.config, body.allowedOrigins ?? []);
    return reply.status(201).send(botView(bot.id));
  });

  app.get('/api/bots/:id', async (request) => {
    const { id } = parse(idParam, request.params, 'path');
    botFor(auth(request), id);
    return botView(id);
  });

  // PUT replaces the configuration (missing fields take defaults); PATCH merges.
  for (const method of ['put', 'patch'] as const) {
    app[method]('/api/bots/:id/config', async (request) => {
      const { id } = parse(idParam, request.params, 'path');
      const bot = botFor(auth(request), id);
      if (
        request.body === undefined ||
        request.body === null ||
        typeof request.body !== 'object' ||
        Array.isArray(request.body)
      ) {
        throw Errors.invalidRequest('request body must be a JSON object with the bot configuration');
      }
      const current = JSON.parse(bot.config);
      const result =
        method === 'put'
          ? parseBotConfig({ name: current.name, ...(request.body as object) })
          : applyConfigPatch(current, request.body);
      if (!result.ok)
        throw Errors.invalidConfig(
          `invalid bot configuration: ${result.errors[0].path}: ${result.errors[0].message}`,
          result.errors,
        );
      services.updateBotConfig(id, result.config);
      return botView(id);
    });
  }

  app.post('/api/bots/:id/contacts', async (request, reply) => {
    const { id } = parse(idParam, request.params, 'path');
    botFor(auth(request), id);
    const body = parse(createContactBody, request.body ?? {});
    if (body.phone && store.getContactByPhone(id, body.phone)) {
      throw Errors.conflict(`a contact with phone ${body.phone} already exists for this bot`);
    }
    const contact = runtime.createContact(id, body);
    return reply.status(201).send(contactSummary(contact));
  });

  app.get('/api/bots/:id/contacts', async (request) => {
    const { id } = parse(idParam, request.params, 'path');
    botFor(auth(request), id);
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
    const rows = store.db
      .prepare(
        `SELECT ${contactColumns()} FROM contacts WHERE bot_id = ? ${query.state ? 'AND state = ?' : ''} ORDER BY updated_at DESC, id LIMIT ? OFFSET ?`,
      )
      .all(...[id, ...(query.state ? [query.state] : []), query.limit, query.offset]) as Parameters<
      typeof contactSummary
    >[0][];
    return { contacts: rows.map(contactSummary), limit: query.limit, offset: query.offset };
  });

  app.get('/api/contacts/:id', async (request) => {
    const { id } = parse(idParam, request.params, 'path');
    const contact = contactFor(auth(request), id);
    return contactDetail(services, contact.id);
  });

  app.patch('/api/contacts/:id', async (request) => {
    const { id } = parse(idParam, request.params, 'path');
    const contact = contactFor(auth(request), id);
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
    const principal = auth(request);
    const { id } = parse(idParam, request.params, 'path');
    const contact = contactFor(principal, id);
    await runtime.eraseContact(contact.id, () =>
      eraser.erase(contact.id, contact.bot_id, principal.operatorId, services.clock.now()),
    );
    request.log.info({ botId: contact.bot_id, actor: principal.operatorId }, 'contact erased');
    return reply.status(204).send();
  });

  app.get('/api/contacts/:id/transitions', async (request) => {
    const { id } = parse(idParam, request.params, 'path');
    const contact = contactFor(auth(request), id);
    const query = parse(pageQuery, request.query, 'query');
    return { transitions: store.transitionsAfter(contact.id, query.after, query.limit).map(transitionView) };
  });

  // The detail carries the latest past follow-ups only; all of them, a page at a time.
  app.get('/api/contacts/:id/followups', async (request) => {
    const { id } = parse(idParam, request.params, 'path');
    const contact = contactFor(auth(request), id);
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
    const { id } = parse(idParam, request.params, 'path');
    const contact = contactFor(auth(request), id);
    const query = parse(pageQuery, request.query, 'query');
    return { messages: store.messagesAfter(contact.id, query.after, query.limit).map(messageView) };
  });

  app.post('/api/contacts/:id/messages/inbound', async (request, reply) => {
    const { id } = parse(idParam, request.params, 'path');
    const contact = contactFor(auth(request), id);
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
    const principal = auth(request);
    const { id } = parse(idParam, request.params, 'path');
    const contact = contactFor(principal, id);
    const body = parse(outboundBody, request.body);
    if (contact.state === 'stopped')
      throw Errors.contactStopped('the contact opted out; no message may be sent until they opt back in');
    const result = await runtime.outbound({
      contactId: contact.id,
      text: body.text,
      sender: body.sender,
      operatorId: principal.operatorId,
    });
    return reply
      .status(201)
      .send({ message: result.message ? messageView(result.message) : null, from: result.from, state: result.to });
  });

  const signals = {
    booked: 'APPOINTMENT_BOOKED',
    'booking-cancelled': 'APPOINTMENT_CANCELLED',
    'opt-in': 'OPT_IN',
    stop: 'OPERATOR_STOP',
    handback: 'OPERATOR_HANDBACK',
  } as const;
  for (const [path, type] of Object.entries(signals)) {
    app.post(`/api/contacts/:id/${path}`, async (request) => {
      const principal = auth(request);
      const { id } = parse(idParam, request.params, 'path');
      const contact = contactFor(principal, id);
      parse(emptyBody, request.body);
      const result = await runtime.signal(contact.id, type, { source: 'operator', operatorId: principal.operatorId });
      return { from: result.from, state: result.to };
    });
  }

  // An operator's decision on a held message: applied once through the contact's mailbox; a
  // second or stale decision is refused with 409 review_not_pending / review_stale.
  app.post('/api/contacts/:id/review', async (request) => {
    const principal = auth(request);
    const { id } = parse(idParam, request.params, 'path');
    const contact = contactFor(principal, id);
    const body = parse(reviewBody, request.body);
    const requestedAt = body.requestedAt === undefined ? undefined : Date.parse(body.requestedAt);
    if (requestedAt !== undefined && requestedAt < services.clock.now() - 1000) {
      throw Errors.invalidRequest('invalid request body: requestedAt: must not be in the past', [
        { path: 'requestedAt', message: 'must not be in the past' },
      ]);
    }
    const result = await runtime.resolveReview(contact.id, {
      messageId: body.messageId,
      intent: body.intent,
      requestedAt,
      operatorId: principal.operatorId,
    });
    return { from: result.from, state: result.to, contact: contactSummary(runtime.contact(contact.id)) };
  });

  app.post('/api/followups/:id/cancel', async (request) => {
    const principal = auth(request);
    const { id } = parse(idParam, request.params, 'path');
    const row = followUpFor(principal, id);
    parse(emptyBody, request.body);
    await runtime.cancelFollowUp(row.id, principal.operatorId);
    return contactDetail(services, row.contact_id);
  });

  app.post('/api/followups/:id/reschedule', async (request) => {
    const principal = auth(request);
    const { id } = parse(idParam, request.params, 'path');
    const row = followUpFor(principal, id);
    const body = parse(rescheduleBody, request.body);
    const at = Date.parse(body.at);
    if (at < services.clock.now() - 1000) throw Errors.invalidRequest('at: must not be in the past');
    await runtime.rescheduleFollowUp(row.id, at, principal.operatorId);
    return contactDetail(services, row.contact_id);
  });

  app.post('/api/followups/:id/send-now', async (request) => {
    const principal = auth(request);
    const { id } = parse(idParam, request.params, 'path');
    const row = followUpFor(principal, id);
    parse(emptyBody, request.body);
    await runtime.rescheduleFollowUp(row.id, services.clock.now(), principal.operatorId);
    return contactDetail(services, row.contact_id);
  });

  function followUpFor(principal: Principal, id: string) {
    const row = store.getFollowUp(id);
    if (!row) throw Errors.notFound(`follow-up ${id} not found`);
    contactFor(principal, row.contact_id);
    return row;
  }
}
