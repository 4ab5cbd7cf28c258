import { sql, type RawBuilder } from 'kysely';
import type { KpiScope, RosterPage } from '../../reports/kpi/model.js';
import { DEFAULT_KPI_RULES } from '../../cohorts/model.js';

/**
 * Conditions on kpi_statement alias `f` for everything in the scope except people (the roster CTE
 * decides who counts). Always leads with the tenant and skips voided facts.
 */
export function factConditions(scope: KpiScope, alias = 'f'): RawBuilder<unknown> {
  const f = sql.raw(alias);
  const parts: RawBuilder<unknown>[] = [sql`${f}.tenant_id = ${scope.tenantId}`, sql`NOT ${f}.voided`];
  if (scope.courseId) parts.push(sql`${f}.course_id = ${scope.courseId}`);
  if (scope.programId) parts.push(sql`${f}.program_id = ${scope.programId}`);
  if (scope.moduleId) parts.push(sql`${f}.module_id = ${scope.moduleId}`);
  if (scope.moduleIds) parts.push(sql`${f}.module_id = ANY(${scope.moduleIds}::uuid[])`);
  if (scope.moduleVersion !== undefined) parts.push(sql`${f}.module_version = ${scope.moduleVersion}`);
  if (scope.from) parts.push(sql`${f}."timestamp" >= ${scope.from}`);
  if (scope.to) parts.push(sql`${f}."timestamp" < ${scope.to}`);
  return sql.join(parts, sql` AND `);
}

/**
 * Conditions on a KPI rollup (migration 0063 on) for the scope's tenant, course, program, module and
 * version. Rollups hold non-voided facts only and know no exact timestamps: callers use them only when
 * the scope has no date range.
 */
export function rollupConditions(scope: KpiScope, alias: string): RawBuilder<unknown> {
  const w = sql.raw(alias);
  const parts: RawBuilder<unknown>[] = [sql`${w}.tenant_id = ${scope.tenantId}`];
  if (scope.courseId) parts.push(sql`${w}.course_id = ${scope.courseId}`);
  if (scope.programId) parts.push(sql`${w}.program_id = ${scope.programId}`);
  if (scope.moduleId) parts.push(sql`${w}.module_id = ${scope.moduleId}`);
  if (scope.moduleIds) parts.push(sql`${w}.module_id = ANY(${scope.moduleIds}::uuid[])`);
  if (scope.moduleVersion !== undefined) parts.push(sql`${w}.module_version = ${scope.moduleVersion}`);
  return sql.join(parts, sql` AND `);
}

/** The UTC day of a UTC midnight, YYYY-MM-DD. */
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const isMidnight = (d: Date | undefined) => d === undefined || d.getTime() % 86_400_000 === 0;

/**
 * True when the scope's date bounds, if any, fall on UTC midnights (the report pages' date filters are
 * whole UTC days): rollups kept by day (`day` column) then answer it exactly.
 */
export function byWholeDays(scope: KpiScope): boolean {
  return isMidnight(scope.from) && isMidnight(scope.to);
}

/**
 * `rollupConditions` plus the scope's date range on a rollup kept by UTC day (`alias.day`); only for
 * scopes where `byWholeDays` holds.
 */
export function rollupDayConditions(scope: KpiScope, alias: string): RawBuilder<unknown> {
  if (!byWholeDays(scope)) throw new Error('a day rollup answers only date ranges of whole UTC days');
  const w = sql.raw(alias);
  const parts: RawBuilder<unknown>[] = [rollupConditions(scope, alias)];
  if (scope.from) parts.push(sql`${w}.day >= ${isoDay(scope.from)}::date`);
  if (scope.to) parts.push(sql`${w}.day < ${isoDay(scope.to)}::date`);
  return sql.join(parts, sql` AND `);
}

/**
 * The assigned learners of the scope as a CTE body `(user_id, home_page, name, display_name, cohort_id)`:
 * a course's learner enrollments, or a program's cohort members linked to an LMS user; narrowed to one
 * cohort or one learner when the scope says so. This is the denominator of every rate. Under the
 * scope's denominator rule `assigned` (the default, intention to treat) ended enrollments count too;
 * under `enrolled-now` only active ones (a program's members: with an active learner enrollment in a
 * course linking one of its modules). A course scope with an end date (`to`) counts the enrollments
 * made before it (`enrolled_at`, migration 0156; unknown dates count), so a learner enrolled after
 * the range is not in its denominator.
 *
 * Each user appears once. Only `withCohort` fills `cohort_id` (the roster list shows it), joining the
 * cohorts; otherwise the people are lti_user rows kept by EXISTS, with no fan-out over a person's
 * cohorts to collapse again: a course scope keeps users with an active learner enrollment, narrowed (a
 * cohort scope) to those whose person is in the cohort (of the program, when the scope names one); a
 * program scope keeps users whose person is in the program's cohorts (the one cohort when named). A test
 * checks both forms give the same people for every kind of scope.
 */
export function rosterSql(scope: KpiScope, options: { withCohort?: boolean } = {}): RawBuilder<unknown> {
  const t = scope.tenantId;
  const enrolledNow = (scope.rules ?? DEFAULT_KPI_RULES).denominator === 'enrolled-now';
  // Intention to treat (the default) keeps ended enrollments: a learner stays in the denominator.
  const active = enrolledNow ? sql`AND e.status = 'active'` : sql``;
  // As of the report's end date: enrollments made by then (an unknown date, before migration 0156, counts).
  const byEnd = scope.to ? sql`AND (e.enrolled_at IS NULL OR e.enrolled_at < ${scope.to})` : sql``;
  // A program's members enrolled now: an active learner enrollment in a course linking a program module.
  const stillEnrolled =
    enrolledNow && !scope.courseId
      ? sql`AND EXISTS (
          SELECT 1 FROM enrollment e
          JOIN module_link l ON l.tenant_id = e.tenant_id AND l.context_id = e.context_id
          JOIN module m ON m.tenant_id = l.tenant_id AND m.id = l.module_id AND m.program_id = ${scope.programId ?? null}
          WHERE e.tenant_id = ${t} AND e.user_id = u.id AND e.role_kind = 'learner' AND e.status = 'active')`
      : sql``;
  const columns = sql`u.id AS user_id, u.xapi_home_page AS home_page, u.xapi_name AS name,
           coalesce(u.name, u.email, u.sub) AS display_name`;
  const learner = sql.join(
    [
      sql``,
      ...(scope.learnerUserId ? [sql`u.id = ${scope.learnerUserId}`] : []),
      ...(scope.learnerUserIds ? [sql`u.id = ANY(${[...scope.learnerUserIds]}::uuid[])`] : []),
    ],
    sql` AND `,
  );
  const cohort = scope.cohortId ? sql`AND cm.cohort_id = ${scope.cohortId}` : sql``;
  const program = scope.courseId
    ? scope.programId
      ? sql`AND cm.program_id = ${scope.programId}`
      : sql``
    : sql`AND cm.program_id = ${scope.programId ?? null}`;
  if (!options.withCohort) {
    const enrolled = scope.courseId
      ? sql`AND EXISTS (
          SELECT 1 FROM enrollment e
          WHERE e.tenant_id = ${t} AND e.user_id = u.id AND e.context_id = ${scope.courseId}
            AND e.role_kind = 'learner' ${active} ${byEnd})`
      : sql``;
    const member =
      !scope.courseId || scope.cohortId
        ? sql`AND EXISTS (
          SELECT 1 FROM person p JOIN cohort_member cm ON cm.tenant_id = p.tenant_id AND cm.person_id = p.id
          WHERE p.tenant_id = ${t} AND p.lms_user_id = u.id ${program} ${cohort})`
        : sql``;
    return sql`
      SELECT ${columns}, NULL::uuid AS cohort_id
      FROM lti_user u
      WHERE u.tenant_id = ${t} ${learner} ${enrolled} ${member} ${stillEnrolled}`;
  }
  if (scope.courseId) {
    // A person may sit in cohorts of several programs; without a program in the scope, one is shown.
    return sql`
      SELECT DISTINCT ON (u.id) ${columns}, cm.cohort_id
      FROM enrollment e
      JOIN lti_user u ON u.tenant_id = e.tenant_id AND u.id = e.user_id
      LEFT JOIN person p ON p.tenant_id = u.tenant_id AND p.lms_user_id = u.id
      LEFT JOIN cohort_member cm ON cm.tenant_id = p.tenant_id AND cm.person_id = p.id ${program}
      WHERE e.tenant_id = ${t} AND e.context_id = ${scope.courseId} AND e.role_kind = 'learner'
        ${active} ${byEnd} ${cohort} ${learner}`;
  }
  return sql`
    SELECT ${columns}, cm.cohort_id
    FROM cohort_member cm
    JOIN person p ON p.tenant_id = cm.tenant_id AND p.id = cm.person_id
    JOIN lti_user u ON u.tenant_id = p.tenant_id AND u.id = p.lms_user_id
    WHERE cm.tenant_id = ${t} ${program} ${cohort} ${learner} ${stillEnrolled}`;
}

/** The scope's roster as the CTE `roster`, computed once per query. */
export const rosterCte = (scope: KpiScope): RawBuilder<unknown> =>
  sql`roster AS MATERIALIZED (${rosterSql(scope)})`;

/**
 * The scope's roster as the CTE `roster`, or one page of it in display-name order (then user id), so
 * a paged list reads the facts of that page's learners only.
 */
export const rosterPageCte = (scope: KpiScope, page?: RosterPage): RawBuilder<unknown> =>
  page
    ? sql`roster AS MATERIALIZED (
        SELECT * FROM (${rosterSql(scope)}) x ORDER BY display_name, user_id LIMIT ${page.limit} OFFSET ${page.offset})`
    : rosterCte(scope);
