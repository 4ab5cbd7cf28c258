import { sql, type Kysely } from 'kysely';

/**
 * A person's erasure (issue #18) finds the observations others made about them through the KPI facts'
 * observed learner: without an index, each erasure, find and export scanned every fact of the tenant.
 * Partial: only observation facts name an observed learner.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX kpi_statement_observed_idx ON kpi_statement (tenant_id, observed_name, observed_home_page)
            WHERE observed_name IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX kpi_statement_observed_idx`.execute(db);
}
