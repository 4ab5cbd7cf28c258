import { sql, type RawBuilder } from 'kysely';
import { rollupDayConditions, rosterCte } from './kpi-scope-sql.js';
import type { AnswerCountRow, ItemRespondents, KpiScope, VersionRange } from '../../reports/kpi/model.js';

/** Rows of `surveyAnswersSql`: per response (per_item 0) or per item's several-row respondents (1). */
export type SurveyRow = Record<string, unknown>;

/**
 * The survey-answer rollup's rows (kpi_survey_answer, migration 0068) counted in the scope, as `a`
 * columns (module_id, item_id, response, anonymous, answers, who), `who` naming the respondent (the
 * account name of an anonymous answer, else the learner). Anonymous answers count by course/program
 * scope alone unless the scope names a cohort or a learner; then, like named ones, only the roster's.
 * `only` narrows the rows further.
 */
function answerRows(scope: KpiScope, narrowed: boolean, only: RawBuilder<unknown>): RawBuilder<unknown> {
  const anonymousAlone = sql`
    SELECT s.module_id, s.module_version AS version, s.item_id, s.response, s.anonymous, s.answers, s.multi,
           s.actor_name AS who
    FROM kpi_survey_answer s
    WHERE ${rollupDayConditions(scope, 's')} AND s.answers > 0 AND s.anonymous AND ${only}
    UNION ALL`;
  return sql`
    ${narrowed ? sql`` : anonymousAlone}
    SELECT s.module_id, s.module_version AS version, s.item_id, s.response, s.anonymous, s.answers, s.multi,
           CASE WHEN s.anonymous THEN s.actor_name ELSE r.user_id::text END AS who
    FROM kpi_survey_answer s JOIN roster r ON r.home_page = s.actor_home_page AND r.name = s.actor_name
    WHERE ${rollupDayConditions(scope, 's')} AND s.answers > 0 AND ${only}
      ${narrowed ? sql`` : sql`AND NOT s.anonymous`}`;
}

/**
 * Survey answers per item and response in a scope without a date range or with one of whole UTC days,
 * with what it takes to count each item's respondents without a DISTINCT over every answer: a row not
 * marked `multi` (migration 0074) is its respondent's only row of the item, so those are counted
 * (`single`), and only the multi rows' respondents are told apart (per_item rows). `whos` counts rows
 * with a respondent, `anon` whether one of them was anonymous; `v_first` and `v_last` the oldest and newest
 * module version answers were given in (per-response rows only).
 */
export function surveyAnswersSql(scope: KpiScope, narrowed: boolean): RawBuilder<SurveyRow> {
  const multi = sql`(s.multi OR s.item_id IS NULL)`;
  return sql<SurveyRow>`
    WITH ${rosterCte(scope)}
    SELECT module_id, item_id, response, sum(answers) AS n, 0 AS per_item,
           count(*) FILTER (WHERE who IS NOT NULL AND NOT multi) AS single,
           count(*) FILTER (WHERE who IS NOT NULL) AS whos,
           coalesce(bool_or(anonymous) FILTER (WHERE who IS NOT NULL), false) AS anon,
           min(version) AS v_first, max(version) AS v_last
    FROM (${answerRows(scope, narrowed, sql`true`)}) a
    GROUP BY module_id, item_id, response
    UNION ALL
    SELECT module_id, item_id, NULL, count(DISTINCT who), 1, 0, count(*), bool_or(anonymous), NULL, NULL
    FROM (${answerRows(scope, narrowed, multi)}) a
    WHERE who IS NOT NULL
    GROUP BY module_id, item_id`;
}

/** Answer counts and respondents from the rows of `surveyAnswersSql`. */
export function surveyFromRows(rows: readonly SurveyRow[]): {
  counts: AnswerCountRow[];
  respondents: ItemRespondents[];
} {
  const counts: AnswerCountRow[] = [];
  const items = new Map<string, ItemRespondents & { whos: number }>();
  for (const r of rows) {
    const moduleId = String(r.module_id);
    const itemId = String(r.item_id);
    const key = JSON.stringify([moduleId, itemId]);
    const item = items.get(key) ?? {
      moduleId,
      itemId,
      respondents: 0,
      anonymous: false,
      whos: 0,
      versions: null,
    };
    items.set(key, item);
    item.versions = widen(item.versions ?? null, r.v_first, r.v_last);
    // A multi row's respondent is counted by the DISTINCT; every other row with one is one respondent.
    item.respondents += Number(Number(r.per_item) === 1 ? r.n : r.single);
    item.whos += Number(r.whos);
    item.anonymous ||= Boolean(r.anon);
    if (Number(r.per_item) === 0) {
      counts.push({ moduleId, itemId, response: String(r.response), count: Number(r.n) });
    }
  }
  const respondents = [...items.values()]
    .filter((i) => i.whos > 0)
    .map(({ moduleId, itemId, respondents: n, anonymous, versions }) => ({
      moduleId,
      itemId,
      respondents: n,
      anonymous,
      versions,
    }));
  return { counts, respondents };
}

/** The version range `range` widened by a row's oldest and newest version (null when the row has none). */
function widen(range: VersionRange | null, first: unknown, last: unknown): VersionRange | null {
  if (first === null || first === undefined || last === null || last === undefined) return range;
  const f = Number(first);
  const l = Number(last);
  return range ? { first: Math.min(range.first, f), last: Math.max(range.last, l) } : { first: f, last: l };
}
