import { sql, type Kysely } from 'kysely';

/**
 * The options an effect was estimated with (PSM caliper, DiD cluster attribute, level), so that a
 * re-estimate after new outcome data (the rolling forecast, the scheduled refresh) asks the same question.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE program_effect ADD COLUMN options jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object')`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE program_effect DROP COLUMN options`.execute(db);
}
