import { KPI_FACTS_TABLE, type KpiRollup } from './kpi-rollup.js';

/** Learner x module by UTC day: module completion, time on task, the learner list and first launches. */
export const learnerModuleRollup: KpiRollup = {
  tables: ['kpi_learner_module'],
  row:
    'per tenant, course, program, module, version, actor and UTC day: facts launched, initialized, completed, ' +
    'passed, failed; sessions with a duration, their summed duration in whole microseconds (exact in any ' +
    'order) and how many are estimates; the first launch and the last launch or completion',
  source: KPI_FACTS_TABLE,
  fedBy:
    'any launch, and module facts of the other verbs: counters add on insert and subtract on voiding ' +
    "(kpi_learner_module_add); voiding a launch or completion recomputes the row's two timestamps " +
    '(kpi_learner_module_retime)',
  triggers: [
    { table: KPI_FACTS_TABLE, name: 'kpi_learner_module_insert' },
    { table: KPI_FACTS_TABLE, name: 'kpi_learner_module_voided' },
  ],
  rebuild: 'kpi_learner_module_rebuild',
  migration: '0060-kpi-rollups',
};
