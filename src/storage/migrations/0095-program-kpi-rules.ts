import { sql, type Kysely } from 'kysely';

/**
 * Per-program KPI rules (issue #21, docs/kpi-reports.md "Definitions"): which post-test attempt counts
 * for mastery and post scores (`first` = the first completed attempt, `best`, `latest`), and who the
 * rates divide by (`assigned` = everyone assigned, intention to treat; `enrolled-now` = only learners
 * still enrolled). Existing programs get the defaults. No rollup changes: the rules are applied when a
 * report reads the facts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE program
      ADD COLUMN kpi_attempt_policy text NOT NULL DEFAULT 'first'
        CHECK (kpi_attempt_policy IN ('first', 'best', 'latest')),
      ADD COLUMN kpi_denominator text NOT NULL DEFAULT 'assigned'
        CHECK (kpi_denominator IN ('assigned', 'enrolled-now'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE program DROP COLUMN kpi_attempt_policy, DROP COLUMN kpi_denominator`.execute(db);
}
