import { sql, type Kysely } from 'kysely';

/**
 * Citus readiness (issue #20, docs/scaling.md): `lti_platform_route` maps a launch's issuer and client
 * id to its tenant before the tenant is known, so under sharding it is a reference table, copied to
 * every node; Citus forbids a foreign key from a reference table to a distributed one
 * (lti_platform). The route is deleted with its platform by the repository instead, in the same
 * statement (lti-platform-repository.ts, delete).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE lti_platform_route DROP CONSTRAINT lti_platform_route_tenant_id_platform_id_fkey`.execute(
    db,
  );
  await sql`CREATE INDEX lti_platform_route_platform_idx ON lti_platform_route (tenant_id, platform_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX lti_platform_route_platform_idx`.execute(db);
  await sql`ALTER TABLE lti_platform_route ADD FOREIGN KEY (tenant_id, platform_id)
    REFERENCES lti_platform (tenant_id, id) ON DELETE CASCADE`.execute(db);
}
