import { sql, type Kysely } from 'kysely';

/**
 * Scores on their way to the LMS gradebook (LTI AGS 2.0, Score service 3.4). A row is written before
 * anything is sent, so a failure never loses the score; the pg-boss job only carries its key. The row
 * is the passback log instructors see: attempts, last error, sent time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE lti_grade_passback (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      platform_id uuid NOT NULL,
      context_id uuid NOT NULL,
      user_id uuid NOT NULL,
      lineitem_url text NOT NULL,
      score_given double precision,
      score_maximum double precision,
      activity_progress text NOT NULL,
      grading_progress text NOT NULL,
      score_timestamp timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      sent_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, context_id) REFERENCES course_context (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, user_id) REFERENCES lti_user (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX lti_grade_passback_context_idx ON lti_grade_passback (tenant_id, context_id, created_at DESC)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE lti_grade_passback`.execute(db);
}
