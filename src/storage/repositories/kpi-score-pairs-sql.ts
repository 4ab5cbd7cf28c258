import { sql, type RawBuilder } from 'kysely';
import { factConditions, rollupConditions, rollupDayConditions, rosterCte } from './kpi-scope-sql.js';
import type { KpiScope } from '../../reports/kpi/model.js';

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

/**
 * From attempts `att (module_id, user_id, item_kind, registration, score, at)`: each learner's first
 * pre-test and latest post-test attempt (ties to the lower registration, a null one last), as one row
 * per learner and module: one DISTINCT ON per phase, joined.
 */
const pickFirstPreLatestPost = sql`
  first_pre AS (
    SELECT DISTINCT ON (module_id, user_id) module_id, user_id, score FROM att WHERE item_kind = 'pre'
    ORDER BY module_id, user_id, at, registration),
  latest_post AS (
    SELECT DISTINCT ON (module_id, user_id) module_id, user_id, score FROM att WHERE item_kind = 'post'
    ORDER BY module_id, user_id, at DESC, registration),
  picked AS (
    SELECT module_id, user_id, p.score AS pre, q.score AS post
    FROM first_pre p FULL JOIN latest_post q USING (module_id, user_id))`;

export const scorePairsSql = {
  /**
   * A date range that is not of whole UTC days: the facts' attempts in the range, ranked.
   */
  ranked(scope: KpiScope, ordered = true): RawBuilder<ScorePairRow> {
    return sql<ScorePairRow>`
      WITH ${rosterCte(scope)},
      att AS (
        SELECT f.module_id, r.user_id, f.item_kind, f.registration,
               avg(f.success::int)::double precision AS score, min(f."timestamp") AS at
        FROM kpi_statement f JOIN roster r ON r.home_page = f.actor_home_page AND r.name = f.actor_name
        WHERE ${factConditions(scope)} AND f.verb = 'answered' AND f.item_kind IN ('pre', 'post')
          AND f.success IS NOT NULL AND f.module_id IS NOT NULL
        GROUP BY f.module_id, r.user_id, f.item_kind, f.registration),
      ${pickFirstPreLatestPost}
      SELECT * FROM picked ${ordered ? sql`ORDER BY module_id, user_id` : sql``}`;
  },

  /**
   * No date range, or one of whole UTC days: each learner's pair as kpi_score_pair keeps it per module
   * version, course and program, when that row is the learner's only one of the module and the range
   * (if any) holds its first and last answer days, so every attempt of it; as nearly all are. The
   * others (`shared`: both versions of a module, say; or attempts on both sides of a range bound) are
   * ranked over their attempts in the range from kpi_attempt (by day), found through the actor index.
   * A row not shared is its learner's only one of the module, so no learner comes both ways.
   */
  kept(scope: KpiScope, ordered = true): RawBuilder<ScorePairRow> {
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const whole = sql.join(
      [
        sql`NOT k.shared`,
        ...(scope.from ? [sql`k.first_day >= ${day(scope.from)}::date`] : []),
        ...(scope.to ? [sql`k.last_day < ${day(scope.to)}::date`] : []),
      ],
      sql` AND `,
    );
    const touched = sql.join(
      [
        sql`true`,
        ...(scope.from ? [sql`k.last_day >= ${day(scope.from)}::date`] : []),
        ...(scope.to ? [sql`k.first_day < ${day(scope.to)}::date`] : []),
      ],
      sql` AND `,
    );
    return sql<ScorePairRow>`
      WITH ${rosterCte(scope)},
      rows_in AS MATERIALIZED (
        SELECT k.module_id, r.user_id, r.home_page, r.name, k.pre_score, k.post_score, ${whole} AS whole
        FROM kpi_score_pair k JOIN roster r ON r.home_page = k.actor_home_page AND r.name = k.actor_name
        WHERE ${rollupConditions(scope, 'k')} AND ${touched}),
      ranked_learners AS (SELECT DISTINCT module_id, user_id, home_page, name FROM rows_in WHERE NOT whole),
      att AS (
        SELECT a.module_id, m.user_id, a.phase AS item_kind, a.registration,
               sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        -- LATERAL: the actor index per learner (a few), not a scan of every attempt.
        FROM ranked_learners m
        CROSS JOIN LATERAL (
          SELECT a.* FROM kpi_attempt a
          WHERE a.tenant_id = ${scope.tenantId} AND a.actor_name = m.name AND a.actor_home_page = m.home_page
            AND a.module_id = m.module_id AND ${rollupDayConditions(scope, 'a')} AND a.scored > 0) a
        GROUP BY a.module_id, m.user_id, a.phase, a.registration),
      ${pickFirstPreLatestPost}
      SELECT module_id, user_id, pre_score AS pre, post_score AS post FROM rows_in WHERE whole
      UNION ALL
      SELECT * FROM picked
      ${ordered ? sql`ORDER BY module_id, user_id` : sql``}`;
  },

  /**
   * Per module, the moments of the pairs with both scores in percent (columns of ScoreMoments in
   * reports/kpi/score-change.ts, snake_case): count, means, the differences' mean and standard
   * deviation, and the mean Hake gain over the learners whose pre score is below 100. `pairs` is one of
   * the above, unordered.
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
