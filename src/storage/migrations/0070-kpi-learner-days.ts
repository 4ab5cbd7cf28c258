import { sql, type Kysely } from 'kysely';
import { createLearnerActivityRollup } from './0063-kpi-learner-week.js';
import { defineCaptureFunction } from './kpi-capture-function.js';

/**
 * The learner activity rollup by UTC day instead of ISO week (issue #7, report speed):
 * `kpi_learner_day`, kept by the KPI fact trigger exactly as `kpi_learner_week` was (0063). A report
 * filtered to whole days (the report pages' date filters are UTC days) can cut a week, so a weekly
 * rollup cannot answer it; daily rows can, and the weekly trend groups them by week (a learner active
 * on several days of a week is still counted once). The weekly table goes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createLearnerActivityRollup(db, 'day');
  await defineCaptureFunction(db, { learnerAdd: 'kpi_learner_day_add', attempts: true });
  await sql`SELECT kpi_learner_day_rebuild(t.id) FROM tenant t`.execute(db);
  await dropRollup(db, 'week');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await createLearnerActivityRollup(db, 'week');
  await defineCaptureFunction(db, { learnerAdd: 'kpi_learner_week_add', attempts: true });
  await sql`SELECT kpi_learner_week_rebuild(t.id) FROM tenant t`.execute(db);
  await dropRollup(db, 'day');
}

async function dropRollup(db: Kysely<unknown>, bucket: 'week' | 'day'): Promise<void> {
  await sql`DROP FUNCTION ${sql.raw(`kpi_learner_${bucket}_rebuild`)}(uuid)`.execute(db);
  await sql`DROP FUNCTION ${sql.raw(`kpi_learner_${bucket}_add`)}(kpi_statement, integer)`.execute(db);
  await sql`DROP TABLE ${sql.raw(`kpi_learner_${bucket}`)}`.execute(db);
}
