import { sql, type RawBuilder } from 'kysely';
import { byWholeDays, factConditions, rollupDayConditions, rosterSql } from './kpi-scope-sql.js';
import { attemptOutcomesSql } from './kpi-attempt-outcomes-sql.js';
import type { KpiScope } from '../../reports/kpi/model.js';
import { STALLED_AFTER_DAYS, type LearnerPageQuery } from '../../reports/kpi/model.js';

/** What classifying a learner needs: the scope's module count and the moment "stalled" is judged at. */
export interface LearnerClassing {
  modules: number;
  now: Date;
}

/** Names sort as the browser's English collation does (the ICU collation PostgreSQL ships). */
const byName = sql`display_name COLLATE "en-x-icu", coalesce(email, sub) COLLATE "en-x-icu", user_id`;

/**
 * The CTE `activity` (user_id, started, completed, secs, last, failing) over the CTE `roster`: per learner,
 * modules started (a launched or initialized statement) and completed, summed session seconds, the last
 * launch or completion, and modules with a failed verdict and no passed one; survey statements left out.
 * From the learner x module rollup (migration 0066) when the scope's dates are whole UTC days, else from
 * the facts; a learner without activity has no row.
 */
function activityCtes(scope: KpiScope): RawBuilder<unknown> {
  const per = byWholeDays(scope)
    ? sql`
      SELECT r.user_id, k.module_id, sum(k.launched + k.initialized) > 0 AS started,
             sum(k.completed) > 0 AS completed, sum(k.passed) > 0 AS passed, sum(k.failed) > 0 AS failed,
             sum(k.micros::double precision) FILTER (WHERE k.sessions > 0) AS micros,
             max(k.last_activity_at) AS last
      FROM kpi_learner_module k JOIN roster r ON r.home_page = k.actor_home_page AND r.name = k.actor_name
      WHERE ${rollupDayConditions(scope, 'k')} AND k.module_id IS NOT NULL
      GROUP BY r.user_id, k.module_id`
    : sql`
      SELECT r.user_id, f.module_id, bool_or(f.verb IN ('launched', 'initialized')) AS started,
             bool_or(f.verb = 'completed') AS completed, bool_or(f.verb = 'passed') AS passed,
             bool_or(f.verb = 'failed') AS failed,
             sum(round(f.duration_seconds * 1e6)) FILTER (WHERE f.verb IN ('terminated', 'abandoned')) AS micros,
             max(f."timestamp") FILTER (WHERE f.verb IN ('launched', 'completed')) AS last
      FROM kpi_statement f JOIN roster r ON r.home_page = f.actor_home_page AND r.name = f.actor_name
      WHERE ${factConditions(scope)} AND f.module_id IS NOT NULL AND f.item_kind IS DISTINCT FROM 'survey'
      GROUP BY r.user_id, f.module_id`;
  return sql`
    per AS (${per}),
    activity AS (
      SELECT user_id, count(*) FILTER (WHERE started) AS started, count(*) FILTER (WHERE completed) AS completed,
             sum(micros) / 1e6 AS secs, max(last) AS last, count(*) FILTER (WHERE failed AND NOT passed) AS failing
      FROM per GROUP BY user_id)`;
}

/**
 * The CTE `listed` over `roster` and `activity`: every learner of `roster` with email, LMS id (`sub`), the
 * activity columns and the status (the one definition, see LearnerStatus in reports/kpi/learner-list.ts)
 * and `stalled`.
 */
function listedCte(scope: KpiScope, c: LearnerClassing): RawBuilder<unknown> {
  const stalledBefore = new Date(c.now.getTime() - STALLED_AFTER_DAYS * 86_400_000);
  return sql`
    classed AS (
      SELECT r.user_id, r.display_name, u.email, u.sub, coalesce(a.started, 0) AS started,
             coalesce(a.completed, 0) AS completed, a.secs, a.last, coalesce(a.failing, 0) AS failing,
             CASE WHEN ${c.modules}::int > 0 AND coalesce(a.completed, 0) >= ${c.modules}::int THEN 'completed'
                  WHEN coalesce(a.started, 0) + coalesce(a.completed, 0) > 0 THEN 'in progress'
                  ELSE 'not started' END AS status
      FROM roster r
      JOIN lti_user u ON u.tenant_id = ${scope.tenantId} AND u.id = r.user_id
      LEFT JOIN activity a ON a.user_id = r.user_id),
    listed AS (
      SELECT *, status = 'in progress' AND (last IS NULL OR last < ${stalledBefore}::timestamptz) AS stalled
      FROM classed)`;
}

const columns = sql`user_id, display_name, email, sub, started, completed, secs, last, failing, status, stalled`;

/** Search by name, email or LMS id, ignoring case; `q` already lower case and non-empty. */
const searched = (q: string) =>
  sql`(strpos(lower(display_name COLLATE "en-x-icu"), ${q}) > 0
       OR strpos(lower(coalesce(email, '') COLLATE "en-x-icu"), ${q}) > 0
       OR strpos(lower(sub COLLATE "en-x-icu"), ${q}) > 0)`;

function shown(show: LearnerPageQuery['show']): RawBuilder<unknown> {
  switch (show) {
    case 'all':
      return sql`true`;
    case 'not-started':
      return sql`status = 'not started'`;
    case 'in-progress':
      return sql`status = 'in progress'`;
    case 'stalled':
      return sql`stalled`;
    case 'failed':
      return sql`failing > 0`;
    case 'completed':
      return sql`status = 'completed'`;
  }
}

/** Week (Monday, YYYY-MM-DD, UTC) of the timestamptz column `last`, as isoWeekOf gives it. */
const weekOfLast = sql`to_char(date_trunc('week', last AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;

function ordered(q: LearnerPageQuery): RawBuilder<unknown> {
  switch (q.sort) {
    case 'name':
      return byName;
    case 'status':
      return sql`CASE status WHEN 'not started' THEN 0 WHEN 'in progress' THEN 1 ELSE 2 END, ${byName}`;
    case 'score':
      // Learners without a post-test score go last.
      return sql`post DESC NULLS LAST, ${byName}`;
    case 'last':
      // A date that may not be shown sorts as no date.
      return q.undatedWeeks?.length
        ? sql`CASE WHEN ${weekOfLast} = ANY(${[...q.undatedWeeks]}::text[]) THEN NULL ELSE last END DESC NULLS LAST, ${byName}`
        : sql`last DESC NULLS LAST, ${byName}`;
  }
}

export const learnerListSql = {
  /** Every assigned learner of the scope, classified (columns of `listed`), in name order: the export. */
  everyone(scope: KpiScope, c: LearnerClassing): RawBuilder<Record<string, unknown>> {
    return sql<Record<string, unknown>>`
      WITH roster AS MATERIALIZED (${rosterSql(scope)}),
      ${activityCtes(scope)},
      ${listedCte(scope, c)}
      SELECT ${columns} FROM listed ORDER BY ${byName}`;
  },

  /**
   * One page of the learner table (columns of `listed` plus `total`, `matching`): searched, filtered by
   * status, sorted and paged in SQL. Sorted by name without a status filter, the page is cut from the
   * roster first, so only its learners' activity is read; otherwise every learner's is (and, sorted by
   * score, every learner's attempt outcomes). A page past the end gives the last one. With no row on the
   * page, the counts come back as a row whose user_id is null.
   */
  page(scope: KpiScope, q: LearnerPageQuery, c: LearnerClassing): RawBuilder<Record<string, unknown>> {
    const text = (q.q ?? '').trim().toLowerCase();
    const search = text ? searched(text) : sql`true`;
    const offset = (Math.max(1, q.page) - 1) * q.size;
    // The page's first row number (0-based), clamped to the last page there is.
    const first = sql`least(${offset}::bigint, greatest(matching - 1, 0) / ${q.size}::bigint * ${q.size}::bigint)`;
    const onPage = sql`n > ${first} AND n <= ${first} + ${q.size}::bigint`;
    const counts = sql`(SELECT count(*) FROM everyone) AS total`;
    if (q.show === 'all' && q.sort === 'name') {
      return sql<Record<string, unknown>>`
        WITH everyone AS MATERIALIZED (${rosterSql(scope)}),
        found AS (
          SELECT e.*, u.email, u.sub FROM everyone e
          JOIN lti_user u ON u.tenant_id = ${scope.tenantId} AND u.id = e.user_id),
        numbered AS (
          SELECT *, row_number() OVER (ORDER BY ${byName}) AS n, count(*) OVER () AS matching
          FROM found WHERE ${search}),
        roster AS MATERIALIZED (SELECT user_id, home_page, name, display_name, n, matching FROM numbered WHERE ${onPage}),
        ${activityCtes(scope)},
        ${listedCte(scope, c)}
        SELECT ${columns}, r.n, r.matching, ${counts}
        FROM listed l JOIN roster r USING (user_id, display_name)
        UNION ALL
        SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               (SELECT count(*) FROM numbered), ${counts}
        WHERE NOT EXISTS (SELECT 1 FROM roster)
        ORDER BY n`;
    }
    const scores =
      q.sort === 'score'
        ? sql`scores AS (
            SELECT user_id, avg(post) AS post FROM (${attemptOutcomesSql(scope, false)}) o
            WHERE post IS NOT NULL GROUP BY user_id),`
        : sql``;
    const post = q.sort === 'score' ? sql`s.post` : sql`NULL::double precision`;
    const joinScores = q.sort === 'score' ? sql`LEFT JOIN scores s USING (user_id)` : sql``;
    return sql<Record<string, unknown>>`
      WITH roster AS MATERIALIZED (${rosterSql(scope)}),
      everyone AS (SELECT user_id FROM roster),
      ${activityCtes(scope)},
      ${listedCte(scope, c)},
      ${scores}
      kept AS (SELECT l.*, ${post} AS post FROM listed l ${joinScores} WHERE ${search} AND ${shown(q.show)}),
      numbered AS (SELECT *, row_number() OVER (ORDER BY ${ordered(q)}) AS n, count(*) OVER () AS matching FROM kept)
      SELECT ${columns}, n, matching, ${counts} FROM numbered WHERE ${onPage}
      UNION ALL
      SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, ${counts}
      WHERE NOT EXISTS (SELECT 1 FROM kept)
      ORDER BY n`;
  },
};
