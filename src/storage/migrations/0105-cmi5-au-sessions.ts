import { sql, type Kysely } from 'kysely';

/**
 * cmi5 AU sessions of imported packages (issue #19, cmi5 9.3): a launch of an AU is one cmi5 session.
 * `au_id` is the publisher's AU id (null for the single external activity of issue #6, whose statements
 * are not held to the session rules). `status` follows the session: launched (by the LMS), initialized
 * (the AU's first statement), terminated (its last) or abandoned (the LMS ended it: another launch in
 * the same registration, cmi5 9.3.6). `last_statement_at` times an abandoned session (cmi5 9.5.4.2).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE cmi5_launch
      ADD COLUMN au_id text,
      ADD COLUMN status text NOT NULL DEFAULT 'launched'
        CHECK (status IN ('launched', 'initialized', 'terminated', 'abandoned')),
      ADD COLUMN last_statement_at timestamptz`.execute(db);
  // The LMS looks up the open AU sessions of a registration at every launch.
  await sql`CREATE INDEX cmi5_launch_attempt ON cmi5_launch (tenant_id, attempt_id) WHERE au_id IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX cmi5_launch_attempt`.execute(db);
  await sql`ALTER TABLE cmi5_launch DROP COLUMN au_id, DROP COLUMN status, DROP COLUMN last_statement_at`.execute(
    db,
  );
}
