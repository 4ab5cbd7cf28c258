import { sql, type Kysely } from 'kysely';

/**
 * Survey answers rollup (issue #7, report speed): per actor, course, program, module, version, survey
 * item, response and UTC day, how many non-voided `answered` facts there are (the day lets a report
 * filtered to whole days read the rollup too). The survey panel counts answers
 * per response and distinct respondents per item; it reads these rows (one per learner and answer given,
 * kept together in key order) instead of every answer statement scattered through kpi_statement.
 *
 * Kept by its own triggers on kpi_statement, in the transaction that stores or voids the statement: a
 * new answer adds 1, a voided one subtracts 1 (counts, so voiding needs no recomputation). Rows whose
 * count falls to 0 stay and are skipped by readers. `kpi_survey_answer_rebuild(tenant)` recomputes a
 * tenant from the facts (bulk loads, backfill).
 *
 * Also a covering index for manager observations, whose panel reads the latest level per observed
 * learner and behaviour item: an index-only scan instead of a heap visit per observation.
 */
const SURVEY_FACT = (f: string) =>
  `${f}.verb = 'answered' AND ${f}.item_kind = 'survey' AND ${f}.response IS NOT NULL AND ${f}.response <> '' AND ${f}.module_id IS NOT NULL`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE kpi_survey_answer (
      tenant_id uuid NOT NULL,
      course_id uuid,
      program_id uuid,
      module_id uuid NOT NULL,
      module_version integer,
      item_id text,
      response text NOT NULL,
      actor_home_page text,
      actor_name text,
      anonymous boolean NOT NULL,
      day date NOT NULL,
      answers integer NOT NULL
    )`.execute(db);
  // The triggers' upsert target; leading (tenant_id, course_id, module_id) serves course reads.
  await sql`
    CREATE UNIQUE INDEX kpi_survey_answer_key ON kpi_survey_answer
      (tenant_id, course_id, module_id, module_version, item_id, response, actor_name, actor_home_page, program_id, day)
      NULLS NOT DISTINCT`.execute(db);
  await sql`CREATE INDEX kpi_survey_answer_program_idx ON kpi_survey_answer (tenant_id, program_id, module_id)`.execute(
    db,
  );

  await sql`
    CREATE FUNCTION kpi_survey_answer_add(f kpi_statement, delta integer) RETURNS void
    LANGUAGE sql AS $$
      INSERT INTO kpi_survey_answer AS a
        VALUES (f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.item_id, f.response,
                f.actor_home_page, f.actor_name, f.anonymous, (f."timestamp" AT TIME ZONE 'UTC')::date, delta)
      ON CONFLICT (tenant_id, course_id, module_id, module_version, item_id, response, actor_name,
                   actor_home_page, program_id, day)
      DO UPDATE SET answers = a.answers + excluded.answers
    $$`.execute(db);
  await sql`
    CREATE FUNCTION kpi_survey_answer_capture() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM kpi_survey_answer_add(NEW, 1);
      ELSE
        PERFORM kpi_survey_answer_add(NEW, CASE WHEN NEW.voided THEN -1 ELSE 1 END);
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER kpi_survey_answer_insert AFTER INSERT ON kpi_statement
      FOR EACH ROW WHEN (NOT NEW.voided AND ${sql.raw(SURVEY_FACT('NEW'))})
      EXECUTE FUNCTION kpi_survey_answer_capture()`.execute(db);
  await sql`
    CREATE TRIGGER kpi_survey_answer_voided AFTER UPDATE OF voided ON kpi_statement
      FOR EACH ROW WHEN (OLD.voided IS DISTINCT FROM NEW.voided AND ${sql.raw(SURVEY_FACT('NEW'))})
      EXECUTE FUNCTION kpi_survey_answer_capture()`.execute(db);

  await sql`
    CREATE FUNCTION kpi_survey_answer_rebuild(t uuid) RETURNS void
    LANGUAGE sql AS $$
      DELETE FROM kpi_survey_answer WHERE tenant_id = t;
      INSERT INTO kpi_survey_answer
      SELECT tenant_id, course_id, program_id, module_id, module_version, item_id, response, actor_home_page,
             actor_name, bool_or(anonymous), ("timestamp" AT TIME ZONE 'UTC')::date, count(*)
      FROM kpi_statement f
      WHERE f.tenant_id = t AND NOT f.voided AND ${sql.raw(SURVEY_FACT('f'))}
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, item_id, response, actor_home_page,
               actor_name, ("timestamp" AT TIME ZONE 'UTC')::date;
    $$`.execute(db);
  await sql`SELECT kpi_survey_answer_rebuild(t.id) FROM tenant t`.execute(db);

  await sql`
    CREATE INDEX kpi_statement_observation_idx ON kpi_statement (tenant_id, course_id, module_id)
      INCLUDE (program_id, module_version, item_id, observed_home_page, observed_name, response, "timestamp")
      WHERE verb = 'answered' AND item_kind = 'observation' AND NOT voided`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX kpi_statement_observation_idx`.execute(db);
  await sql`DROP TRIGGER kpi_survey_answer_voided ON kpi_statement`.execute(db);
  await sql`DROP TRIGGER kpi_survey_answer_insert ON kpi_statement`.execute(db);
  await sql`DROP FUNCTION kpi_survey_answer_capture()`.execute(db);
  await sql`DROP FUNCTION kpi_survey_answer_rebuild(uuid)`.execute(db);
  await sql`DROP FUNCTION kpi_survey_answer_add(kpi_statement, integer)`.execute(db);
  await sql`DROP TABLE kpi_survey_answer`.execute(db);
}
