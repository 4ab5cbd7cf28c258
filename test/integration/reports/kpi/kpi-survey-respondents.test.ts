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
import { VERBS } from '../../../../src/learning/vocabulary.js';
import { createKpiRepository } from '../../../../src/storage/repositories/kpi-repository.js';
import {
  insertWorldWithStatements,
  storeStatements,
  voidingStatements,
  type InsertedWorld,
} from '../../../fixtures/course-world.js';
import type { KpiScope } from '../../../../src/reports/kpi/model.js';

/** Each survey-answer row's `multi` as it should be: its actor has another row with answers of the item. */
const FLAGS_RECOMPUTED = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, item_id, response, actor_home_page,
         actor_name, to_char(day, 'YYYY-MM-DD') AS day,
         item_id IS NOT NULL AND actor_name IS NOT NULL
           AND count(*) OVER (PARTITION BY tenant_id, module_id, item_id, actor_name) > 1 AS multi
  FROM kpi_survey_answer WHERE answers > 0`;

const FLAGS_KEPT = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, item_id, response, actor_home_page,
         actor_name, to_char(day, 'YYYY-MM-DD') AS day, multi
  FROM kpi_survey_answer WHERE answers > 0`;

const COUNTERS_RECOMPUTED = sql`
  SELECT tenant_id, module_id, item_id, actor_name, count(*)::int AS answered_rows FROM kpi_survey_answer
  WHERE answers > 0 AND item_id IS NOT NULL AND actor_name IS NOT NULL GROUP BY 1, 2, 3, 4`;

const COUNTERS_KEPT = sql`SELECT tenant_id, module_id, item_id, actor_name, answered_rows FROM kpi_survey_actor_item`;

describe('survey respondents told apart only where a learner has several rows of an item', () => {
  const database = useTestDatabase();
  let w: InsertedWorld;
  const repo = () => createKpiRepository(database().db);
  const surveyAnswers = () =>
    w.statements.filter(
      (s) => s.verb.id === VERBS.answered && /\/survey\//.test((s.object as { id: string }).id),
    );

  async function assertKeptAsRecomputed(): Promise<number> {
    await assertSameRows(COUNTERS_KEPT, COUNTERS_RECOMPUTED, database().db);
    return assertSameRows(FLAGS_KEPT, FLAGS_RECOMPUTED, database().db);
  }

  const sorted = (r: Awaited<ReturnType<ReturnType<typeof repo>['surveyAnswers']>>) => ({
    counts: r.counts.map((c) => JSON.stringify(c)).sort(),
    respondents: r.respondents.map((c) => JSON.stringify(c)).sort(),
  });

  /** Course, module-version, cohort and learner scopes give the facts' counts and respondents. */
  async function assertSurveyMatchesFacts(): Promise<void> {
    const c: KpiScope = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    const { days, facts } = middleDays(w.statements);
    const scopes: KpiScope[] = [
      c,
      { ...c, moduleId: w.world.modules[0]!.id, moduleVersion: 1 },
      { ...c, cohortId: w.world.cohorts!.treatmentId },
      { tenantId: c.tenantId, programId: w.world.programId! },
    ];
    for (const scope of scopes) {
      const kept = sorted(await repo().surveyAnswers(scope));
      assert.deepEqual(kept, sorted(await repo().surveyAnswers({ ...scope, ...FACTS_EVERYTHING })));
      assert.deepEqual(
        sorted(await repo().surveyAnswers({ ...scope, ...days })),
        sorted(await repo().surveyAnswers({ ...scope, ...facts })),
      );
    }
  }

  before(async function () {
    this.timeout(60000);
    w = await insertWorldWithStatements(
      database().db,
      createServices({ db: database().db }),
      { seed: 51, learners: 14, modules: 2 },
      { seed: 5 },
    );
  });

  it('keeps the flags and counters as recomputed, and counts as the facts do', async () => {
    assert.ok((await assertKeptAsRecomputed()) > 10, 'the world has survey answers');
    await assertSurveyMatchesFacts();
  });

  it('flags both rows of a learner who answered an item again on another day, counting them once', async () => {
    const { db } = database();
    const answer = surveyAnswers()[0]!;
    const again = {
      ...answer,
      id: randomUUID(),
      timestamp: new Date(Date.parse(answer.timestamp!) + 3 * 86400000).toISOString(),
      result: { ...answer.result, response: `${answer.result?.response ?? ''}x` },
    };
    await storeStatements(createServices({ db }), w.tenantName, [again]);
    await assertKeptAsRecomputed();
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM kpi_survey_answer WHERE multi`.execute(db);
    assert.equal(Number(rows[0]!.n), 2);
    await assertSurveyMatchesFacts();
  });

  it('clears the flag when voiding leaves the learner one row of the item', async () => {
    const { db } = database();
    const later = (
      await sql<{ id: string }>`
      SELECT x.id FROM xapi_statement x
      JOIN kpi_statement f ON f.tenant_id = x.tenant_id AND f.statement_id = x.id
      JOIN kpi_survey_answer s ON s.tenant_id = f.tenant_id AND s.actor_name = f.actor_name
        AND s.item_id = f.item_id AND s.response = f.response AND s.multi
      WHERE NOT f.voided AND f.item_kind = 'survey'
      ORDER BY f."timestamp" DESC LIMIT 1`.execute(db)
    ).rows[0]!;
    await storeStatements(createServices({ db }), w.tenantName, voidingStatements([later.id]));
    await assertKeptAsRecomputed();
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM kpi_survey_answer WHERE multi`.execute(db);
    assert.equal(Number(rows[0]!.n), 0);
    await storeStatements(
      createServices({ db }),
      w.tenantName,
      voidingStatements(
        surveyAnswers()
          .filter((_, i) => i % 3 === 0)
          .map((s) => s.id),
      ),
    );
    await assertKeptAsRecomputed();
    await assertSurveyMatchesFacts();
  });

  it('leaves nothing half-written when a batch is rejected', async () => {
    await assertRejectedBatchLeavesNothing(database().db, w, surveyAnswers()[1]!, FLAGS_KEPT);
    await assertKeptAsRecomputed();
  });

  it('is recomputed after a bulk load by COPY (triggers off, rollups rebuilt)', async function () {
    this.timeout(60000);
    await copySmallWorld(database(), { world: 52, statements: 4 });
    await assertKeptAsRecomputed();
  });
});
