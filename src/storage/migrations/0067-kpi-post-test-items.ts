import { sql, type Kysely } from 'kysely';

/**
 * Each learner's latest post-test attempt per module version (issue #7, report speed): what item
 * analysis reads instead of windowing every post-test answer of a course.
 *
 * `kpi_post_latest`: one row per tenant, course, program, module, version and actor (an account) with
 * post-test answers, holding the attempt (registration) of the actor's newest answer, that answer's
 * timestamp, and the attempt's answers per question as three parallel arrays: question ids, whether any
 * answer to it was correct (bool_or of success, no flag counting as wrong) and the greatest response
 * (max), plus `total`, the number of questions answered correctly. Ties on the newest timestamp go to
 * the greater registration (a null registration loses), as in the report's facts path.
 *
 * Reports group a learner's answers by module and coalesce(version, 0) within the scope's course or
 * program, so one group can span rows (answers under two courses or programs, or a version both absent
 * and 0) and its latest attempt can span them too. `split` marks a row created while another row of its
 * group existed; readers take such groups from the facts. It stays set when the other row goes (safe:
 * the facts are always exact); a rebuild recomputes it.
 *
 * Kept by row triggers on kpi_statement in the storing transaction, with the row locked so concurrent
 * answers of one learner queue: an answer of the latest attempt merges into its question (bool_or and
 * max are idempotent, so seeing an answer twice changes nothing); an answer that makes another attempt
 * the latest (a newer timestamp; xAPI statements may arrive out of order) recomputes the row from that
 * attempt's facts; voiding an answer of the latest attempt recomputes the row from the actor's facts,
 * or deletes it when no answer is left. `kpi_post_rebuild(tenant)` recomputes a tenant (bulk loads,
 * backfill).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
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
    )`.execute(db);
  // The triggers' lookup: the actor's columns lead, so the nullable ones after them only filter the
  // few rows an actor has.
  await sql`
    CREATE UNIQUE INDEX kpi_post_latest_key ON kpi_post_latest
      (tenant_id, actor_name, actor_home_page, module_id, module_version, course_id, program_id)
      NULLS NOT DISTINCT`.execute(db);
  await sql`CREATE INDEX kpi_post_latest_course_idx ON kpi_post_latest (tenant_id, course_id, module_id)`.execute(
    db,
  );
  await sql`CREATE INDEX kpi_post_latest_program_idx ON kpi_post_latest (tenant_id, program_id, module_id)`.execute(
    db,
  );
  await sql`CREATE INDEX kpi_post_latest_split_idx ON kpi_post_latest (tenant_id, module_id) WHERE split`.execute(
    db,
  );

  // f's row recomputed from the facts `a` (a query over kpi_statement alias a), in column order.
  const attemptOf = (facts: string) => `
      WITH a AS MATERIALIZED (${facts}),
      latest AS (SELECT registration FROM a ORDER BY "timestamp" DESC, registration DESC NULLS LAST LIMIT 1),
      per AS (
        SELECT item_id, coalesce(bool_or(success), false) AS s, max(response) AS resp, max("timestamp") AS at
        FROM a WHERE registration IS NOT DISTINCT FROM (SELECT registration FROM latest)
        GROUP BY item_id)
      SELECT f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.actor_home_page,
             f.actor_name, (SELECT registration FROM latest) AS registration, max(at) AS last_at,
             coalesce(sum(s::int), 0)::int AS total, array_agg(item_id) AS items, array_agg(s) AS correct,
             array_agg(resp) AS responses, false AS split
      FROM per`;
  const answers = `a.verb = 'answered' AND a.item_kind = 'post' AND a.item_id IS NOT NULL AND NOT a.voided`;
  const keyOf = (alias: string) => `${alias}.tenant_id = f.tenant_id AND ${alias}.actor_name = f.actor_name
        AND ${alias}.actor_home_page = f.actor_home_page AND ${alias}.module_id = f.module_id
        AND ${alias}.module_version IS NOT DISTINCT FROM f.module_version
        AND ${alias}.course_id IS NOT DISTINCT FROM f.course_id AND ${alias}.program_id IS NOT DISTINCT FROM f.program_id`;

  // Inserts a new row unless a concurrent transaction did (false then). New rows of one actor and
  // module are created one at a time (an advisory lock until commit), so each sees those before it and
  // is marked split when one of them shares its module version (coalesce(version, 0), as reports group).
  await sql`
    CREATE FUNCTION kpi_post_insert(a kpi_post_latest) RETURNS boolean
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended(
        a.tenant_id::text || a.module_id::text || a.actor_home_page || ' ' || a.actor_name, 0));
      a.split := EXISTS (
        SELECT 1 FROM kpi_post_latest p
        WHERE p.tenant_id = a.tenant_id AND p.actor_name = a.actor_name AND p.actor_home_page = a.actor_home_page
          AND p.module_id = a.module_id AND coalesce(p.module_version, 0) = coalesce(a.module_version, 0));
      INSERT INTO kpi_post_latest SELECT (a).* ON CONFLICT DO NOTHING;
      RETURN FOUND;
    END $$`.execute(db);

  // Writes (or deletes, when the attempt has no answer) the row of f's key from a recomputed attempt.
  await sql`
    CREATE FUNCTION kpi_post_store(f kpi_statement, a kpi_post_latest) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
      IF a.last_at IS NULL THEN
        DELETE FROM kpi_post_latest p WHERE ${sql.raw(keyOf('p'))};
        RETURN;
      END IF;
      UPDATE kpi_post_latest p
        SET registration = a.registration, last_at = a.last_at, total = a.total, items = a.items,
            correct = a.correct, responses = a.responses
        WHERE ${sql.raw(keyOf('p'))};
      IF NOT FOUND THEN PERFORM kpi_post_insert(a); END IF;
    END $$`.execute(db);

  // The row of f's key from all of the actor's facts (the actor index): after a voiding.
  await sql`
    CREATE FUNCTION kpi_post_recompute(f kpi_statement) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE r kpi_post_latest;
    BEGIN
      ${sql.raw(
        attemptOf(`SELECT a.registration, a."timestamp", a.item_id, a.success, a.response
        FROM kpi_statement a WHERE ${keyOf('a')} AND ${answers}`),
      )}
      INTO r;
      PERFORM kpi_post_store(f, r);
    END $$`.execute(db);

  // The row of f's key when f's attempt became the latest: that attempt's facts (the registration index).
  await sql`
    CREATE FUNCTION kpi_post_take_attempt(f kpi_statement) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE r kpi_post_latest;
    BEGIN
      IF f.registration IS NULL THEN
        PERFORM kpi_post_recompute(f);
        RETURN;
      END IF;
      ${sql.raw(
        attemptOf(`SELECT a.registration, a."timestamp", a.item_id, a.success, a.response
        FROM kpi_statement a WHERE a.registration = f.registration AND ${keyOf('a')} AND ${answers}`),
      )}
      INTO r;
      PERFORM kpi_post_store(f, r);
    END $$`.execute(db);

  // A new (or no longer voided) post-test answer.
  await sql`
    CREATE FUNCTION kpi_post_add(f kpi_statement) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE
      l kpi_post_latest;
      s boolean := coalesce(f.success, false);
      k integer;
    BEGIN
      SELECT * INTO l FROM kpi_post_latest p WHERE ${sql.raw(keyOf('p'))} FOR UPDATE;
      IF NOT FOUND THEN
        IF kpi_post_insert(ROW(f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version,
              f.actor_home_page, f.actor_name, f.registration, f."timestamp", s::int, ARRAY[f.item_id],
              ARRAY[s], ARRAY[f.response], false)::kpi_post_latest) THEN
          RETURN;
        END IF;
        -- A concurrent transaction created the row first: queue behind it.
        SELECT * INTO l FROM kpi_post_latest p WHERE ${sql.raw(keyOf('p'))} FOR UPDATE;
      END IF;
      IF l.registration IS NOT DISTINCT FROM f.registration THEN
        k := array_position(l.items, f.item_id);
        IF k IS NULL THEN
          UPDATE kpi_post_latest p
            SET last_at = greatest(p.last_at, f."timestamp"), total = p.total + s::int,
                items = array_append(p.items, f.item_id), correct = array_append(p.correct, s),
                responses = array_append(p.responses, f.response)
            WHERE ${sql.raw(keyOf('p'))};
        ELSIF f."timestamp" > l.last_at OR (s AND NOT l.correct[k])
              OR f.response > l.responses[k] OR (l.responses[k] IS NULL AND f.response IS NOT NULL) THEN
          UPDATE kpi_post_latest p
            SET last_at = greatest(p.last_at, f."timestamp"), total = p.total + (s AND NOT p.correct[k])::int,
                correct[k] = p.correct[k] OR s, responses[k] = greatest(p.responses[k], f.response)
            WHERE ${sql.raw(keyOf('p'))};
        END IF;
      ELSIF f."timestamp" > l.last_at OR (f."timestamp" = l.last_at AND f.registration IS NOT NULL
            AND (l.registration IS NULL OR f.registration > l.registration)) THEN
        PERFORM kpi_post_take_attempt(f);
      END IF;
    END $$`.execute(db);

  await sql`
    CREATE FUNCTION kpi_post_capture() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE l kpi_post_latest; f kpi_statement := NEW;
    BEGIN
      IF NOT NEW.voided THEN
        PERFORM kpi_post_add(NEW);
        RETURN NULL;
      END IF;
      -- Voided: only an answer of the latest attempt changes the row.
      SELECT * INTO l FROM kpi_post_latest p WHERE ${sql.raw(keyOf('p'))} FOR UPDATE;
      IF FOUND AND l.registration IS NOT DISTINCT FROM NEW.registration THEN
        PERFORM kpi_post_recompute(NEW);
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER kpi_post_insert AFTER INSERT ON kpi_statement FOR EACH ROW
      WHEN (NOT NEW.voided AND ${sql.raw(POST_FACT)})
      EXECUTE FUNCTION kpi_post_capture()`.execute(db);
  await sql`
    CREATE TRIGGER kpi_post_voided AFTER UPDATE OF voided ON kpi_statement FOR EACH ROW
      WHEN (OLD.voided IS DISTINCT FROM NEW.voided AND ${sql.raw(POST_FACT)})
      EXECUTE FUNCTION kpi_post_capture()`.execute(db);

  await sql`
    CREATE FUNCTION kpi_post_rebuild(t uuid) RETURNS void
    LANGUAGE sql AS $$
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
          WHERE a.tenant_id = t AND ${sql.raw(POST_FACT.replaceAll('NEW.', 'a.'))} AND NOT a.voided) a
        WHERE registration IS NOT DISTINCT FROM latest
        GROUP BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
                 latest, item_id) per
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, latest;
    $$`.execute(db);

  await sql`SELECT kpi_post_rebuild(t.id) FROM tenant t`.execute(db);
}

/**
 * Facts the rollup holds: post-test answers to a question by an account (the roster matches accounts
 * only), as item analysis reads them.
 */
const POST_FACT = `NEW.verb = 'answered' AND NEW.item_kind = 'post' AND NEW.module_id IS NOT NULL
  AND NEW.item_id IS NOT NULL AND NEW.actor_name IS NOT NULL AND NEW.actor_home_page IS NOT NULL`;

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER kpi_post_voided ON kpi_statement`.execute(db);
  await sql`DROP TRIGGER kpi_post_insert ON kpi_statement`.execute(db);
  await sql`DROP FUNCTION kpi_post_rebuild(uuid)`.execute(db);
  await sql`DROP FUNCTION kpi_post_capture()`.execute(db);
  await sql`DROP FUNCTION kpi_post_add(kpi_statement)`.execute(db);
  await sql`DROP FUNCTION kpi_post_take_attempt(kpi_statement)`.execute(db);
  await sql`DROP FUNCTION kpi_post_recompute(kpi_statement)`.execute(db);
  await sql`DROP FUNCTION kpi_post_store(kpi_statement, kpi_post_latest)`.execute(db);
  await sql`DROP FUNCTION kpi_post_insert(kpi_post_latest)`.execute(db);
  await sql`DROP TABLE kpi_post_latest`.execute(db);
}
