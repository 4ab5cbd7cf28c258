import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../../support/test-database.js';
import { assertSameRows } from '../../../support/rollup-checks.js';
import { createServices } from '../../../../src/services.js';
import { createXapiStatementRepository } from '../../../../src/storage/repositories/xapi-statement-repository.js';
import { createStatementService } from '../../../../src/xapi/statements/statement-service.js';
import { VERBS } from '../../../../src/learning/vocabulary.js';
import { insertCourseWorld, voidingStatements, worldStatements } from '../../../fixtures/course-world.js';

const DAYS_RECOMPUTED = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
         to_char(("timestamp" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*)::int AS statements,
         (count(*) FILTER (WHERE verb = 'launched'))::int AS launched
  FROM kpi_statement WHERE NOT voided GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;

const DAYS_KEPT = sql`
  SELECT tenant_id, course_id, program_id, module_id, module_version, actor_home_page, actor_name,
         to_char(day, 'YYYY-MM-DD') AS day, statements, launched
  FROM kpi_learner_day WHERE statements > 0`;

describe('KPI capture through the outbox (issue #17)', () => {
  const database = useTestDatabase();

  it('stores statements without their facts, and a report first captures everything committed before it', async () => {
    const { db } = database();
    const services = createServices({ db });
    const { world, tenantName } = await insertCourseWorld(db, { seed: 12, learners: 6, modules: 1 });
    const statements = worldStatements(world, { seed: 3, neverStartShare: 0 });
    // A statement service that tells no drainer: nothing captures in the background.
    const quiet = createStatementService({ db, statements: createXapiStatementRepository(db) });
    const credential = await services.lrsCredentials.create({
      tenant: tenantName,
      scopes: ['all'],
      homePage: 'http://yardstick.test',
    });
    const principal = await services.lrsCredentials.authenticate(credential.key, credential.secret);
    const store = (body: object[]) =>
      quiet.store({
        principal,
        version: '2.0.0',
        body: Buffer.from(JSON.stringify(body)),
        contentType: 'application/json',
      });
    const facts = async (voided: boolean) =>
      Number(
        (
          await sql<{ n: string }>`
            SELECT count(*) AS n FROM kpi_statement WHERE tenant_id = ${world.tenantId} AND voided = ${voided}`.execute(
            db,
          )
        ).rows[0]!.n,
      );

    await store(statements);
    assert.equal(await facts(false), 0, 'the storing transaction captured nothing');

    await services.kpiReports.build({ tenantId: world.tenantId, courseId: world.courseId });
    assert.equal(await facts(false), statements.length);
    assert.ok((await assertSameRows(DAYS_KEPT, DAYS_RECOMPUTED, db)) > 6);

    // A voiding committed after the capture reaches the facts and rollups at the next report too.
    const launches = statements.filter((s) => s.verb.id === VERBS.launched).slice(0, 2);
    await store(voidingStatements(launches.map((s) => s.id)));
    assert.equal(await facts(true), 0);
    await services.kpiReports.learnerCount({ tenantId: world.tenantId, courseId: world.courseId });
    assert.equal(await facts(true), 2);
    await assertSameRows(DAYS_KEPT, DAYS_RECOMPUTED, db);
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM xapi_statement_outbox WHERE tenant_id = ${world.tenantId}`.execute(db);
    assert.equal(Number(rows[0]!.n), 0, 'the outbox is empty');
  });

  it('captures a statement voided before its capture as voided (the outbox order does not matter)', async () => {
    const { db } = database();
    const services = createServices({ db });
    const { world, tenantName } = await insertCourseWorld(db, { seed: 13, learners: 3, modules: 1 });
    const statements = worldStatements(world, { seed: 4, neverStartShare: 0 });
    const quiet = createStatementService({ db, statements: createXapiStatementRepository(db) });
    const credential = await services.lrsCredentials.create({
      tenant: tenantName,
      scopes: ['all'],
      homePage: 'http://yardstick.test',
    });
    const principal = await services.lrsCredentials.authenticate(credential.key, credential.secret);
    const launch = statements.find((s) => s.verb.id === VERBS.launched)!;
    for (const body of [statements, voidingStatements([launch.id])])
      await quiet.store({
        principal,
        version: '2.0.0',
        body: Buffer.from(JSON.stringify(body)),
        contentType: 'application/json',
      });
    await services.kpiFacts.drain(world.tenantId);
    const { rows } = await sql<{ voided: boolean }>`
      SELECT voided FROM kpi_statement WHERE tenant_id = ${world.tenantId} AND statement_id = ${launch.id}`.execute(
      db,
    );
    assert.deepEqual(rows, [{ voided: true }]);
    await assertSameRows(DAYS_KEPT, DAYS_RECOMPUTED, db);
  });
});
