import { sql, type Kysely } from 'kysely';

/**
 * KPI facts and rollups (issue #7), squashed before any release (issue #14) from the sixteen
 * migrations 0060-0075 into this one, with the same resulting schema. Frozen: it imports nothing that
 * can change, and its SQL is written out here. Reading a rollup starts at its module in
 * src/storage/rollups/ (what a row holds, what feeds it, its triggers and rebuild function); this file
 * holds the SQL that creates it, one section per module.
 *
 * Facts (`kpi_statement`): one narrow row per statement of Yardstick's capture vocabulary, written by a
 * trigger on xapi_statement in the transaction that stores the statement, following voiding (xAPI Data
 * 2.3.2). Rollups: tables kept from the facts (or from another rollup) by triggers in that same
 * transaction, each with a `<rollup>_rebuild(tenant uuid)` function that recomputes a tenant from its
 * source for bulk loads that bypass the row triggers. Also here: the analysts' read-only views (schema
 * `analytics`, confined by row-level security) and the chart render cache.
 */

/** Facts: src/storage/rollups/kpi-facts.ts. */
const FACTS = String.raw`
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
);
-- Course reports: one course's facts by module and verb, with what the aggregates read.
CREATE INDEX kpi_statement_course_idx ON kpi_statement (tenant_id, course_id, module_id, verb)
  INCLUDE (actor_name, registration, success, score_scaled, duration_seconds, "timestamp")
  WHERE NOT voided;
-- Program reports and learner pages.
CREATE INDEX kpi_statement_program_idx ON kpi_statement (tenant_id, program_id, module_id, verb) WHERE NOT voided;
CREATE INDEX kpi_statement_actor_idx ON kpi_statement (tenant_id, actor_name, actor_home_page);
-- Survey results, observations, item analysis and pre/post pairs: the answers of one item kind of a course.
CREATE INDEX kpi_statement_answer_idx ON kpi_statement (tenant_id, course_id, item_kind, module_id)
  INCLUDE (actor_home_page, actor_name, registration, item_id, success, "timestamp")
  WHERE verb = 'answered' AND NOT voided;
-- Recomputing one attempt when an answer of it is voided.
CREATE INDEX kpi_statement_registration_idx ON kpi_statement (tenant_id, registration) WHERE verb = 'answered';
-- Manager observations: the latest level per observed learner and item, index-only.
CREATE INDEX kpi_statement_observation_idx ON kpi_statement (tenant_id, course_id, module_id)
  INCLUDE (program_id, module_version, item_id, observed_home_page, observed_name, response, "timestamp")
  WHERE verb = 'answered' AND item_kind = 'observation' AND NOT voided;

CREATE FUNCTION kpi_iso_duration_seconds(d text)
 RETURNS double precision
 LANGUAGE sql
 IMMUTABLE
AS $function$
      SELECT CASE WHEN d ~ '^P(\d+(\.\d+)?[YMWD])*(T(\d+(\.\d+)?[HMS])+)?$' AND d <> 'P' AND d !~ 'T$'
        THEN extract(epoch FROM d::interval)::double precision END
    $function$;

-- The extraction, shared by the trigger and the backfill. Only statements that mention Yardstick's
-- namespace are parsed; a text jsonb cannot hold (a \u0000 escape) gets no fact instead of failing.
CREATE FUNCTION kpi_statement_fact(s xapi_statement)
 RETURNS kpi_statement
 LANGUAGE plpgsql
 STABLE
AS $function$
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
      IF position('https://w3id.org/yardstick/xapi/' in s.statement) = 0 OR position('\u0000' in s.statement) > 0 THEN
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
      f.anonymous := f.actor_home_page = 'https://w3id.org/yardstick/xapi/anonymous';
      ext := j #> '{context,extensions}';
      f.session_id := ext ->> 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
      f.module_version := CASE WHEN jsonb_typeof(ext -> 'https://w3id.org/yardstick/xapi/extensions/module_version') = 'number'
        THEN (ext ->> 'https://w3id.org/yardstick/xapi/extensions/module_version')::numeric::integer END;
      f.assignment_id := ext ->> 'https://w3id.org/yardstick/xapi/extensions/assignment_id';
      f.campaign_id := ext ->> 'https://w3id.org/yardstick/xapi/extensions/campaign_id';
      f.phase := ext ->> 'https://w3id.org/yardstick/xapi/extensions/phase';
      f.observed_home_page := ext #>> '{https://w3id.org/yardstick/xapi/extensions/observed_learner,account,homePage}';
      f.observed_name := ext #>> '{https://w3id.org/yardstick/xapi/extensions/observed_learner,account,name}';
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
      m := regexp_match(obj, '^https://w3id\.org/yardstick/xapi/tenants/[^/]+/modules/([0-9a-fA-F-]{36})(?:/(pages|pre-test|post-test|survey|observation)/(.+))?$');
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
      f.duration_estimated := CASE WHEN jsonb_typeof(rext -> 'https://w3id.org/yardstick/xapi/result/extensions/duration_estimated') = 'boolean'
        THEN (rext ->> 'https://w3id.org/yardstick/xapi/result/extensions/duration_estimated')::boolean END;
      RETURN f;
    END $function$;
`;

/** Learner activity by day: src/storage/rollups/kpi-learner-day.ts. */
const LEARNER_DAY = String.raw`
CREATE TABLE kpi_learner_day (
  tenant_id uuid NOT NULL,
  course_id uuid,
  program_id uuid,
  module_id uuid,
  module_version integer,
  day date NOT NULL,
  actor_home_page text,
  actor_name text,
  statements integer NOT NULL,
  launched integer NOT NULL,
  completed integer NOT NULL
);
CREATE UNIQUE INDEX kpi_learner_day_key ON kpi_learner_day
  (tenant_id, course_id, module_id, module_version, day, actor_name, actor_home_page, program_id)
  NULLS NOT DISTINCT;
CREATE INDEX kpi_learner_day_program_idx ON kpi_learner_day (tenant_id, program_id, module_id);

CREATE FUNCTION kpi_learner_day_add(f kpi_statement, delta integer)
 RETURNS void
 LANGUAGE sql
AS $function$
      INSERT INTO kpi_learner_day AS w
        VALUES (f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version,
                (f."timestamp" AT TIME ZONE 'UTC')::date, f.actor_home_page, f.actor_name,
                delta, CASE WHEN f.verb = 'launched' THEN delta ELSE 0 END,
                CASE WHEN f.verb = 'completed' THEN delta ELSE 0 END)
      ON CONFLICT (tenant_id, course_id, module_id, module_version, day, actor_name, actor_home_page, program_id)
      DO UPDATE SET statements = w.statements + excluded.statements, launched = w.launched + excluded.launched,
                    completed = w.completed + excluded.completed
    $function$;

CREATE FUNCTION kpi_learner_day_rebuild(t uuid)
 RETURNS void
 LANGUAGE sql
AS $function$
      DELETE FROM kpi_learner_day WHERE tenant_id = t;
      INSERT INTO kpi_learner_day
      SELECT tenant_id, course_id, program_id, module_id, module_version,
             ("timestamp" AT TIME ZONE 'UTC')::date, actor_home_page, actor_name,
             count(*), count(*) FILTER (WHERE verb = 'launched'), count(*) FILTER (WHERE verb = 'completed')
      FROM kpi_statement WHERE tenant_id = t AND NOT voided
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
    $function$;
`;

/** Test attempts by day: src/storage/rollups/kpi-attempt.ts. */
const ATTEMPT = String.raw`
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
  first_at timestamptz,
  day date NOT NULL
);
CREATE UNIQUE INDEX kpi_attempt_key ON kpi_attempt
  (tenant_id, course_id, module_id, module_version, phase, registration, actor_name, actor_home_page, program_id, day)
  NULLS NOT DISTINCT;
CREATE INDEX kpi_attempt_program_idx ON kpi_attempt (tenant_id, program_id, module_id);
-- Voiding recomputes one attempt-day row, found through (tenant_id, registration).
CREATE INDEX kpi_attempt_registration_idx ON kpi_attempt (tenant_id, registration);
-- A score pair's attempts (kpi_score_pair's recomputation).
CREATE INDEX kpi_attempt_actor_idx ON kpi_attempt (tenant_id, actor_name, actor_home_page, module_id);

CREATE FUNCTION kpi_attempt_add(f kpi_statement)
 RETURNS void
 LANGUAGE sql
AS $function$
      INSERT INTO kpi_attempt AS a
        VALUES (f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.item_kind,
                f.registration, f.actor_home_page, f.actor_name, 1, f.success::int, f."timestamp", (f."timestamp" AT TIME ZONE 'UTC')::date)
      ON CONFLICT (tenant_id, course_id, module_id, module_version, phase, registration, actor_name,
                   actor_home_page, program_id, day)
      DO UPDATE SET scored = a.scored + 1, correct = a.correct + excluded.correct,
                    first_at = least(a.first_at, excluded.first_at)
    $function$;

-- A voided answer cannot be subtracted from a minimum: its attempt-day row is recomputed from the facts.
CREATE FUNCTION kpi_attempt_recompute(f kpi_statement)
 RETURNS void
 LANGUAGE sql
AS $function$
      DELETE FROM kpi_attempt a
      WHERE a.tenant_id = f.tenant_id
        AND (a.registration = f.registration OR (f.registration IS NULL AND a.registration IS NULL))
        AND a.course_id IS NOT DISTINCT FROM f.course_id
        AND a.module_id = f.module_id AND a.module_version IS NOT DISTINCT FROM f.module_version
        AND a.phase = f.item_kind AND a.registration IS NOT DISTINCT FROM f.registration
        AND a.actor_name IS NOT DISTINCT FROM f.actor_name AND a.actor_home_page IS NOT DISTINCT FROM f.actor_home_page
        AND a.program_id IS NOT DISTINCT FROM f.program_id AND a.day = (f."timestamp" AT TIME ZONE 'UTC')::date;
      INSERT INTO kpi_attempt 
      SELECT tenant_id, course_id, program_id, module_id, module_version, item_kind, registration,
             actor_home_page, actor_name, count(*)::int, (count(*) FILTER (WHERE success))::int, min("timestamp"),
             (kpi_statement."timestamp" AT TIME ZONE 'UTC')::date
      FROM kpi_statement
      WHERE tenant_id = f.tenant_id AND registration IS NOT DISTINCT FROM f.registration
        AND course_id IS NOT DISTINCT FROM f.course_id AND module_id = f.module_id
        AND module_version IS NOT DISTINCT FROM f.module_version AND item_kind = f.item_kind
        AND actor_name IS NOT DISTINCT FROM f.actor_name AND actor_home_page IS NOT DISTINCT FROM f.actor_home_page
        AND program_id IS NOT DISTINCT FROM f.program_id AND (kpi_statement."timestamp" AT TIME ZONE 'UTC')::date = (f."timestamp" AT TIME ZONE 'UTC')::date AND verb = 'answered' AND item_kind IN ('pre', 'post') AND success IS NOT NULL
        AND module_id IS NOT NULL AND NOT voided
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, item_kind, registration,
               actor_home_page, actor_name, (kpi_statement."timestamp" AT TIME ZONE 'UTC')::date;
    $function$;

CREATE FUNCTION kpi_attempt_rebuild(t uuid)
 RETURNS void
 LANGUAGE sql
AS $function$
      DELETE FROM kpi_attempt WHERE tenant_id = t;
      INSERT INTO kpi_attempt 
      SELECT tenant_id, course_id, program_id, module_id, module_version, item_kind, registration,
             actor_home_page, actor_name, count(*)::int, (count(*) FILTER (WHERE success))::int, min("timestamp"),
             (kpi_statement."timestamp" AT TIME ZONE 'UTC')::date
      FROM kpi_statement
      WHERE tenant_id = t AND verb = 'answered' AND item_kind IN ('pre', 'post') AND success IS NOT NULL
        AND module_id IS NOT NULL AND NOT voided
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, item_kind, registration,
               actor_home_page, actor_name, (kpi_statement."timestamp" AT TIME ZONE 'UTC')::date;
    $function$;
`;

/** The fact trigger, keeping kpi_learner_day and kpi_attempt too: src/storage/rollups/kpi-facts.ts. */
const CAPTURE = String.raw`
CREATE FUNCTION kpi_statement_capture()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    DECLARE f kpi_statement; n integer;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        f := kpi_statement_fact(NEW);
        IF f.statement_id IS NOT NULL THEN
          INSERT INTO kpi_statement VALUES (f.*) ON CONFLICT DO NOTHING;
          GET DIAGNOSTICS n = ROW_COUNT;
          IF n > 0 AND NOT f.voided THEN PERFORM kpi_learner_day_add(f, 1); IF f.verb = 'answered' AND f.item_kind IN ('pre', 'post') AND f.success IS NOT NULL AND f.module_id IS NOT NULL THEN PERFORM kpi_attempt_add(f); END IF; END IF;
        END IF;
      ELSIF NEW.voided IS DISTINCT FROM OLD.voided THEN
        FOR f IN UPDATE kpi_statement SET voided = NEW.voided
            WHERE tenant_id = NEW.tenant_id AND statement_id = NEW.id AND voided IS DISTINCT FROM NEW.voided
            RETURNING * LOOP
          PERFORM kpi_learner_day_add(f, CASE WHEN f.voided THEN -1 ELSE 1 END); IF f.verb = 'answered' AND f.item_kind IN ('pre', 'post') AND f.success IS NOT NULL AND f.module_id IS NOT NULL THEN PERFORM kpi_attempt_recompute(f); END IF;
        END LOOP;
      END IF;
      RETURN NULL;
    END $function$;

CREATE TRIGGER kpi_statement_insert AFTER INSERT ON xapi_statement
  FOR EACH ROW EXECUTE FUNCTION kpi_statement_capture();
CREATE TRIGGER kpi_statement_voided AFTER UPDATE OF voided ON xapi_statement
  FOR EACH ROW EXECUTE FUNCTION kpi_statement_capture();
`;

/** Learner x module by day: src/storage/rollups/kpi-learner-module.ts. */
const LEARNER_MODULE = String.raw`
CREATE TABLE kpi_learner_module (
  tenant_id uuid NOT NULL,
  course_id uuid,
  program_id uuid,
  module_id uuid,
  module_version integer,
  actor_home_page text,
  actor_name text,
  launched integer NOT NULL,
  initialized integer NOT NULL,
  completed integer NOT NULL,
  passed integer NOT NULL,
  failed integer NOT NULL,
  sessions integer NOT NULL,
  micros bigint NOT NULL,
  estimated integer NOT NULL,
  first_launch_at timestamptz,
  last_activity_at timestamptz,
  day date NOT NULL
);
CREATE UNIQUE INDEX kpi_learner_module_key ON kpi_learner_module
  (tenant_id, course_id, module_id, module_version, actor_name, actor_home_page, program_id, day)
  NULLS NOT DISTINCT;
CREATE INDEX kpi_learner_module_program_idx ON kpi_learner_module (tenant_id, program_id, module_id);
-- A page of the learner list reads its learners' rows only.
CREATE INDEX kpi_learner_module_actor_idx ON kpi_learner_module (tenant_id, actor_name, actor_home_page);

CREATE FUNCTION kpi_learner_module_add(f kpi_statement, delta integer)
 RETURNS void
 LANGUAGE sql
AS $function$
      INSERT INTO kpi_learner_module AS k
        VALUES (f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.actor_home_page,
                f.actor_name,
                CASE WHEN f.verb = 'launched' THEN delta ELSE 0 END,
                CASE WHEN f.verb = 'initialized' THEN delta ELSE 0 END,
                CASE WHEN f.verb = 'completed' THEN delta ELSE 0 END,
                CASE WHEN f.verb = 'passed' THEN delta ELSE 0 END,
                CASE WHEN f.verb = 'failed' THEN delta ELSE 0 END,
                CASE WHEN f.verb IN ('terminated', 'abandoned') AND f.duration_seconds IS NOT NULL AND f.module_id IS NOT NULL THEN delta ELSE 0 END,
                CASE WHEN f.verb IN ('terminated', 'abandoned') AND f.duration_seconds IS NOT NULL AND f.module_id IS NOT NULL THEN delta * round(f.duration_seconds * 1e6)::bigint ELSE 0 END,
                CASE WHEN f.verb IN ('terminated', 'abandoned') AND f.duration_seconds IS NOT NULL AND f.module_id IS NOT NULL AND (f.duration_estimated OR f.verb = 'abandoned')
                  THEN delta ELSE 0 END,
                CASE WHEN delta > 0 AND f.verb = 'launched' THEN f."timestamp" END,
                CASE WHEN delta > 0 AND f.verb IN ('launched', 'completed') THEN f."timestamp" END,
                (f."timestamp" AT TIME ZONE 'UTC')::date)
      ON CONFLICT (tenant_id, course_id, module_id, module_version, actor_name, actor_home_page, program_id, day)
      DO UPDATE SET launched = k.launched + excluded.launched, initialized = k.initialized + excluded.initialized,
                    completed = k.completed + excluded.completed, passed = k.passed + excluded.passed,
                    failed = k.failed + excluded.failed, sessions = k.sessions + excluded.sessions,
                    micros = k.micros + excluded.micros, estimated = k.estimated + excluded.estimated,
                    first_launch_at = least(k.first_launch_at, excluded.first_launch_at),
                    last_activity_at = greatest(k.last_activity_at, excluded.last_activity_at)
    $function$;

-- The timestamps of one row from its facts, after a launch or completion is voided.
CREATE FUNCTION kpi_learner_module_retime(f kpi_statement)
 RETURNS void
 LANGUAGE sql
AS $function$
      UPDATE kpi_learner_module k SET
        first_launch_at = (SELECT min(s."timestamp") FROM kpi_statement s
                           WHERE s.tenant_id = f.tenant_id AND s.actor_name IS NOT DISTINCT FROM f.actor_name
        AND s.actor_home_page IS NOT DISTINCT FROM f.actor_home_page AND s.course_id IS NOT DISTINCT FROM f.course_id
        AND s.program_id IS NOT DISTINCT FROM f.program_id AND s.module_id IS NOT DISTINCT FROM f.module_id
        AND s.module_version IS NOT DISTINCT FROM f.module_version AND NOT s.voided
        AND (s."timestamp" AT TIME ZONE 'UTC')::date = (f."timestamp" AT TIME ZONE 'UTC')::date AND s.verb = 'launched'),
        last_activity_at = (SELECT max(s."timestamp") FROM kpi_statement s
                            WHERE s.tenant_id = f.tenant_id AND s.actor_name IS NOT DISTINCT FROM f.actor_name
        AND s.actor_home_page IS NOT DISTINCT FROM f.actor_home_page AND s.course_id IS NOT DISTINCT FROM f.course_id
        AND s.program_id IS NOT DISTINCT FROM f.program_id AND s.module_id IS NOT DISTINCT FROM f.module_id
        AND s.module_version IS NOT DISTINCT FROM f.module_version AND NOT s.voided
        AND (s."timestamp" AT TIME ZONE 'UTC')::date = (f."timestamp" AT TIME ZONE 'UTC')::date AND s.verb IN ('launched', 'completed'))
      WHERE k.tenant_id = f.tenant_id AND k.course_id IS NOT DISTINCT FROM f.course_id
        AND k.module_id IS NOT DISTINCT FROM f.module_id AND k.module_version IS NOT DISTINCT FROM f.module_version
        AND k.actor_name IS NOT DISTINCT FROM f.actor_name AND k.actor_home_page IS NOT DISTINCT FROM f.actor_home_page
        AND k.program_id IS NOT DISTINCT FROM f.program_id AND k.day = (f."timestamp" AT TIME ZONE 'UTC')::date
    $function$;

CREATE FUNCTION kpi_learner_module_rebuild(t uuid)
 RETURNS void
 LANGUAGE sql
AS $function$
      DELETE FROM kpi_learner_module WHERE tenant_id = t;
      INSERT INTO kpi_learner_module
      SELECT f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.actor_home_page, f.actor_name,
             count(*) FILTER (WHERE f.verb = 'launched'), count(*) FILTER (WHERE f.verb = 'initialized'),
             count(*) FILTER (WHERE f.verb = 'completed'), count(*) FILTER (WHERE f.verb = 'passed'),
             count(*) FILTER (WHERE f.verb = 'failed'), count(*) FILTER (WHERE f.verb IN ('terminated', 'abandoned') AND f.duration_seconds IS NOT NULL AND f.module_id IS NOT NULL),
             coalesce(sum(round(f.duration_seconds * 1e6)::bigint) FILTER (WHERE f.verb IN ('terminated', 'abandoned') AND f.duration_seconds IS NOT NULL AND f.module_id IS NOT NULL), 0),
             count(*) FILTER (WHERE f.verb IN ('terminated', 'abandoned') AND f.duration_seconds IS NOT NULL AND f.module_id IS NOT NULL AND (f.duration_estimated OR f.verb = 'abandoned')),
             min(f."timestamp") FILTER (WHERE f.verb = 'launched'),
             max(f."timestamp") FILTER (WHERE f.verb IN ('launched', 'completed')),
             (f."timestamp" AT TIME ZONE 'UTC')::date
      FROM kpi_statement f
      WHERE f.tenant_id = t AND NOT f.voided AND (f.verb = 'launched' OR (f.module_id IS NOT NULL AND (
    f.verb IN ('initialized', 'completed', 'passed', 'failed')
    OR (f.verb IN ('terminated', 'abandoned') AND f.duration_seconds IS NOT NULL))))
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 18;
    $function$;

CREATE FUNCTION kpi_learner_module_capture()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM kpi_learner_module_add(NEW, 1);
      ELSE
        PERFORM kpi_learner_module_add(NEW, CASE WHEN NEW.voided THEN -1 ELSE 1 END);
        IF NEW.voided AND NEW.verb IN ('launched', 'completed') THEN
          PERFORM kpi_learner_module_retime(NEW);
        END IF;
      END IF;
      RETURN NULL;
    END $function$;

CREATE TRIGGER kpi_learner_module_insert AFTER INSERT ON kpi_statement FOR EACH ROW
  WHEN (NOT NEW.voided AND (NEW.verb = 'launched' OR (NEW.module_id IS NOT NULL AND (
      NEW.verb IN ('initialized', 'completed', 'passed', 'failed')
      OR (NEW.verb IN ('terminated', 'abandoned') AND NEW.duration_seconds IS NOT NULL)))))
  EXECUTE FUNCTION kpi_learner_module_capture();
CREATE TRIGGER kpi_learner_module_voided AFTER UPDATE OF voided ON kpi_statement FOR EACH ROW
  WHEN (OLD.voided IS DISTINCT FROM NEW.voided AND (NEW.verb = 'launched' OR (NEW.module_id IS NOT NULL AND (
      NEW.verb IN ('initialized', 'completed', 'passed', 'failed')
      OR (NEW.verb IN ('terminated', 'abandoned') AND NEW.duration_seconds IS NOT NULL)))))
  EXECUTE FUNCTION kpi_learner_module_capture();
`;

/** Survey answers and their respondents: src/storage/rollups/kpi-survey-answer.ts. */
const SURVEY_ANSWER = String.raw`
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
  answers integer NOT NULL,
  multi boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX kpi_survey_answer_key ON kpi_survey_answer
  (tenant_id, course_id, module_id, module_version, item_id, response, actor_name, actor_home_page, program_id, day)
  NULLS NOT DISTINCT;
CREATE INDEX kpi_survey_answer_program_idx ON kpi_survey_answer (tenant_id, program_id, module_id);
CREATE INDEX kpi_survey_answer_actor_idx ON kpi_survey_answer (tenant_id, module_id, item_id, actor_name);
CREATE INDEX kpi_survey_answer_multi_idx ON kpi_survey_answer (tenant_id, module_id) WHERE multi;

-- Per (tenant, module, item, actor name): how many of the actor's rows have answers (multi when > 1).
CREATE TABLE kpi_survey_actor_item (
  tenant_id uuid NOT NULL,
  module_id uuid NOT NULL,
  item_id text NOT NULL,
  actor_name text NOT NULL,
  answered_rows integer NOT NULL
);
CREATE UNIQUE INDEX kpi_survey_actor_item_key ON kpi_survey_actor_item (tenant_id, module_id, item_id, actor_name);

CREATE FUNCTION kpi_survey_answer_add(f kpi_statement, delta integer)
 RETURNS void
 LANGUAGE sql
AS $function$
      INSERT INTO kpi_survey_answer AS a
        VALUES (f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.item_id, f.response,
                f.actor_home_page, f.actor_name, f.anonymous, (f."timestamp" AT TIME ZONE 'UTC')::date, delta)
      ON CONFLICT (tenant_id, course_id, module_id, module_version, item_id, response, actor_name,
                   actor_home_page, program_id, day)
      DO UPDATE SET answers = a.answers + excluded.answers
    $function$;

CREATE FUNCTION kpi_survey_answer_capture()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM kpi_survey_answer_add(NEW, 1);
      ELSE
        PERFORM kpi_survey_answer_add(NEW, CASE WHEN NEW.voided THEN -1 ELSE 1 END);
      END IF;
      RETURN NULL;
    END $function$;

CREATE TRIGGER kpi_survey_answer_insert AFTER INSERT ON kpi_statement FOR EACH ROW
  WHEN (NOT NEW.voided AND NEW.verb = 'answered' AND NEW.item_kind = 'survey' AND NEW.response IS NOT NULL AND NEW.response <> ''
      AND NEW.module_id IS NOT NULL)
  EXECUTE FUNCTION kpi_survey_answer_capture();
CREATE TRIGGER kpi_survey_answer_voided AFTER UPDATE OF voided ON kpi_statement FOR EACH ROW
  WHEN (OLD.voided IS DISTINCT FROM NEW.voided AND NEW.verb = 'answered' AND NEW.item_kind = 'survey' AND NEW.response IS NOT NULL AND NEW.response <> ''
      AND NEW.module_id IS NOT NULL)
  EXECUTE FUNCTION kpi_survey_answer_capture();

CREATE FUNCTION kpi_survey_answer_rebuild(t uuid)
 RETURNS void
 LANGUAGE sql
AS $function$
      DELETE FROM kpi_survey_answer WHERE tenant_id = t;
      INSERT INTO kpi_survey_answer
      SELECT tenant_id, course_id, program_id, module_id, module_version, item_id, response, actor_home_page,
             actor_name, bool_or(anonymous), ("timestamp" AT TIME ZONE 'UTC')::date, count(*)
      FROM kpi_statement f
      WHERE f.tenant_id = t AND NOT f.voided AND f.verb = 'answered' AND f.item_kind = 'survey' AND f.response IS NOT NULL AND f.response <> '' AND f.module_id IS NOT NULL
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, item_id, response, actor_home_page,
               actor_name, ("timestamp" AT TIME ZONE 'UTC')::date;
    $function$;

CREATE FUNCTION kpi_survey_multi_follow()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    BEGIN
      -- Its own flag updates change no answers.
      IF current_setting('yardstick.kpi_survey_multi', true) = 'on' THEN RETURN NULL; END IF;
      IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM added) THEN RETURN NULL; END IF;
        
      WITH delta AS (
        SELECT tenant_id, module_id, item_id, actor_name, sum(d)::int AS d FROM (SELECT tenant_id, module_id, item_id, actor_name, (answers > 0)::int AS d FROM added
   WHERE item_id IS NOT NULL AND actor_name IS NOT NULL) c GROUP BY tenant_id, module_id, item_id, actor_name
        ORDER BY tenant_id, module_id, item_id, actor_name)
      INSERT INTO kpi_survey_actor_item AS g SELECT * FROM delta
      ON CONFLICT (tenant_id, module_id, item_id, actor_name) DO UPDATE SET answered_rows = g.answered_rows + excluded.answered_rows;
      PERFORM set_config('yardstick.kpi_survey_multi', 'on', true);
      UPDATE kpi_survey_answer s SET multi = g.answered_rows > 1
      FROM kpi_survey_actor_item g JOIN (SELECT DISTINCT tenant_id, module_id, item_id, actor_name FROM (SELECT tenant_id, module_id, item_id, actor_name, (answers > 0)::int AS d FROM added
   WHERE item_id IS NOT NULL AND actor_name IS NOT NULL) c) k ON g.tenant_id = k.tenant_id AND g.module_id = k.module_id AND g.item_id = k.item_id
        AND g.actor_name = k.actor_name
      WHERE s.tenant_id = g.tenant_id AND s.module_id = g.module_id AND s.item_id = g.item_id
        AND s.actor_name = g.actor_name AND s.multi IS DISTINCT FROM (g.answered_rows > 1);
      PERFORM set_config('yardstick.kpi_survey_multi', 'off', true);
      DELETE FROM kpi_survey_actor_item g USING (SELECT DISTINCT tenant_id, module_id, item_id, actor_name FROM (SELECT tenant_id, module_id, item_id, actor_name, (answers > 0)::int AS d FROM added
   WHERE item_id IS NOT NULL AND actor_name IS NOT NULL) c) k
      WHERE g.tenant_id = k.tenant_id AND g.module_id = k.module_id AND g.item_id = k.item_id
        AND g.actor_name = k.actor_name AND g.answered_rows = 0;
      ELSIF TG_OP = 'DELETE' THEN
        
      WITH delta AS (
        SELECT tenant_id, module_id, item_id, actor_name, sum(d)::int AS d FROM (SELECT tenant_id, module_id, item_id, actor_name, -(answers > 0)::int AS d FROM removed
   WHERE item_id IS NOT NULL AND actor_name IS NOT NULL) c GROUP BY tenant_id, module_id, item_id, actor_name
        ORDER BY tenant_id, module_id, item_id, actor_name)
      INSERT INTO kpi_survey_actor_item AS g SELECT * FROM delta
      ON CONFLICT (tenant_id, module_id, item_id, actor_name) DO UPDATE SET answered_rows = g.answered_rows + excluded.answered_rows;
      PERFORM set_config('yardstick.kpi_survey_multi', 'on', true);
      UPDATE kpi_survey_answer s SET multi = g.answered_rows > 1
      FROM kpi_survey_actor_item g JOIN (SELECT DISTINCT tenant_id, module_id, item_id, actor_name FROM (SELECT tenant_id, module_id, item_id, actor_name, -(answers > 0)::int AS d FROM removed
   WHERE item_id IS NOT NULL AND actor_name IS NOT NULL) c) k ON g.tenant_id = k.tenant_id AND g.module_id = k.module_id AND g.item_id = k.item_id
        AND g.actor_name = k.actor_name
      WHERE s.tenant_id = g.tenant_id AND s.module_id = g.module_id AND s.item_id = g.item_id
        AND s.actor_name = g.actor_name AND s.multi IS DISTINCT FROM (g.answered_rows > 1);
      PERFORM set_config('yardstick.kpi_survey_multi', 'off', true);
      DELETE FROM kpi_survey_actor_item g USING (SELECT DISTINCT tenant_id, module_id, item_id, actor_name FROM (SELECT tenant_id, module_id, item_id, actor_name, -(answers > 0)::int AS d FROM removed
   WHERE item_id IS NOT NULL AND actor_name IS NOT NULL) c) k
      WHERE g.tenant_id = k.tenant_id AND g.module_id = k.module_id AND g.item_id = k.item_id
        AND g.actor_name = k.actor_name AND g.answered_rows = 0;
      ELSE
        IF NOT EXISTS (SELECT 1 FROM added) THEN RETURN NULL; END IF;
        
      WITH delta AS (
        SELECT tenant_id, module_id, item_id, actor_name, sum(d)::int AS d FROM (SELECT tenant_id, module_id, item_id, actor_name, (answers > 0)::int AS d FROM added
   WHERE item_id IS NOT NULL AND actor_name IS NOT NULL UNION ALL SELECT tenant_id, module_id, item_id, actor_name, -(answers > 0)::int AS d FROM removed
   WHERE item_id IS NOT NULL AND actor_name IS NOT NULL) c GROUP BY tenant_id, module_id, item_id, actor_name
        ORDER BY tenant_id, module_id, item_id, actor_name)
      INSERT INTO kpi_survey_actor_item AS g SELECT * FROM delta
      ON CONFLICT (tenant_id, module_id, item_id, actor_name) DO UPDATE SET answered_rows = g.answered_rows + excluded.answered_rows;
      PERFORM set_config('yardstick.kpi_survey_multi', 'on', true);
      UPDATE kpi_survey_answer s SET multi = g.answered_rows > 1
      FROM kpi_survey_actor_item g JOIN (SELECT DISTINCT tenant_id, module_id, item_id, actor_name FROM (SELECT tenant_id, module_id, item_id, actor_name, (answers > 0)::int AS d FROM added
   WHERE item_id IS NOT NULL AND actor_name IS NOT NULL UNION ALL SELECT tenant_id, module_id, item_id, actor_name, -(answers > 0)::int AS d FROM removed
   WHERE item_id IS NOT NULL AND actor_name IS NOT NULL) c) k ON g.tenant_id = k.tenant_id AND g.module_id = k.module_id AND g.item_id = k.item_id
        AND g.actor_name = k.actor_name
      WHERE s.tenant_id = g.tenant_id AND s.module_id = g.module_id AND s.item_id = g.item_id
        AND s.actor_name = g.actor_name AND s.multi IS DISTINCT FROM (g.answered_rows > 1);
      PERFORM set_config('yardstick.kpi_survey_multi', 'off', true);
      DELETE FROM kpi_survey_actor_item g USING (SELECT DISTINCT tenant_id, module_id, item_id, actor_name FROM (SELECT tenant_id, module_id, item_id, actor_name, (answers > 0)::int AS d FROM added
   WHERE item_id IS NOT NULL AND actor_name IS NOT NULL UNION ALL SELECT tenant_id, module_id, item_id, actor_name, -(answers > 0)::int AS d FROM removed
   WHERE item_id IS NOT NULL AND actor_name IS NOT NULL) c) k
      WHERE g.tenant_id = k.tenant_id AND g.module_id = k.module_id AND g.item_id = k.item_id
        AND g.actor_name = k.actor_name AND g.answered_rows = 0;
      END IF;
      RETURN NULL;
    END $function$;

CREATE TRIGGER kpi_survey_multi_insert AFTER INSERT ON kpi_survey_answer
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION kpi_survey_multi_follow();
CREATE TRIGGER kpi_survey_multi_update AFTER UPDATE ON kpi_survey_answer
  REFERENCING NEW TABLE AS added OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION kpi_survey_multi_follow();
CREATE TRIGGER kpi_survey_multi_delete AFTER DELETE ON kpi_survey_answer
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION kpi_survey_multi_follow();
`;

/** Each learner's latest post-test attempt: src/storage/rollups/kpi-post-latest.ts. */
const POST_LATEST = String.raw`
CREATE TABLE kpi_post_latest (
  tenant_id uuid NOT NULL,
  course_id uuid,
  program_id uuid,
  module_id uuid NOT NULL,
  module_version integer,
  actor_home_page text NOT NULL,
  actor_name text NOT NULL,
  registration uuid,
  last_at timestamptz NOT NULL,
  total integer NOT NULL,
  items text[] NOT NULL,
  correct boolean[] NOT NULL,
  responses text[] NOT NULL,
  split boolean NOT NULL
);
-- The triggers' lookup: the actor's columns lead.
CREATE UNIQUE INDEX kpi_post_latest_key ON kpi_post_latest
  (tenant_id, actor_name, actor_home_page, module_id, module_version, course_id, program_id)
  NULLS NOT DISTINCT;
CREATE INDEX kpi_post_latest_course_idx ON kpi_post_latest (tenant_id, course_id, module_id);
CREATE INDEX kpi_post_latest_program_idx ON kpi_post_latest (tenant_id, program_id, module_id);
CREATE INDEX kpi_post_latest_split_idx ON kpi_post_latest (tenant_id, module_id) WHERE split;

-- Inserts a new row unless a concurrent transaction did (false then); marks it split when the actor
-- has another row of the module version.
CREATE FUNCTION kpi_post_insert(a kpi_post_latest)
 RETURNS boolean
 LANGUAGE plpgsql
AS $function$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended(
        a.tenant_id::text || a.module_id::text || a.actor_home_page || ' ' || a.actor_name, 0));
      a.split := EXISTS (
        SELECT 1 FROM kpi_post_latest p
        WHERE p.tenant_id = a.tenant_id AND p.actor_name = a.actor_name AND p.actor_home_page = a.actor_home_page
          AND p.module_id = a.module_id AND coalesce(p.module_version, 0) = coalesce(a.module_version, 0));
      INSERT INTO kpi_post_latest SELECT (a).* ON CONFLICT DO NOTHING;
      RETURN FOUND;
    END $function$;

-- Writes (or deletes, when the attempt has no answer) the row of f's key from a recomputed attempt.
CREATE FUNCTION kpi_post_store(f kpi_statement, a kpi_post_latest)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
    BEGIN
      IF a.last_at IS NULL THEN
        DELETE FROM kpi_post_latest p WHERE p.tenant_id = f.tenant_id AND p.actor_name = f.actor_name
        AND p.actor_home_page = f.actor_home_page AND p.module_id = f.module_id
        AND p.module_version IS NOT DISTINCT FROM f.module_version
        AND p.course_id IS NOT DISTINCT FROM f.course_id AND p.program_id IS NOT DISTINCT FROM f.program_id;
        RETURN;
      END IF;
      UPDATE kpi_post_latest p
        SET registration = a.registration, last_at = a.last_at, total = a.total, items = a.items,
            correct = a.correct, responses = a.responses
        WHERE p.tenant_id = f.tenant_id AND p.actor_name = f.actor_name
        AND p.actor_home_page = f.actor_home_page AND p.module_id = f.module_id
        AND p.module_version IS NOT DISTINCT FROM f.module_version
        AND p.course_id IS NOT DISTINCT FROM f.course_id AND p.program_id IS NOT DISTINCT FROM f.program_id;
      IF NOT FOUND THEN PERFORM kpi_post_insert(a); END IF;
    END $function$;

-- The row of f's key from all of the actor's facts: after a voiding.
CREATE FUNCTION kpi_post_recompute(f kpi_statement)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
    DECLARE r kpi_post_latest;
    BEGIN
      
      WITH a AS MATERIALIZED (SELECT a.registration, a."timestamp", a.item_id, a.success, a.response
        FROM kpi_statement a WHERE a.tenant_id = f.tenant_id AND a.actor_name = f.actor_name
        AND a.actor_home_page = f.actor_home_page AND a.module_id = f.module_id
        AND a.module_version IS NOT DISTINCT FROM f.module_version
        AND a.course_id IS NOT DISTINCT FROM f.course_id AND a.program_id IS NOT DISTINCT FROM f.program_id AND a.verb = 'answered' AND a.item_kind = 'post' AND a.item_id IS NOT NULL AND NOT a.voided),
      latest AS (SELECT registration FROM a ORDER BY "timestamp" DESC, registration DESC NULLS LAST LIMIT 1),
      per AS (
        SELECT item_id, coalesce(bool_or(success), false) AS s, max(response) AS resp, max("timestamp") AS at
        FROM a WHERE registration IS NOT DISTINCT FROM (SELECT registration FROM latest)
        GROUP BY item_id)
      SELECT f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.actor_home_page,
             f.actor_name, (SELECT registration FROM latest) AS registration, max(at) AS last_at,
             coalesce(sum(s::int), 0)::int AS total, array_agg(item_id) AS items, array_agg(s) AS correct,
             array_agg(resp) AS responses, false AS split
      FROM per
      INTO r;
      PERFORM kpi_post_store(f, r);
    END $function$;

-- The row of f's key when f's attempt became the latest: that attempt's facts.
CREATE FUNCTION kpi_post_take_attempt(f kpi_statement)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
    DECLARE r kpi_post_latest;
    BEGIN
      IF f.registration IS NULL THEN
        PERFORM kpi_post_recompute(f);
        RETURN;
      END IF;
      
      WITH a AS MATERIALIZED (SELECT a.registration, a."timestamp", a.item_id, a.success, a.response
        FROM kpi_statement a WHERE a.registration = f.registration AND a.tenant_id = f.tenant_id AND a.actor_name = f.actor_name
        AND a.actor_home_page = f.actor_home_page AND a.module_id = f.module_id
        AND a.module_version IS NOT DISTINCT FROM f.module_version
        AND a.course_id IS NOT DISTINCT FROM f.course_id AND a.program_id IS NOT DISTINCT FROM f.program_id AND a.verb = 'answered' AND a.item_kind = 'post' AND a.item_id IS NOT NULL AND NOT a.voided),
      latest AS (SELECT registration FROM a ORDER BY "timestamp" DESC, registration DESC NULLS LAST LIMIT 1),
      per AS (
        SELECT item_id, coalesce(bool_or(success), false) AS s, max(response) AS resp, max("timestamp") AS at
        FROM a WHERE registration IS NOT DISTINCT FROM (SELECT registration FROM latest)
        GROUP BY item_id)
      SELECT f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.actor_home_page,
             f.actor_name, (SELECT registration FROM latest) AS registration, max(at) AS last_at,
             coalesce(sum(s::int), 0)::int AS total, array_agg(item_id) AS items, array_agg(s) AS correct,
             array_agg(resp) AS responses, false AS split
      FROM per
      INTO r;
      PERFORM kpi_post_store(f, r);
    END $function$;

-- A new (or no longer voided) post-test answer.
CREATE FUNCTION kpi_post_add(f kpi_statement)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
    DECLARE
      l kpi_post_latest;
      s boolean := coalesce(f.success, false);
      k integer;
    BEGIN
      SELECT * INTO l FROM kpi_post_latest p WHERE p.tenant_id = f.tenant_id AND p.actor_name = f.actor_name
        AND p.actor_home_page = f.actor_home_page AND p.module_id = f.module_id
        AND p.module_version IS NOT DISTINCT FROM f.module_version
        AND p.course_id IS NOT DISTINCT FROM f.course_id AND p.program_id IS NOT DISTINCT FROM f.program_id FOR UPDATE;
      IF NOT FOUND THEN
        IF kpi_post_insert(ROW(f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version,
              f.actor_home_page, f.actor_name, f.registration, f."timestamp", s::int, ARRAY[f.item_id],
              ARRAY[s], ARRAY[f.response], false)::kpi_post_latest) THEN
          RETURN;
        END IF;
        -- A concurrent transaction created the row first: queue behind it.
        SELECT * INTO l FROM kpi_post_latest p WHERE p.tenant_id = f.tenant_id AND p.actor_name = f.actor_name
        AND p.actor_home_page = f.actor_home_page AND p.module_id = f.module_id
        AND p.module_version IS NOT DISTINCT FROM f.module_version
        AND p.course_id IS NOT DISTINCT FROM f.course_id AND p.program_id IS NOT DISTINCT FROM f.program_id FOR UPDATE;
      END IF;
      IF l.registration IS NOT DISTINCT FROM f.registration THEN
        k := array_position(l.items, f.item_id);
        IF k IS NULL THEN
          UPDATE kpi_post_latest p
            SET last_at = greatest(p.last_at, f."timestamp"), total = p.total + s::int,
                items = array_append(p.items, f.item_id), correct = array_append(p.correct, s),
                responses = array_append(p.responses, f.response)
            WHERE p.tenant_id = f.tenant_id AND p.actor_name = f.actor_name
        AND p.actor_home_page = f.actor_home_page AND p.module_id = f.module_id
        AND p.module_version IS NOT DISTINCT FROM f.module_version
        AND p.course_id IS NOT DISTINCT FROM f.course_id AND p.program_id IS NOT DISTINCT FROM f.program_id;
        ELSIF f."timestamp" > l.last_at OR (s AND NOT l.correct[k])
              OR f.response > l.responses[k] OR (l.responses[k] IS NULL AND f.response IS NOT NULL) THEN
          UPDATE kpi_post_latest p
            SET last_at = greatest(p.last_at, f."timestamp"), total = p.total + (s AND NOT p.correct[k])::int,
                correct[k] = p.correct[k] OR s, responses[k] = greatest(p.responses[k], f.response)
            WHERE p.tenant_id = f.tenant_id AND p.actor_name = f.actor_name
        AND p.actor_home_page = f.actor_home_page AND p.module_id = f.module_id
        AND p.module_version IS NOT DISTINCT FROM f.module_version
        AND p.course_id IS NOT DISTINCT FROM f.course_id AND p.program_id IS NOT DISTINCT FROM f.program_id;
        END IF;
      ELSIF f."timestamp" > l.last_at OR (f."timestamp" = l.last_at AND f.registration IS NOT NULL
            AND (l.registration IS NULL OR f.registration > l.registration)) THEN
        PERFORM kpi_post_take_attempt(f);
      END IF;
    END $function$;

CREATE FUNCTION kpi_post_capture()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    DECLARE l kpi_post_latest; f kpi_statement := NEW;
    BEGIN
      IF NOT NEW.voided THEN
        PERFORM kpi_post_add(NEW);
        RETURN NULL;
      END IF;
      -- Voided: only an answer of the latest attempt changes the row.
      SELECT * INTO l FROM kpi_post_latest p WHERE p.tenant_id = f.tenant_id AND p.actor_name = f.actor_name
        AND p.actor_home_page = f.actor_home_page AND p.module_id = f.module_id
        AND p.module_version IS NOT DISTINCT FROM f.module_version
        AND p.course_id IS NOT DISTINCT FROM f.course_id AND p.program_id IS NOT DISTINCT FROM f.program_id FOR UPDATE;
      IF FOUND AND l.registration IS NOT DISTINCT FROM NEW.registration THEN
        PERFORM kpi_post_recompute(NEW);
      END IF;
      RETURN NULL;
    END $function$;

CREATE TRIGGER kpi_post_insert AFTER INSERT ON kpi_statement FOR EACH ROW
  WHEN (NOT NEW.voided AND NEW.verb = 'answered' AND NEW.item_kind = 'post' AND NEW.module_id IS NOT NULL AND NEW.item_id IS NOT NULL
      AND NEW.actor_name IS NOT NULL AND NEW.actor_home_page IS NOT NULL)
  EXECUTE FUNCTION kpi_post_capture();
CREATE TRIGGER kpi_post_voided AFTER UPDATE OF voided ON kpi_statement FOR EACH ROW
  WHEN (OLD.voided IS DISTINCT FROM NEW.voided AND NEW.verb = 'answered' AND NEW.item_kind = 'post' AND NEW.module_id IS NOT NULL AND NEW.item_id IS NOT NULL
      AND NEW.actor_name IS NOT NULL AND NEW.actor_home_page IS NOT NULL)
  EXECUTE FUNCTION kpi_post_capture();

CREATE FUNCTION kpi_post_rebuild(t uuid)
 RETURNS void
 LANGUAGE sql
AS $function$
      DELETE FROM kpi_post_latest WHERE tenant_id = t;
      INSERT INTO kpi_post_latest
      SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
             latest, max(at), sum(s::int), array_agg(item_id), array_agg(s), array_agg(r),
             count(*) OVER (PARTITION BY tenant_id, actor_name, actor_home_page, module_id,
                                         coalesce(module_version, 0)) > 1
      FROM (
        SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, latest,
               item_id, coalesce(bool_or(success), false) AS s, max(response) AS r, max("timestamp") AS at
        FROM (
          SELECT a.*, first_value(a.registration) OVER (
                   PARTITION BY a.course_id, a.program_id, a.module_id, a.module_version, a.actor_home_page,
                                a.actor_name
                   ORDER BY a."timestamp" DESC, a.registration DESC NULLS LAST) AS latest
          FROM kpi_statement a
          WHERE a.tenant_id = t AND a.verb = 'answered' AND a.item_kind = 'post' AND a.module_id IS NOT NULL
  AND a.item_id IS NOT NULL AND a.actor_name IS NOT NULL AND a.actor_home_page IS NOT NULL AND NOT a.voided) a
        WHERE registration IS NOT DISTINCT FROM latest
        GROUP BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
                 latest, item_id) per
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, latest;
    $function$;
`;

/** Sums over the latest post-test attempts: src/storage/rollups/kpi-post-sums.ts. */
const POST_SUMS = String.raw`
CREATE TABLE kpi_post_total (
  tenant_id uuid NOT NULL,
  course_id uuid,
  program_id uuid,
  module_id uuid NOT NULL,
  module_version integer,
  total integer NOT NULL,
  learners integer NOT NULL
);
CREATE UNIQUE INDEX kpi_post_total_key ON kpi_post_total
  (tenant_id, course_id, module_id, module_version, program_id, total) NULLS NOT DISTINCT;
CREATE INDEX kpi_post_total_program_idx ON kpi_post_total (tenant_id, program_id, module_id);
CREATE TABLE kpi_post_option (
  tenant_id uuid NOT NULL,
  course_id uuid,
  program_id uuid,
  module_id uuid NOT NULL,
  module_version integer,
  item_id text NOT NULL,
  response text,
  total integer NOT NULL,
  learners integer NOT NULL,
  correct integer NOT NULL
);
CREATE UNIQUE INDEX kpi_post_option_key ON kpi_post_option
  (tenant_id, course_id, module_id, module_version, program_id, item_id, response, total)
  NULLS NOT DISTINCT;
CREATE INDEX kpi_post_option_program_idx ON kpi_post_option (tenant_id, program_id, module_id);
-- Changes of a transaction not yet applied to the sums: per key, a total's (item_id null) or an option's.
CREATE TABLE kpi_post_sums_pending (
  tenant_id uuid NOT NULL,
  xact xid8 NOT NULL,
  course_id uuid,
  program_id uuid,
  module_id uuid NOT NULL,
  module_version integer,
  item_id text,
  response text,
  total integer NOT NULL,
  learners integer NOT NULL,
  correct integer NOT NULL
);
CREATE INDEX kpi_post_sums_pending_xact ON kpi_post_sums_pending (tenant_id, xact);
-- The transactions with pending changes, applied at commit by a deferred constraint trigger.
CREATE TABLE kpi_post_sums_flush (
  tenant_id uuid NOT NULL,
  xact xid8 NOT NULL,
  PRIMARY KEY (tenant_id, xact)
);
-- Keys whose counts reached 0 are deleted after each application (these indexes find them).
CREATE INDEX kpi_post_total_empty ON kpi_post_total (tenant_id) WHERE learners = 0;
CREATE INDEX kpi_post_option_empty ON kpi_post_option (tenant_id) WHERE learners = 0;

CREATE FUNCTION kpi_post_sums_flush()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    BEGIN
      DELETE FROM kpi_post_sums_flush WHERE tenant_id = NEW.tenant_id AND xact = NEW.xact;
      IF NOT FOUND THEN RETURN NULL; END IF;
      
      WITH d AS (DELETE FROM kpi_post_sums_pending WHERE tenant_id = NEW.tenant_id AND xact = NEW.xact RETURNING *),
      totals AS (
        INSERT INTO kpi_post_total AS k (tenant_id, course_id, program_id, module_id, module_version, total, learners)
        SELECT tenant_id, course_id, program_id, module_id, module_version, total, sum(learners) FROM d WHERE item_id IS NULL
        GROUP BY tenant_id, course_id, program_id, module_id, module_version, total HAVING sum(learners) <> 0
        ORDER BY tenant_id, course_id, program_id, module_id, module_version, total
        ON CONFLICT (tenant_id, course_id, module_id, module_version, program_id, total)
        DO UPDATE SET learners = k.learners + excluded.learners)
      INSERT INTO kpi_post_option AS k (tenant_id, course_id, program_id, module_id, module_version, item_id, response, total, learners, correct)
      SELECT tenant_id, course_id, program_id, module_id, module_version, item_id, response, total, sum(learners), sum(correct) FROM d WHERE item_id IS NOT NULL
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, item_id, response, total HAVING sum(learners) <> 0 OR sum(correct) <> 0
      ORDER BY tenant_id, course_id, program_id, module_id, module_version, item_id, response, total
      ON CONFLICT (tenant_id, course_id, module_id, module_version, program_id, item_id, response, total)
      DO UPDATE SET learners = k.learners + excluded.learners, correct = k.correct + excluded.correct;
      DELETE FROM kpi_post_total WHERE tenant_id = NEW.tenant_id AND learners = 0;
      DELETE FROM kpi_post_option WHERE tenant_id = NEW.tenant_id AND learners = 0;
      RETURN NULL;
    END $function$;

CREATE CONSTRAINT TRIGGER kpi_post_sums_flush AFTER INSERT ON kpi_post_sums_flush
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kpi_post_sums_flush();

CREATE FUNCTION kpi_post_sums_insert()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
      BEGIN
        INSERT INTO kpi_post_sums_pending
        SELECT d.tenant_id, pg_current_xact_id(), d.course_id, d.program_id, d.module_id, d.module_version,
               d.item_id, d.response, d.total, d.learners, d.correct
        FROM (WITH c AS MATERIALIZED (SELECT tenant_id, course_id, program_id, module_id, module_version, total, items, correct, responses, 1 AS sign FROM new_rows) 
      SELECT tenant_id, course_id, program_id, module_id, module_version, NULL::text AS item_id, NULL::text AS response, total, sum(sign)::int AS learners,
             0 AS correct
      FROM c GROUP BY tenant_id, course_id, program_id, module_id, module_version, total HAVING sum(sign) <> 0
      UNION ALL
      SELECT tenant_id, course_id, program_id, module_id, module_version, a.item_id, a.response, c.total, sum(c.sign)::int, sum(c.sign * a.s::int)::int
      FROM c CROSS JOIN LATERAL unnest(c.items, c.correct, c.responses) AS a(item_id, s, response)
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, a.item_id, a.response, c.total
      HAVING sum(c.sign) <> 0 OR sum(c.sign * a.s::int) <> 0) d;
        IF FOUND THEN
          INSERT INTO kpi_post_sums_flush
          SELECT DISTINCT tenant_id, pg_current_xact_id() FROM new_rows
          ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END $function$;

CREATE FUNCTION kpi_post_sums_delete()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
      BEGIN
        INSERT INTO kpi_post_sums_pending
        SELECT d.tenant_id, pg_current_xact_id(), d.course_id, d.program_id, d.module_id, d.module_version,
               d.item_id, d.response, d.total, d.learners, d.correct
        FROM (WITH c AS MATERIALIZED (SELECT tenant_id, course_id, program_id, module_id, module_version, total, items, correct, responses, -1 AS sign FROM old_rows) 
      SELECT tenant_id, course_id, program_id, module_id, module_version, NULL::text AS item_id, NULL::text AS response, total, sum(sign)::int AS learners,
             0 AS correct
      FROM c GROUP BY tenant_id, course_id, program_id, module_id, module_version, total HAVING sum(sign) <> 0
      UNION ALL
      SELECT tenant_id, course_id, program_id, module_id, module_version, a.item_id, a.response, c.total, sum(c.sign)::int, sum(c.sign * a.s::int)::int
      FROM c CROSS JOIN LATERAL unnest(c.items, c.correct, c.responses) AS a(item_id, s, response)
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, a.item_id, a.response, c.total
      HAVING sum(c.sign) <> 0 OR sum(c.sign * a.s::int) <> 0) d;
        IF FOUND THEN
          INSERT INTO kpi_post_sums_flush
          SELECT DISTINCT tenant_id, pg_current_xact_id() FROM old_rows
          ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END $function$;

CREATE FUNCTION kpi_post_sums_update()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
      BEGIN
        INSERT INTO kpi_post_sums_pending
        SELECT d.tenant_id, pg_current_xact_id(), d.course_id, d.program_id, d.module_id, d.module_version,
               d.item_id, d.response, d.total, d.learners, d.correct
        FROM (WITH c AS MATERIALIZED (SELECT tenant_id, course_id, program_id, module_id, module_version, total, items, correct, responses, -1 AS sign FROM old_rows UNION ALL SELECT tenant_id, course_id, program_id, module_id, module_version, total, items, correct, responses, 1 AS sign FROM new_rows) 
      SELECT tenant_id, course_id, program_id, module_id, module_version, NULL::text AS item_id, NULL::text AS response, total, sum(sign)::int AS learners,
             0 AS correct
      FROM c GROUP BY tenant_id, course_id, program_id, module_id, module_version, total HAVING sum(sign) <> 0
      UNION ALL
      SELECT tenant_id, course_id, program_id, module_id, module_version, a.item_id, a.response, c.total, sum(c.sign)::int, sum(c.sign * a.s::int)::int
      FROM c CROSS JOIN LATERAL unnest(c.items, c.correct, c.responses) AS a(item_id, s, response)
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, a.item_id, a.response, c.total
      HAVING sum(c.sign) <> 0 OR sum(c.sign * a.s::int) <> 0) d;
        IF FOUND THEN
          INSERT INTO kpi_post_sums_flush
          SELECT DISTINCT tenant_id, pg_current_xact_id() FROM new_rows
          ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END $function$;

CREATE TRIGGER kpi_post_sums_insert AFTER INSERT ON kpi_post_latest
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_post_sums_insert();
CREATE TRIGGER kpi_post_sums_delete AFTER DELETE ON kpi_post_latest
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_post_sums_delete();
CREATE TRIGGER kpi_post_sums_update AFTER UPDATE ON kpi_post_latest
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_post_sums_update();

CREATE FUNCTION kpi_post_sums_rebuild(t uuid)
 RETURNS void
 LANGUAGE sql
AS $function$
      DELETE FROM kpi_post_total WHERE tenant_id = t;
      DELETE FROM kpi_post_option WHERE tenant_id = t;
      
      WITH d AS (WITH c AS MATERIALIZED (SELECT tenant_id, course_id, program_id, module_id, module_version, total, items, correct, responses, 1 AS sign FROM kpi_post_latest WHERE tenant_id = t) 
      SELECT tenant_id, course_id, program_id, module_id, module_version, NULL::text AS item_id, NULL::text AS response, total, sum(sign)::int AS learners,
             0 AS correct
      FROM c GROUP BY tenant_id, course_id, program_id, module_id, module_version, total HAVING sum(sign) <> 0
      UNION ALL
      SELECT tenant_id, course_id, program_id, module_id, module_version, a.item_id, a.response, c.total, sum(c.sign)::int, sum(c.sign * a.s::int)::int
      FROM c CROSS JOIN LATERAL unnest(c.items, c.correct, c.responses) AS a(item_id, s, response)
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, a.item_id, a.response, c.total
      HAVING sum(c.sign) <> 0 OR sum(c.sign * a.s::int) <> 0),
      totals AS (
        INSERT INTO kpi_post_total AS k (tenant_id, course_id, program_id, module_id, module_version, total, learners)
        SELECT tenant_id, course_id, program_id, module_id, module_version, total, sum(learners) FROM d WHERE item_id IS NULL
        GROUP BY tenant_id, course_id, program_id, module_id, module_version, total HAVING sum(learners) <> 0
        ORDER BY tenant_id, course_id, program_id, module_id, module_version, total
        ON CONFLICT (tenant_id, course_id, module_id, module_version, program_id, total)
        DO UPDATE SET learners = k.learners + excluded.learners)
      INSERT INTO kpi_post_option AS k (tenant_id, course_id, program_id, module_id, module_version, item_id, response, total, learners, correct)
      SELECT tenant_id, course_id, program_id, module_id, module_version, item_id, response, total, sum(learners), sum(correct) FROM d WHERE item_id IS NOT NULL
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, item_id, response, total HAVING sum(learners) <> 0 OR sum(correct) <> 0
      ORDER BY tenant_id, course_id, program_id, module_id, module_version, item_id, response, total
      ON CONFLICT (tenant_id, course_id, module_id, module_version, program_id, item_id, response, total)
      DO UPDATE SET learners = k.learners + excluded.learners, correct = k.correct + excluded.correct;
    $function$;
`;

/** Post-test attempts by day: src/storage/rollups/kpi-post-attempt-day.ts. */
const POST_ATTEMPT_DAY = String.raw`
CREATE TABLE kpi_post_attempt_day (
  tenant_id uuid NOT NULL,
  course_id uuid,
  program_id uuid,
  module_id uuid NOT NULL,
  module_version integer,
  actor_home_page text,
  actor_name text,
  registration uuid,
  day date NOT NULL,
  last_at timestamptz NOT NULL,
  items text[] NOT NULL,
  correct boolean[] NOT NULL,
  responses text[] NOT NULL
);
CREATE UNIQUE INDEX kpi_post_attempt_day_key ON kpi_post_attempt_day
  (tenant_id, course_id, module_id, module_version, actor_name, actor_home_page, registration, program_id, day)
  NULLS NOT DISTINCT;
-- The triggers' recomputation of one attempt's row.
CREATE INDEX kpi_post_attempt_day_registration_idx ON kpi_post_attempt_day (tenant_id, registration);
CREATE INDEX kpi_post_attempt_day_program_idx ON kpi_post_attempt_day (tenant_id, program_id, module_id);

CREATE FUNCTION kpi_post_attempt_day_recompute(f kpi_statement)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended(
        concat_ws(' ', f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.actor_home_page,
                  f.actor_name, f.registration, (f."timestamp" AT TIME ZONE 'UTC')::date), 71));
      -- The registration indexes find the attempt's row and facts (answers without one are rare: those
      -- scan the module's).
      IF f.registration IS NOT NULL THEN
        DELETE FROM kpi_post_attempt_day d
          WHERE d.tenant_id = f.tenant_id AND d.registration = f.registration
            AND d.tenant_id IS NOT DISTINCT FROM f.tenant_id AND d.course_id IS NOT DISTINCT FROM f.course_id AND d.program_id IS NOT DISTINCT FROM f.program_id AND d.module_id IS NOT DISTINCT FROM f.module_id AND d.module_version IS NOT DISTINCT FROM f.module_version AND d.actor_home_page IS NOT DISTINCT FROM f.actor_home_page AND d.actor_name IS NOT DISTINCT FROM f.actor_name AND d.registration IS NOT DISTINCT FROM f.registration
            AND d.day = (f."timestamp" AT TIME ZONE 'UTC')::date;
        INSERT INTO kpi_post_attempt_day
        
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration, day, max(at), array_agg(item_id ORDER BY item_id), array_agg(s ORDER BY item_id),
         array_agg(r ORDER BY item_id)
  FROM (
    SELECT a.tenant_id, a.course_id, a.program_id, a.module_id, a.module_version, a.actor_home_page, a.actor_name, a.registration, (a."timestamp" AT TIME ZONE 'UTC')::date AS day, a.item_id,
           max(a."timestamp") AS at, coalesce(bool_or(a.success), false) AS s, max(a.response) AS r
    FROM kpi_statement a
    WHERE a.tenant_id = f.tenant_id AND a.registration = f.registration AND a.tenant_id IS NOT DISTINCT FROM f.tenant_id AND a.course_id IS NOT DISTINCT FROM f.course_id AND a.program_id IS NOT DISTINCT FROM f.program_id AND a.module_id IS NOT DISTINCT FROM f.module_id AND a.module_version IS NOT DISTINCT FROM f.module_version AND a.actor_home_page IS NOT DISTINCT FROM f.actor_home_page AND a.actor_name IS NOT DISTINCT FROM f.actor_name AND a.registration IS NOT DISTINCT FROM f.registration AND (a."timestamp" AT TIME ZONE 'UTC')::date = (f."timestamp" AT TIME ZONE 'UTC')::date AND a.verb = 'answered' AND a.item_kind = 'post' AND a.item_id IS NOT NULL AND a.module_id IS NOT NULL AND NOT a.voided
    GROUP BY a.tenant_id, a.course_id, a.program_id, a.module_id, a.module_version, a.actor_home_page, a.actor_name, a.registration, (a."timestamp" AT TIME ZONE 'UTC')::date, a.item_id) per_item
  GROUP BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration, day;
      ELSE
        DELETE FROM kpi_post_attempt_day d
          WHERE d.tenant_id = f.tenant_id AND d.module_id = f.module_id
            AND d.tenant_id IS NOT DISTINCT FROM f.tenant_id AND d.course_id IS NOT DISTINCT FROM f.course_id AND d.program_id IS NOT DISTINCT FROM f.program_id AND d.module_id IS NOT DISTINCT FROM f.module_id AND d.module_version IS NOT DISTINCT FROM f.module_version AND d.actor_home_page IS NOT DISTINCT FROM f.actor_home_page AND d.actor_name IS NOT DISTINCT FROM f.actor_name AND d.registration IS NOT DISTINCT FROM f.registration
            AND d.day = (f."timestamp" AT TIME ZONE 'UTC')::date;
        INSERT INTO kpi_post_attempt_day
        
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration, day, max(at), array_agg(item_id ORDER BY item_id), array_agg(s ORDER BY item_id),
         array_agg(r ORDER BY item_id)
  FROM (
    SELECT a.tenant_id, a.course_id, a.program_id, a.module_id, a.module_version, a.actor_home_page, a.actor_name, a.registration, (a."timestamp" AT TIME ZONE 'UTC')::date AS day, a.item_id,
           max(a."timestamp") AS at, coalesce(bool_or(a.success), false) AS s, max(a.response) AS r
    FROM kpi_statement a
    WHERE a.tenant_id = f.tenant_id AND a.module_id = f.module_id AND a.tenant_id IS NOT DISTINCT FROM f.tenant_id AND a.course_id IS NOT DISTINCT FROM f.course_id AND a.program_id IS NOT DISTINCT FROM f.program_id AND a.module_id IS NOT DISTINCT FROM f.module_id AND a.module_version IS NOT DISTINCT FROM f.module_version AND a.actor_home_page IS NOT DISTINCT FROM f.actor_home_page AND a.actor_name IS NOT DISTINCT FROM f.actor_name AND a.registration IS NOT DISTINCT FROM f.registration AND (a."timestamp" AT TIME ZONE 'UTC')::date = (f."timestamp" AT TIME ZONE 'UTC')::date AND a.verb = 'answered' AND a.item_kind = 'post' AND a.item_id IS NOT NULL AND a.module_id IS NOT NULL AND NOT a.voided
    GROUP BY a.tenant_id, a.course_id, a.program_id, a.module_id, a.module_version, a.actor_home_page, a.actor_name, a.registration, (a."timestamp" AT TIME ZONE 'UTC')::date, a.item_id) per_item
  GROUP BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration, day;
      END IF;
    END $function$;

CREATE FUNCTION kpi_post_attempt_day_capture()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    BEGIN
      PERFORM kpi_post_attempt_day_recompute(NEW);
      RETURN NULL;
    END $function$;

CREATE TRIGGER kpi_post_attempt_day_insert AFTER INSERT ON kpi_statement FOR EACH ROW
  WHEN (NOT NEW.voided AND NEW.verb = 'answered' AND NEW.item_kind = 'post' AND NEW.item_id IS NOT NULL AND NEW.module_id IS NOT NULL)
  EXECUTE FUNCTION kpi_post_attempt_day_capture();
CREATE TRIGGER kpi_post_attempt_day_voided AFTER UPDATE OF voided ON kpi_statement FOR EACH ROW
  WHEN (OLD.voided IS DISTINCT FROM NEW.voided AND NEW.verb = 'answered' AND NEW.item_kind = 'post' AND NEW.item_id IS NOT NULL AND NEW.module_id IS NOT NULL)
  EXECUTE FUNCTION kpi_post_attempt_day_capture();

CREATE FUNCTION kpi_post_attempt_day_rebuild(t uuid)
 RETURNS void
 LANGUAGE sql
AS $function$
      DELETE FROM kpi_post_attempt_day WHERE tenant_id = t;
      INSERT INTO kpi_post_attempt_day 
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration, day, max(at), array_agg(item_id ORDER BY item_id), array_agg(s ORDER BY item_id),
         array_agg(r ORDER BY item_id)
  FROM (
    SELECT a.tenant_id, a.course_id, a.program_id, a.module_id, a.module_version, a.actor_home_page, a.actor_name, a.registration, (a."timestamp" AT TIME ZONE 'UTC')::date AS day, a.item_id,
           max(a."timestamp") AS at, coalesce(bool_or(a.success), false) AS s, max(a.response) AS r
    FROM kpi_statement a
    WHERE a.tenant_id = t AND a.verb = 'answered' AND a.item_kind = 'post' AND a.item_id IS NOT NULL AND a.module_id IS NOT NULL AND NOT a.voided
    GROUP BY a.tenant_id, a.course_id, a.program_id, a.module_id, a.module_version, a.actor_home_page, a.actor_name, a.registration, (a."timestamp" AT TIME ZONE 'UTC')::date, a.item_id) per_item
  GROUP BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration, day;
    $function$;
`;

/** Pre/post score pairs, kept from kpi_attempt: src/storage/rollups/kpi-score-pair.ts. */
const SCORE_PAIR = String.raw`
CREATE TABLE kpi_score_pair (
  tenant_id uuid NOT NULL,
  course_id uuid,
  program_id uuid,
  module_id uuid NOT NULL,
  module_version integer,
  actor_home_page text NOT NULL,
  actor_name text NOT NULL,
  pre_score double precision,
  pre_at timestamptz,
  pre_registration uuid,
  post_score double precision,
  post_at timestamptz,
  post_registration uuid,
  -- The UTC days of the key's first and last scored answers: a date range holding both holds
  -- every attempt, so its pair is this one.
  first_day date NOT NULL,
  last_day date NOT NULL,
  -- The actor has other rows of the module (another version, course or program).
  shared boolean NOT NULL
);
CREATE UNIQUE INDEX kpi_score_pair_key ON kpi_score_pair
  (tenant_id, actor_name, actor_home_page, module_id, module_version, course_id, program_id) NULLS NOT DISTINCT;
CREATE INDEX kpi_score_pair_course_idx ON kpi_score_pair (tenant_id, course_id, module_id);
CREATE INDEX kpi_score_pair_program_idx ON kpi_score_pair (tenant_id, program_id, module_id);

CREATE FUNCTION kpi_score_pair_follow()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    DECLARE missed bigint;
    BEGIN
      -- INSERT ... ON CONFLICT fires both the insert and the update trigger, one of them with no rows.
      IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM added) THEN RETURN NULL; END IF;
        
      PERFORM 1 FROM kpi_score_pair p JOIN (SELECT DISTINCT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name FROM added) k ON p.tenant_id = k.tenant_id AND p.actor_name = k.actor_name AND p.actor_home_page = k.actor_home_page
        AND p.module_id = k.module_id AND p.module_version IS NOT DISTINCT FROM k.module_version
        AND p.course_id IS NOT DISTINCT FROM k.course_id AND p.program_id IS NOT DISTINCT FROM k.program_id
        ORDER BY p.tenant_id, p.actor_name, p.actor_home_page, p.module_id, p.module_version, p.course_id, p.program_id
        FOR UPDATE OF p;
      DELETE FROM kpi_score_pair p USING (SELECT DISTINCT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name FROM added) k WHERE p.tenant_id = k.tenant_id AND p.actor_name = k.actor_name AND p.actor_home_page = k.actor_home_page
        AND p.module_id = k.module_id AND p.module_version IS NOT DISTINCT FROM k.module_version
        AND p.course_id IS NOT DISTINCT FROM k.course_id AND p.program_id IS NOT DISTINCT FROM k.program_id;
      WITH computed AS MATERIALIZED (
      SELECT k.tenant_id, k.course_id, k.program_id, k.module_id, k.module_version, k.actor_home_page, k.actor_name, pre.score, pre.at, pre.registration, post.score, post.at,
             post.registration, span.first_day, span.last_day, false
      FROM (SELECT DISTINCT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name FROM added
            WHERE actor_name IS NOT NULL AND actor_home_page IS NOT NULL) k
      LEFT JOIN LATERAL (
        SELECT a.registration, sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.phase = 'pre' AND a.scored > 0
        GROUP BY a.registration
        ORDER BY at ASC, a.registration
        LIMIT 1) pre ON true
      LEFT JOIN LATERAL (
        SELECT a.registration, sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.phase = 'post' AND a.scored > 0
        GROUP BY a.registration
        ORDER BY at DESC, a.registration
        LIMIT 1) post ON true
      CROSS JOIN LATERAL (
        SELECT min(a.day) AS first_day, max(a.day) AS last_day FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.scored > 0) span
      WHERE pre.at IS NOT NULL OR post.at IS NOT NULL),
      stored AS (INSERT INTO kpi_score_pair SELECT * FROM computed ON CONFLICT DO NOTHING RETURNING 1)
      SELECT (SELECT count(*) FROM computed) - (SELECT count(*) FROM stored) INTO missed;
      IF missed > 0 THEN
        INSERT INTO kpi_score_pair 
      SELECT k.tenant_id, k.course_id, k.program_id, k.module_id, k.module_version, k.actor_home_page, k.actor_name, pre.score, pre.at, pre.registration, post.score, post.at,
             post.registration, span.first_day, span.last_day, false
      FROM (SELECT DISTINCT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name FROM added
            WHERE actor_name IS NOT NULL AND actor_home_page IS NOT NULL) k
      LEFT JOIN LATERAL (
        SELECT a.registration, sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.phase = 'pre' AND a.scored > 0
        GROUP BY a.registration
        ORDER BY at ASC, a.registration
        LIMIT 1) pre ON true
      LEFT JOIN LATERAL (
        SELECT a.registration, sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.phase = 'post' AND a.scored > 0
        GROUP BY a.registration
        ORDER BY at DESC, a.registration
        LIMIT 1) post ON true
      CROSS JOIN LATERAL (
        SELECT min(a.day) AS first_day, max(a.day) AS last_day FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.scored > 0) span
      WHERE pre.at IS NOT NULL OR post.at IS NOT NULL
        ON CONFLICT (tenant_id, actor_name, actor_home_page, module_id, module_version, course_id, program_id)
        DO UPDATE SET pre_score = excluded.pre_score, pre_at = excluded.pre_at,
                      pre_registration = excluded.pre_registration, post_score = excluded.post_score,
                      post_at = excluded.post_at, post_registration = excluded.post_registration,
                      first_day = excluded.first_day, last_day = excluded.last_day;
      END IF;
      UPDATE kpi_score_pair p SET shared = s.n > 1
      FROM (SELECT p2.tenant_id, p2.actor_name, p2.actor_home_page, p2.module_id, count(*) AS n
            FROM kpi_score_pair p2
            JOIN (SELECT DISTINCT tenant_id, actor_name, actor_home_page, module_id FROM added) k
              ON p2.tenant_id = k.tenant_id AND p2.actor_name = k.actor_name
                AND p2.actor_home_page = k.actor_home_page AND p2.module_id = k.module_id
            GROUP BY 1, 2, 3, 4) s
      WHERE p.tenant_id = s.tenant_id AND p.actor_name = s.actor_name AND p.actor_home_page = s.actor_home_page
        AND p.module_id = s.module_id AND p.shared IS DISTINCT FROM (s.n > 1);
      ELSIF TG_OP = 'DELETE' THEN
        
      PERFORM 1 FROM kpi_score_pair p JOIN (SELECT DISTINCT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name FROM removed) k ON p.tenant_id = k.tenant_id AND p.actor_name = k.actor_name AND p.actor_home_page = k.actor_home_page
        AND p.module_id = k.module_id AND p.module_version IS NOT DISTINCT FROM k.module_version
        AND p.course_id IS NOT DISTINCT FROM k.course_id AND p.program_id IS NOT DISTINCT FROM k.program_id
        ORDER BY p.tenant_id, p.actor_name, p.actor_home_page, p.module_id, p.module_version, p.course_id, p.program_id
        FOR UPDATE OF p;
      DELETE FROM kpi_score_pair p USING (SELECT DISTINCT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name FROM removed) k WHERE p.tenant_id = k.tenant_id AND p.actor_name = k.actor_name AND p.actor_home_page = k.actor_home_page
        AND p.module_id = k.module_id AND p.module_version IS NOT DISTINCT FROM k.module_version
        AND p.course_id IS NOT DISTINCT FROM k.course_id AND p.program_id IS NOT DISTINCT FROM k.program_id;
      WITH computed AS MATERIALIZED (
      SELECT k.tenant_id, k.course_id, k.program_id, k.module_id, k.module_version, k.actor_home_page, k.actor_name, pre.score, pre.at, pre.registration, post.score, post.at,
             post.registration, span.first_day, span.last_day, false
      FROM (SELECT DISTINCT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name FROM removed
            WHERE actor_name IS NOT NULL AND actor_home_page IS NOT NULL) k
      LEFT JOIN LATERAL (
        SELECT a.registration, sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.phase = 'pre' AND a.scored > 0
        GROUP BY a.registration
        ORDER BY at ASC, a.registration
        LIMIT 1) pre ON true
      LEFT JOIN LATERAL (
        SELECT a.registration, sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.phase = 'post' AND a.scored > 0
        GROUP BY a.registration
        ORDER BY at DESC, a.registration
        LIMIT 1) post ON true
      CROSS JOIN LATERAL (
        SELECT min(a.day) AS first_day, max(a.day) AS last_day FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.scored > 0) span
      WHERE pre.at IS NOT NULL OR post.at IS NOT NULL),
      stored AS (INSERT INTO kpi_score_pair SELECT * FROM computed ON CONFLICT DO NOTHING RETURNING 1)
      SELECT (SELECT count(*) FROM computed) - (SELECT count(*) FROM stored) INTO missed;
      IF missed > 0 THEN
        INSERT INTO kpi_score_pair 
      SELECT k.tenant_id, k.course_id, k.program_id, k.module_id, k.module_version, k.actor_home_page, k.actor_name, pre.score, pre.at, pre.registration, post.score, post.at,
             post.registration, span.first_day, span.last_day, false
      FROM (SELECT DISTINCT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name FROM removed
            WHERE actor_name IS NOT NULL AND actor_home_page IS NOT NULL) k
      LEFT JOIN LATERAL (
        SELECT a.registration, sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.phase = 'pre' AND a.scored > 0
        GROUP BY a.registration
        ORDER BY at ASC, a.registration
        LIMIT 1) pre ON true
      LEFT JOIN LATERAL (
        SELECT a.registration, sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.phase = 'post' AND a.scored > 0
        GROUP BY a.registration
        ORDER BY at DESC, a.registration
        LIMIT 1) post ON true
      CROSS JOIN LATERAL (
        SELECT min(a.day) AS first_day, max(a.day) AS last_day FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.scored > 0) span
      WHERE pre.at IS NOT NULL OR post.at IS NOT NULL
        ON CONFLICT (tenant_id, actor_name, actor_home_page, module_id, module_version, course_id, program_id)
        DO UPDATE SET pre_score = excluded.pre_score, pre_at = excluded.pre_at,
                      pre_registration = excluded.pre_registration, post_score = excluded.post_score,
                      post_at = excluded.post_at, post_registration = excluded.post_registration,
                      first_day = excluded.first_day, last_day = excluded.last_day;
      END IF;
      UPDATE kpi_score_pair p SET shared = s.n > 1
      FROM (SELECT p2.tenant_id, p2.actor_name, p2.actor_home_page, p2.module_id, count(*) AS n
            FROM kpi_score_pair p2
            JOIN (SELECT DISTINCT tenant_id, actor_name, actor_home_page, module_id FROM removed) k
              ON p2.tenant_id = k.tenant_id AND p2.actor_name = k.actor_name
                AND p2.actor_home_page = k.actor_home_page AND p2.module_id = k.module_id
            GROUP BY 1, 2, 3, 4) s
      WHERE p.tenant_id = s.tenant_id AND p.actor_name = s.actor_name AND p.actor_home_page = s.actor_home_page
        AND p.module_id = s.module_id AND p.shared IS DISTINCT FROM (s.n > 1);
      ELSE
        IF NOT EXISTS (SELECT 1 FROM added) THEN RETURN NULL; END IF;
        
      PERFORM 1 FROM kpi_score_pair p JOIN (SELECT DISTINCT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name FROM (SELECT * FROM added UNION ALL SELECT * FROM removed) changed) k ON p.tenant_id = k.tenant_id AND p.actor_name = k.actor_name AND p.actor_home_page = k.actor_home_page
        AND p.module_id = k.module_id AND p.module_version IS NOT DISTINCT FROM k.module_version
        AND p.course_id IS NOT DISTINCT FROM k.course_id AND p.program_id IS NOT DISTINCT FROM k.program_id
        ORDER BY p.tenant_id, p.actor_name, p.actor_home_page, p.module_id, p.module_version, p.course_id, p.program_id
        FOR UPDATE OF p;
      DELETE FROM kpi_score_pair p USING (SELECT DISTINCT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name FROM (SELECT * FROM added UNION ALL SELECT * FROM removed) changed) k WHERE p.tenant_id = k.tenant_id AND p.actor_name = k.actor_name AND p.actor_home_page = k.actor_home_page
        AND p.module_id = k.module_id AND p.module_version IS NOT DISTINCT FROM k.module_version
        AND p.course_id IS NOT DISTINCT FROM k.course_id AND p.program_id IS NOT DISTINCT FROM k.program_id;
      WITH computed AS MATERIALIZED (
      SELECT k.tenant_id, k.course_id, k.program_id, k.module_id, k.module_version, k.actor_home_page, k.actor_name, pre.score, pre.at, pre.registration, post.score, post.at,
             post.registration, span.first_day, span.last_day, false
      FROM (SELECT DISTINCT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name FROM (SELECT * FROM added UNION ALL SELECT * FROM removed) changed
            WHERE actor_name IS NOT NULL AND actor_home_page IS NOT NULL) k
      LEFT JOIN LATERAL (
        SELECT a.registration, sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.phase = 'pre' AND a.scored > 0
        GROUP BY a.registration
        ORDER BY at ASC, a.registration
        LIMIT 1) pre ON true
      LEFT JOIN LATERAL (
        SELECT a.registration, sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.phase = 'post' AND a.scored > 0
        GROUP BY a.registration
        ORDER BY at DESC, a.registration
        LIMIT 1) post ON true
      CROSS JOIN LATERAL (
        SELECT min(a.day) AS first_day, max(a.day) AS last_day FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.scored > 0) span
      WHERE pre.at IS NOT NULL OR post.at IS NOT NULL),
      stored AS (INSERT INTO kpi_score_pair SELECT * FROM computed ON CONFLICT DO NOTHING RETURNING 1)
      SELECT (SELECT count(*) FROM computed) - (SELECT count(*) FROM stored) INTO missed;
      IF missed > 0 THEN
        INSERT INTO kpi_score_pair 
      SELECT k.tenant_id, k.course_id, k.program_id, k.module_id, k.module_version, k.actor_home_page, k.actor_name, pre.score, pre.at, pre.registration, post.score, post.at,
             post.registration, span.first_day, span.last_day, false
      FROM (SELECT DISTINCT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name FROM (SELECT * FROM added UNION ALL SELECT * FROM removed) changed
            WHERE actor_name IS NOT NULL AND actor_home_page IS NOT NULL) k
      LEFT JOIN LATERAL (
        SELECT a.registration, sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.phase = 'pre' AND a.scored > 0
        GROUP BY a.registration
        ORDER BY at ASC, a.registration
        LIMIT 1) pre ON true
      LEFT JOIN LATERAL (
        SELECT a.registration, sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.phase = 'post' AND a.scored > 0
        GROUP BY a.registration
        ORDER BY at DESC, a.registration
        LIMIT 1) post ON true
      CROSS JOIN LATERAL (
        SELECT min(a.day) AS first_day, max(a.day) AS last_day FROM kpi_attempt a
        WHERE a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id AND a.scored > 0) span
      WHERE pre.at IS NOT NULL OR post.at IS NOT NULL
        ON CONFLICT (tenant_id, actor_name, actor_home_page, module_id, module_version, course_id, program_id)
        DO UPDATE SET pre_score = excluded.pre_score, pre_at = excluded.pre_at,
                      pre_registration = excluded.pre_registration, post_score = excluded.post_score,
                      post_at = excluded.post_at, post_registration = excluded.post_registration,
                      first_day = excluded.first_day, last_day = excluded.last_day;
      END IF;
      UPDATE kpi_score_pair p SET shared = s.n > 1
      FROM (SELECT p2.tenant_id, p2.actor_name, p2.actor_home_page, p2.module_id, count(*) AS n
            FROM kpi_score_pair p2
            JOIN (SELECT DISTINCT tenant_id, actor_name, actor_home_page, module_id FROM (SELECT * FROM added UNION ALL SELECT * FROM removed) changed) k
              ON p2.tenant_id = k.tenant_id AND p2.actor_name = k.actor_name
                AND p2.actor_home_page = k.actor_home_page AND p2.module_id = k.module_id
            GROUP BY 1, 2, 3, 4) s
      WHERE p.tenant_id = s.tenant_id AND p.actor_name = s.actor_name AND p.actor_home_page = s.actor_home_page
        AND p.module_id = s.module_id AND p.shared IS DISTINCT FROM (s.n > 1);
      END IF;
      RETURN NULL;
    END $function$;

CREATE TRIGGER kpi_score_pair_insert AFTER INSERT ON kpi_attempt
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION kpi_score_pair_follow();
CREATE TRIGGER kpi_score_pair_update AFTER UPDATE ON kpi_attempt
  REFERENCING NEW TABLE AS added OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION kpi_score_pair_follow();
CREATE TRIGGER kpi_score_pair_delete AFTER DELETE ON kpi_attempt
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION kpi_score_pair_follow();
`;

/** Rendered charts, cached under the hash of their model (report speed; nothing to invalidate). */
const CHART_CACHE = String.raw`
CREATE TABLE chart_render_cache (
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  model_hash text NOT NULL,
  rendered jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, model_hash)
);
-- Pruning old entries of one tenant (the primary key serves the lookups).
CREATE INDEX chart_render_cache_age_idx ON chart_render_cache (tenant_id, created_at);
`;

/**
 * Read-only SQL views for analysts in schema `analytics` (docs/kpi-reports.md). They run with the
 * querying role's rights (security_invoker); row-level security on the tables they read lets a member of
 * `yardstick_analyst` see only the rows of the tenant its login is mapped to in analytics.analyst_role.
 */
const ANALYST_VIEWS = String.raw`
CREATE SCHEMA analytics;
CREATE TABLE analytics.analyst_role (
  role_name text PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION analytics.analyst_tenant()
 RETURNS uuid
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'analytics'
AS $function$
      SELECT tenant_id FROM analytics.analyst_role WHERE role_name = session_user
    $function$;

CREATE VIEW analytics.xapi_statements WITH (security_invoker = true) AS
SELECT f.tenant_id, f.statement_id, u.id AS user_id, f.actor_home_page, f.actor_name, f.anonymous, f.verb,
       f.course_id, f.program_id, f.module_id, f.module_version, f.assignment_id, f.campaign_id,
       f.registration, f.session_id, f.phase, f.item_kind, f.item_id, f.response, f.success, f.score_scaled,
       f.duration_seconds, f.duration_estimated, f.observed_name, f."timestamp", f.stored
FROM kpi_statement f
LEFT JOIN lti_user u ON u.tenant_id = f.tenant_id AND u.xapi_home_page = f.actor_home_page
                    AND u.xapi_name = f.actor_name
WHERE NOT f.voided;

CREATE VIEW analytics.lms_events WITH (security_invoker = true) AS
SELECT f.tenant_id, f.statement_id AS event_id, u.id AS user_id, p.employee_id, f.verb AS event_type,
       f.course_id, c.title AS course_title, f.module_id, m.title AS module_title, f.module_version,
       f.assignment_id, f.campaign_id, f."timestamp" AS occurred_at, f.duration_seconds
FROM kpi_statement f
JOIN lti_user u ON u.tenant_id = f.tenant_id AND u.xapi_home_page = f.actor_home_page AND u.xapi_name = f.actor_name
LEFT JOIN person p ON p.tenant_id = u.tenant_id AND p.lms_user_id = u.id
LEFT JOIN course_context c ON c.tenant_id = f.tenant_id AND c.id = f.course_id
LEFT JOIN module m ON m.tenant_id = f.tenant_id AND m.id = f.module_id
WHERE NOT f.voided AND NOT f.anonymous;

CREATE VIEW analytics.quiz_results WITH (security_invoker = true) AS
SELECT f.tenant_id, u.id AS user_id, p.employee_id, f.course_id, f.module_id, f.module_version, f.registration,
       f.item_kind AS phase, count(*) AS questions_answered, count(*) FILTER (WHERE f.success) AS correct,
       avg(f.success::int)::double precision AS score, min(f."timestamp") AS started_at,
       max(f."timestamp") AS finished_at
FROM kpi_statement f
JOIN lti_user u ON u.tenant_id = f.tenant_id AND u.xapi_home_page = f.actor_home_page AND u.xapi_name = f.actor_name
LEFT JOIN person p ON p.tenant_id = u.tenant_id AND p.lms_user_id = u.id
WHERE NOT f.voided AND f.verb = 'answered' AND f.item_kind IN ('pre', 'post') AND f.success IS NOT NULL
GROUP BY f.tenant_id, u.id, p.employee_id, f.course_id, f.module_id, f.module_version, f.registration, f.item_kind;

CREATE VIEW analytics.enrollments WITH (security_invoker = true) AS
SELECT e.tenant_id, e.context_id AS course_id, e.user_id, p.employee_id, e.role_kind, e.status, e.last_seen_at
FROM enrollment e
LEFT JOIN person p ON p.tenant_id = e.tenant_id AND p.lms_user_id = e.user_id;

-- The imported lagging outcomes, one view per kind with the person's employee id and LMS user id.
CREATE VIEW analytics.outcome_payroll WITH (security_invoker = true) AS
SELECT o.tenant_id, o.person_id, p.employee_id, p.lms_user_id AS user_id, o.period, o.deferral_pct,
       o.employer_match_amount, o.contribution_amount, o.import_id, o.updated_at
FROM outcome_payroll o LEFT JOIN person p ON p.tenant_id = o.tenant_id AND p.id = o.person_id;

CREATE VIEW analytics.outcome_plan_participation WITH (security_invoker = true) AS
SELECT o.tenant_id, o.person_id, p.employee_id, p.lms_user_id AS user_id, o.as_of, o.participating,
       o.auto_enrolled, o.opted_out, o.import_id, o.updated_at
FROM outcome_plan_participation o LEFT JOIN person p ON p.tenant_id = o.tenant_id AND p.id = o.person_id;

CREATE VIEW analytics.outcome_claims WITH (security_invoker = true) AS
SELECT o.tenant_id, o.claim_id, o.person_id, p.employee_id, p.lms_user_id AS user_id, o.claim_type, o.cost,
       o.service_date, o.import_id, o.updated_at
FROM outcome_claim o LEFT JOIN person p ON p.tenant_id = o.tenant_id AND p.id = o.person_id;

CREATE VIEW analytics.outcome_hris WITH (security_invoker = true) AS
SELECT o.tenant_id, o.person_id, p.employee_id, p.lms_user_id AS user_id, o.period, o.absence_days,
       o.separation_date, o.separation_voluntary, o.productivity_index, o.import_id, o.updated_at
FROM outcome_hris o LEFT JOIN person p ON p.tenant_id = o.tenant_id AND p.id = o.person_id;

-- Long form: one row per person, date and numeric measure; booleans as 0/1; nulls left out.
CREATE VIEW analytics.outcomes WITH (security_invoker = true) AS
SELECT x.tenant_id, x.person_id, p.employee_id, p.lms_user_id AS user_id, x.source, x.metric,
       x.observed_on, x.value
FROM (
  SELECT tenant_id, person_id, 'payroll' AS source, m.metric, period AS observed_on, m.value
  FROM outcome_payroll,
    LATERAL (VALUES ('deferral_pct', deferral_pct), ('employer_match_amount', employer_match_amount),
                    ('contribution_amount', contribution_amount)) AS m (metric, value)
  UNION ALL
  SELECT tenant_id, person_id, 'plan_participation', m.metric, as_of, m.value
  FROM outcome_plan_participation,
    LATERAL (VALUES ('participating', participating::int::numeric), ('auto_enrolled', auto_enrolled::int::numeric),
                    ('opted_out', opted_out::int::numeric)) AS m (metric, value)
  UNION ALL
  SELECT tenant_id, person_id, 'claims', 'claim_cost:' || claim_type, service_date, cost FROM outcome_claim
  UNION ALL
  SELECT tenant_id, person_id, 'hris', m.metric, period, m.value
  FROM outcome_hris,
    LATERAL (VALUES ('absence_days', absence_days), ('productivity_index', productivity_index),
                    ('separated', CASE WHEN separation_date IS NULL THEN NULL ELSE 1::numeric END)) AS m (metric, value)
) x (tenant_id, person_id, source, metric, observed_on, value)
LEFT JOIN person p ON p.tenant_id = x.tenant_id AND p.id = x.person_id
WHERE x.value IS NOT NULL;
`;

/** Tables under the analyst views, with the columns analysts may read ('all': every column). */
const ANALYST_TABLES: Record<string, string[] | 'all'> = {
  kpi_statement: 'all',
  enrollment: 'all',
  course_context: ['tenant_id', 'id', 'context_id', 'title'],
  module: ['tenant_id', 'id', 'title', 'program_id'],
  lti_user: ['tenant_id', 'id', 'xapi_home_page', 'xapi_name'],
  person: ['tenant_id', 'id', 'lms_user_id', 'employee_id'],
  outcome_payroll: 'all',
  outcome_plan_participation: 'all',
  outcome_claim: 'all',
  outcome_hris: 'all',
};
const ANALYST_VIEW_NAMES = [
  'analytics.xapi_statements',
  'analytics.lms_events',
  'analytics.quiz_results',
  'analytics.enrollments',
  'analytics.outcome_payroll',
  'analytics.outcome_plan_participation',
  'analytics.outcome_claims',
  'analytics.outcome_hris',
  'analytics.outcomes',
];

/** Every rollup's rebuild from the facts, as of this migration (the backfill of existing statements). */
const BACKFILL_REBUILDS = [
  'kpi_learner_day_rebuild',
  'kpi_attempt_rebuild',
  'kpi_survey_answer_rebuild',
  'kpi_post_attempt_day_rebuild',
  'kpi_learner_module_rebuild',
  'kpi_post_rebuild',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(FACTS).execute(db);
  // Statements stored before this migration. The function sits in FROM so it runs once per row.
  await sql`
    INSERT INTO kpi_statement
    SELECT f.* FROM xapi_statement s CROSS JOIN LATERAL kpi_statement_fact(s) f
    WHERE position('https://w3id.org/yardstick/xapi/' in s.statement) > 0 AND f.statement_id IS NOT NULL
    ON CONFLICT DO NOTHING`.execute(db);
  for (const script of [
    LEARNER_DAY,
    ATTEMPT,
    CAPTURE,
    ANALYST_VIEWS,
    CHART_CACHE,
    LEARNER_MODULE,
    SURVEY_ANSWER,
    POST_LATEST,
    POST_SUMS,
    POST_ATTEMPT_DAY,
    SCORE_PAIR,
  ]) {
    await sql.raw(script).execute(db);
  }
  await grantAnalystAccess(db);
  // Rollups of the facts backfilled above; those kept from other rollups (score pairs, post-test sums,
  // survey respondents) follow through their triggers, the sums at commit.
  await sql.raw(`SELECT ${BACKFILL_REBUILDS.map((f) => `${f}(t.id)`).join(', ')} FROM tenant t`).execute(db);
}

/**
 * The group role `yardstick_analyst` (cluster-wide; created when missing and when the migrating user
 * may create roles, otherwise analyst access stays off: docs/kpi-reports.md), the row-level security
 * that confines its members to their tenant, and its read-only grants. Everyone else keeps seeing every
 * row (the permissive `not_analyst` policy; without the role there are no analysts to tell apart).
 */
async function grantAnalystAccess(db: Kysely<unknown>): Promise<void> {
  await sql`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yardstick_analyst') THEN
        CREATE ROLE yardstick_analyst NOLOGIN;
      END IF;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'cannot create role yardstick_analyst; analyst access stays off (docs/kpi-reports.md)';
    END $$`.execute(db);
  const role = await analystRoleExists(db);
  const others = role ? sql`NOT pg_has_role(current_user, 'yardstick_analyst', 'MEMBER')` : sql`true`;
  for (const [table, columns] of Object.entries(ANALYST_TABLES)) {
    const t = sql.table(table);
    await sql`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`CREATE POLICY not_analyst ON ${t} FOR ALL TO PUBLIC USING (${others}) WITH CHECK (${others})`.execute(
      db,
    );
    if (!role) continue;
    await sql`CREATE POLICY analyst_tenant ON ${t} FOR SELECT TO yardstick_analyst USING (tenant_id = analytics.analyst_tenant())`.execute(
      db,
    );
    const grant = columns === 'all' ? sql`SELECT` : sql`SELECT (${sql.join(columns.map((c) => sql.id(c)))})`;
    await sql`GRANT ${grant} ON ${t} TO yardstick_analyst`.execute(db);
  }
  if (!role) return;
  await sql`GRANT USAGE ON SCHEMA analytics TO yardstick_analyst`.execute(db);
  await sql`GRANT SELECT ON ${sql.raw(ANALYST_VIEW_NAMES.join(', '))} TO yardstick_analyst`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION analytics.analyst_tenant() TO yardstick_analyst`.execute(db);
}

async function analystRoleExists(db: Kysely<unknown>): Promise<boolean> {
  const { rows } = await sql<{
    ok: boolean;
  }>`SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yardstick_analyst') AS ok`.execute(db);
  return rows[0]!.ok;
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER kpi_statement_voided ON xapi_statement`.execute(db);
  await sql`DROP TRIGGER kpi_statement_insert ON xapi_statement`.execute(db);
  const role = await analystRoleExists(db);
  for (const table of Object.keys(ANALYST_TABLES)) {
    const t = sql.table(table);
    await sql`DROP POLICY IF EXISTS analyst_tenant ON ${t}`.execute(db);
    await sql`DROP POLICY IF EXISTS not_analyst ON ${t}`.execute(db);
    await sql`ALTER TABLE ${t} DISABLE ROW LEVEL SECURITY`.execute(db);
    if (role) await sql`REVOKE ALL ON ${t} FROM yardstick_analyst`.execute(db);
  }
  // The cluster-wide group role stays: other databases on the server may use it.
  await sql`DROP SCHEMA analytics CASCADE`.execute(db);
  await sql`DROP TABLE chart_render_cache`.execute(db);
  // Tables whose functions take no row type of theirs go first (their triggers with them); then the
  // functions that are no table's trigger; then the facts and the latest post-test attempts, whose row
  // types those functions took; then the trigger functions of their triggers.
  await sql`
    DROP TABLE kpi_score_pair, kpi_post_attempt_day, kpi_post_sums_flush, kpi_post_sums_pending, kpi_post_option,
      kpi_post_total, kpi_survey_actor_item, kpi_survey_answer, kpi_learner_module, kpi_attempt, kpi_learner_day`.execute(
    db,
  );
  await sql`
    DROP FUNCTION kpi_score_pair_follow, kpi_survey_multi_follow, kpi_post_sums_flush, kpi_post_sums_rebuild,
      kpi_post_attempt_day_rebuild, kpi_post_attempt_day_recompute, kpi_post_rebuild, kpi_post_add,
      kpi_post_take_attempt, kpi_post_recompute, kpi_post_store, kpi_post_insert, kpi_survey_answer_rebuild,
      kpi_survey_answer_add, kpi_learner_module_rebuild, kpi_learner_module_retime, kpi_learner_module_add,
      kpi_statement_capture, kpi_attempt_rebuild, kpi_attempt_recompute, kpi_attempt_add, kpi_learner_day_rebuild,
      kpi_learner_day_add, kpi_statement_fact, kpi_iso_duration_seconds`.execute(db);
  await sql`DROP TABLE kpi_post_latest, kpi_statement`.execute(db);
  await sql`
    DROP FUNCTION kpi_post_sums_insert, kpi_post_sums_update, kpi_post_sums_delete, kpi_post_capture,
      kpi_post_attempt_day_capture, kpi_survey_answer_capture, kpi_learner_module_capture`.execute(db);
}
