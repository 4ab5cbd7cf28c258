import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import {
  byWholeDays,
  factConditions,
  rollupDayConditions,
  rosterCte,
  rosterPageCte,
  rosterSql,
} from './kpi-scope-sql.js';
import { learnerModuleSql, type LearnerSummaryRow } from './kpi-learner-module-sql.js';
import { scorePairsSql } from './kpi-score-pairs-sql.js';
import { learnerListSql, type LearnerClassing } from './kpi-learner-list-sql.js';
import { attemptOutcomesSql, masteryCountsSql, moduleOutcomesSql } from './kpi-attempt-outcomes-sql.js';
import { DEFAULT_KPI_RULES } from '../../cohorts/model.js';
import { surveyAnswersSql, surveyFromRows } from './kpi-survey-sql.js';

import { itemAnalysisQuery } from './kpi-item-analysis.js';
import type {
  AnswerCountRow,
  EnrollmentWindow,
  ItemRespondents,
  ItemRow,
  KpiRules,
  KpiScope,
  LearnerModuleRow,
  LearnerAnswerRow,
  MasteryCounts,
  ModuleCounts,
  ModuleRef,
  OptionRow,
  QualityCounts,
  RosterPage,
  ScoreMoments,
  ScorePair,
  TimeOnTaskRow,
  WeekRow,
} from '../../reports/kpi/model.js';
import type {
  ClassifiedLearnerRow,
  LearnerPageQuery,
  LearnerPageRows,
  LearnerStatus,
} from '../../reports/kpi/model.js';

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A row of learnerListSql (kpi-learner-list-sql.ts). */
const classifiedRow = (r: Record<string, unknown>): ClassifiedLearnerRow => ({
  userId: String(r.user_id),
  displayName: String(r.display_name),
  email: (r.email as string | null) ?? null,
  lmsUserId: String(r.sub),
  modulesStarted: num(r.started),
  modulesCompleted: num(r.completed),
  seconds: numOrNull(r.secs),
  lastActivity: (r.last as Date | null) ?? null,
  modulesFailing: num(r.failing),
  status: r.status as LearnerStatus,
  stalled: Boolean(r.stalled),
});

const countsOf = (r: Record<string, unknown>): ModuleCounts => ({
  moduleId: String(r.module_id),
  started: num(r.started),
  completed: num(r.completed),
  scored: num(r.scored),
  passed: num(r.passed),
});

const timeOf = (r: Record<string, unknown>): TimeOnTaskRow => ({
  moduleId: String(r.module_id),
  learners: num(r.learners),
  medianSeconds: num(r.median),
  p90Seconds: num(r.p90),
  sessions: num(r.sessions),
  estimatedSessions: num(r.estimated),
});

/**
 * SQL for KPI reports, over kpi_statement (migration 0060) and the roster tables. Every query names its
 * tenant; the people counted are always the scope's roster (assigned learners), so a stray actor never
 * inflates a rate. `db` may be a read replica.
 */
export function createKpiRepository(db: Kysely<Database>) {
  const roster = rosterCte;
  const onRoster = sql`r.home_page = f.actor_home_page AND r.name = f.actor_name`;

  const repository = {
    /** Modules of the course (its resource links) or of the program, by title. */
    async modules(scope: KpiScope): Promise<ModuleRef[]> {
      const { rows } = await sql<{ id: string; title: string; versions: number[] }>`
        SELECT DISTINCT m.id, m.title,
               ARRAY(SELECT v.version FROM module_version v
                     WHERE v.tenant_id = m.tenant_id AND v.module_id = m.id AND v.status = 'published'
                     ORDER BY v.version) AS versions
        FROM module m
        ${scope.courseId ? sql`JOIN module_link l ON l.tenant_id = m.tenant_id AND l.module_id = m.id AND l.context_id = ${scope.courseId}` : sql``}
        WHERE m.tenant_id = ${scope.tenantId}
          ${scope.programId && !scope.courseId ? sql`AND m.program_id = ${scope.programId}` : sql``}
          ${scope.moduleId ? sql`AND m.id = ${scope.moduleId}` : sql``}
        ORDER BY m.title`.execute(db);
      return rows;
    },

    /** The roster: assigned learners with their cohort. */
    async roster(
      scope: KpiScope,
    ): Promise<{ userId: string; name: string; displayName: string; cohortId: string | null }[]> {
      const { rows } = await sql<{
        user_id: string;
        name: string;
        display_name: string;
        cohort_id: string | null;
      }>`
        WITH roster AS (${rosterSql(scope, { withCohort: true })})
        SELECT * FROM roster ORDER BY display_name, user_id`.execute(db);
      return rows.map((r) => ({
        userId: r.user_id,
        name: r.name,
        displayName: r.display_name,
        cohortId: r.cohort_id,
      }));
    },

    async rosterSize(scope: KpiScope): Promise<number> {
      const { rows } = await sql<{
        n: string;
      }>`WITH ${roster(scope)} SELECT count(*) AS n FROM roster`.execute(db);
      return num(rows[0]?.n);
    },

    /**
     * Distinct assigned learners per module who started, completed, were scored, passed. Without a
     * date range from the learner x module rollup (migration 0066).
     */
    async moduleCounts(scope: KpiScope): Promise<ModuleCounts[]> {
      const { rows } = await (
        !byWholeDays(scope)
          ? sql<Record<string, string>>`
        WITH ${roster(scope)}
        SELECT f.module_id,
               count(DISTINCT r.user_id) FILTER (WHERE f.verb IN ('launched', 'initialized')) AS started,
               count(DISTINCT r.user_id) FILTER (WHERE f.verb = 'completed') AS completed,
               count(DISTINCT r.user_id) FILTER (WHERE f.verb IN ('passed', 'failed')) AS scored,
               count(DISTINCT r.user_id) FILTER (WHERE f.verb = 'passed') AS passed
        FROM kpi_statement f JOIN roster r ON ${onRoster}
        WHERE ${factConditions(scope)} AND f.module_id IS NOT NULL
          AND f.verb IN ('launched', 'initialized', 'completed', 'passed', 'failed')
        GROUP BY f.module_id`
          : learnerModuleSql.moduleCounts(scope)
      ).execute(db);
      return rows.map(countsOf);
    },

    /**
     * Time on task per module: each learner's summed session durations, then type-7 quantiles. Durations
     * are summed in whole microseconds (exact), so the total does not depend on the order of the facts.
     * Without a date range, or with one of whole UTC days, from the learner x module rollup (migration
     * 0066), in the pass `moduleActivity` makes.
     */
    async timeOnTask(scope: KpiScope): Promise<TimeOnTaskRow[]> {
      if (byWholeDays(scope)) return (await repository.moduleActivity(scope)).time;
      const { rows } = await sql<Record<string, string | number>>`
        WITH ${roster(scope)},
        per AS (
          SELECT f.module_id, r.user_id,
                 sum(round(f.duration_seconds * 1e6)) / 1e6 AS secs,
                 count(*) AS sessions,
                 count(*) FILTER (WHERE f.duration_estimated OR f.verb = 'abandoned') AS estimated
          FROM kpi_statement f JOIN roster r ON ${onRoster}
          WHERE ${factConditions(scope)} AND f.verb IN ('terminated', 'abandoned')
            AND f.duration_seconds IS NOT NULL AND f.module_id IS NOT NULL
          GROUP BY f.module_id, r.user_id)
        SELECT module_id, count(*) AS learners,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) AS median,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY secs) AS p90,
               sum(sessions) AS sessions, sum(estimated) AS estimated
        FROM per GROUP BY module_id`.execute(db);
      return rows.map(timeOf);
    },

    /**
     * `moduleCounts` and `timeOnTask` of one scope together: without a date range or with one of whole
     * UTC days in one pass over the learner x module rollup (one roster join instead of two).
     */
    async moduleActivity(scope: KpiScope): Promise<{ counts: ModuleCounts[]; time: TimeOnTaskRow[] }> {
      if (!byWholeDays(scope)) {
        const [counts, time] = await Promise.all([
          repository.moduleCounts(scope),
          repository.timeOnTask(scope),
        ]);
        return { counts, time };
      }
      const { rows } = await learnerModuleSql.moduleActivity(scope).execute(db);
      return {
        counts: rows.filter((r) => r.counted).map(countsOf),
        time: rows.filter((r) => num(r.learners) > 0).map(timeOf),
      };
    },

    /**
     * Pre and post scores per assigned learner and module under the scope's attempt policy: the share of
     * correct answers in the learner's first attempt with pre-test answers, and in the completed post-test
     * attempt the policy picks (kpi-attempt-outcomes-sql.ts): from kpi_attempt_outcome for whole UTC days, else
     * from the facts in the scope's range.
     */
    async scorePairs(scope: KpiScope): Promise<ScorePair[]> {
      const { rows } = await attemptOutcomesSql(scope).execute(db);
      return rows.map((r) => ({
        moduleId: r.module_id,
        userId: r.user_id,
        pre: numOrNull(r.pre),
        post: numOrNull(r.post),
      }));
    },

    /**
     * Per module, the moments of `scorePairs` that a pre/post change is computed from (ScoreMoments in
     * reports/kpi/score-change.ts), summed in SQL: a course's 38,000 pairs never reach Node.
     */
    async scoreMoments(scope: KpiScope): Promise<({ moduleId: string } & ScoreMoments)[]> {
      const { rows } = await scorePairsSql.moments(attemptOutcomesSql(scope, false)).execute(db);
      return rows.map((r) => ({
        moduleId: String(r.module_id),
        pairs: num(r.pairs),
        preMean: numOrNull(r.pre_mean),
        postMean: numOrNull(r.post_mean),
        diffMean: numOrNull(r.diff_mean),
        diffSd: numOrNull(r.diff_sd),
        included: num(r.included),
        meanLearnerGain: numOrNull(r.mean_gain),
      }));
    },

    /**
     * `scoreMoments` and `masteryCounts` of one scope from one read of the facts' attempts (what a report
     * without cohort columns needs).
     */
    async moduleOutcomes(
      scope: KpiScope,
    ): Promise<{ moments: ({ moduleId: string } & ScoreMoments)[]; mastery: MasteryCounts[] }> {
      const { rows } = await moduleOutcomesSql(scope).execute(db);
      return {
        moments: rows
          .filter((r) => num(r.pairs) > 0)
          .map((r) => ({
            moduleId: String(r.module_id),
            pairs: num(r.pairs),
            preMean: numOrNull(r.pre_mean),
            postMean: numOrNull(r.post_mean),
            diffMean: numOrNull(r.diff_mean),
            diffSd: numOrNull(r.diff_sd),
            included: num(r.included),
            meanLearnerGain: numOrNull(r.mean_gain),
          })),
        mastery: rows.map((r) => ({
          moduleId: String(r.module_id),
          scored: num(r.scored),
          passed: num(r.passed),
          retook: num(r.retook),
          passedOnRetake: num(r.passed_on_retake),
          failedAfterPass: num(r.failed_after_pass),
        })),
      };
    },

    /**
     * Per module, mastery under the scope's attempt policy (learners with a completed post-test attempt,
     * of them mastered) and the retake counts reported beside it.
     */
    async masteryCounts(scope: KpiScope): Promise<MasteryCounts[]> {
      const { rows } = await masteryCountsSql(scope).execute(db);
      return rows.map((r) => ({
        moduleId: String(r.module_id),
        scored: num(r.scored),
        passed: num(r.passed),
        retook: num(r.retook),
        passedOnRetake: num(r.passed_on_retake),
        failedAfterPass: num(r.failed_after_pass),
      }));
    },

    /**
     * Assigned learners no longer enrolled (withdrawn): the scope's roster under `assigned` less its roster
     * under `enrolled-now`, whatever rule the scope itself uses.
     */
    async withdrawnCount(scope: KpiScope): Promise<number> {
      const rule = (denominator: 'assigned' | 'enrolled-now'): KpiScope => ({
        ...scope,
        rules: { ...(scope.rules ?? DEFAULT_KPI_RULES), denominator },
      });
      const { rows } = await sql<{ n: string }>`
        SELECT (SELECT count(*) FROM (${rosterSql(rule('assigned'))}) a)
             - (SELECT count(*) FROM (${rosterSql(rule('enrolled-now'))}) b) AS n`.execute(db);
      return num(rows[0]?.n);
    },

    /**
     * Classical item analysis of post-test questions per module version over each assigned learner's
     * latest post-test attempt (see kpi-item-analysis.ts); without a date range from the sums over
     * kpi_post_latest (migration 0073), or for a cohort or one learner from kpi_post_latest (0067).
     * With `moduleIds`, only those modules (a report's): ranked, in two queries side by side.
     */
    itemAnalysis: (
      scope: KpiScope,
      moduleIds?: readonly string[],
    ): Promise<{ items: ItemRow[]; options: OptionRow[] }> => itemAnalysisQuery(db, scope, moduleIds),

    /**
     * Survey answers (phase survey) counted per item and response, with each item's distinct
     * respondents. Anonymous answers cannot be tied to the roster, so they are counted by course/program
     * scope alone; when the scope names a cohort or a learner only the roster's answers count. Without a
     * date range, or with one of whole UTC days, from the kpi_survey_answer rollup (migrations 0068,
     * 0074; see kpi-survey-sql.ts), else from the facts.
     */
    async surveyAnswers(
      scope: KpiScope,
    ): Promise<{ counts: AnswerCountRow[]; respondents: ItemRespondents[] }> {
      const narrowed = Boolean(scope.cohortId || scope.learnerUserId);
      if (byWholeDays(scope)) {
        const { rows } = await surveyAnswersSql(scope, narrowed).execute(db);
        return surveyFromRows(rows);
      }
      const source = sql`
          SELECT f.module_id, f.module_version AS version, f.item_id, f.response, f.anonymous, 1 AS answers,
                 CASE WHEN f.anonymous THEN f.actor_name ELSE r.user_id::text END AS who
          FROM kpi_statement f LEFT JOIN roster r ON ${onRoster}
          WHERE ${factConditions(scope)} AND f.verb = 'answered' AND f.item_kind = 'survey'
            AND f.response IS NOT NULL AND f.response <> '' AND f.module_id IS NOT NULL
            AND (r.user_id IS NOT NULL OR (f.anonymous AND ${!narrowed}))`;
      // Answers per response, and respondents per item from the distinct (item, respondent) pairs: two
      // hash aggregates over the same rows rather than one sort for a DISTINCT count per grouping set.
      const { rows } = await sql<Record<string, unknown>>`
        WITH ${roster(scope)}, a AS MATERIALIZED (${source})
        SELECT module_id, item_id, response, sum(answers) AS n, 0 AS per_item, 0 AS single, 0 AS whos,
               false AS anon, min(version) AS v_first, max(version) AS v_last
        FROM a GROUP BY module_id, item_id, response
        UNION ALL
        SELECT module_id, item_id, NULL, count(*), 1, 0, 1, bool_or(anonymous), NULL, NULL
        FROM (SELECT module_id, item_id, who, bool_or(anonymous) AS anonymous FROM a WHERE who IS NOT NULL
              GROUP BY module_id, item_id, who) d
        GROUP BY module_id, item_id`.execute(db);
      return surveyFromRows(rows);
    },

    /** Manager observations (phase observation) of assigned learners, per behaviour item and level. */
    async observations(
      scope: KpiScope,
    ): Promise<{ counts: AnswerCountRow[]; respondents: ItemRespondents[] }> {
      const facts = sql`
        WITH ${roster(scope)},
        a AS (
          SELECT DISTINCT ON (f.module_id, f.item_id, r.user_id) f.module_id, f.item_id, f.response, r.user_id
          FROM kpi_statement f JOIN roster r ON r.home_page = f.observed_home_page AND r.name = f.observed_name
          WHERE ${factConditions(scope)} AND f.verb = 'answered' AND f.item_kind = 'observation'
            AND f.response IS NOT NULL AND f.module_id IS NOT NULL
          ORDER BY f.module_id, f.item_id, r.user_id, f."timestamp" DESC)`;
      // One row per learner and item (DISTINCT ON), so the learners of an item are its rows: no
      // count(DISTINCT) over them.
      const { rows } = await sql<Record<string, unknown>>`
        ${facts}
        SELECT module_id, item_id, response, count(*) AS n, GROUPING(response) AS per_item
        FROM a GROUP BY GROUPING SETS ((module_id, item_id, response), (module_id, item_id))`.execute(db);
      const counts = rows.filter((r) => Number(r.per_item) === 0);
      const resp = rows.filter((r) => Number(r.per_item) === 1);
      return {
        counts: counts.map((r) => ({
          moduleId: String(r.module_id),
          itemId: String(r.item_id),
          response: String(r.response),
          count: num(r.n),
        })),
        respondents: resp.map((r) => ({
          moduleId: String(r.module_id),
          itemId: String(r.item_id),
          respondents: num(r.n),
          anonymous: false,
        })),
      };
    },

    /**
     * Per ISO week (UTC Monday): learners who started a module, completed one, or did anything. Without
     * a date range, or with one of whole UTC days, it reads the learner-day rollup (migration 0070)
     * grouped by week; other ranges count the facts themselves.
     */
    async weekly(scope: KpiScope): Promise<WeekRow[]> {
      // Started = a learner's first launch of a module (whenever the range starts), so a module resumed
      // in a later week is not started again; completed and active count the week's own statements.
      const unscoped: KpiScope = { ...scope, from: undefined, to: undefined };
      const inRange = sql.join(
        [
          sql`true`,
          ...(scope.from ? [sql`first >= ${scope.from}`] : []),
          ...(scope.to ? [sql`first < ${scope.to}`] : []),
        ],
        sql` AND `,
      );
      const { rows } = await sql<{ week: string; started: string; completed: string; active: string }>`${
        !byWholeDays(scope)
          ? sql`
        WITH ${roster(scope)},
        firsts AS (
          SELECT r.user_id, min(f."timestamp") AS first
          FROM kpi_statement f JOIN roster r ON ${onRoster}
          WHERE ${factConditions(unscoped)} AND f.verb = 'launched'
          GROUP BY r.user_id, f.module_id),
        starts AS (
          SELECT to_char(date_trunc('week', first AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week,
                 count(DISTINCT user_id) AS started
          FROM firsts WHERE ${inRange} GROUP BY 1),
        weeks AS (
          SELECT to_char(date_trunc('week', f."timestamp" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week,
                 count(DISTINCT r.user_id) FILTER (WHERE f.verb = 'completed') AS completed,
                 count(DISTINCT r.user_id) AS active
          FROM kpi_statement f JOIN roster r ON ${onRoster}
          WHERE ${factConditions(scope)}
          GROUP BY 1)
        SELECT w.week, coalesce(s.started, 0) AS started, w.completed, w.active
        FROM weeks w LEFT JOIN starts s USING (week) ORDER BY 1`
          : sql`
        WITH ${roster(scope)},
        firsts AS (
          SELECT r.user_id, min(k.first_launch_at) AS first
          FROM kpi_learner_module k JOIN roster r ON r.home_page = k.actor_home_page AND r.name = k.actor_name
          WHERE ${rollupDayConditions(unscoped, 'k')} AND k.launched > 0
          GROUP BY r.user_id, k.module_id),
        starts AS (
          SELECT date_trunc('week', (first AT TIME ZONE 'UTC')::date) AS monday, count(DISTINCT user_id) AS started
          FROM firsts WHERE ${inRange} GROUP BY 1),
        -- Each learner once per week (a hash aggregate), then counted: cheaper than two DISTINCT counts.
        per AS (
          SELECT date_trunc('week', w.day) AS monday, r.user_id, bool_or(w.completed > 0) AS completed
          FROM kpi_learner_day w JOIN roster r ON r.home_page = w.actor_home_page AND r.name = w.actor_name
          WHERE ${rollupDayConditions(scope, 'w')} AND w.statements > 0
          GROUP BY 1, 2),
        weeks AS (
          SELECT monday, count(*) FILTER (WHERE completed) AS completed, count(*) AS active FROM per GROUP BY monday)
        SELECT to_char(w.monday, 'YYYY-MM-DD') AS week, coalesce(s.started, 0) AS started, w.completed, w.active
        FROM weeks w LEFT JOIN starts s USING (monday) ORDER BY w.monday`
      }`.execute(db);
      return rows.map((r) => ({
        week: r.week,
        started: num(r.started),
        completed: num(r.completed),
        active: num(r.active),
      }));
    },

    /**
     * Enrollment before and after a campaign: assigned learners whose first launch (in the scope's
     * modules) fell in [date - days, date) and in [date, date + days), each out of those not started
     * before their window. The scope's date range does not apply; first launches come from the learner x
     * module rollup (migration 0066).
     */
    async enrollmentAround(
      scope: KpiScope,
      date: Date,
      days: number,
    ): Promise<{ before: EnrollmentWindow; after: EnrollmentWindow }> {
      const unscoped: KpiScope = { ...scope, from: undefined, to: undefined };
      const { rows } = await sql<Record<string, string>>`
        WITH ${roster(unscoped)},
        firsts AS (${learnerModuleSql.firstLaunches(unscoped)}),
        w AS (SELECT ${date}::timestamptz - make_interval(days => ${days}) AS b, ${date}::timestamptz AS c,
                     ${date}::timestamptz + make_interval(days => ${days}) AS e)
        SELECT
          (SELECT count(*) FROM roster) AS assigned,
          count(*) FILTER (WHERE first < w.b) AS before_window,
          count(*) FILTER (WHERE first >= w.b AND first < w.c) AS started_before,
          count(*) FILTER (WHERE first >= w.c AND first < w.e) AS started_after
        FROM w LEFT JOIN firsts ON true
        GROUP BY w.b, w.c, w.e`.execute(db);
      const r = rows[0] ?? {};
      const assigned = num(r.assigned);
      const priorBefore = num(r.before_window);
      const startedBefore = num(r.started_before);
      return {
        before: { eligible: assigned - priorBefore, started: startedBefore },
        after: { eligible: assigned - priorBefore - startedBefore, started: num(r.started_after) },
      };
    },

    /**
     * Counts behind the data-quality panel, in two passes over the scope's facts: one aggregate per
     * actor (statement and missing-field counts, then matched against LMS users and the roster), and
     * one for duplicates (same actor, verb, module, item, attempt and timestamp).
     */
    async quality(scope: KpiScope): Promise<QualityCounts> {
      const unpeopled: KpiScope = { ...scope, cohortId: undefined, learnerUserId: undefined };
      const { rows } = await sql<Record<string, string>>`
        WITH ${roster(unpeopled)},
        per_actor AS MATERIALIZED (
          SELECT f.actor_home_page, f.actor_name, bool_or(f.anonymous) AS anonymous, count(*) AS n,
                 count(*) FILTER (WHERE f.module_version IS NULL) AS missing_version,
                 count(*) FILTER (WHERE f.assignment_id IS NULL) AS missing_assignment,
                 count(*) FILTER (WHERE f.campaign_id IS NULL AND m.program_id IS NOT NULL) AS missing_campaign
          FROM kpi_statement f
          LEFT JOIN module m ON m.tenant_id = f.tenant_id AND m.id = f.module_id
          WHERE ${factConditions(unpeopled)}
          GROUP BY f.actor_home_page, f.actor_name),
        unmatched AS (
          SELECT a.n FROM per_actor a
          WHERE NOT a.anonymous AND NOT EXISTS (
            SELECT 1 FROM lti_user u WHERE u.tenant_id = ${scope.tenantId}
              AND u.xapi_home_page = a.actor_home_page AND u.xapi_name = a.actor_name)),
        dup AS (
          SELECT count(*) - 1 AS extra FROM kpi_statement f
          WHERE ${factConditions(unpeopled)}
          GROUP BY f.actor_home_page, f.actor_name, f.verb, f.module_id, f.item_kind, f.item_id, f.registration,
                   f."timestamp"
          HAVING count(*) > 1),
        -- Each session's span (its first statement to its terminated) against the duration it stored (the
        -- statement's own, before time on task capped it to the span: migration 0155).
        sess AS (
          SELECT max(coalesce(f.stored_duration_seconds, f.duration_seconds)) FILTER (WHERE f.verb = 'terminated')
                   AS stored,
                 extract(epoch FROM max(f."timestamp") FILTER (WHERE f.verb = 'terminated') - min(f."timestamp"))
                   AS span
          FROM kpi_statement f
          WHERE ${factConditions(unpeopled)} AND f.session_id IS NOT NULL AND f.module_id IS NOT NULL
          GROUP BY f.session_id
          HAVING bool_or(f.verb = 'terminated' AND f.duration_seconds IS NOT NULL))
        SELECT
          (SELECT count(*) FROM sess) AS ended_sessions,
          (SELECT count(*) FROM sess WHERE stored > span + 1) AS overlong_sessions,
          (SELECT coalesce(sum(n), 0) FROM per_actor) AS statements,
          (SELECT coalesce(sum(missing_version), 0) FROM per_actor) AS missing_version,
          (SELECT coalesce(sum(missing_assignment), 0) FROM per_actor) AS missing_assignment,
          (SELECT coalesce(sum(missing_campaign), 0) FROM per_actor) AS missing_campaign,
          (SELECT coalesce(sum(n), 0) FROM unmatched) AS unmatched_statements,
          (SELECT count(*) FROM unmatched) AS unmatched_actors,
          (SELECT coalesce(sum(extra), 0) FROM dup) AS duplicates,
          (SELECT count(DISTINCT r.user_id) FROM per_actor a
             JOIN roster r ON r.home_page = a.actor_home_page AND r.name = a.actor_name) AS with_events,
          (SELECT count(*) FROM roster) AS enrolled`.execute(db);
      const r = rows[0]!;
      return {
        statements: num(r.statements),
        missingModuleVersion: num(r.missing_version),
        missingAssignmentId: num(r.missing_assignment),
        missingCampaignId: num(r.missing_campaign),
        unmatchedActorStatements: num(r.unmatched_statements),
        unmatchedActors: num(r.unmatched_actors),
        duplicateStatements: num(r.duplicates),
        learnersWithEvents: num(r.with_events),
        enrolledLearners: num(r.enrolled),
        endedSessions: num(r.ended_sessions),
        overlongSessions: num(r.overlong_sessions),
      };
    },

    /**
     * Every assigned learner with how many modules they started and completed, for the drill-down list,
     * in display-name order; with `page`, that page of them. Without a date range, or with one of whole
     * UTC days, from the learner x module rollup (migration 0066).
     */
    async learnerSummaries(
      scope: KpiScope,
      page?: RosterPage,
    ): Promise<
      { userId: string; displayName: string; started: number; completed: number; lastActivity: Date | null }[]
    > {
      const { rows } = await (
        !byWholeDays(scope)
          ? sql<LearnerSummaryRow>`
        WITH ${rosterPageCte(scope, page)},
        f AS (SELECT f.actor_home_page, f.actor_name, f.module_id, f.verb, f."timestamp"
              FROM kpi_statement f JOIN roster r ON ${onRoster}
              WHERE ${factConditions(scope)} AND f.verb IN ('launched', 'initialized', 'completed')
                AND f.module_id IS NOT NULL)
        SELECT r.user_id, r.display_name,
               count(DISTINCT f.module_id) FILTER (WHERE f.verb IN ('launched', 'initialized')) AS started,
               count(DISTINCT f.module_id) FILTER (WHERE f.verb = 'completed') AS completed,
               max(f."timestamp") FILTER (WHERE f.verb IN ('launched', 'completed')) AS last
        FROM roster r LEFT JOIN f ON ${onRoster}
        GROUP BY r.user_id, r.display_name ORDER BY r.display_name, r.user_id`
          : learnerModuleSql.learnerSummaries(scope, page)
      ).execute(db);
      return rows.map((r) => ({
        userId: r.user_id,
        displayName: r.display_name,
        started: num(r.started),
        completed: num(r.completed),
        lastActivity: r.last,
      }));
    },

    /** One learner's modules: what they did, best score, time. */
    async learnerModules(scope: KpiScope & { learnerUserId: string }): Promise<LearnerModuleRow[]> {
      const { rows } = await sql<Record<string, unknown>>`
        WITH ${roster(scope)}
        SELECT f.module_id,
               bool_or(f.verb IN ('launched', 'initialized')) AS started,
               bool_or(f.verb = 'completed') AS completed,
               bool_or(f.verb = 'passed') AS passed,
               max(f.score_scaled) FILTER (WHERE f.verb IN ('passed', 'failed')) AS best,
               sum(f.duration_seconds) FILTER (WHERE f.verb IN ('terminated', 'abandoned')) AS secs,
               count(*) FILTER (WHERE f.verb IN ('terminated', 'abandoned')) AS sessions,
               max(f."timestamp") AS last
        FROM kpi_statement f JOIN roster r ON ${onRoster}
        WHERE ${factConditions(scope)} AND f.module_id IS NOT NULL AND f.item_kind IS DISTINCT FROM 'survey'
        GROUP BY f.module_id`.execute(db);
      return rows.map((r) => ({
        moduleId: String(r.module_id),
        started: Boolean(r.started),
        completed: Boolean(r.completed),
        passed: Boolean(r.passed),
        bestScaled: numOrNull(r.best),
        seconds: numOrNull(r.secs),
        sessions: num(r.sessions),
        lastActivity: (r.last as Date | null) ?? null,
      }));
    },

    /**
     * Every assigned learner (display-name order) with email and LMS user id, modules started and
     * completed, summed session time, last activity (the last launch or completion, as in
     * learnerSummaries), failing modules and status (`classing`: the scope's module count and the moment
     * "stalled" is judged at); survey statements are left out (anonymous ones carry no learner anyway).
     * From the learner x module rollup when the scope's range is whole UTC days, else from the facts.
     */
    async learnerActivity(scope: KpiScope, classing: LearnerClassing): Promise<ClassifiedLearnerRow[]> {
      const { rows } = await learnerListSql.everyone(scope, classing).execute(db);
      return rows.map(classifiedRow);
    },

    /**
     * One page of the course report's learner table, searched, filtered, sorted and paged in SQL
     * (kpi-learner-list-sql.ts), with how many learners the search and filter leave and how many the
     * scope assigns; rows as learnerActivity gives them.
     */
    async learnerPage(
      scope: KpiScope,
      query: LearnerPageQuery,
      classing: LearnerClassing,
    ): Promise<LearnerPageRows<ClassifiedLearnerRow>> {
      const { rows } = await learnerListSql.page(scope, query, classing).execute(db);
      return {
        total: num(rows[0]?.total),
        matching: num(rows[0]?.matching),
        rows: rows.filter((r) => r.user_id !== null).map(classifiedRow),
      };
    },

    /**
     * One learner's quiz attempts in the scope, answer by answer in time order: each pre- or post-test
     * answer (registration = attempt) and each passed or failed verdict with its scaled score.
     */
    async learnerAnswers(scope: KpiScope & { learnerUserId: string }): Promise<LearnerAnswerRow[]> {
      const { rows } = await sql<Record<string, unknown>>`
        WITH ${roster(scope)}
        SELECT f.module_id, f.module_version, f.registration, f.phase, f.verb, f.item_id, f.response,
               f.success, f.score_scaled, f."timestamp"
        FROM kpi_statement f JOIN roster r ON ${onRoster}
        WHERE ${factConditions(scope)} AND f.module_id IS NOT NULL
          AND ((f.verb = 'answered' AND f.phase IN ('pre', 'post')) OR f.verb IN ('passed', 'failed'))
        ORDER BY f."timestamp", f.seq`.execute(db);
      return rows.map((r) => ({
        moduleId: String(r.module_id),
        moduleVersion: numOrNull(r.module_version),
        registration: (r.registration as string | null) ?? null,
        phase: (r.phase as string | null) ?? null,
        verb: String(r.verb),
        itemId: (r.item_id as string | null) ?? null,
        response: (r.response as string | null) ?? null,
        success: (r.success as boolean | null) ?? null,
        scoreScaled: numOrNull(r.score_scaled),
        timestamp: r.timestamp as Date,
      }));
    },

    /** Newest statement stored for the tenant (by the seq index) and the database clock, for the freshness line. */
    async freshness(
      scope: KpiScope,
    ): Promise<{ newestStored: Date | null; now: Date; replicaLagSeconds: number | null }> {
      const { rows } = await sql<{ newest: Date | null; now: Date; lag: number | null }>`
        SELECT (SELECT s.stored FROM xapi_statement s WHERE s.tenant_id = ${scope.tenantId}
                ORDER BY s.seq DESC LIMIT 1) AS newest,
               now() AS now,
               CASE WHEN pg_is_in_recovery()
                 THEN extract(epoch FROM now() - pg_last_xact_replay_timestamp())::double precision END AS lag`.execute(
        db,
      );
      const r = rows[0]!;
      return { newestStored: r.newest, now: r.now, replicaLagSeconds: numOrNull(r.lag) };
    },

    /**
     * Programs the scope's modules belong to (or the scope's program), with the campaign date a report
     * compares enrollment around (the program's post window start), and their cohorts.
     */
    async programsOf(scope: KpiScope): Promise<
      {
        id: string;
        name: string;
        campaignDate: string | null;
        cohorts: { id: string; name: string; arm: string }[];
        rules: KpiRules;
      }[]
    > {
      const { rows } = await sql<{
        id: string;
        name: string;
        post_window_start: string | null;
        kpi_attempt_policy: KpiRules['attemptPolicy'];
        kpi_denominator: KpiRules['denominator'];
        cohorts: { id: string; name: string; arm: string }[] | null;
      }>`
        SELECT p.id, p.name, p.post_window_start, p.kpi_attempt_policy, p.kpi_denominator,
               (SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'arm', c.arm) ORDER BY c.arm DESC, c.name)
                FROM cohort c WHERE c.tenant_id = p.tenant_id AND c.program_id = p.id) AS cohorts
        FROM program p
        WHERE p.tenant_id = ${scope.tenantId}
          AND ${
            scope.courseId
              ? sql`p.id IN (SELECT m.program_id FROM module m JOIN module_link l ON l.tenant_id = m.tenant_id
                               AND l.module_id = m.id WHERE m.tenant_id = ${scope.tenantId} AND l.context_id = ${scope.courseId})`
              : sql`p.id = ${scope.programId ?? null}`
          }
        ORDER BY p.name`.execute(db);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        campaignDate: r.post_window_start,
        cohorts: r.cohorts ?? [],
        rules: { attemptPolicy: r.kpi_attempt_policy, denominator: r.kpi_denominator },
      }));
    },

    /**
     * Which learners of the scope's roster sit in each of the given cohorts (a cohort's roster is the
     * scope's roster narrowed to it, as `rosterSql` narrows by `cohortId`).
     */
    async cohortMembers(
      scope: KpiScope,
      cohortIds: string[],
    ): Promise<{ cohortId: string; userId: string }[]> {
      if (cohortIds.length === 0) return [];
      const { rows } = await sql<{ cohort_id: string; user_id: string }>`
        WITH ${roster(scope)}
        SELECT cm.cohort_id, r.user_id
        FROM roster r
        JOIN person p ON p.tenant_id = ${scope.tenantId} AND p.lms_user_id = r.user_id
        JOIN cohort_member cm ON cm.tenant_id = p.tenant_id AND cm.person_id = p.id
        WHERE cm.cohort_id = ANY(${cohortIds}::uuid[])
          ${scope.programId ? sql`AND cm.program_id = ${scope.programId}` : sql``}`.execute(db);
      return rows.map((r) => ({ cohortId: r.cohort_id, userId: r.user_id }));
    },

    /** Published content of module versions, for question texts, keys and survey item types. */
    async moduleContents(
      tenantId: string,
      moduleIds: string[],
    ): Promise<{ moduleId: string; version: number; content: unknown }[]> {
      if (moduleIds.length === 0) return [];
      const rows = await db
        .selectFrom('module_version')
        .select(['module_id', 'version', 'content'])
        .where('tenant_id', '=', tenantId)
        .where('module_id', 'in', moduleIds)
        .where('status', '=', 'published')
        .orderBy('module_id')
        .orderBy('version')
        .execute();
      return rows.map((r) => ({ moduleId: r.module_id, version: r.version, content: r.content }));
    },
  };
  return repository;
}

export type KpiRepository = ReturnType<typeof createKpiRepository>;
