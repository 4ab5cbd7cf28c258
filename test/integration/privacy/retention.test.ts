import assert from 'node:assert/strict';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { createServices, type Services } from '../../../src/services.js';
import { jobQueueInstallScript } from '../../../src/storage/job-queue.js';
import type { Database } from '../../../src/storage/schema.js';
import { insertWorldWithStatements, type InsertedWorld } from '../../fixtures/course-world.js';
import { retentionSweepHandler } from '../../../src/privacy/retention-jobs.js';
import { sha2Of, storeWithAttachments } from '../../fixtures/xapi/attachments.js';

const DAY = 86_400_000;

/** Every column of every base table whose text holds `value` (as a whole token), from the catalog. */
async function columnsHolding(db: Kysely<Database>, value: string): Promise<string[]> {
  const { rows } = await sql<{ schema: string; table: string; column: string }>`
    SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column
      FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
       AND c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'uuid', 'ARRAY')
     ORDER BY 1, 2, 3`.execute(db);
  const hits: string[] = [];
  for (const c of rows) {
    const q = `SELECT count(*)::int AS n FROM "${c.schema}"."${c.table}" WHERE strpos("${c.column}"::text, $1) > 0`;
    const n = (await db.executeQuery<{ n: number }>(CompiledQuery.raw(q, [value]))).rows[0]!.n;
    if (n > 0) hits.push(`${c.schema}.${c.table}.${c.column}: ${n}`);
  }
  return hits;
}

const count = async (db: Kysely<Database>, table: string, tenantId: string) =>
  (
    await db.executeQuery<{ n: number }>(
      CompiledQuery.raw(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantId]),
    )
  ).rows[0]!.n;

describe('Retention periods and tenant deletion (issue #18)', function () {
  this.timeout(180000);
  const database = useTestDatabase();
  let services: Services;
  let doomed: InsertedWorld;
  let kept: InsertedWorld;

  before(async () => {
    const { db } = database();
    await db.executeQuery(CompiledQuery.raw(jobQueueInstallScript()));
    services = createServices({ db });
    doomed = await insertWorldWithStatements(
      db,
      services,
      { seed: 41, learners: 8, modules: 1 },
      { seed: 41 },
    );
    kept = await insertWorldWithStatements(db, services, { seed: 42, learners: 8, modules: 1 }, { seed: 42 });
    await db.executeQuery(CompiledQuery.raw(`SELECT pgboss.create_queue('lti-ags-passback', '{}'::json)`));
    for (const w of [doomed, kept])
      await db.executeQuery(
        CompiledQuery.raw(`INSERT INTO pgboss.job (name, data) VALUES ('lti-ags-passback', $1)`, [
          JSON.stringify({ tenantId: w.world.tenantId, id: 'x' }),
        ]),
      );
    await sql`INSERT INTO chart_render_cache (tenant_id, model_hash, rendered)
              VALUES (${doomed.world.tenantId}, 'h', '{}')`.execute(db);
  });

  it('erases statements older than the period and rebuilds the KPI rollups without them', async () => {
    const { db } = database();
    const t = kept.world.tenantId;
    const stored = await sql<{ min: Date; max: Date; n: number }>`
      SELECT min(stored) AS min, max(stored) AS max, count(*)::int AS n FROM xapi_statement WHERE tenant_id = ${t}`.execute(
      db,
    );
    const { n } = stored.rows[0]!;
    assert.ok(n > 0);
    // Statements were all stored moments ago: backdate half of them by 100 days.
    await sql`UPDATE xapi_statement SET stored = stored - interval '100 days'
              WHERE tenant_id = ${t} AND seq % 2 = 0`.execute(db);
    const old = (
      await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM xapi_statement WHERE tenant_id = ${t} AND stored < now() - interval '90 days'`.execute(
        db,
      )
    ).rows[0]!.n;
    await services.retention.set(t, 'statements', 90, 'the DPO');
    const shown = await services.retention.show(t);
    assert.deepEqual(
      shown.policies.map((p) => [p.kind, p.days, p.setBy]),
      [['statements', 90, 'the DPO']],
    );
    const result = await services.retention.sweep();
    const mine = result.swept.find((s) => s.tenantId === t)!;
    assert.ok(mine.erased >= old, `${mine.erased} erased, ${old} old`);
    const left = await sql<{ n: number; oldest: Date }>`
      SELECT count(*)::int AS n, min(stored) AS oldest FROM xapi_statement WHERE tenant_id = ${t}`.execute(
      db,
    );
    assert.equal(left.rows[0]!.n, n - mine.erased);
    assert.ok(left.rows[0]!.oldest.getTime() >= mine.cutoff.getTime());
    // The facts the reports read follow: no fact of an erased statement remains.
    const orphans = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM kpi_statement f WHERE f.tenant_id = ${t}
        AND NOT EXISTS (SELECT 1 FROM xapi_statement s WHERE s.tenant_id = f.tenant_id AND s.id = f.statement_id)`.execute(
      db,
    );
    assert.equal(orphans.rows[0]!.n, 0);
    assert.ok((await services.retention.show(t)).policies[0]!.lastSweptAt);
  });

  it('erases the attachments of erased statements that no kept statement declares', async () => {
    const { db } = database();
    const world = await insertWorldWithStatements(
      db,
      services,
      { seed: 43, learners: 2, modules: 1, tenantName: 'Attachments' },
      { seed: 43 },
    );
    const t = world.world.tenantId;
    const agent = (sub: string) => ({ account: { homePage: world.world.issuer, name: sub } });
    const [a, b] = world.world.learners;
    const oldId = await storeWithAttachments(services, world.tenantName, agent(a!.sub), [
      'old file',
      'shared file',
    ]);
    await storeWithAttachments(services, world.tenantName, agent(b!.sub), ['shared file']);
    await sql`UPDATE xapi_statement SET stored = stored - interval '400 days'
              WHERE tenant_id = ${t} AND id = ${oldId}`.execute(db);
    await services.retention.set(t, 'statements', 365, 'the DPO');
    await services.retention.sweep();
    const left = await sql<{ sha2: string }>`SELECT sha2 FROM xapi_attachment WHERE tenant_id = ${t}`.execute(
      db,
    );
    assert.deepEqual(
      left.rows.map((r) => r.sha2),
      [sha2Of('shared file')],
    );
  });

  it('erases only old answers, old outcome rows and old passback log rows under their own periods', async () => {
    const { db } = database();
    const t = kept.world.tenantId;
    const world = kept.world;
    await services.retention.set(t, 'statements', null, 'the DPO');
    await sql`UPDATE xapi_statement SET stored = stored - interval '400 days' WHERE tenant_id = ${t}`.execute(
      db,
    );
    const answered = 'http://adlnet.gov/expapi/verbs/answered';
    const byVerb = async () =>
      (
        await sql<{ answered: number; other: number }>`
          SELECT count(*) FILTER (WHERE verb_iri = ${answered})::int AS answered,
                 count(*) FILTER (WHERE verb_iri <> ${answered})::int AS other
            FROM xapi_statement WHERE tenant_id = ${t}`.execute(db)
      ).rows[0]!;
    const before = await byVerb();
    assert.ok(before.answered > 0 && before.other > 0);
    const person = world.learners.find((l) => l.personId)!;
    await sql`INSERT INTO outcome_payroll (tenant_id, person_id, period, deferral_pct, import_id)
              VALUES (${t}, ${person.personId}, '2000-01-01', 4, gen_random_uuid()),
                     (${t}, ${person.personId}, date_trunc('month', current_date)::date, 5, gen_random_uuid())`.execute(
      db,
    );
    await sql`INSERT INTO lti_grade_passback (tenant_id, platform_id, context_id, user_id, lineitem_url, score_given,
                score_maximum, activity_progress, grading_progress, score_timestamp, status)
              VALUES (${t}, ${world.platformId}, ${world.courseId}, ${person.userId}, 'http://lms/li/1', 8, 10,
                      'Completed', 'FullyGraded', now() - interval '3 years', 'sent')`.execute(db);
    for (const kind of ['answers', 'outcome_rows', 'logs'])
      await services.retention.set(t, kind, 365, 'the DPO');
    await services.retention.sweep();
    assert.deepEqual(await byVerb(), { answered: 0, other: before.other });
    const payroll = await sql<{ period: string }>`
      SELECT period::text FROM outcome_payroll WHERE tenant_id = ${t} AND person_id = ${person.personId}`.execute(
      db,
    );
    assert.deepEqual(
      payroll.rows.map((r) => r.period),
      [`${new Date().toISOString().slice(0, 7)}-01`],
    );
    assert.equal(await count(db, 'lti_grade_passback', t), 0);
  });

  it('refuses a kind it does not know and a period that is not whole days, saying what it takes', async () => {
    const t = kept.world.tenantId;
    await assert.rejects(services.retention.set(t, 'emails', 30, 'x'), /use one of: statements, answers/);
    await assert.rejects(services.retention.set(t, 'logs', 0.5, 'x'), /whole number of days/);
  });

  it('deletes a tenant only after its grace period, then leaves no row with its id anywhere', async () => {
    const { db } = database();
    const t = doomed.world.tenantId;
    const now = new Date();
    const deletion = await services.retention.requestTenantDeletion(t, 'the customer', 7, now);
    assert.equal(deletion.purgeAfter.getTime(), now.getTime() + 7 * DAY);
    const early = await services.retention.sweep(new Date(now.getTime() + 6 * DAY));
    assert.deepEqual(early.purgedTenants, []);
    assert.ok((await count(db, 'xapi_statement', t)) > 0, 'nothing is deleted during the grace period');

    const keptStatements = await count(db, 'xapi_statement', kept.world.tenantId);
    const late = await services.retention.sweep(new Date(now.getTime() + 8 * DAY));
    assert.deepEqual(
      late.purgedTenants.map((p) => p.tenantId),
      [t],
    );
    assert.deepEqual(await columnsHolding(db, t), []);
    assert.equal(
      await count(db, 'xapi_statement', kept.world.tenantId),
      keptStatements,
      'the other tenant is intact',
    );
    const jobs = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'tenantId' = ${kept.world.tenantId}`.execute(
      db,
    );
    assert.equal(jobs.rows[0]!.n, 1);
  });

  it('runs the sweep as the scheduled job does', async () => {
    await retentionSweepHandler(services.retention)({});
  });
});
