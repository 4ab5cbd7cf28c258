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
import { EXTENSIONS, VERBS, iri } from '../../../../src/learning/vocabulary.js';
import { createKpiRepository } from '../../../../src/storage/repositories/kpi-repository.js';
import type { CaptureStatement } from '../../../../src/dev/synthetic/capture-statements.js';
import {
  captureStatement,
  insertWorldWithStatements,
  storeStatements,
  voidingStatements,
  type InsertedWorld,
} from '../../../fixtures/course-world.js';
import type { KpiScope } from '../../../../src/reports/kpi/model.js';

/** Each key's latest post-test attempt as it should be: recomputed from the non-voided facts. */
const RECOMPUTED = sql`
  WITH a AS (
    SELECT * FROM kpi_statement
    WHERE NOT voided AND verb = 'answered' AND item_kind = 'post' AND module_id IS NOT NULL
      AND item_id IS NOT NULL AND actor_name IS NOT NULL AND actor_home_page IS NOT NULL),
  latest AS (
    SELECT DISTINCT ON (tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name)
           tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
           "timestamp" AS last_at
    FROM a
    ORDER BY tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
             "timestamp" DESC, registration DESC NULLS LAST),
  per AS (
    SELECT l.tenant_id, l.course_id, l.program_id, l.module_id, l.module_version, l.actor_home_page,
           l.actor_name, l.registration, l.last_at, a.item_id, coalesce(bool_or(a.success), false) AS s,
           max(a.response) AS r
    FROM latest l JOIN a ON a.tenant_id = l.tenant_id AND a.course_id IS NOT DISTINCT FROM l.course_id
      AND a.program_id IS NOT DISTINCT FROM l.program_id AND a.module_id = l.module_id
      AND a.module_version IS NOT DISTINCT FROM l.module_version AND a.actor_home_page = l.actor_home_page
      AND a.actor_name = l.actor_name AND a.registration IS NOT DISTINCT FROM l.registration
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
         last_at, (count(*) FILTER (WHERE s))::int AS total,
         json_agg(json_build_array(item_id, s, r) ORDER BY item_id) AS answers
  FROM per GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;

const KEPT = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name, registration,
         last_at, total,
         (SELECT json_agg(json_build_array(i, s, r) ORDER BY i)
          FROM unnest(items, correct, responses) AS x(i, s, r)) AS answers
  FROM kpi_post_latest`;

const everything = FACTS_EVERYTHING;

describe('latest post-test attempts kept for item analysis (kpi_post_latest)', () => {
  const database = useTestDatabase();
  let w: InsertedWorld;

  const assertRollupMatchesFacts = () => assertSameRows(KEPT, RECOMPUTED, database().db);

  async function latestOf(who: { sub: string }, version: number): Promise<string | null> {
    const { rows } = await sql<{ registration: string | null }>`
      SELECT registration FROM kpi_post_latest
      WHERE actor_name = ${who.sub} AND module_id = ${w.world.modules[0]!.id} AND module_version = ${version}`.execute(
      database().db,
    );
    assert.equal(rows.length, 1);
    return rows[0]!.registration;
  }

  /** A hand-built post-test answer under the course and (like the generator's) the program. */
  function answer(
    who: { sub: string; name: string },
    registration: string,
    item: string,
    response: string,
    success: boolean,
    timestamp: string,
    version = 3,
  ): CaptureStatement {
    const s = captureStatement(w.world, who, w.world.modules[0]!.id, 'answered', {
      item: { phase: 'post', id: item },
      result: { response, success },
      registration,
      timestamp,
      version,
    });
    if (w.world.programId) {
      s.context.contextActivities.grouping!.push({ id: iri.program(w.world.tenantId, w.world.programId) });
    }
    return s;
  }

  const store = (statements: object[]) =>
    storeStatements(createServices({ db: database().db }), w.tenantName, statements);

  async function assertSameFromRollupAndFacts(scope: KpiScope): Promise<void> {
    const repo = createKpiRepository(database().db);
    const fromRollup = await repo.itemAnalysis(scope);
    assert.deepEqual(fromRollup, await repo.itemAnalysis({ ...scope, ...everything }));
    // Whole days (kpi_post_attempt_day, 0071): each learner's latest attempt within the range.
    const { days, facts } = middleDays(w.statements);
    const inDays = await repo.itemAnalysis({ ...scope, ...days });
    if (Object.keys(scope).length === 2) assert.ok(inDays.items.length > 0, 'the middle days hold answers');
    assert.deepEqual(inDays, await repo.itemAnalysis({ ...scope, ...facts }));
    // Limited to modules (a report's; the ranked paths run two halves side by side): the same rows.
    const [m0, m1] = w.world.modules.map((m) => m.id);
    for (const s of [scope, { ...scope, ...everything }, { ...scope, ...days }, { ...scope, ...facts }]) {
      const all = await repo.itemAnalysis(s);
      for (const ids of [[m0!, m1!], [m1!], []]) {
        assert.deepEqual(
          await repo.itemAnalysis(s, ids),
          {
            items: all.items.filter((i) => ids.includes(i.moduleId)),
            options: all.options.filter((o) => ids.includes(o.moduleId)),
          },
          `${JSON.stringify(s)} limited to ${ids.length} modules`,
        );
      }
    }
  }

  before(async function () {
    this.timeout(60000);
    w = await insertWorldWithStatements(
      database().db,
      createServices({ db: database().db }),
      { seed: 31, learners: 12, modules: 2 },
      { seed: 9 },
    );
  });

  it('equals a recomputation from the facts after statements are stored through the LRS', async () => {
    assert.ok((await assertRollupMatchesFacts()) > 5, 'the world has post-test attempts');
  });

  it('keeps the attempt of the newest answer when two attempts arrive out of timestamp order', async () => {
    const who = w.world.learners[0]!;
    const [early, late] = [randomUUID(), randomUUID()];
    await store([
      answer(who, late, 'q1', 'a', true, '2030-01-01T11:00:00Z'),
      answer(who, late, 'q2', 'b', false, '2030-01-01T11:01:00Z'),
    ]);
    await store([
      answer(who, early, 'q1', 'c', false, '2030-01-01T10:00:00Z'),
      answer(who, early, 'q2', 'a[,]b', true, '2030-01-01T10:01:00Z'),
      answer(who, early, 'q3', 'd', true, '2030-01-01T10:02:00Z'),
    ]);
    assert.equal(await latestOf(who, 3), late);
    await assertRollupMatchesFacts();
    // A later answer of the earlier attempt makes it the latest: the row is rebuilt from its answers.
    await store([answer(who, early, 'q4', 'a', true, '2030-01-01T12:00:00Z')]);
    assert.equal(await latestOf(who, 3), early);
    await assertRollupMatchesFacts();
    // Answers to a question already answered merge: any correct counts, the greatest response is kept.
    await store([
      answer(who, early, 'q1', 'd', true, '2030-01-01T10:30:00Z'),
      answer(who, early, 'q1', 'b', false, '2030-01-01T10:31:00Z'),
      answer(who, early, 'q1', 'a', false, '2030-01-01T12:30:00Z'),
    ]);
    await assertRollupMatchesFacts();
  });

  it('breaks a tie on the newest answer by the greater registration, as the facts path does', async () => {
    const who = w.world.learners[1]!;
    const [a, b] = [randomUUID(), randomUUID()];
    const at = '2030-02-01T09:00:00Z';
    await store([answer(who, a, 'q1', 'a', true, at), answer(who, b, 'q1', 'b', false, at)]);
    assert.equal(await latestOf(who, 3), a > b ? a : b);
    await assertRollupMatchesFacts();
    await assertSameFromRollupAndFacts({
      tenantId: w.world.tenantId,
      courseId: w.world.courseId,
      moduleId: w.world.modules[0]!.id,
      moduleVersion: 3,
    });
  });

  it('makes the previous attempt the latest again when the newest answer is voided', async () => {
    const who = w.world.learners[2]!;
    const [first, second] = [randomUUID(), randomUUID()];
    const newest = answer(who, second, 'q1', 'c', true, '2030-03-01T10:00:00Z');
    await store([
      answer(who, first, 'q1', 'a', false, '2030-03-01T09:00:00Z'),
      answer(who, first, 'q2', 'b', true, '2030-03-01T09:01:00Z'),
      newest,
    ]);
    assert.equal(await latestOf(who, 3), second);
    await store(voidingStatements([newest.id]));
    assert.equal(await latestOf(who, 3), first);
    await assertRollupMatchesFacts();
  });

  it('follows voided answers of generated attempts, deleting a row whose answers are all voided', async () => {
    const posts = w.statements.filter(
      (s) => s.verb.id === VERBS.answered && (s.object as { id: string }).id.includes('/post-test/'),
    );
    const gone = posts.filter((s) => s.actor.account?.name === w.world.learners[3]!.sub);
    await store(voidingStatements([...posts.filter((_, i) => i % 3 === 0), ...gone].map((s) => s.id)));
    assert.ok((await assertRollupMatchesFacts()) > 0);
    const { rows } =
      await sql`SELECT 1 FROM kpi_post_latest WHERE actor_name = ${w.world.learners[3]!.sub}`.execute(
        database().db,
      );
    assert.equal(rows.length, 0);
  });

  it('takes a learner whose answers span rows (version absent and 0, no program) from the facts', async () => {
    const who = w.world.learners[4]!;
    const [one, two] = [randomUUID(), randomUUID()];
    const versionless = answer(who, two, 'q2', 'a', true, '2030-04-01T10:00:00Z', 0);
    delete (versionless.context.extensions as Record<string, unknown>)[EXTENSIONS.moduleVersion];
    const programless = captureStatement(w.world, who, w.world.modules[0]!.id, 'answered', {
      item: { phase: 'post', id: 'q3' },
      result: { response: 'b', success: true },
      registration: two,
      timestamp: '2030-04-01T10:05:00Z',
      version: 0,
    });
    await store([
      answer(who, one, 'q1', 'a', true, '2030-04-01T09:00:00Z', 0),
      answer(who, one, 'q2', 'c', false, '2030-04-01T09:01:00Z', 0),
      versionless,
      programless,
    ]);
    await assertRollupMatchesFacts();
    const { rows } = await sql<{ split: boolean }>`
      SELECT split FROM kpi_post_latest WHERE actor_name = ${who.sub} AND coalesce(module_version, 0) = 0
      ORDER BY split`.execute(database().db);
    assert.deepEqual(
      rows.map((r) => r.split),
      w.world.programId ? [false, true, true] : [false, true],
    );
    const scope = {
      tenantId: w.world.tenantId,
      courseId: w.world.courseId,
      moduleId: w.world.modules[0]!.id,
    };
    await assertSameFromRollupAndFacts(scope);
    await assertSameFromRollupAndFacts({ ...scope, moduleVersion: 0 });
    const version0 = await createKpiRepository(database().db).itemAnalysis(scope);
    const q3 = version0.items.find((i) => i.moduleVersion === null && i.itemId === 'q3');
    assert.equal(q3?.learners, 1, 'the latest attempt spans the rows: q3 comes from the program-less row');
    assert.equal(q3?.difficulty, 1);
  });

  it('merges an attempt answered across midnight for a range of whole days, as the facts give it', async () => {
    const repo = createKpiRepository(database().db);
    const [who, other] = [w.world.learners[2]!, w.world.learners[3]!];
    const [overnight, before, earlier] = [randomUUID(), randomUUID(), randomUUID()];
    await store([
      answer(other, before, 'q1', 'a', true, '2030-02-01T08:00:00Z'),
      // An earlier attempt of the same learner in the range: not merged into the latest one.
      answer(who, earlier, 'q1', 'c', false, '2030-02-01T07:00:00Z'),
      answer(who, earlier, 'q4', 'd', true, '2030-02-01T07:01:00Z'),
      answer(who, overnight, 'q1', 'b', false, '2030-02-01T23:59:00Z'),
      answer(who, overnight, 'q2', 'a', true, '2030-02-01T23:59:30Z'),
      answer(who, overnight, 'q1', 'a', true, '2030-02-02T00:01:00Z'),
      answer(who, overnight, 'q3', 'c', false, '2030-02-02T00:02:00Z'),
    ]);
    await assertRollupMatchesFacts();
    const course = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    for (const [from, to] of [
      ['2030-02-01', '2030-02-03'],
      ['2030-02-02', '2030-02-03'],
      ['2030-02-01', '2030-02-02'],
    ] as const) {
      const days = { from: new Date(from), to: new Date(to) };
      const facts = { from: days.from, to: new Date(days.to.getTime() - 1) };
      const inDays = await repo.itemAnalysis({ ...course, ...days });
      assert.ok(inDays.items.length > 0, `${from}..${to} has answers`);
      assert.deepEqual(inDays, await repo.itemAnalysis({ ...course, ...facts }), `${from}..${to}`);
    }
  });

  it('gives the same item analysis from the rollup as from the facts (course, module version, cohort)', async () => {
    const repo = createKpiRepository(database().db);
    const course = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    const all = await repo.itemAnalysis(course);
    assert.ok(all.items.length > 5 && all.options.some((o) => o.response === null));
    await assertSameFromRollupAndFacts(course);
    for (const version of [1, 2, 3]) {
      await assertSameFromRollupAndFacts({
        ...course,
        moduleId: w.world.modules[0]!.id,
        moduleVersion: version,
      });
    }
    assert.ok(w.world.cohorts, 'the world has cohorts');
    await assertSameFromRollupAndFacts({ ...course, cohortId: w.world.cohorts.treatmentId });
    if (w.world.programId)
      await assertSameFromRollupAndFacts({ tenantId: course.tenantId, programId: w.world.programId });
  });

  it('leaves nothing half-written when a batch is rejected', async () => {
    const fresh = answer(w.world.learners[5]!, randomUUID(), 'q1', 'a', true, '2031-01-01T00:00:00Z');
    await assertRejectedBatchLeavesNothing(database().db, w, fresh, KEPT);
    await assertRollupMatchesFacts();
  });

  it('is rebuilt from the facts after a bulk load by COPY (triggers off)', async function () {
    this.timeout(60000);
    const world = await copySmallWorld(database(), { world: 32, statements: 10 });
    await assertRollupMatchesFacts();
    const { rows } = await sql`SELECT 1 FROM kpi_post_latest WHERE tenant_id = ${world.tenantId}`.execute(
      database().db,
    );
    assert.ok(rows.length > 0);
  });
});
