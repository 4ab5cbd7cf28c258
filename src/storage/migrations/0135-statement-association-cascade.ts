import { sql, type Kysely } from 'kysely';

/**
 * The association rows (xapi_statement_agent, xapi_statement_activity) follow their statement through
 * one statement-level trigger instead of a foreign key each (issue #17). A foreign key checks every
 * inserted row on its own (a `SELECT ... FOR KEY SHARE` on xapi_statement per row): a batch of 100
 * capture statements writes about 600 association rows, and their checks took 3.1 of the INSERT's
 * 12 ms (EXPLAIN ANALYZE, triggers). The rows are only ever written by the statement INSERT itself,
 * joined to the statements it inserted (xapi-statement-repository.ts insertStatements), so they cannot
 * name a missing statement; what the keys still did was the cascade, which the trigger does for every
 * deleted statement at once (a person's erasure, a retention sweep, a tenant's deletion through
 * xapi_statement's own cascade), using 0101's (tenant_id, statement_id) indexes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE xapi_statement_agent DROP CONSTRAINT xapi_statement_agent_tenant_id_statement_id_fkey`.execute(
    db,
  );
  await sql`ALTER TABLE xapi_statement_activity DROP CONSTRAINT xapi_statement_activity_tenant_id_statement_id_fkey`.execute(
    db,
  );
  await sql`
    CREATE FUNCTION xapi_statement_associations_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM xapi_statement_agent a USING old_rows o
       WHERE a.tenant_id = o.tenant_id AND a.statement_id = o.id;
      DELETE FROM xapi_statement_activity a USING old_rows o
       WHERE a.tenant_id = o.tenant_id AND a.statement_id = o.id;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER xapi_statement_associations_deleted AFTER DELETE ON xapi_statement
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION xapi_statement_associations_deleted()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER xapi_statement_associations_deleted ON xapi_statement`.execute(db);
  await sql`DROP FUNCTION xapi_statement_associations_deleted()`.execute(db);
  for (const table of ['xapi_statement_agent', 'xapi_statement_activity'])
    await sql`ALTER TABLE ${sql.table(table)} ADD CONSTRAINT ${sql.id(`${table}_tenant_id_statement_id_fkey`)}
      FOREIGN KEY (tenant_id, statement_id) REFERENCES xapi_statement (tenant_id, id) ON DELETE CASCADE`.execute(
      db,
    );
}
