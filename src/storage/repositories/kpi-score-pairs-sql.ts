import { sql, type RawBuilder } from 'kysely';

/**
 * Rows of KpiRepository.scorePairs: one per assigned learner and module, ordered by module and user
 * unless the caller aggregates them (`ordered` false).
 */
export interface ScorePairRow {
  module_id: string;
  user_id: string;
  pre: number | null;
  post: number | null;
}

export const scorePairsSql = {
  /**
   * Per module, the moments of the pairs with both scores in percent (columns of ScoreMoments in
   * reports/kpi/score-change.ts, snake_case): count, means, the differences' mean and standard
   * deviation, and the mean Hake gain over the learners whose pre score is below 100. `pairs` gives rows of
   * ScorePairRow (kpi-attempt-outcomes-sql.ts), unordered.
   */
  moments(pairs: RawBuilder<ScorePairRow>): RawBuilder<Record<string, string | number | null>> {
    return sql<Record<string, string | number | null>>`
      SELECT module_id, count(*) AS pairs, avg(pre) AS pre_mean, avg(post) AS post_mean,
             avg(post - pre) AS diff_mean, stddev_samp(post - pre) AS diff_sd,
             count(*) FILTER (WHERE pre <> 100) AS included,
             avg((post - pre) / (100 - pre)) FILTER (WHERE pre <> 100) AS mean_gain
      FROM (SELECT module_id, pre * 100 AS pre, post * 100 AS post FROM (${pairs}) p
            WHERE pre IS NOT NULL AND post IS NOT NULL) b
      GROUP BY module_id`;
  },
};
