import type { Kysely, Transaction } from 'kysely';
import { isRetryableTransactionError, mapDatabaseError } from './db-errors.js';

export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  /** Attempts after a serialization failure or deadlock, before giving up. */
  retries?: number;
}

/**
 * Runs `work` in one transaction: all of it commits or none of it does. Serialization failures and
 * deadlocks are retried (with jittered backoff) since PostgreSQL asks the client to retry them; other
 * errors roll back and surface through mapDatabaseError.
 */
export async function withTransaction<DB, T>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      let builder = db.transaction();
      if (options.isolation) builder = builder.setIsolationLevel(options.isolation);
      return await builder.execute(work);
    } catch (err) {
      if (attempt < retries && isRetryableTransactionError(err)) {
        await new Promise((r) => setTimeout(r, 5 * 2 ** attempt + Math.random() * 10));
        continue;
      }
      throw mapDatabaseError(err);
    }
  }
}
