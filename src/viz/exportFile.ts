/**
 * The bug-report file: one contact's complete history as JSON (contact, bot policy and
 * configuration, the transition log with every event as applied, the stored snapshot,
 * the replayed snapshot after each entry, follow-ups and messages). Importing it replays
 * the log again and shows the same timeline, without storing anything.
 */
import { z } from 'zod';
import { parseBotConfig } from '../config/botConfig.ts';
import type { FollowUpRow } from '../store/store.ts';
import { DOUBT_MODES, TIMER_KINDS } from '../../machines/contact.ts';
import type { ContactHistory } from './reader.ts';
import type { ReplayResult } from './replay.ts';

export const EXPORT_FORMAT = 'nudge.contact-history';
export const EXPORT_VERSION = 1;
/** Large enough for contacts with tens of thousands of events. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  redacted: boolean;
  contact: ContactHistory['contact'];
  bot: ContactHistory['bot'];
  log: ContactHistory['log'];
  storedSnapshot: unknown | null;
  /** The replay's snapshot after each log entry (informational; import recomputes it). */
  snapshots: Array<{ seq: number; value: unknown; context: Record<string, unknown> }>;
  followUps: FollowUpRow[];
  messages: ContactHistory['messages'];
}

export function buildExport(
  history: ContactHistory,
  replay: ReplayResult,
  options: { now: number; redact?: boolean },
): ExportFile {
  const redact = options.redact === true;
  const hide = (value: string | null) => (value === null ? null : redact ? '[redacted]' : value);
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(options.now).toISOString(),
    redacted: redact,
    contact: {
      ...history.contact,
      name: hide(history.contact.name),
      phone: hide(history.contact.phone),
      email: hide(history.contact.email),
    },
    bot: history.bot,
    log: history.log.map(({ seq, at, event, from, to, effects }) => ({ seq, at, event, from, to, effects })),
    storedSnapshot: history.storedSnapshot,
    snapshots: replay.steps.map((s) => ({ seq: s.seq, value: s.snapshot.value, context: s.snapshot.context })),
    followUps: history.followUps,
    messages: history.messages.map((m) => (redact ? { ...m, text: `[redacted: ${m.text.length} characters]` } : m)),
  };
}

// ------------------------------------------------------------------ import

const ms = z.number().int().min(0);
const scenarioPolicy = z.object({ enabled: z.boolean(), delaysMs: z.array(z.number().min(0)).max(20) });
const policySchema = z.object({
  active: z.boolean(),
  capPer24h: z.number().min(0),
  botReplyTimeoutMs: z.number().min(0),
  uncertainThreshold: z.number().min(0).max(1).optional(),
  onDoubt: z.enum(DOUBT_MODES).optional(),
  scenarios: z.object({ stoppedReplying: scenarioPolicy, busy: scenarioPolicy, requestedTime: scenarioPolicy }),
});
const nullableString = z.string().nullable();

const followUpSchema = z.object({
  id: z.string().min(1),
  contact_id: z.string(),
  bot_id: z.string(),
  kind: z.enum(TIMER_KINDS),
  scenario: z.string(),
  step: z.number().int(),
  epoch: z.number().int(),
  raw_due_at: ms,
  due_at: ms,
  defer_reason: nullableString,
  channel: nullableString,
  channel_reason: nullableString,
  message_mode: nullableString,
  status: z.enum(['pending', 'sent', 'cancelled', 'skipped', 'fired']),
  reason: nullableString,
  actor: nullableString,
  trigger_message_id: nullableString,
  created_at: ms,
  updated_at: ms,
  sent_at: ms.nullable(),
});

export const exportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT, {
    error: `format must be "${EXPORT_FORMAT}" (a file from GET /api/contacts/:id/export)`,
  }),
  version: z.literal(EXPORT_VERSION, { error: `version must be ${EXPORT_VERSION}` }),
  exportedAt: z.string().optional(),
  redacted: z.boolean().optional(),
  contact: z.object({
    id: z.string().min(1).max(200),
    botId: z.string().min(1),
    name: nullableString,
    phone: nullableString,
    email: nullableString,
    timezone: nullableString,
    state: z.string(),
    epoch: z.number().int(),
    lastChannel: z.string(),
    createdAt: ms,
    updatedAt: ms,
  }),
  bot: z.object({ id: z.string(), name: z.string(), config: z.unknown().nullable(), policy: policySchema }),
  log: z
    .array(
      z.object({
        seq: z.number().int().min(1),
        at: ms,
        // Events and effects are checked by the replay itself, entry by entry, so one bad
        // entry is reported in place instead of refusing the whole file.
        event: z.unknown(),
        from: z.string(),
        to: z.string(),
        effects: z.unknown(),
      }),
    )
    .max(200_000),
  storedSnapshot: z.unknown().nullable(),
  snapshots: z.array(z.unknown()).optional(),
  followUps: z.array(followUpSchema).max(200_000),
  messages: z
    .array(
      z.object({
        id: z.string(),
        seq: z.number().int(),
        sender: z.string(),
        channel: z.string(),
        text: z.string(),
        at: ms,
        classification: z.unknown().nullable(),
        followUpId: nullableString,
      }),
    )
    .max(200_000),
});

export type ImportProblem = { path: string; message: string };

/** A validated export file as a ContactHistory, or the problems found. */
export function historyFromExport(
  input: unknown,
): { ok: true; history: ContactHistory } | { ok: false; errors: ImportProblem[] } {
  const parsed = exportFileSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(file)', message: i.message })),
    };
  }
  const file = parsed.data;
  const seqs = file.log.map((e) => e.seq);
  for (let i = 1; i < seqs.length; i++) {
    if (seqs[i] <= seqs[i - 1])
      return { ok: false, errors: [{ path: `log.${i}.seq`, message: 'log entries must be in increasing seq order' }] };
  }
  let config = null;
  if (file.bot.config !== null && file.bot.config !== undefined) {
    // The file records what was configured then; today's delay floor does not apply.
    const result = parseBotConfig(file.bot.config, { minDelaySeconds: 0 });
    if (!result.ok)
      return { ok: false, errors: result.errors.map((e) => ({ path: `bot.config.${e.path}`, message: e.message })) };
    config = result.config;
  }
  return {
    ok: true,
    history: {
      contact: file.contact,
      bot: { id: file.bot.id, name: file.bot.name, config, policy: file.bot.policy },
      log: file.log.map((e) => ({ seq: e.seq, at: e.at, event: e.event, from: e.from, to: e.to, effects: e.effects })),
      storedSnapshot: file.storedSnapshot ?? null,
      followUps: file.followUps,
      messages: file.messages,
    },
  };
}
