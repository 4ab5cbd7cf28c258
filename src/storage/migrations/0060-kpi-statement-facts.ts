import { sql, type Kysely } from 'kysely';

/**
 * KPI facts (issue #7): one narrow row per statement of Yardstick's own capture vocabulary
 * (src/learning/vocabulary.ts), with the keys the reports group by already extracted, so a report never
 * parses statement JSON. Rows are written by a trigger in the same transaction that stores the
 * statement (whatever path stores it), and follow voiding: when xapi_statement.voided turns true the
 * fact turns voided too (xAPI Data 2.3.2), and reports read only `NOT voided` rows.
 *
 * Statements are kept as text (0002); only statements that mention Yardstick's namespace are parsed, and
 * a text that jsonb cannot hold (a \u0000 escape) gets no fact instead of failing the insert.
 */
const NS = 'https://w3id.org/yardstick/xapi';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE kpi_statement (
      tenant_id uuid NOT NULL,
      statement_id uuid NOT NULL,
      seq bigint NOT NULL,
      stored timestamptz NOT NULL,
      "timestamp" timestamptz NOT NULL,
      verb text NOT NULL,
      voided boolean NOT NULL DEFAULT false,
      actor_home_page text,
      actor_name text,
      anonymous boolean NOT NULL DEFAULT false,
      registration uuid,
      session_id text,
      course_id uuid,
      program_id uuid,
      module_id uuid,
      module_version integer,
      assignment_id text,
      campaign_id text,
      phase text,
      item_kind text,
      item_id text,
      response text,
      success boolean,
      score_scaled double precision,
      duration_seconds double precision,
      duration_estimated boolean,
      observed_home_page text,
      observed_name text,
      PRIMARY KEY (tenant_id, statement_id),
      FOREIGN KEY (tenant_id, statement_id) REFERENCES xapi_statement (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  // Course reports: one course's facts by module and verb, with what the aggregates read.
  await sql`
    CREATE INDEX kpi_statement_course_idx ON kpi_statement (tenant_id, course_id, module_id, verb)
      INCLUDE (actor_name, registration, success, score_scaled, duration_seconds, "timestamp")
      WHERE NOT voided`.execute(db);
  // Program reports and learner pages.
  await sql`CREATE INDEX kpi_statement_program_idx ON kpi_statement (tenant_id, program_id, module_id, verb) WHERE NOT voided`.execute(
    db,
  );
  await sql`CREATE INDEX kpi_statement_actor_idx ON kpi_statement (tenant_id, actor_name, actor_home_page)`.execute(
    db,
  );

  await sql`
    CREATE FUNCTION kpi_iso_duration_seconds(d text) RETURNS double precision
    LANGUAGE sql IMMUTABLE AS $$
      SELECT CASE WHEN d ~ '^P(\\d+(\\.\\d+)?[YMWD])*(T(\\d+(\\.\\d+)?[HMS])+)?$' AND d <> 'P' AND d !~ 'T$'
        THEN extract(epoch FROM d::interval)::double precision END
    $$`.execute(db);

  // The extraction, shared by the trigger and by backfills (bulk loads, statements stored before 0060).
  await sql`
    CREATE FUNCTION kpi_statement_fact(s xapi_statement) RETURNS kpi_statement
    LANGUAGE plpgsql STABLE AS $$
    DECLARE
      j jsonb;
      f kpi_statement;
      obj text;
      m text[];
      grouping jsonb;
      ext jsonb;
      rext jsonb;
      g jsonb;
    BEGIN
      IF position(${sql.lit(NS + '/')} in s.statement) = 0 OR position('\\u0000' in s.statement) > 0 THEN
        RETURN NULL;
      END IF;
      j := s.statement::jsonb;
      obj := j #>> '{object,id}';
      f.tenant_id := s.tenant_id; f.statement_id := s.id; f.seq := s.seq; f.stored := s.stored;
      f."timestamp" := s."timestamp"; f.voided := s.voided; f.registration := s.registration;
      f.verb := CASE s.verb_iri
        WHEN 'http://adlnet.gov/expapi/verbs/launched' THEN 'launched'
        WHEN 'http://adlnet.gov/expapi/verbs/initialized' THEN 'initialized'
        WHEN 'http://adlnet.gov/expapi/verbs/experienced' THEN 'experienced'
        WHEN 'http://adlnet.gov/expapi/verbs/answered' THEN 'answered'
        WHEN 'http://adlnet.gov/expapi/verbs/progressed' THEN 'progressed'
        WHEN 'http://adlnet.gov/expapi/verbs/passed' THEN 'passed'
        WHEN 'http://adlnet.gov/expapi/verbs/failed' THEN 'failed'
        WHEN 'http://adlnet.gov/expapi/verbs/completed' THEN 'completed'
        WHEN 'http://adlnet.gov/expapi/verbs/terminated' THEN 'terminated'
        WHEN 'https://w3id.org/xapi/adl/verbs/abandoned' THEN 'abandoned'
        WHEN 'http://adlnet.gov/expapi/verbs/voided' THEN 'voided'
        ELSE 'other' END;
      IF f.verb = 'voided' THEN RETURN NULL; END IF;
      f.actor_home_page := j #>> '{actor,account,homePage}';
      f.actor_name := j #>> '{actor,account,name}';
      f.anonymous := f.actor_home_page = ${sql.lit(NS + '/anonymous')};
      ext := j #> '{context,extensions}';
      f.session_id := ext ->> 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
      f.module_version := CASE WHEN jsonb_typeof(ext -> ${sql.lit(NS + '/extensions/module_version')}) = 'number'
        THEN (ext ->> ${sql.lit(NS + '/extensions/module_version')})::numeric::integer END;
      f.assignment_id := ext ->> ${sql.lit(NS + '/extensions/assignment_id')};
      f.campaign_id := ext ->> ${sql.lit(NS + '/extensions/campaign_id')};
      f.phase := ext ->> ${sql.lit(NS + '/extensions/phase')};
      f.observed_home_page := ext #>> ${sql.lit(`{${NS}/extensions/observed_learner,account,homePage}`)};
      f.observed_name := ext #>> ${sql.lit(`{${NS}/extensions/observed_learner,account,name}`)};
      grouping := j #> '{context,contextActivities,grouping}';
      IF jsonb_typeof(grouping) = 'object' THEN grouping := jsonb_build_array(grouping); END IF;
      IF jsonb_typeof(grouping) = 'array' THEN
        FOR g IN SELECT * FROM jsonb_array_elements(grouping) LOOP
          m := regexp_match(g ->> 'id', '/tenants/[^/]+/courses/([0-9a-fA-F-]{36})$');
          IF m IS NOT NULL THEN f.course_id := m[1]::uuid; END IF;
          m := regexp_match(g ->> 'id', '/tenants/[^/]+/programs/([0-9a-fA-F-]{36})$');
          IF m IS NOT NULL THEN f.program_id := m[1]::uuid; END IF;
        END LOOP;
      END IF;
      m := regexp_match(obj, '^${sql.raw(NS.replace(/[.]/g, '\\.'))}/tenants/[^/]+/modules/([0-9a-fA-F-]{36})(?:/(pages|pre-test|post-test|survey|observation)/(.+))?$');
      IF m IS NOT NULL THEN
        f.module_id := m[1]::uuid;
        f.item_kind := CASE m[2] WHEN 'pages' THEN 'page' WHEN 'pre-test' THEN 'pre' WHEN 'post-test' THEN 'post'
          WHEN 'survey' THEN 'survey' WHEN 'observation' THEN 'observation' ELSE 'module' END;
        f.item_id := m[3];
      END IF;
      f.response := j #>> '{result,response}';
      f.success := CASE WHEN jsonb_typeof(j #> '{result,success}') = 'boolean' THEN (j #>> '{result,success}')::boolean END;
      f.score_scaled := CASE WHEN jsonb_typeof(j #> '{result,score,scaled}') = 'number' THEN (j #>> '{result,score,scaled}')::double precision END;
      f.duration_seconds := kpi_iso_duration_seconds(j #>> '{result,duration}');
      rext := j #> '{result,extensions}';
      f.duration_estimated := CASE WHEN jsonb_typeof(rext -> ${sql.lit(NS + '/result/extensions/duration_estimated')}) = 'boolean'
        THEN (rext ->> ${sql.lit(NS + '/result/extensions/duration_estimated')})::boolean END;
      RETURN f;
    END $$`.execute(db);

  await sql`
    CREATE FUNCTION kpi_statement_capture() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE f kpi_statement;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        f := kpi_statement_fact(NEW);
        IF f.statement_id IS NOT NULL THEN
          INSERT INTO kpi_statement VALUES (f.*) ON CONFLICT DO NOTHING;
        END IF;
      ELSIF NEW.voided IS DISTINCT FROM OLD.voided THEN
        UPDATE kpi_statement SET voided = NEW.voided
          WHERE tenant_id = NEW.tenant_id AND statement_id = NEW.id;
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER kpi_statement_insert AFTER INSERT ON xapi_statement
      FOR EACH ROW EXECUTE FUNCTION kpi_statement_capture()`.execute(db);
  await sql`
    CREATE TRIGGER kpi_statement_voided AFTER UPDATE OF voided ON xapi_statement
      FOR EACH ROW EXECUTE FUNCTION kpi_statement_capture()`.execute(db);

  // Statements stored before this migration. The function sits in FROM so it runs once per row
  // ((f(s)).* in the select list would run it once per column).
  await sql`
    INSERT INTO kpi_statement
    SELECT f.* FROM xapi_statement s CROSS JOIN LATERAL kpi_statement_fact(s) f
    WHERE position(${sql.lit(NS + '/')} in s.statement) > 0 AND f.statement_id IS NOT NULL
    ON CONFLICT DO NOTHING`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER kpi_statement_voided ON xapi_statement`.execute(db);
  await sql`DROP TRIGGER kpi_statement_insert ON xapi_statement`.execute(db);
  await sql`DROP FUNCTION kpi_statement_capture()`.execute(db);
  await sql`DROP FUNCTION kpi_statement_fact(xapi_statement)`.execute(db);
  await sql`DROP FUNCTION kpi_iso_duration_seconds(text)`.execute(db);
  await sql`DROP TABLE kpi_statement`.execute(db);
}
