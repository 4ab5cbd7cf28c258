import { sql, type Kysely } from 'kysely';

/**
 * Sums over the latest post-test attempts (issue #7, report speed): what item analysis without a date
 * range reads instead of ranking and unnesting every learner's answers of kpi_post_latest (0067).
 *
 * - `kpi_post_total`: per tenant, course, program, module, version and total score, how many
 *   kpi_post_latest rows have that total (`learners`).
 * - `kpi_post_option`: per tenant, course, program, module, version, question, response (null when the
 *   answer had none) and total score, how many kpi_post_latest rows answered the question with that
 *   response (`learners`) and how many of them correctly (`correct`).
 *
 * Rows whose counts reach 0 are deleted. Keys are unique with NULLS NOT DISTINCT (course, program,
 * version and response may be absent).
 *
 * Kept from kpi_post_latest, in the transaction that changes it: statement-level triggers with
 * transition tables (one per event) sum the changed rows' old images (sign -1) and new images (+1) per
 * key into `kpi_post_sums_pending` (changes that cancel out write nothing), and mark the transaction in
 * `kpi_post_sums_flush`. A deferred constraint trigger on that mark applies the transaction's pending
 * changes once, at commit: summed per key again and upserted in key order. Many learners share a key,
 * so applying at commit in one global order keeps concurrent storing transactions from deadlocking
 * and holds the shared rows' locks only for the commit; ON CONFLICT upserts lose no update. A rejected
 * batch rolls back its pending images with everything else. The bulk rebuild of kpi_post_latest
 * (kpi_post_rebuild: one DELETE and one INSERT per tenant) goes through the same set-based path.
 * `kpi_post_sums_rebuild(tenant)` recomputes a tenant from kpi_post_latest (backfill, repair).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const scopeColumns = `tenant_id uuid NOT NULL, course_id uuid, program_id uuid, module_id uuid NOT NULL,
      module_version integer`;
  await sql`
    CREATE TABLE kpi_post_total (
      ${sql.raw(scopeColumns)},
      total integer NOT NULL,
      learners integer NOT NULL)`.execute(db);
  await sql`
    CREATE UNIQUE INDEX kpi_post_total_key ON kpi_post_total
      (tenant_id, course_id, module_id, module_version, program_id, total) NULLS NOT DISTINCT`.execute(db);
  await sql`CREATE INDEX kpi_post_total_program_idx ON kpi_post_total (tenant_id, program_id, module_id)`.execute(
    db,
  );
  await sql`
    CREATE TABLE kpi_post_option (
      ${sql.raw(scopeColumns)},
      item_id text NOT NULL,
      response text,
      total integer NOT NULL,
      learners integer NOT NULL,
      correct integer NOT NULL)`.execute(db);
  await sql`
    CREATE UNIQUE INDEX kpi_post_option_key ON kpi_post_option
      (tenant_id, course_id, module_id, module_version, program_id, item_id, response, total)
      NULLS NOT DISTINCT`.execute(db);
  await sql`CREATE INDEX kpi_post_option_program_idx ON kpi_post_option (tenant_id, program_id, module_id)`.execute(
    db,
  );
  // Changes of a transaction not yet applied to the sums: per key, a total's (item_id null) or an option's.
  await sql`
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
      correct integer NOT NULL)`.execute(db);
  await sql`CREATE INDEX kpi_post_sums_pending_xact ON kpi_post_sums_pending (tenant_id, xact)`.execute(db);
  await sql`
    CREATE TABLE kpi_post_sums_flush (
      tenant_id uuid NOT NULL,
      xact xid8 NOT NULL,
      PRIMARY KEY (tenant_id, xact))`.execute(db);

  // Keys whose counts reached 0 are deleted after each application (this index finds them).
  await sql`CREATE INDEX kpi_post_total_empty ON kpi_post_total (tenant_id) WHERE learners = 0`.execute(db);
  await sql`CREATE INDEX kpi_post_option_empty ON kpi_post_option (tenant_id) WHERE learners = 0`.execute(db);

  // The changes of kpi_post_latest images `c` (its scope columns, total, items, correct, responses and
  // sign -1 or +1) per key, as kpi_post_sums_pending's columns after xact; changes that cancel out left out.
  const changes = `
      SELECT ${KEY}, NULL::text AS item_id, NULL::text AS response, total, sum(sign)::int AS learners,
             0 AS correct
      FROM c GROUP BY ${KEY}, total HAVING sum(sign) <> 0
      UNION ALL
      SELECT ${KEY}, a.item_id, a.response, c.total, sum(c.sign)::int, sum(c.sign * a.s::int)::int
      FROM c CROSS JOIN LATERAL unnest(c.items, c.correct, c.responses) AS a(item_id, s, response)
      GROUP BY ${KEY}, a.item_id, a.response, c.total
      HAVING sum(c.sign) <> 0 OR sum(c.sign * a.s::int) <> 0`;

  // One statement applying changes `d` (a CTE body with the columns of `changes`) to both sums, summed
  // per key and upserted in key order.
  const apply = (d: string) => `
      WITH d AS (${d}),
      totals AS (
        INSERT INTO kpi_post_total AS k (${KEY}, total, learners)
        SELECT ${KEY}, total, sum(learners) FROM d WHERE item_id IS NULL
        GROUP BY ${KEY}, total HAVING sum(learners) <> 0
        ORDER BY ${KEY}, total
        ON CONFLICT (tenant_id, course_id, module_id, module_version, program_id, total)
        DO UPDATE SET learners = k.learners + excluded.learners)
      INSERT INTO kpi_post_option AS k (${KEY}, item_id, response, total, learners, correct)
      SELECT ${KEY}, item_id, response, total, sum(learners), sum(correct) FROM d WHERE item_id IS NOT NULL
      GROUP BY ${KEY}, item_id, response, total HAVING sum(learners) <> 0 OR sum(correct) <> 0
      ORDER BY ${KEY}, item_id, response, total
      ON CONFLICT (tenant_id, course_id, module_id, module_version, program_id, item_id, response, total)
      DO UPDATE SET learners = k.learners + excluded.learners, correct = k.correct + excluded.correct;`;

  // At commit (deferred): the transaction's pending images of one tenant applied, then emptied keys removed.
  await sql`
    CREATE FUNCTION kpi_post_sums_flush() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM kpi_post_sums_flush WHERE tenant_id = NEW.tenant_id AND xact = NEW.xact;
      IF NOT FOUND THEN RETURN NULL; END IF;
      ${sql.raw(
        apply(
          'DELETE FROM kpi_post_sums_pending WHERE tenant_id = NEW.tenant_id AND xact = NEW.xact RETURNING *',
        ),
      )}
      DELETE FROM kpi_post_total WHERE tenant_id = NEW.tenant_id AND learners = 0;
      DELETE FROM kpi_post_option WHERE tenant_id = NEW.tenant_id AND learners = 0;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE CONSTRAINT TRIGGER kpi_post_sums_flush AFTER INSERT ON kpi_post_sums_flush
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kpi_post_sums_flush()`.execute(db);

  // Statement triggers on kpi_post_latest: the changed rows' changes, pending until commit.
  const image = (rows: string, sign: number) =>
    `SELECT ${KEY}, total, items, correct, responses, ${sign} AS sign FROM ${rows}`;
  const events = [
    ['insert', 'INSERT', 'NEW TABLE AS new_rows', image('new_rows', 1)],
    ['delete', 'DELETE', 'OLD TABLE AS old_rows', image('old_rows', -1)],
    [
      'update',
      'UPDATE',
      'OLD TABLE AS old_rows NEW TABLE AS new_rows',
      `${image('old_rows', -1)} UNION ALL ${image('new_rows', 1)}`,
    ],
  ] as const;
  for (const [name, event, referencing, images] of events) {
    await sql`
      CREATE FUNCTION ${sql.raw(`kpi_post_sums_${name}`)}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO kpi_post_sums_pending
        SELECT d.tenant_id, pg_current_xact_id(), ${sql.raw(KEY.replace('tenant_id, ', 'd.').replaceAll(', ', ', d.'))},
               d.item_id, d.response, d.total, d.learners, d.correct
        FROM (WITH c AS MATERIALIZED (${sql.raw(images)}) ${sql.raw(changes)}) d;
        IF FOUND THEN
          INSERT INTO kpi_post_sums_flush
          SELECT DISTINCT tenant_id, pg_current_xact_id() FROM ${sql.raw(name === 'delete' ? 'old_rows' : 'new_rows')}
          ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END $$`.execute(db);
    await sql`
      CREATE TRIGGER ${sql.raw(`kpi_post_sums_${name}`)} AFTER ${sql.raw(event)} ON kpi_post_latest
        REFERENCING ${sql.raw(referencing)} FOR EACH STATEMENT
        EXECUTE FUNCTION ${sql.raw(`kpi_post_sums_${name}`)}()`.execute(db);
  }

  await sql`
    CREATE FUNCTION kpi_post_sums_rebuild(t uuid) RETURNS void
    LANGUAGE sql AS $$
      DELETE FROM kpi_post_total WHERE tenant_id = t;
      DELETE FROM kpi_post_option WHERE tenant_id = t;
      ${sql.raw(apply(`WITH c AS MATERIALIZED (${image('kpi_post_latest WHERE tenant_id = t', 1)}) ${changes}`))}
    $$`.execute(db);
  await sql`SELECT kpi_post_sums_rebuild(t.id) FROM tenant t`.execute(db);
}

/** The scope columns of the sums, in key order. */
const KEY = 'tenant_id, course_id, program_id, module_id, module_version';

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ['insert', 'delete', 'update']) {
    await sql`DROP TRIGGER ${sql.raw(`kpi_post_sums_${name}`)} ON kpi_post_latest`.execute(db);
    await sql`DROP FUNCTION ${sql.raw(`kpi_post_sums_${name}`)}()`.execute(db);
  }
  await sql`DROP FUNCTION kpi_post_sums_rebuild(uuid)`.execute(db);
  await sql`DROP TABLE kpi_post_sums_flush`.execute(db);
  await sql`DROP FUNCTION kpi_post_sums_flush()`.execute(db);
  await sql`DROP TABLE kpi_post_sums_pending`.execute(db);
  await sql`DROP TABLE kpi_post_option`.execute(db);
  await sql`DROP TABLE kpi_post_total`.execute(db);
}
