import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../../support/test-database.js';
import { createServices } from '../../../../src/services.js';
import { EXTENSIONS, VERBS } from '../../../../src/learning/vocabulary.js';
import {
  insertWorldWithStatements,
  storeStatements,
  voidingStatements,
  type InsertedWorld,
} from '../../../fixtures/course-world.js';

describe('KPI facts kept by the statement trigger', () => {
  const database = useTestDatabase();
  let w: InsertedWorld;

  before(async function () {
    this.timeout(60000);
    const services = createServices({ db: database().db });
    w = await insertWorldWithStatements(
      database().db,
      services,
      { seed: 11, learners: 12, modules: 2 },
      { seed: 3 },
    );
  });

  it('extracts one fact per capture statement with the contract keys', async () => {
    const { db } = database();
    const facts = (await db
      .selectFrom('kpi_statement' as never)
      .selectAll()
      .execute()) as Record<string, unknown>[];
    assert.equal(facts.length, w.statements.length);
    const byId = new Map(facts.map((f) => [f.statement_id as string, f]));
    for (const s of w.statements) {
      const f = byId.get(s.id)!;
      assert.ok(f, `no fact for ${s.id}`);
      assert.equal(f.course_id, w.world.courseId);
      assert.equal(f.program_id, w.world.programId);
      assert.equal(f.verb, s.verb.display['en-US']);
      assert.equal(f.module_version, s.context.extensions[EXTENSIONS.moduleVersion] ?? null);
      assert.equal(f.assignment_id, s.context.extensions[EXTENSIONS.assignmentId] ?? null);
      assert.equal(f.actor_name, s.actor.account.name);
      assert.equal(f.response, (s.result?.response as string | undefined) ?? null);
      if (s.verb.id === VERBS.terminated || s.verb.id === VERBS.abandoned) {
        assert.ok(typeof f.duration_seconds === 'number' && f.duration_seconds >= 0);
      }
    }
    const kinds = new Set(facts.map((f) => f.item_kind));
    for (const k of ['module', 'page', 'pre', 'post', 'survey', 'observation']) assert.ok(kinds.has(k), k);
    assert.ok(facts.some((f) => f.anonymous === true));
    assert.ok(facts.some((f) => f.duration_estimated === true));
  });

  it('marks a fact voided in the transaction that voids its statement', async () => {
    const { db } = database();
    const services = createServices({ db });
    const target = w.statements.find((s) => s.verb.id === VERBS.completed)!;
    await storeStatements(services, w.tenantName, voidingStatements([target.id]));
    const { rows } = await sql<{
      voided: boolean;
    }>`SELECT voided FROM kpi_statement WHERE statement_id = ${target.id}`.execute(db);
    assert.deepEqual(rows, [{ voided: true }]);
    const { rows: voiding } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM kpi_statement WHERE verb = 'voided'`.execute(db);
    assert.equal(voiding[0]!.n, '0');
  });
});
