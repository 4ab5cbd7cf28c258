import { KPI_FACTS_TABLE, type KpiRollup } from './kpi-rollup.js';

/**
 * Post-test attempts by UTC day: item analysis of a report filtered to whole days, where each learner's
 * latest attempt is the latest within the range (so kpi_post_latest cannot answer it).
 */
export const postAttemptDayRollup: KpiRollup = {
  tables: ['kpi_post_attempt_day'],
  row:
    'per tenant, course, program, module, version, actor, attempt (registration) and UTC day: the newest ' +
    "answer's time that day and the answers per question as parallel arrays (items, correct, responses)",
  source: KPI_FACTS_TABLE,
  fedBy:
    'post-test answers to a question: every new or voided one recomputes its attempt-day row from the facts ' +
    "(kpi_post_attempt_day_recompute, under an advisory lock on the row's key)",
  triggers: [
    { table: KPI_FACTS_TABLE, name: 'kpi_post_attempt_day_insert' },
    { table: KPI_FACTS_TABLE, name: 'kpi_post_attempt_day_voided' },
  ],
  rebuild: 'kpi_post_attempt_day_rebuild',
  migration: '0060-kpi-rollups',
};
