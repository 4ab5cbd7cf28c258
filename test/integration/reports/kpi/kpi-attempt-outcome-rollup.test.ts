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
import { VERBS } from '../../../../src/learning/vocabulary.js';
import { createKpiRepository } from '../../../../src/storage/repositories/kpi-repository.js';
import type { AttemptPolicy } from '../../../../src/cohorts/model.js';
import type { KpiScope } from '../../../../src/reports/kpi/model.js';
import {
  insertWorldWithStatements,
  storeStatements,
  voidingStatements,
  type InsertedWorld,
} from '../../../fixtures/course-world.js';

/** The attempt-outcome rollup as it should be: recomputed from the non-voided facts. */
const RECOMPUTED = sql`
  WITH facts AS (
    SELECT *, ("timestamp" AT TIME ZONE 'UTC')::date AS d FROM kpi_statement
    WHERE NOT voided AND module_id IS NOT NULL
      AND ((verb = 'answered' AND item_kind IN ('pre', 'post') AND success IS NOT NULL) OR verb IN ('passed', 'failed'))),
  newest AS (
    SELECT DISTINCT ON (tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
                        registration, d)
           tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration, d,
           verb = 'passed' AS passed, "timestamp" AS at, seq
    FROM facts WHERE verb IN ('passed', 'failed')
    ORDER BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
             d, "timestamp" DESC, seq DESC),
  answers AS (
    SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration, d,
           count(*) FILTER (WHERE item_kind = 'pre' AND verb = 'answered') AS pre_scored,
           count(*) FILTER (WHERE item_kind = 'pre' AND verb = 'answered' AND success) AS pre_correct,
           max("timestamp") FILTER (WHERE item_kind = 'pre' AND verb = 'answered') AS pre_last_at,
           count(*) FILTER (WHERE item_kind = 'post' AND verb = 'answered') AS post_scored,
           count(*) FILTER (WHERE item_kind = 'post' AND verb = 'answered' AND success) AS post_correct,
           max("timestamp") FILTER (WHERE item_kind = 'post' AND verb = 'answered') AS post_last_at
    FROM facts GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9)
  SELECT a.tenant_id, a.course_id, a.program_id, a.module_id, a.module_version, a.actor_home_page, a.actor_name,
         a.registration, to_char(a.d, 'YYYY-MM-DD') AS day, a.pre_scored, a.pre_correct, a.pre_last_at,
         a.post_scored, a.post_correct, a.post_last_at, n.passed AS verdict_passed, n.at AS verdict_at,
         n.seq AS verdict_seq
  FROM answers a LEFT JOIN newest n
    ON n.tenant_id = a.tenant_id AND n.course_id IS NOT DISTINCT FROM a.course_id
   AND n.program_id IS NOT DISTINCT FROM a.program_id AND n.module_id = a.module_id
   AND n.module_version IS NOT DISTINCT FROM a.module_version AND n.actor_home_page IS NOT DISTINCT FROM a.actor_home_page
   AND n.actor_name IS NOT DISTINCT FROM a.actor_name AND n.registration IS NOT DISTINCT FROM a.registration
   AND n.d = a.d`;

const KEPT = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
         to_char(day, 'YYYY-MM-DD') AS day, pre_scored::bigint AS pre_scored, pre_correct::bigint AS pre_correct,
         pre_last_at, post_scored::bigint AS post_scored, post_correct::bigint AS post_correct, post_last_at,
         verdict_passed, verdict_at, verdict_seq
  FROM kpi_attempt_outcome`;

const isVerdict = (verb: string) => verb === VERBS.passed || verb === VERBS.failed;

describe('attempt outcomes by day, kept by triggers on the facts', () => {
  const database = useTestDatabase();
  let w: InsertedWorld;

  const assertMatchesFacts = () => assertSameRows(KEPT, RECOMPUTED, database().db);

  /** Outcomes from the rollup (no date range) equal the facts' (a range covering everything), per scope. */
  async function assertSameOutcomes(): Promise<void> {
    const repo = createKpiRepository(database().db);
    const rounded = (x: unknown) =>
      JSON.parse(JSON.stringify(x), (_k, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(12)) : v));
    const course = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    const scopes: [string, KpiScope][] = [
      ['course', course],
      ['module and version', { ...course, moduleId: w.world.modules[0]!.id, moduleVersion: 1 }],
      ['cohort', { ...course, cohortId: w.world.cohorts!.treatmentId }],
      ['program', { tenantId: w.world.tenantId, programId: w.world.programId! }],
    ];
    for (const [name, base] of scopes)
      for (const attemptPolicy of ['first', 'best', 'latest'] as AttemptPolicy[]) {
        const scope = { ...base, rules: { attemptPolicy, denominator: 'assigned' as const } };
        const read = async (s: KpiScope) =>
          rounded({ pairs: await repo.scorePairs(s), outcomes: await repo.moduleOutcomes(s) });
        const viaRollup = await read(scope);
        assert.ok(viaRollup.pairs.length > 0, `${name}: some outcomes`);
        assert.deepEqual(
          viaRollup,
          await read({ ...scope, ...FACTS_EVERYTHING }),
          `${name}, ${attemptPolicy}`,
        );
      }
  }

  before(async function () {
    this.timeout(60000);
    w = await insertWorldWithStatements(
      database().db,
      createServices({ db: database().db }),
      { seed: 41, learners: 10, modules: 2 },
      { seed: 7 },
    );
  });

  it('equals a recomputation from the facts after statements are stored through the LRS, and reads as the facts do', async () => {
    assert.ok((await assertMatchesFacts()) > 5, 'the world has test attempts');
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM kpi_attempt_outcome WHERE verdict_at IS NOT NULL`.execute(database().db);
    assert.ok(Number(rows[0]!.n) > 0, 'the world has verdicts');
    await assertSameOutcomes();
  });

  it('keeps the newer of two verdicts of one attempt and day, the later seq on a tie of times', async () => {
    const { db } = database();
    const verdict = w.statements.find((s) => isVerdict(s.verb.id) && s.context.registration)!;
    const flipped = (s: typeof verdict) =>
      s.verb.id === VERBS.passed
        ? { ...s, verb: { ...s.verb, id: VERBS.failed } }
        : { ...s, verb: { ...s.verb, id: VERBS.passed } };
    // Same time as the stored verdict (a tie broken by seq), then an earlier one that must not win.
    const tie = { ...flipped(verdict), id: randomUUID() };
    const earlier = {
      ...verdict,
      id: randomUUID(),
      timestamp: verdict.timestamp.replace(/T.*/, 'T00:00:00Z'),
    };
    await storeStatements(createServices({ db }), w.tenantName, [tie]);
    await storeStatements(createServices({ db }), w.tenantName, [earlier]);
    await assertMatchesFacts();
    const { rows } = await sql<{ passed: boolean }>`
      SELECT verdict_passed AS passed FROM kpi_attempt_outcome
      WHERE tenant_id = ${w.world.tenantId} AND registration = ${verdict.context.registration!}
        AND verdict_at = ${verdict.timestamp}::timestamptz`.execute(db);
    assert.deepEqual(
      rows.map((r) => r.passed),
      [tie.verb.id === VERBS.passed],
    );
  });

  it('recomputes a row when its newest verdict or its answers are voided, and drops it when none is left; reads as the facts do', async () => {
    const { db } = database();
    const before = await assertMatchesFacts();
    const verdicts = w.statements.filter((s) => isVerdict(s.verb.id));
    const answers = w.statements.filter(
      (s) => s.verb.id === VERBS.answered && /\/(pre|post)-test\//.test((s.object as { id: string }).id),
    );
    // Every fact of the last attempt (the test above added verdicts to the first), every other verdict and
    // every third answer of the rest.
    const last = answers.at(-1)!.context.registration;
    const voided = [
      ...verdicts.filter((s, i) => s.context.registration === last || i % 2 === 0),
      ...answers.filter((s, i) => s.context.registration === last || i % 3 === 0),
    ];
    await storeStatements(createServices({ db }), w.tenantName, voidingStatements(voided.map((s) => s.id)));
    assert.ok((await assertMatchesFacts()) < before, 'the fully voided attempt has no row');
    await assertSameOutcomes();
  });

  it('leaves nothing half-written when a batch is rejected', async () => {
    const fresh = w.statements.find((s) => s.verb.id === VERBS.answered)!;
    await assertRejectedBatchLeavesNothing(database().db, w, fresh, KEPT);
  });

  it('is rebuilt from the facts after a bulk load by COPY (triggers off)', async function () {
    this.timeout(60000);
    await copySmallWorld(database(), { world: 42, statements: 9 });
    await assertMatchesFacts();
  });
});
