import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { useTestDatabase } from '../../../support/test-database.js';
import { FACTS_EVERYTHING, middleDays } from '../../../support/kpi-ranges.js';
import {
  assertRejectedBatchLeavesNothing,
  assertSameRows,
  copySmallWorld,
} from '../../../support/rollup-checks.js';
import { createServices } from '../../../../src/services.js';
import { scoreMoments } from '../../../../src/reports/kpi/score-change.js';
import { EXTENSIONS, VERBS } from '../../../../src/learning/vocabulary.js';
import { createKpiRepository } from '../../../../src/storage/repositories/kpi-repository.js';
import {
  insertWorldWithStatements,
  storeStatements,
  voidingStatements,
  type InsertedWorld,
} from '../../../fixtures/course-world.js';
import type { KpiScope } from '../../../../src/reports/kpi/model.js';

/**
 * The pair rollup as it should be, from the non-voided facts alone: per account actor, module version,
 * course and program, the first attempt with pre-test answers and the latest with post-test answers
 * (ties to the lower registration, a null one last), each attempt's score its share of correct answers.
 */
const RECOMPUTED = sql`
  WITH att AS (
    SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, item_kind,
           registration, avg(success::int)::double precision AS score, min("timestamp") AS at,
           min(("timestamp" AT TIME ZONE 'UTC')::date) AS first_day,
           max(("timestamp" AT TIME ZONE 'UTC')::date) AS last_day
    FROM kpi_statement
    WHERE NOT voided AND verb = 'answered' AND item_kind IN ('pre', 'post') AND success IS NOT NULL
      AND module_id IS NOT NULL AND actor_name IS NOT NULL AND actor_home_page IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9),
  pre AS (
    SELECT DISTINCT ON (tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name) *
    FROM att WHERE item_kind = 'pre'
    ORDER BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, at, registration),
  post AS (
    SELECT DISTINCT ON (tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name) *
    FROM att WHERE item_kind = 'post'
    ORDER BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, at DESC,
             registration),
  span AS (
    SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
           to_char(min(first_day), 'YYYY-MM-DD') AS first_day, to_char(max(last_day), 'YYYY-MM-DD') AS last_day
    FROM att GROUP BY 1, 2, 3, 4, 5, 6, 7),
  pairs AS (
    SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
           pre.score AS pre_score, pre.at AS pre_at, pre.registration AS pre_registration,
           post.score AS post_score, post.at AS post_at, post.registration AS post_registration
    FROM pre FULL JOIN post USING (tenant_id, course_id, program_id, module_id, module_version, actor_home_page,
                                   actor_name))
  SELECT pairs.*, span.first_day, span.last_day,
         count(*) OVER (PARTITION BY pairs.tenant_id, pairs.actor_name, pairs.actor_home_page, pairs.module_id) > 1
           AS shared
  FROM pairs JOIN span USING (tenant_id, course_id, program_id, module_id, module_version, actor_home_page,
                              actor_name)`;

const KEPT = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, pre_score,
         pre_at, pre_registration, post_score, post_at, post_registration, to_char(first_day, 'YYYY-MM-DD') AS first_day,
         to_char(last_day, 'YYYY-MM-DD') AS last_day, shared
  FROM kpi_score_pair`;

describe('pre/post score pairs, kept from the attempt rollup', () => {
  const database = useTestDatabase();
  let w: InsertedWorld;
  const repo = () => createKpiRepository(database().db);
  const course = (): KpiScope => ({ tenantId: w.world.tenantId, courseId: w.world.courseId });
  const assertMatchesFacts = () => assertSameRows(KEPT, RECOMPUTED, database().db);
  const answers = (phase: 'pre' | 'post') =>
    w.statements.filter(
      (s) =>
        s.verb.id === VERBS.answered && new RegExp(`/${phase}-test/`).test((s.object as { id: string }).id),
    );

  /** Every scope kind gives the same pairs from the rollup as from the facts. */
  /** The moments summed in SQL are those of the scope's pairs, per module with a complete pair. */
  async function assertMomentsOfPairs(scope: KpiScope): Promise<void> {
    const pairs = await repo().scorePairs(scope);
    const moments = await repo().scoreMoments(scope);
    const complete = pairs.filter((p) => p.pre !== null && p.post !== null);
    const what = JSON.stringify(scope);
    assert.deepEqual(
      moments.map((m) => m.moduleId).sort(),
      [...new Set(complete.map((p) => p.moduleId))].sort(),
      `${what}: modules`,
    );
    for (const { moduleId, ...got } of moments) {
      const expected = scoreMoments(pairs.filter((p) => p.moduleId === moduleId));
      for (const [k, v] of Object.entries(expected)) {
        const actual = got[k as keyof typeof got];
        if (v === null) assert.equal(actual, null, `${what} ${moduleId} ${k}`);
        else assert.ok(Math.abs(Number(actual) - v) <= 1e-9, `${what} ${moduleId} ${k}: ${actual} vs ${v}`);
      }
    }
  }

  async function assertPairsMatchFacts(): Promise<void> {
    const c = course();
    const scopes: KpiScope[] = [
      c,
      { ...c, moduleId: w.world.modules[0]!.id },
      { ...c, moduleVersion: 1 },
      { ...c, moduleVersion: 2, moduleId: w.world.modules[1]!.id },
      { ...c, cohortId: w.world.cohorts!.treatmentId },
      { tenantId: c.tenantId, programId: w.world.programId! },
    ];
    const { days, facts } = middleDays(w.statements);
    for (const scope of scopes) {
      for (const s of [
        scope,
        { ...scope, ...FACTS_EVERYTHING },
        { ...scope, ...days },
        { ...scope, ...facts },
      ])
        await assertMomentsOfPairs(s);
      const kept = await repo().scorePairs(scope);
      assert.deepEqual(
        kept,
        await repo().scorePairs({ ...scope, ...FACTS_EVERYTHING }),
        JSON.stringify(scope),
      );
      // Whole days: pairs wholly inside the range as kept, the learners across a bound ranked.
      assert.deepEqual(
        await repo().scorePairs({ ...scope, ...days }),
        await repo().scorePairs({ ...scope, ...facts }),
        `${JSON.stringify(scope)} over whole days`,
      );
    }
  }

  before(async function () {
    this.timeout(60000);
    w = await insertWorldWithStatements(
      database().db,
      createServices({ db: database().db }),
      { seed: 41, learners: 12, modules: 2 },
      { seed: 8 },
    );
  });

  it('equals a recomputation from the facts after statements are stored through the LRS', async () => {
    assert.ok((await assertMatchesFacts()) > 5, 'the world has pairs');
    await assertPairsMatchFacts();
  });

  it('ranks a learner with pairs in both versions of a module over all their attempts', async () => {
    const { db } = database();
    // An earlier pre-test attempt and a later post-test attempt of the other version, for one learner.
    const pre = answers('pre')[0]!;
    const version = (pre.context.extensions as Record<string, number>)[EXTENSIONS.moduleVersion]!;
    const other = (s: (typeof w.statements)[number], shiftMs: number) => ({
      ...s,
      id: randomUUID(),
      timestamp: new Date(Date.parse(s.timestamp!) + shiftMs).toISOString(),
      context: {
        ...s.context,
        registration: randomUUID(),
        extensions: { ...s.context.extensions, [EXTENSIONS.moduleVersion]: 3 - version },
      },
    });
    const post = answers('post').find((s) => s.actor.account?.name === pre.actor.account?.name)!;
    await storeStatements(createServices({ db }), w.tenantName, [
      other(pre, -86400000),
      other(post, 86400000),
    ]);
    await assertMatchesFacts();
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM kpi_score_pair WHERE shared`.execute(db);
    assert.ok(Number(rows[0]!.n) >= 2, 'the learner has a row per version, both shared');
    await assertPairsMatchFacts();
  });

  it('ranks, for a date range, a learner whose attempts lie on both sides of a bound', async () => {
    const { db } = database();
    const { days } = middleDays(w.statements);
    const within = (s: (typeof w.statements)[number]) => {
      const t = Date.parse(s.timestamp!);
      return t >= days.from.getTime() + 86400000 && t < days.to.getTime() - 86400000;
    };
    const enrolled = new Set(w.world.learners.map((l) => l.sub));
    const pre = answers('pre').find((s) => within(s) && enrolled.has(s.actor.account!.name))!;
    const post = answers('post').find((s) => within(s) && enrolled.has(s.actor.account!.name))!;
    assert.ok(pre && post, 'pre- and post-test answers of enrolled learners well inside the range');
    // An earlier pre-test attempt (before the range) and a later post-test attempt (after it) of the same
    // keys, scored the other way: the keys' first and last days now straddle the bounds, so their kept
    // pairs (first pre, latest post of all time) are not the range's.
    const copy = (s: (typeof w.statements)[number], at: number) => ({
      ...s,
      id: randomUUID(),
      timestamp: new Date(at).toISOString(),
      context: { ...s.context, registration: randomUUID() },
      result: { ...s.result, success: !s.result?.success },
    });
    await storeStatements(createServices({ db }), w.tenantName, [
      copy(pre, days.from.getTime() - 2 * 86400000),
      copy(post, days.to.getTime() + 2 * 86400000),
    ]);
    await assertMatchesFacts();
    await assertPairsMatchFacts();
  });

  it('recomputes the pairs when answers are voided, dropping a pair with no attempt left', async () => {
    const { db } = database();
    const before = await assertMatchesFacts();
    const firstPre = answers('pre')[0]!.context.registration;
    const voided = [...answers('pre'), ...answers('post')].filter(
      (s, i) => s.context.registration === firstPre || i % 4 === 0,
    );
    await storeStatements(createServices({ db }), w.tenantName, voidingStatements(voided.map((s) => s.id)));
    assert.ok((await assertMatchesFacts()) <= before);
    await assertPairsMatchFacts();
  });

  it('leaves nothing half-written when a batch is rejected', async () => {
    const fresh = answers('pre')[1]!;
    await assertRejectedBatchLeavesNothing(database().db, w, fresh, KEPT);
  });

  it('is recomputed from the attempt rollup after a bulk load by COPY (triggers off)', async function () {
    this.timeout(60000);
    await copySmallWorld(database(), { world: 42, statements: 9 });
    await assertMatchesFacts();
  });
});
