import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { createServices } from '../../../src/services.js';
import { createKpiRepository } from '../../../src/storage/repositories/kpi-repository.js';
import { jobQueueInstallScript } from '../../../src/storage/job-queue.js';
import { insertWorldWithStatements, type InsertedWorld } from '../../fixtures/course-world.js';
import type { WorldLearner } from '../../../src/dev/synthetic/course-world.js';

/** Every text-like column of every table in the app's schemas and pg-boss', from the catalog. */
async function columnsToSearch(db: ReturnType<ReturnType<typeof useTestDatabase>>['db']) {
  const { rows } = await sql<{ schema: string; table: string; column: string }>`
    SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column
      FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
       AND (c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'uuid', 'ARRAY'))
     ORDER BY 1, 2, 3`.execute(db);
  return rows;
}

describe('Erasing a person', () => {
  const database = useTestDatabase();
  let w: InsertedWorld;
  let person: WorldLearner;
  const employeeId = 'EMP-ERASE-77';

  before(async function () {
    this.timeout(120000);
    const { db } = database();
    await db.executeQuery(CompiledQuery.raw(jobQueueInstallScript()));
    const services = createServices({ db });
    w = await insertWorldWithStatements(db, services, { seed: 18, learners: 12, modules: 2 }, { seed: 18 });
    person = w.world.learners.find((l) => l.personId)!;
    const t = w.world.tenantId;
    await sql`UPDATE person SET employee_id = ${employeeId}, email = ${person.email}, display_name = ${person.name}
              WHERE tenant_id = ${t} AND id = ${person.personId}`.execute(db);
    const agentKey = `account:${JSON.stringify([w.world.issuer, person.sub])}`;
    await sql`INSERT INTO xapi_document (tenant_id, kind, activity_iri, agent_key, registration, document_id, content, content_type, etag, updated)
              VALUES (${t}, 'state', 'http://x/a', ${agentKey}, '', 'bookmark', ${Buffer.from('{"page":3}')}, 'application/json', '"e"', now())`.execute(
      db,
    );
    const [passback] = (
      await sql<{ id: string }>`
        INSERT INTO lti_grade_passback (tenant_id, platform_id, context_id, user_id, lineitem_url, score_given, score_maximum,
                                        activity_progress, grading_progress, score_timestamp, status)
        VALUES (${t}, ${w.world.platformId}, ${w.world.courseId}, ${person.userId}, 'http://lms/li/1', 8, 10,
                'Completed', 'FullyGraded', now(), 'queued') RETURNING id`.execute(db)
    ).rows;
    await db.executeQuery(CompiledQuery.raw(`SELECT pgboss.create_queue('lti-ags-passback', '{}'::json)`));
    await db.executeQuery(
      CompiledQuery.raw(`INSERT INTO pgboss.job (name, data) VALUES ('lti-ags-passback', $1)`, [
        JSON.stringify({ tenantId: t, id: passback!.id }),
      ]),
    );
    await sql`INSERT INTO outcome_payroll (tenant_id, person_id, period, deferral_pct, import_id)
              VALUES (${t}, ${person.personId}, '2026-01-01', 4, ${randomUUID()})`.execute(db);
    await sql`INSERT INTO learning_time_total (tenant_id, user_id, module_id, seconds, sessions, estimated_sessions)
              VALUES (${t}, ${person.userId}, ${w.world.modules[0]!.id}, 60, 1, 0)`.execute(db);
    await sql`INSERT INTO chart_render_cache (tenant_id, model_hash, rendered) VALUES (${t}, 'h', '{}')`.execute(
      db,
    );
  });

  it('leaves no row in any table or column that names them, and reports lose exactly their row', async function () {
    this.timeout(120000);
    const { db } = database();
    const services = createServices({ db });
    const kpis = createKpiRepository(db);
    const scope = { tenantId: w.world.tenantId, courseId: w.world.courseId };
    const before = await kpis.learnerSummaries(scope);
    assert.ok(
      before.some((l) => l.userId === person.userId),
      'the person is in the report before',
    );

    const found = await services.privacy.find(w.world.tenantId, { kind: 'employeeId', employeeId });
    const places = new Set(found.locations.map((l) => l.place));
    for (const p of [
      'lti_user',
      'person (people table)',
      'xapi_statement (as actor, object or in context)',
      'xapi_document (state and agent profile)',
      'outcome_payroll',
      'lti_grade_passback (grades sent)',
      'pgboss.job',
    ])
      assert.ok(places.has(p), `find lists ${p}: ${JSON.stringify(found.locations)}`);

    const result = await services.privacy.erase(
      w.world.tenantId,
      { kind: 'employeeId', employeeId },
      { requestedBy: 'the employee', approvedBy: 'dpo@example.com' },
    );
    assert.equal(result.tombstones, 1);

    const needles = [person.userId, person.sub, person.email, person.name, person.personId, employeeId];
    const hits: string[] = [];
    for (const c of await columnsToSearch(db)) {
      const q = `SELECT count(*)::int AS n FROM "${c.schema}"."${c.table}"
                  WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) v
                                 WHERE "${c.column}"::text ~ ('(^|[^A-Za-z0-9_-])' || regexp_replace(v, '([^A-Za-z0-9 ])', '\\\\\\1', 'g') || '($|[^A-Za-z0-9_-])'))`;
      const n = (await db.executeQuery<{ n: number }>(CompiledQuery.raw(q, [needles]))).rows[0]!.n;
      if (n > 0) hits.push(`${c.schema}.${c.table}.${c.column}: ${n}`);
    }
    assert.deepEqual(hits, []);

    const after = await kpis.learnerSummaries(scope);
    assert.deepEqual(
      after,
      before.filter((l) => l.userId !== person.userId),
    );
    const requests = await sql<{ n: number }>`SELECT count(*)::int AS n FROM privacy_request`.execute(db);
    assert.equal(requests.rows[0]!.n, 1);
  });
});
