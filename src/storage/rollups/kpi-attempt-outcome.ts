import { KPI_FACTS_TABLE, type KpiRollup } from './kpi-rollup.js';

/** Test attempts' scores and verdicts by UTC day: what the attempt policy (issue #21) reads. */
export const attemptOutcomeRollup: KpiRollup = {
  tables: ['kpi_attempt_outcome'],
  row:
    'per tenant, actor, module, version, course, program, UTC day and attempt (registration): pre- and ' +
    'post-test answers scored and correct and the newest answer time of each phase; the newest verdict ' +
    '(passed or failed) with its time and seq',
  source: KPI_FACTS_TABLE,
  fedBy:
    'scored pre/post-test answers and passed/failed verdicts of a module: counts add, times take the newest and ' +
    'a newer verdict (time, then seq) replaces the older one on insert (kpi_attempt_outcome_add); voiding ' +
    'recomputes the one row from the facts (kpi_attempt_outcome_recompute)',
  triggers: [
    { table: KPI_FACTS_TABLE, name: 'kpi_attempt_outcome_insert' },
    { table: KPI_FACTS_TABLE, name: 'kpi_attempt_outcome_voided' },
  ],
  rebuild: 'kpi_attempt_outcome_rebuild',
  migration: '0096-kpi-attempt-outcome',
};
