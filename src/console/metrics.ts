/**
 * Follow-up metrics, read from the durable rows (nothing is counted in memory, so numbers
 * survive restarts and agree with the Response Info panel). The range [from, to] includes
 * both ends. Armed: follow-up rows created; sent: by `sent_at`; skipped / cancelled: by
 * reason, by when they ended. Reply rate per scenario step: of the follow-ups sent, the
 * share followed by a contact message before the next follow-up to that contact (or now).
 * `prometheusText` renders the all-time numbers of the bots in scope in the Prometheus
 * text exposition format (0.0.4).
 */
import { TIMER_KIND } from '../../machines/vocabulary.ts';
import type { DB } from '../store/db.ts';

const FOREVER = 8_640_000_000_000_000;

export interface ReplyRate {
  scenario: string;
  step: number;
  sent: number;
  replied: number;
  /** replied / sent, or null when nothing was sent. */
  rate: number | null;
}

function grouped(db: DB, sql: string, ...params: unknown[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of db.prepare(sql).all(...params) as { k: string | null; n: number }[])
    out[row.k ?? 'unknown'] = row.n;
  return out;
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

interface SentGroup {
  kind: string;
  scenario: string;
  step: number;
  channel: string | null;
  sent: number;
  replied: number;
}

/**
 * The sent follow-ups of a range, counted once by kind, scenario, step and channel: an
 * index-only pass over followups_bot_sent (migration 8 made it covering), which the
 * sent counts and the reply rates are then summed from. A reply is a contact message
 * after the follow-up's message and before the conversation's next follow-up message;
 * the runtime records it as it happens (followups.replied_at, migration 5), so nothing
 * here reads the conversations (that grew with all history: the slowest read of the soak).
 */
function sentGroups(db: DB, botId: string, from: number, to: number): SentGroup[] {
  return db
    .prepare(
      `SELECT kind, scenario, step, channel, COUNT(*) AS sent, COUNT(replied_at) AS replied
       FROM followups INDEXED BY followups_bot_sent
       WHERE bot_id = ? AND status = 'sent' AND sent_at >= ? AND sent_at <= ?
       GROUP BY kind, scenario, step, channel`,
    )
    .all(botId, from, to) as SentGroup[];
}

function replyRatesOf(groups: SentGroup[]): ReplyRate[] {
  const byStep = new Map<string, { scenario: string; step: number; sent: number; replied: number }>();
  for (const g of groups) {
    const key = `${g.scenario}\u0000${g.step}`;
    const entry = byStep.get(key) ?? { scenario: g.scenario, step: g.step, sent: 0, replied: 0 };
    entry.sent += g.sent;
    entry.replied += g.replied;
    byStep.set(key, entry);
  }
  return [...byStep.values()]
    .sort((a, b) => (a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : a.step - b.step))
    .map((r) => ({ ...r, rate: r.sent ? Math.round((r.replied / r.sent) * 10_000) / 10_000 : null }));
}

export function replyRates(db: DB, botId: string, from: number, to: number): ReplyRate[] {
  return replyRatesOf(sentGroups(db, botId, from, to));
}

function tallySent(groups: SentGroup[], pick: (g: SentGroup) => string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const g of groups) {
    if (g.kind !== TIMER_KIND.followUp) continue;
    const key = pick(g) ?? 'unknown';
    out[key] = (out[key] ?? 0) + g.sent;
  }
  return out;
}

/** Follow-ups armed in a range, by scenario: an index-only range scan of followups_bot_created (migration 7). */
export const ARMED_BY_SCENARIO_SQL = `SELECT scenario AS k, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND created_at >= ? AND created_at <= ? GROUP BY scenario`;

export function botMetrics(db: DB, botId: string, from: number, to: number) {
  const armedByScenario = grouped(db, ARMED_BY_SCENARIO_SQL, botId, from, to);
  const sent = sentGroups(db, botId, from, to);
  const sentByChannel = tallySent(sent, (g) => g.channel);
  const sentByScenario = tallySent(sent, (g) => g.scenario);
  const skipped = grouped(
    db,
    `SELECT reason AS k, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = 'skipped' AND updated_at >= ? AND updated_at <= ? GROUP BY reason`,
    botId,
    from,
    to,
  );
  const cancelled = grouped(
    db,
    `SELECT reason AS k, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = 'cancelled' AND updated_at >= ? AND updated_at <= ? GROUP BY reason`,
    botId,
    from,
    to,
  );
  const pending = (
    db
      .prepare(`SELECT COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = 'pending'`)
      .get(botId) as { n: number }
  ).n;
  return {
    botId,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    armed: { total: sum(armedByScenario), byScenario: armedByScenario },
    sent: { total: sum(sentByChannel), byChannel: sentByChannel, byScenario: sentByScenario },
    skipped: { total: sum(skipped), byReason: skipped },
    cancelled: { total: sum(cancelled), byReason: cancelled },
    pendingNow: pending,
    replyRate: replyRatesOf(sent),
  };
}

// ---------------------------------------------------------------- Prometheus

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

class Exposition {
  private readonly lines: string[] = [];
  private readonly declared = new Set<string>();

  metric(name: string, type: 'counter' | 'gauge', help: string): void {
    if (this.declared.has(name)) return;
    this.declared.add(name);
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }

  sample(name: string, labels: Record<string, string | number>, value: number): void {
    const text = Object.entries(labels)
      .map(([k, v]) => `${k}="${escapeLabel(String(v))}"`)
      .join(',');
    this.lines.push(`${name}${text ? `{${text}}` : ''} ${Number.isFinite(value) ? value : 0}`);
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

type Row = Record<string, string | number | null>;

/** All-time counters and current gauges for the given bots, in the text exposition format. */
export function prometheusText(db: DB, bots: { id: string; name: string; active: boolean }[]): string {
  const out = new Exposition();
  const all = (sql: string, botId: string) => db.prepare(sql).all(botId) as Row[];
  const metrics: {
    name: string;
    type: 'counter' | 'gauge';
    help: string;
    rows: (botId: string) => { labels: Record<string, string | number>; value: number }[];
  }[] = [
    {
      name: 'nudge_bot_info',
      type: 'gauge',
      help: 'One series per bot with its name; value 1.',
      rows: (botId) => [{ labels: { name: bots.find((b) => b.id === botId)!.name }, value: 1 }],
    },
    {
      name: 'nudge_bot_active',
      type: 'gauge',
      help: 'Whether the bot is active (1) or inactive (0): an inactive bot sends no follow-up.',
      rows: (botId) => [{ labels: {}, value: bots.find((b) => b.id === botId)!.active ? 1 : 0 }],
    },
    {
      name: 'nudge_followups_armed_total',
      type: 'counter',
      help: 'Follow-ups armed (scheduled), by scenario.',
      rows: (botId) =>
        all(
          `SELECT scenario, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' GROUP BY scenario ORDER BY scenario`,
          botId,
        ).map((r) => ({
          labels: { scenario: String(r.scenario) },
          value: Number(r.n),
        })),
    },
    {
      name: 'nudge_followups_sent_total',
      type: 'counter',
      help: 'Follow-ups sent, by scenario, step and channel.',
      rows: (botId) =>
        all(
          `SELECT scenario, step, COALESCE(channel, 'unknown') AS channel, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = 'sent'
           GROUP BY scenario, step, channel ORDER BY scenario, step, channel`,
          botId,
        ).map((r) => ({
          labels: { scenario: String(r.scenario), step: Number(r.step), channel: String(r.channel) },
          value: Number(r.n),
        })),
    },
    {
      name: 'nudge_followups_skipped_total',
      type: 'counter',
      help: 'Follow-ups that fell due but were not sent, by reason.',
      rows: (botId) =>
        all(
          `SELECT COALESCE(reason, 'unknown') AS reason, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = 'skipped' GROUP BY reason ORDER BY reason`,
          botId,
        ).map((r) => ({ labels: { reason: String(r.reason) }, value: Number(r.n) })),
    },
    {
      name: 'nudge_followups_cancelled_total',
      type: 'counter',
      help: 'Follow-ups cancelled before they fell due, by reason.',
      rows: (botId) =>
        all(
          `SELECT COALESCE(reason, 'unknown') AS reason, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = 'cancelled' GROUP BY reason ORDER BY reason`,
          botId,
        ).map((r) => ({ labels: { reason: String(r.reason) }, value: Number(r.n) })),
    },
    {
      name: 'nudge_followup_replies_total',
      type: 'counter',
      help: 'Sent follow-ups the contact answered before the next follow-up, by scenario and step (divide by nudge_followups_sent_total for the reply rate).',
      rows: (botId) =>
        replyRates(db, botId, 0, FOREVER).map((r) => ({
          labels: { scenario: r.scenario, step: r.step },
          value: r.replied,
        })),
    },
    {
      name: 'nudge_followups_pending',
      type: 'gauge',
      help: 'Follow-ups armed and waiting to fall due.',
      rows: (botId) => [
        {
          labels: {},
          value: Number(
            all(
              `SELECT COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = 'pending'`,
              botId,
            )[0].n,
          ),
        },
      ],
    },
    {
      name: 'nudge_contacts',
      type: 'gauge',
      help: 'Contacts by current state.',
      rows: (botId) =>
        all(`SELECT state, COUNT(*) AS n FROM contacts WHERE bot_id = ? GROUP BY state ORDER BY state`, botId).map(
          (r) => ({ labels: { state: String(r.state) }, value: Number(r.n) }),
        ),
    },
    {
      name: 'nudge_contacts_needing_review',
      type: 'gauge',
      help: 'Contacts with a message held for an operator: no follow-up goes to them until one decides.',
      rows: (botId) => [
        {
          labels: {},
          value: Number(
            all(`SELECT COUNT(*) AS n FROM contacts WHERE bot_id = ? AND review_at IS NOT NULL`, botId)[0].n,
          ),
        },
      ],
    },
    {
      name: 'nudge_outbox_messages',
      type: 'gauge',
      help: 'Outbox rows by channel and delivery status.',
      rows: (botId) =>
        all(
          `SELECT channel, status, COUNT(*) AS n FROM outbox WHERE bot_id = ? GROUP BY channel, status ORDER BY channel, status`,
          botId,
        ).map((r) => ({
          labels: { channel: String(r.channel), status: String(r.status) },
          value: Number(r.n),
        })),
    },
  ];
  for (const metric of metrics) {
    out.metric(metric.name, metric.type, metric.help);
    for (const bot of bots) {
      for (const row of metric.rows(bot.id)) out.sample(metric.name, { bot: bot.id, ...row.labels }, row.value);
    }
  }
  return out.toString();
}
