import { sql, type Kysely } from 'kysely';

/**
 * LRS credentials (xAPI Communication 4.1): a key/secret pair for HTTP Basic, bound to one tenant,
 * with scopes and the authority Agent the LRS writes on statements sent with it. The secret is kept
 * only as an scrypt hash (`scrypt$N$r$p$salt$hash`, base64url parts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE lrs_credential (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      key text NOT NULL,
      secret_hash text NOT NULL,
      name text NOT NULL DEFAULT '',
      scopes text[] NOT NULL,
      authority text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  // Basic auth arrives with the key alone: the key starts with its tenant's id (see
  // xapi/credentials/secret-hash.ts), so every request looks it up by (tenant_id, key) here.
  await sql`CREATE UNIQUE INDEX lrs_credential_key_key ON lrs_credential (tenant_id, key)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE lrs_credential`.execute(db);
}
