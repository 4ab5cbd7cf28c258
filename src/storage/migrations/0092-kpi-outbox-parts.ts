import { sql, type Kysely } from 'kysely';

/**
 * The KPI capture outbox in four parts per tenant (issue #17). With 0091 one drain per tenant captured
 * everything, on one backend: the benchmark's batch phase left 7,300 of 10,000 statements behind and
 * took 42 s more to catch up, slower than the inline capture it replaced (which ran in 8 storing
 * backends). Now the outbox rows carry a part, the statement's registration hashed into 0-3 (0 without
 * one), and drains of different parts of a tenant run at once; drains of one part take turns. A
 * statement's insert and its voiding changes land in the same part (the voided trigger sees the
 * statement's own registration), so one part's drains still see them in commit order. A learner's
 * attempt (one registration) stays in one part, so parallel drains rarely want the same rollup rows;
 * when they do, the rollup triggers were written for concurrent storing transactions (lock order of
 * 0090, advisory locks, deferred sums). `kpi_outbox_drain(tenant, most)` drains every part in turn;
 * `kpi_outbox_lock_all(tenant)` keeps every drain of the tenant out (rebuilds). Frozen.
 */
const PARTS = String.raw`
ALTER TABLE xapi_statement_outbox ADD COLUMN part smallint NOT NULL DEFAULT 0;
DROP INDEX xapi_statement_outbox_tenant_idx;
CREATE INDEX xapi_statement_outbox_part_idx ON xapi_statement_outbox (tenant_id, part, id);

CREATE FUNCTION kpi_outbox_part(registration uuid)
 RETURNS smallint
 LANGUAGE sql
 IMMUTABLE
AS $function$
      SELECT coalesce((hashtextextended(registration::text, 0) & 3)::smallint, 0::smallint)
    $function$;

CREATE OR REPLACE FUNCTION kpi_outbox_inserted()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    BEGIN
      INSERT INTO xapi_statement_outbox (tenant_id, part, seqs)
      SELECT tenant_id, kpi_outbox_part(registration), array_agg(seq) FROM new_rows
      WHERE position('https://w3id.org/yardstick/xapi/' in statement) > 0
      GROUP BY tenant_id, kpi_outbox_part(registration);
      RETURN NULL;
    END $function$;

CREATE OR REPLACE FUNCTION kpi_outbox_voided()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    BEGIN
      IF position('https://w3id.org/yardstick/xapi/' in NEW.statement) > 0 THEN
        INSERT INTO xapi_statement_outbox (tenant_id, part, seqs)
        VALUES (NEW.tenant_id, kpi_outbox_part(NEW.registration), ARRAY[NEW.seq]);
      END IF;
      RETURN NULL;
    END $function$;

CREATE FUNCTION kpi_outbox_lock(t uuid, p smallint)
 RETURNS void
 LANGUAGE sql
AS $function$
      SELECT pg_advisory_xact_lock(hashtextextended('xapi_statement_outbox ' || t::text || ' ' || p::text, 0))
    $function$;

CREATE FUNCTION kpi_outbox_lock_all(t uuid)
 RETURNS void
 LANGUAGE sql
AS $function$
      SELECT kpi_outbox_lock(t, p::smallint) FROM generate_series(0, 3) p;
    $function$;

-- One part of a tenant: like 0091's drain, under the part's lock, over the part's outbox rows.
CREATE FUNCTION kpi_outbox_drain(t uuid, p smallint, most integer)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
    DECLARE seqs bigint[]; added kpi_statement[]; v kpi_statement;
    BEGIN
      PERFORM kpi_outbox_lock(t, p);
      WITH taken AS (
        DELETE FROM xapi_statement_outbox o
        WHERE o.id IN (SELECT id FROM xapi_statement_outbox WHERE tenant_id = t AND part = p ORDER BY id LIMIT most)
        RETURNING o.seqs)
      SELECT array_agg(DISTINCT q) INTO seqs FROM taken CROSS JOIN LATERAL unnest(taken.seqs) q;
      IF seqs IS NULL THEN RETURN 0; END IF;

      FOR v IN UPDATE kpi_statement k SET voided = s.voided FROM xapi_statement s
          WHERE s.tenant_id = t AND s.seq = ANY (seqs) AND k.tenant_id = t AND k.statement_id = s.id
            AND k.voided IS DISTINCT FROM s.voided
          RETURNING k.* LOOP
        PERFORM kpi_learner_day_add(v, CASE WHEN v.voided THEN -1 ELSE 1 END);
        IF v.verb = 'answered' AND v.item_kind IN ('pre', 'post') AND v.success IS NOT NULL AND v.module_id IS NOT NULL THEN
          PERFORM kpi_attempt_recompute(v);
        END IF;
      END LOOP;

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

-- Every part of a tenant in turn (the four part locks are held to the end of the transaction).
CREATE OR REPLACE FUNCTION kpi_outbox_drain(t uuid, most integer)
 RETURNS integer
 LANGUAGE sql
AS $function$
      SELECT sum(kpi_outbox_drain(t, p::smallint, most))::integer FROM generate_series(0, 3) p;
    $function$;
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(PARTS).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Captures what is waiting first; 0091's functions take the part-less outbox back.
  await sql`SELECT kpi_outbox_drain(t.tenant_id, 2147483647) FROM (SELECT DISTINCT tenant_id FROM xapi_statement_outbox) t`.execute(
    db,
  );
  await sql
    .raw(
      String.raw`
    DROP FUNCTION kpi_outbox_drain(uuid, smallint, integer), kpi_outbox_lock_all(uuid), kpi_outbox_lock(uuid, smallint);
    -- 0091's drain of a whole tenant, as it was.
    CREATE OR REPLACE FUNCTION kpi_outbox_drain(t uuid, most integer)
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
    CREATE OR REPLACE FUNCTION kpi_outbox_inserted()
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
    CREATE OR REPLACE FUNCTION kpi_outbox_voided()
     RETURNS trigger
     LANGUAGE plpgsql
    AS $function$
        BEGIN
          IF position('https://w3id.org/yardstick/xapi/' in NEW.statement) > 0 THEN
            INSERT INTO xapi_statement_outbox (tenant_id, seqs) VALUES (NEW.tenant_id, ARRAY[NEW.seq]);
          END IF;
          RETURN NULL;
        END $function$;
    DROP FUNCTION kpi_outbox_part(uuid);
    DROP INDEX xapi_statement_outbox_part_idx;
    ALTER TABLE xapi_statement_outbox DROP COLUMN part;
    CREATE INDEX xapi_statement_outbox_tenant_idx ON xapi_statement_outbox (tenant_id, id);
  `,
    )
    .execute(db);
}
