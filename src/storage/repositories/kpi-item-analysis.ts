import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema.js';
import { itemSumsSql } from './kpi-item-sums-sql.js';
import { latestAnswersFromFacts, splitAnswersFromFacts } from './kpi-post-answers-sql.js';
import { byWholeDays, rollupConditions, rollupDayConditions, rosterCte } from './kpi-scope-sql.js';
import type { ItemRow, KpiScope, OptionRow } from '../../reports/kpi/model.js';

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/**
 * CTEs ending in `learner (module_id, v, user_id, name, total, items, ss, responses)`: one row per
 * assigned learner and module version with post-test answers, with the latest attempt's questions as
 * parallel arrays (ss boolean) and its total of correct questions.
 *
 * With a date range of whole UTC days: from kpi_post_attempt_day (migration 0071); another date range:
 * from the facts. Without (for a cohort or one learner; other scopes read sums, see
 * kpi-item-sums-sql.ts): from kpi_post_latest (migration 0067). A learner's module version whose rows
 * there are marked split (answers under several courses or programs, or a version both absent and 0,
 * whose latest attempt may span rows) is recomputed from that learner's own facts through the actor
 * index, and its other rows are left out, so the result is the facts path's always.
 */
function learnerCtes(scope: KpiScope): RawBuilder<unknown> {
  const roster = rosterCte(scope);
  const onRoster = sql`r.home_page = l.actor_home_page AND r.name = l.actor_name`;
  if ((scope.from || scope.to) && byWholeDays(scope)) {
    // Whole UTC days: each learner's latest attempt within the range from kpi_post_attempt_day (0071),
    // the attempt's newest answer time in the range being the max over its days there, so the
    // learner's row with the newest answer time names it. A learner with one row in the range (almost
    // all) has that row as it stands; one with several merges the rows of that attempt question by
    // question (an attempt spread over days).
    return sql`
      ${roster},
      day_rows AS MATERIALIZED (
        SELECT d.module_id, coalesce(d.module_version, 0) AS v, r.user_id, r.name, d.registration, d.last_at,
               d.items, d.correct, d.responses
        FROM kpi_post_attempt_day d JOIN roster r ON r.home_page = d.actor_home_page AND r.name = d.actor_name
        WHERE ${rollupDayConditions(scope, 'd')}),
      newest AS MATERIALIZED (
        SELECT DISTINCT ON (module_id, v, user_id) module_id, v, user_id, name, registration, items, correct,
               responses, count(*) OVER (PARTITION BY module_id, v, user_id) AS rows_in_range
        FROM day_rows
        ORDER BY module_id, v, user_id, last_at DESC, registration DESC NULLS LAST),
      merged AS (
        SELECT x.module_id, x.v, x.user_id, x.name, a.item_id, bool_or(a.s) AS s, max(a.response) AS response
        FROM newest n
        JOIN day_rows x ON x.module_id = n.module_id AND x.v = n.v AND x.user_id = n.user_id
          AND x.registration IS NOT DISTINCT FROM n.registration
        CROSS JOIN LATERAL unnest(x.items, x.correct, x.responses) AS a(item_id, s, response)
        WHERE n.rows_in_range > 1
        GROUP BY x.module_id, x.v, x.user_id, x.name, a.item_id),
      learner AS (
        SELECT module_id, v, user_id, name, cardinality(array_positions(correct, true)) AS total, items,
               correct AS ss, responses
        FROM newest WHERE rows_in_range = 1
        UNION ALL
        SELECT module_id, v, user_id, name, sum(s::int), array_agg(item_id), array_agg(s), array_agg(response)
        FROM merged GROUP BY module_id, v, user_id, name)`;
  }
  if (!scope.from && !scope.to) {
    return sql`
      ${roster},
      split AS MATERIALIZED (
        SELECT DISTINCT l.module_id, coalesce(l.module_version, 0) AS v, r.user_id, r.name, r.home_page
        FROM kpi_post_latest l JOIN roster r ON ${onRoster}
        WHERE ${rollupConditions(scope, 'l')} AND l.split),
      split_answered AS (${splitAnswersFromFacts(scope)}),
      learner AS (
        SELECT l.module_id, coalesce(l.module_version, 0) AS v, r.user_id, r.name, l.total, l.items,
               l.correct AS ss, l.responses
        FROM kpi_post_latest l JOIN roster r ON ${onRoster}
        WHERE ${rollupConditions(scope, 'l')}
          AND NOT EXISTS (SELECT 1 FROM split sp WHERE sp.module_id = l.module_id
                            AND sp.v = coalesce(l.module_version, 0) AND sp.user_id = r.user_id)
        UNION ALL
        SELECT module_id, v, user_id, name, sum(s::int), array_agg(item_id), array_agg(s), array_agg(response)
        FROM split_answered GROUP BY module_id, v, user_id, name)`;
  }
  return sql`
    ${roster},
    answered AS (${latestAnswersFromFacts(
      scope,
      sql`kpi_statement f JOIN roster r ON r.home_page = f.actor_home_page AND r.name = f.actor_name`,
      'r',
    )}),
    learner AS (
      SELECT module_id, v, user_id, name, sum(s::int) AS total, array_agg(item_id) AS items,
             array_agg(s) AS ss, array_agg(response) AS responses
      FROM answered GROUP BY module_id, v, user_id, name)`;
}

/**
 * Classical item analysis of post-test questions per module version, over each assigned learner's
 * latest post-test attempt: difficulty, corrected point-biserial (Pearson r of the item with the rest
 * score) and the upper-lower 27% index, with unanswered questions scored 0, as
 * reports/stats/item-analysis.ts defines them (ties at a group boundary broken by account name, then
 * user id). Options count each choice of a multiple-choice response, plus an omitted row (response
 * null) for learners of the module version who left the question out (for questions someone answered
 * with a response). Items are ordered by module, version and question; options by module, version,
 * question and response (omitted last).
 */
export async function itemAnalysisQuery(
  db: Kysely<Database>,
  scope: KpiScope,
  moduleIds?: readonly string[],
): Promise<{ items: ItemRow[]; options: OptionRow[] }> {
  const wanted = (rows: SumRow[]) =>
    moduleIds === undefined ? rows : rows.filter((r) => moduleIds.includes(String(r.module_id)));
  if (!scope.from && !scope.to && !scope.cohortId && !scope.learnerUserId) {
    // No date range and the whole roster of a course or program, which holds nearly everyone with a
    // row: from the sums kept over kpi_post_latest less the few rows left out (kpi-item-sums-sql.ts).
    // A cohort or one learner leaves out about as many rows as it keeps, or most: ranked below.
    const { rows } = await sql<SumRow>`${itemSumsSql(scope)}`.execute(db);
    return summarize(wanted(rows));
  }
  // Ranking is per module version, so the modules split into two halves, each ranked on its own
  // connection side by side, give the same rows as one query: the report's slowest query then uses
  // both cores once the others are done.
  const parts =
    moduleIds === undefined
      ? [scope]
      : halves(moduleIds).map((ids): KpiScope => ({ ...scope, moduleIds: ids }));
  const results = await Promise.all(parts.map((part) => rankedSums(part).execute(db)));
  return summarize(results.flatMap((r) => r.rows));
}

/** Two halves of a list (the first the longer), or the list itself below two. */
function halves<T>(list: readonly T[]): (readonly T[])[] {
  if (list.length < 2) return list.length ? [list] : [];
  const k = Math.ceil(list.length / 2);
  return [list.slice(0, k), list.slice(k)];
}

/**
 * The item sums of a scope's learners, ranked (no pre-summed rows).
 *
 * Sums only (no learner x item grid): an unanswered question adds 0 to every sum, so the statistics
 * come out as if it were scored 0 (see the correlation below). Learners are sorted once (user_id is
 * unique within a module version, so the ranks number learners): the ascending rank with the same
 * tie-breaks is (learners with a lower total) + (place among equal totals). Each group has
 * max(1, round(0.27 n)) learners, in integers: round half up of 27n/100 is floor((27n + 50) / 100)
 * (UPPER_LOWER_SHARE in reports/stats/item-analysis.ts). Their answers are then
 * unnested (set-returning functions in the select list, in step) and summed per question and whole
 * response; splitting responses into choices and the per-question sums happen on those few rows.
 */
function rankedSums(scope: KpiScope) {
  return sql<SumRow>`
    WITH ${learnerCtes(scope)},
    ranked AS (
      SELECT module_id, v, total, items, ss, responses,
             count(*) OVER mv AS n, sum(total) OVER mv AS st, sum(total * total) OVER mv AS stt,
             greatest(1, (27 * count(*) OVER mv + 50) / 100) AS g,
             row_number() OVER (mv ORDER BY total DESC, name COLLATE "C", user_id)
               <= greatest(1, (27 * count(*) OVER mv + 50) / 100) AS upper,
             count(*) OVER mv - count(*) OVER (mv ORDER BY total DESC)
               + row_number() OVER (mv ORDER BY total DESC, name COLLATE "C", user_id)
               - rank() OVER (mv ORDER BY total DESC) + 1 <= greatest(1, (27 * count(*) OVER mv + 50) / 100) AS lower
      FROM learner
      WINDOW mv AS (PARTITION BY module_id, v)),
    answer AS (
      SELECT module_id, v, total, n, st, stt, g, upper, lower,
             unnest(items) AS item_id, unnest(ss) AS s, unnest(responses) AS response
      FROM ranked)
    SELECT module_id, v, item_id, response, max(n) AS n, max(st) AS st, max(stt) AS stt, max(g) AS g,
           count(*) AS learners, count(*) FILTER (WHERE upper) AS up, count(*) FILTER (WHERE lower) AS low,
           count(*) FILTER (WHERE s) AS sx, sum(total) FILTER (WHERE s) AS sxt,
           count(*) FILTER (WHERE s AND upper) AS su, count(*) FILTER (WHERE s AND lower) AS sl
    FROM answer GROUP BY module_id, v, item_id, response`;
}

/** Sums over the learners of one module version who gave one response (or none) to one question. */
interface SumRow {
  module_id: string;
  v: number | string;
  item_id: string;
  response: string | null;
  /** Learners of the module version, their total scores summed and squared-summed, group size. */
  n: string;
  st: string;
  stt: string;
  g: string;
  learners: string;
  up: string;
  low: string;
  sx: string;
  sxt: string;
  su: string | null;
  sl: string | null;
}

interface Question {
  moduleId: string;
  v: number;
  itemId: string;
  n: number;
  st: number;
  stt: number;
  g: number;
  sx: number;
  sxt: number;
  su: number;
  sl: number;
  /** Learners who gave a response (any). */
  answered: Counts;
  /** Learners per chosen option. */
  choices: Map<string, Counts>;
}

/** Learners overall and in the upper and lower groups. */
type Counts = [number, number, number];

function add(to: Counts, counts: Counts): void {
  to[0] += counts[0];
  to[1] += counts[1];
  to[2] += counts[2];
}

function summarize(rows: readonly SumRow[]): { items: ItemRow[]; options: OptionRow[] } {
  const questions = new Map<string, Question>();
  for (const r of rows) {
    const key = JSON.stringify([r.module_id, num(r.v), r.item_id]);
    let q = questions.get(key);
    if (!q) {
      q = {
        moduleId: String(r.module_id),
        v: num(r.v),
        itemId: String(r.item_id),
        n: num(r.n),
        st: num(r.st),
        stt: num(r.stt),
        g: num(r.g),
        sx: 0,
        sxt: 0,
        su: 0,
        sl: 0,
        answered: [0, 0, 0],
        choices: new Map(),
      };
      questions.set(key, q);
    }
    q.sx += num(r.sx);
    q.sxt += num(r.sxt);
    q.su += num(r.su);
    q.sl += num(r.sl);
    if (r.response === null) continue;
    const counts: Counts = [num(r.learners), num(r.up), num(r.low)];
    add(q.answered, counts);
    // A multiple-choice response names its choices joined by "[,]" (xAPI Data 2.4.4.1.1): each choice
    // counts once for the learner who picked it (as string_to_array: an empty response picks none).
    for (const choice of r.response === '' ? [] : r.response.split('[,]')) {
      const sums: Counts = q.choices.get(choice) ?? [0, 0, 0];
      add(sums, counts);
      q.choices.set(choice, sums);
    }
  }
  const ordered = [...questions.values()].sort(
    (a, b) => compare(a.moduleId, b.moduleId) || a.v - b.v || compare(a.itemId, b.itemId),
  );
  const items: ItemRow[] = [];
  const options: OptionRow[] = [];
  for (const q of ordered) {
    const { n, sx, sxt, st, stt, g } = q;
    // Pearson r of item score x (0/1) with the rest score y = total - x over all n learners:
    // sum y = st - sx, sum xy = sxt - sx, sum y^2 = stt - 2 sxt + sx (x^2 = x).
    const sy = st - sx;
    const sxy = sxt - sx;
    const syy = stt - 2 * sxt + sx;
    const vx = n * sx - sx * sx;
    const vy = n * syy - sy * sy;
    const ref = { moduleId: q.moduleId, moduleVersion: q.v || null, itemId: q.itemId };
    items.push({
      ...ref,
      learners: n,
      difficulty: sx / n,
      pointBiserial: vx > 0 && vy > 0 ? (n * sxy - sx * sy) / Math.sqrt(vx * vy) : null,
      upperLowerIndex: q.su / g - q.sl / g,
    });
    for (const [response, [count, upperCount, lowerCount]] of [...q.choices].sort(([a], [b]) =>
      compare(a, b),
    )) {
      options.push({ ...ref, response, count, upperCount, lowerCount });
    }
    // Learners of the module version who left the question out: the omitted row.
    const [answered, answeredUp, answeredLow] = q.answered;
    if (answered > 0 && n - answered > 0) {
      options.push({
        ...ref,
        response: null,
        count: n - answered,
        upperCount: g - answeredUp,
        lowerCount: g - answeredLow,
      });
    }
  }
  return { items, options };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
