import { sql, type Kysely } from 'kysely';

/**
 * The person-level contributions behind a recorded effect: each participant's improvement over the
 * comparison (in the outcome's unit, oriented so positive = the training helped), as the attribution
 * method computed it. The ROI report resamples these participants for its bootstrap interval; they are
 * replaced whenever the effect is, so they always belong to the effect beside them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE program_effect_person (
      tenant_id uuid NOT NULL,
      program_id uuid NOT NULL,
      outcome text NOT NULL,
      person_id uuid NOT NULL,
      improvement float8 NOT NULL CHECK (improvement = improvement AND abs(improvement) < 'Infinity'),
      PRIMARY KEY (tenant_id, program_id, outcome, person_id),
      FOREIGN KEY (tenant_id, program_id, outcome)
        REFERENCES program_effect (tenant_id, program_id, outcome) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE program_effect_person`.execute(db);
}
