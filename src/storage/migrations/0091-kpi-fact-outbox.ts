import { sql, type Kysely } from 'kysely';

/**
 * KPI capture off the ingest path (issue #17). The profile of realistic batch ingest
 * (bench/lrs-ingest-profile.ts) put about half of the storing transaction's time in the KPI triggers:
 * extracting the facts, then the rollups kept from them. Now the capture triggers on xapi_statement
 * only note which statements changed, one outbox row per INSERT (their seqs) and one per voiding
 * change; `kpi_outbox_drain(tenant, most)` turns a tenant's oldest outbox rows into facts and rollups
 * in its own transaction, exactly as the triggers did (the same extraction, the rollup row triggers on
 * kpi_statement, one grouped upsert each for kpi_learner_day and kpi_attempt, in lock order). Drains
 * of one tenant take turns (an advisory lock), so they never contend for rollup rows; ingest no longer
 * touches rollup rows at all. The outbox names statements, not changes: a drain captures a statement
 * from its row as it is then (voided or not) and brings a captured fact's voided flag up to date, so
 * the order in which outbox rows commit does not matter. Frozen.
 */
const OUTBOX = String.raw`
CREATE TABLE xapi_statement_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY,
  tenant_id uuid NOT NULL,
  seqs bigint[] NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX xapi_statement_outbox_tenant_idx ON xapi_statement_outbox (tenant_id, id);

CREATE FUNCTION kpi_outbox_inserted()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    BEGIN
      INSERT INTO xapi_statement_outbox (tenant_id, seqs)
      SELECT tenant_id, array_agg(seq) FROM new_rows
      WHERE position('https://w3id.org/yardstick/xapi/' in statement) > 0
      GROUP BY tenant_id;
      RETURN NULL;
    END $function$;

CREATE FUNCTION kpi_outbox_voided()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    BEGIN
      IF position('https://w3id.org/yardstick/xapi/' in NEW.statement) > 0 THEN
        INSERT INTO xapi_statement_outbox (tenant_id, seqs) VALUES (NEW.tenant_id, ARRAY[NEW.seq]);
      END IF;
      RETURN NULL;
    END $function$;

-- The rollups kept by the capture itself, for new non-voided facts: one grouped upsert each, in lock order.
CREATE FUNCTION kpi_capture_add(added kpi_statement[])
 RETURNS void
 LANGUAGE plpgsql
AS $function$
    BEGIN
      IF added IS NULL THEN RETURN; END IF;
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
    END $function$;

-- Captures the statements of a tenant's oldest outbox rows (at most 'most' rows); returns how many
-- statements it looked at (0: the tenant's outbox was empty).
CREATE FUNCTION kpi_outbox_drain(t uuid, most integer)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
    DECLARE seqs bigint[]; added kpi_statement[]; v kpi_statement;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('xapi_statement_outbox ' || t::text, 0));
      WITH taken AS (
        DELETE FROM xapi_statement_outbox o
        WHERE o.id IN (SELECT id FROM xapi_statement_outbox WHERE tenant_id = t ORDER BY id LIMIT most)
        RETURNING o.seqs)
      SELECT array_agg(DISTINCT q) INTO seqs FROM taken CROSS JOIN LATERAL unnest(taken.seqs) q;
      IF seqs IS NULL THEN RETURN 0; END IF;

      -- Captured facts whose statement was voided (or no longer is) since (xAPI Data 2.3.2).
      FOR v IN UPDATE kpi_statement k SET voided = s.voided FROM xapi_statement s
          WHERE s.tenant_id = t AND s.seq = ANY (seqs) AND k.tenant_id = t AND k.statement_id = s.id
            AND k.voided IS DISTINCT FROM s.voided
          RETURNING k.* LOOP
        PERFORM kpi_learner_day_add(v, CASE WHEN v.voided THEN -1 ELSE 1 END);
        IF v.verb = 'answered' AND v.item_kind IN ('pre', 'post') AND v.success IS NOT NULL AND v.module_id IS NOT NULL THEN
          PERFORM kpi_attempt_recompute(v);
        END IF;
      END LOOP;

      -- New facts, in the learner-first lock order (the row triggers on kpi_statement fire in it).
      WITH written AS (
        INSERT INTO kpi_statement
        SELECT f.* FROM xapi_statement s CROSS JOIN LATERAL kpi_statement_fact(s) f
        WHERE s.tenant_id = t AND s.seq = ANY (seqs) AND f.statement_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM kpi_statement k WHERE k.tenant_id = t AND k.statement_id = s.id)
        ORDER BY f.tenant_id, f.actor_name, f.actor_home_page, f.module_id, f.module_version, f.course_id,
                 f.program_id, (f."timestamp" AT TIME ZONE 'UTC')::date, f.registration, f.item_kind, f.item_id,
                 f.response, f.seq
        ON CONFLICT DO NOTHING
        RETURNING *)
      SELECT array_agg(fact) INTO added FROM written fact WHERE NOT fact.voided;
      PERFORM kpi_capture_add(added);
      RETURN cardinality(seqs);
    END $function$;
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(OUTBOX).execute(db);
  // Statements stored before this migration are captured already; the triggers change from here on.
  await sql`DROP TRIGGER kpi_statement_insert ON xapi_statement`.execute(db);
  await sql`DROP TRIGGER kpi_statement_voided ON xapi_statement`.execute(db);
  await sql`
    CREATE TRIGGER kpi_statement_insert AFTER INSERT ON xapi_statement
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_outbox_inserted()`.execute(
    db,
  );
  await sql`
    CREATE TRIGGER kpi_statement_voided AFTER UPDATE OF voided ON xapi_statement
      FOR EACH ROW WHEN (OLD.voided IS DISTINCT FROM NEW.voided) EXECUTE FUNCTION kpi_outbox_voided()`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Statements still in the outbox are captured first, so nothing is lost going back.
  await sql`SELECT kpi_outbox_drain(t.tenant_id, 2147483647) FROM (SELECT DISTINCT tenant_id FROM xapi_statement_outbox) t`.execute(
    db,
  );
  await sql`DROP TRIGGER kpi_statement_insert ON xapi_statement`.execute(db);
  await sql`DROP TRIGGER kpi_statement_voided ON xapi_statement`.execute(db);
  await sql`
    CREATE TRIGGER kpi_statement_insert AFTER INSERT ON xapi_statement
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_statement_capture_rows()`.execute(
    db,
  );
  await sql`
    CREATE TRIGGER kpi_statement_voided AFTER UPDATE OF voided ON xapi_statement
      FOR EACH ROW EXECUTE FUNCTION kpi_statement_capture()`.execute(db);
  await sql`DROP FUNCTION kpi_outbox_drain(uuid, integer), kpi_capture_add(kpi_statement[]), kpi_outbox_voided(), kpi_outbox_inserted()`.execute(
    db,
  );
  await sql`DROP TABLE xapi_statement_outbox`.execute(db);
}
