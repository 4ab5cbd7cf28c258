import type { KpiRollup } from './kpi-rollup.js';

/** Each learner's pre/post score pair, read by reports without a date range. */
export const scorePairRollup: KpiRollup = {
  tables: ['kpi_score_pair'],
  row:
    'per tenant, course, program, module, version and account actor: the first attempt with pre-test answers ' +
    'and the latest with post-test answers (score, time, registration), the UTC days of the first and last ' +
    'scored answers, and shared (the actor has other rows of the module)',
  source: 'kpi_attempt',
  fedBy:
    'changes of kpi_attempt, not the facts: statement triggers recompute, set-based through their transition ' +
    'tables, the pairs of the keys a statement touched (kpi_score_pair_follow)',
  triggers: [
    { table: 'kpi_attempt', name: 'kpi_score_pair_insert' },
    { table: 'kpi_attempt', name: 'kpi_score_pair_update' },
    { table: 'kpi_attempt', name: 'kpi_score_pair_delete' },
  ],
  rebuild: 'kpi_attempt_rebuild',
  migration: '0060-kpi-rollups',
};
