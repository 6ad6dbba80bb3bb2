/**
 * Operator accounts: who may use the console and the API, and which bots each may see.
 * A token is shown once when created (or rotated) and only its sha256 is stored, so a
 * database leak does not leak working tokens. `operatorTokenVerifier` plugs into the
 * API's list of TokenVerifiers; grants are read on every request, so revoking a bot or
 * deleting an operator takes effect immediately.
 */
import type { DB } from '../store/db.ts';
import { hashSecret, type Principal, type TokenVerifier } from '../http/auth.ts';
import { newId, newSecret } from '../ids.ts';
import { operatorChanges } from './operatorChanges.ts';

export interface OperatorRow {
  id: string;
  name: string;
  token_hash: string;
  admin: number;
  created_at: number;
  updated_at: number;
}

export interface OperatorView {
  id: string;
  name: string;
  admin: boolean;
  /** null for admins (every bot). */
  botIds: string[] | null;
  createdAt: string;
  updatedAt: string;
}

/** Prefix of operator tokens, so a leaked one is recognisable in logs and secret scanners. */
export const OPERATOR_TOKEN_PREFIX = 'nop';

export class OperatorStore {
  constructor(private readonly db: DB) {}

  create(
    input: { name: string; admin: boolean; botIds: string[] },
    now: number,
  ): { operator: OperatorView; token: string } {
    const id = newId('op');
    const token = newSecret(OPERATOR_TOKEN_PREFIX, 32);
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO operators (id, name, token_hash, admin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(id, input.name, hashSecret(token), input.admin ? 1 : 0, now, now);
      for (const botId of new Set(input.botIds)) this.grantRow(id, botId, now);
    })();
    return { operator: this.view(id)!, token };
  }

  get(id: string): OperatorRow | undefined {
    return this.db.prepare(`SELECT * FROM operators WHERE id = ?`).get(id) as OperatorRow | undefined;
  }

  list(): OperatorView[] {
    const rows = this.db.prepare(`SELECT * FROM operators ORDER BY created_at, id`).all() as OperatorRow[];
    return rows.map((row) => this.toView(row));
  }

  view(id: string): OperatorView | null {
    const row = this.get(id);
    return row ? this.toView(row) : null;
  }

  botIdsOf(operatorId: string): string[] {
    return (
      this.db
        .prepare(`SELECT bot_id FROM operator_bots WHERE operator_id = ? ORDER BY granted_at, bot_id`)
        .all(operatorId) as { bot_id: string }[]
    ).map((r) => r.bot_id);
  }

  /** Grants a bot; granting twice is harmless. */
  grant(operatorId: string, botId: string, now: number): void {
    this.db.transaction(() => {
      this.grantRow(operatorId, botId, now);
      this.touch(operatorId, now);
    })();
    this.changed(operatorId);
  }

  /** Revokes a bot; true when it was granted. */
  revoke(operatorId: string, botId: string, now: number): boolean {
    const changed =
      this.db.prepare(`DELETE FROM operator_bots WHERE operator_id = ? AND bot_id = ?`).run(operatorId, botId)
        .changes === 1;
    if (changed) this.touch(operatorId, now);
    if (changed) this.changed(operatorId);
    return changed;
  }

  update(operatorId: string, fields: { name?: string; admin?: boolean }, now: number): void {
    if (fields.name !== undefined)
      this.db.prepare(`UPDATE operators SET name = ? WHERE id = ?`).run(fields.name, operatorId);
    if (fields.admin !== undefined)
      this.db.prepare(`UPDATE operators SET admin = ? WHERE id = ?`).run(fields.admin ? 1 : 0, operatorId);
    this.touch(operatorId, now);
    this.changed(operatorId);
  }

  /** A new token; the old one stops working at once. */
  rotateToken(operatorId: string, now: number): string {
    const token = newSecret(OPERATOR_TOKEN_PREFIX, 32);
    this.db
      .prepare(`UPDATE operators SET token_hash = ?, updated_at = ? WHERE id = ?`)
      .run(hashSecret(token), now, operatorId);
    this.changed(operatorId);
    return token;
  }

  delete(operatorId: string): boolean {
    const deleted = this.db.transaction(() => {
      this.db.prepare(`DELETE FROM operator_bots WHERE operator_id = ?`).run(operatorId);
      this.db.prepare(`DELETE FROM notification_reads WHERE operator_id = ?`).run(operatorId);
      return this.db.prepare(`DELETE FROM operators WHERE id = ?`).run(operatorId).changes === 1;
    })();
    if (deleted) this.changed(operatorId);
    return deleted;
  }

  /** The principal a token stands for, or null. The lookup is by hash (an index), never by the token. */
  principalFor(token: string): Principal | null {
    if (!token.startsWith(`${OPERATOR_TOKEN_PREFIX}_`)) return null;
    const row = this.db.prepare(`SELECT * FROM operators WHERE token_hash = ?`).get(hashSecret(token)) as
      OperatorRow | undefined;
    if (!row) return null;
    return { operatorId: row.id, admin: row.admin === 1, botIds: row.admin === 1 ? null : this.botIdsOf(row.id) };
  }

  /** Live connections re-check this operator's token and scope (src/console/consoleSocket.ts). */
  private changed(operatorId: string): void {
    operatorChanges(this.db).emit('changed', operatorId);
  }

  private grantRow(operatorId: string, botId: string, now: number): void {
    this.db
      .prepare(`INSERT INTO operator_bots (operator_id, bot_id, granted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`)
      .run(operatorId, botId, now);
  }

  private touch(operatorId: string, now: number): void {
    this.db.prepare(`UPDATE operators SET updated_at = ? WHERE id = ?`).run(now, operatorId);
  }

  private toView(row: OperatorRow): OperatorView {
    return {
      id: row.id,
      name: row.name,
      admin: row.admin === 1,
      botIds: row.admin === 1 ? null : this.botIdsOf(row.id),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }
}

/**
 * Verifies operator tokens against the `operators` table. The equality test is the
 * database's lookup of the token's sha256: comparing hashes of a 256-bit random token
 * leaks nothing useful through timing.
 */
export function operatorTokenVerifier(db: DB): TokenVerifier {
  const store = new OperatorStore(db);
  return { verify: (token) => store.principalFor(token) };
}
