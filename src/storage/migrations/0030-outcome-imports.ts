import { sql, type Kysely } from 'kysely';

/**
 * Outcome import batches and their staging rows. An import is staged first (every row parsed,
 * validated and stored here with its errors, and a data-quality report computed), then accepted in
 * one transaction that upserts the valid rows into the outcome tables (0031). `rows_parsed` and
 * `bytes_read` are updated while staging so clients can poll progress.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE outcome_import (
      tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('payroll', 'plan_participation', 'claims', 'hris')),
      source text NOT NULL CHECK (source IN ('csv', 'json')),
      file_name text,
      status text NOT NULL DEFAULT 'created'
        CHECK (status IN ('created', 'staging', 'staged', 'failed', 'accepted')),
      mapping jsonb NOT NULL DEFAULT '{}'::jsonb,
      options jsonb NOT NULL DEFAULT '{}'::jsonb,
      content_hash text,
      bytes_total bigint CHECK (bytes_total >= 0),
      bytes_read bigint NOT NULL DEFAULT 0,
      rows_parsed integer NOT NULL DEFAULT 0,
      rows_invalid integer NOT NULL DEFAULT 0,
      report jsonb,
      failure text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      staged_at timestamptz,
      accepted_by text,
      accepted_at timestamptz,
      applied jsonb,
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX outcome_import_created_idx ON outcome_import (tenant_id, created_at DESC)`.execute(
    db,
  );
  // "Has this very file been accepted before?"
  await sql`CREATE INDEX outcome_import_hash_idx ON outcome_import (tenant_id, kind, content_hash) WHERE status = 'accepted'`.execute(
    db,
  );

  await sql`
    CREATE TABLE outcome_import_row (
      tenant_id uuid NOT NULL,
      import_id uuid NOT NULL,
      row_number integer NOT NULL,
      employee_id text,
      natural_key text,
      valid boolean NOT NULL,
      "values" jsonb NOT NULL,
      errors jsonb,
      PRIMARY KEY (tenant_id, import_id, row_number),
      FOREIGN KEY (tenant_id, import_id) REFERENCES outcome_import (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  // Duplicate-key detection within a file.
  await sql`CREATE INDEX outcome_import_row_key_idx ON outcome_import_row (tenant_id, import_id, natural_key)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE outcome_import_row`.execute(db);
  await sql`DROP TABLE outcome_import`.execute(db);
}
