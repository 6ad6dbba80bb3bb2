/**
 * Query modules prepared once per SQLite connection. `perConnection(make)` builds a module
 * the first time a connection asks for it and hands back the same one after, so a caller
 * that holds only the connection (a route, the console reader thread) never prepares per
 * request. Connections are held weakly: a dropped connection frees its statements.
 * `StatementsByShape` does the same for SQL whose filters vary: one statement per shape.
 * A module's interface returns `MaybePromise` (src/store/port.ts), the shape a network store
 * implements; the SQLite class the factory returns answers synchronously.
 */
import type { Statement } from 'better-sqlite3';
import type { DB } from './db.ts';

/** A factory of `make(db)` that returns one instance per connection. */
export function perConnection<T>(make: (db: DB) => T): (db: DB) => T {
  const instances = new WeakMap<DB, T>();
  return (db) => {
    let instance = instances.get(db);
    if (instance === undefined) {
      instance = make(db);
      instances.set(db, instance);
    }
    return instance;
  };
}

/**
 * Statements keyed by their SQL text, for queries assembled from optional filters (the
 * values are always parameters, so the texts are a small closed set: one per combination of
 * filters). Bounded, should a caller ever vary the text with its input.
 */
export class StatementsByShape<P extends unknown[], R> {
  private readonly statements = new Map<string, Statement<P, R>>();

  /** `pluck`: each row is its first column's value. */
  constructor(
    private readonly db: DB,
    private readonly options: { pluck?: boolean; limit?: number } = {},
  ) {}

  get(sql: string): Statement<P, R> {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= (this.options.limit ?? 256))
        this.statements.delete(this.statements.keys().next().value!);
      statement = this.db.prepare<P, R>(sql) as Statement<P, R>;
      if (this.options.pluck) statement.pluck();
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** How many shapes are prepared (for tests). */
  get size(): number {
    return this.statements.size;
  }
}
