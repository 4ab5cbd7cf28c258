import { sql, type Kysely } from 'kysely';

/**
 * Post-test attempts by UTC day (issue #7, report speed): what item analysis reads for a report
 * filtered to whole days, where each learner's latest attempt is the latest one within the range, so
 * the all-time latest attempt (kpi_post_latest, 0067) cannot answer it.
 *
 * `kpi_post_attempt_day`: one row per tenant, course, program, module, version, actor, attempt
 * (registration) and UTC day of its post-test answers, with the newest answer's time that day and the
 * answers per question as parallel arrays: question ids, whether any answer was correct (bool_or of
 * success, no flag counting as wrong) and the greatest response. Over the days of a range, the newest
 * time is the max of the rows' and each question's flag and response the bool_or and max of the rows',
 * exactly what the facts of that range give.
 *
 * Kept by row triggers on kpi_statement: every new or voided post-test answer recomputes its one row
 * (attempt and day) from the facts through the registration index, under a transaction-scoped advisory
 * lock on the row's key so concurrent answers of one attempt queue and the later sees the earlier.
 * `kpi_post_attempt_day_rebuild(tenant)` recomputes a tenant (bulk loads, backfill).
 */
const POST_FACT = (f: string) =>
  `${f}.verb = 'answered' AND ${f}.item_kind = 'post' AND ${f}.item_id IS NOT NULL AND ${f}.module_id IS NOT NULL`;
const DAY = (f: string) => `(${f}."timestamp" AT TIME ZONE 'UTC')::date`;
const KEY = [
  'tenant_id',
  'course_id',
  'program_id',
  'module_id',
  'module_version',
  'actor_home_page',
  'actor_name',
  'registration',
];

/** The rows of the facts `where` selects (alias a), one per attempt and day. */
const rows = (where: string) => `
  SELECT ${KEY.join(', ')}, day, max(at), array_agg(item_id ORDER BY item_id), array_agg(s ORDER BY item_id),
         array_agg(r ORDER BY item_id)
  FROM (
    SELECT ${KEY.map((k) => `a.${k}`).join(', ')}, ${DAY('a')} AS day, a.item_id,
           max(a."timestamp") AS at, coalesce(bool_or(a.success), false) AS s, max(a.response) AS r
    FROM kpi_statement a
    WHERE ${where} AND ${POST_FACT('a')} AND NOT a.voided
    GROUP BY ${KEY.map((k) => `a.${k}`).join(', ')}, ${DAY('a')}, a.item_id) per_item
  GROUP BY ${KEY.join(', ')}, day`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
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
    )`.execute(db);
  await sql`
    CREATE UNIQUE INDEX kpi_post_attempt_day_key ON kpi_post_attempt_day
      (tenant_id, course_id, module_id, module_version, actor_name, actor_home_page, registration, program_id, day)
      NULLS NOT DISTINCT`.execute(db);
  // The triggers' recomputation of one attempt's row.
  await sql`CREATE INDEX kpi_post_attempt_day_registration_idx ON kpi_post_attempt_day (tenant_id, registration)`.execute(
    db,
  );
  await sql`CREATE INDEX kpi_post_attempt_day_program_idx ON kpi_post_attempt_day (tenant_id, program_id, module_id)`.execute(
    db,
  );

  const sameRow = (alias: string) =>
    [...KEY.map((k) => `${alias}.${k} IS NOT DISTINCT FROM f.${k}`), `${DAY(alias)} = ${DAY('f')}`].join(
      ' AND ',
    );
  await sql`
    CREATE FUNCTION kpi_post_attempt_day_recompute(f kpi_statement) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended(
        concat_ws(' ', f.tenant_id, f.course_id, f.program_id, f.module_id, f.module_version, f.actor_home_page,
                  f.actor_name, f.registration, ${sql.raw(DAY('f'))}), 71));
      -- The registration indexes find the attempt's row and facts (answers without one are rare: those
      -- scan the module's).
      IF f.registration IS NOT NULL THEN
        DELETE FROM kpi_post_attempt_day d
          WHERE d.tenant_id = f.tenant_id AND d.registration = f.registration
            AND ${sql.raw(KEY.map((k) => `d.${k} IS NOT DISTINCT FROM f.${k}`).join(' AND '))}
            AND d.day = ${sql.raw(DAY('f'))};
        INSERT INTO kpi_post_attempt_day
        ${sql.raw(rows(`a.tenant_id = f.tenant_id AND a.registration = f.registration AND ${sameRow('a')}`))};
      ELSE
        DELETE FROM kpi_post_attempt_day d
          WHERE d.tenant_id = f.tenant_id AND d.module_id = f.module_id
            AND ${sql.raw(KEY.map((k) => `d.${k} IS NOT DISTINCT FROM f.${k}`).join(' AND '))}
            AND d.day = ${sql.raw(DAY('f'))};
        INSERT INTO kpi_post_attempt_day
        ${sql.raw(rows(`a.tenant_id = f.tenant_id AND a.module_id = f.module_id AND ${sameRow('a')}`))};
      END IF;
    END $$`.execute(db);
  await sql`
    CREATE FUNCTION kpi_post_attempt_day_capture() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM kpi_post_attempt_day_recompute(NEW);
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER kpi_post_attempt_day_insert AFTER INSERT ON kpi_statement FOR EACH ROW
      WHEN (NOT NEW.voided AND ${sql.raw(POST_FACT('NEW'))})
      EXECUTE FUNCTION kpi_post_attempt_day_capture()`.execute(db);
  await sql`
    CREATE TRIGGER kpi_post_attempt_day_voided AFTER UPDATE OF voided ON kpi_statement FOR EACH ROW
      WHEN (OLD.voided IS DISTINCT FROM NEW.voided AND ${sql.raw(POST_FACT('NEW'))})
      EXECUTE FUNCTION kpi_post_attempt_day_capture()`.execute(db);
  await sql`
    CREATE FUNCTION kpi_post_attempt_day_rebuild(t uuid) RETURNS void
    LANGUAGE sql AS $$
      DELETE FROM kpi_post_attempt_day WHERE tenant_id = t;
      INSERT INTO kpi_post_attempt_day ${sql.raw(rows('a.tenant_id = t'))};
    $$`.execute(db);
  await sql`SELECT kpi_post_attempt_day_rebuild(t.id) FROM tenant t`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER kpi_post_attempt_day_voided ON kpi_statement`.execute(db);
  await sql`DROP TRIGGER kpi_post_attempt_day_insert ON kpi_statement`.execute(db);
  await sql`DROP FUNCTION kpi_post_attempt_day_rebuild(uuid)`.execute(db);
  await sql`DROP FUNCTION kpi_post_attempt_day_capture()`.execute(db);
  await sql`DROP FUNCTION kpi_post_attempt_day_recompute(kpi_statement)`.execute(db);
  await sql`DROP TABLE kpi_post_attempt_day`.execute(db);
}
