/**
 * Operator accounts: who may use the console and the API, and which bots each may see.
 * A token is shown once when created (or rotated) and only its sha256 is stored, so a
 * database leak does not leak working tokens. `operatorTokenVerifier` plugs into the
 * API's list of TokenVerifiers; grants are read on every request, so revoking a bot or
 * deleting an operator takes effect immediately. The rows live in src/store/operators.ts.
 */
import type { DB } from '../store/db.ts';
import { operatorRecords, type OperatorRow, type SqliteOperatorRecords } from '../store/operators.ts';
import { hashSecret, type Principal, type TokenVerifier } from '../http/auth.ts';
import { newId, newSecret } from '../ids.ts';
import { operatorChanges } from './operatorChanges.ts';

export type { OperatorRow } from '../store/operators.ts';

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
  private readonly records: SqliteOperatorRecords;

  constructor(private readonly db: DB) {
    this.records = operatorRecords(db);
  }

  create(
    input: { name: string; admin: boolean; botIds: string[] },
    now: number,
  ): { operator: OperatorView; token: string } {
    const id = newId('op');
    const token = newSecret(OPERATOR_TOKEN_PREFIX, 32);
    const row = { id, name: input.name, token_hash: hashSecret(token), admin: input.admin ? 1 : 0 };
    this.records.create({ ...row, created_at: now, updated_at: now }, input.botIds);
    return { operator: this.view(id)!, token };
  }

  get(id: string): OperatorRow | undefined {
    return this.records.byId(id);
  }

  list(): OperatorView[] {
    return this.records.all().map((row) => this.toView(row));
  }

  view(id: string): OperatorView | null {
    const row = this.get(id);
    return row ? this.toView(row) : null;
  }

  botIdsOf(operatorId: string): string[] {
    return this.records.botIdsOf(operatorId);
  }

  /** Grants a bot; granting twice is harmless. */
  grant(operatorId: string, botId: string, now: number): void {
    this.records.grant(operatorId, botId, now);
    this.changed(operatorId);
  }

  /** Revokes a bot; true when it was granted. */
  revoke(operatorId: string, botId: string, now: number): boolean {
    const changed = this.records.revoke(operatorId, botId, now);
    if (changed) this.changed(operatorId);
    return changed;
  }

  update(operatorId: string, fields: { name?: string; admin?: boolean }, now: number): void {
    this.records.update(operatorId, fields, now);
    this.changed(operatorId);
  }

  /** A new token; the old one stops working at once. */
  rotateToken(operatorId: string, now: number): string {
    const token = newSecret(OPERATOR_TOKEN_PREFIX, 32);
    this.records.setTokenHash(operatorId, hashSecret(token), now);
    this.changed(operatorId);
    return token;
  }

  delete(operatorId: string): boolean {
    const deleted = this.records.delete(operatorId);
    if (deleted) this.changed(operatorId);
    return deleted;
  }

  /** The principal a token stands for, or null. The lookup is by hash (an index), never by the token. */
  principalFor(token: string): Principal | null {
    if (!token.startsWith(`${OPERATOR_TOKEN_PREFIX}_`)) return null;
    const row = this.records.byTokenHash(hashSecret(token));
    if (!row) return null;
    return { operatorId: row.id, admin: row.admin === 1, botIds: row.admin === 1 ? null : this.botIdsOf(row.id) };
  }

  /** Live connections re-check this operator's token and scope (src/console/consoleSocket.ts). */
  private changed(operatorId: string): void {
    operatorChanges(this.db).emit('changed', operatorId);
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
