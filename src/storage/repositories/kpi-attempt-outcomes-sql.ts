import { sql, type RawBuilder } from 'kysely';
import { byWholeDays, factConditions, rollupDayConditions, rosterCte } from './kpi-scope-sql.js';
import { DEFAULT_KPI_RULES } from '../../cohorts/model.js';
import type { KpiScope } from '../../reports/kpi/model.js';

/** One row per assigned learner and module with a pre- or post-test attempt (attemptOutcomesSql). */
export interface AttemptOutcomeRow {
  module_id: string;
  user_id: string;
  /** Share correct of the first attempt with pre-test answers. */
  pre: number | null;
  /** Share correct of the completed post-test attempt the policy picks. */
  post: number | null;
  /** Completed post-test attempts (with a passed or failed verdict). */
  completed_attempts: number;
  /** The picked attempt's verdict; null without a completed attempt. */
  mastered: boolean | null;
  /** The first completed attempt failed and a later one passed. */
  passed_on_retake: boolean;
  /** The first completed attempt passed and a later one failed. */
  failed_after_pass: boolean;
}

/**
 * Each assigned learner's pre score and post-test outcome per module, under the scope's attempt policy
 * (docs/kpi-reports.md, "Definitions": `mastery`, `pre-post`), over the attempts in the scope's range.
 *
 * An attempt is a registration. A completed post-test attempt has a `passed` or `failed` verdict (its
 * newest one, when resent); its score is the share of its post-test answers correct. Attempts are
 * ordered by their newest answer (a verdict-only attempt by its verdict), ties broken by registration
 * (a null one first): the order kpi_post_latest uses for the question analysis, so "latest" means the
 * same everywhere. `first` picks the first completed attempt, `latest` the last, `best` the highest score
 * (mastered when any completed attempt passed). The pre score is always the first attempt's.
 *
 * Attempts are read from kpi_attempt_outcome (migration 0096, one row per attempt and day) when the scope's
 * dates are whole UTC days (byWholeDays), from the facts otherwise; both give the same rows.
 */
export function attemptOutcomesSql(scope: KpiScope, ordered = true): RawBuilder<AttemptOutcomeRow> {
  const policy = (scope.rules ?? DEFAULT_KPI_RULES).attemptPolicy;
  const post =
    policy === 'first'
      ? sql`max(score) FILTER (WHERE n_first = 1)`
      : policy === 'latest'
        ? sql`max(score) FILTER (WHERE n_latest = 1)`
        : sql`max(score)`;
  const mastered =
    policy === 'first'
      ? sql`bool_or(passed) FILTER (WHERE n_first = 1)`
      : policy === 'latest'
        ? sql`bool_or(passed) FILTER (WHERE n_latest = 1)`
        : sql`bool_or(passed)`;
  return sql<AttemptOutcomeRow>`
    WITH ${rosterCte(scope)},
    ${byWholeDays(scope) ? rollupAttempts(scope) : factAttempts(scope)},
    ranked AS (
      SELECT *,
             row_number() OVER (PARTITION BY module_id, user_id ORDER BY at, registration NULLS FIRST) AS n_first,
             row_number() OVER (PARTITION BY module_id, user_id ORDER BY at DESC, registration DESC NULLS LAST) AS n_latest
      FROM completed),
    outcome AS (
      SELECT module_id, user_id, count(*) AS completed_attempts, ${post} AS post, ${mastered} AS mastered,
             coalesce(bool_or(NOT passed) FILTER (WHERE n_first = 1) AND bool_or(passed) FILTER (WHERE n_first > 1), false)
               AS passed_on_retake,
             coalesce(bool_or(passed) FILTER (WHERE n_first = 1) AND bool_or(NOT passed) FILTER (WHERE n_first > 1), false)
               AS failed_after_pass
      FROM ranked GROUP BY 1, 2),
    first_pre AS (
      SELECT DISTINCT ON (module_id, user_id) module_id, user_id, score FROM pre
      ORDER BY module_id, user_id, at, registration NULLS FIRST)
    SELECT module_id, user_id, p.score AS pre, o.post, coalesce(o.completed_attempts, 0) AS completed_attempts,
           o.mastered, coalesce(o.passed_on_retake, false) AS passed_on_retake,
           coalesce(o.failed_after_pass, false) AS failed_after_pass
    FROM first_pre p FULL JOIN outcome o USING (module_id, user_id)
    ${ordered ? sql`ORDER BY module_id, user_id` : sql``}`;
}

/**
 * The CTEs `completed` (module_id, user_id, registration, passed, score, at: each attempt with a verdict,
 * its newest verdict by time, then seq; the share of its post-test answers correct; its newest post-test
 * answer's time, else the verdict's) and `pre` (module_id, user_id, registration, score, at: each attempt
 * with pre-test answers, the share correct and the newest answer's time) from the facts in the scope's range.
 */
function factAttempts(scope: KpiScope): RawBuilder<unknown> {
  const onRoster = sql`r.home_page = f.actor_home_page AND r.name = f.actor_name`;
  return sql`
    ans AS (
      SELECT f.module_id, r.user_id, f.item_kind AS phase, f.registration,
             avg(f.success::int)::double precision AS score, max(f."timestamp") AS last_at
      FROM kpi_statement f JOIN roster r ON ${onRoster}
      WHERE ${factConditions(scope)} AND f.verb = 'answered' AND f.item_kind IN ('pre', 'post')
        AND f.success IS NOT NULL AND f.module_id IS NOT NULL
      GROUP BY 1, 2, 3, 4),
    verdict AS (
      SELECT DISTINCT ON (f.module_id, r.user_id, f.registration)
             f.module_id, r.user_id, f.registration, f.verb = 'passed' AS passed, f."timestamp" AS at
      FROM kpi_statement f JOIN roster r ON ${onRoster}
      WHERE ${factConditions(scope)} AND f.verb IN ('passed', 'failed') AND f.module_id IS NOT NULL
      ORDER BY f.module_id, r.user_id, f.registration, f."timestamp" DESC, f.seq DESC),
    completed AS (
      SELECT v.module_id, v.user_id, v.registration, v.passed, a.score, coalesce(a.last_at, v.at) AS at
      FROM verdict v LEFT JOIN ans a ON a.phase = 'post' AND a.module_id = v.module_id
        AND a.user_id = v.user_id AND a.registration IS NOT DISTINCT FROM v.registration),
    pre AS (SELECT module_id, user_id, registration, score, last_at AS at FROM ans WHERE phase = 'pre')`;
}

/**
 * `completed` and `pre` as factAttempts gives them, from the attempt-day rollup (a scope of whole UTC
 * days): each attempt's rows (its days, versions, programs) summed once (`att`; the share correct divided
 * in numeric, as avg() divides), its newest answers and verdict (time, then seq) taken over them.
 */
function rollupAttempts(scope: KpiScope): RawBuilder<unknown> {
  const onRoster = sql`r.home_page = k.actor_home_page AND r.name = k.actor_name`;
  return sql`
    att AS MATERIALIZED (
      SELECT k.module_id, r.user_id, k.registration,
             (sum(k.pre_correct)::numeric / nullif(sum(k.pre_scored), 0))::double precision AS pre,
             max(k.pre_last_at) AS pre_at,
             (sum(k.post_correct)::numeric / nullif(sum(k.post_scored), 0))::double precision AS post,
             max(k.post_last_at) AS post_at,
             (array_agg(k.verdict_passed ORDER BY k.verdict_at DESC, k.verdict_seq DESC)
                FILTER (WHERE k.verdict_at IS NOT NULL))[1] AS passed,
             max(k.verdict_at) AS verdict_at
      FROM kpi_attempt_outcome k JOIN roster r ON ${onRoster}
      WHERE ${rollupDayConditions(scope, 'k')}
      GROUP BY 1, 2, 3),
    completed AS (
      SELECT module_id, user_id, registration, passed, post AS score, coalesce(post_at, verdict_at) AS at
      FROM att WHERE verdict_at IS NOT NULL),
    pre AS (SELECT module_id, user_id, registration, pre AS score, pre_at AS at FROM att WHERE pre_at IS NOT NULL)`;
}

/**
 * Per module: learners with a completed post-test attempt (`scored`), of them mastered under the policy
 * (`passed`), and the retake counts; over attemptOutcomesSql's rows.
 */
export function masteryCountsSql(scope: KpiScope): RawBuilder<Record<string, string>> {
  return sql<Record<string, string>>`
    SELECT module_id, count(*) FILTER (WHERE completed_attempts > 0) AS scored,
           count(*) FILTER (WHERE mastered) AS passed,
           count(*) FILTER (WHERE completed_attempts > 1) AS retook,
           count(*) FILTER (WHERE passed_on_retake) AS passed_on_retake,
           count(*) FILTER (WHERE failed_after_pass) AS failed_after_pass
    FROM (${attemptOutcomesSql(scope, false)}) o
    GROUP BY module_id`;
}

/**
 * Per module, in one pass over attemptOutcomesSql's rows: the moments of the pre/post pairs (as
 * scorePairsSql.moments computes them, in percent) and the mastery and retake counts (as
 * masteryCountsSql), so a report reads the facts' attempts once for both.
 */
export function moduleOutcomesSql(scope: KpiScope): RawBuilder<Record<string, string | number | null>> {
  const both = sql`pre IS NOT NULL AND post IS NOT NULL`;
  return sql<Record<string, string | number | null>>`
    SELECT module_id,
           count(*) FILTER (WHERE ${both}) AS pairs, avg(pre) FILTER (WHERE ${both}) AS pre_mean,
           avg(post) FILTER (WHERE ${both}) AS post_mean, avg(post - pre) FILTER (WHERE ${both}) AS diff_mean,
           stddev_samp(post - pre) FILTER (WHERE ${both}) AS diff_sd,
           count(*) FILTER (WHERE ${both} AND pre <> 100) AS included,
           avg((post - pre) / (100 - pre)) FILTER (WHERE ${both} AND pre <> 100) AS mean_gain,
           count(*) FILTER (WHERE completed_attempts > 0) AS scored, count(*) FILTER (WHERE mastered) AS passed,
           count(*) FILTER (WHERE completed_attempts > 1) AS retook,
           count(*) FILTER (WHERE passed_on_retake) AS passed_on_retake,
           count(*) FILTER (WHERE failed_after_pass) AS failed_after_pass
    FROM (SELECT module_id, pre * 100 AS pre, post * 100 AS post, completed_attempts, mastered, passed_on_retake,
                 failed_after_pass
          FROM (${attemptOutcomesSql(scope, false)}) o) b
    GROUP BY module_id`;
}
