import { sql, type Kysely } from 'kysely';

/**
 * KPI capture once per INSERT, in lock order (issue #17). Until now `kpi_statement_insert` was a row
 * trigger: each new statement wrote its fact and upserted its learner-day and attempt rows in the
 * order the client sent the batch, so two concurrent batches that mix the same learners in different
 * orders locked rollup rows in different orders and deadlocked. Now a statement-level trigger (the
 * transition table of the INSERT) writes all the facts of the INSERT in one statement, sorted by the
 * learner-first key every rollup row is found by, so the row triggers on kpi_statement (learner x
 * module, surveys, latest post-test, post-test attempt days) fire in that order too; then one upsert
 * each for kpi_learner_day and kpi_attempt, grouped per key and sorted the same way. Every storing
 * transaction takes its locks in one global order, phase by phase, and cannot wait on another in a
 * cycle. The rollups' contents are unchanged (sums and minima do not depend on the order). Frozen.
 */
const CAPTURE_ROWS = String.raw`
CREATE FUNCTION kpi_statement_capture_rows()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    DECLARE added kpi_statement[];
    BEGIN
      -- Facts of the new rows, in lock order (the row triggers on kpi_statement fire in this order).
      WITH written AS (
        INSERT INTO kpi_statement
        SELECT f.* FROM new_rows s CROSS JOIN LATERAL kpi_statement_fact(s) f
        WHERE position('https://w3id.org/yardstick/xapi/' in s.statement) > 0 AND f.statement_id IS NOT NULL
        ORDER BY f.tenant_id, f.actor_name, f.actor_home_page, f.module_id, f.module_version, f.course_id,
                 f.program_id, (f."timestamp" AT TIME ZONE 'UTC')::date, f.registration, f.item_kind, f.item_id,
                 f.response, f.seq
        ON CONFLICT DO NOTHING
        RETURNING *)
      SELECT array_agg(fact) INTO added FROM written fact WHERE NOT fact.voided;
      IF added IS NULL THEN RETURN NULL; END IF;

      INSERT INTO kpi_learner_day AS w
      SELECT f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version,
             (f."timestamp" AT TIME ZONE 'UTC')::date, f.actor_home_page, f.actor_name, count(*)::int,
             (count(*) FILTER (WHERE f.verb = 'launched'))::int, (count(*) FILTER (WHERE f.verb = 'completed'))::int
      FROM unnest(added) f
      GROUP BY f.tenant_id, f.actor_name, f.actor_home_page, f.module_id, f.module_version, f.course_id,
               f.program_id, (f."timestamp" AT TIME ZONE 'UTC')::date
      ORDER BY f.tenant_id, f.actor_name, f.actor_home_page, f.module_id, f.module_version, f.course_id,
               f.program_id, (f."timestamp" AT TIME ZONE 'UTC')::date
      ON CONFLICT (tenant_id, course_id, module_id, module_version, day, actor_name, actor_home_page, program_id)
      DO UPDATE SET statements = w.statements + excluded.statements, launched = w.launched + excluded.launched,
                    completed = w.completed + excluded.completed;

      INSERT INTO kpi_attempt AS a
      SELECT f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.item_kind, f.registration,
             f.actor_home_page, f.actor_name, count(*)::int, (count(*) FILTER (WHERE f.success))::int,
             min(f."timestamp"), (f."timestamp" AT TIME ZONE 'UTC')::date
      FROM unnest(added) f
      WHERE f.verb = 'answered' AND f.item_kind IN ('pre', 'post') AND f.success IS NOT NULL AND f.module_id IS NOT NULL
      GROUP BY f.tenant_id, f.actor_name, f.actor_home_page, f.module_id, f.module_version, f.course_id,
               f.program_id, (f."timestamp" AT TIME ZONE 'UTC')::date, f.registration, f.item_kind
      ORDER BY f.tenant_id, f.actor_name, f.actor_home_page, f.module_id, f.module_version, f.course_id,
               f.program_id, (f."timestamp" AT TIME ZONE 'UTC')::date, f.registration, f.item_kind
      ON CONFLICT (tenant_id, course_id, module_id, module_version, phase, registration, actor_name,
                   actor_home_page, program_id, day)
      DO UPDATE SET scored = a.scored + excluded.scored, correct = a.correct + excluded.correct,
                    first_at = least(a.first_at, excluded.first_at);
      RETURN NULL;
    END $function$;
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(CAPTURE_ROWS).execute(db);
  await sql`DROP TRIGGER kpi_statement_insert ON xapi_statement`.execute(db);
  await sql`
    CREATE TRIGGER kpi_statement_insert AFTER INSERT ON xapi_statement
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_statement_capture_rows()`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER kpi_statement_insert ON xapi_statement`.execute(db);
  await sql`
    CREATE TRIGGER kpi_statement_insert AFTER INSERT ON xapi_statement
      FOR EACH ROW EXECUTE FUNCTION kpi_statement_capture()`.execute(db);
  await sql`DROP FUNCTION kpi_statement_capture_rows()`.execute(db);
}
