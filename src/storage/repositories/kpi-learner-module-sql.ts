import { sql, type RawBuilder } from 'kysely';
import { rollupDayConditions, rosterCte, rosterPageCte } from './kpi-scope-sql.js';
import type { KpiScope, RosterPage } from '../../reports/kpi/model.js';

/**
 * The KPI queries that the learner x module rollup (kpi_learner_module, migration 0066) answers, each
 * returning the same columns as the repository's query over the facts. The rollup holds non-voided
 * facts only, by UTC day, so callers use these only when the scope has no date range or one of whole
 * UTC days (first launches ignore the range anyway).
 *
 * A learner may have several rows of one module (days, module versions, programs): counts are of distinct
 * learners and time is summed per learner, as over the facts.
 */
const onRoster = sql`r.home_page = k.actor_home_page AND r.name = k.actor_name`;

/** A row of the learner list (KpiRepository.learnerSummaries), as both of its queries return it. */
export interface LearnerSummaryRow {
  user_id: string;
  display_name: string;
  started: string;
  completed: string;
  last: Date | null;
}

export const learnerModuleSql = {
  /** Columns module_id, started, completed, scored, passed, like KpiRepository.moduleCounts. */
  moduleCounts(scope: KpiScope): RawBuilder<Record<string, string>> {
    return sql<Record<string, string>>`
      WITH ${rosterCte(scope)},
      -- Each learner once per module (a hash aggregate), then counted: cheaper than four DISTINCT counts.
      per AS (
        SELECT k.module_id, r.user_id, bool_or(k.launched + k.initialized > 0) AS started,
               bool_or(k.completed > 0) AS completed, bool_or(k.passed + k.failed > 0) AS scored,
               bool_or(k.passed > 0) AS passed
        FROM kpi_learner_module k JOIN roster r ON ${onRoster}
        WHERE ${rollupDayConditions(scope, 'k')} AND k.module_id IS NOT NULL
          AND k.launched + k.initialized + k.completed + k.passed + k.failed > 0
        GROUP BY k.module_id, r.user_id)
      SELECT module_id, count(*) FILTER (WHERE started) AS started, count(*) FILTER (WHERE completed) AS completed,
             count(*) FILTER (WHERE scored) AS scored, count(*) FILTER (WHERE passed) AS passed
      FROM per GROUP BY module_id`;
  },

  /**
   * Module counts and time on task in one pass over the rollup and one roster join, as
   * KpiRepository.moduleActivity returns them: the columns of moduleCounts (`counted`: the module has a
   * row moduleCounts counts) and of KpiRepository.timeOnTask (module_id, learners, median, p90, sessions,
   * estimated; `learners` 0: no session, no time row). A learner's time is summed over the module's
   * versions (and programs) before the quantiles. Whole microseconds add up exactly in double precision
   * (below 2^53 µs, 285 years), with a cheaper aggregate state than a bigint sum's numeric.
   */
  moduleActivity(scope: KpiScope): RawBuilder<Record<string, string | number | boolean>> {
    return sql<Record<string, string | number | boolean>>`
      WITH ${rosterCte(scope)},
      per AS (
        SELECT k.module_id, r.user_id, bool_or(k.launched + k.initialized > 0) AS started,
               bool_or(k.completed > 0) AS completed, bool_or(k.passed + k.failed > 0) AS scored,
               bool_or(k.passed > 0) AS passed,
               bool_or(k.launched + k.initialized + k.completed + k.passed + k.failed > 0) AS counted,
               sum(k.micros::double precision) FILTER (WHERE k.sessions > 0) / 1e6 AS secs,
               sum(k.sessions) AS sessions, sum(k.estimated) FILTER (WHERE k.sessions > 0) AS estimated
        FROM kpi_learner_module k JOIN roster r ON ${onRoster}
        WHERE ${rollupDayConditions(scope, 'k')} AND k.module_id IS NOT NULL
          AND (k.launched + k.initialized + k.completed + k.passed + k.failed > 0 OR k.sessions > 0)
        GROUP BY k.module_id, r.user_id)
      SELECT module_id, bool_or(counted) AS counted,
             count(*) FILTER (WHERE started) AS started, count(*) FILTER (WHERE completed) AS completed,
             count(*) FILTER (WHERE scored) AS scored, count(*) FILTER (WHERE passed) AS passed,
             count(*) FILTER (WHERE sessions > 0) AS learners,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) FILTER (WHERE sessions > 0) AS median,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY secs) FILTER (WHERE sessions > 0) AS p90,
             sum(sessions) AS sessions, sum(estimated) AS estimated
      FROM per GROUP BY module_id`;
  },

  /**
   * Columns user_id, display_name, started, completed, last, like KpiRepository.learnerSummaries; with
   * `page`, that page of the roster, its learners' rows found through the actor index.
   */
  learnerSummaries(scope: KpiScope, page?: RosterPage): RawBuilder<LearnerSummaryRow> {
    return sql<LearnerSummaryRow>`
      WITH ${rosterPageCte(scope, page)},
      per AS (
        SELECT r.user_id, k.module_id, sum(k.launched + k.initialized) > 0 AS started,
               sum(k.completed) > 0 AS completed, max(k.last_activity_at) AS last
        FROM kpi_learner_module k JOIN roster r ON ${onRoster}
        WHERE ${rollupDayConditions(scope, 'k')} AND k.module_id IS NOT NULL
          AND k.launched + k.initialized + k.completed > 0
        GROUP BY r.user_id, k.module_id),
      learner AS (
        SELECT user_id, count(*) FILTER (WHERE started) AS started, count(*) FILTER (WHERE completed) AS completed,
               max(last) AS last
        FROM per GROUP BY user_id)
      SELECT r.user_id, r.display_name, coalesce(a.started, 0) AS started, coalesce(a.completed, 0) AS completed,
             a.last
      FROM roster r LEFT JOIN learner a ON a.user_id = r.user_id
      ORDER BY r.display_name, r.user_id`;
  },

  /**
   * The `firsts` CTE body of KpiRepository.enrollmentAround: each assigned learner's first launch in the
   * scope's modules (module-less launches included, as over the facts). `scope` has no date range.
   */
  firstLaunches(scope: KpiScope): RawBuilder<unknown> {
    return sql`
      SELECT r.user_id, p.first
      FROM (SELECT k.actor_home_page, k.actor_name, min(k.first_launch_at) AS first
            FROM kpi_learner_module k
            WHERE ${rollupDayConditions(scope, 'k')} AND k.launched > 0
            GROUP BY k.actor_home_page, k.actor_name) p
      JOIN roster r ON r.home_page = p.actor_home_page AND r.name = p.actor_name`;
  },
};
