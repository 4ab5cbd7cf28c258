import { sql, type RawBuilder } from 'kysely';
import { splitAnswersFromFacts } from './kpi-post-answers-sql.js';
import { rollupConditions, rosterCte } from './kpi-scope-sql.js';
import type { KpiScope } from '../../reports/kpi/model.js';

/**
 * Item analysis sums for a scope without a date range, from the sums over kpi_post_latest (migration
 * 0073) instead of every learner's answers: one row per module version (`v`, an absent version being
 * 0), question and response with the columns of `SumRow` in kpi-item-analysis.ts, exactly what ranking
 * and unnesting the learners of kpi_post_latest on the roster gives (its facts path, for learners
 * whose answers span rows).
 *
 * The learners are the scope's kpi_post_latest rows, each once per roster user of its account, except
 * that a learner's module version with a split row (see 0067) is recomputed from that learner's facts.
 * The sums hold every row of the scope once, so the query corrects them by `adjust`: the rows counted
 * another number of times (weight = times counted - 1: -1 for an account not on the roster, which the
 * scope's course usually has few of, or for a split group) and the recomputed split learners (+1).
 * The anti-join finding those rows reads the scope's kpi_post_latest rows once, without unnesting.
 *
 * Upper and lower 27% groups (g learners each), ranked by total and then account name (COLLATE "C")
 * and user id as kpi-item-analysis.ts ranks them: from the learners per total, a total whose learners
 * all rank within g is wholly in the group and its answers come from the sums by total; at the one
 * total per group that straddles the boundary, the learners are placed by name and user id and the
 * first k = g - (learners before that total) are in the group: their answers are unnested, or, when k
 * is more than half of that total's learners, the total counts wholly from the sums less the answers
 * of the learners after the first k (so at most half are unnested).
 *
 * Meant for scopes whose roster holds nearly everyone with a row (a course or program, a module, a
 * version); a cohort or one learner would leave out most rows (kpi-item-analysis.ts ranks those).
 */
export function itemSumsSql(scope: KpiScope): RawBuilder<unknown> {
  const inScope = rollupConditions(scope, 'l');
  const sameGroup = sql`sg.module_id = l.module_id AND sg.v = coalesce(l.module_version, 0)
        AND sg.actor_home_page = l.actor_home_page AND sg.actor_name = l.actor_name`;
  const byTotal = (a: string, b: string) =>
    sql.raw(`${a}.module_id = ${b}.module_id AND ${a}.v = ${b}.v AND ${a}.total = ${b}.total`);
  return sql`
    WITH ${rosterCte(scope)},
    -- Accounts of several roster users (rare): their rows count once per user.
    shared_account AS MATERIALIZED (
      SELECT home_page, name, count(*) AS m FROM roster GROUP BY home_page, name HAVING count(*) > 1),
    -- Module versions of accounts whose answers span rows (0067's split): taken from the facts.
    split_group AS MATERIALIZED (
      SELECT DISTINCT l.module_id, coalesce(l.module_version, 0) AS v, l.actor_home_page, l.actor_name
      FROM kpi_post_latest l WHERE ${inScope} AND l.split),
    split AS MATERIALIZED (
      SELECT sg.module_id, sg.v, r.user_id, r.name, r.home_page
      FROM split_group sg JOIN roster r ON r.home_page = sg.actor_home_page AND r.name = sg.actor_name),
    split_answered AS (${splitAnswersFromFacts(scope)}),
    split_learner AS MATERIALIZED (
      SELECT module_id, v, user_id, name, sum(s::int)::int AS total, array_agg(item_id) AS items,
             array_agg(s) AS ss, array_agg(response) AS responses
      FROM split_answered GROUP BY module_id, v, user_id, name),
    -- The scope's rows, narrow, with their roster user (none: not on the roster), read once; their
    -- answers are fetched by row address for the few rows that need them.
    scoped AS MATERIALIZED (
      SELECT l.ctid AS tid, l.module_id, coalesce(l.module_version, 0) AS v, l.total, l.actor_home_page,
             l.actor_name, r.user_id, r.name, EXISTS (SELECT 1 FROM split_group sg WHERE ${sameGroup}) AS split
      FROM kpi_post_latest l LEFT JOIN roster r ON r.home_page = l.actor_home_page AND r.name = l.actor_name
      WHERE ${inScope}),
    adjust AS MATERIALIZED (
      -- Rows of accounts not on the roster: the one anti-join over the scope's rows.
      SELECT x.module_id, x.v, x.total, l.items, l.correct AS ss, l.responses, -1 AS w
      FROM scoped x JOIN kpi_post_latest l ON l.ctid = x.tid
      WHERE x.user_id IS NULL
      UNION ALL
      -- Rows on the roster of split groups (recomputed below) or of shared accounts, through the
      -- actor index (OFFSET 0: one index scan per account, never a scan of the scope).
      SELECT l.module_id, coalesce(l.module_version, 0) AS v, l.total, l.items, l.correct AS ss, l.responses,
             CASE WHEN EXISTS (SELECT 1 FROM split_group sg WHERE ${sameGroup}) THEN -1
                  ELSE coalesce(a.m, 1) - 1 END
      FROM (SELECT actor_home_page, actor_name FROM split_group
            UNION SELECT home_page, name FROM shared_account) who
      CROSS JOIN LATERAL (
        SELECT * FROM kpi_post_latest l
        WHERE l.tenant_id = ${scope.tenantId} AND l.actor_name = who.actor_name
          AND l.actor_home_page = who.actor_home_page AND ${inScope} OFFSET 0) l
      LEFT JOIN shared_account a ON a.home_page = l.actor_home_page AND a.name = l.actor_name
      WHERE EXISTS (SELECT 1 FROM roster r WHERE r.home_page = l.actor_home_page AND r.name = l.actor_name)
        AND (a.m IS NOT NULL OR EXISTS (SELECT 1 FROM split_group sg WHERE ${sameGroup}))
      UNION ALL
      SELECT module_id, v, total, items, ss, responses, 1 FROM split_learner),
    -- Learners per module version and total.
    tot AS (
      SELECT module_id, v, total, sum(c)::bigint AS c
      FROM (
        SELECT l.module_id, coalesce(l.module_version, 0) AS v, l.total, l.learners AS c
        FROM kpi_post_total l WHERE ${inScope}
        UNION ALL
        SELECT module_id, v, total, w FROM adjust) x
      GROUP BY module_id, v, total HAVING sum(c) <> 0),
    mv AS MATERIALIZED (
      SELECT module_id, v, sum(c)::bigint AS n, sum(c * total) AS st, sum(c * total * total) AS stt,
             greatest(1, (27 * sum(c)::bigint + 50) / 100) AS g
      FROM tot GROUP BY module_id, v),
    -- Per total: learners ranked before it from the top (above) and from the bottom (below).
    band AS MATERIALIZED (
      SELECT t.module_id, t.v, t.total, t.c, m.g,
             sum(t.c) OVER (PARTITION BY t.module_id, t.v ORDER BY t.total DESC) - t.c AS above,
             sum(t.c) OVER (PARTITION BY t.module_id, t.v ORDER BY t.total) - t.c AS below
      FROM tot t JOIN mv m ON m.module_id = t.module_id AND m.v = t.v),
    -- A total straddling a boundary: its first k learners are in the group. When k is more than half
    -- of them, the whole total counts (from the sums) less the learners after the first k, so at most
    -- half of a total's learners are unnested.
    edge AS MATERIALIZED (
      SELECT module_id, v, total, c, row_number() OVER () AS edge_no,
             CASE WHEN above < g AND above + c > g THEN g - above ELSE 0 END AS k_up,
             CASE WHEN below < g AND below + c > g THEN g - below ELSE 0 END AS k_low
      FROM band WHERE (above < g AND above + c > g) OR (below < g AND below + c > g)),
    -- Whether a total's learners count wholly in the upper or lower group before any correction.
    whole AS MATERIALIZED (
      SELECT b.module_id, b.v, b.total,
             b.above + b.c <= b.g OR 2 * coalesce(e.k_up, 0) > b.c AS up,
             b.below + b.c <= b.g OR 2 * coalesce(e.k_low, 0) > b.c AS low
      FROM band b LEFT JOIN edge e ON ${byTotal('e', 'b')}),
    -- The learners at a boundary total, placed by name and user id; the answers of those whose place
    -- puts them in or out of a group fetched.
    edge_learner AS (
      SELECT x.module_id, x.v, x.total, x.user_id, x.name, x.tid, NULL::text[] AS items, NULL::boolean[] AS ss,
             NULL::text[] AS responses, e.c, e.k_up, e.k_low, e.edge_no
      FROM scoped x JOIN edge e ON ${byTotal('e', 'x')}
      WHERE x.user_id IS NOT NULL AND NOT x.split
      UNION ALL
      SELECT x.module_id, x.v, x.total, x.user_id, x.name, NULL, x.items, x.ss, x.responses, e.c, e.k_up, e.k_low, e.edge_no
      FROM split_learner x JOIN edge e ON ${byTotal('e', 'x')}),
    edge_place AS (
      SELECT * FROM (
        SELECT module_id, v, tid, items, ss, responses,
               CASE WHEN 2 * k_up > c THEN -(place > k_up)::int ELSE (place <= k_up)::int END AS up,
               CASE WHEN 2 * k_low > c THEN -(place > k_low)::int ELSE (place <= k_low)::int END AS low
        FROM (SELECT *, row_number() OVER (PARTITION BY edge_no ORDER BY name COLLATE "C", user_id) AS place
              FROM edge_learner) x) p
      WHERE up <> 0 OR low <> 0),
    edge_pick AS (
      SELECT p.module_id, p.v, p.up, p.low, l.items, l.correct AS ss, l.responses
      FROM edge_place p JOIN kpi_post_latest l ON l.ctid = p.tid
      UNION ALL
      SELECT module_id, v, up, low, items, ss, responses FROM edge_place WHERE tid IS NULL),
    -- Answers per module version, question, response and total.
    opt AS (
      SELECT module_id, v, item_id, response, total, sum(learners) AS learners, sum(correct) AS correct
      FROM (
        SELECT l.module_id, coalesce(l.module_version, 0) AS v, l.item_id, l.response, l.total, l.learners,
               l.correct
        FROM kpi_post_option l WHERE ${inScope}
        UNION ALL
        SELECT a.module_id, a.v, x.item_id, x.response, a.total, a.w, a.w * x.s::int
        FROM adjust a CROSS JOIN LATERAL unnest(a.items, a.ss, a.responses) AS x(item_id, s, response)) y
      GROUP BY module_id, v, item_id, response, total),
    sums AS (
      SELECT o.module_id, o.v, o.item_id, o.response, sum(o.learners) AS learners,
             coalesce(sum(o.learners) FILTER (WHERE b.up), 0) AS up,
             coalesce(sum(o.learners) FILTER (WHERE b.low), 0) AS low,
             sum(o.correct) AS sx, sum(o.correct * o.total) AS sxt,
             coalesce(sum(o.correct) FILTER (WHERE b.up), 0) AS su,
             coalesce(sum(o.correct) FILTER (WHERE b.low), 0) AS sl
      FROM opt o JOIN whole b ON ${byTotal('b', 'o')}
      GROUP BY o.module_id, o.v, o.item_id, o.response
      UNION ALL
      SELECT p.module_id, p.v, x.item_id, x.response, 0, sum(p.up), sum(p.low), 0, 0,
             sum(p.up * x.s::int), sum(p.low * x.s::int)
      FROM edge_pick p CROSS JOIN LATERAL unnest(p.items, p.ss, p.responses) AS x(item_id, s, response)
      GROUP BY p.module_id, p.v, x.item_id, x.response)
    SELECT s.module_id, s.v, s.item_id, s.response, m.n, m.st, m.stt, m.g, sum(s.learners) AS learners,
           sum(s.up) AS up, sum(s.low) AS low, sum(s.sx) AS sx, sum(s.sxt) AS sxt, sum(s.su) AS su,
           sum(s.sl) AS sl
    FROM sums s JOIN mv m ON m.module_id = s.module_id AND m.v = s.v
    GROUP BY s.module_id, s.v, s.item_id, s.response, m.n, m.st, m.stt, m.g
    HAVING sum(s.learners) > 0`;
}
