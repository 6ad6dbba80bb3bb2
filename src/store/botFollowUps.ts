/**
 * One bot's follow-ups across its contacts (the Store reads them per contact): the pending
 * ones due by an instant, for the console's forecast, and the cancellation of a scenario's
 * pending follow-ups when the bot's configuration switches the scenario off. Implements
 * `BotFollowUpRecords`. Prepared once per connection.
 */
import type { DB } from './db.ts';
import type { FollowUpRow, MaybePromise } from './port.ts';
import { perConnection } from './perConnection.ts';

/** Follow-ups by bot. */
export interface BotFollowUpRecords {
  /** The bot's pending follow-ups (kind 'followup') due at or before `until`, soonest first, at most `limit`. */
  pendingDueBy(botId: string, until: number, limit: number): MaybePromise<FollowUpRow[]>;
  /** Cancels the bot's pending timers of a scenario (reason `scenario_disabled`); returns how many. */
  cancelPendingOfScenario(botId: string, scenario: string, at: number): MaybePromise<number>;
}

export class SqliteBotFollowUpRecords implements BotFollowUpRecords {
  private readonly s;

  constructor(db: DB) {
    this.s = {
      pendingDueBy: db.prepare<[string, number, number], FollowUpRow>(
        `SELECT * FROM followups WHERE bot_id = ? AND status = 'pending' AND kind = 'followup' AND due_at <= ?
         ORDER BY due_at, id LIMIT ?`,
      ),
      cancelPendingOfScenario: db.prepare<[number, string, string]>(
        `UPDATE followups SET status = 'cancelled', reason = 'scenario_disabled', updated_at = ?
         WHERE bot_id = ? AND scenario = ? AND status = 'pending'`,
      ),
    };
  }

  pendingDueBy(botId: string, until: number, limit: number): FollowUpRow[] {
    return this.s.pendingDueBy.all(botId, until, limit);
  }
  cancelPendingOfScenario(botId: string, scenario: string, at: number): number {
    return this.s.cancelPendingOfScenario.run(at, botId, scenario).changes;
  }
}

/** The connection's follow-ups by bot, prepared once. */
export const botFollowUpRecords = perConnection((db) => new SqliteBotFollowUpRecords(db));
