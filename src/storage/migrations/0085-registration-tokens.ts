import { sql, type Kysely } from 'kysely';

/**
 * One-time tokens for LTI Dynamic Registration (issue #16): an admin creates one, the registration URL
 * carries it, and /lti/register spends it before fetching anything. Only its SHA-256 is stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE lti_registration_token (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      token_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, token_hash)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE lti_registration_token`.execute(db);
}
