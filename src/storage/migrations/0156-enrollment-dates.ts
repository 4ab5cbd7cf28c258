import { sql, type Kysely } from 'kysely';

/**
 * Enrollment dates (issue #21, docs/kpi-reports.md "Definitions", `assigned`): `enrolled_at`, when an LTI
 * launch or a roster sync first enrolled the learner in the course, and `ended_at`, when a roster sync last
 * ended the enrollment (cleared when a launch or sync reactivates it: a re-enrolment reactivates the same
 * enrollment). A course report's denominator as of its end date counts the enrollments made before that
 * date. Enrollments made before this migration keep `enrolled_at` null (date unknown) and count at any
 * date; so do rows written directly (the synthetic worlds), which set no date.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE enrollment
      ADD COLUMN enrolled_at timestamptz,
      ADD COLUMN ended_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE enrollment DROP COLUMN enrolled_at, DROP COLUMN ended_at`.execute(db);
}
