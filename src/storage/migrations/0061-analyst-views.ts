import { sql, type Kysely } from 'kysely';

/**
 * Read-only SQL views for analysts (issue #7), in schema `analytics`, shaped like the customer's KPI
 * queries: `xapi_statements` (one row per capture statement, keys extracted), `lms_events` (LMS-style
 * event log with the learner's employee id), `quiz_results` (one row per pre/post attempt) and
 * `enrollments` (the assigned learners, the denominator of rates). Voided statements are left out.
 *
 * Confinement: the views run with the querying role's rights (security_invoker), and row-level security
 * on the tables they read lets a member of the group role `yardstick_analyst` see only the rows of the
 * tenant its login role is mapped to in `analytics.analyst_role`. Other roles are not affected (a
 * permissive policy keeps their access as before; the table owner bypasses RLS anyway). Analysts get
 * SELECT on the views and on the few columns the views read, and nothing else: no writes.
 *
 * The group role is cluster-wide; it is created when missing and when the migrating user may create
 * roles (otherwise the views exist but no analyst can be granted; see docs/kpi-reports.md).
 */
const TABLES: Record<string, string[] | 'all'> = {
  kpi_statement: 'all',
  enrollment: 'all',
  course_context: ['tenant_id', 'id', 'context_id', 'title'],
  module: ['tenant_id', 'id', 'title', 'program_id'],
  lti_user: ['tenant_id', 'id', 'xapi_home_page', 'xapi_name'],
  person: ['tenant_id', 'id', 'lms_user_id', 'employee_id'],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE SCHEMA analytics`.execute(db);
  await sql`
    CREATE TABLE analytics.analyst_role (
      role_name text PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE FUNCTION analytics.analyst_tenant() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, analytics AS $$
      SELECT tenant_id FROM analytics.analyst_role WHERE role_name = session_user
    $$`.execute(db);

  await sql`
    CREATE VIEW analytics.xapi_statements WITH (security_invoker = true) AS
    SELECT f.tenant_id, f.statement_id, u.id AS user_id, f.actor_home_page, f.actor_name, f.anonymous, f.verb,
           f.course_id, f.program_id, f.module_id, f.module_version, f.assignment_id, f.campaign_id,
           f.registration, f.session_id, f.phase, f.item_kind, f.item_id, f.response, f.success, f.score_scaled,
           f.duration_seconds, f.duration_estimated, f.observed_name, f."timestamp", f.stored
    FROM kpi_statement f
    LEFT JOIN lti_user u ON u.tenant_id = f.tenant_id AND u.xapi_home_page = f.actor_home_page
                        AND u.xapi_name = f.actor_name
    WHERE NOT f.voided`.execute(db);
  await sql`
    CREATE VIEW analytics.lms_events WITH (security_invoker = true) AS
    SELECT f.tenant_id, f.statement_id AS event_id, u.id AS user_id, p.employee_id, f.verb AS event_type,
           f.course_id, c.title AS course_title, f.module_id, m.title AS module_title, f.module_version,
           f.assignment_id, f.campaign_id, f."timestamp" AS occurred_at, f.duration_seconds
    FROM kpi_statement f
    JOIN lti_user u ON u.tenant_id = f.tenant_id AND u.xapi_home_page = f.actor_home_page AND u.xapi_name = f.actor_name
    LEFT JOIN person p ON p.tenant_id = u.tenant_id AND p.lms_user_id = u.id
    LEFT JOIN course_context c ON c.tenant_id = f.tenant_id AND c.id = f.course_id
    LEFT JOIN module m ON m.tenant_id = f.tenant_id AND m.id = f.module_id
    WHERE NOT f.voided AND NOT f.anonymous`.execute(db);
  await sql`
    CREATE VIEW analytics.quiz_results WITH (security_invoker = true) AS
    SELECT f.tenant_id, u.id AS user_id, p.employee_id, f.course_id, f.module_id, f.module_version, f.registration,
           f.item_kind AS phase, count(*) AS questions_answered, count(*) FILTER (WHERE f.success) AS correct,
           avg(f.success::int)::double precision AS score, min(f."timestamp") AS started_at,
           max(f."timestamp") AS finished_at
    FROM kpi_statement f
    JOIN lti_user u ON u.tenant_id = f.tenant_id AND u.xapi_home_page = f.actor_home_page AND u.xapi_name = f.actor_name
    LEFT JOIN person p ON p.tenant_id = u.tenant_id AND p.lms_user_id = u.id
    WHERE NOT f.voided AND f.verb = 'answered' AND f.item_kind IN ('pre', 'post') AND f.success IS NOT NULL
    GROUP BY f.tenant_id, u.id, p.employee_id, f.course_id, f.module_id, f.module_version, f.registration, f.item_kind`.execute(
    db,
  );
  await sql`
    CREATE VIEW analytics.enrollments WITH (security_invoker = true) AS
    SELECT e.tenant_id, e.context_id AS course_id, e.user_id, p.employee_id, e.role_kind, e.status, e.last_seen_at
    FROM enrollment e
    LEFT JOIN person p ON p.tenant_id = e.tenant_id AND p.lms_user_id = e.user_id`.execute(db);

  await sql`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yardstick_analyst') THEN
        CREATE ROLE yardstick_analyst NOLOGIN;
      END IF;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'cannot create role yardstick_analyst; analyst access stays off (docs/kpi-reports.md)';
    END $$`.execute(db);
  const { rows } = await sql<{
    ok: boolean;
  }>`SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yardstick_analyst') AS ok`.execute(db);
  for (const [table, columns] of Object.entries(TABLES)) {
    const t = sql.table(table);
    await sql`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`.execute(db);
    // Everyone but analysts keeps seeing every row, as before this migration (without the group role
    // there are no analysts, and pg_has_role could not name it).
    const others = rows[0]!.ok
      ? sql`NOT pg_has_role(current_user, 'yardstick_analyst', 'MEMBER')`
      : sql`true`;
    await sql`CREATE POLICY not_analyst ON ${t} FOR ALL TO PUBLIC USING (${others}) WITH CHECK (${others})`.execute(
      db,
    );
    if (!rows[0]!.ok) continue;
    await sql`CREATE POLICY analyst_tenant ON ${t} FOR SELECT TO yardstick_analyst USING (tenant_id = analytics.analyst_tenant())`.execute(
      db,
    );
    const grant = columns === 'all' ? sql`SELECT` : sql`SELECT (${sql.join(columns.map((c) => sql.id(c)))})`;
    await sql`GRANT ${grant} ON ${t} TO yardstick_analyst`.execute(db);
  }
  if (rows[0]!.ok) {
    await sql`GRANT USAGE ON SCHEMA analytics TO yardstick_analyst`.execute(db);
    await sql`GRANT SELECT ON analytics.xapi_statements, analytics.lms_events, analytics.quiz_results, analytics.enrollments TO yardstick_analyst`.execute(
      db,
    );
    await sql`GRANT EXECUTE ON FUNCTION analytics.analyst_tenant() TO yardstick_analyst`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{
    ok: boolean;
  }>`SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yardstick_analyst') AS ok`.execute(db);
  for (const table of Object.keys(TABLES)) {
    const t = sql.table(table);
    await sql`DROP POLICY IF EXISTS analyst_tenant ON ${t}`.execute(db);
    await sql`DROP POLICY IF EXISTS not_analyst ON ${t}`.execute(db);
    await sql`ALTER TABLE ${t} DISABLE ROW LEVEL SECURITY`.execute(db);
    if (rows[0]!.ok) await sql`REVOKE ALL ON ${t} FROM yardstick_analyst`.execute(db);
  }
  // The cluster-wide group role stays: other databases on the server may use it.
  await sql`DROP SCHEMA analytics CASCADE`.execute(db);
}
