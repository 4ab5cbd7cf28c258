import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
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
import { factConditions, rosterSql } from '../../../../src/storage/repositories/kpi-scope-sql.js';
import {
  captureStatement,
  insertWorldWithStatements,
  storeStatements,
  voidingStatements,
  type InsertedWorld,
} from '../../../fixtures/course-world.js';
import type { CaptureStatement } from '../../../../src/dev/synthetic/capture-statements.js';
import type { Database } from '../../../../src/storage/schema.js';
import type { KpiScope } from '../../../../src/reports/kpi/model.js';

/** The learner x module rollup as it should be: recomputed from the non-voided facts. */
const RECOMPUTED = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
         (count(*) FILTER (WHERE verb = 'launched'))::int AS launched,
         (count(*) FILTER (WHERE verb = 'initialized' AND module_id IS NOT NULL))::int AS initialized,
         (count(*) FILTER (WHERE verb = 'completed' AND module_id IS NOT NULL))::int AS completed,
         (count(*) FILTER (WHERE verb = 'passed' AND module_id IS NOT NULL))::int AS passed,
         (count(*) FILTER (WHERE verb = 'failed' AND module_id IS NOT NULL))::int AS failed,
         (count(*) FILTER (WHERE verb IN ('terminated', 'abandoned') AND duration_seconds IS NOT NULL
                             AND module_id IS NOT NULL))::int AS sessions,
         (coalesce(sum(round(duration_seconds * 1e6)) FILTER (WHERE verb IN ('terminated', 'abandoned')
                             AND module_id IS NOT NULL), 0))::bigint::text AS micros,
         (count(*) FILTER (WHERE verb IN ('terminated', 'abandoned') AND duration_seconds IS NOT NULL
                             AND module_id IS NOT NULL AND (duration_estimated OR verb = 'abandoned')))::int AS estimated,
         min("timestamp") FILTER (WHERE verb = 'launched') AS first_launch_at,
         max("timestamp") FILTER (WHERE verb IN ('launched', 'completed')) AS last_activity_at,
         to_char(("timestamp" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day
  FROM kpi_statement WHERE NOT voided
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 18
  HAVING count(*) FILTER (WHERE verb = 'launched' OR (module_id IS NOT NULL AND (
           verb IN ('initialized', 'completed', 'passed', 'failed')
           OR (verb IN ('terminated', 'abandoned') AND duration_seconds IS NOT NULL)))) > 0`;

const KEPT = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, launched,
         initialized, completed, passed, failed, sessions, micros::text AS micros, estimated, first_launch_at,
         last_activity_at, to_char(day, 'YYYY-MM-DD') AS day
  FROM kpi_learner_module
  WHERE launched + initialized + completed + passed + failed + sessions > 0`;

const byModule = <T extends { moduleId: string }>(rows: T[]) =>
  [...rows].sort((a, b) => a.moduleId.localeCompare(b.moduleId));

/** Today's facts formulation of first launches (enrollmentAround before the rollup), for comparison. */
async function firstLaunchesFromFacts(db: Kysely<Database>, scope: KpiScope): Promise<Map<string, string>> {
  const { rows } = await sql<{ user_id: string; first: Date }>`
    WITH roster AS MATERIALIZED (${rosterSql(scope)})
    SELECT r.user_id, min(f."timestamp") AS first
    FROM kpi_statement f JOIN roster r ON r.home_page = f.actor_home_page AND r.name = f.actor_name
    WHERE ${factConditions(scope)} AND f.verb = 'launched'
    GROUP BY r.user_id`.execute(db);
  return new Map(rows.map((r) => [r.user_id, r.first.toISOString()]));
}

describe('Learner x module KPI rollup (kpi_learner_module)', () => {
  const database = useTestDatabase();
  let w: InsertedWorld;
  /** Hand-built statements: a second module version, a tie, a module-less launch. */
  let extra: CaptureStatement[];

  const assertRollupMatchesFacts = () => assertSameRows(KEPT, RECOMPUTED, database().db);

  const scopes = (): [string, KpiScope][] => {
    const course = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    return [
      ['course', course],
      ['module and version', { ...course, moduleId: w.world.modules[0]!.id, moduleVersion: 1 }],
      ['module, all versions', { ...course, moduleId: w.world.modules[0]!.id }],
      ['cohort', { ...course, cohortId: w.world.cohorts!.treatmentId }],
      ['program', { tenantId: w.world.tenantId, programId: w.world.programId! }],
    ];
  };

  /** Each method's answer from the rollup (no date range) equals the facts' (a range covering everything). */
  async function assertSameAnswers(): Promise<void> {
    const { db } = database();
    const repo = createKpiRepository(db);
    const everything = FACTS_EVERYTHING;
    // Two modules make some learners complete and some not; the moment makes some in progress stalled.
    const classing = { modules: 2, now: new Date(w.world.start.getTime() + 30 * 86400000) };
    for (const [name, scope] of scopes()) {
      const ranged = { ...scope, ...everything };
      assert.deepEqual(
        byModule(await repo.moduleCounts(scope)),
        byModule(await repo.moduleCounts(ranged)),
        `${name}: moduleCounts`,
      );
      assert.deepEqual(
        byModule(await repo.timeOnTask(scope)),
        byModule(await repo.timeOnTask(ranged)),
        `${name}: timeOnTask`,
      );
      // Both in one pass: each part as its own query gives it, from the rollup and from the facts.
      for (const s of [scope, ranged]) {
        const activity = await repo.moduleActivity(s);
        assert.deepEqual(
          { counts: byModule(activity.counts), time: byModule(activity.time) },
          { counts: byModule(await repo.moduleCounts(s)), time: byModule(await repo.timeOnTask(s)) },
          `${name}: moduleActivity${s === ranged ? ' from the facts' : ''}`,
        );
      }
      const everyone = await repo.learnerSummaries(scope);
      assert.deepEqual(everyone, await repo.learnerSummaries(ranged), `${name}: learnerSummaries`);
      assert.deepEqual(
        await repo.learnerActivity(scope, classing),
        await repo.learnerActivity(ranged, classing),
        `${name}: learnerActivity`,
      );
      // A page of the list is that slice of it, from the rollup and from the facts.
      const page = { limit: 3, offset: 2 };
      assert.deepEqual(await repo.learnerSummaries(scope, page), everyone.slice(2, 5), `${name}: a page`);
      assert.deepEqual(
        await repo.learnerSummaries(ranged, page),
        everyone.slice(2, 5),
        `${name}: a page of facts`,
      );
      // Whole UTC days (the rollup by day) against the same range over the facts.
      const { days, facts } = middleDays(w.statements);
      const activityInDays = await repo.moduleActivity({ ...scope, ...days });
      assert.deepEqual(
        { counts: byModule(activityInDays.counts), time: byModule(activityInDays.time) },
        {
          counts: byModule(await repo.moduleCounts({ ...scope, ...facts })),
          time: byModule(await repo.timeOnTask({ ...scope, ...facts })),
        },
        `${name}: moduleActivity over whole days`,
      );
      assert.deepEqual(
        await repo.learnerActivity({ ...scope, ...days }, classing),
        await repo.learnerActivity({ ...scope, ...facts }, classing),
        `${name}: learnerActivity over whole days`,
      );
      for (const method of ['moduleCounts', 'timeOnTask', 'learnerSummaries'] as const) {
        const inDays = await repo[method]({ ...scope, ...days });
        const fromFacts = await repo[method]({ ...scope, ...facts });
        const perLearner = method === 'learnerSummaries';
        assert.deepEqual(
          perLearner ? inDays : byModule(inDays as { moduleId: string }[]),
          perLearner ? fromFacts : byModule(fromFacts as { moduleId: string }[]),
          `${name}: ${method} over whole days`,
        );
      }
      // enrollmentAround drops the range itself: compare its first launches with the facts' directly.
      const firsts = await firstLaunchesFromFacts(db, scope);
      for (const date of [
        w.world.campaignDate,
        w.world.start,
        new Date(w.world.start.getTime() + 86400000),
      ]) {
        const got = await repo.enrollmentAround(ranged, date, 14);
        const b = date.getTime() - 14 * 86400000;
        const e = date.getTime() + 14 * 86400000;
        const times = [...firsts.values()].map((t) => Date.parse(t));
        const assigned = await repo.rosterSize(scope);
        const prior = times.filter((t) => t < b).length;
        const startedBefore = times.filter((t) => t >= b && t < date.getTime()).length;
        assert.deepEqual(
          got,
          {
            before: { eligible: assigned - prior, started: startedBefore },
            after: {
              eligible: assigned - prior - startedBefore,
              started: times.filter((t) => t >= date.getTime() && t < e).length,
            },
          },
          `${name}: enrollmentAround ${date.toISOString()}`,
        );
      }
    }
  }

  before(async function () {
    this.timeout(60000);
    const { db } = database();
    w = await insertWorldWithStatements(
      db,
      createServices({ db }),
      { seed: 31, learners: 12, modules: 2 },
      {
        seed: 9,
        abandonShare: 0.4,
        neverStartShare: 0.2,
        faults: { missingMetadata: 0.03, duplicates: 0.03 },
      },
    );
    const [a, b] = w.world.learners;
    const m0 = w.world.modules[0]!.id;
    const at = (days: number) => new Date(w.world.start.getTime() + days * 86400000).toISOString();
    const registration = randomUUID();
    const v2 = { version: 2, registration };
    extra = [
      // Learner a also takes version 2 of module 0: two rows of one module, time summed across them.
      captureStatement(w.world, a!, m0, 'launched', { ...v2, timestamp: at(50) }),
      captureStatement(w.world, a!, m0, 'initialized', { ...v2, timestamp: at(50) }),
      captureStatement(w.world, a!, m0, 'terminated', {
        ...v2,
        timestamp: at(50),
        result: { duration: 'PT61.25S' },
      }),
      captureStatement(w.world, a!, m0, 'completed', { ...v2, timestamp: at(51) }),
      // A tie: two launches of b at the same instant.
      captureStatement(w.world, b!, m0, 'launched', { version: 2, timestamp: at(45) }),
      captureStatement(w.world, b!, m0, 'launched', { version: 2, timestamp: at(45) }),
      // A session without a duration does not count toward time on task.
      captureStatement(w.world, b!, m0, 'terminated', { version: 2, timestamp: at(45) }),
    ];
    // A launch whose object is not a module (module-less fact): a first launch, but no module's.
    const moduleless = captureStatement(w.world, b!, m0, 'launched', { timestamp: at(-3) });
    moduleless.object = { ...moduleless.object, id: 'https://example.com/activities/welcome' };
    extra.push(moduleless);
    await storeStatements(createServices({ db }), w.tenantName, extra);
  });

  it('equals a recomputation from the facts after statements are stored through the LRS', async () => {
    assert.ok((await assertRollupMatchesFacts()) > 10);
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM kpi_learner_module WHERE module_id IS NULL AND launched > 0`.execute(
      database().db,
    );
    assert.equal(Number(rows[0]!.n), 1, 'the module-less launch has its own row');
  });

  it('answers module counts, time on task, learner summaries and first launches as the facts do', async function () {
    this.timeout(30000);
    await assertSameAnswers();
    const repo = createKpiRepository(database().db);
    const scope = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    const a = w.world.learners[0]!;
    const time = (await repo.timeOnTask(scope)).find((r) => r.moduleId === w.world.modules[0]!.id)!;
    assert.ok(
      time.learners > 1 && time.sessions > time.learners,
      'a learner with two sessions in one module',
    );
    const summary = (await repo.learnerSummaries(scope)).find((r) => r.userId === a.userId)!;
    assert.equal(summary.started, 2, 'two versions of one module count as one module');
  });

  it('takes voided launches, completions and sessions out, and the answers change with them', async function () {
    this.timeout(30000);
    const { db } = database();
    const repo = createKpiRepository(db);
    const scope = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    const m0 = w.world.modules[0]!.id;
    const counts = async () => byModule(await repo.moduleCounts(scope)).find((r) => r.moduleId === m0)!;
    const time = async () => (await repo.timeOnTask(scope)).find((r) => r.moduleId === m0)!;
    const before = {
      counts: await counts(),
      time: await time(),
      summaries: await repo.learnerSummaries(scope),
    };

    // Every cmi5 statement of one learner who completed module 0 (version 1 only: c is not a or b).
    const isModule0 = (s: CaptureStatement) => (s.object as { id: string }).id.endsWith(`/modules/${m0}`);
    const c = w.world.learners
      .slice(2)
      .find((l) =>
        w.statements.some(
          (s) => s.actor.account.name === l.sub && isModule0(s) && s.verb.id === VERBS.completed,
        ),
      )!;
    const cVerbs: string[] = [
      VERBS.launched,
      VERBS.initialized,
      VERBS.completed,
      VERBS.terminated,
      VERBS.abandoned,
    ];
    const cStatements = w.statements.filter(
      (s) => s.actor.account.name === c.sub && isModule0(s) && cVerbs.includes(s.verb.id),
    );
    // Learner a's version-2 completion (the latest activity: recomputed, not subtracted) and one of b's tied launches.
    await storeStatements(
      createServices({ db }),
      w.tenantName,
      voidingStatements([...cStatements.map((s) => s.id), extra[3]!.id, extra[4]!.id]),
    );
    await assertRollupMatchesFacts();
    await assertSameAnswers();

    const after = {
      counts: await counts(),
      time: await time(),
      summaries: await repo.learnerSummaries(scope),
    };
    assert.equal(after.counts.started, before.counts.started - 1);
    // a's version-2 completion is voided too: a leaves the completers unless a completed version 1.
    const a = w.world.learners[0]!;
    const aCompletedV1 = w.statements.some(
      (s) => s.actor.account.name === a.sub && isModule0(s) && s.verb.id === VERBS.completed,
    );
    assert.equal(after.counts.completed, before.counts.completed - (aCompletedV1 ? 1 : 2));
    assert.equal(after.time.learners, before.time.learners - 1);
    const cAfter = after.summaries.find((r) => r.userId === c.userId)!;
    const cBefore = before.summaries.find((r) => r.userId === c.userId)!;
    assert.equal(cAfter.started, cBefore.started - 1);
    const aId = a.userId;
    assert.ok(
      after.summaries.find((r) => r.userId === aId)!.lastActivity! <
        before.summaries.find((r) => r.userId === aId)!.lastActivity!,
      'voiding the latest completion moves the last activity back',
    );
  });

  it('leaves nothing half-written when a batch is rejected', async () => {
    const launch = w.statements.find((s) => s.verb.id === VERBS.launched)!;
    await assertRejectedBatchLeavesNothing(database().db, w, launch, KEPT);
    await assertRollupMatchesFacts();
  });

  it('is rebuilt from the facts after a bulk load by COPY (triggers off)', async function () {
    this.timeout(60000);
    const world = await copySmallWorld(database(), { world: 32, statements: 10 });
    await assertRollupMatchesFacts();
    const repo = createKpiRepository(database().db);
    const scope = { tenantId: world.tenantId, courseId: world.courseId };
    const ranged = { ...scope, ...FACTS_EVERYTHING };
    assert.ok((await repo.moduleCounts(scope))[0]!.started > 0);
    assert.deepEqual(byModule(await repo.moduleCounts(scope)), byModule(await repo.moduleCounts(ranged)));
    assert.deepEqual(byModule(await repo.timeOnTask(scope)), byModule(await repo.timeOnTask(ranged)));
    assert.deepEqual(await repo.learnerSummaries(scope), await repo.learnerSummaries(ranged));
  });
});
