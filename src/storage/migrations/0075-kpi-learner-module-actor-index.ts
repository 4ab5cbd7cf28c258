import { sql, type Kysely } from 'kysely';

/**
 * The learner x module rollup (0066) by actor, so a page of the course report's learner list reads
 * the rows of that page's learners only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX kpi_learner_module_actor_idx ON kpi_learner_module (tenant_id, actor_name, actor_home_page)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX kpi_learner_module_actor_idx`.execute(db);
}
