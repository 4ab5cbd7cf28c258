import { sql, type Kysely } from 'kysely';

/**
 * Tool keys retired by a rotation, still published in Yardstick's JWKS until `published_until`, so a
 * platform that cached the keyset (or holds a token signed just before) keeps verifying during the
 * overlap (LTI Security Framework 6.4: key rotation).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE lti_retired_key (
      tenant_id uuid NOT NULL,
      platform_id uuid NOT NULL,
      kid text NOT NULL,
      public_jwk jsonb NOT NULL,
      retired_at timestamptz NOT NULL DEFAULT now(),
      published_until timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, platform_id, kid),
      FOREIGN KEY (tenant_id, platform_id) REFERENCES lti_platform (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX lti_retired_key_published_idx ON lti_retired_key (tenant_id, published_until)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE lti_retired_key`.execute(db);
}
