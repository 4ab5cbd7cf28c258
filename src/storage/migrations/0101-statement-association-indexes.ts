import { sql, type Kysely } from 'kysely';

/**
 * Deleting a statement (a person's erasure, a retention sweep, a tenant purge; issue #18) cascades to
 * its rows in xapi_statement_agent and xapi_statement_activity, whose keys lead with the agent or
 * activity: without an index on the statement, each deleted statement scanned both tables, so erasing
 * n statements among m took n x m row visits (bench/person-erasure.bench.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX xapi_statement_agent_statement_idx ON xapi_statement_agent (tenant_id, statement_id)`.execute(
    db,
  );
  await sql`CREATE INDEX xapi_statement_activity_statement_idx ON xapi_statement_activity (tenant_id, statement_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX xapi_statement_activity_statement_idx`.execute(db);
  await sql`DROP INDEX xapi_statement_agent_statement_idx`.execute(db);
}
