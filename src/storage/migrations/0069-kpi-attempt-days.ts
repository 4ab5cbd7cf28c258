import { sql, type Kysely } from 'kysely';
import { defineAttemptFunctions } from './0064-kpi-attempt-rollup.js';

/**
 * The attempt rollup (0064) by UTC day: one row per attempt and day its scored answers were made, so
 * a report filtered to whole days (the report pages' date filters are UTC days) sums the days inside
 * the range instead of reading every answer. Sums and minima over days equal those over the answers
 * of the range; an attempt answered on one day, as almost all are, keeps one row.
 *
 * Same maintenance as 0064 (add on insert, recompute the one row on voiding, rebuild per tenant), now
 * keyed by day.
 */
const DAY = (f: string) => `(${f}."timestamp" AT TIME ZONE 'UTC')::date`;

const aggregate = (where: string) => `
      SELECT tenant_id, course_id, program_id, module_id, module_version, item_kind, registration,
             actor_home_page, actor_name, count(*)::int, (count(*) FILTER (WHERE success))::int, min("timestamp"),
             ${DAY('kpi_statement')}
      FROM kpi_statement
      WHERE ${where} AND verb = 'answered' AND item_kind IN ('pre', 'post') AND success IS NOT NULL
        AND module_id IS NOT NULL AND NOT voided
      GROUP BY tenant_id, course_id, program_id, module_id, module_version, item_kind, registration,
               actor_home_page, actor_name, ${DAY('kpi_statement')}`;

const SAME_ATTEMPT = `tenant_id = f.tenant_id AND registration IS NOT DISTINCT FROM f.registration
        AND course_id IS NOT DISTINCT FROM f.course_id AND module_id = f.module_id
        AND module_version IS NOT DISTINCT FROM f.module_version AND item_kind = f.item_kind
        AND actor_name IS NOT DISTINCT FROM f.actor_name AND actor_home_page IS NOT DISTINCT FROM f.actor_home_page
        AND program_id IS NOT DISTINCT FROM f.program_id`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE kpi_attempt ADD COLUMN day date`.execute(db);
  await sql`DROP INDEX kpi_attempt_key`.execute(db);
  await sql`
    CREATE UNIQUE INDEX kpi_attempt_key ON kpi_attempt
      (tenant_id, course_id, module_id, module_version, phase, registration, actor_name, actor_home_page, program_id, day)
      NULLS NOT DISTINCT`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION kpi_attempt_add(f kpi_statement) RETURNS void
    LANGUAGE sql AS $$
      INSERT INTO kpi_attempt AS a
        VALUES (f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.item_kind,
                f.registration, f.actor_home_page, f.actor_name, 1, f.success::int, f."timestamp", ${sql.raw(DAY('f'))})
      ON CONFLICT (tenant_id, course_id, module_id, module_version, phase, registration, actor_name,
                   actor_home_page, program_id, day)
      DO UPDATE SET scored = a.scored + 1, correct = a.correct + excluded.correct,
                    first_at = least(a.first_at, excluded.first_at)
    $$`.execute(db);
  // Voiding recomputes one attempt-day row: found through (tenant_id, registration), since the key's
  // IS NOT DISTINCT FROM on nullable columns cannot use the unique index past tenant_id.
  await sql`CREATE INDEX kpi_attempt_registration_idx ON kpi_attempt (tenant_id, registration)`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION kpi_attempt_recompute(f kpi_statement) RETURNS void
    LANGUAGE sql AS $$
      DELETE FROM kpi_attempt a
      WHERE a.tenant_id = f.tenant_id
        AND (a.registration = f.registration OR (f.registration IS NULL AND a.registration IS NULL))
        AND a.course_id IS NOT DISTINCT FROM f.course_id
        AND a.module_id = f.module_id AND a.module_version IS NOT DISTINCT FROM f.module_version
        AND a.phase = f.item_kind AND a.registration IS NOT DISTINCT FROM f.registration
        AND a.actor_name IS NOT DISTINCT FROM f.actor_name AND a.actor_home_page IS NOT DISTINCT FROM f.actor_home_page
        AND a.program_id IS NOT DISTINCT FROM f.program_id AND a.day = ${sql.raw(DAY('f'))};
      INSERT INTO kpi_attempt ${sql.raw(aggregate(`${SAME_ATTEMPT} AND ${DAY('kpi_statement')} = ${DAY('f')}`))};
    $$`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION kpi_attempt_rebuild(t uuid) RETURNS void
    LANGUAGE sql AS $$
      DELETE FROM kpi_attempt WHERE tenant_id = t;
      INSERT INTO kpi_attempt ${sql.raw(aggregate('tenant_id = t'))};
    $$`.execute(db);
  await sql`SELECT kpi_attempt_rebuild(t.id) FROM tenant t`.execute(db);
  await sql`ALTER TABLE kpi_attempt ALTER COLUMN day SET NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX kpi_attempt_registration_idx`.execute(db);
  await sql`DROP INDEX kpi_attempt_key`.execute(db);
  await sql`ALTER TABLE kpi_attempt DROP COLUMN day`.execute(db);
  await sql`
    CREATE UNIQUE INDEX kpi_attempt_key ON kpi_attempt
      (tenant_id, course_id, module_id, module_version, phase, registration, actor_name, actor_home_page, program_id)
      NULLS NOT DISTINCT`.execute(db);
  await defineAttemptFunctions(db);
  await sql`SELECT kpi_attempt_rebuild(t.id) FROM tenant t`.execute(db);
}
