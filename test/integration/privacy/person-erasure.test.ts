import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { useTestDatabase } from '../../support/test-database.js';
import { createServices } from '../../../src/services.js';
import { createKpiRepository } from '../../../src/storage/repositories/kpi-repository.js';
import { jobQueueInstallScript } from '../../../src/storage/job-queue.js';
import { insertWorldWithStatements, type InsertedWorld } from '../../fixtures/course-world.js';
import { sha2Of, storeWithAttachments } from '../../fixtures/xapi/attachments.js';
import type { WorldLearner } from '../../../src/dev/synthetic/course-world.js';

type Db = ReturnType<ReturnType<typeof useTestDatabase>>['db'];

/** Every text-like or binary column of every table in the app's schemas and pg-boss', from the catalog. */
async function columnsToSearch(db: Db) {
  const { rows } = await sql<{ schema: string; table: string; column: string; type: string }>`
    SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column, c.data_type AS type
      FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
       AND (c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'uuid', 'ARRAY', 'bytea'))
     ORDER BY 1, 2, 3`.execute(db);
  return rows;
}

/** A needle as a whole word (not part of a longer id: "learner-1" is not found in "learner-12"). */
const WORD = (expr: string) =>
  `EXISTS (SELECT 1 FROM unnest($1::text[]) v
            WHERE ${expr} ~ ('(^|[^A-Za-z0-9_-])' || regexp_replace(v, '([^A-Za-z0-9 ])', '\\\\\\1', 'g') || '($|[^A-Za-z0-9_-])'))`;

/** Columns of the catalog holding one of the needles (bytea columns searched as UTF-8 text). */
async function columnsNaming(db: Db, needles: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const c of await columnsToSearch(db)) {
    const value = c.type === 'bytea' ? `encode("${c.column}", 'escape')` : `"${c.column}"::text`;
    const q = `SELECT count(*)::int AS n FROM "${c.schema}"."${c.table}" WHERE ${WORD(value)}`;
    const n = (await db.executeQuery<{ n: number }>(CompiledQuery.raw(q, [needles]))).rows[0]!.n;
    if (n > 0) hits.push(`${c.schema}.${c.table}.${c.column}: ${n}`);
  }
  return hits;
}

/** Rows of each analyst view (schema `analytics`) naming one of the needles, read as the analyst login. */
async function analystViewsNaming(db: Db, analyst: pg.Client, needles: string[]): Promise<string[]> {
  const { rows: views } = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.views WHERE table_schema = 'analytics' ORDER BY 1`.execute(
    db,
  );
  assert.ok(views.length >= 9, `the analyst views: ${views.map((v) => v.name).join(', ')}`);
  const hits: string[] = [];
  for (const v of views) {
    const { rows } = await analyst.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM analytics."${v.name}" r WHERE ${WORD('to_jsonb(r)::text')}`,
      [needles],
    );
    if (rows[0]!.n > 0) hits.push(`analytics.${v.name}: ${rows[0]!.n}`);
  }
  return hits;
}

describe('Erasing a person', () => {
  const database = useTestDatabase();
  // Inner hooks run before the outer one drops the database (and ends the analyst's connection).
  describe('with data in every store, an attachment and an analyst login', () => {
    let w: InsertedWorld;
    let person: WorldLearner;
    const employeeId = 'EMP-ERASE-77';
    let handbookSha2: string;
    let analyst: pg.Client;
    let analystRole: string | undefined;

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
      // A certificate naming the person, and a handbook the person and another learner both attached.
      const other = w.world.learners.find((l) => l.userId !== person.userId)!;
      const account = (sub: string) => ({
        objectType: 'Agent',
        account: { homePage: w.world.issuer, name: sub },
      });
      await storeWithAttachments(services, w.tenantName, account(person.sub), [
        `Certificate of completion: ${person.name}`,
        'Benefits handbook, 2026 edition',
      ]);
      await storeWithAttachments(services, w.tenantName, account(other.sub), [
        'Benefits handbook, 2026 edition',
      ]);
      handbookSha2 = sha2Of('Benefits handbook, 2026 edition');

      const role = await services.analystAccess.create(w.tenantName);
      analystRole = role.roleName;
      const url = new URL(database().url);
      url.username = role.roleName;
      url.password = role.password;
      analyst = new pg.Client({ connectionString: url.toString() });
      await analyst.connect();
    });
    after(async () => {
      await analyst?.end();
      if (analystRole)
        await createServices({ db: database().db }).analystAccess.revoke(w.tenantName, analystRole);
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
        'xapi_attachment (files attached to their statements)',
        'lti_grade_passback (grades sent)',
        'pgboss.job',
      ])
        assert.ok(places.has(p), `find lists ${p}: ${JSON.stringify(found.locations)}`);

      const needles = [person.userId, person.sub, person.email, person.name, person.personId, employeeId];
      assert.ok(
        (await analystViewsNaming(db, analyst, needles)).some((h) => h.startsWith('analytics.lms_events')),
        'the analyst sees the person before',
      );
      assert.ok(
        (await columnsNaming(db, [person.name])).includes('public.xapi_attachment.content: 1'),
        'the certificate names the person before',
      );

      const result = await services.privacy.erase(
        w.world.tenantId,
        { kind: 'employeeId', employeeId },
        { requestedBy: 'the employee', approvedBy: 'dpo@example.com' },
      );
      assert.equal(result.tombstones, 1);
      assert.deepEqual(
        result.erased.find((e) => e.place.startsWith('xapi_attachment')),
        { place: 'xapi_attachment (files attached to their statements)', count: 1 },
      );

      assert.deepEqual(await columnsNaming(db, needles), []);
      assert.deepEqual(await analystViewsNaming(db, analyst, needles), []);
      const attachments = await sql<{ sha2: string }>`
      SELECT sha2 FROM xapi_attachment WHERE tenant_id = ${w.world.tenantId}`.execute(db);
      assert.deepEqual(
        attachments.rows.map((r) => r.sha2),
        [handbookSha2],
        "the handbook another learner's statement also declares is kept",
      );

      const after = await kpis.learnerSummaries(scope);
      assert.deepEqual(
        after,
        before.filter((l) => l.userId !== person.userId),
      );
      const requests = await sql<{ n: number }>`SELECT count(*)::int AS n FROM privacy_request`.execute(db);
      assert.equal(requests.rows[0]!.n, 1);
    });
  });
});
