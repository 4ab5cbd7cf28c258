import { randomBytes } from 'node:crypto';
import { openDatabase, withDatabaseName, type DatabaseConnection } from '../src/storage/database.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest } from '../src/storage/migrator.js';
import { createScratchDatabase, dropScratchDatabase } from '../src/storage/scratch-databases.js';
import type { BenchContext } from './harness.js';

export interface BenchDatabase extends DatabaseConnection {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one benchmark on the run's server. */
export async function createBenchDatabase(
  ctx: BenchContext,
  label: string,
  poolSize = 16,
): Promise<BenchDatabase> {
  const name = `bench_${label}_${randomBytes(3).toString('hex')}`;
  await createScratchDatabase(ctx.serverUrl, name);
  const url = withDatabaseName(ctx.serverUrl, name);
  const connection = openDatabase(url, {
    poolSize,
    statementTimeoutMs: 0,
    applicationName: `bench-${label}`,
    workMemMb: loadConfig().database.workMemMb,
  });
  await migrateToLatest(connection.db);
  return {
    ...connection,
    url,
    async drop() {
      await connection.close();
      await dropScratchDatabase(ctx.serverUrl, name);
    },
  };
}
