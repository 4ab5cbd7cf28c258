/* eslint-disable @typescript-eslint/no-explicit-any -- the Migrator works on any schema */
import { Migrator, NO_MIGRATIONS, sql, type Kysely, type MigrationResultSet } from 'kysely';
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

/**
 * Migrations of the development history squashed into 0060-kpi-rollups before any release (issue #14).
 * A database that ran them cannot be migrated on; it is reset instead.
 */
const SQUASHED = [
  '0060-kpi-statement-facts',
  '0061-analyst-views',
  '0062-chart-svg-cache',
  '0063-kpi-learner-week',
  '0064-kpi-attempt-rollup',
  '0065-analyst-outcome-views',
  '0066-kpi-learner-module',
  '0067-kpi-post-test-items',
  '0068-kpi-survey-answers',
  '0069-kpi-attempt-days',
  '0070-kpi-learner-days',
  '0071-kpi-post-attempt-days',
  '0072-kpi-score-pairs',
  '0073-kpi-post-item-sums',
  '0074-kpi-survey-respondents',
  '0075-kpi-learner-module-actor-index',
];

/** The command that empties a development database so it migrates from scratch. */
export const RESET_COMMAND = 'npx yardstick db reset --yes';

/** Throws when the database was migrated by the squashed development history. */
async function refuseSquashedHistory(db: Kysely<any>): Promise<void> {
  const { rows: table } = await sql<{
    t: string | null;
  }>`SELECT to_regclass('kysely_migration')::text AS t`.execute(db);
  if (!table[0]?.t) return; // a new database
  const { rows } = await sql<{ name: string }>`
    SELECT name FROM kysely_migration WHERE name IN (${sql.join(SQUASHED)}) ORDER BY name`.execute(db);
  if (rows.length === 0) return;
  throw new MigrationError(
    `This database was migrated by a development history that no longer exists (it ran ${rows[0]!.name} ` +
      `... ${rows.at(-1)!.name}, since squashed into 0060-kpi-rollups), so it cannot be migrated on. ` +
      `If its data is disposable (a development database), run \`${RESET_COMMAND}\`: it drops every table ` +
      `Yardstick created and migrates again. Otherwise point DATABASE_URL or YARDSTICK_DATA_DIR at a new database.`,
  );
}

/** Applies every pending migration in one locked run; returns the names applied. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  await refuseSquashedHistory(db);
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
