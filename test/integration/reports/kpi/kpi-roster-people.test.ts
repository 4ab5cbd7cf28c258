import assert from 'node:assert/strict';
import { sql, type RawBuilder } from 'kysely';
import { useTestDatabase } from '../../../support/test-database.js';
import { insertCourseWorld } from '../../../fixtures/course-world.js';
import { rosterSql } from '../../../../src/storage/repositories/kpi-scope-sql.js';
import type { CourseWorld } from '../../../../src/dev/synthetic/course-world.js';
import type { KpiScope } from '../../../../src/reports/kpi/model.js';

describe('KPI roster: its people without the cohort column and with it', () => {
  const database = useTestDatabase();
  let world: CourseWorld;
  let otherCohortId: string;

  async function people(body: RawBuilder<unknown>): Promise<string[]> {
    const { rows } = await sql<{ row: string }>`
      SELECT json_build_array(user_id, home_page, name, display_name)::text AS row FROM (${body}) r`.execute(
      database().db,
    );
    return rows.map((r) => r.row).sort();
  }

  before(async function () {
    this.timeout(60000);
    const { db } = database();
    ({ world } = await insertCourseWorld(db, { seed: 41, learners: 12, modules: 1 }));
    const t = world.tenantId;
    // A second program whose cohort holds some of the same people: the roster's cohort join fans out.
    const { rows } = await sql<{ id: string }>`
      WITH p AS (INSERT INTO program (tenant_id, name) VALUES (${t}, 'Second program') RETURNING id),
      c AS (INSERT INTO cohort (tenant_id, program_id, name, arm, source)
            SELECT ${t}, id, 'Second cohort', 'treatment', 'csv' FROM p RETURNING id, program_id)
      INSERT INTO cohort_member (tenant_id, program_id, person_id, cohort_id)
      SELECT ${t}, c.program_id, m.person_id, c.id FROM c
      CROSS JOIN (SELECT DISTINCT person_id FROM cohort_member WHERE tenant_id = ${t} LIMIT 5) m
      RETURNING cohort_id AS id`.execute(db);
    otherCohortId = rows[0]!.id;
    // One learner's enrollment turns inactive: not on any course roster.
    await sql`
      UPDATE enrollment SET status = 'inactive'
      WHERE tenant_id = ${t} AND context_id = ${world.courseId} AND user_id = ${world.learners[1]!.userId}`.execute(
      db,
    );
  });

  it('gives the same people as the roster for every kind of scope', async () => {
    const t = world.tenantId;
    const course = { tenantId: t, courseId: world.courseId };
    const program = { tenantId: t, programId: world.programId! };
    const scopes: [string, KpiScope][] = [
      ['course', course],
      ['course and cohort', { ...course, cohortId: world.cohorts!.treatmentId }],
      [
        'course, program and cohort',
        { ...course, programId: world.programId!, cohortId: world.cohorts!.controlId },
      ],
      ['course and the other program cohort', { ...course, cohortId: otherCohortId }],
      [
        'course, program and a cohort of another program',
        { ...course, programId: world.programId!, cohortId: otherCohortId },
      ],
      ['course and learner', { ...course, learnerUserId: world.learners[0]!.userId }],
      ['course and inactive learner', { ...course, learnerUserId: world.learners[1]!.userId }],
      ['program', program],
      ['program and cohort', { ...program, cohortId: world.cohorts!.controlId }],
      ['program and learner', { ...program, learnerUserId: world.learners[2]!.userId }],
      ['neither course nor program', { tenantId: t }],
    ];
    let nonEmpty = 0;
    for (const [name, scope] of scopes) {
      const want = await people(rosterSql(scope, { withCohort: true }));
      assert.deepEqual(await people(rosterSql(scope)), want, name);
      if (want.length > 0) nonEmpty++;
    }
    assert.ok(nonEmpty >= 8, 'most scopes have people');
  });
});
