import { sql, type Kysely } from 'kysely';
import { defineCaptureFunction } from './kpi-capture-function.js';

/**
 * Answers by course and kind, and per-attempt test scores (issue #7, report speed).
 *
 * `kpi_statement_answer_idx`: survey results, manager observations, item analysis (post-test) and
 * pre/post pairs each read the `answered` facts of one item kind of one course; the 0060 course index
 * orders by module then verb, so those reads walked every module's answers of every kind. Partial like
 * the 0060 indexes (voided facts are never read), tenant first.
 *
 * `kpi_attempt`: per attempt (registration), actor, course, program, module, version and phase (pre or
 * post), how many answers carry a success flag, how many are correct and when the first of them was
 * made: what pre/post pairs need, instead of every answer. Kept by the fact trigger in the storing
 * transaction. A voided answer cannot be subtracted from a minimum, so voiding recomputes that one
 * attempt row from its facts. `kpi_attempt_rebuild(tenant)` recomputes a tenant (bulk loads, backfill).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX kpi_statement_answer_idx ON kpi_statement (tenant_id, course_id, item_kind, module_id)
      INCLUDE (actor_home_page, actor_name, registration, item_id, success, "timestamp")
      WHERE verb = 'answered' AND NOT voided`.execute(db);
  // Recomputing one attempt when an answer of it is voided.
  await sql`
    CREATE INDEX kpi_statement_registration_idx ON kpi_statement (tenant_id, registration)
      WHERE verb = 'answered'`.execute(db);

  await sql`
    CREATE TABLE kpi_attempt (
      tenant_id uuid NOT NULL,
      course_id uuid,
      program_id uuid,
      module_id uuid NOT NULL,
      module_version integer,
      phase text NOT NULL,
      registration uuid,
      actor_home_page text,
      actor_name text,
      scored integer NOT NULL,
      correct integer NOT NULL,
      first_at timestamptz
    )`.execute(db);
  // The trigger's upsert target; leading (tenant_id, course_id, module_id) also serves course reads.
  await sql`
    CREATE UNIQUE INDEX kpi_attempt_key ON kpi_attempt
      (tenant_id, course_id, module_id, module_version, phase, registration, actor_name, actor_home_page, program_id)
      NULLS NOT DISTINCT`.execute(db);
  // Program reports (no course in the scope).
  await sql`CREATE INDEX kpi_attempt_program_idx ON kpi_attempt (tenant_id, program_id, module_id)`.execute(
    db,
  );

  await defineAttemptFunctions(db);

  await defineCaptureFunction(db, { learnerAdd: 'kpi_learner_week_add', attempts: true });

  await sql`SELECT kpi_attempt_rebuild(t.id) FROM tenant t`.execute(db);
}

/**
 * The attempt rollup's functions as this migration defines them (per attempt, not yet per day; 0069
 * keys them by day and restores these on its way down).
 */
export async function defineAttemptFunctions(db: Kysely<unknown>): Promise<void> {
  const aggregate = (where: string) => `
      SELECT tenant_id, course_id, program_id, module_id, module_version, item_kind, registration,
             actor_home_page, actor_name, count(*)::int, (count(*) FILTER (WHERE success))::int, min("timestamp")
      FROM kpi_statement
      WHERE ${where} AND verb = 'answered' AND item_kind IN ('pre', 'post') AND success IS NOT NULL
        AND module_id IS NOT NULL AND NOT voided
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, item_kind, registration,
               actor_home_page, actor_name`;
  await sql`
    CREATE OR REPLACE FUNCTION kpi_attempt_add(f kpi_statement) RETURNS void
    LANGUAGE sql AS $$
      INSERT INTO kpi_attempt AS a
        VALUES (f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.item_kind,
                f.registration, f.actor_home_page, f.actor_name, 1, f.success::int, f."timestamp")
      ON CONFLICT (tenant_id, course_id, module_id, module_version, phase, registration, actor_name,
                   actor_home_page, program_id)
      DO UPDATE SET scored = a.scored + 1, correct = a.correct + excluded.correct,
                    first_at = least(a.first_at, excluded.first_at)
    $$`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION kpi_attempt_recompute(f kpi_statement) RETURNS void
    LANGUAGE sql AS $$
      DELETE FROM kpi_attempt a
      WHERE a.tenant_id = f.tenant_id AND a.course_id IS NOT DISTINCT FROM f.course_id
        AND a.module_id = f.module_id AND a.module_version IS NOT DISTINCT FROM f.module_version
        AND a.phase = f.item_kind AND a.registration IS NOT DISTINCT FROM f.registration
        AND a.actor_name IS NOT DISTINCT FROM f.actor_name AND a.actor_home_page IS NOT DISTINCT FROM f.actor_home_page
        AND a.program_id IS NOT DISTINCT FROM f.program_id;
      INSERT INTO kpi_attempt ${sql.raw(
        aggregate(`tenant_id = f.tenant_id AND registration IS NOT DISTINCT FROM f.registration
        AND course_id IS NOT DISTINCT FROM f.course_id AND module_id = f.module_id
        AND module_version IS NOT DISTINCT FROM f.module_version AND item_kind = f.item_kind
        AND actor_name IS NOT DISTINCT FROM f.actor_name AND actor_home_page IS NOT DISTINCT FROM f.actor_home_page
        AND program_id IS NOT DISTINCT FROM f.program_id`),
      )};
    $$`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION kpi_attempt_rebuild(t uuid) RETURNS void
    LANGUAGE sql AS $$
      DELETE FROM kpi_attempt WHERE tenant_id = t;
      INSERT INTO kpi_attempt ${sql.raw(aggregate('tenant_id = t'))};
    $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Back to the 0063 trigger function.
  await defineCaptureFunction(db, { learnerAdd: 'kpi_learner_week_add' });
  await sql`DROP FUNCTION kpi_attempt_rebuild(uuid)`.execute(db);
  await sql`DROP FUNCTION kpi_attempt_recompute(kpi_statement)`.execute(db);
  await sql`DROP FUNCTION kpi_attempt_add(kpi_statement)`.execute(db);
  await sql`DROP TABLE kpi_attempt`.execute(db);
  await sql`DROP INDEX kpi_statement_registration_idx`.execute(db);
  await sql`DROP INDEX kpi_statement_answer_idx`.execute(db);
}
