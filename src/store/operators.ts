/**
 * The `operators` and `operator_bots` tables: operator accounts (the sha256 of their token,
 * never the token) and the bots each may see. Implements `OperatorRecords`; each method is
 * one atomic change. Deleting an operator also deletes its grants and its notification read
 * mark. Statements are prepared once per connection (`operatorRecords(db)`).
 */
import type { DB } from './db.ts';
import type { MaybePromise } from './port.ts';
import { perConnection } from './perConnection.ts';

/** One operator account as stored. */
export interface OperatorRow {
  id: string;
  name: string;
  token_hash: string;
  /** 1 for an admin (every bot), 0 otherwise. */
  admin: number;
  created_at: number;
  updated_at: number;
}

/** Operator accounts and their bot grants. */
export interface OperatorRecords {
  /** A new operator with its grants (repeated bot ids are granted once). */
  create(row: OperatorRow, botIds: Iterable<string>): MaybePromise<void>;
  byId(id: string): MaybePromise<OperatorRow | undefined>;
  byTokenHash(tokenHash: string): MaybePromise<OperatorRow | undefined>;
  /** Every operator, oldest first. */
  all(): MaybePromise<OperatorRow[]>;
  /** The bots granted to an operator, in grant order. */
  botIdsOf(operatorId: string): MaybePromise<string[]>;
  /** Grants a bot (granting twice is harmless) and marks the operator updated. */
  grant(operatorId: string, botId: string, at: number): MaybePromise<void>;
  /** Revokes a bot; true (and the operator marked updated) when it was granted. */
  revoke(operatorId: string, botId: string, at: number): MaybePromise<boolean>;
  /** Changes the fields given and marks the operator updated. */
  update(operatorId: string, fields: { name?: string; admin?: boolean }, at: number): MaybePromise<void>;
  setTokenHash(operatorId: string, tokenHash: string, at: number): MaybePromise<void>;
  /** Deletes the operator, its grants and its read mark; true when it existed. */
  delete(operatorId: string): MaybePromise<boolean>;
}

export class SqliteOperatorRecords implements OperatorRecords {
  private readonly s;

  constructor(private readonly db: DB) {
    this.s = {
      insert: db.prepare<[OperatorRow]>(
        `INSERT INTO operators (id, name, token_hash, admin, created_at, updated_at)
         VALUES (@id, @name, @token_hash, @admin, @created_at, @updated_at)`,
      ),
      byId: db.prepare<[string], OperatorRow>(`SELECT * FROM operators WHERE id = ?`),
      byTokenHash: db.prepare<[string], OperatorRow>(`SELECT * FROM operators WHERE token_hash = ?`),
      all: db.prepare<[], OperatorRow>(`SELECT * FROM operators ORDER BY created_at, id`),
      botIdsOf: db
        .prepare<[string], string>(`SELECT bot_id FROM operator_bots WHERE operator_id = ? ORDER BY granted_at, bot_id`)
        .pluck(),
      grant: db.prepare<[string, string, number]>(
        `INSERT INTO operator_bots (operator_id, bot_id, granted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      revoke: db.prepare<[string, string]>(`DELETE FROM operator_bots WHERE operator_id = ? AND bot_id = ?`),
      rename: db.prepare<[string, string]>(`UPDATE operators SET name = ? WHERE id = ?`),
      setAdmin: db.prepare<[number, string]>(`UPDATE operators SET admin = ? WHERE id = ?`),
      setTokenHash: db.prepare<[string, number, string]>(
        `UPDATE operators SET token_hash = ?, updated_at = ? WHERE id = ?`,
      ),
      touch: db.prepare<[number, string]>(`UPDATE operators SET updated_at = ? WHERE id = ?`),
      deleteGrants: db.prepare<[string]>(`DELETE FROM operator_bots WHERE operator_id = ?`),
      deleteReadMark: db.prepare<[string]>(`DELETE FROM notification_reads WHERE operator_id = ?`),
      delete: db.prepare<[string]>(`DELETE FROM operators WHERE id = ?`),
    };
  }

  create(row: OperatorRow, botIds: Iterable<string>): void {
    this.db.transaction(() => {
      this.s.insert.run(row);
      for (const botId of new Set(botIds)) this.s.grant.run(row.id, botId, row.created_at);
    })();
  }

  byId(id: string): OperatorRow | undefined {
    return this.s.byId.get(id);
  }

  byTokenHash(tokenHash: string): OperatorRow | undefined {
    return this.s.byTokenHash.get(tokenHash);
  }

  all(): OperatorRow[] {
    return this.s.all.all();
  }

  botIdsOf(operatorId: string): string[] {
    return this.s.botIdsOf.all(operatorId);
  }

  grant(operatorId: string, botId: string, at: number): void {
    this.db.transaction(() => {
      this.s.grant.run(operatorId, botId, at);
      this.s.touch.run(at, operatorId);
    })();
  }

  revoke(operatorId: string, botId: string, at: number): boolean {
    return this.db.transaction(() => {
      const revoked = this.s.revoke.run(operatorId, botId).changes === 1;
      if (revoked) this.s.touch.run(at, operatorId);
      return revoked;
    })();
  }

  update(operatorId: string, fields: { name?: string; admin?: boolean }, at: number): void {
    this.db.transaction(() => {
      if (fields.name !== undefined) this.s.rename.run(fields.name, operatorId);
      if (fields.admin !== undefined) this.s.setAdmin.run(fields.admin ? 1 : 0, operatorId);
      this.s.touch.run(at, operatorId);
    })();
  }

  setTokenHash(operatorId: string, tokenHash: string, at: number): void {
    this.s.setTokenHash.run(tokenHash, at, operatorId);
  }

  delete(operatorId: string): boolean {
    return this.db.transaction(() => {
      this.s.deleteGrants.run(operatorId);
      this.s.deleteReadMark.run(operatorId);
      return this.s.delete.run(operatorId).changes === 1;
    })();
  }
}

/** The connection's operator records, prepared once. */
export const operatorRecords = perConnection((db) => new SqliteOperatorRecords(db));
