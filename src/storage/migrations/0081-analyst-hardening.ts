import { sql, type Kysely } from 'kysely';

/**
 * Analyst access that cannot leak (issue #16 item 2; docs/security.md, "Analyst SQL access").
 *
 * Before: the analyst views (0061, 0065) ran with the analyst's rights over tables with row-level
 * security, and analysts could read those tables directly. The planner may then evaluate an analyst's
 * predicate on rows the policy removes, so an error (1/0, a failing cast) answered questions about other
 * tenants; `EXPLAIN ANALYZE` counted the other tenants' rows the policy filtered; `pg_stats` showed the
 * tables' most common values across tenants.
 *
 * After: each view in `analytics` reads one SECURITY DEFINER set-returning function that returns the
 * analyst's tenant's rows only (`analytics.read_<view>()`, keyed on `session_user`). A function with
 * SECURITY DEFINER is never inlined, so no analyst expression is evaluated inside it, and EXPLAIN shows a
 * Function Scan, not the scans under it. The former views move, unchanged, to `analytics_private`, which
 * analysts cannot use; their table grants are revoked. Before returning rows each function checks the
 * session's limits (`analytics_private.analyst_session_limit`), which `apply_analyst_limits` also sets as
 * role defaults, with a connection limit. TEMPORARY on the database and CREATE on schema public are
 * revoked from PUBLIC (and kept for the migrating role); down() restores only what up() revoked.
 */
const VIEWS = [
  'xapi_statements',
  'lms_events',
  'quiz_results',
  'enrollments',
  'outcome_payroll',
  'outcome_plan_participation',
  'outcome_claims',
  'outcome_hris',
  'outcomes',
];
const TABLES = [
  'kpi_statement',
  'enrollment',
  'course_context',
  'module',
  'lti_user',
  'person',
  'outcome_payroll',
  'outcome_plan_participation',
  'outcome_claim',
  'outcome_hris',
];

/** The tables 0061 granted only some columns of. */
const COLUMN_GRANTS: Record<string, string[]> = {
  course_context: ['tenant_id', 'id', 'context_id', 'title'],
  module: ['tenant_id', 'id', 'title', 'program_id'],
  lti_user: ['tenant_id', 'id', 'xapi_home_page', 'xapi_name'],
  person: ['tenant_id', 'id', 'lms_user_id', 'employee_id'],
};

/** Caps in pg_settings units (ms, kB); role defaults for every analyst login and checked before reads. */
const LIMITS: [name: string, cap: number, zeroMeansUnlimited: boolean][] = [
  ['statement_timeout', 120000, true],
  ['idle_in_transaction_session_timeout', 60000, true],
  ['client_connection_check_interval', 5000, true],
  ['work_mem', 32768, false],
  ['hash_mem_multiplier', 2, false],
  ['max_parallel_workers_per_gather', 1, false],
];
/** Not user-settable: set on the role when the migrating user may (a superuser), never checked. */
const TEMP_FILE_LIMIT_KB = 1048576;
const CONNECTION_LIMIT = 3;

async function analystGroupExists(db: Kysely<unknown>): Promise<boolean> {
  const { rows } = await sql<{
    ok: boolean;
  }>`SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yardstick_analyst') AS ok`.execute(db);
  return rows[0]!.ok;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const group = await analystGroupExists(db);
  await sql`CREATE SCHEMA analytics_private`.execute(db);
  await sql`REVOKE ALL ON SCHEMA analytics_private FROM PUBLIC`.execute(db);
  await sql`
    CREATE TABLE analytics_private.analyst_session_limit (
      name text PRIMARY KEY,
      cap numeric NOT NULL,
      zero_means_unlimited boolean NOT NULL
    )`.execute(db);
  for (const [name, cap, zero] of LIMITS) {
    await sql`INSERT INTO analytics_private.analyst_session_limit VALUES (${name}, ${cap}, ${zero})`.execute(
      db,
    );
  }
  await sql`CREATE TABLE analytics_private.revoked_public_privilege (privilege text PRIMARY KEY)`.execute(db);

  await sql`
    CREATE FUNCTION analytics_private.check_analyst_session() RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
    DECLARE l record;
    BEGIN
      FOR l IN
        SELECT s.name, s.setting::numeric AS value, coalesce(s.unit, '') AS unit, c.cap, c.zero_means_unlimited
        FROM analytics_private.analyst_session_limit c JOIN pg_settings s ON s.name = c.name
      LOOP
        IF l.value > l.cap OR (l.zero_means_unlimited AND l.value <= 0) THEN
          RAISE EXCEPTION 'this analyst session has % = % %s, and analyst logins read data only with % at most % %s%s',
            l.name, l.value, l.unit, l.name, l.cap, l.unit,
            CASE WHEN l.zero_means_unlimited THEN ' (0, no limit, is not allowed)' ELSE '' END
            USING ERRCODE = 'insufficient_privilege',
                  HINT = format('RESET %s (or RESET ALL) and run the query again.', l.name);
        END IF;
      END LOOP;
    END $$`.execute(db);

  await sql`
    CREATE FUNCTION analytics_private.apply_analyst_limits(role_name text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog AS $$
    DECLARE l record;
    BEGIN
      EXECUTE format('ALTER ROLE %I CONNECTION LIMIT ${sql.raw(String(CONNECTION_LIMIT))}', role_name);
      FOR l IN SELECT name, cap FROM analytics_private.analyst_session_limit LOOP
        EXECUTE format('ALTER ROLE %I SET %I = %L', role_name, l.name, l.cap::text);
      END LOOP;
      BEGIN
        EXECUTE format('ALTER ROLE %I SET temp_file_limit = ${sql.raw(String(TEMP_FILE_LIMIT_KB))}', role_name);
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'temp_file_limit of % not set: only a superuser may (docs/security.md)', role_name;
      END;
    END $$`.execute(db);

  // Database-level privileges are not copied by CREATE DATABASE ... TEMPLATE, so creating a login
  // calls this again (analyst-role-repository.ts).
  await sql`
    CREATE FUNCTION analytics_private.revoke_public_temporary() RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog AS $$
    BEGIN
      IF has_database_privilege('public', current_database(), 'TEMPORARY') THEN
        EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO %I', current_database(), current_user);
        EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
        INSERT INTO analytics_private.revoked_public_privilege VALUES ('database temporary')
        ON CONFLICT DO NOTHING;
      END IF;
    END $$`.execute(db);
  await sql`SELECT analytics_private.revoke_public_temporary()`.execute(db);
  // PostgreSQL 14 lets PUBLIC create in schema public; 15+ already does not.
  await sql`
    DO $$ BEGIN
      IF has_schema_privilege('public', 'public', 'CREATE') THEN
        EXECUTE format('GRANT CREATE ON SCHEMA public TO %I', current_user);
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;
        INSERT INTO analytics_private.revoked_public_privilege VALUES ('schema public create');
      END IF;
    END $$`.execute(db);

  for (const view of VIEWS) {
    const inner = sql.raw(`analytics_private.${view}`);
    const reader = sql.raw(`analytics.read_${view}`);
    await sql`ALTER VIEW ${sql.raw(`analytics.${view}`)} SET SCHEMA analytics_private`.execute(db);
    // SET clauses hold for the function's own queries: no plan dumps or sort traces of them reach the
    // analyst, whatever the session set.
    await sql`
      CREATE FUNCTION ${reader}() RETURNS SETOF ${inner}
      LANGUAGE plpgsql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, public
      SET debug_print_parse = off SET debug_print_rewritten = off SET debug_print_plan = off
      SET trace_sort = off
      AS $$ BEGIN
        PERFORM analytics_private.check_analyst_session();
        RETURN QUERY SELECT * FROM ${inner} v WHERE v.tenant_id = analytics.analyst_tenant();
      END $$`.execute(db);
    await sql`REVOKE ALL ON FUNCTION ${reader}() FROM PUBLIC`.execute(db);
    await sql`CREATE VIEW ${sql.raw(`analytics.${view}`)} AS SELECT * FROM ${reader}()`.execute(db);
    if (group) {
      await sql`REVOKE ALL ON ${inner} FROM yardstick_analyst`.execute(db);
      await sql`GRANT EXECUTE ON FUNCTION ${reader}() TO yardstick_analyst`.execute(db);
      await sql`GRANT SELECT ON ${sql.raw(`analytics.${view}`)} TO yardstick_analyst`.execute(db);
    }
  }
  if (group) {
    for (const table of TABLES)
      await sql`REVOKE ALL ON ${sql.table(table)} FROM yardstick_analyst`.execute(db);
  }
  await sql`
    SELECT analytics_private.apply_analyst_limits(role_name) FROM analytics.analyst_role
    WHERE EXISTS (SELECT FROM pg_roles WHERE rolname = role_name)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const group = await analystGroupExists(db);
  const { rows: roles } = await sql<{ role_name: string }>`
    SELECT role_name FROM analytics.analyst_role
    WHERE EXISTS (SELECT FROM pg_roles WHERE rolname = role_name)`.execute(db);
  for (const { role_name } of roles) {
    const role = sql.id(role_name);
    await sql`ALTER ROLE ${role} CONNECTION LIMIT -1`.execute(db);
    for (const [name] of LIMITS) await sql`ALTER ROLE ${role} RESET ${sql.id(name)}`.execute(db);
    await sql`
      DO $$ BEGIN
        EXECUTE format('ALTER ROLE %I RESET temp_file_limit', ${sql.lit(role_name)});
      EXCEPTION WHEN insufficient_privilege THEN NULL;
      END $$`.execute(db);
  }
  if (group) {
    for (const table of TABLES) {
      // As 0061 and 0065 granted: whole tables, or only the columns the views read.
      const columns = COLUMN_GRANTS[table];
      const grant = columns ? sql`SELECT (${sql.join(columns.map((c) => sql.id(c)))})` : sql`SELECT`;
      await sql`GRANT ${grant} ON ${sql.table(table)} TO yardstick_analyst`.execute(db);
    }
  }
  for (const view of [...VIEWS].reverse()) {
    await sql`DROP VIEW ${sql.raw(`analytics.${view}`)}`.execute(db);
    await sql`DROP FUNCTION ${sql.raw(`analytics.read_${view}`)}()`.execute(db);
    await sql`ALTER VIEW ${sql.raw(`analytics_private.${view}`)} SET SCHEMA analytics`.execute(db);
    if (group) await sql`GRANT SELECT ON ${sql.raw(`analytics.${view}`)} TO yardstick_analyst`.execute(db);
  }
  const { rows: revoked } = await sql<{ privilege: string }>`
    SELECT privilege FROM analytics_private.revoked_public_privilege`.execute(db);
  for (const { privilege } of revoked) {
    if (privilege === 'schema public create') await sql`GRANT CREATE ON SCHEMA public TO PUBLIC`.execute(db);
  }
  for (const { privilege } of revoked) {
    if (privilege === 'database temporary') {
      await sql`
        DO $$ BEGIN EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO PUBLIC', current_database()); END $$`.execute(
        db,
      );
    }
  }
  await sql`DROP SCHEMA analytics_private CASCADE`.execute(db);
}
