import { sql, type Kysely } from 'kysely';

/**
 * Sample enrollments (issue #15): the demo's generated learners are enrolled with source 'sample', so
 * pages mark them as samples and a roster sync from the LMS, which does not list them, leaves them
 * active instead of emptying the demo course.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE enrollment DROP CONSTRAINT enrollment_source_check`.execute(db);
  await sql`
    ALTER TABLE enrollment ADD CONSTRAINT enrollment_source_check
      CHECK (source IN ('launch', 'roster', 'sample'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE enrollment DROP CONSTRAINT enrollment_source_check`.execute(db);
  await sql`UPDATE enrollment SET source = 'roster' WHERE source = 'sample'`.execute(db);
  await sql`
    ALTER TABLE enrollment ADD CONSTRAINT enrollment_source_check
      CHECK (source IN ('launch', 'roster'))`.execute(db);
}
