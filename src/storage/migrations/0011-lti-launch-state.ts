import { sql, type Kysely } from 'kysely';

/**
 * State of the OIDC launch flow (LTI Security Framework 5.1.1): the nonce Yardstick sent with each
 * authentication request, keyed by its state, and the nonces already used. Both exist before the
 * tenant is known, so they are keyed by state / issuer (Citus reference tables); rows expire in
 * minutes. `lti_session` is the signed-in browser after a launch, led by tenant_id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE lti_login_state (
      state text PRIMARY KEY,
      nonce text NOT NULL,
      issuer text NOT NULL,
      client_id text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX lti_login_state_created_idx ON lti_login_state (created_at)`.execute(db);
  await sql`
    CREATE TABLE lti_used_nonce (
      issuer text NOT NULL,
      nonce text NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (issuer, nonce)
    )`.execute(db);
  await sql`CREATE INDEX lti_used_nonce_expires_idx ON lti_used_nonce (expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE lti_used_nonce`.execute(db);
  await sql`DROP TABLE lti_login_state`.execute(db);
}
