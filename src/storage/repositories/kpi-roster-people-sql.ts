import { sql, type RawBuilder } from 'kysely';
import type { KpiScope } from './kpi-scope-sql.js';

/**
 * The same people as `rosterSql(scope)` — one row per assigned learner, `(user_id, home_page, name,
 * display_name)` — without the cohort column. Queries that only need who is assigned use it: filtering
 * lti_user by EXISTS needs no DISTINCT ON over the enrollment x cohort fan-out, costs about half the
 * roster at 10,000 learners, and leaves the planner lti_user's statistics for the join that follows.
 *
 * Equivalence with rosterSql, case by case: a course scope keeps users with an active learner
 * enrollment in the course, narrowed (cohort scope) to those whose person is a member of the cohort (of
 * the program, when the scope names one); a program scope keeps users whose person is a member of the
 * program's cohorts (of the one cohort when named); a learner scope keeps that one user. A test checks
 * both give the same people for each kind of scope.
 */
export function rosterPeopleSql(scope: KpiScope): RawBuilder<unknown> {
  const t = scope.tenantId;
  const parts: RawBuilder<unknown>[] = [sql`u.tenant_id = ${t}`];
  if (scope.learnerUserId) parts.push(sql`u.id = ${scope.learnerUserId}`);
  if (scope.courseId) {
    parts.push(sql`EXISTS (
      SELECT 1 FROM enrollment e
      WHERE e.tenant_id = ${t} AND e.user_id = u.id AND e.context_id = ${scope.courseId}
        AND e.role_kind = 'learner' AND e.status = 'active')`);
  }
  if (!scope.courseId || scope.cohortId) {
    const program = scope.courseId
      ? scope.programId
        ? sql`AND cm.program_id = ${scope.programId}`
        : sql``
      : sql`AND cm.program_id = ${scope.programId ?? null}`;
    parts.push(sql`EXISTS (
      SELECT 1 FROM person p JOIN cohort_member cm ON cm.tenant_id = p.tenant_id AND cm.person_id = p.id
      WHERE p.tenant_id = ${t} AND p.lms_user_id = u.id ${program}
        ${scope.cohortId ? sql`AND cm.cohort_id = ${scope.cohortId}` : sql``})`);
  }
  return sql`
    SELECT u.id AS user_id, u.xapi_home_page AS home_page, u.xapi_name AS name,
           coalesce(u.name, u.email, u.sub) AS display_name
    FROM lti_user u
    WHERE ${sql.join(parts, sql` AND `)}`;
}
