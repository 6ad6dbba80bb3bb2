/**
 * Follow-up metrics from the durable rows (src/store/followUpMetrics.ts), so numbers survive
 * restarts and agree with the Response Info panel. The range [from, to] includes both ends;
 * armed: follow-ups created; sent: by `sent_at`; skipped / cancelled: by reason, by the time
 * they ended; reply rate per scenario step: of the follow-ups sent, the share followed by a
 * contact message before the next follow-up to that contact (or until now).
 * `prometheusText` renders the all-time numbers of the bots in scope in the Prometheus text
 * exposition format (0.0.4).
 */
import { TIMER_KIND } from '../../machines/vocabulary.ts';
import type { DB } from '../store/db.ts';
import { metricsQueries, type KeyedCount, type SentGroup } from '../store/followUpMetrics.ts';

const FOREVER = 8_640_000_000_000_000;

export interface ReplyRate {
  scenario: string;
  step: number;
  sent: number;
  replied: number;
  /** replied / sent, or null when nothing was sent. */
  rate: number | null;
}

function grouped(rows: KeyedCount[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) out[row.k ?? 'unknown'] = row.n;
  return out;
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/**
 * The sent follow-ups of a range, counted once by kind, scenario, step and channel (one
 * index-only pass, src/store/followUpMetrics.ts); the sent counts and the reply rates are
 * summed from them. A reply is a contact message after the follow-up's message and before
 * the conversation's next follow-up message, recorded by the runtime as it happens.
 */
function sentGroups(db: DB, botId: string, from: number, to: number): SentGroup[] {
  return metricsQueries(db).sentGroups(botId, from, to);
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

export { ARMED_BY_SCENARIO_SQL } from '../store/followUpMetrics.ts';

export function botMetrics(db: DB, botId: string, from: number, to: number) {
  const queries = metricsQueries(db);
  const armedByScenario = grouped(queries.armedByScenario(botId, from, to));
  const sent = sentGroups(db, botId, from, to);
  const sentByChannel = tallySent(sent, (g) => g.channel);
  const sentByScenario = tallySent(sent, (g) => g.scenario);
  const skipped = grouped(queries.endedByReason(botId, 'skipped', from, to));
  const cancelled = grouped(queries.endedByReason(botId, 'cancelled', from, to));
  const pending = queries.pendingCount(botId);
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

/** All-time counters and current gauges for the given bots, in the text exposition format. */
export function prometheusText(db: DB, bots: { id: string; name: string; active: boolean }[]): string {
  const out = new Exposition();
  const queries = metricsQueries(db);
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
      rows: (botId) => queries.armedAllTime(botId).map((r) => ({ labels: { scenario: r.scenario }, value: r.n })),
    },
    {
      name: 'nudge_followups_sent_total',
      type: 'counter',
      help: 'Follow-ups sent, by scenario, step and channel.',
      rows: (botId) =>
        queries.sentAllTime(botId).map((r) => ({
          labels: { scenario: r.scenario, step: r.step, channel: r.channel },
          value: r.n,
        })),
    },
    {
      name: 'nudge_followups_skipped_total',
      type: 'counter',
      help: 'Follow-ups that fell due but were not sent, by reason.',
      rows: (botId) =>
        queries.endedAllTime(botId, 'skipped').map((r) => ({ labels: { reason: r.reason }, value: r.n })),
    },
    {
      name: 'nudge_followups_cancelled_total',
      type: 'counter',
      help: 'Follow-ups cancelled before they fell due, by reason.',
      rows: (botId) =>
        queries.endedAllTime(botId, 'cancelled').map((r) => ({ labels: { reason: r.reason }, value: r.n })),
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
          value: queries.pendingCount(botId),
        },
      ],
    },
    {
      name: 'nudge_contacts',
      type: 'gauge',
      help: 'Contacts by current state.',
      rows: (botId) => queries.contactsByState(botId).map((r) => ({ labels: { state: r.state }, value: r.n })),
    },
    {
      name: 'nudge_contacts_needing_review',
      type: 'gauge',
      help: 'Contacts with a message held for an operator: no follow-up goes to them until one decides.',
      rows: (botId) => [
        {
          labels: {},
          value: queries.needingReviewCount(botId),
        },
      ],
    },
    {
      name: 'nudge_outbox_messages',
      type: 'gauge',
      help: 'Outbox rows by channel and delivery status.',
      rows: (botId) =>
        queries.outboxByChannelStatus(botId).map((r) => ({
          labels: { channel: r.channel, status: r.status },
          value: r.n,
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
