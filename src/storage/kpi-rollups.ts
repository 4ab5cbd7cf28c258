/**
 * The KPI rollups kept from kpi_statement in the storing transaction (migrations 0063 on), each by the
 * SQL function that recomputes one tenant's rows from the facts. Bulk loads that bypass the per-row
 * triggers (the benchmarks' COPY path) call every one of them afterwards; a new rollup adds its function
 * here. Rollups kept from another rollup (kpi_score_pair, 0072, follows kpi_attempt by its own statement
 * triggers) are rebuilt with it.
 */
export const KPI_ROLLUP_REBUILDS = [
  'kpi_learner_day_rebuild',
  'kpi_attempt_rebuild',
  'kpi_survey_answer_rebuild',
  'kpi_post_attempt_day_rebuild',
  'kpi_learner_module_rebuild',
  'kpi_post_rebuild',
] as const;

/** One statement that recomputes every rollup of a tenant, `$1` being the tenant id. */
export const rebuildKpiRollupsSql = `SELECT ${KPI_ROLLUP_REBUILDS.map((f) => `${f}($1)`).join(', ')}`;
