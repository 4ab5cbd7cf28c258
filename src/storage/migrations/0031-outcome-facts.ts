import { sql, type Kysely } from 'kysely';

/**
 * Lagging outcomes, one table per kind, each keyed by its natural key so a re-import of the same
 * file changes nothing and a corrected file updates rows in place. Rows point at the person (the one
 * join key across LMS, payroll, benefits and HRIS) and at the import that last wrote them. CHECK
 * constraints repeat the importer's range rules so nothing out of range lands by another path.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const provenance = sql`
      import_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()`;
  await sql`
    CREATE TABLE outcome_payroll (
      tenant_id uuid NOT NULL,
      person_id uuid NOT NULL,
      period date NOT NULL CHECK (extract(day FROM period) = 1),
      deferral_pct numeric CHECK (deferral_pct BETWEEN 0 AND 100),
      employer_match_amount numeric CHECK (employer_match_amount >= 0),
      contribution_amount numeric CHECK (contribution_amount >= 0),
      ${provenance},
      PRIMARY KEY (tenant_id, person_id, period),
      FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`
    CREATE TABLE outcome_plan_participation (
      tenant_id uuid NOT NULL,
      person_id uuid NOT NULL,
      as_of date NOT NULL,
      participating boolean NOT NULL,
      auto_enrolled boolean,
      opted_out boolean,
      ${provenance},
      PRIMARY KEY (tenant_id, person_id, as_of),
      FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`
    CREATE TABLE outcome_claim (
      tenant_id uuid NOT NULL,
      claim_id text NOT NULL CHECK (claim_id <> ''),
      person_id uuid NOT NULL,
      claim_type text NOT NULL,
      cost numeric NOT NULL CHECK (cost >= 0),
      service_date date NOT NULL,
      ${provenance},
      PRIMARY KEY (tenant_id, claim_id),
      FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX outcome_claim_person_idx ON outcome_claim (tenant_id, person_id, service_date)`.execute(
    db,
  );
  await sql`
    CREATE TABLE outcome_hris (
      tenant_id uuid NOT NULL,
      person_id uuid NOT NULL,
      period date NOT NULL CHECK (extract(day FROM period) = 1),
      absence_days numeric CHECK (absence_days BETWEEN 0 AND 31),
      separation_date date,
      separation_voluntary boolean,
      productivity_index numeric CHECK (productivity_index >= 0),
      ${provenance},
      PRIMARY KEY (tenant_id, person_id, period),
      FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE outcome_hris`.execute(db);
  await sql`DROP TABLE outcome_claim`.execute(db);
  await sql`DROP TABLE outcome_plan_participation`.execute(db);
  await sql`DROP TABLE outcome_payroll`.execute(db);
}
