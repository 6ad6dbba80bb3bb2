/**
 * The aggregate reads behind the console's metrics and the Prometheus exposition
 * (src/console/metrics.ts): counts over `followups`, `contacts` and `outbox` for one bot,
 * in a time range or all time. Implements `MetricsQueries`. Read-only; each range read is
 * an index range scan (followups_bot_created, followups_bot_sent). Prepared once per connection.
 */
import type { DB } from './db.ts';
import type { MaybePromise } from './port.ts';
import { perConnection } from './perConnection.ts';

/** A count under one key (a scenario, a reason); `k` is null where the column was. */
export interface KeyedCount {
  k: string | null;
  n: number;
}

/** Sent follow-ups of one kind, scenario, step and channel, and how many got a reply. */
export interface SentGroup {
  kind: string;
  scenario: string;
  step: number;
  channel: string | null;
  sent: number;
  replied: number;
}

/** Follow-ups armed in a range, by scenario: an index-only range scan of followups_bot_created (migration 7). */
export const ARMED_BY_SCENARIO_SQL = `SELECT scenario AS k, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND created_at >= ? AND created_at <= ? GROUP BY scenario`;

/** Counts of one bot's follow-ups, contacts and outbox rows. */
export interface MetricsQueries {
  /** Follow-ups (kind 'followup') armed in [from, to], by scenario. */
  armedByScenario(botId: string, from: number, to: number): MaybePromise<KeyedCount[]>;
  /** Follow-ups of any kind sent in [from, to] (by `sent_at`), grouped, with their replies. */
  sentGroups(botId: string, from: number, to: number): MaybePromise<SentGroup[]>;
  /** Follow-ups that ended `status` in [from, to] (by `updated_at`), by reason. */
  endedByReason(botId: string, status: 'skipped' | 'cancelled', from: number, to: number): MaybePromise<KeyedCount[]>;
  /** Follow-ups waiting to fall due. */
  pendingCount(botId: string): MaybePromise<number>;
  /** All time: follow-ups armed, by scenario. */
  armedAllTime(botId: string): MaybePromise<{ scenario: string; n: number }[]>;
  /** All time: follow-ups sent, by scenario, step and channel ('unknown' when none). */
  sentAllTime(botId: string): MaybePromise<{ scenario: string; step: number; channel: string; n: number }[]>;
  /** All time: follow-ups that ended `status`, by reason ('unknown' when none). */
  endedAllTime(botId: string, status: 'skipped' | 'cancelled'): MaybePromise<{ reason: string; n: number }[]>;
  /** Contacts by current state. */
  contactsByState(botId: string): MaybePromise<{ state: string; n: number }[]>;
  /** Contacts with a message held for review. */
  needingReviewCount(botId: string): MaybePromise<number>;
  /** Outbox rows by channel and delivery status. */
  outboxByChannelStatus(botId: string): MaybePromise<{ channel: string; status: string; n: number }[]>;
}

export class SqliteMetricsQueries implements MetricsQueries {
  private readonly s;

  constructor(db: DB) {
    const endedByReason = (status: 'skipped' | 'cancelled') =>
      db.prepare<[string, number, number], KeyedCount>(
        `SELECT reason AS k, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = '${status}' AND updated_at >= ? AND updated_at <= ? GROUP BY reason`,
      );
    const endedAllTime = (status: 'skipped' | 'cancelled') =>
      db.prepare<[string], { reason: string; n: number }>(
        `SELECT COALESCE(reason, 'unknown') AS reason, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = '${status}' GROUP BY reason ORDER BY reason`,
      );
    this.s = {
      armedByScenario: db.prepare<[string, number, number], KeyedCount>(ARMED_BY_SCENARIO_SQL),
      // An index-only pass over followups_bot_sent (migration 8 made it covering); replies
      // are recorded as they happen (followups.replied_at), so no conversation is read.
      sentGroups: db.prepare<[string, number, number], SentGroup>(
        `SELECT kind, scenario, step, channel, COUNT(*) AS sent, COUNT(replied_at) AS replied
         FROM followups INDEXED BY followups_bot_sent
         WHERE bot_id = ? AND status = 'sent' AND sent_at >= ? AND sent_at <= ?
         GROUP BY kind, scenario, step, channel`,
      ),
      endedByReason: { skipped: endedByReason('skipped'), cancelled: endedByReason('cancelled') },
      pendingCount: db
        .prepare<[string], number>(
          `SELECT COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = 'pending'`,
        )
        .pluck(),
      armedAllTime: db.prepare<[string], { scenario: string; n: number }>(
        `SELECT scenario, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' GROUP BY scenario ORDER BY scenario`,
      ),
      sentAllTime: db.prepare<[string], { scenario: string; step: number; channel: string; n: number }>(
        `SELECT scenario, step, COALESCE(channel, 'unknown') AS channel, COUNT(*) AS n FROM followups WHERE bot_id = ? AND kind = 'followup' AND status = 'sent'
         GROUP BY scenario, step, channel ORDER BY scenario, step, channel`,
      ),
      endedAllTime: { skipped: endedAllTime('skipped'), cancelled: endedAllTime('cancelled') },
      contactsByState: db.prepare<[string], { state: string; n: number }>(
        `SELECT state, COUNT(*) AS n FROM contacts WHERE bot_id = ? GROUP BY state ORDER BY state`,
      ),
      needingReviewCount: db
        .prepare<[string], number>(`SELECT COUNT(*) AS n FROM contacts WHERE bot_id = ? AND review_at IS NOT NULL`)
        .pluck(),
      outboxByChannelStatus: db.prepare<[string], { channel: string; status: string; n: number }>(
        `SELECT channel, status, COUNT(*) AS n FROM outbox WHERE bot_id = ? GROUP BY channel, status ORDER BY channel, status`,
      ),
    };
  }

  armedByScenario(botId: string, from: number, to: number): KeyedCount[] {
    return this.s.armedByScenario.all(botId, from, to);
  }
  sentGroups(botId: string, from: number, to: number): SentGroup[] {
    return this.s.sentGroups.all(botId, from, to);
  }
  endedByReason(botId: string, status: 'skipped' | 'cancelled', from: number, to: number): KeyedCount[] {
    return this.s.endedByReason[status].all(botId, from, to);
  }
  pendingCount(botId: string): number {
    return this.s.pendingCount.get(botId)!;
  }
  armedAllTime(botId: string): { scenario: string; n: number }[] {
    return this.s.armedAllTime.all(botId);
  }
  sentAllTime(botId: string): { scenario: string; step: number; channel: string; n: number }[] {
    return this.s.sentAllTime.all(botId);
  }
  endedAllTime(botId: string, status: 'skipped' | 'cancelled'): { reason: string; n: number }[] {
    return this.s.endedAllTime[status].all(botId);
  }
  contactsByState(botId: string): { state: string; n: number }[] {
    return this.s.contactsByState.all(botId);
  }
  needingReviewCount(botId: string): number {
    return this.s.needingReviewCount.get(botId)!;
  }
  outboxByChannelStatus(botId: string): { channel: string; status: string; n: number }[] {
    return this.s.outboxByChannelStatus.all(botId);
  }
}

/** The connection's metrics queries, prepared once. */
export const metricsQueries = perConnection((db) => new SqliteMetricsQueries(db));
