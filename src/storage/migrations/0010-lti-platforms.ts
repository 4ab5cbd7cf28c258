import { sql, type Kysely } from 'kysely';

/**
 * LTI platforms (LMS registrations) and their deployments. Each (issuer, client_id) belongs to exactly
 * one tenant: `lti_platform_route` maps it before the tenant is known (a launch names only the issuer
 * and audience), so it is the one LTI table not led by tenant_id (a Citus reference table).
 * ltijs keeps its own copy of the platform (keys, endpoints) in its schema; these tables are
 * Yardstick's record of who owns what and whether an admin approved it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE lti_platform (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      issuer text NOT NULL,
      client_id text NOT NULL,
      name text NOT NULL,
      auth_url text NOT NULL,
      token_url text NOT NULL,
      jwks_url text NOT NULL,
      status text NOT NULL CHECK (status IN ('active', 'pending')),
      source text NOT NULL CHECK (source IN ('cli', 'admin', 'dynamic', 'dev-lms')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`
    CREATE TABLE lti_platform_route (
      issuer text NOT NULL,
      client_id text NOT NULL,
      tenant_id uuid NOT NULL,
      platform_id uuid NOT NULL,
      PRIMARY KEY (issuer, client_id),
      FOREIGN KEY (tenant_id, platform_id) REFERENCES lti_platform (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`
    CREATE TABLE lti_deployment (
      tenant_id uuid NOT NULL,
      platform_id uuid NOT NULL,
      deployment_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, platform_id, deployment_id),
      FOREIGN KEY (tenant_id, platform_id) REFERENCES lti_platform (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE lti_deployment`.execute(db);
  await sql`DROP TABLE lti_platform_route`.execute(db);
  await sql`DROP TABLE lti_platform`.execute(db);
}
