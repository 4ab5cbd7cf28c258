import { sql, type Kysely } from 'kysely';

/**
 * Attempt outcomes by day (src/storage/rollups/kpi-attempt-outcome.ts), so the attempt policy of issue #21
 * reads a rollup instead of every answer; and kpi_score_pair dropped. Frozen.
 *
 * `kpi_attempt_outcome` holds, per attempt (registration), actor, course, program, module, version and
 * UTC day, what kpi-attempt-outcomes-sql.ts reads from the facts: the scored and correct pre- and
 * post-test answers with the newest answer time per phase, and the newest verdict (passed or failed) with
 * its time and seq. A report's attempts are these rows summed per attempt over the days of its range, so
 * a range of whole UTC days reads them exactly.
 *
 * Row triggers on kpi_statement keep it: an inserted fact adds (counts add, times take the newest, a newer
 * verdict replaces the row's); a fact voided or unvoided recomputes its row from the facts (a maximum
 * cannot be subtracted). The drain inserts facts in 0090's learner-first order, which is this table's key
 * order, so an insert takes the rows' locks in key order; and as the outbox part is the registration's
 * hash (0092), drains of different parts never write the same row.
 *
 * kpi_score_pair (0060) is read by no report since issue #21, and its statement triggers on kpi_attempt
 * cost on every drain: it goes, with its triggers and function. `down` restores 0060's definition (copied
 * below as it was) and refills it through kpi_attempt_rebuild.
 */
const ATTEMPT_OUTCOME = String.raw`
CREATE TABLE kpi_attempt_outcome (
  tenant_id uuid NOT NULL,
  course_id uuid,
  program_id uuid,
  module_id uuid NOT NULL,
  module_version integer,
  actor_home_page text,
  actor_name text,
  registration uuid,
  day date NOT NULL,
  pre_scored integer NOT NULL,
  pre_correct integer NOT NULL,
  pre_last_at timestamptz,
  post_scored integer NOT NULL,
  post_correct integer NOT NULL,
  post_last_at timestamptz,
  verdict_passed boolean,
  verdict_at timestamptz,
  verdict_seq bigint
);
-- In the facts' lock order (0090): an INSERT's row triggers take these rows' locks in key order.
CREATE UNIQUE INDEX kpi_attempt_outcome_key ON kpi_attempt_outcome
  (tenant_id, actor_name, actor_home_page, module_id, module_version, course_id, program_id, day, registration)
  NULLS NOT DISTINCT;
CREATE INDEX kpi_attempt_outcome_course_idx ON kpi_attempt_outcome (tenant_id, course_id, module_id);
CREATE INDEX kpi_attempt_outcome_program_idx ON kpi_attempt_outcome (tenant_id, program_id, module_id);

-- A new fact adds: counts add, times take the newest, a newer verdict (by time, then seq) replaces the row's.
CREATE FUNCTION kpi_attempt_outcome_add(f kpi_statement)
 RETURNS void
 LANGUAGE sql
AS $function$
      INSERT INTO kpi_attempt_outcome AS o
      SELECT f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.actor_home_page, f.actor_name,
             f.registration, (f."timestamp" AT TIME ZONE 'UTC')::date,
             pre::int, (pre AND f.success)::int, CASE WHEN pre THEN f."timestamp" END,
             post::int, (post AND f.success)::int, CASE WHEN post THEN f."timestamp" END,
             CASE WHEN verdict THEN f.verb = 'passed' END, CASE WHEN verdict THEN f."timestamp" END,
             CASE WHEN verdict THEN f.seq END
      FROM (SELECT f.verb = 'answered' AND f.item_kind = 'pre' AS pre,
                   f.verb = 'answered' AND f.item_kind = 'post' AS post,
                   f.verb IN ('passed', 'failed') AS verdict) k
      ON CONFLICT (tenant_id, actor_name, actor_home_page, module_id, module_version, course_id, program_id, day,
                   registration)
      DO UPDATE SET pre_scored = o.pre_scored + excluded.pre_scored, pre_correct = o.pre_correct + excluded.pre_correct,
                    pre_last_at = greatest(o.pre_last_at, excluded.pre_last_at),
                    post_scored = o.post_scored + excluded.post_scored,
                    post_correct = o.post_correct + excluded.post_correct,
                    post_last_at = greatest(o.post_last_at, excluded.post_last_at),
                    verdict_passed = CASE WHEN (excluded.verdict_at IS NOT NULL AND (o.verdict_at IS NULL OR (excluded.verdict_at, excluded.verdict_seq) > (o.verdict_at, o.verdict_seq))) THEN excluded.verdict_passed ELSE o.verdict_passed END,
                    verdict_at = CASE WHEN (excluded.verdict_at IS NOT NULL AND (o.verdict_at IS NULL OR (excluded.verdict_at, excluded.verdict_seq) > (o.verdict_at, o.verdict_seq))) THEN excluded.verdict_at ELSE o.verdict_at END,
                    verdict_seq = CASE WHEN (excluded.verdict_at IS NOT NULL AND (o.verdict_at IS NULL OR (excluded.verdict_at, excluded.verdict_seq) > (o.verdict_at, o.verdict_seq))) THEN excluded.verdict_seq ELSE o.verdict_seq END
    $function$;

-- A fact voided (or no longer voided): its row is recomputed from the facts, found through the actor index.
CREATE FUNCTION kpi_attempt_outcome_recompute(f kpi_statement)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
    BEGIN
      IF f.actor_name IS NOT NULL THEN
        DELETE FROM kpi_attempt_outcome o
        WHERE o.tenant_id = f.tenant_id AND o.actor_name = f.actor_name AND o.course_id IS NOT DISTINCT FROM f.course_id AND o.program_id IS NOT DISTINCT FROM f.program_id AND o.module_version IS NOT DISTINCT FROM f.module_version AND o.actor_home_page IS NOT DISTINCT FROM f.actor_home_page AND o.registration IS NOT DISTINCT FROM f.registration AND o.module_id = f.module_id
          AND o.day = (f."timestamp" AT TIME ZONE 'UTC')::date;
        INSERT INTO kpi_attempt_outcome
      SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
             ("timestamp" AT TIME ZONE 'UTC')::date,
             (count(*) FILTER (WHERE item_kind = 'pre' AND verb = 'answered'))::int,
             (count(*) FILTER (WHERE item_kind = 'pre' AND verb = 'answered' AND success))::int,
             max("timestamp") FILTER (WHERE item_kind = 'pre' AND verb = 'answered'),
             (count(*) FILTER (WHERE item_kind = 'post' AND verb = 'answered'))::int,
             (count(*) FILTER (WHERE item_kind = 'post' AND verb = 'answered' AND success))::int,
             max("timestamp") FILTER (WHERE item_kind = 'post' AND verb = 'answered'),
             (array_agg(verb = 'passed' ORDER BY "timestamp" DESC, seq DESC) FILTER (WHERE verb <> 'answered'))[1],
             max("timestamp") FILTER (WHERE verb <> 'answered'),
             (array_agg(seq ORDER BY "timestamp" DESC, seq DESC) FILTER (WHERE verb <> 'answered'))[1]
      FROM kpi_statement
      WHERE tenant_id = f.tenant_id AND actor_name = f.actor_name AND kpi_statement.course_id IS NOT DISTINCT FROM f.course_id AND kpi_statement.program_id IS NOT DISTINCT FROM f.program_id AND kpi_statement.module_version IS NOT DISTINCT FROM f.module_version AND kpi_statement.actor_home_page IS NOT DISTINCT FROM f.actor_home_page AND kpi_statement.registration IS NOT DISTINCT FROM f.registration AND kpi_statement.module_id = f.module_id
        AND ("timestamp" AT TIME ZONE 'UTC')::date = (f."timestamp" AT TIME ZONE 'UTC')::date AND NOT voided AND module_id IS NOT NULL
        AND ((verb = 'answered' AND item_kind IN ('pre', 'post') AND success IS NOT NULL) OR verb IN ('passed', 'failed'))
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
               ("timestamp" AT TIME ZONE 'UTC')::date;
      ELSE
        DELETE FROM kpi_attempt_outcome o
        WHERE o.tenant_id = f.tenant_id AND o.actor_name IS NULL AND o.course_id IS NOT DISTINCT FROM f.course_id AND o.program_id IS NOT DISTINCT FROM f.program_id AND o.module_version IS NOT DISTINCT FROM f.module_version AND o.actor_home_page IS NOT DISTINCT FROM f.actor_home_page AND o.registration IS NOT DISTINCT FROM f.registration AND o.module_id = f.module_id
          AND o.day = (f."timestamp" AT TIME ZONE 'UTC')::date;
        INSERT INTO kpi_attempt_outcome
      SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
             ("timestamp" AT TIME ZONE 'UTC')::date,
             (count(*) FILTER (WHERE item_kind = 'pre' AND verb = 'answered'))::int,
             (count(*) FILTER (WHERE item_kind = 'pre' AND verb = 'answered' AND success))::int,
             max("timestamp") FILTER (WHERE item_kind = 'pre' AND verb = 'answered'),
             (count(*) FILTER (WHERE item_kind = 'post' AND verb = 'answered'))::int,
             (count(*) FILTER (WHERE item_kind = 'post' AND verb = 'answered' AND success))::int,
             max("timestamp") FILTER (WHERE item_kind = 'post' AND verb = 'answered'),
             (array_agg(verb = 'passed' ORDER BY "timestamp" DESC, seq DESC) FILTER (WHERE verb <> 'answered'))[1],
             max("timestamp") FILTER (WHERE verb <> 'answered'),
             (array_agg(seq ORDER BY "timestamp" DESC, seq DESC) FILTER (WHERE verb <> 'answered'))[1]
      FROM kpi_statement
      WHERE tenant_id = f.tenant_id AND actor_name IS NULL AND kpi_statement.course_id IS NOT DISTINCT FROM f.course_id AND kpi_statement.program_id IS NOT DISTINCT FROM f.program_id AND kpi_statement.module_version IS NOT DISTINCT FROM f.module_version AND kpi_statement.actor_home_page IS NOT DISTINCT FROM f.actor_home_page AND kpi_statement.registration IS NOT DISTINCT FROM f.registration AND kpi_statement.module_id = f.module_id
        AND ("timestamp" AT TIME ZONE 'UTC')::date = (f."timestamp" AT TIME ZONE 'UTC')::date AND NOT voided AND module_id IS NOT NULL
        AND ((verb = 'answered' AND item_kind IN ('pre', 'post') AND success IS NOT NULL) OR verb IN ('passed', 'failed'))
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
               ("timestamp" AT TIME ZONE 'UTC')::date;
      END IF;
    END $function$;

CREATE FUNCTION kpi_attempt_outcome_capture()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM kpi_attempt_outcome_add(NEW);
      ELSE
        PERFORM kpi_attempt_outcome_recompute(NEW);
      END IF;
      RETURN NULL;
    END $function$;

CREATE TRIGGER kpi_attempt_outcome_insert AFTER INSERT ON kpi_statement FOR EACH ROW
  WHEN (NOT NEW.voided AND NEW.module_id IS NOT NULL AND ((NEW.verb = 'answered' AND NEW.item_kind IN ('pre', 'post') AND NEW.success IS NOT NULL) OR NEW.verb IN ('passed', 'failed')))
  EXECUTE FUNCTION kpi_attempt_outcome_capture();
CREATE TRIGGER kpi_attempt_outcome_voided AFTER UPDATE OF voided ON kpi_statement FOR EACH ROW
  WHEN (OLD.voided IS DISTINCT FROM NEW.voided AND NEW.module_id IS NOT NULL AND ((NEW.verb = 'answered' AND NEW.item_kind IN ('pre', 'post') AND NEW.success IS NOT NULL) OR NEW.verb IN ('passed', 'failed')))
  EXECUTE FUNCTION kpi_attempt_outcome_capture();

CREATE FUNCTION kpi_attempt_outcome_rebuild(t uuid)
 RETURNS void
 LANGUAGE sql
AS $function$
      DELETE FROM kpi_attempt_outcome WHERE tenant_id = t;
      INSERT INTO kpi_attempt_outcome
      SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
             ("timestamp" AT TIME ZONE 'UTC')::date,
             (count(*) FILTER (WHERE item_kind = 'pre' AND verb = 'answered'))::int,
             (count(*) FILTER (WHERE item_kind = 'pre' AND verb = 'answered' AND success))::int,
             max("timestamp") FILTER (WHERE item_kind = 'pre' AND verb = 'answered'),
             (count(*) FILTER (WHERE item_kind = 'post' AND verb = 'answered'))::int,
             (count(*) FILTER (WHERE item_kind = 'post' AND verb = 'answered' AND success))::int,
             max("timestamp") FILTER (WHERE item_kind = 'post' AND verb = 'answered'),
             (array_agg(verb = 'passed' ORDER BY "timestamp" DESC, seq DESC) FILTER (WHERE verb <> 'answered'))[1],
             max("timestamp") FILTER (WHERE verb <> 'answered'),
             (array_agg(seq ORDER BY "timestamp" DESC, seq DESC) FILTER (WHERE verb <> 'answered'))[1]
      FROM kpi_statement
      WHERE tenant_id = t AND NOT voided AND module_id IS NOT NULL
        AND ((verb = 'answered' AND item_kind IN ('pre', 'post') AND success IS NOT NULL) OR verb IN ('passed', 'failed'))
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
               ("timestamp" AT TIME ZONE 'UTC')::date;
    $function$;
`;

/** kpi_score_pair as migration 0060 created it, for `down`. */
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

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(ATTEMPT_OUTCOME).execute(db);
  await sql`SELECT kpi_attempt_outcome_rebuild(t.id) FROM tenant t`.execute(db);
  await sql
    .raw(
      `DROP TRIGGER kpi_score_pair_insert ON kpi_attempt;
       DROP TRIGGER kpi_score_pair_update ON kpi_attempt;
       DROP TRIGGER kpi_score_pair_delete ON kpi_attempt;
       DROP TABLE kpi_score_pair;
       DROP FUNCTION kpi_score_pair_follow();`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(SCORE_PAIR).execute(db);
  await sql`SELECT kpi_attempt_rebuild(t.id) FROM tenant t`.execute(db);
  await sql
    .raw(
      `DROP TRIGGER kpi_attempt_outcome_insert ON kpi_statement;
       DROP TRIGGER kpi_attempt_outcome_voided ON kpi_statement;
       DROP TABLE kpi_attempt_outcome;
       DROP FUNCTION kpi_attempt_outcome_rebuild(uuid), kpi_attempt_outcome_capture(),
         kpi_attempt_outcome_recompute(kpi_statement), kpi_attempt_outcome_add(kpi_statement);`,
    )
    .execute(db);
}
