/* eslint-disable @typescript-eslint/no-explicit-any -- the Migrator works on any schema */
import { Migrator, NO_MIGRATIONS, type Kysely, type MigrationResultSet } from 'kysely';
import { migrationProvider } from './migrations/index.js';

export class MigrationError extends Error {}

export interface MigrationStatus {
  name: string;
  executedAt: Date | null;
}

function migrator(db: Kysely<any>): Migrator {
  // Features are built on parallel branches; a migration merged later may sort before one already run.
  return new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
}

function unwrap(result: MigrationResultSet, action: string): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`${action} failed at migration ${failed}: ${(result.error as Error).message}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).map((r) => r.migrationName);
}

/** Applies every pending migration in one locked run; returns the names applied. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return unwrap(await migrator(db).migrateToLatest(), 'migrating to the latest schema');
}

/** Reverts every migration (used to prove each one is reversible). */
export async function migrateDownToZero(db: Kysely<any>): Promise<string[]> {
  return unwrap(await migrator(db).migrateTo(NO_MIGRATIONS), 'reverting all migrations');
}

/** Lists every known migration with when it ran (null = pending). */
export async function migrationStatus(db: Kysely<any>): Promise<MigrationStatus[]> {
  const all = await migrator(db).getMigrations();
  return all.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}
