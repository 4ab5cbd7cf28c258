import { sql, type Kysely } from 'kysely';

/**
 * The money side of a program (Phillips): its fully loaded cost model, monetization assumptions (each
 * with a source and a confidence), intangibles (named, never monetized), attributed effects, confounding
 * events, qualitative evidence, and snapshots of what was reported when.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const programFk = sql`FOREIGN KEY (tenant_id, program_id) REFERENCES program (tenant_id, id) ON DELETE CASCADE`;
  await sql`
    CREATE TABLE program_cost_model (
      tenant_id uuid NOT NULL,
      program_id uuid NOT NULL,
      model jsonb NOT NULL CHECK (jsonb_typeof(model) = 'object'),
      currency text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, program_id),
      ${programFk}
    )`.execute(db);
  await sql`
    CREATE TABLE monetization_assumption (
      tenant_id uuid NOT NULL,
      program_id uuid NOT NULL,
      outcome text NOT NULL,
      perspective text NOT NULL CHECK (perspective IN ('employer', 'employee')),
      label text NOT NULL,
      unit text NOT NULL,
      value_per_unit numeric NOT NULL,
      source text NOT NULL CHECK (length(source) > 0),
      confidence numeric NOT NULL CHECK (confidence > 0 AND confidence <= 1),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, program_id, outcome, perspective),
      ${programFk}
    )`.execute(db);
  await sql`
    CREATE TABLE program_intangible (
      tenant_id uuid NOT NULL,
      program_id uuid NOT NULL,
      label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
      PRIMARY KEY (tenant_id, program_id, label),
      ${programFk}
    )`.execute(db);
  await sql`
    CREATE TABLE program_effect (
      tenant_id uuid NOT NULL,
      program_id uuid NOT NULL,
      outcome text NOT NULL,
      units_per_participant numeric NOT NULL,
      lower numeric,
      upper numeric,
      participants integer NOT NULL CHECK (participants > 0),
      method text NOT NULL CHECK (method IN ('randomized', 'did', 'psm', 'trend', 'manual')),
      note text NOT NULL DEFAULT '',
      estimated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, program_id, outcome),
      CHECK (lower IS NULL OR upper IS NULL OR lower <= upper),
      ${programFk}
    )`.execute(db);
  await sql`
    CREATE TABLE confounding_event (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      program_id uuid,
      starts_on date NOT NULL,
      ends_on date,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      description text NOT NULL DEFAULT '',
      PRIMARY KEY (tenant_id, id),
      CHECK (ends_on IS NULL OR starts_on <= ends_on),
      ${programFk}
    )`.execute(db);
  // Estimates list the events overlapping their windows: look up by date within a tenant.
  await sql`CREATE INDEX confounding_event_date_idx ON confounding_event (tenant_id, starts_on)`.execute(db);
  await sql`
    CREATE TABLE program_evidence (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      program_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('manager_note', 'case_study', 'quote', 'other')),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      body_html text NOT NULL,
      author text NOT NULL DEFAULT '',
      recorded_on date NOT NULL DEFAULT current_date,
      PRIMARY KEY (tenant_id, id),
      ${programFk}
    )`.execute(db);
  await sql`
    CREATE TABLE roi_snapshot (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      program_id uuid NOT NULL,
      taken_at timestamptz NOT NULL DEFAULT now(),
      report jsonb NOT NULL,
      PRIMARY KEY (tenant_id, id),
      ${programFk}
    )`.execute(db);
  // "What did we report when": a program's snapshots newest first.
  await sql`CREATE INDEX roi_snapshot_program_idx ON roi_snapshot (tenant_id, program_id, taken_at DESC)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'roi_snapshot',
    'program_evidence',
    'confounding_event',
    'program_effect',
    'program_intangible',
    'monetization_assumption',
    'program_cost_model',
  ]) {
    await sql`DROP TABLE ${sql.table(table)}`.execute(db);
  }
}
