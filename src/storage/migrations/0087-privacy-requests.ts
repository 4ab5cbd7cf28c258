import { sql, type Kysely } from 'kysely';

/**
 * Privacy requests (issue #18, GDPR art. 15 and 17). `privacy_salt` holds one random salt per tenant;
 * every identifier kept after an erasure is `sha256(salt || identifier)` in hex, computed in SQL so an
 * import can check its employee ids against the tombstones without reading them into the process.
 * Such a hash is pseudonymous, not anonymous: whoever reads the salt can test guessed identifiers.
 *
 * `privacy_request`: one row per erasure, recording who asked and who approved, when, the hashed
 * identifiers, and the counts found and erased per place (no identifying values).
 * `privacy_tombstone`: the hashed employee id of an erased person; outcome and people imports refuse
 * it until an admin lifts it (`lifted_at`, `lifted_by`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Two v4 uuids: 244 random bits, from core PostgreSQL (pgcrypto is not assumed).
  await sql`
    CREATE TABLE privacy_salt (
      tenant_id uuid PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
      salt text NOT NULL DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
    )`.execute(db);
  await sql`
    CREATE TABLE privacy_request (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('erasure')),
      requested_by text NOT NULL CHECK (length(requested_by) BETWEEN 1 AND 200),
      approved_by text NOT NULL CHECK (length(approved_by) BETWEEN 1 AND 200),
      identifier_hashes text[] NOT NULL,
      found jsonb NOT NULL,
      erased jsonb NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`
    CREATE TABLE privacy_tombstone (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      employee_id_hash text NOT NULL,
      request_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      lifted_at timestamptz,
      lifted_by text,
      PRIMARY KEY (tenant_id, employee_id_hash),
      FOREIGN KEY (tenant_id, request_id) REFERENCES privacy_request (tenant_id, id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE privacy_tombstone`.execute(db);
  await sql`DROP TABLE privacy_request`.execute(db);
  await sql`DROP TABLE privacy_salt`.execute(db);
}
