import { sql, type Kysely } from 'kysely';

/**
 * Learner x module rollup (issue #7, report speed): per actor, course, program, module, version and UTC
 * day (so a report filtered to whole days reads it too), the
 * counts behind module completion, time on task, the learner list and first launches, so those reports
 * read one row per learner and module instead of every statement of the course.
 *
 * Columns, each over the non-voided facts of the row's key (kpi_statement, migration 0060):
 * - launched, initialized, completed, passed, failed: facts of that verb;
 * - sessions, micros, estimated: `terminated`/`abandoned` facts with a duration, the sum of their
 *   durations in whole microseconds (an ISO duration is an interval, so a whole number of microseconds:
 *   integers keep the sum exact whatever the order facts arrive or are voided in), and how many of
 *   them are estimates (`duration_estimated` or `abandoned`);
 * - first_launch_at: the earliest `launched` timestamp; last_activity_at: the latest `launched` or
 *   `completed` timestamp (null when there is none).
 * Module-less facts are kept only for `launched` (first launches count whatever the object).
 *
 * Kept by row triggers on kpi_statement in the transaction that stores or voids the statement, so a
 * rejected batch leaves nothing behind. Counters add on insert and subtract on voiding (an upsert, so
 * concurrent inserts for one key do not lose updates); the two timestamps cannot be subtracted, so
 * voiding a launch or completion recomputes them for that one row from the facts, in a statement after
 * the subtracting upsert has locked the row: a concurrent launch of the same row has either committed
 * before that statement's snapshot or waits for the lock and applies least/greatest after. Rows whose
 * counts fall to 0 stay and are skipped by readers. `kpi_learner_module_rebuild(tenant)` recomputes a
 * tenant (bulk loads by COPY, which turn these triggers off, and the backfill below).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
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
    )`.execute(db);
  // The upsert target; leading (tenant_id, course_id, module_id) also serves course reads.
  await sql`
    CREATE UNIQUE INDEX kpi_learner_module_key ON kpi_learner_module
      (tenant_id, course_id, module_id, module_version, actor_name, actor_home_page, program_id, day)
      NULLS NOT DISTINCT`.execute(db);
  // Program reports (no course in the scope).
  await sql`CREATE INDEX kpi_learner_module_program_idx ON kpi_learner_module (tenant_id, program_id, module_id)`.execute(
    db,
  );

  await sql`
    CREATE FUNCTION kpi_learner_module_add(f kpi_statement, delta integer) RETURNS void
    LANGUAGE sql AS $$
      INSERT INTO kpi_learner_module AS k
        VALUES (f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.actor_home_page,
                f.actor_name,
                CASE WHEN f.verb = 'launched' THEN delta ELSE 0 END,
                CASE WHEN f.verb = 'initialized' THEN delta ELSE 0 END,
                CASE WHEN f.verb = 'completed' THEN delta ELSE 0 END,
                CASE WHEN f.verb = 'passed' THEN delta ELSE 0 END,
                CASE WHEN f.verb = 'failed' THEN delta ELSE 0 END,
                CASE WHEN ${sql.raw(SESSION_FACT)} THEN delta ELSE 0 END,
                CASE WHEN ${sql.raw(SESSION_FACT)} THEN delta * ${sql.raw(MICROS)} ELSE 0 END,
                CASE WHEN ${sql.raw(SESSION_FACT)} AND (f.duration_estimated OR f.verb = 'abandoned')
                  THEN delta ELSE 0 END,
                CASE WHEN delta > 0 AND f.verb = 'launched' THEN f."timestamp" END,
                CASE WHEN delta > 0 AND f.verb IN ('launched', 'completed') THEN f."timestamp" END,
                ${sql.raw(DAY('f'))})
      ON CONFLICT (tenant_id, course_id, module_id, module_version, actor_name, actor_home_page, program_id, day)
      DO UPDATE SET launched = k.launched + excluded.launched, initialized = k.initialized + excluded.initialized,
                    completed = k.completed + excluded.completed, passed = k.passed + excluded.passed,
                    failed = k.failed + excluded.failed, sessions = k.sessions + excluded.sessions,
                    micros = k.micros + excluded.micros, estimated = k.estimated + excluded.estimated,
                    first_launch_at = least(k.first_launch_at, excluded.first_launch_at),
                    last_activity_at = greatest(k.last_activity_at, excluded.last_activity_at)
    $$`.execute(db);

  // The timestamps of one row, from its non-voided facts (after a launch or completion is voided).
  const sameRow = `s.tenant_id = f.tenant_id AND s.actor_name IS NOT DISTINCT FROM f.actor_name
        AND s.actor_home_page IS NOT DISTINCT FROM f.actor_home_page AND s.course_id IS NOT DISTINCT FROM f.course_id
        AND s.program_id IS NOT DISTINCT FROM f.program_id AND s.module_id IS NOT DISTINCT FROM f.module_id
        AND s.module_version IS NOT DISTINCT FROM f.module_version AND NOT s.voided
        AND ${DAY('s')} = ${DAY('f')}`;
  await sql`
    CREATE FUNCTION kpi_learner_module_retime(f kpi_statement) RETURNS void
    LANGUAGE sql AS $$
      UPDATE kpi_learner_module k SET
        first_launch_at = (SELECT min(s."timestamp") FROM kpi_statement s
                           WHERE ${sql.raw(sameRow)} AND s.verb = 'launched'),
        last_activity_at = (SELECT max(s."timestamp") FROM kpi_statement s
                            WHERE ${sql.raw(sameRow)} AND s.verb IN ('launched', 'completed'))
      WHERE k.tenant_id = f.tenant_id AND k.course_id IS NOT DISTINCT FROM f.course_id
        AND k.module_id IS NOT DISTINCT FROM f.module_id AND k.module_version IS NOT DISTINCT FROM f.module_version
        AND k.actor_name IS NOT DISTINCT FROM f.actor_name AND k.actor_home_page IS NOT DISTINCT FROM f.actor_home_page
        AND k.program_id IS NOT DISTINCT FROM f.program_id AND k.day = ${sql.raw(DAY('f'))}
    $$`.execute(db);

  await sql`
    CREATE FUNCTION kpi_learner_module_rebuild(t uuid) RETURNS void
    LANGUAGE sql AS $$
      DELETE FROM kpi_learner_module WHERE tenant_id = t;
      INSERT INTO kpi_learner_module
      SELECT f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.actor_home_page, f.actor_name,
             count(*) FILTER (WHERE f.verb = 'launched'), count(*) FILTER (WHERE f.verb = 'initialized'),
             count(*) FILTER (WHERE f.verb = 'completed'), count(*) FILTER (WHERE f.verb = 'passed'),
             count(*) FILTER (WHERE f.verb = 'failed'), count(*) FILTER (WHERE ${sql.raw(SESSION_FACT)}),
             coalesce(sum(${sql.raw(MICROS)}) FILTER (WHERE ${sql.raw(SESSION_FACT)}), 0),
             count(*) FILTER (WHERE ${sql.raw(SESSION_FACT)} AND (f.duration_estimated OR f.verb = 'abandoned')),
             min(f."timestamp") FILTER (WHERE f.verb = 'launched'),
             max(f."timestamp") FILTER (WHERE f.verb IN ('launched', 'completed')),
             ${sql.raw(DAY('f'))}
      FROM kpi_statement f
      WHERE f.tenant_id = t AND NOT f.voided AND ${sql.raw(KEPT_FACT)}
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 18;
    $$`.execute(db);

  await sql`
    CREATE FUNCTION kpi_learner_module_capture() RETURNS trigger LANGUAGE plpgsql AS $$
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
    END $$`.execute(db);
  const kept = KEPT_FACT.replace(/\bf\./g, 'NEW.');
  await sql`
    CREATE TRIGGER kpi_learner_module_insert AFTER INSERT ON kpi_statement
      FOR EACH ROW WHEN (NOT NEW.voided AND ${sql.raw(kept)})
      EXECUTE FUNCTION kpi_learner_module_capture()`.execute(db);
  await sql`
    CREATE TRIGGER kpi_learner_module_voided AFTER UPDATE OF voided ON kpi_statement
      FOR EACH ROW WHEN (OLD.voided IS DISTINCT FROM NEW.voided AND ${sql.raw(kept)})
      EXECUTE FUNCTION kpi_learner_module_capture()`.execute(db);

  await sql`SELECT kpi_learner_module_rebuild(t.id) FROM tenant t`.execute(db);
}

/** A session of time on task: a terminated or abandoned module session that reports its duration. */
const SESSION_FACT =
  "f.verb IN ('terminated', 'abandoned') AND f.duration_seconds IS NOT NULL AND f.module_id IS NOT NULL";

/** A fact's duration in whole microseconds (kpi_iso_duration_seconds reads an interval: exact). */
const MICROS = 'round(f.duration_seconds * 1e6)::bigint';
/** The UTC day of a fact: rows are kept per day so reports filtered to whole days read them too. */
const DAY = (f: string) => `(${f}."timestamp" AT TIME ZONE 'UTC')::date`;

/** Facts the rollup counts: any launch (first launches), and the module facts of the other columns. */
const KEPT_FACT = `(f.verb = 'launched' OR (f.module_id IS NOT NULL AND (
    f.verb IN ('initialized', 'completed', 'passed', 'failed')
    OR (f.verb IN ('terminated', 'abandoned') AND f.duration_seconds IS NOT NULL))))`;

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER kpi_learner_module_voided ON kpi_statement`.execute(db);
  await sql`DROP TRIGGER kpi_learner_module_insert ON kpi_statement`.execute(db);
  await sql`DROP FUNCTION kpi_learner_module_capture()`.execute(db);
  await sql`DROP FUNCTION kpi_learner_module_rebuild(uuid)`.execute(db);
  await sql`DROP FUNCTION kpi_learner_module_retime(kpi_statement)`.execute(db);
  await sql`DROP FUNCTION kpi_learner_module_add(kpi_statement, integer)`.execute(db);
  await sql`DROP TABLE kpi_learner_module`.execute(db);
}
