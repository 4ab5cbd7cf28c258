import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../../support/test-database.js';
import { FACTS_EVERYTHING, middleDays } from '../../../support/kpi-ranges.js';
import {
  assertRejectedBatchLeavesNothing,
  assertSameRows,
  copySmallWorld,
} from '../../../support/rollup-checks.js';
import { createServices } from '../../../../src/services.js';
import { VERBS } from '../../../../src/learning/vocabulary.js';
import { createKpiRepository } from '../../../../src/storage/repositories/kpi-repository.js';
import {
  insertWorldWithStatements,
  storeStatements,
  voidingStatements,
  type InsertedWorld,
} from '../../../fixtures/course-world.js';

/** The learner-day rollup as it should be: recomputed from the non-voided facts. */
const RECOMPUTED = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version,
         to_char(("timestamp" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day,
         actor_home_page, actor_name, count(*)::int AS statements,
         (count(*) FILTER (WHERE verb = 'launched'))::int AS launched,
         (count(*) FILTER (WHERE verb = 'completed'))::int AS completed
  FROM kpi_statement WHERE NOT voided
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;

const KEPT = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, to_char(day, 'YYYY-MM-DD') AS day,
         actor_home_page, actor_name, statements, launched, completed
  FROM kpi_learner_day WHERE statements > 0`;

/** The attempt rollup as it should be. */
const ATTEMPTS_RECOMPUTED = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, item_kind AS phase, registration,
         actor_home_page, actor_name, count(*)::int AS scored, (count(*) FILTER (WHERE success))::int AS correct,
         min("timestamp") AS first_at, to_char(("timestamp" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day
  FROM kpi_statement
  WHERE NOT voided AND verb = 'answered' AND item_kind IN ('pre', 'post') AND success IS NOT NULL
    AND module_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 13`;

const ATTEMPTS_KEPT = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, phase, registration, actor_home_page,
         actor_name, scored, correct, first_at, to_char(day, 'YYYY-MM-DD') AS day
  FROM kpi_attempt WHERE scored > 0`;

/** The survey-answer rollup as it should be. */
const SURVEY_RECOMPUTED = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, item_id, response, actor_home_page,
         actor_name, bool_or(anonymous) AS anonymous,
         to_char(("timestamp" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*)::int AS answers
  FROM kpi_statement
  WHERE NOT voided AND verb = 'answered' AND item_kind = 'survey' AND response IS NOT NULL AND response <> ''
    AND module_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 11`;

const SURVEY_KEPT = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, item_id, response, actor_home_page,
         actor_name, anonymous, to_char(day, 'YYYY-MM-DD') AS day, answers
  FROM kpi_survey_answer WHERE answers > 0`;

const key = (r: Record<string, unknown>) => JSON.stringify(r);

describe('KPI rollups kept by the statement trigger', () => {
  const database = useTestDatabase();
  let w: InsertedWorld;

  async function assertRollupMatchesFacts(): Promise<number> {
    const { db } = database();
    const days = await assertSameRows(KEPT, RECOMPUTED, db);
    assert.ok(
      (await assertSameRows(ATTEMPTS_KEPT, ATTEMPTS_RECOMPUTED, db)) > 0,
      'the world has pre/post attempts',
    );
    assert.ok((await assertSameRows(SURVEY_KEPT, SURVEY_RECOMPUTED, db)) > 0, 'the world has survey answers');
    return days;
  }

  before(async function () {
    this.timeout(60000);
    w = await insertWorldWithStatements(
      database().db,
      createServices({ db: database().db }),
      { seed: 21, learners: 10, modules: 2 },
      { seed: 5 },
    );
  });

  it('equals a recomputation from the facts after statements are stored through the LRS', async () => {
    assert.ok((await assertRollupMatchesFacts()) > 10);
  });

  it('takes a voided statement out (and the weekly trend with it) in the voiding transaction', async () => {
    const { db } = database();
    const repo = createKpiRepository(db);
    const scope = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    const before = await repo.weekly(scope);
    const launches = w.statements.filter((s) => s.verb.id === VERBS.launched);
    await storeStatements(createServices({ db }), w.tenantName, voidingStatements(launches.map((s) => s.id)));
    await assertRollupMatchesFacts();
    const after = await repo.weekly(scope);
    assert.equal(
      after.reduce((n, r) => n + r.started, 0),
      0,
      'no launch is left once every launch is voided',
    );
    assert.ok(before.reduce((n, r) => n + r.started, 0) > 0);
  });

  it('takes a voided answer out of its attempt, recomputing the attempt', async () => {
    const { db } = database();
    const answers = w.statements.filter(
      (s) => s.verb.id === VERBS.answered && /\/(pre|post)-test\//.test((s.object as { id: string }).id),
    );
    await storeStatements(
      createServices({ db }),
      w.tenantName,
      voidingStatements(answers.filter((_, i) => i % 3 === 0).map((s) => s.id)),
    );
    await assertRollupMatchesFacts();
  });

  it('gives the same pre/post pairs from the attempt rollup as from the facts, whole days included', async () => {
    const repo = createKpiRepository(database().db);
    const scope = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    const pairs = await repo.scorePairs(scope);
    assert.ok(pairs.some((p) => p.pre !== null && p.post !== null));
    assert.deepEqual(pairs, await repo.scorePairs({ ...scope, ...FACTS_EVERYTHING }));
    const { days, facts } = middleDays(w.statements);
    const inDays = await repo.scorePairs({ ...scope, ...days });
    assert.ok(inDays.length > 0 && inDays.length < pairs.length, `${inDays.length} of ${pairs.length} pairs`);
    assert.deepEqual(inDays, await repo.scorePairs({ ...scope, ...facts }));
  });

  it('gives the same weekly trend from the rollup as from the facts, whole days cutting a week included', async () => {
    const repo = createKpiRepository(database().db);
    const scope = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    const weeks = await repo.weekly(scope);
    assert.deepEqual(weeks, await repo.weekly({ ...scope, ...FACTS_EVERYTHING }));
    const m = { ...scope, moduleId: w.world.modules[0]!.id, moduleVersion: 1 };
    assert.deepEqual(await repo.weekly(m), await repo.weekly({ ...m, ...FACTS_EVERYTHING }));
    const { days, facts } = middleDays(w.statements);
    const inDays = await repo.weekly({ ...scope, ...days });
    assert.ok(inDays.length > 0);
    assert.deepEqual(inDays, await repo.weekly({ ...scope, ...facts }));
  });

  it('takes a voided survey answer out of its response count and its respondents', async () => {
    const { db } = database();
    const repo = createKpiRepository(db);
    const scope = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    const before = await repo.surveyAnswers(scope);
    const answers = w.statements.filter(
      (s) => s.verb.id === VERBS.answered && /\/survey\//.test((s.object as { id: string }).id),
    );
    await storeStatements(
      createServices({ db }),
      w.tenantName,
      voidingStatements(answers.filter((_, i) => i % 2 === 0).map((s) => s.id)),
    );
    await assertRollupMatchesFacts();
    const after = await repo.surveyAnswers(scope);
    const total = (r: typeof before) => r.counts.reduce((n, c) => n + c.count, 0);
    assert.ok(total(after) < total(before), `${total(after)} answers left of ${total(before)}`);
  });

  it('gives the same survey counts and respondents from the rollup as from the facts, whole days included', async () => {
    const repo = createKpiRepository(database().db);
    const scope = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    const { days, facts } = middleDays(w.statements);
    const sorted = (r: Awaited<ReturnType<typeof repo.surveyAnswers>>) => ({
      counts: r.counts.map((c) => key({ ...c })).sort(),
      respondents: r.respondents.map((c) => key({ ...c })).sort(),
    });
    const cohort = w.world.cohorts?.treatmentId;
    for (const s of [
      scope,
      { ...scope, moduleId: w.world.modules[0]!.id, moduleVersion: 1 },
      ...(cohort ? [{ ...scope, cohortId: cohort }] : []),
    ]) {
      const fromRollup = await repo.surveyAnswers(s);
      assert.ok(fromRollup.counts.length > 0);
      assert.deepEqual(sorted(fromRollup), sorted(await repo.surveyAnswers({ ...s, ...FACTS_EVERYTHING })));
      const inDays = await repo.surveyAnswers({ ...s, ...days });
      if (s === scope) assert.ok(inDays.counts.length > 0, 'the middle days hold survey answers');
      assert.deepEqual(sorted(inDays), sorted(await repo.surveyAnswers({ ...s, ...facts })));
    }
  });

  it('leaves nothing half-written when a batch is rejected', async () => {
    await assertRejectedBatchLeavesNothing(database().db, w, w.statements[0]!, KEPT);
    await assertRollupMatchesFacts();
  });

  it('is rebuilt from the facts after a bulk load by COPY (trigger off)', async function () {
    this.timeout(60000);
    await copySmallWorld(database(), { world: 22, statements: 8 });
    await assertRollupMatchesFacts();
  });
});
