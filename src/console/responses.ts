/**
 * The JSON the operator API answers with, as zod schemas registered by name in `apiSchemas`.
 * The OpenAPI document's component schemas are generated from this registry, and the
 * console's types from that document (`npm run gen:api` → `web/console/apiTypes.ts`).
 * Objects are strict: test/console/responses.test.ts parses real answers with them, so a
 * field the server adds, drops or retypes fails there before the document can drift.
 */
import { z } from 'zod';
import {
  BOT_SILENCE,
  CONTACT_STATES,
  INTENTS,
  SCENARIOS,
  TIMER_KINDS,
  type TimerScenario,
} from '../../machines/contact.ts';
import { botConfigSchema } from '../config/botConfig.ts';

/** Named response schemas; each id becomes `#/components/schemas/<id>` in the OpenAPI document. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

const byId = new Map<string, z.ZodType>();

function named<T extends z.ZodType>(id: string, schema: T, description?: string): T {
  apiSchemas.add(schema, description ? { id, description } : { id });
  byId.set(id, schema);
  return schema;
}

/** The response schema registered as `id` (a test parses real answers with it). */
export function responseSchema(id: string): z.ZodType {
  const schema = byId.get(id);
  if (!schema) throw new Error(`no response schema named ${id}`);
  return schema;
}

const instant = z.iso.datetime();
const nullableString = z.string().nullable();
const counts = z.record(z.string(), z.int());
const SENDERS = ['contact', 'bot', 'operator'] as const;
const TIMER_SCENARIOS: readonly TimerScenario[] = [...SCENARIOS, BOT_SILENCE];
const FOLLOW_UP_STATUSES = ['pending', 'sent', 'cancelled', 'skipped', 'fired'] as const;

export const fieldMessageSchema = named('FieldMessage', z.strictObject({ path: z.string(), message: z.string() }));

named('BotConfig', botConfigSchema, 'a bot configuration (missing fields take defaults when written)');

export const botSchema = named(
  'Bot',
  z.strictObject({
    id: z.string(),
    name: z.string(),
    widgetKey: z.string(),
    allowedOrigins: z.array(z.string()),
    config: botConfigSchema,
    warnings: z.array(fieldMessageSchema),
    createdAt: instant,
    updatedAt: instant,
  }),
);

export const configVerdictSchema = named(
  'ConfigVerdict',
  z.strictObject({
    ok: z.boolean(),
    errors: z.array(fieldMessageSchema),
    warnings: z.array(fieldMessageSchema),
    config: botConfigSchema.nullable(),
  }),
);

export const botInstallSchema = named(
  'BotInstall',
  z.strictObject({
    botId: z.string(),
    widgetKey: z.string(),
    businessName: z.string(),
    widgetColor: nullableString,
    allowedOrigins: z.array(z.string()),
    snippet: z.string(),
    lastRefused: z
      .strictObject({ origin: nullableString, at: instant, nowAllowed: z.boolean() })
      .nullable()
      .meta({ description: 'the last page origin refused by the widget handshake' }),
  }),
);

export const botSecretsSchema = named(
  'BotSecrets',
  z.strictObject({
    calendar: z.strictObject({ secret: z.string(), createdAt: instant, webhookPath: z.string() }),
    webhook: z.strictObject({ secret: z.string(), createdAt: instant, signature: z.string() }),
  }),
);

export const operatorSchema = named(
  'Operator',
  z.strictObject({
    id: z.string(),
    name: z.string(),
    admin: z.boolean(),
    botIds: z.array(z.string()).nullable().meta({ description: 'null = every bot (admin)' }),
    createdAt: instant,
    updatedAt: instant,
  }),
);

export const operatorListSchema = named('OperatorList', z.strictObject({ operators: z.array(operatorSchema) }));

export const operatorTokenSchema = named(
  'OperatorToken',
  z.strictObject({ operator: operatorSchema, token: z.string() }),
  'an operator with its new token, shown once (only its hash is kept)',
);

export const meSchema = named(
  'Me',
  z.strictObject({
    operator: z.strictObject({ id: z.string(), name: z.string(), admin: z.boolean() }),
    bots: z.array(z.strictObject({ id: z.string(), name: z.string() })),
    channels: z.strictObject({
      sms: z.enum(['twilio', 'log']),
      facebook: z.boolean(),
      instagram: z.boolean(),
      whatsapp: z.boolean(),
      warnings: z.array(z.string()).meta({
        description: 'plain sentences for channels that do not really send (SMS log-only, Meta not connected)',
      }),
    }),
  }),
);

const classificationSchema = z
  .looseObject({
    intent: z.enum(INTENTS).optional(),
    phrase: z.string().optional(),
    requestedAt: z.number().optional(),
  })
  .nullable()
  .meta({ description: 'what the classifier read: intent, phrase, requestedAt (epoch ms), …' });

export const reviewSchema = named(
  'Review',
  z.strictObject({
    messageId: z.string(),
    at: instant,
    intent: z.enum(INTENTS),
    confidence: z.number().nullable(),
    readings: z.array(z.strictObject({ intent: z.enum(INTENTS), confidence: z.number() })),
    refusalCue: z.boolean(),
    requestedAt: instant.nullable(),
    text: nullableString
      .optional()
      .meta({ description: 'the message under review (listing with needsReview=true only)' }),
  }),
);

export const contactSchema = named(
  'Contact',
  z.strictObject({
    id: z.string(),
    botId: z.string(),
    name: nullableString,
    phone: nullableString,
    email: nullableString,
    timezone: nullableString,
    state: z.enum(CONTACT_STATES),
    epoch: z.int(),
    lastChannel: z.string(),
    tags: z.array(z.string()),
    assignedUser: nullableString,
    language: nullableString.meta({
      description:
        'the language the contact last wrote in (en, es, pt, fr, de, it, nl, pl, tr, hi-Latn, tl); built-in follow-ups and replies are written in it; null until known',
    }),
    needsReview: z.boolean(),
    review: reviewSchema.nullable(),
    createdAt: instant,
    updatedAt: instant,
  }),
);

export const labelledContactSchema = named(
  'LabelledContact',
  contactSchema.extend({
    visitorNumber: z.int().nullable().meta({ description: '"Visitor 12", for a contact who left no name' }),
    place: nullableString.meta({ description: 'the city its zone names, e.g. "Lisbon"' }),
  }),
);

export const contactListItemSchema = named(
  'ContactListItem',
  labelledContactSchema.extend({
    lastMessage: z
      .strictObject({ from: z.enum(SENDERS), text: z.string(), at: instant })
      .nullable()
      .meta({ description: 'the latest message (its first 140 characters), as a preview' }),
    nextFollowUp: z
      .strictObject({ id: z.string(), scenario: z.enum(SCENARIOS), step: z.int(), dueAt: instant })
      .nullable(),
  }),
);

export const contactPageSchema = named(
  'ContactPage',
  z.strictObject({ contacts: z.array(contactListItemSchema), total: z.int(), limit: z.int(), offset: z.int() }),
);

export const zonedSchema = named(
  'Zoned',
  z.strictObject({
    zone: z.string(),
    local: z.string(),
    source: z.enum(['contact', 'phone', 'bot']).optional(),
  }),
  'an instant as read on the clock of a zone; source says where a contact zone came from',
);

export const triggerSchema = named(
  'Trigger',
  z.strictObject({
    messageId: z.string(),
    from: z.enum(SENDERS),
    text: z.string(),
    at: instant,
    classification: classificationSchema,
  }),
  'the message that armed a follow-up',
);

export const followUpSchema = named(
  'FollowUp',
  z.strictObject({
    id: z.string(),
    kind: z.enum(TIMER_KINDS).meta({ description: 'fallthrough: the bot-silence timer' }),
    scenario: z.enum(TIMER_SCENARIOS),
    step: z.int(),
    epoch: z.int(),
    status: z.enum(FOLLOW_UP_STATUSES),
    reason: nullableString,
    actor: nullableString.meta({ description: 'operator who cancelled / rescheduled' }),
    dueAt: instant,
    rawDueAt: instant,
    deferReason: nullableString,
    dueInBusinessZone: zonedSchema,
    dueInContactZone: zonedSchema.nullable(),
    channel: nullableString,
    channelReason: nullableString,
    messageMode: z.enum(['ai', 'custom']).nullable(),
    sentAt: instant.nullable(),
    createdAt: instant,
    updatedAt: instant.meta({ description: 'when the row last changed (cancelled, skipped, sent)' }),
    trigger: triggerSchema.nullable(),
  }),
);

export const predictionSchema = named(
  'Prediction',
  z.strictObject({
    kind: z.enum(['scheduled', 'projected']),
    followUpId: nullableString,
    scenario: z.enum(SCENARIOS),
    step: z.int(),
    dueAt: instant,
    dueInBusinessZone: zonedSchema,
    dueInContactZone: zonedSchema,
    sendAt: instant.meta({ description: 'when it would really go out (SMS quiet hours and working hours applied)' }),
    sendInBusinessZone: zonedSchema,
    sendInContactZone: zonedSchema,
    deferredBy: z.array(z.string()),
    channel: z.string(),
    channelReason: z.string(),
    switched: z.boolean(),
    presence: z.enum(['open', 'closed', 'unknown', 'irrelevant']),
    alternative: z.strictObject({ channel: z.string(), reason: z.string() }).nullable(),
    outcome: z.enum(['send', 'skip']),
    skipReason: nullableString,
    messageMode: z.enum(['ai', 'custom']),
    messagePreview: nullableString,
    workflow: z.array(z.looseObject({ type: z.string() })).meta({ description: 'the workflow actions it runs' }),
    contactId: z.string(),
  }),
  'what a follow-up will do when it falls due: when, on which channel and why, or why it is skipped',
);

export const pendingFollowUpSchema = named(
  'PendingFollowUp',
  followUpSchema.extend({
    dueInContactZone: zonedSchema,
    operatorTimed: z.boolean(),
    stepsInCadence: z.int(),
    delay: nullableString,
    prediction: predictionSchema,
    projected: z
      .array(predictionSchema)
      .meta({ description: 'later steps due within 72 h if the contact stays silent' }),
  }),
);

export const messageSchema = named(
  'Message',
  z.strictObject({
    id: z.string(),
    seq: z.int(),
    from: z.enum(SENDERS),
    channel: z.string(),
    text: z.string(),
    at: instant,
    clientId: nullableString,
    classification: classificationSchema,
    followUpId: nullableString,
    meta: z.record(z.string(), z.unknown()).nullable(),
  }),
);

export const transitionSchema = named(
  'Transition',
  z.strictObject({
    seq: z.int(),
    at: instant,
    event: z.looseObject({ type: z.string() }).meta({ description: 'the event as applied' }),
    from: z.string(),
    to: z.string(),
    actions: z.array(z.unknown()),
  }),
);

export const notificationSchema = named(
  'Notification',
  z.strictObject({
    id: z.int(),
    botId: z.string(),
    contactId: nullableString,
    contactName: nullableString,
    type: z.string(),
    message: nullableString,
    userId: nullableString,
    scenario: nullableString,
    step: z.int().nullable(),
    followUpId: nullableString,
    channel: z.enum(['console', 'webhook']),
    webhookUrl: nullableString,
    delivery: z.strictObject({ status: z.string(), attempts: z.int(), lastError: nullableString }).nullable(),
    at: instant,
    unread: z.boolean(),
  }),
);

export const notificationPageSchema = named(
  'NotificationPage',
  z.strictObject({
    notifications: z.array(notificationSchema),
    unread: z.int(),
    lastReadId: z.int(),
    nextBefore: z.int().nullable(),
  }),
);

export const readMarkSchema = named('ReadMark', z.strictObject({ lastReadId: z.int() }));

export const responseInfoSchema = named(
  'ResponseInfo',
  z.strictObject({
    contact: labelledContactSchema,
    state: z.enum(CONTACT_STATES),
    scenario: z.enum(SCENARIOS).nullable(),
    context: z.strictObject({
      epoch: z.int(),
      humanActive: z.boolean(),
      bookingLinkSent: z.boolean(),
      cadenceComplete: z.enum(SCENARIOS).nullable(),
      requested: z.looseObject({ at: instant, phrase: nullableString }).nullable(),
      timer: z.looseObject({ id: z.string(), dueAt: instant }).nullable(),
    }),
    smsConsent: z
      .strictObject({
        status: z.enum(['pending', 'confirmed']),
        phone: z.string(),
        requestedAt: instant,
        confirmedAt: instant.nullable(),
        source: nullableString,
      })
      .nullable()
      .meta({ description: 'consent to SMS of a number typed into the widget; null when never asked' }),
    humanActive: z.boolean(),
    bot: z.strictObject({
      id: z.string(),
      name: z.string(),
      active: z.boolean(),
      timezone: z.string(),
      channelSwitching: z.boolean(),
      bookingUrl: nullableString,
      scenarioEnabled: z.boolean().nullable(),
    }),
    zones: z.strictObject({
      business: z.string(),
      contact: z.string(),
      contactZoneSource: z.enum(['contact', 'phone', 'bot']),
    }),
    presence: z.enum(['open', 'closed', 'unknown']),
    now: instant.meta({ description: "the server's clock (relative times are computed against it)" }),
    pendingFollowUps: z.array(pendingFollowUpSchema),
    botSilenceTimer: z
      .strictObject({ id: z.string(), dueAt: instant, dueInBusinessZone: zonedSchema, meaning: z.string() })
      .nullable(),
    history: z.array(followUpSchema),
    conversation: z.strictObject({ messages: z.array(messageSchema), truncated: z.boolean() }),
    transitions: z.strictObject({ entries: z.array(transitionSchema), total: z.int() }),
    appointments: z.array(
      z.strictObject({
        eventId: nullableString,
        event: z.string(),
        startsAt: instant.nullable(),
        title: nullableString,
        receivedAt: instant,
      }),
    ),
    notifications: z.array(notificationSchema),
    historyPruned: z
      .strictObject({
        messagesBefore: instant.nullable(),
        followUpsBefore: instant.nullable(),
        transitionsThrough: z.int().nullable(),
        transitionsBefore: instant.nullable(),
        prunedAt: instant,
      })
      .nullable()
      .meta({ description: 'what retention deleted of this history; null when nothing' }),
    links: z.strictObject({ visualizer: z.string() }),
  }),
  'everything the Response Info panel shows about one contact',
);

export const forecastSchema = named(
  'Forecast',
  z.strictObject({
    botId: z.string(),
    from: instant,
    to: instant,
    hours: z.int(),
    businessZone: z.string(),
    botActive: z.boolean(),
    items: z.array(
      predictionSchema.extend({
        contact: z.strictObject({
          id: z.string(),
          name: nullableString,
          phone: nullableString,
          email: nullableString,
          state: z.enum(CONTACT_STATES),
          lastChannel: z.string(),
        }),
        trigger: triggerSchema.nullable(),
      }),
    ),
    truncated: z.boolean(),
    summary: z.strictObject({
      scheduled: z.int(),
      projected: z.int(),
      sends: z.int(),
      skips: z.int(),
      contacts: z.int(),
      byChannel: counts,
      byScenario: counts,
      skipReasons: counts,
    }),
  }),
);

export const metricsSchema = named(
  'Metrics',
  z.strictObject({
    botId: z.string(),
    from: instant,
    to: instant,
    armed: z.strictObject({ total: z.int(), byScenario: counts }),
    sent: z.strictObject({ total: z.int(), byChannel: counts, byScenario: counts }),
    skipped: z.strictObject({ total: z.int(), byReason: counts }),
    cancelled: z.strictObject({ total: z.int(), byReason: counts }),
    pendingNow: z.int(),
    replyRate: z.array(
      z.strictObject({
        scenario: z.enum(SCENARIOS),
        step: z.int(),
        sent: z.int(),
        replied: z.int(),
        rate: z.number().nullable(),
      }),
    ),
  }),
);

/** The registry as OpenAPI component schemas (no `$schema`/`$id`, no integer range noise). */
export function responseComponents(): Record<string, Record<string, unknown>> {
  const { schemas } = z.toJSONSchema(apiSchemas, {
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
    override: ({ jsonSchema }) => {
      const schema = jsonSchema as Record<string, unknown>;
      if (schema.format === 'date-time') delete schema.pattern;
      if (schema.type === 'integer' && schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
      if (schema.type === 'integer' && schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
    },
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]),
  );
}
