/**
 * A bot's configuration: the schema (zod 4, strict everywhere), its defaults, and the
 * two ways config enters the system: `parseBotConfig` (a full or partial document,
 * defaults fill the gaps) and `applyConfigPatch` (deep-merge onto the current config).
 * Both return field-level errors (`scenarios.busy.cadence.0.delay: …`) instead of
 * throwing, so the HTTP layer and the Bot Goals editor can show them next to the field.
 *
 * Design reference: DESIGN.md §1; every field, default and limit is documented in
 * docs/configuration.md.
 */
import { z } from 'zod';
import { IANAZone } from 'luxon';
import { durationSchema, formatDuration, tryDurationMs, type Duration } from './duration.ts';
import { isPlainObject, mergeConfig } from './merge.ts';
import { isKnownPlaceholder, KNOWN_PLACEHOLDERS, placeholdersIn } from './placeholders.ts';
import { literalPrivateHost } from '../net/outboundGuard.ts';
import { HHMM, parseHHMM } from '../time/wallTime.ts';
import { WEEKDAYS, type TimeInterval, type Weekday } from '../time/workingHours.ts';
import { DOUBT_MODES, SCENARIOS, type DoubtMode, type Scenario } from '../../machines/contact.ts';

export { durationToMs, formatDuration, type Duration } from './duration.ts';
export { configWarnings } from './warnings.ts';
export { KNOWN_PLACEHOLDERS, fillPlaceholders } from './placeholders.ts';
export { smsSegments } from './smsSegments.ts';

// ---------------------------------------------------------------------------------------
// Types (written out so readers need not decode zod inference; the schema below is checked
// against them at compile time)

export type MessageSpec = { mode: 'ai' } | { mode: 'custom'; text: string };
export type WorkflowAction =
  | { type: 'addTag'; tag: string }
  | { type: 'removeTag'; tag: string }
  | { type: 'assignUser'; userId: string }
  | { type: 'notifyUser'; userId?: string; webhookUrl?: string; message?: string };
/** One follow-up. `message`/`workflow` override the scenario's for this step when present. */
export type Step = { delay: Duration; message?: MessageSpec; workflow?: WorkflowAction[] };
export type ScenarioConfig = { enabled: boolean; cadence: Step[]; message: MessageSpec; workflow: WorkflowAction[] };
export type ScenarioName = Scenario;
export type WorkingHours = null | Partial<Record<Weekday, TimeInterval[]>>;
export type QuietHoursConfig = { start: string; end: string };
/** How long history is kept (null: forever); pruned by src/store/retention.ts. */
export type RetentionConfig = {
  messages: Duration | null;
  transitions: Duration | null;
  finishedFollowUps: Duration | null;
};
export type BotConfig = {
  name: string;
  active: boolean;
  timezone: string;
  workingHours: WorkingHours;
  channelSwitching: boolean;
  /** A number typed into the widget gets no SMS until its owner replies YES (src/delivery/smsConsent.ts). */
  smsConsent: boolean;
  bookingUrl: string | null;
  /** The built-in bot answers inbound messages; off for businesses with their own bot. */
  builtInResponder: boolean;
  /** Businesses with their own bot: each inbound message is POSTed here, HMAC-signed. */
  inboundWebhookUrl: string | null;
  followUpCapPer24h: number;
  botReplyTimeout: Duration;
  missedGrace: Duration;
  smsQuietHours: QuietHoursConfig;
  /** Accent colour of the chat widget (`#rrggbb`); null keeps the widget's default. */
  widgetColor: string | null;
  /** A contact message read with less confidence than this is doubtful (0..1). */
  uncertainThreshold: number;
  /** What a doubtful message does: `hold` for an operator's decision, or apply it as classified. */
  onDoubt: DoubtMode;
  /** Where a held message is announced (`contact.needs_review`), HMAC-signed; null: console only. */
  reviewWebhookUrl: string | null;
  /** Absent in configurations stored before retention existed: `retentionOf` reads the defaults then. */
  retention?: RetentionConfig;
  scenarios: Record<ScenarioName, ScenarioConfig>;
};

export const SCENARIO_NAMES: readonly ScenarioName[] = SCENARIOS;

// ---------------------------------------------------------------------------------------
// Limits

import { DEFAULT_MIN_DELAY_SECONDS, minDelaySeconds } from './minDelay.ts';
export { DEFAULT_MIN_DELAY_SECONDS, MIN_DELAY_ENV, minDelaySeconds } from './minDelay.ts';
export const MAX_CADENCE_STEPS = 5;
export const FOLLOW_UP_CAP_RANGE = { min: 1, max: 20 } as const;
export const MAX_WORKFLOW_ACTIONS = 10;
export const MAX_INTERVALS_PER_DAY = 6;
export const MAX_CUSTOM_TEXT = 1600; // the longest SMS body common providers accept
export const MIN_QUIET_MINUTES = 60;
const BOT_REPLY_TIMEOUT_RANGE_MS = { min: 1_000, max: 86_400_000 };
const MISSED_GRACE_MAX_MS = 7 * 86_400_000;
/**
 * The default `uncertainThreshold`: the learned model's own (src/classify/local.ts), which its
 * calibration was measured at. Not imported from there, so that reading a configuration never
 * loads the classifier; test/config/botConfig.test.ts keeps the two equal.
 */
export const DEFAULT_UNCERTAIN_THRESHOLD = 0.5;
export const RETENTION_RANGE_MS = { min: 86_400_000, max: 365 * 86_400_000 } as const;
export const DEFAULT_RETENTION: Readonly<RetentionConfig> = {
  messages: '365d',
  transitions: '90d',
  finishedFollowUps: '365d',
};

/** A bot's retention: its own, or the defaults when its stored configuration predates it. */
export function retentionOf(config: Pick<BotConfig, 'retention'>): RetentionConfig {
  return config.retention ?? { ...DEFAULT_RETENTION };
}

// ---------------------------------------------------------------------------------------
// Defaults

const ai = (): MessageSpec => ({ mode: 'ai' });
const scenario = (delays: string[]): ScenarioConfig => ({
  enabled: true,
  cadence: delays.map((delay) => ({ delay })),
  message: ai(),
  workflow: [],
});

/** A complete, valid configuration with every default; a fresh object each call. */
export function defaultBotConfig(name: string): BotConfig {
  return {
    name,
    active: true,
    timezone: 'UTC',
    workingHours: null,
    channelSwitching: true,
    smsConsent: true,
    bookingUrl: null,
    builtInResponder: true,
    inboundWebhookUrl: null,
    followUpCapPer24h: 3,
    botReplyTimeout: '10m',
    missedGrace: '15m',
    smsQuietHours: { start: '21:00', end: '08:00' },
    widgetColor: null,
    uncertainThreshold: DEFAULT_UNCERTAIN_THRESHOLD,
    onDoubt: 'hold',
    reviewWebhookUrl: null,
    retention: { ...DEFAULT_RETENTION },
    scenarios: {
      stoppedReplying: scenario(['1h', '1d', '3d']),
      busy: scenario(['2h', '1d']),
      // step 1 "0m" = at the instant the contact asked for
      requestedTime: scenario(['0m', '1d']),
    },
  };
}

// ---------------------------------------------------------------------------------------
// Field schemas

type Ctx = z.core.$RefinementCtx;
const custom = (ctx: Ctx, message: string, path: PropertyKey[] = []) => ctx.addIssue({ code: 'custom', message, path });

const timeOfDay = z.string().regex(HHMM, { error: 'expected a time of day as HH:MM (00:00–23:59)' });
const endOfInterval = z.string().check(
  z.superRefine((v, ctx) => {
    if (parseHHMM(v, true) === null) custom(ctx, 'expected a time of day as HH:MM (00:00–24:00)');
  }),
);

const intervalSchema = z.strictObject({ start: timeOfDay, end: endOfInterval }).check(
  z.superRefine((iv, ctx) => {
    const start = parseHHMM(iv.start);
    const end = parseHHMM(iv.end, true);
    // (checks can run after a sibling field failed; only judge what parsed)
    if (start !== null && end !== null && start >= end)
      custom(ctx, `end ${iv.end} must be after start ${iv.start} (split intervals that cross midnight)`, ['end']);
  }),
);

const daySchema = z
  .array(intervalSchema)
  .max(MAX_INTERVALS_PER_DAY, { error: `at most ${MAX_INTERVALS_PER_DAY} intervals per day` })
  .check(
    z.superRefine((intervals, ctx) => {
      const spans = intervals
        .map((iv, index) => ({ index, iv, start: parseHHMM(iv.start) ?? NaN, end: parseHHMM(iv.end, true) ?? NaN }))
        .filter((s) => s.start < s.end) // NaN (unparsable) compares false
        .sort((a, b) => a.start - b.start);
      for (let i = 1; i < spans.length; i++) {
        if (spans[i].start < spans[i - 1].end) {
          const prev = spans[i - 1].iv;
          custom(ctx, `${spans[i].iv.start}–${spans[i].iv.end} overlaps ${prev.start}–${prev.end}`, [spans[i].index]);
        }
      }
    }),
  );

const workingHoursSchema = z
  .strictObject(
    Object.fromEntries(WEEKDAYS.map((d) => [d, daySchema.optional()])) as Record<
      Weekday,
      z.ZodOptional<typeof daySchema>
    >,
  )
  .nullable()
  .check(
    z.superRefine((hours, ctx) => {
      if (hours && WEEKDAYS.every((d) => !hours[d] || hours[d]!.length === 0)) {
        custom(ctx, 'working hours leave no open time in the week; use null for "always open"');
      }
    }),
  );

const timezoneSchema = z.string({ error: 'expected an IANA time zone name such as "Europe/Berlin"' }).check(
  z.superRefine((zone, ctx) => {
    if (!IANAZone.isValidZone(zone))
      return custom(ctx, `unknown time zone "${zone}"; expected an IANA name such as "America/New_York"`);
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase())
      custom(ctx, `write the time zone as "${resolved}"`);
  }),
);

/**
 * An http(s) URL. `requested`: the server posts to it, so a literal private address (or
 * localhost) is refused here, unless allowed by NUDGE_OUTBOUND_ALLOW; names are checked
 * when resolved, at each request (src/net/outboundGuard.ts).
 */
function httpUrl(what: string, requested = false) {
  return z
    .string({ error: `${what} must be an http(s) URL` })
    .max(2048, { error: `${what} must be at most 2048 characters` })
    .check(
      z.superRefine((value, ctx) => {
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          return custom(ctx, `${what} must be an absolute http(s) URL, got "${value}"`);
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
          return custom(ctx, `${what} must use http or https, got "${url.protocol}"`);
        const privateHost = requested ? literalPrivateHost(url) : null;
        if (privateHost) {
          custom(
            ctx,
            `${what} points at a private address (${privateHost}); the server only posts to public addresses unless NUDGE_OUTBOUND_ALLOW lists it`,
          );
        }
      }),
    );
}

const customTextSchema = z
  .string({ error: 'custom text must be a string' })
  .max(MAX_CUSTOM_TEXT, { error: `custom text must be at most ${MAX_CUSTOM_TEXT} characters` })
  .check(
    z.superRefine((text, ctx) => {
      if (text.trim() === '')
        return custom(ctx, 'custom text must not be empty (use mode "ai" to let the bot write it)');
      const unknown = [...new Set(placeholdersIn(text).filter((p) => !isKnownPlaceholder(p)))];
      if (unknown.length) {
        custom(
          ctx,
          `unknown placeholder ${unknown.map((p) => `{{${p}}}`).join(', ')}; known: ${KNOWN_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
        );
      }
    }),
  );

const messageSpecSchema = z.discriminatedUnion(
  'mode',
  [z.strictObject({ mode: z.literal('ai') }), z.strictObject({ mode: z.literal('custom'), text: customTextSchema })],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'message mode must be "ai" or "custom"'
        : 'expected a message like { "mode": "ai" } or { "mode": "custom", "text": "…" }',
  },
);

const label = (what: string, max: number) =>
  z
    .string({ error: `${what} must be a string` })
    .max(max, { error: `${what} must be at most ${max} characters` })
    .check(
      z.superRefine((v, ctx) => {
        if (v.trim() === '') custom(ctx, `${what} must not be empty`);
      }),
    );

export const BOT_START_REFUSED = 'a workflow may never start another bot';

/**
 * Anything that looks like starting, running or handing over to a bot: an action type
 * mentioning "bot" (startBot, run_bot, triggerBot, …) or a field naming one (botId,
 * targetBotId, bot, …). Checked before the action's shape so the refusal is explicit.
 */
function botStartField(action: unknown): string | null {
  if (!isPlainObject(action)) return null;
  if (typeof action.type === 'string' && /bot/i.test(action.type)) return 'type';
  for (const key of Object.keys(action)) {
    if (/^(target|next|other)?bots?(id|ids|name)?$/.test(key.toLowerCase().replace(/[_\-\s]/g, ''))) return key;
  }
  return null;
}

const ACTION_TYPES = ['addTag', 'removeTag', 'assignUser', 'notifyUser'] as const;

const workflowActionSchema = z
  .unknown()
  .check(
    z.superRefine((action, ctx) => {
      const field = botStartField(action);
      if (field) custom(ctx, BOT_START_REFUSED, [field]);
    }),
  )
  .pipe(
    z.discriminatedUnion(
      'type',
      [
        z.strictObject({ type: z.literal('addTag'), tag: label('tag', 64) }),
        z.strictObject({ type: z.literal('removeTag'), tag: label('tag', 64) }),
        z.strictObject({ type: z.literal('assignUser'), userId: label('userId', 128) }),
        z.strictObject({
          type: z.literal('notifyUser'),
          userId: label('userId', 128).optional(),
          webhookUrl: httpUrl('webhookUrl', true).optional(),
          message: label('message', 1000).optional(),
        }),
      ],
      {
        error: (issue) =>
          issue.code === 'invalid_union'
            ? `unknown workflow action type; expected one of ${ACTION_TYPES.join(', ')}`
            : 'expected a workflow action like { "type": "addTag", "tag": "…" }',
      },
    ),
  );

const workflowSchema = z
  .array(workflowActionSchema, { error: 'workflow must be a list of actions' })
  .max(MAX_WORKFLOW_ACTIONS, { error: `at most ${MAX_WORKFLOW_ACTIONS} workflow actions` });

const stepSchema = z.strictObject({
  delay: durationSchema,
  message: messageSpecSchema.optional(),
  workflow: workflowSchema.optional(),
});

const scenarioSchema = z.strictObject({
  enabled: z.boolean({ error: 'enabled must be true or false' }),
  cadence: z
    .array(stepSchema, { error: 'cadence must be a list of steps' })
    .min(1, { error: 'a cadence needs at least 1 step' })
    .max(MAX_CADENCE_STEPS, { error: `a cadence has at most ${MAX_CADENCE_STEPS} steps` }),
  message: messageSpecSchema,
  workflow: workflowSchema,
});

const boundedDuration = (what: string, minMs: number, maxMs: number) =>
  durationSchema.check(
    z.superRefine((d, ctx) => {
      const r = tryDurationMs(d);
      if (!r.ok) return;
      const ms = r.ms;
      if (ms < minMs || ms > maxMs)
        custom(
          ctx,
          `${what} must be between ${formatDuration(minMs)} and ${formatDuration(maxMs)}, got ${formatDuration(ms)}`,
        );
    }),
  );

const quietHoursSchema = z.strictObject({ start: timeOfDay, end: timeOfDay }).check(
  z.superRefine((q, ctx) => {
    const start = parseHHMM(q.start);
    const end = parseHHMM(q.end);
    if (start === null || end === null) return;
    const minutes = start > end ? 1440 - start + end : end - start;
    if (minutes < MIN_QUIET_MINUTES) {
      custom(ctx, `SMS quiet hours can be narrowed but not removed: ${q.start}–${q.end} must last at least 1 hour`);
    }
  }),
);

const bool = (what: string) => z.boolean({ error: `${what} must be true or false` });

function buildSchema(floorSeconds: number) {
  return z
    .strictObject({
      name: label('name', 100),
      active: bool('active'),
      timezone: timezoneSchema,
      workingHours: workingHoursSchema,
      channelSwitching: bool('channelSwitching'),
      bookingUrl: httpUrl('bookingUrl').nullable(),
      builtInResponder: bool('builtInResponder'),
      smsConsent: bool('smsConsent'),
      inboundWebhookUrl: httpUrl('inboundWebhookUrl', true).nullable(),
      followUpCapPer24h: z
        .number({ error: 'followUpCapPer24h must be a number' })
        .int({ error: 'followUpCapPer24h must be a whole number' })
        .min(FOLLOW_UP_CAP_RANGE.min, {
          error: `followUpCapPer24h must be between ${FOLLOW_UP_CAP_RANGE.min} and ${FOLLOW_UP_CAP_RANGE.max}`,
        })
        .max(FOLLOW_UP_CAP_RANGE.max, {
          error: `followUpCapPer24h must be between ${FOLLOW_UP_CAP_RANGE.min} and ${FOLLOW_UP_CAP_RANGE.max}`,
        }),
      botReplyTimeout: boundedDuration(
        'botReplyTimeout',
        BOT_REPLY_TIMEOUT_RANGE_MS.min,
        BOT_REPLY_TIMEOUT_RANGE_MS.max,
      ),
      missedGrace: boundedDuration('missedGrace', 0, MISSED_GRACE_MAX_MS),
      smsQuietHours: quietHoursSchema,
      widgetColor: z
        .string({ error: 'widgetColor must be a colour like "#0b6e4f"' })
        .regex(/^#[0-9a-fA-F]{6}$/, { error: 'widgetColor must be a colour like "#0b6e4f" (# and six hex digits)' })
        .nullable(),
      uncertainThreshold: z
        .number({ error: 'uncertainThreshold must be a number between 0 and 1' })
        .min(0, { error: 'uncertainThreshold must be between 0 and 1 (0 never holds a message for being unsure)' })
        .max(1, {
          error: 'uncertainThreshold must be between 0 and 1 (1 holds every message the model is not certain of)',
        }),
      onDoubt: z.enum(DOUBT_MODES, { error: 'onDoubt must be "hold" or "treatAsEngaged"' }),
      reviewWebhookUrl: httpUrl('reviewWebhookUrl', true).nullable(),
      retention: z
        .strictObject({
          messages: boundedDuration('retention.messages', RETENTION_RANGE_MS.min, RETENTION_RANGE_MS.max).nullable(),
          transitions: boundedDuration(
            'retention.transitions',
            RETENTION_RANGE_MS.min,
            RETENTION_RANGE_MS.max,
          ).nullable(),
          finishedFollowUps: boundedDuration(
            'retention.finishedFollowUps',
            RETENTION_RANGE_MS.min,
            RETENTION_RANGE_MS.max,
          ).nullable(),
        })
        .optional(),
      scenarios: z.strictObject({
        stoppedReplying: scenarioSchema,
        busy: scenarioSchema,
        requestedTime: scenarioSchema,
      }),
    })
    .check(
      // The delay floor depends on the scenario and step, so it is checked on the whole.
      z.superRefine((config, ctx) => {
        for (const e of floorErrors(config, floorSeconds)) custom(ctx, e.message, e.path);
      }),
    );
}

/**
 * Cadence delays below the floor, read defensively from any input (validate() also runs
 * this on the raw document, so floor errors show even when zod stopped early elsewhere).
 */
function floorErrors(candidate: unknown, floorSeconds: number): { path: (string | number)[]; message: string }[] {
  const floorMs = floorSeconds * 1000;
  const out: { path: (string | number)[]; message: string }[] = [];
  const scenarios = isPlainObject(candidate) ? candidate.scenarios : undefined;
  if (!isPlainObject(scenarios)) return out;
  for (const name of SCENARIO_NAMES) {
    const scenario = scenarios[name];
    const cadence = isPlainObject(scenario) ? scenario.cadence : undefined;
    if (!Array.isArray(cadence)) continue;
    cadence.forEach((step: unknown, index) => {
      // requestedTime step 1 is an offset after the requested instant: 0 is valid.
      if ((name === 'requestedTime' && index === 0) || !isPlainObject(step)) return;
      const r = tryDurationMs(step.delay);
      if (r.ok && r.ms < floorMs) {
        out.push({
          path: ['scenarios', name, 'cadence', index, 'delay'],
          message: `delay ${formatDuration(r.ms)} is below the minimum of ${formatDuration(floorMs)} between follow-ups`,
        });
      }
    });
  }
  return out;
}

/** The schema with the standard 60 s floor (for docs/OpenAPI: `z.toJSONSchema(botConfigSchema, { io: 'output' })`). */
export const botConfigSchema = buildSchema(DEFAULT_MIN_DELAY_SECONDS);

// Compile-time check that the schema and the hand-written type agree both ways.
type SchemaOutput = z.output<typeof botConfigSchema>;
const _schemaMatchesType: [SchemaOutput] extends [BotConfig]
  ? [BotConfig] extends [SchemaOutput]
    ? true
    : false
  : false = true;
void _schemaMatchesType;

const schemaByFloor = new Map<number, typeof botConfigSchema>([[DEFAULT_MIN_DELAY_SECONDS, botConfigSchema]]);
function schemaFor(floorSeconds: number) {
  let schema = schemaByFloor.get(floorSeconds);
  if (!schema) {
    schema = buildSchema(floorSeconds);
    schemaByFloor.set(floorSeconds, schema);
  }
  return schema;
}

// ---------------------------------------------------------------------------------------
// Parsing

export interface ConfigError {
  path: string;
  message: string;
}
export type ConfigResult = { ok: true; config: BotConfig } | { ok: false; errors: ConfigError[] };
export interface ConfigOptions {
  /** Delay floor in seconds; defaults to `minDelaySeconds()` (env-aware). */
  minDelaySeconds?: number;
}

/**
 * Validate a configuration document. Missing fields (at any depth: a scenario given only
 * `{ enabled: false }` keeps the default cadence) take their defaults; `name` has none and
 * is required. Unknown fields are refused.
 */
export function parseBotConfig(input: unknown, opts: ConfigOptions = {}): ConfigResult {
  if (!isPlainObject(input))
    return { ok: false, errors: [{ path: '', message: 'the configuration must be a JSON object' }] };
  const floor = resolveFloor(opts);
  const { name: _noDefaultName, ...defaults } = defaultBotConfig('');
  return validate(mergeConfig(defaults, input), floor);
}

/**
 * Deep-merge a patch onto a configuration and validate the result. Objects merge field by
 * field; arrays (cadences, workflows, intervals), message specs, durations and the whole
 * working-hours table are replaced. `current` is not modified.
 */
export function applyConfigPatch(current: BotConfig, patch: unknown, opts: ConfigOptions = {}): ConfigResult {
  if (!isPlainObject(patch))
    return { ok: false, errors: [{ path: '', message: 'a configuration patch must be a JSON object' }] };
  return parseBotConfig(mergeConfig(current, patch), opts);
}

function resolveFloor(opts: ConfigOptions): number {
  if (opts.minDelaySeconds === undefined) return minDelaySeconds();
  if (!Number.isFinite(opts.minDelaySeconds) || opts.minDelaySeconds < 0) {
    throw new Error(`minDelaySeconds must be a number ≥ 0, got ${opts.minDelaySeconds}`);
  }
  return opts.minDelaySeconds;
}

function validate(candidate: unknown, floorSeconds: number): ConfigResult {
  const result = schemaFor(floorSeconds).safeParse(candidate, { reportInput: true });
  if (result.success) return { ok: true, config: result.data as BotConfig };
  const floor = floorErrors(candidate, floorSeconds).map((e) => ({
    code: 'custom' as const,
    path: e.path,
    message: e.message,
    input: undefined,
  }));
  return { ok: false, errors: formatIssues([...result.error.issues, ...floor]) };
}

const EXPECTED: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** zod issues → `{ path: "a.b.0.c", message }`, one per problem, without zod's jargon. */
function formatIssues(issues: readonly z.core.$ZodIssue[]): ConfigError[] {
  const out: ConfigError[] = [];
  const seen = new Set<string>();
  const push = (path: PropertyKey[], message: string) => {
    const entry = { path: path.map(String).join('.'), message };
    const key = `${entry.path}\u0000${entry.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(entry);
    }
  };
  for (const issue of issues) {
    const input = (issue as { input?: unknown }).input;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) push([...issue.path, key], `unknown field "${key}"`);
    } else if (issue.code === 'invalid_type' && input === undefined) {
      push(issue.path, 'is required');
    } else if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
      push(issue.path, `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describe(input)}`);
    } else {
      push(issue.path, issue.message.replace(/^Invalid input: /, ''));
    }
  }
  return out;
}
