import { CAPTURE_TRIGGERS } from './kpi-facts.js';
import { KPI_FACTS_TABLE, type KpiRollup } from './kpi-rollup.js';

/**
 * Pre- and post-test attempts by UTC day. No report reads it since pre/post pairs moved to
 * kpi_attempt_outcome (0096); the drain's capture function still keeps it (dropping it means replacing that
 * function).
 */
export const attemptRollup: KpiRollup = {
  tables: ['kpi_attempt'],
  row:
    'per attempt (registration), actor, course, program, module, version, phase (pre or post) and UTC day: ' +
    'how many answers carry a success flag (scored), how many are correct, and when the first was made',
  source: KPI_FACTS_TABLE,
  fedBy:
    'scored pre/post-test answers (answered, item kind pre or post, success set, a module), from the capture ' +
    'function: kpi_attempt_add on insert; voiding recomputes the one attempt-day row (kpi_attempt_recompute), ' +
    'since a minimum cannot be subtracted',
  triggers: CAPTURE_TRIGGERS,
  rebuild: 'kpi_attempt_rebuild',
  migration: '0060-kpi-rollups',
};
