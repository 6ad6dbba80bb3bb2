/**
 * The `bot_secrets` table: one HMAC key per bot and kind, stored as is (a key has to be
 * readable to sign or verify). Implements `BotSecretRecords`. Creating a secret that exists
 * changes nothing; replacing one is a single upsert. Prepared once per connection.
 */
import type { DB } from './db.ts';
import type { MaybePromise } from './port.ts';
import { perConnection } from './perConnection.ts';

/** Bot secrets by bot and kind (`calendar`, `webhook`: src/console/secrets.ts). */
export interface BotSecretRecords {
  /** The secret and when it was created, or undefined. */
  get(botId: string, kind: string): MaybePromise<{ secret: string; created_at: number } | undefined>;
  /** Stores the secret unless the bot has one of that kind already. */
  createIfMissing(botId: string, kind: string, secret: string, at: number): MaybePromise<void>;
  /** Stores the secret in place of any before it. */
  replace(botId: string, kind: string, secret: string, at: number): MaybePromise<void>;
  /** Whether the bot exists (a secret is only ever created for one that does). */
  botExists(botId: string): MaybePromise<boolean>;
}

export class SqliteBotSecretRecords implements BotSecretRecords {
  private readonly s;

  constructor(db: DB) {
    this.s = {
      get: db.prepare<[string, string], { secret: string; created_at: number }>(
        `SELECT secret, created_at FROM bot_secrets WHERE bot_id = ? AND kind = ?`,
      ),
      createIfMissing: db.prepare<[string, string, string, number]>(
        `INSERT INTO bot_secrets (bot_id, kind, secret, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      replace: db.prepare<[string, string, string, number]>(
        `INSERT INTO bot_secrets (bot_id, kind, secret, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(bot_id, kind) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at`,
      ),
      botExists: db.prepare<[string], 1>(`SELECT 1 FROM bots WHERE id = ?`).pluck(),
    };
  }

  get(botId: string, kind: string): { secret: string; created_at: number } | undefined {
    return this.s.get.get(botId, kind);
  }

  createIfMissing(botId: string, kind: string, secret: string, at: number): void {
    this.s.createIfMissing.run(botId, kind, secret, at);
  }

  replace(botId: string, kind: string, secret: string, at: number): void {
    this.s.replace.run(botId, kind, secret, at);
  }

  botExists(botId: string): boolean {
    return this.s.botExists.get(botId) !== undefined;
  }
}

/** The connection's bot secrets, prepared once. */
export const botSecretRecords = perConnection((db) => new SqliteBotSecretRecords(db));
