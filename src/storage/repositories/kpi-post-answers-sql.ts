import { sql, type RawBuilder } from 'kysely';
import { factConditions } from './kpi-scope-sql.js';
import type { KpiScope } from '../../reports/kpi/model.js';

/**
 * The latest attempt of each learner: the registration of the learner's newest post-test answer in
 * the module version, ties on the timestamp going to the greater registration (a null one last), as
 * kpi_post_latest (migration 0067) decides them.
 */
const LATEST_ORDER = sql`ORDER BY f."timestamp" DESC, f.registration DESC NULLS LAST`;

/**
 * Answers of the latest attempts from the facts, one row per learner, module version and question:
 * `s` (any answer correct; no success flag counts as wrong) and the greatest response. `from` yields
 * the facts as `f` with their learner, whose `user_id` and `name` are `who.user_id` and `who.name`.
 */
export function latestAnswersFromFacts(scope: KpiScope, from: RawBuilder<unknown>, who: 'r' | 'f') {
  const w = sql.raw(who);
  return sql`
    SELECT module_id, v, user_id, name, item_id, coalesce(bool_or(success), false) AS s, max(response) AS response
    FROM (
      SELECT f.module_id, coalesce(f.module_version, 0) AS v, ${w}.user_id, ${w}.name, f.registration, f.item_id,
             f.response, f.success,
             first_value(f.registration) OVER (
               PARTITION BY f.module_id, coalesce(f.module_version, 0), ${w}.user_id ${LATEST_ORDER}) AS latest
      FROM ${from}
      WHERE ${factConditions(scope)} AND f.verb = 'answered' AND f.item_kind = 'post'
        AND f.module_id IS NOT NULL AND f.item_id IS NOT NULL) ans
    WHERE registration IS NOT DISTINCT FROM latest
    GROUP BY module_id, v, user_id, name, item_id`;
}

/**
 * `latestAnswersFromFacts` for the learners of a CTE `split (module_id, v, user_id, name, home_page)`
 * (0067's split rows: answers spread over rows), each read from their own facts through the actor
 * index (LATERAL: a parameterized scan per learner, none in the usual case).
 */
export function splitAnswersFromFacts(scope: KpiScope): RawBuilder<unknown> {
  return latestAnswersFromFacts(
    scope,
    sql`split sp CROSS JOIN LATERAL (
          SELECT sp.user_id, sp.name, f.* FROM kpi_statement f
          WHERE f.tenant_id = ${scope.tenantId} AND f.actor_name = sp.name AND f.actor_home_page = sp.home_page
            AND f.module_id = sp.module_id AND coalesce(f.module_version, 0) = sp.v) f`,
    'f',
  );
}
