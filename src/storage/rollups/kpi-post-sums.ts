import type { KpiRollup } from './kpi-rollup.js';

/**
 * Sums over the latest post-test attempts: item analysis without a date range reads them instead of
 * every learner's kpi_post_latest row. Changes queue in kpi_post_sums_pending and are applied once per
 * transaction at commit (a deferred constraint trigger on kpi_post_sums_flush), in key order, so
 * concurrent storing transactions do not deadlock on the keys many learners share.
 */
export const postSumsRollup: KpiRollup = {
  tables: ['kpi_post_total', 'kpi_post_option', 'kpi_post_sums_pending', 'kpi_post_sums_flush'],
  row:
    'kpi_post_total: per tenant, course, program, module, version and total score, how many latest attempts ' +
    'have it (learners); kpi_post_option: per question, response and total, how many answered it so ' +
    '(learners) and how many of them correctly; keys whose counts reach 0 are deleted',
  source: 'kpi_post_latest',
  fedBy:
    "changes of kpi_post_latest: statement triggers sum the changed rows' old (-1) and new (+1) images per " +
    'key into the pending table; kpi_post_sums_flush applies them at commit',
  triggers: [
    { table: 'kpi_post_latest', name: 'kpi_post_sums_insert' },
    { table: 'kpi_post_latest', name: 'kpi_post_sums_update' },
    { table: 'kpi_post_latest', name: 'kpi_post_sums_delete' },
    { table: 'kpi_post_sums_flush', name: 'kpi_post_sums_flush' },
  ],
  // kpi_post_rebuild feeds these through the triggers; kpi_post_sums_rebuild(tenant) recomputes them
  // from kpi_post_latest alone (repair), and must not run in a transaction with pending changes.
  rebuild: 'kpi_post_rebuild',
  migration: '0060-kpi-rollups',
};
