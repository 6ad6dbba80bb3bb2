/**
 * The PostgreSQL connection pool and Nudge's way of talking through it: named, typed
 * statements (prepared once per connection by the server, then executed by name) and
 * transactions that always end, committed or rolled back, before their client returns.
 */
import pg from 'pg';
import type { PostgresConfig } from './config.ts';

/** Anything a statement can run on: the pool (one statement, autocommit) or a client in a transaction. */
export type Queryable = pg.Pool | pg.PoolClient | pg.Client;

/** A named SQL statement with its parameter and row types. */
export interface Statement<Params extends readonly unknown[], Row> {
  readonly name: string;
  readonly text: string;
  /** Phantom: carries the types only. */
  readonly types?: { params: Params; row: Row };
}

/**
 * Declares a statement. The name is how each connection prepares it once and executes it
 * afterwards without parsing or planning again, so one name must always mean one text.
 */
export function statement<Params extends readonly unknown[], Row = never>(
  name: string,
  text: string,
): Statement<Params, Row> {
  return { name, text };
}

/** Runs a statement and returns its rows. */
export async function run<Params extends readonly unknown[], Row>(
  db: Queryable,
  st: Statement<Params, Row>,
  params: Params,
): Promise<Row[]> {
  const result = await db.query<Row & pg.QueryResultRow>({ name: st.name, text: st.text, values: [...params] });
  return result.rows;
}

/** Runs a statement and returns how many rows it wrote. */
export async function execute<Params extends readonly unknown[]>(
  db: Queryable,
  st: Statement<Params, never>,
  params: Params,
): Promise<number> {
  const result = await db.query({ name: st.name, text: st.text, values: [...params] });
  return result.rowCount ?? 0;
}

const INT8_OID = 20;

/**
 * BIGINT columns (epoch milliseconds, ids, counts) come back as numbers, as SQLite's do:
 * node-postgres returns strings by default because an int8 may exceed 2^53, which no
 * value Nudge stores does; one that would is refused rather than rounded.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} exceeds JavaScript's safe integers`);
  return value;
}

const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8_OID && format !== 'binary') return parseInt8;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/**
 * How long the server lets a session sit idle inside a transaction before ending it. Nudge
 * sends a transaction's statements back to back, so only a frozen or partitioned node idles
 * there, and its open transaction may hold a partition's lease row: this bounds how long it
 * can delay the partition's takeover (src/cluster/leases.ts).
 */
export const IDLE_IN_TRANSACTION_MS = 5_000;

/**
 * A pool on the configured database; `name` shows in pg_stat_activity (the node's id). An
 * idle connection that breaks (server restart, terminated session) is dropped from the pool
 * and reported to `onIdleError`: it is not an error of any caller, and unhandled it would
 * end the process.
 */
export function createPool(
  config: PostgresConfig,
  name = 'nudge',
  onIdleError: (error: Error) => void = () => {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    application_name: name,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    types,
  });
  pool.on('error', onIdleError);
  return pool;
}

/** A single connection outside the pool (a LISTEN connection must stay the same session). */
export function createClient(config: Pick<PostgresConfig, 'url'>, name = 'nudge'): pg.Client {
  return new pg.Client({ connectionString: config.url, application_name: name, types });
}

/**
 * Runs `fn` in one transaction on a client of the pool: committed when it resolves, rolled
 * back when it throws. A client whose rollback failed is destroyed, not reused. `begin` may
 * name an isolation level or READ ONLY. A connection the server ends while the client is
 * out (a node frozen in a transaction past IDLE_IN_TRANSACTION_MS) is reported by the next
 * query, not as an unhandled 'error' event that would end the process.
 */
export async function transaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const lost = (error: Error) => (broken = error);
  client.on('error', lost);
  try {
    await client.query(begin);
    const value = await fn(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken ??= rollbackError as Error;
    }
    throw error;
  } finally {
    client.off('error', lost);
    client.release(broken);
  }
}
