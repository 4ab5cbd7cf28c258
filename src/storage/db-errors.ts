import { AppError, ConflictError, UnavailableError } from '../errors.js';

/** PostgreSQL SQLSTATE codes Yardstick treats specially (PostgreSQL docs, Appendix A). */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';
const CONNECTION_CLASS = '08';
const ADMIN_SHUTDOWN = '57P01';
const CANNOT_CONNECT_NOW = '57P03';
const CRASH_SHUTDOWN = '57P02';
/** A write reached a server that is (now) a replica: the leader changed under a failover. */
const READ_ONLY_SQL_TRANSACTION = '25006';
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

interface PgLikeError {
  code?: string;
  constraint?: string;
  detail?: string;
  message?: string;
}

/** True when retrying the whole transaction may succeed (serialization failure or deadlock). */
export function isRetryableTransactionError(err: unknown): boolean {
  const code = (err as PgLikeError)?.code;
  return code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED;
}

/** True when the database could not be reached or dropped the connection. */
export function isConnectionError(err: unknown): boolean {
  const e = err as PgLikeError;
  if (!e || typeof e !== 'object') return false;
  if (
    e.code &&
    (e.code.startsWith(CONNECTION_CLASS) ||
      [ADMIN_SHUTDOWN, CRASH_SHUTDOWN, CANNOT_CONNECT_NOW, READ_ONLY_SQL_TRANSACTION].includes(e.code))
  )
    return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  // pg's own messages for a dropped socket, a connect timeout and a client broken by an earlier error.
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable/i.test(
    e.message ?? '',
  );
}

/**
 * Maps a driver error to the domain's error model, once, for every repository: unique violation ->
 * conflict, lost connection -> unavailable (503 with Retry-After). Anything else is returned as is.
 */
export function mapDatabaseError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const e = err as PgLikeError;
  if (e?.code === UNIQUE_VIOLATION) {
    return new ConflictError(
      `That record already exists (${e.constraint ?? 'unique key'}).`,
      [{ path: e.constraint, message: e.detail ?? 'duplicate key' }],
      { cause: err },
    );
  }
  if (e?.code === FOREIGN_KEY_VIOLATION) {
    return new ConflictError(
      `A referenced record does not exist (${e.constraint ?? 'foreign key'}).`,
      [{ path: e.constraint, message: e.detail ?? 'missing reference' }],
      { cause: err },
    );
  }
  if (isConnectionError(err)) {
    return new UnavailableError('The database is not reachable right now; try again in a few seconds.', 5, {
      cause: err,
    });
  }
  return err;
}
