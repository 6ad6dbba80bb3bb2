/**
 * The OpenAPI 3.1 description of every HTTP route Nudge serves (operator API, console,
 * visualizer, webhooks, pages), served at `GET /api/openapi.json`. Written from small
 * helpers so each route reads as one line of intent. Request bodies and queries are
 * generated from the zod schemas the routes validate with, so the document cannot allow
 * what the server refuses; response schemas come from the registry in `responses.ts`,
 * which tests parse real answers with. Tests also compare the paths here with the routes
 * registered, and send each documented body to the server.
 */
import { z } from 'zod';
import { CONTACT_STATES } from '../../machines/contact.ts';
import { calendarEventSchema } from './calendar.ts';
import {
  contactFields,
  contactListQuery,
  createBotBody,
  createContactBody,
  followUpPage,
  inboundBody,
  outboundBody,
  pageQuery,
  rescheduleBody,
  reviewBody,
} from '../http/requests.ts';
import { originsBody } from './install.ts';
import {
  createOperatorBody,
  forecastQuery,
  grantBody,
  metricsQuery,
  notificationsQuery,
  patchOperatorBody,
  readBody,
  validateBody,
} from './requests.ts';
import { searchQuerySchema } from './search.ts';
import { whatIfBody } from '../viz/requests.ts';
import { exportQuery } from '../viz/routes.ts';
import { ERROR_CATALOG } from '../http/errors.ts';
import { responseComponents } from './responses.ts';

type Json = Record<string, unknown>;
type Auth = 'bearer' | 'admin' | 'none' | 'calendar' | 'twilio' | 'meta';

interface Param {
  name: string;
  description: string;
  schema?: Json;
  required?: boolean;
}

interface Operation {
  tag: string;
  summary: string;
  description?: string;
  auth: Auth;
  query?: Param[];
  body?: Json;
  bodyType?: string;
  /** Success status → [description, schema?, content type?]. */
  ok: Record<string, [string, Json?, string?]>;
  /** Extra error statuses besides the auth ones: status → description. */
  errors?: Record<string, string>;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const str: Json = { type: 'string' };
const int: Json = { type: 'integer' };
const bool: Json = { type: 'boolean' };
const obj = (properties: Record<string, Json>, required: string[] = Object.keys(properties)): Json => ({
  type: 'object',
  properties,
  required,
});
const arr = (items: Json): Json => ({ type: 'array', items });
const loose = (description: string): Json => ({ type: 'object', description, additionalProperties: true });

function fromZod(schema: z.ZodType): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}

/** The query parameters `schema` accepts, each with its description (all of them, and only them). */
function queryOf(schema: z.ZodType, descriptions: Record<string, string>): Param[] {
  const json = fromZod(schema) as { properties?: Record<string, Json>; required?: string[] };
  const names = Object.keys(json.properties ?? {});
  const undescribed = names.filter((name) => !(name in descriptions));
  const unknown = Object.keys(descriptions).filter((name) => !names.includes(name));
  if (undescribed.length || unknown.length)
    throw new Error(
      `query parameters: undescribed ${undescribed.join(', ') || '-'}; not in the schema ${unknown.join(', ') || '-'}`,
    );
  return names.map((name) => ({
    name,
    description: descriptions[name],
    schema: json.properties![name],
    required: json.required?.includes(name) ?? false,
  }));
}

/** `schema` with one property described by `property` instead (a reference the zod schema cannot name). */
function withProperty(schema: Json, name: string, property: Json): Json {
  return { ...schema, properties: { ...(schema.properties as Json), [name]: property } };
}

const AUTH_ERRORS: Record<Auth, Record<string, string>> = {
  bearer: { '401': 'missing or invalid bearer token' },
  admin: { '401': 'missing or invalid bearer token', '403': 'the token is not an admin token' },
  none: {},
  calendar: { '403': 'missing or invalid X-Nudge-Signature, or X-Nudge-Timestamp more than 5 minutes off' },
  twilio: { '403': 'missing or invalid X-Twilio-Signature' },
  meta: { '403': 'missing or invalid X-Hub-Signature-256' },
};

const SECURITY: Record<Auth, Json[]> = {
  bearer: [{ bearer: [] }],
  admin: [{ bearer: [] }],
  none: [],
  calendar: [{ calendarSignature: [] }],
  twilio: [{ twilioSignature: [] }],
  meta: [{ metaSignature: [] }],
};

const q = (name: string, description: string, schema: Json = str): Param => ({ name, description, schema });

function operation(path: string, method: string, op: Operation): Json {
  const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const parameters = [
    ...pathParams.map((name) => ({ name, in: 'path', required: true, schema: str })),
    ...(op.query ?? []).map((p) => ({
      name: p.name,
      in: 'query',
      required: p.required ?? false,
      description: p.description,
      schema: p.schema ?? str,
    })),
  ];
  const responses: Json = {};
  for (const [status, [description, schema, type]] of Object.entries(op.ok)) {
    responses[status] = schema
      ? { description, content: { [type ?? 'application/json']: { schema } } }
      : { description };
  }
  const errors = { ...AUTH_ERRORS[op.auth], ...(op.errors ?? {}) };
  for (const [status, description] of Object.entries(errors)) {
    responses[status] = { description, content: { 'application/json': { schema: ref('Error') } } };
  }
  return {
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    operationId: `${method}${path
      .replace(/\/$/, '/index')
      .replace(/\{(\w+)\}/g, 'By_$1')
      .replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    security: SECURITY[op.auth],
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { [op.bodyType ?? 'application/json']: { schema: op.body } } } }
      : {}),
    responses,
  };
}

const NOT_FOUND = { '404': "not found — or outside the operator's bots (indistinguishable on purpose)" };
const INVALID = { '400': 'invalid request (details lists each field)' };
/** The visualizer's uploads (read as raw bytes, parsed and replayed on the replay thread). */
const UPLOAD_ERRORS = {
  '400':
    'invalid_json (empty, not UTF-8, unparsable, prototype key), invalid_export (details lists each problem) or invalid_request',
  '413': 'payload_too_large (over 20 MiB) or import_too_large (its replay needs more memory than a replay may use)',
  '415': 'not application/json',
  '503': 'replay_busy (3 uploads replaying or waiting) or import_failed (the replay thread stopped; retry)',
};
/** A stored contact's replays (one at a time on the replay thread). */
const STORED_REPLAY = {
  '413': 'history_too_large (its replay needs more memory than a replay may use: npm run viz reads it)',
  '503': 'replay_busy (16 replays waiting)',
};
const CONFLICT = { '409': 'not possible in the current state' };

const STATES = [...CONTACT_STATES];
const stateResult = obj({ from: { enum: STATES }, state: { enum: STATES } });

function routes(): [string, string, Operation][] {
  return [
    // ---------------------------------------------------------------- service
    [
      '/api/health',
      'get',
      {
        tag: 'service',
        summary:
          'Liveness, classifier mode, scheduler head, storage (commits, WAL checkpoints) and start-up milestones',
        auth: 'none',
        ok: { '200': ['service status', loose('status, classifier, scheduler, storage, startup')] },
      },
    ],
    [
      '/api/admin/backup',
      'get',
      {
        tag: 'service',
        summary: 'A consistent copy of the live database (SQLite online backup), as a file to download',
        auth: 'admin',
        ok: { '200': ['the database', { type: 'string', format: 'binary' }, 'application/vnd.sqlite3'] },
        errors: { '409': 'a backup is already being taken' },
      },
    ],
    [
      '/api/openapi.json',
      'get',
      {
        tag: 'service',
        summary: 'This document',
        auth: 'none',
        ok: { '200': ['OpenAPI 3.1 document', loose('OpenAPI document')] },
      },
    ],
    [
      '/metrics',
      'get',
      {
        tag: 'metrics',
        summary: "Prometheus metrics of the bots in the token's scope",
        auth: 'bearer',
        description:
          'Text exposition format 0.0.4. Counters: nudge_followups_armed_total, nudge_followups_sent_total, nudge_followups_skipped_total, nudge_followups_cancelled_total, nudge_followup_replies_total; gauges: nudge_followups_pending, nudge_contacts, nudge_contacts_needing_review, nudge_outbox_messages, nudge_bot_active, nudge_bot_info. Every series carries a `bot` label.',
        ok: { '200': ['metrics', { type: 'string' }, 'text/plain; version=0.0.4'] },
      },
    ],

    // ---------------------------------------------------------------- operators & session
    [
      '/api/me',
      'get',
      {
        tag: 'operators',
        summary: 'Who the token belongs to and the bots it may see (console login)',
        auth: 'bearer',
        ok: { '200': ['the caller', ref('Me')] },
      },
    ],
    [
      '/api/operators',
      'get',
      {
        tag: 'operators',
        summary: 'List operators',
        auth: 'admin',
        ok: { '200': ['operators', ref('OperatorList')] },
      },
    ],
    [
      '/api/operators',
      'post',
      {
        tag: 'operators',
        summary: 'Create an operator; the token is returned once',
        auth: 'admin',
        body: fromZod(createOperatorBody),
        ok: {
          '201': ['created; store the token now, only its hash is kept', ref('OperatorToken')],
        },
        errors: INVALID,
      },
    ],
    [
      '/api/operators/{id}',
      'get',
      {
        tag: 'operators',
        summary: 'One operator',
        auth: 'admin',
        ok: { '200': ['operator', ref('Operator')] },
        errors: NOT_FOUND,
      },
    ],
    [
      '/api/operators/{id}',
      'patch',
      {
        tag: 'operators',
        summary: 'Rename, or make / unmake admin',
        auth: 'admin',
        body: fromZod(patchOperatorBody),
        ok: { '200': ['operator', ref('Operator')] },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/operators/{id}',
      'delete',
      {
        tag: 'operators',
        summary: 'Delete an operator (its token stops working at once)',
        auth: 'admin',
        ok: { '200': ['deleted', obj({ deleted: bool })] },
        errors: NOT_FOUND,
      },
    ],
    [
      '/api/operators/{id}/token',
      'post',
      {
        tag: 'operators',
        summary: 'Issue a new token (the old one stops working)',
        auth: 'admin',
        ok: { '200': ['new token, shown once', ref('OperatorToken')] },
        errors: NOT_FOUND,
      },
    ],
    [
      '/api/operators/{id}/bots',
      'post',
      {
        tag: 'operators',
        summary: 'Grant a bot',
        auth: 'admin',
        body: fromZod(grantBody),
        ok: { '200': ['operator', ref('Operator')] },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/operators/{id}/bots/{botId}',
      'delete',
      {
        tag: 'operators',
        summary: 'Revoke a bot',
        auth: 'admin',
        ok: { '200': ['operator', ref('Operator')] },
        errors: NOT_FOUND,
      },
    ],

    // ---------------------------------------------------------------- bots
    [
      '/api/bots',
      'get',
      {
        tag: 'bots',
        summary: "Bots in the caller's scope",
        auth: 'bearer',
        ok: { '200': ['bots', obj({ bots: arr(ref('Bot')) })] },
      },
    ],
    [
      '/api/bots',
      'post',
      {
        tag: 'bots',
        summary: 'Create a bot (admin)',
        auth: 'admin',
        body: withProperty(fromZod(createBotBody), 'config', ref('BotConfig')),
        ok: { '201': ['the bot', ref('Bot')] },
        errors: INVALID,
      },
    ],
    [
      '/api/bots/{id}',
      'get',
      {
        tag: 'bots',
        summary: 'One bot with its configuration and warnings',
        auth: 'bearer',
        ok: { '200': ['the bot', ref('Bot')] },
        errors: NOT_FOUND,
      },
    ],
    [
      '/api/bots/{id}/config',
      'put',
      {
        tag: 'bots',
        summary: 'Replace the Bot Goals configuration (missing fields take defaults)',
        auth: 'bearer',
        body: ref('BotConfig'),
        ok: { '200': ['the bot', ref('Bot')] },
        errors: { '400': 'invalid_config: details lists every field error (path + message)', ...NOT_FOUND },
      },
    ],
    [
      '/api/bots/{id}/config',
      'patch',
      {
        tag: 'bots',
        summary: 'Merge a patch into the configuration',
        auth: 'bearer',
        body: loose('partial BotConfig; lists, message specs, durations and workingHours are replaced whole'),
        ok: { '200': ['the bot', ref('Bot')] },
        errors: { '400': 'invalid_config: details lists every field error', ...NOT_FOUND },
      },
    ],
    [
      '/api/bots/{id}/config/validate',
      'post',
      {
        tag: 'bots',
        summary: 'Check a configuration without saving it (the editor calls this as you type)',
        auth: 'bearer',
        body: fromZod(validateBody),
        ok: {
          '200': ['verdict', ref('ConfigVerdict')],
        },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/bots/{id}/secrets',
      'get',
      {
        tag: 'bots',
        summary: "The bot's calendar-webhook and outgoing-webhook HMAC secrets (created on first read)",
        auth: 'bearer',
        ok: { '200': ['secrets', ref('BotSecrets')] },
        errors: NOT_FOUND,
      },
    ],
    [
      '/api/bots/{id}/install',
      'get',
      {
        tag: 'bots',
        summary:
          'Install on your site: widget key, <script> snippet, allowed websites, business name, widget colour and the last refused origin',
        auth: 'bearer',
        ok: { '200': ['install details', ref('BotInstall')] },
        errors: NOT_FOUND,
      },
    ],
    [
      '/api/bots/{id}/origins',
      'put',
      {
        tag: 'bots',
        summary:
          "Replace the websites allowed to open the bot's widget (each an origin such as https://shop.example; * allows any)",
        auth: 'bearer',
        body: fromZod(originsBody),
        ok: { '200': ['install details', ref('BotInstall')] },
        errors: { '400': 'invalid_request: details names each address that is not an origin', ...NOT_FOUND },
      },
    ],
    [
      '/api/bots/{id}/secrets/{kind}/rotate',
      'post',
      {
        tag: 'bots',
        summary: 'Replace one secret (kind: calendar or webhook)',
        auth: 'bearer',
        ok: { '200': ['secrets', ref('BotSecrets')] },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/bots/{id}/forecast',
      'get',
      {
        tag: 'bots',
        summary: 'What will be sent in the next hours: to whom, when, on which channel, and why',
        auth: 'bearer',
        query: queryOf(forecastQuery, {
          hours: 'window in hours, 1–336 (default 72)',
          limit: 'pending follow-ups to include, 1–1000 (default 500)',
        }),
        ok: { '200': ['forecast', ref('Forecast')] },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/bots/{id}/metrics',
      'get',
      {
        tag: 'bots',
        summary: 'Armed, sent, skipped and cancelled follow-ups by reason, and reply rate per scenario step',
        auth: 'bearer',
        query: queryOf(metricsQuery, {
          from: 'ISO instant (default: 7 days before `to`)',
          to: 'ISO instant (default: now)',
        }),
        ok: { '200': ['metrics', ref('Metrics')] },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],

    // ---------------------------------------------------------------- contacts
    [
      '/api/bots/{id}/contacts',
      'post',
      {
        tag: 'contacts',
        summary: 'Create a contact',
        auth: 'bearer',
        body: fromZod(createContactBody),
        ok: { '201': ['the contact', ref('Contact')] },
        errors: { ...INVALID, ...NOT_FOUND, '409': 'a contact with this phone exists' },
      },
    ],
    [
      '/api/bots/{id}/contacts',
      'get',
      {
        tag: 'contacts',
        summary:
          'List contacts (simple); needsReview=true: the contacts held for review, held longest first, each review with its message text',
        auth: 'bearer',
        query: queryOf(contactListQuery, {
          state: 'one state',
          needsReview: 'true: only contacts with a pending review (not with state)',
          limit: '1–200 (default 50)',
          offset: '≥ 0',
        }),
        ok: {
          '200': [
            'contacts (total only with needsReview)',
            obj({ contacts: arr(ref('Contact')), total: int, limit: int, offset: int }, [
              'contacts',
              'limit',
              'offset',
            ]),
          ],
        },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/bots/{id}/contacts/search',
      'get',
      {
        tag: 'contacts',
        summary: 'Search and filter contacts, paginated with a total',
        auth: 'bearer',
        query: queryOf(searchQuerySchema, {
          q: 'text in name, email or phone (digits match a formatted phone)',
          state: 'comma-separated states',
          dueWithinHours: 'only contacts with a follow-up due in the next N hours',
          needsReview: 'true: only contacts with a message held for review',
          sort: 'updated (default), name or due',
          limit: '1–200 (default 25)',
          offset: '≥ 0',
        }),
        ok: {
          '200': ['a page of contacts', ref('ContactPage')],
        },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/contacts/{id}',
      'get',
      {
        tag: 'contacts',
        summary: 'State, context and follow-ups of one contact',
        auth: 'bearer',
        ok: { '200': ['detail', ref('ContactDetail')] },
        errors: NOT_FOUND,
      },
    ],
    [
      '/api/contacts/{id}',
      'patch',
      {
        tag: 'contacts',
        summary: 'Update name, phone, email or time zone',
        auth: 'bearer',
        body: fromZod(contactFields),
        ok: { '200': ['detail', ref('ContactDetail')] },
        errors: { ...INVALID, ...NOT_FOUND, '409': 'another contact has this phone' },
      },
    ],
    [
      '/api/contacts/{id}',
      'delete',
      {
        tag: 'contacts',
        summary:
          'Erase the contact (a data-subject request): every row naming it is deleted; only the fact of the erasure is kept (bot, time, who asked)',
        auth: 'bearer',
        ok: { '204': ['erased'] },
        errors: NOT_FOUND,
      },
    ],
    [
      '/api/contacts/{id}/info',
      'get',
      {
        tag: 'contacts',
        summary: 'Everything the Response Info panel shows',
        auth: 'bearer',
        ok: { '200': ['response info', ref('ResponseInfo')] },
        errors: NOT_FOUND,
      },
    ],
    [
      '/api/contacts/{id}/followups',
      'get',
      {
        tag: 'contacts',
        summary:
          'Every follow-up of the contact in creation order, a page at a time (the detail carries the latest past ones only)',
        auth: 'bearer',
        query: queryOf(followUpPage, { offset: 'follow-ups to skip', limit: '1–1000 (default 200)' }),
        ok: { '200': ['page', obj({ followUps: arr(ref('FollowUp')), total: int, offset: int, limit: int })] },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/contacts/{id}/transitions',
      'get',
      {
        tag: 'contacts',
        summary: 'The transition log, a page at a time',
        auth: 'bearer',
        query: queryOf(pageQuery, { after: 'seq to start after', limit: '1–1000 (default 200)' }),
        ok: { '200': ['log', obj({ transitions: arr(ref('Transition')) })] },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/contacts/{id}/messages',
      'get',
      {
        tag: 'contacts',
        summary: 'The conversation',
        auth: 'bearer',
        query: queryOf(pageQuery, { after: 'seq to start after', limit: '1–1000 (default 200)' }),
        ok: { '200': ['messages', obj({ messages: arr(ref('Message')) })] },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/contacts/{id}/messages/inbound',
      'post',
      {
        tag: 'contacts',
        summary: 'A message from the contact (classified, resets the cadence)',
        auth: 'bearer',
        body: fromZod(inboundBody),
        ok: {
          '201': ['stored', obj({ duplicate: bool, message: ref('Message'), from: str, state: str })],
          '200': ['duplicate clientId', obj({ duplicate: bool })],
        },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/contacts/{id}/messages/outbound',
      'post',
      {
        tag: 'contacts',
        summary: 'Send a message now: as the bot, or as an operator (takes over: follow-ups pause until hand-back)',
        auth: 'bearer',
        body: fromZod(outboundBody),
        ok: { '201': ['sent', obj({ message: ref('Message'), from: str, state: str })] },
        errors: { ...INVALID, ...NOT_FOUND, '409': 'the contact opted out' },
      },
    ],
    [
      '/api/contacts/{id}/booked',
      'post',
      {
        tag: 'contacts',
        summary: 'Mark booked',
        auth: 'bearer',
        ok: { '200': ['new state', stateResult] },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/contacts/{id}/booking-cancelled',
      'post',
      {
        tag: 'contacts',
        summary: 'The booking was cancelled (booked → awaiting)',
        auth: 'bearer',
        ok: { '200': ['new state', stateResult] },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/contacts/{id}/opt-in',
      'post',
      {
        tag: 'contacts',
        summary: 'Opt back in (stopped → awaiting)',
        auth: 'bearer',
        ok: { '200': ['new state', stateResult] },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/contacts/{id}/stop',
      'post',
      {
        tag: 'contacts',
        summary: 'Stop all follow-ups (→ stopped)',
        auth: 'bearer',
        ok: { '200': ['new state', stateResult] },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/contacts/{id}/review',
      'post',
      {
        tag: 'contacts',
        summary:
          "Decide a message held for review: the contact's machine applies the intent once, as a classified message of that intent",
        auth: 'bearer',
        body: fromZod(reviewBody),
        ok: {
          '200': [
            'new state and the contact',
            obj({ from: { enum: STATES }, state: { enum: STATES }, contact: ref('Contact') }),
          ],
        },
        errors: {
          ...INVALID,
          ...NOT_FOUND,
          '409':
            'review_not_pending (no review pending: already decided, superseded or stopped) or review_stale (a newer doubtful message is under review)',
        },
      },
    ],
    [
      '/api/contacts/{id}/handback',
      'post',
      {
        tag: 'contacts',
        summary: 'Hand back to the bot (resume follow-ups from now)',
        auth: 'bearer',
        ok: { '200': ['new state', stateResult] },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],

    // ---------------------------------------------------------------- follow-ups
    [
      '/api/followups/{id}/cancel',
      'post',
      {
        tag: 'follow-ups',
        summary: 'Cancel one pending follow-up (recorded with the operator)',
        auth: 'bearer',
        ok: { '200': ['contact detail', ref('ContactDetail')] },
        errors: { ...INVALID, ...NOT_FOUND, ...CONFLICT },
      },
    ],
    [
      '/api/followups/{id}/reschedule',
      'post',
      {
        tag: 'follow-ups',
        summary: 'Move one pending follow-up',
        auth: 'bearer',
        body: fromZod(rescheduleBody),
        ok: { '200': ['contact detail', ref('ContactDetail')] },
        errors: { ...INVALID, ...NOT_FOUND, ...CONFLICT },
      },
    ],
    [
      '/api/followups/{id}/send-now',
      'post',
      {
        tag: 'follow-ups',
        summary: 'Send one pending follow-up now',
        auth: 'bearer',
        ok: { '200': ['contact detail', ref('ContactDetail')] },
        errors: { ...INVALID, ...NOT_FOUND, ...CONFLICT },
      },
    ],

    // ---------------------------------------------------------------- notifications
    [
      '/api/notifications',
      'get',
      {
        tag: 'notifications',
        summary: 'notifyUser notifications (console and webhook) of the bots in scope, newest first',
        auth: 'bearer',
        query: queryOf(notificationsQuery, {
          botId: 'one bot',
          contactId: 'one contact',
          before: 'id to page before',
          limit: '1–200 (default 50)',
        }),
        ok: {
          '200': ['notifications', ref('NotificationPage')],
        },
        errors: { ...INVALID, ...NOT_FOUND },
      },
    ],
    [
      '/api/notifications/read',
      'post',
      {
        tag: 'notifications',
        summary: 'Mark notifications up to an id as read',
        auth: 'bearer',
        body: fromZod(readBody),
        ok: { '200': ['read mark', ref('ReadMark')] },
        errors: INVALID,
      },
    ],

    // ---------------------------------------------------------------- webhooks in
    [
      '/webhooks/calendar/{botId}',
      'post',
      {
        tag: 'webhooks',
        summary: 'Calendar booking events (booked / cancelled / rescheduled)',
        auth: 'calendar',
        description:
          'Headers: X-Nudge-Timestamp (epoch ms) and X-Nudge-Signature: sha256=hex(HMAC-SHA256(calendar secret, `${timestamp}.${rawBody}`)). A repeated eventId is acknowledged without acting again.',
        body: ref('CalendarEvent'),
        ok: {
          '200': [
            'applied (or a duplicate)',
            obj({ received: bool, duplicate: bool, contactId: str, state: str }, ['received', 'duplicate']),
          ],
        },
        errors: {
          '400': 'malformed event',
          '404': 'unknown bot, or no contact matches',
          '415': 'not application/json',
        },
      },
    ],
    [
      '/webhooks/sms/{botId}',
      'post',
      {
        tag: 'webhooks',
        summary: 'Inbound SMS (Twilio-compatible form post)',
        auth: 'twilio',
        bodyType: 'application/x-www-form-urlencoded',
        body: loose('Twilio form fields'),
        ok: { '200': ['empty TwiML', { type: 'string' }, 'text/xml'] },
        errors: { '400': 'malformed', '404': 'unknown bot or SMS not configured' },
      },
    ],
    [
      '/webhooks/sms/{botId}/status',
      'post',
      {
        tag: 'webhooks',
        summary: 'SMS delivery reports',
        auth: 'twilio',
        bodyType: 'application/x-www-form-urlencoded',
        body: loose('Twilio status fields'),
        ok: { '204': ['recorded'] },
        errors: { '400': 'malformed', '404': 'unknown bot' },
      },
    ],
    [
      '/webhooks/meta/{botId}',
      'get',
      {
        tag: 'webhooks',
        summary: 'Meta verification handshake',
        auth: 'none',
        query: [
          q('hub.mode', 'subscribe'),
          q('hub.verify_token', 'the configured verify token'),
          q('hub.challenge', 'echoed back'),
        ],
        ok: { '200': ['the challenge', { type: 'string' }, 'text/plain'] },
        errors: { '403': 'wrong verify token', '404': 'unknown bot' },
      },
    ],
    [
      '/webhooks/meta/{botId}',
      'post',
      {
        tag: 'webhooks',
        summary: 'Facebook / Instagram / WhatsApp events',
        auth: 'meta',
        body: loose('Meta webhook payload'),
        ok: { '200': ['counts', loose('received, statuses, ignored')] },
        errors: { '400': 'malformed', '404': 'unknown bot' },
      },
    ],

    // ---------------------------------------------------------------- visualizer
    [
      '/api/machine/graph',
      'get',
      {
        tag: 'visualizer',
        summary: 'The contact statechart: nodes, edges and layout',
        auth: 'bearer',
        ok: { '200': ['graph', loose('MachineGraphWithLayout')] },
      },
    ],
    [
      '/api/contacts/{id}/history',
      'get',
      {
        tag: 'visualizer',
        summary: 'Timeline with replay verdicts and pending timers',
        auth: 'bearer',
        ok: { '200': ['timeline', loose('TimelineView')] },
        errors: { ...NOT_FOUND, ...STORED_REPLAY },
      },
    ],
    [
      '/api/contacts/{id}/what-if',
      'post',
      {
        tag: 'visualizer',
        summary: 'One hypothetical event after a log entry (dry run, nothing stored)',
        auth: 'bearer',
        body: fromZod(whatIfBody),
        ok: { '200': ['verdict', loose('WhatIfView')] },
        errors: { ...INVALID, ...NOT_FOUND, ...STORED_REPLAY },
      },
    ],
    [
      '/api/contacts/{id}/export',
      'get',
      {
        tag: 'visualizer',
        summary: "The contact's history as a bug-report file",
        auth: 'bearer',
        query: queryOf(exportQuery, { redact: 'true to blank personal data' }),
        ok: { '200': ['export file', loose('ExportFile')] },
        errors: { ...INVALID, ...NOT_FOUND, ...STORED_REPLAY },
      },
    ],
    [
      '/api/viz/import',
      'post',
      {
        tag: 'visualizer',
        summary: 'Replay an exported file (nothing stored)',
        auth: 'bearer',
        body: loose('ExportFile'),
        ok: { '200': ['timeline', loose('TimelineView')] },
        errors: UPLOAD_ERRORS,
      },
    ],
    [
      '/api/viz/import/what-if',
      'post',
      {
        tag: 'visualizer',
        summary: 'What-if against an exported file',
        auth: 'bearer',
        body: loose('{ file, afterSeq, event }'),
        ok: { '200': ['verdict', loose('WhatIfView')] },
        errors: UPLOAD_ERRORS,
      },
    ],

    // ---------------------------------------------------------------- pages and assets
    [
      '/',
      'get',
      {
        tag: 'pages',
        summary: 'Widget demo page',
        auth: 'none',
        ok: { '200': ['HTML', { type: 'string' }, 'text/html'] },
      },
    ],
    [
      '/widget.js',
      'get',
      {
        tag: 'pages',
        summary: 'The embeddable chat widget',
        auth: 'none',
        ok: { '200': ['JavaScript', { type: 'string' }, 'text/javascript'] },
      },
    ],
    [
      '/console',
      'get',
      {
        tag: 'pages',
        summary: 'The operator console (asks for a token; kept in sessionStorage)',
        auth: 'none',
        ok: { '200': ['HTML', { type: 'string' }, 'text/html'] },
      },
    ],
    [
      '/console/',
      'get',
      {
        tag: 'pages',
        summary: 'The operator console (same page)',
        auth: 'none',
        ok: { '200': ['HTML', { type: 'string' }, 'text/html'] },
      },
    ],
    [
      '/console/console.js',
      'get',
      {
        tag: 'pages',
        summary: 'Console bundle (built on demand)',
        auth: 'none',
        ok: { '200': ['JavaScript', { type: 'string' }, 'text/javascript'] },
      },
    ],
    [
      '/console/console.css',
      'get',
      { tag: 'pages', summary: 'Console styles', auth: 'none', ok: { '200': ['CSS', { type: 'string' }, 'text/css'] } },
    ],
    [
      '/viz',
      'get',
      {
        tag: 'pages',
        summary: 'The state-machine visualizer',
        auth: 'none',
        ok: { '200': ['HTML', { type: 'string' }, 'text/html'] },
      },
    ],
    [
      '/viz/',
      'get',
      {
        tag: 'pages',
        summary: 'The state-machine visualizer (same page)',
        auth: 'none',
        ok: { '200': ['HTML', { type: 'string' }, 'text/html'] },
      },
    ],
    [
      '/viz/viz.js',
      'get',
      {
        tag: 'pages',
        summary: 'Visualizer bundle',
        auth: 'none',
        ok: { '200': ['JavaScript', { type: 'string' }, 'text/javascript'] },
      },
    ],
    [
      '/viz/viz.css',
      'get',
      {
        tag: 'pages',
        summary: 'Visualizer styles',
        auth: 'none',
        ok: { '200': ['CSS', { type: 'string' }, 'text/css'] },
      },
    ],
  ];
}

function schemas(): Record<string, Json> {
  return {
    Error: obj({
      error: obj(
        {
          code: { enum: Object.keys(ERROR_CATALOG) },
          message: str,
          details: { description: 'field errors: [{path, message}] for validation failures' },
        },
        ['code', 'message'],
      ),
    }),
    CalendarEvent: fromZod(calendarEventSchema),
    ContactDetail: obj({
      contact: ref('LabelledContact'),
      state: { enum: STATES },
      context: loose('epoch, humanActive, bookingLinkSent, cadenceComplete, requested, timer'),
      pendingFollowUps: arr(ref('FollowUp')),
      pastFollowUps: arr(ref('FollowUp')),
      pastFollowUpsTotal: int,
      transitions: int,
    }),
    ...responseComponents(),
  };
}

let cached: Json | null = null;

export function openApiDocument(): Json {
  if (cached) return cached;
  const paths: Record<string, Json> = {};
  for (const [path, method, op] of routes()) {
    paths[path] = { ...(paths[path] ?? {}), [method]: operation(path, method, op) };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Nudge',
      version: '0.1.0',
      description:
        'Self-hosted auto follow-up service. Operator routes take `Authorization: Bearer <token>` (the admin token, or an operator token created by an admin); ' +
        'every bot, contact and follow-up outside the token\'s bots answers 404 exactly like one that does not exist. Errors are `{ "error": { "code", "message", "details"? } }`.',
    },
    servers: [{ url: '/' }],
    tags: [
      'service',
      'operators',
      'bots',
      'contacts',
      'follow-ups',
      'notifications',
      'metrics',
      'webhooks',
      'visualizer',
      'pages',
    ].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'admin token or operator token (nop_…)' },
        calendarSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Nudge-Signature',
          description: 'sha256=hex(HMAC-SHA256(bot calendar secret, `${X-Nudge-Timestamp}.${rawBody}`))',
        },
        twilioSignature: { type: 'apiKey', in: 'header', name: 'X-Twilio-Signature' },
        metaSignature: { type: 'apiKey', in: 'header', name: 'X-Hub-Signature-256' },
      },
      schemas: schemas(),
    },
  };
  return cached;
}

/** `/api/bots/{id}` → `/api/bots/:id`, for comparing with registered routes. */
export function documentedRoutes(): { method: string; url: string }[] {
  return routes().map(([path, method]) => ({ method: method.toUpperCase(), url: path.replace(/\{(\w+)\}/g, ':$1') }));
}
