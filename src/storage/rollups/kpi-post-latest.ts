import { KPI_FACTS_TABLE, type KpiRollup } from './kpi-rollup.js';

/** Each learner's latest post-test attempt: what item analysis without a date range reads. */
export const postLatestRollup: KpiRollup = {
  tables: ['kpi_post_latest'],
  row:
    'per tenant, course, program, module, version and account actor: the attempt of the newest post-test ' +
    'answer, its time, its answers per question as parallel arrays (items, correct: bool_or of success, ' +
    'responses: max) and total correct; split marks a row created while another row of its group existed ' +
    '(readers take such groups from the facts)',
  source: KPI_FACTS_TABLE,
  fedBy:
    'post-test answers to a question by an account: an answer of the latest attempt merges into it ' +
    '(kpi_post_add); one that makes another attempt the latest recomputes the row from that attempt ' +
    "(kpi_post_take_attempt); voiding an answer of the latest attempt recomputes it from the actor's facts " +
    '(kpi_post_recompute)',
  triggers: [
    { table: KPI_FACTS_TABLE, name: 'kpi_post_insert' },
    { table: KPI_FACTS_TABLE, name: 'kpi_post_voided' },
  ],
  rebuild: 'kpi_post_rebuild',
  migration: '0060-kpi-rollups',
};
