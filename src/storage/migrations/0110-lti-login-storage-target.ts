import { sql, type Kysely } from 'kysely';

/**
 * OIDC login with LTI client-side postMessages (1EdTech "OIDC Login with LTI Client Side postMessages"):
 * when the platform's login request names an `lti_storage_target`, Yardstick keeps the state and nonce
 * in the platform's frame instead of a cookie. The login state remembers that target, so the launch
 * knows to read them back from there when no state cookie arrives.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE lti_login_state ADD COLUMN storage_target text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE lti_login_state DROP COLUMN storage_target`.execute(db);
}
