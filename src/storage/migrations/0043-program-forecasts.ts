import { sql, type Kysely } from 'kysely';

/**
 * The rolling multi-year benefit forecast of a program. The program states its discount rate and the
 * yearly decay of the effect (its horizon is benefit_horizon_years); every re-estimate (an accepted
 * outcome import, a scheduled refresh, an admin's request) adds a version and none is ever changed, so
 * the forecast's history can be read back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE program
      ADD COLUMN discount_rate numeric NOT NULL DEFAULT 0.05 CHECK (discount_rate >= 0 AND discount_rate < 1),
      ADD COLUMN effect_decay numeric NOT NULL DEFAULT 0.2 CHECK (effect_decay >= 0 AND effect_decay <= 1)
  `.execute(db);
  await sql`
    CREATE TABLE program_forecast (
      tenant_id uuid NOT NULL,
      program_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      created_at timestamptz NOT NULL DEFAULT now(),
      trigger text NOT NULL CHECK (trigger IN ('import', 'schedule', 'manual', 'demo')),
      import_id uuid,
      data_as_of date,
      horizon_years integer NOT NULL,
      discount_rate numeric NOT NULL,
      effect_decay numeric NOT NULL,
      forecast jsonb NOT NULL CHECK (jsonb_typeof(forecast) = 'object'),
      PRIMARY KEY (tenant_id, program_id, version),
      FOREIGN KEY (tenant_id, program_id) REFERENCES program (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE program_forecast`.execute(db);
  await sql`ALTER TABLE program DROP COLUMN discount_rate, DROP COLUMN effect_decay`.execute(db);
}
