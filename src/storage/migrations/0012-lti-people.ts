import { sql, type Kysely } from 'kysely';

/**
 * What a launch or a roster sync tells Yardstick about people: the LMS user (sub, name, email) with
 * the xAPI actor derived from it (account homePage = issuer, name = sub; xAPI Data 2.4.2.1), the
 * course context, and the enrollment linking them (roles, active or left). `lti_session` is the
 * browser signed in by a launch. Every table is led by tenant_id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE lti_user (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      platform_id uuid NOT NULL,
      sub text NOT NULL,
      name text,
      given_name text,
      family_name text,
      email text,
      xapi_home_page text NOT NULL,
      xapi_name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, platform_id, sub),
      FOREIGN KEY (tenant_id, platform_id) REFERENCES lti_platform (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`
    CREATE TABLE course_context (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      platform_id uuid NOT NULL,
      deployment_id text NOT NULL,
      context_id text NOT NULL,
      title text,
      label text,
      memberships_url text,
      lineitems_url text,
      roster_synced_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, platform_id, context_id),
      FOREIGN KEY (tenant_id, platform_id) REFERENCES lti_platform (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`
    CREATE TABLE enrollment (
      tenant_id uuid NOT NULL,
      context_id uuid NOT NULL,
      user_id uuid NOT NULL,
      roles text[] NOT NULL,
      role_kind text NOT NULL CHECK (role_kind IN ('learner', 'instructor', 'admin', 'other')),
      status text NOT NULL CHECK (status IN ('active', 'inactive')),
      source text NOT NULL CHECK (source IN ('launch', 'roster')),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, context_id, user_id),
      FOREIGN KEY (tenant_id, context_id) REFERENCES course_context (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, user_id) REFERENCES lti_user (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`
    CREATE TABLE lti_session (
      tenant_id uuid NOT NULL,
      id text NOT NULL,
      platform_id uuid NOT NULL,
      user_id uuid NOT NULL,
      context_id uuid,
      role_kind text NOT NULL,
      roles text[] NOT NULL,
      message_type text NOT NULL,
      resource_link_id text,
      launch jsonb NOT NULL,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, user_id) REFERENCES lti_user (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX lti_session_expires_idx ON lti_session (tenant_id, expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE lti_session`.execute(db);
  await sql`DROP TABLE enrollment`.execute(db);
  await sql`DROP TABLE course_context`.execute(db);
  await sql`DROP TABLE lti_user`.execute(db);
}
