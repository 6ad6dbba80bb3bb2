/**
 * Which PostgreSQL failures are the storage's rather than one write's: the connection, the
 * server's resources, an operator's shutdown, a read-only server (a standby after failover).
 * They fail a whole batch with their real cause, as SQLite's disk-full and I/O errors do
 * (src/runtime/committer.ts), and the API answers them 503 storage_unavailable.
 */

/** SQLSTATE classes of the server's state, not of a statement (PostgreSQL's Appendix A). */
const STORAGE_CLASSES = new Set([
  '08', // connection exception
  '53', // insufficient resources: disk full, out of memory, too many connections
  '58', // system error: I/O
  'XX', // internal error, data corrupted
]);
const STORAGE_CODES = new Set([
  '25006', // read_only_sql_transaction: connected to a standby
  '25P03', // idle_in_transaction_session_timeout: the server ended the session
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
]);
/** Socket errors node-postgres passes through, and its own words for a lost connection. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const LOST_CONNECTION = /^Connection terminated|^Client has encountered a connection error|not queryable/;

export function isPostgresStorageError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || STORAGE_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return STORAGE_CLASSES.has(code.slice(0, 2));
  }
  return LOST_CONNECTION.test(error.message);
}
