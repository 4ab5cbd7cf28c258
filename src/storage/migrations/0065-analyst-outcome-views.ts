import { sql, type Kysely } from 'kysely';

/**
 * Read-only analyst views of the imported lagging outcomes (issue #7, "later the imported outcomes"),
 * in the `analytics` schema of 0061-analyst-views.ts and confined the same way: the views run with the
 * querying role's rights (security_invoker) and row-level security on the outcome tables lets a member
 * of `yardstick_analyst` read only its mapped tenant's rows (analytics.analyst_tenant()); analysts get
 * SELECT and nothing else.
 *
 * One view per kind, each joined to the person for the employee id and the LMS user id (the keys an
 * analyst joins to `lms_events` / `quiz_results`): `outcome_payroll`, `outcome_plan_participation`,
 * `outcome_claims`, `outcome_hris`; and `outcomes`, every numeric measure in one long table
 * (source, metric, observed_on, value) for queries across kinds.
 */
const TABLES = ['outcome_payroll', 'outcome_plan_participation', 'outcome_claim', 'outcome_hris'];
const VIEWS = [
  'analytics.outcome_payroll',
  'analytics.outcome_plan_participation',
  'analytics.outcome_claims',
  'analytics.outcome_hris',
  'analytics.outcomes',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const person = sql`LEFT JOIN person p ON p.tenant_id = o.tenant_id AND p.id = o.person_id`;
  await sql`
    CREATE VIEW analytics.outcome_payroll WITH (security_invoker = true) AS
    SELECT o.tenant_id, o.person_id, p.employee_id, p.lms_user_id AS user_id, o.period, o.deferral_pct,
           o.employer_match_amount, o.contribution_amount, o.import_id, o.updated_at
    FROM outcome_payroll o ${person}`.execute(db);
  await sql`
    CREATE VIEW analytics.outcome_plan_participation WITH (security_invoker = true) AS
    SELECT o.tenant_id, o.person_id, p.employee_id, p.lms_user_id AS user_id, o.as_of, o.participating,
           o.auto_enrolled, o.opted_out, o.import_id, o.updated_at
    FROM outcome_plan_participation o ${person}`.execute(db);
  await sql`
    CREATE VIEW analytics.outcome_claims WITH (security_invoker = true) AS
    SELECT o.tenant_id, o.claim_id, o.person_id, p.employee_id, p.lms_user_id AS user_id, o.claim_type, o.cost,
           o.service_date, o.import_id, o.updated_at
    FROM outcome_claim o ${person}`.execute(db);
  await sql`
    CREATE VIEW analytics.outcome_hris WITH (security_invoker = true) AS
    SELECT o.tenant_id, o.person_id, p.employee_id, p.lms_user_id AS user_id, o.period, o.absence_days,
           o.separation_date, o.separation_voluntary, o.productivity_index, o.import_id, o.updated_at
    FROM outcome_hris o ${person}`.execute(db);
  // Long form: one row per person, date and numeric measure; booleans as 0/1; nulls left out.
  await sql`
    CREATE VIEW analytics.outcomes WITH (security_invoker = true) AS
    SELECT x.tenant_id, x.person_id, p.employee_id, p.lms_user_id AS user_id, x.source, x.metric,
           x.observed_on, x.value
    FROM (
      SELECT tenant_id, person_id, 'payroll' AS source, m.metric, period AS observed_on, m.value
      FROM outcome_payroll,
        LATERAL (VALUES ('deferral_pct', deferral_pct), ('employer_match_amount', employer_match_amount),
                        ('contribution_amount', contribution_amount)) AS m (metric, value)
      UNION ALL
      SELECT tenant_id, person_id, 'plan_participation', m.metric, as_of, m.value
      FROM outcome_plan_participation,
        LATERAL (VALUES ('participating', participating::int::numeric), ('auto_enrolled', auto_enrolled::int::numeric),
                        ('opted_out', opted_out::int::numeric)) AS m (metric, value)
      UNION ALL
      SELECT tenant_id, person_id, 'claims', 'claim_cost:' || claim_type, service_date, cost FROM outcome_claim
      UNION ALL
      SELECT tenant_id, person_id, 'hris', m.metric, period, m.value
      FROM outcome_hris,
        LATERAL (VALUES ('absence_days', absence_days), ('productivity_index', productivity_index),
                        ('separated', CASE WHEN separation_date IS NULL THEN NULL ELSE 1::numeric END)) AS m (metric, value)
    ) x (tenant_id, person_id, source, metric, observed_on, value)
    LEFT JOIN person p ON p.tenant_id = x.tenant_id AND p.id = x.person_id
    WHERE x.value IS NOT NULL`.execute(db);

  const { rows } = await sql<{
    ok: boolean;
  }>`SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yardstick_analyst') AS ok`.execute(db);
  for (const table of TABLES) {
    const t = sql.table(table);
    await sql`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`.execute(db);
    // Everyone but analysts keeps seeing every row (as 0061 does for the tables under its views).
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
    await sql`GRANT SELECT ON ${t} TO yardstick_analyst`.execute(db);
  }
  if (rows[0]!.ok) await sql`GRANT SELECT ON ${sql.raw(VIEWS.join(', '))} TO yardstick_analyst`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{
    ok: boolean;
  }>`SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yardstick_analyst') AS ok`.execute(db);
  for (const view of [...VIEWS].reverse()) await sql`DROP VIEW IF EXISTS ${sql.raw(view)}`.execute(db);
  for (const table of TABLES) {
    const t = sql.table(table);
    await sql`DROP POLICY IF EXISTS analyst_tenant ON ${t}`.execute(db);
    await sql`DROP POLICY IF EXISTS not_analyst ON ${t}`.execute(db);
    await sql`ALTER TABLE ${t} DISABLE ROW LEVEL SECURITY`.execute(db);
    if (rows[0]!.ok) await sql`REVOKE ALL ON ${t} FROM yardstick_analyst`.execute(db);
  }
}
