import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { useTestDatabase } from '../../../support/test-database.js';
import { createServices } from '../../../../src/services.js';
import { EXTENSIONS, VERBS } from '../../../../src/learning/vocabulary.js';
import { captureFact, FACT_COLUMNS } from '../../../fixtures/capture-facts.js';
import {
  copyStatements,
  insertCourseWorld,
  worldStatements,
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

  it("derives in JavaScript (the benchmark's bulk load) the same facts the trigger writes", async () => {
    const { db } = database();
    const rows = (
      await sql`SELECT * FROM kpi_statement WHERE tenant_id = ${w.world.tenantId} AND NOT voided`.execute(db)
    ).rows as Record<string, unknown>[];
    const byId = new Map(rows.map((r) => [r.statement_id as string, r]));
    const text = (v: unknown) =>
      v === null || v === undefined
        ? null
        : v instanceof Date
          ? v.toISOString()
          : typeof v === 'boolean'
            ? v
              ? 't'
              : 'f'
            : String(v);
    for (const s of w.statements) {
      const row = byId.get(s.id);
      if (!row) continue;
      const fact = captureFact(w.world.tenantId, s, 0, '');
      FACT_COLUMNS.forEach((column, i) => {
        if (['seq', 'stored', 'voided'].includes(column)) return;
        const want = fact[i] ?? null;
        const got = text(row[column]);
        if (column === 'timestamp') assert.equal(Date.parse(got!), Date.parse(want!), column);
        else if (column === 'duration_seconds' || column === 'score_scaled')
          assert.equal(got === null ? null : Number(got), want === null ? null : Number(want), column);
        else assert.equal(got, want, `${column} of ${s.verb.display['en-US']} ${s.id}`);
      });
    }
  });

  it('bulk-loads statements and their facts by COPY, ready for the reports', async function () {
    this.timeout(60000);
    const { world } = await insertCourseWorld(database().db, { seed: 12, learners: 8, modules: 1 });
    const statements = worldStatements(world, { seed: 9 });
    const pool = new pg.Pool({ connectionString: database().url, max: 2 });
    try {
      assert.equal(await copyStatements(pool, world.tenantId, statements), statements.length);
    } finally {
      await pool.end();
    }
    const services = createServices({ db: database().db });
    const report = await services.kpiReports.build({ tenantId: world.tenantId, courseId: world.courseId });
    const completed = new Set(
      statements.filter((s) => s.verb.id === VERBS.completed).map((s) => s.actor.account.name),
    );
    const rate = report.modules[0]!.completion;
    assert.equal(rate.status, 'shown');
    if (rate.status === 'shown') assert.equal(rate.successes, completed.size);
    // The LRS keeps numbering after the bulk load.
    const { rows } = await sql<{
      ok: boolean;
    }>`SELECT (SELECT last_value FROM pg_sequences WHERE sequencename = (SELECT split_part(pg_get_serial_sequence('xapi_statement', 'seq'), '.', 2))) >= (SELECT max(seq) FROM xapi_statement) AS ok`.execute(
      database().db,
    );
    assert.ok(rows[0]!.ok);
  });
});
