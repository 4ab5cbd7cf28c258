import { sql, type Kysely } from 'kysely';

/**
 * What took a report snapshot and for which scheduled tick: 'manual' (an admin or the CLI), 'leading'
 * (the weekly refresh), 'lagging' (the quarterly refresh), 'demo'. A scheduled refresh names the day it
 * ran for, and the unique index makes a retried job add no second snapshot for that day.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE roi_snapshot
      ADD COLUMN kind text NOT NULL DEFAULT 'manual' CHECK (kind IN ('manual', 'leading', 'lagging', 'demo')),
      ADD COLUMN scheduled_for date,
      ADD COLUMN data_as_of date
  `.execute(db);
  await sql`
    CREATE UNIQUE INDEX roi_snapshot_schedule_key ON roi_snapshot (tenant_id, program_id, kind, scheduled_for)
    WHERE scheduled_for IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX roi_snapshot_schedule_key`.execute(db);
  await sql`ALTER TABLE roi_snapshot DROP COLUMN kind, DROP COLUMN scheduled_for, DROP COLUMN data_as_of`.execute(
    db,
  );
}
