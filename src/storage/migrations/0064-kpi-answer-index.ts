import { sql, type Kysely } from 'kysely';

/**
 * One course's answers of one kind (issue #7, report speed). Survey results, manager observations,
 * item analysis (post-test) and pre/post pairs each read the `answered` facts of a single item kind;
 * the 0060 course index orders by module then verb, so those reads walked every module's answers of
 * every kind. Partial like the 0060 indexes (voided facts are never read), tenant first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX kpi_statement_answer_idx ON kpi_statement (tenant_id, course_id, item_kind, module_id)
      INCLUDE (actor_home_page, actor_name, registration, item_id, success, "timestamp")
      WHERE verb = 'answered' AND NOT voided`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX kpi_statement_answer_idx`.execute(db);
}
