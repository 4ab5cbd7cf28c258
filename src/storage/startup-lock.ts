import { openDatabase } from './database.js';
import { createDatabaseRoleRepository } from './repositories/database-role-repository.js';

/**
 * Runs `work` while this process holds the database's startup lock, so app servers starting together
 * take turns at what is not safe to run twice at once: migrations, grants, pg-boss' install script and
 * ltijs' table sync (CREATE SCHEMA / CREATE INDEX racing each other fail with duplicate keys in the
 * catalog). The lock is a session advisory lock on a connection of its own to `ownerUrl` (no statement
 * timeout: waiting for another server's migrations is expected), so `ownerUrl` must reach PostgreSQL
 * in session mode (directly or through HAProxy, not through PgBouncer in transaction mode).
 */
export async function withStartupLock<T>(ownerUrl: string, work: () => Promise<T>): Promise<T> {
  const lock = openDatabase(ownerUrl, {
    poolSize: 1,
    statementTimeoutMs: 0,
    applicationName: 'yardstick-startup-lock',
  });
  try {
    return await createDatabaseRoleRepository(lock.db).withSessionLock('yardstick.startup', work);
  } finally {
    await lock.close();
  }
}
