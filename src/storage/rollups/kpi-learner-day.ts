import { CAPTURE_TRIGGERS } from './kpi-facts.js';
import { KPI_FACTS_TABLE, type KpiRollup } from './kpi-rollup.js';

/**
 * Learner activity by UTC day: the weekly trend groups the days of a week (a learner active on several
 * days still counts once), and a report filtered to whole days reads the days inside its range.
 */
export const learnerDayRollup: KpiRollup = {
  tables: ['kpi_learner_day'],
  row:
    'per tenant, course, program, module, version, UTC day and actor: how many non-voided facts there are ' +
    '(statements) and how many of them are launched and completed',
  source: KPI_FACTS_TABLE,
  fedBy:
    'every fact, by kpi_learner_day_add(fact, delta) from the capture function: +1 when stored, -1 when ' +
    'voided (counts, so voiding needs no recomputation; rows whose counts reach 0 stay and are skipped)',
  triggers: CAPTURE_TRIGGERS,
  rebuild: 'kpi_learner_day_rebuild',
  migration: '0060-kpi-rollups',
};
