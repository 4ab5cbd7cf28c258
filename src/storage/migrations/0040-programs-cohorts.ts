import { sql, type Kysely } from 'kysely';

/**
 * Pilot programs and their cohorts. A program states what it is meant to move (target outcomes), its
 * measurement windows and refresh cadence, and whose money ROI counts. Cohorts group people; each person
 * is in at most one arm of a program. A randomization row records the design, seed and algorithm so
 * anyone can rerun it and get the same assignments.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE program (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      description text NOT NULL DEFAULT '',
      target_outcomes text[] NOT NULL DEFAULT '{}',
      pre_window_start date,
      pre_window_end date,
      post_window_start date,
      post_window_end date,
      leading_cadence text NOT NULL DEFAULT 'weekly' CHECK (leading_cadence IN ('daily', 'weekly', 'monthly')),
      lagging_cadence text NOT NULL DEFAULT 'quarterly' CHECK (lagging_cadence IN ('monthly', 'quarterly', 'yearly')),
      money_perspective text NOT NULL DEFAULT 'employer' CHECK (money_perspective IN ('employer', 'employee')),
      benefit_horizon_years integer NOT NULL DEFAULT 1 CHECK (benefit_horizon_years BETWEEN 1 AND 10),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      CHECK (pre_window_start IS NULL OR pre_window_end IS NULL OR pre_window_start <= pre_window_end),
      CHECK (post_window_start IS NULL OR post_window_end IS NULL OR post_window_start <= post_window_end)
    )`.execute(db);
  // Admins find programs by name; two programs of one tenant never share a name.
  await sql`CREATE UNIQUE INDEX program_name_key ON program (tenant_id, lower(name))`.execute(db);

  await sql`
    CREATE TABLE program_randomization (
      tenant_id uuid NOT NULL,
      program_id uuid NOT NULL,
      algorithm text NOT NULL,
      seed bigint NOT NULL,
      record jsonb NOT NULL,
      participant_count integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, program_id),
      FOREIGN KEY (tenant_id, program_id) REFERENCES program (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);

  await sql`
    CREATE TABLE cohort (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      program_id uuid NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      arm text NOT NULL CHECK (arm IN ('treatment', 'control', 'variant')),
      source text NOT NULL CHECK (source IN ('randomization', 'csv', 'criteria', 'roster')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, program_id, name),
      FOREIGN KEY (tenant_id, program_id) REFERENCES program (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);

  // One arm per person per program: the primary key makes a second assignment a conflict.
  await sql`
    CREATE TABLE cohort_member (
      tenant_id uuid NOT NULL,
      program_id uuid NOT NULL,
      person_id uuid NOT NULL,
      cohort_id uuid NOT NULL,
      stratum text,
      block integer,
      assigned_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, program_id, person_id),
      FOREIGN KEY (tenant_id, cohort_id) REFERENCES cohort (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  // Cohort rosters: list one cohort's members.
  await sql`CREATE INDEX cohort_member_cohort_idx ON cohort_member (tenant_id, cohort_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE cohort_member`.execute(db);
  await sql`DROP TABLE cohort`.execute(db);
  await sql`DROP TABLE program_randomization`.execute(db);
  await sql`DROP TABLE program`.execute(db);
}
