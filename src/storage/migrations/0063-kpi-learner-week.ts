import { sql, type Kysely } from 'kysely';
import { defineCaptureFunction } from './kpi-capture-function.js';

/**
 * Weekly activity rollup (issue #7, report speed): per actor, ISO week (Monday, UTC), course, program,
 * module and version, how many non-voided KPI facts there are and how many of them are `launched` and
 * `completed`. The weekly trend then reads these rows instead of every statement of the course.
 *
 * Kept by the KPI fact trigger (0060) in the transaction that stores or voids the statement: a new
 * fact adds 1, a voided one subtracts 1 (counts, not flags, so voiding needs no recomputation); a
 * rolled-back batch leaves nothing behind. Rows whose counts fall to 0 stay and are skipped by readers.
 * `kpi_learner_week_rebuild(tenant)` recomputes a tenant's rows from kpi_statement (bulk loads, backfill).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createLearnerActivityRollup(db, 'week');

  // The 0060 trigger function, now also keeping the rollup.
  await defineCaptureFunction(db, { learnerAdd: 'kpi_learner_week_add' });

  await sql`SELECT kpi_learner_week_rebuild(t.id) FROM tenant t`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await defineCaptureFunction(db, {});
  await sql`DROP FUNCTION kpi_learner_week_rebuild(uuid)`.execute(db);
  await sql`DROP FUNCTION kpi_learner_week_add(kpi_statement, integer)`.execute(db);
  await sql`DROP TABLE kpi_learner_week`.execute(db);
}

/**
 * The learner activity rollup by UTC `bucket` (this migration's by week; 0070's by day): table
 * `kpi_learner_<bucket>` keyed with a `<bucket>` date column, `kpi_learner_<bucket>_add(fact, delta)` and
 * `kpi_learner_<bucket>_rebuild(tenant)`.
 */
export async function createLearnerActivityRollup(
  db: Kysely<unknown>,
  bucket: 'week' | 'day',
): Promise<void> {
  const table = sql.raw(`kpi_learner_${bucket}`);
  const column = sql.raw(bucket);
  const of = (ts: string) =>
    sql.raw(
      bucket === 'week'
        ? `date_trunc('week', ${ts} AT TIME ZONE 'UTC')::date`
        : `(${ts} AT TIME ZONE 'UTC')::date`,
    );
  await sql`
    CREATE TABLE ${table} (
      tenant_id uuid NOT NULL,
      course_id uuid,
      program_id uuid,
      module_id uuid,
      module_version integer,
      ${column} date NOT NULL,
      actor_home_page text,
      actor_name text,
      statements integer NOT NULL,
      launched integer NOT NULL,
      completed integer NOT NULL
    )`.execute(db);
  // The rollup's key (the trigger's ON CONFLICT target). Leading (tenant_id, course_id) also serves
  // the course report's read; NULLS NOT DISTINCT because course, program, module and version may be absent.
  await sql`
    CREATE UNIQUE INDEX ${sql.raw(`kpi_learner_${bucket}_key`)} ON ${table}
      (tenant_id, course_id, module_id, module_version, ${column}, actor_name, actor_home_page, program_id)
      NULLS NOT DISTINCT`.execute(db);
  // Program reports (no course in the scope).
  await sql`CREATE INDEX ${sql.raw(`kpi_learner_${bucket}_program_idx`)} ON ${table} (tenant_id, program_id, module_id)`.execute(
    db,
  );

  await sql`
    CREATE FUNCTION ${sql.raw(`kpi_learner_${bucket}_add`)}(f kpi_statement, delta integer) RETURNS void
    LANGUAGE sql AS $$
      INSERT INTO ${table} AS w
        VALUES (f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version,
                ${of('f."timestamp"')}, f.actor_home_page, f.actor_name,
                delta, CASE WHEN f.verb = 'launched' THEN delta ELSE 0 END,
                CASE WHEN f.verb = 'completed' THEN delta ELSE 0 END)
      ON CONFLICT (tenant_id, course_id, module_id, module_version, ${column}, actor_name, actor_home_page, program_id)
      DO UPDATE SET statements = w.statements + excluded.statements, launched = w.launched + excluded.launched,
                    completed = w.completed + excluded.completed
    $$`.execute(db);

  await sql`
    CREATE FUNCTION ${sql.raw(`kpi_learner_${bucket}_rebuild`)}(t uuid) RETURNS void
    LANGUAGE sql AS $$
      DELETE FROM ${table} WHERE tenant_id = t;
      INSERT INTO ${table}
      SELECT tenant_id, course_id, program_id, module_id, module_version,
             ${of('"timestamp"')}, actor_home_page, actor_name,
             count(*), count(*) FILTER (WHERE verb = 'launched'), count(*) FILTER (WHERE verb = 'completed')
      FROM kpi_statement WHERE tenant_id = t AND NOT voided
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
    $$`.execute(db);
}
