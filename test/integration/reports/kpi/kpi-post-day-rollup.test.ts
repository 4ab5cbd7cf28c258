import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { useTestDatabase } from '../../../support/test-database.js';
import {
  assertRejectedBatchLeavesNothing,
  assertSameRows,
  copySmallWorld,
} from '../../../support/rollup-checks.js';
import { createServices } from '../../../../src/services.js';
import { VERBS } from '../../../../src/learning/vocabulary.js';
import {
  insertWorldWithStatements,
  storeStatements,
  voidingStatements,
  type InsertedWorld,
} from '../../../fixtures/course-world.js';

/** The post-test attempt-day rollup as it should be: recomputed from the non-voided facts. */
const RECOMPUTED = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
         to_char(day, 'YYYY-MM-DD') AS day, max(at) AS last_at, array_agg(item_id ORDER BY item_id) AS items,
         array_agg(s ORDER BY item_id) AS correct, array_agg(r ORDER BY item_id) AS responses
  FROM (
    SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
           ("timestamp" AT TIME ZONE 'UTC')::date AS day, item_id, max("timestamp") AS at,
           coalesce(bool_or(success), false) AS s, max(response) AS r
    FROM kpi_statement
    WHERE NOT voided AND verb = 'answered' AND item_kind = 'post' AND item_id IS NOT NULL AND module_id IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10) per_item
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;

const KEPT = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
         to_char(day, 'YYYY-MM-DD') AS day, last_at, items, correct, responses
  FROM kpi_post_attempt_day`;

describe('post-test attempts by day, kept by triggers on the facts', () => {
  const database = useTestDatabase();
  let w: InsertedWorld;

  const assertMatchesFacts = () => assertSameRows(KEPT, RECOMPUTED, database().db);

  before(async function () {
    this.timeout(60000);
    w = await insertWorldWithStatements(
      database().db,
      createServices({ db: database().db }),
      { seed: 31, learners: 10, modules: 2 },
      { seed: 6 },
    );
  });

  it('equals a recomputation from the facts after statements are stored through the LRS', async () => {
    assert.ok((await assertMatchesFacts()) > 5, 'the world has post-test attempts');
  });

  it('recomputes an attempt-day when one of its answers is voided, and drops it when none is left', async () => {
    const { db } = database();
    const answers = w.statements.filter(
      (s) => s.verb.id === VERBS.answered && /\/post-test\//.test((s.object as { id: string }).id),
    );
    const before = await assertMatchesFacts();
    // Every answer of the first attempt, and every third answer of the rest.
    const first = answers[0]!.context.registration;
    const voided = answers.filter((s, i) => s.context.registration === first || i % 3 === 0);
    await storeStatements(createServices({ db }), w.tenantName, voidingStatements(voided.map((s) => s.id)));
    assert.ok((await assertMatchesFacts()) < before, 'the fully voided attempt has no row');
  });

  it('takes an answer stored later for an earlier attempt into its day', async () => {
    const { db } = database();
    const answer = w.statements.find(
      (s) => s.verb.id === VERBS.answered && /\/post-test\//.test((s.object as { id: string }).id),
    )!;
    const late = {
      ...answer,
      id: randomUUID(),
      result: { ...answer.result, response: 'zzz', success: true },
    };
    await storeStatements(createServices({ db }), w.tenantName, [late]);
    await assertMatchesFacts();
  });

  it('leaves nothing half-written when a batch is rejected', async () => {
    const fresh = w.statements.find((s) => s.verb.id === VERBS.answered)!;
    await assertRejectedBatchLeavesNothing(database().db, w, fresh, KEPT);
  });

  it('is rebuilt from the facts after a bulk load by COPY (triggers off)', async function () {
    this.timeout(60000);
    await copySmallWorld(database(), { world: 32, statements: 9 });
    await assertMatchesFacts();
  });
});
