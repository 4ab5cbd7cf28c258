import { sql, type Kysely } from 'kysely';

/**
 * Each learner's pre/post score pair per module version, course and program: the first attempt with
 * pre-test answers and the latest with post-test answers, as KpiRepository.scorePairs picks them (ties
 * on the attempt's first answer time going to the lower registration, a null one last). Read by the
 * report when the scope has no date range, instead of ranking every attempt of the course.
 *
 * Derived from the attempt rollup (kpi_attempt, 0064/0069), not from the facts: statement-level
 * triggers on kpi_attempt recompute the pairs of the keys a statement touched, set-based through its
 * transition tables. One stored answer touches one key (a few attempt rows to read); the attempt
 * rollup's tenant rebuild (delete, then insert, after a COPY) recomputes every key in two statements.
 * Only account actors are kept: the roster matches learners by account, so no other actor is counted.
 * `shared` marks the rows of an actor with several rows of one module, whose pair in a scope spanning
 * them is ranked over their attempts instead.
 */
const KEY = [
  'tenant_id',
  'course_id',
  'program_id',
  'module_id',
  'module_version',
  'actor_home_page',
  'actor_name',
];

/** `a` (kpi_attempt) belongs to the key row `k`: equalities the actor index serves, then the nullable parts. */
const SAME_KEY = `a.tenant_id = k.tenant_id AND a.actor_name = k.actor_name AND a.actor_home_page = k.actor_home_page
          AND a.module_id = k.module_id AND a.module_version IS NOT DISTINCT FROM k.module_version
          AND a.course_id IS NOT DISTINCT FROM k.course_id AND a.program_id IS NOT DISTINCT FROM k.program_id`;

/** One phase's chosen attempt for the key `k`: registration, score (share correct) and first answer time. */
const pick = (phase: 'pre' | 'post') => `
        SELECT a.registration, sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM kpi_attempt a
        WHERE ${SAME_KEY} AND a.phase = '${phase}' AND a.scored > 0
        GROUP BY a.registration
        ORDER BY at ${phase === 'pre' ? 'ASC' : 'DESC'}, a.registration
        LIMIT 1`;

/** The pairs of the keys in `keys` (a relation with the key columns) computed from kpi_attempt, in column order. */
const computePairs = (keys: string) => `
      SELECT ${KEY.map((c) => `k.${c}`).join(', ')}, pre.score, pre.at, pre.registration, post.score, post.at,
             post.registration, span.first_day, span.last_day, false
      FROM (SELECT DISTINCT ${KEY.join(', ')} FROM ${keys}
            WHERE actor_name IS NOT NULL AND actor_home_page IS NOT NULL) k
      LEFT JOIN LATERAL (${pick('pre')}) pre ON true
      LEFT JOIN LATERAL (${pick('post')}) post ON true
      CROSS JOIN LATERAL (
        SELECT min(a.day) AS first_day, max(a.day) AS last_day FROM kpi_attempt a
        WHERE ${SAME_KEY} AND a.scored > 0) span
      WHERE pre.at IS NOT NULL OR post.at IS NOT NULL`;

const ON_KEY = `p.tenant_id = k.tenant_id AND p.actor_name = k.actor_name AND p.actor_home_page = k.actor_home_page
        AND p.module_id = k.module_id AND p.module_version IS NOT DISTINCT FROM k.module_version
        AND p.course_id IS NOT DISTINCT FROM k.course_id AND p.program_id IS NOT DISTINCT FROM k.program_id`;

/**
 * Recomputes the pairs of the keys in `keys`. Concurrent writers of one key queue on its pair row (locked
 * first, in key order), so each recomputation reads the attempts committed before it. A key new to both
 * (no row to lock) is created by the first to commit; the other, having waited on the unique key, reads
 * again with the first's attempts visible and overwrites the row.
 */
const recompute = (keys: string) => `
      PERFORM 1 FROM kpi_score_pair p JOIN (SELECT DISTINCT ${KEY.join(', ')} FROM ${keys}) k ON ${ON_KEY}
        ORDER BY p.tenant_id, p.actor_name, p.actor_home_page, p.module_id, p.module_version, p.course_id, p.program_id
        FOR UPDATE OF p;
      DELETE FROM kpi_score_pair p USING (SELECT DISTINCT ${KEY.join(', ')} FROM ${keys}) k WHERE ${ON_KEY};
      WITH computed AS MATERIALIZED (${computePairs(keys)}),
      stored AS (INSERT INTO kpi_score_pair SELECT * FROM computed ON CONFLICT DO NOTHING RETURNING 1)
      SELECT (SELECT count(*) FROM computed) - (SELECT count(*) FROM stored) INTO missed;
      IF missed > 0 THEN
        INSERT INTO kpi_score_pair ${computePairs(keys)}
        ON CONFLICT (tenant_id, actor_name, actor_home_page, module_id, module_version, course_id, program_id)
        DO UPDATE SET pre_score = excluded.pre_score, pre_at = excluded.pre_at,
                      pre_registration = excluded.pre_registration, post_score = excluded.post_score,
                      post_at = excluded.post_at, post_registration = excluded.post_registration,
                      first_day = excluded.first_day, last_day = excluded.last_day;
      END IF;
      UPDATE kpi_score_pair p SET shared = s.n > 1
      FROM (SELECT p2.tenant_id, p2.actor_name, p2.actor_home_page, p2.module_id, count(*) AS n
            FROM kpi_score_pair p2
            JOIN (SELECT DISTINCT tenant_id, actor_name, actor_home_page, module_id FROM ${keys}) k
              ON p2.tenant_id = k.tenant_id AND p2.actor_name = k.actor_name
                AND p2.actor_home_page = k.actor_home_page AND p2.module_id = k.module_id
            GROUP BY 1, 2, 3, 4) s
      WHERE p.tenant_id = s.tenant_id AND p.actor_name = s.actor_name AND p.actor_home_page = s.actor_home_page
        AND p.module_id = s.module_id AND p.shared IS DISTINCT FROM (s.n > 1);`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
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
    )`.execute(db);
  await sql`
    CREATE UNIQUE INDEX kpi_score_pair_key ON kpi_score_pair
      (tenant_id, actor_name, actor_home_page, module_id, module_version, course_id, program_id) NULLS NOT DISTINCT`.execute(
    db,
  );
  await sql`CREATE INDEX kpi_score_pair_course_idx ON kpi_score_pair (tenant_id, course_id, module_id)`.execute(
    db,
  );
  await sql`CREATE INDEX kpi_score_pair_program_idx ON kpi_score_pair (tenant_id, program_id, module_id)`.execute(
    db,
  );
  // A key's attempts, for the recomputation (and the report's few learners with several pair rows).
  await sql`
    CREATE INDEX kpi_attempt_actor_idx ON kpi_attempt (tenant_id, actor_name, actor_home_page, module_id)`.execute(
    db,
  );
  await sql
    .raw(
      `
    CREATE FUNCTION kpi_score_pair_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE missed bigint;
    BEGIN
      -- INSERT ... ON CONFLICT fires both the insert and the update trigger, one of them with no rows.
      IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM added) THEN RETURN NULL; END IF;
        ${recompute('added')}
      ELSIF TG_OP = 'DELETE' THEN
        ${recompute('removed')}
      ELSE
        IF NOT EXISTS (SELECT 1 FROM added) THEN RETURN NULL; END IF;
        ${recompute('(SELECT * FROM added UNION ALL SELECT * FROM removed) changed')}
      END IF;
      RETURN NULL;
    END $$`,
    )
    .execute(db);
  await sql`
    CREATE TRIGGER kpi_score_pair_insert AFTER INSERT ON kpi_attempt
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION kpi_score_pair_follow()`.execute(db);
  await sql`
    CREATE TRIGGER kpi_score_pair_update AFTER UPDATE ON kpi_attempt
      REFERENCING NEW TABLE AS added OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION kpi_score_pair_follow()`.execute(
    db,
  );
  await sql`
    CREATE TRIGGER kpi_score_pair_delete AFTER DELETE ON kpi_attempt
      REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION kpi_score_pair_follow()`.execute(
    db,
  );
  await sql.raw(`INSERT INTO kpi_score_pair ${computePairs('kpi_attempt')}`).execute(db);
  await sql`
    UPDATE kpi_score_pair p SET shared = true
    WHERE EXISTS (SELECT 1 FROM kpi_score_pair o
                  WHERE o.tenant_id = p.tenant_id AND o.actor_name = p.actor_name
                    AND o.actor_home_page = p.actor_home_page AND o.module_id = p.module_id AND o.ctid <> p.ctid)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER kpi_score_pair_delete ON kpi_attempt`.execute(db);
  await sql`DROP TRIGGER kpi_score_pair_update ON kpi_attempt`.execute(db);
  await sql`DROP TRIGGER kpi_score_pair_insert ON kpi_attempt`.execute(db);
  await sql`DROP FUNCTION kpi_score_pair_follow()`.execute(db);
  await sql`DROP INDEX kpi_attempt_actor_idx`.execute(db);
  await sql`DROP TABLE kpi_score_pair`.execute(db);
}
