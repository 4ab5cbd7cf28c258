import { sql, type RawBuilder } from 'kysely';
import {
  byWholeDays,
  factConditions,
  rollupConditions,
  rollupDayConditions,
  rosterCte,
  type KpiScope,
} from './kpi-scope-sql.js';

/** Rows of KpiRepository.scorePairs: one per assigned learner and module, ordered by module and user. */
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
   * Any scope with a date range: the attempts in the range, from the kpi_attempt rollup (by day) when
   * the range is of whole UTC days, else from the facts, then ranked.
   */
  ranked(scope: KpiScope): RawBuilder<ScorePairRow> {
    const attempts = !byWholeDays(scope)
      ? sql`
          SELECT f.module_id, r.user_id, f.item_kind, f.registration,
                 avg(f.success::int)::double precision AS score, min(f."timestamp") AS at
          FROM kpi_statement f JOIN roster r ON r.home_page = f.actor_home_page AND r.name = f.actor_name
          WHERE ${factConditions(scope)} AND f.verb = 'answered' AND f.item_kind IN ('pre', 'post')
            AND f.success IS NOT NULL AND f.module_id IS NOT NULL
          GROUP BY f.module_id, r.user_id, f.item_kind, f.registration`
      : sql`
          SELECT a.module_id, r.user_id, a.phase AS item_kind, a.registration,
                 sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
          FROM kpi_attempt a JOIN roster r ON r.home_page = a.actor_home_page AND r.name = a.actor_name
          WHERE ${rollupDayConditions(scope, 'a')} AND a.scored > 0
          GROUP BY a.module_id, r.user_id, a.phase, a.registration`;
    return sql<ScorePairRow>`
      WITH ${rosterCte(scope)}, att AS (${attempts}), ${pickFirstPreLatestPost}
      SELECT * FROM picked ORDER BY module_id, user_id`;
  },

  /**
   * A scope without a date range: each learner's pair as kpi_score_pair keeps it per module version,
   * course and program. A learner with one row of the module (nearly all) has it as it stands; one with
   * several (`shared`: both versions of a module, say) is ranked over their attempts in the scope from
   * kpi_attempt, found through the actor index, since their first or latest attempt may lie in either.
   */
  kept(scope: KpiScope): RawBuilder<ScorePairRow> {
    return sql<ScorePairRow>`
      WITH ${rosterCte(scope)},
      shared AS (
        SELECT DISTINCT k.module_id, r.user_id, r.home_page, r.name
        FROM kpi_score_pair k JOIN roster r ON r.home_page = k.actor_home_page AND r.name = k.actor_name
        WHERE ${rollupConditions(scope, 'k')} AND k.shared),
      att AS (
        SELECT a.module_id, m.user_id, a.phase AS item_kind, a.registration,
               sum(a.correct)::double precision / sum(a.scored) AS score, min(a.first_at) AS at
        FROM shared m
        JOIN kpi_attempt a ON a.tenant_id = ${scope.tenantId} AND a.actor_name = m.name
          AND a.actor_home_page = m.home_page AND a.module_id = m.module_id
        WHERE ${rollupConditions(scope, 'a')} AND a.scored > 0
        GROUP BY a.module_id, m.user_id, a.phase, a.registration),
      ${pickFirstPreLatestPost}
      SELECT k.module_id, r.user_id, k.pre_score AS pre, k.post_score AS post
      FROM kpi_score_pair k JOIN roster r ON r.home_page = k.actor_home_page AND r.name = k.actor_name
      WHERE ${rollupConditions(scope, 'k')} AND NOT k.shared
      UNION ALL
      SELECT * FROM picked
      ORDER BY module_id, user_id`;
  },
};
