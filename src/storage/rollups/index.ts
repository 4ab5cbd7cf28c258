import { attemptRollup } from './kpi-attempt.js';
import { attemptOutcomeRollup } from './kpi-attempt-outcome.js';
import { learnerDayRollup } from './kpi-learner-day.js';
import { learnerModuleRollup } from './kpi-learner-module.js';
import { postAttemptDayRollup } from './kpi-post-attempt-day.js';
import { postLatestRollup } from './kpi-post-latest.js';
import { postSumsRollup } from './kpi-post-sums.js';
import { KPI_FACTS_TABLE, type KpiRollup } from './kpi-rollup.js';
import { surveyAnswerRollup } from './kpi-survey-answer.js';

export { KPI_FACTS } from './kpi-facts.js';
export { KPI_FACTS_TABLE, type KpiRollup, type RollupTrigger } from './kpi-rollup.js';

/**
 * Every KPI rollup, one module each in this folder. A test holds the registry to the database: every
 * kpi_* table is the facts or a table of a rollup here, and every rebuild function and trigger exists.
 * A new rollup (a new migration) adds its module here.
 */
export const KPI_ROLLUPS: readonly KpiRollup[] = [
  learnerDayRollup,
  attemptRollup,
  learnerModuleRollup,
  surveyAnswerRollup,
  postLatestRollup,
  postSumsRollup,
  postAttemptDayRollup,
  attemptOutcomeRollup,
];

/**
 * The rebuild functions a bulk load calls after copying facts with the rollup triggers off: those of the
 * rollups kept from the facts, each once. Rollups kept from another rollup follow its rebuild through
 * their own triggers (kpi_post_* sums at commit, so call these inside the load's transaction).
 */
export function factRollupRebuilds(): string[] {
  const fromFacts = KPI_ROLLUPS.filter((r) => r.source === KPI_FACTS_TABLE).map((r) => r.rebuild);
  return [...new Set(fromFacts)];
}

/** One statement that recomputes every rollup of a tenant from its facts, `$1` being the tenant id. */
export function rebuildKpiRollupsSql(): string {
  return `SELECT ${factRollupRebuilds()
    .map((f) => `${f}($1)`)
    .join(', ')}`;
}
