import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { lrsClient } from '../../support/xapi-client.js';
import { assertSameRows } from '../../support/rollup-checks.js';
import { insertCourseWorld, worldStatements } from '../../fixtures/course-world.js';
import { SeededRandom } from '../../../src/dev/synthetic/random.js';
import type { CaptureStatement } from '../../../src/dev/synthetic/capture-statements.js';

/** The learner-module rollup as it should be, recomputed from the facts (its rebuild's query). */
const LEARNER_MODULE_RECOMPUTED = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
         (count(*) FILTER (WHERE verb = 'launched'))::int AS launched,
         (count(*) FILTER (WHERE verb = 'completed'))::int AS completed,
         (count(*) FILTER (WHERE verb = 'passed'))::int AS passed,
         to_char(("timestamp" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day
  FROM kpi_statement
  WHERE NOT voided AND (verb = 'launched' OR (module_id IS NOT NULL AND verb IN ('completed', 'passed')))
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 11`;

const LEARNER_MODULE_KEPT = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
         launched, completed, passed, to_char(day, 'YYYY-MM-DD') AS day
  FROM kpi_learner_module WHERE launched + completed + passed > 0`;

const LEARNER_DAY_RECOMPUTED = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
         to_char(("timestamp" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*)::int AS statements
  FROM kpi_statement WHERE NOT voided GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;

const LEARNER_DAY_KEPT = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
         to_char(day, 'YYYY-MM-DD') AS day, statements
  FROM kpi_learner_day WHERE statements > 0`;

/**
 * `count` batches that each hold some statements of every learner, each batch in its own shuffled
 * order: concurrent batches then reach the same learners' KPI rollup rows in different orders.
 */
function shuffledBatches(statements: CaptureStatement[], count: number, seed: number): CaptureStatement[][] {
  const rnd = new SeededRandom(seed);
  const batches: CaptureStatement[][] = Array.from({ length: count }, () => []);
  const byLearner = new Map<string, CaptureStatement[]>();
  for (const s of statements) {
    const key = s.actor.account.name;
    byLearner.set(key, [...(byLearner.get(key) ?? []), s]);
  }
  for (const own of byLearner.values()) own.forEach((s, i) => batches[i % count]!.push(s));
  return batches.map((b) => rnd.shuffle(b));
}

describe('xAPI concurrent ingest of batches that mix many learners', () => {
  const database = useTestDatabase({ poolSize: 10 });

  it('stores every concurrent batch (no 500) and keeps the KPI rollups exact', async function () {
    this.timeout(120000);
    const { app, services } = createTestApp(database());
    const { world, tenantName } = await insertCourseWorld(database().db, {
      seed: 31,
      learners: 30,
      modules: 2,
    });
    const statements = worldStatements(world, { seed: 8 });
    const lrs = await lrsClient(app, services, { tenant: tenantName, version: '2.0.0' });
    for (const round of [0, 1]) {
      const part = statements.filter((_, i) => i % 2 === round);
      const responses = await Promise.all(
        shuffledBatches(part, 8, 100 + round).map((batch) =>
          lrs
            .post('/xapi/statements')
            .send(batch)
            .then((r) => r),
        ),
      );
      for (const res of responses) assert.equal(res.status, 200, res.text);
    }
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM xapi_statement WHERE tenant_id = ${world.tenantId}`.execute(database().db);
    assert.equal(Number(rows[0]!.n), statements.length);
    await services.kpiFacts.drain(world.tenantId);
    assert.ok((await assertSameRows(LEARNER_DAY_KEPT, LEARNER_DAY_RECOMPUTED, database().db)) > 30);
    assert.ok((await assertSameRows(LEARNER_MODULE_KEPT, LEARNER_MODULE_RECOMPUTED, database().db)) > 30);
  });
});
