import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { useTestDatabase } from '../../../support/test-database.js';
import { FACTS_EVERYTHING } from '../../../support/kpi-ranges.js';
import {
  assertRejectedBatchLeavesNothing,
  assertSameRows,
  copySmallWorld,
} from '../../../support/rollup-checks.js';
import { createServices } from '../../../../src/services.js';
import { VERBS, iri } from '../../../../src/learning/vocabulary.js';
import { createKpiRepository } from '../../../../src/storage/repositories/kpi-repository.js';
import type { CourseWorld } from '../../../../src/dev/synthetic/course-world.js';
import {
  captureStatement,
  insertWorldWithStatements,
  storeStatements,
  voidingStatements,
  type InsertedWorld,
} from '../../../fixtures/course-world.js';
import type { KpiScope } from '../../../../src/reports/kpi/model.js';

/** The sums (migration 0073) as they should be: recomputed from kpi_post_latest. */
const RECOMPUTED = sql`
  SELECT 'total' AS kind, tenant_id, course_id, program_id, module_id, module_version, NULL AS item_id,
         NULL AS response, total, count(*)::int AS learners, NULL::int AS correct
  FROM kpi_post_latest GROUP BY tenant_id, course_id, program_id, module_id, module_version, total
  UNION ALL
  SELECT 'option', l.tenant_id, l.course_id, l.program_id, l.module_id, l.module_version, a.item_id, a.response,
         l.total, count(*)::int, (count(*) FILTER (WHERE a.s))::int
  FROM kpi_post_latest l CROSS JOIN LATERAL unnest(l.items, l.correct, l.responses) AS a(item_id, s, response)
  GROUP BY l.tenant_id, l.course_id, l.program_id, l.module_id, l.module_version, a.item_id, a.response, l.total`;

const KEPT = sql`
  SELECT 'total' AS kind, tenant_id, course_id, program_id, module_id, module_version, NULL AS item_id,
         NULL AS response, total, learners, NULL::int AS correct
  FROM kpi_post_total
  UNION ALL
  SELECT 'option', tenant_id, course_id, program_id, module_id, module_version, item_id, response, total, learners,
         correct
  FROM kpi_post_option`;

const isPostAnswer = (s: { verb: { id: string }; object: unknown }) =>
  s.verb.id === VERBS.answered && (s.object as { id: string }).id.includes('/post-test/');

/** Every kind of scope item analysis answers without a date range. */
function scopesOf(world: CourseWorld): KpiScope[] {
  const course = { tenantId: world.tenantId, courseId: world.courseId };
  const moduleId = world.modules[0]!.id;
  return [
    course,
    { ...course, moduleId },
    { ...course, moduleId, moduleVersion: 1 },
    { ...course, moduleId, moduleVersion: 7 },
    ...(world.cohorts ? [{ ...course, cohortId: world.cohorts.treatmentId }] : []),
    { ...course, learnerUserId: world.learners[1]!.userId },
    ...(world.programId ? [{ tenantId: world.tenantId, programId: world.programId }] : []),
  ];
}

describe('item analysis from sums over the latest post-test attempts (kpi_post_total, kpi_post_option)', () => {
  const database = useTestDatabase();
  let w: InsertedWorld;

  const assertSumsMatch = () => assertSameRows(KEPT, RECOMPUTED, database().db);
  const store = (statements: object[]) =>
    storeStatements(createServices({ db: database().db }), w.tenantName, statements);

  /** itemAnalysis of every scope equals the facts path's; returns how many items the course has. */
  async function assertSameAsFacts(world: CourseWorld): Promise<number> {
    const repo = createKpiRepository(database().db);
    let courseItems = 0;
    for (const scope of scopesOf(world)) {
      const fromSums = await repo.itemAnalysis(scope);
      assert.deepEqual(
        fromSums,
        await repo.itemAnalysis({ ...scope, ...FACTS_EVERYTHING }),
        JSON.stringify(scope),
      );
      if (Object.keys(scope).length === 2) courseItems = fromSums.items.length;
    }
    return courseItems;
  }

  /** A post-test answer in module 0, version 7, under the course and (like the generator's) the program. */
  function answer(
    who: { sub: string; name: string },
    registration: string,
    item: string,
    response: string,
    success: boolean,
  ) {
    const s = captureStatement(w.world, who, w.world.modules[0]!.id, 'answered', {
      item: { phase: 'post', id: item },
      result: { response, success },
      registration,
      timestamp: '2030-05-01T10:00:00Z',
      version: 7,
    });
    if (w.world.programId) {
      s.context.contextActivities.grouping!.push({ id: iri.program(w.world.tenantId, w.world.programId) });
    }
    return s;
  }

  before(async function () {
    this.timeout(60000);
    w = await insertWorldWithStatements(
      database().db,
      createServices({ db: database().db }),
      { seed: 41, learners: 14, modules: 2 },
      { seed: 5 },
    );
  });

  it('equal a recomputation from kpi_post_latest after statements are stored through the LRS', async () => {
    assert.ok((await assertSumsMatch()) > 20, 'the world has post-test answers');
    assert.ok((await assertSameAsFacts(w.world)) > 5, 'the course has items');
  });

  it('break ties at the group boundaries by name and user id, as the facts path does', async () => {
    // Version 7: every learner answers q1..q3; totals 1 or 2 only, so both 27% boundaries fall inside
    // a run of equal totals.
    const statements = w.world.learners.flatMap((who, i) => {
      const registration = randomUUID();
      return [
        answer(who, registration, 'q1', i % 3 === 0 ? 'a' : 'b', true),
        answer(who, registration, 'q2', i % 2 === 0 ? 'a[,]c' : 'c', i % 3 === 0),
        answer(who, registration, 'q3', i % 5 === 0 ? 'd' : 'a', false),
      ];
    });
    await store(statements);
    await assertSumsMatch();
    const { rows } = await sql<{ total: number; learners: number }>`
      SELECT total, learners FROM kpi_post_total WHERE module_version = 7 AND course_id = ${w.world.courseId}`.execute(
      database().db,
    );
    assert.ok(rows.length === 2 && rows.every((r) => r.learners > 4), 'two runs of equal totals');
    await assertSameAsFacts(w.world);
  });

  it('leave out an actor not on the roster and a learner whose enrollment ended', async () => {
    const stray = { sub: `stray-${randomUUID()}`, name: 'Stray Actor' };
    const registration = randomUUID();
    await store([answer(stray, registration, 'q1', 'a', true), answer(stray, registration, 'q2', 'c', true)]);
    await assertSumsMatch();
    const { rows } = await sql`SELECT 1 FROM kpi_post_latest WHERE actor_name = ${stray.sub}`.execute(
      database().db,
    );
    assert.equal(rows.length > 0, true, 'the stray actor has a row the sums count');
    const before = await assertSameAsFacts(w.world);
    await sql`
      UPDATE enrollment SET status = 'inactive'
      WHERE tenant_id = ${w.world.tenantId} AND user_id = ${w.world.learners[0]!.userId}`.execute(
      database().db,
    );
    assert.equal(await assertSameAsFacts(w.world), before);
  });

  it('follow voided answers and answers that make another attempt the latest', async () => {
    const posts = w.statements.filter(isPostAnswer);
    await store(voidingStatements(posts.filter((_, i) => i % 4 === 0).map((s) => s.id)));
    await assertSumsMatch();
    const who = w.world.learners[2]!;
    const registration = randomUUID();
    await store([answer(who, registration, 'q1', 'c', false)]);
    await assertSumsMatch();
    await assertSameAsFacts(w.world);
  });

  it('lose no update when two batches of different learners store answers to the same question at once', async () => {
    await Promise.all(
      [w.world.learners[3]!, w.world.learners[4]!].map((who) => {
        const registration = randomUUID();
        return store([
          answer(who, registration, 'q1', 'a', true),
          answer(who, registration, 'q4', 'b', true),
        ]);
      }),
    );
    await assertSumsMatch();
  });

  it('leave nothing half-written when a batch is rejected', async () => {
    const fresh = answer(w.world.learners[5]!, randomUUID(), 'q1', 'z', true);
    await assertRejectedBatchLeavesNothing(database().db, w, fresh, KEPT);
    await assertSumsMatch();
  });

  it('are rebuilt with kpi_post_latest after a bulk load by COPY (triggers off)', async function () {
    this.timeout(60000);
    const world = await copySmallWorld(database(), { world: 42, statements: 11 });
    await assertSumsMatch();
    const { rows } = await sql`SELECT 1 FROM kpi_post_option WHERE tenant_id = ${world.tenantId}`.execute(
      database().db,
    );
    assert.ok(rows.length > 0);
    await assertSameAsFacts(world);
    // The repair function recomputes what the triggers keep.
    await sql`SELECT kpi_post_sums_rebuild(${world.tenantId})`.execute(database().db);
    await assertSumsMatch();
  });
});
