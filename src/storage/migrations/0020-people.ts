import { sql, type Kysely } from 'kysely';

/**
 * One person per tenant, whatever system names them: the single join key between the LMS (an LMS user
 * linked through `lms_user_id`), payroll, benefits and HRIS exports (`employee_id`). Cohorts, outcome
 * imports and attribution all join on `person.id`. `attributes` holds covariates used for stratified
 * randomization, criteria cohorts and propensity models (department, location, tenure...).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE person (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      employee_id text CHECK (employee_id <> ''),
      lms_user_id uuid,
      display_name text,
      email text,
      attributes jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  // Imports resolve rows by employee id; launches and rosters by LMS user.
  await sql`CREATE UNIQUE INDEX person_employee_key ON person (tenant_id, employee_id) WHERE employee_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX person_lms_user_key ON person (tenant_id, lms_user_id) WHERE lms_user_id IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE person`.execute(db);
}
