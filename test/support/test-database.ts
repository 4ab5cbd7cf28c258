import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { openDatabase, withDatabaseName } from '../../src/storage/database.js';
import type { Database } from '../../src/storage/schema.js';
import { testServer } from './test-server.js';
import { createScratchDatabase, dropScratchDatabase } from '../../src/storage/scratch-databases.js';

export interface TestDatabase {
  name: string;
  url: string;
  db: Kysely<Database>;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file, cloned from the migrated template (a file copy on the server:
 * milliseconds), so files never share state and each can run alone.
 */
export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  const server = await testServer();
  const name = `yardstick_test_${randomBytes(5).toString('hex')}`;
  await createScratchDatabase(server.adminUrl, name, server.templateName);
  const url = withDatabaseName(server.adminUrl, name);
  const connection = openDatabase(url, { poolSize: options.poolSize ?? 5, statementTimeoutMs: 30000 });
  return {
    name,
    url,
    db: connection.db,
    async drop() {
      await connection.close();
      await dropScratchDatabase(server.adminUrl, name);
    },
  };
}

/** mocha helper: a database for the enclosing describe block, created before and dropped after. */
export function useTestDatabase(options: { poolSize?: number } = {}): () => TestDatabase {
  let current: TestDatabase | undefined;
  before(async function () {
    this.timeout(60000);
    current = await createTestDatabase(options);
  });
  after(async () => {
    await current?.drop();
  });
  return () => {
    if (!current) throw new Error('the test database is created in a before() hook; use it inside tests');
    return current;
  };
}
