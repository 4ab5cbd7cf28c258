import { sql, type Kysely } from 'kysely';

/**
 * Ending a launch session (issue #19): `ended_at` is set when the user signs out (POST /logout). An
 * ended session is no session: neither its cookie nor any session token issued for it (the `yst` of
 * platform-storage launches, which names the session) finds it any more, so signing out revokes every
 * token of the session at once, before their lifetime (config lti.sessionTokenSeconds) runs out.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE lti_session ADD COLUMN ended_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE lti_session DROP COLUMN ended_at`.execute(db);
}
