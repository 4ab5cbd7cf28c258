import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { useTestDatabase } from '../../../support/test-database.js';
import { createServices, type Services } from '../../../../src/services.js';
import { insertWorldWithStatements, type InsertedWorld } from '../../../fixtures/course-world.js';

describe('analyst views and the read-only role confined to one tenant', function () {
  this.timeout(120000);
  const database = useTestDatabase();
  // Inner hooks run before the outer one drops the database.
  describe('as an analyst of tenant A', () => {
    let services: Services;
    let a: InsertedWorld;
    let b: InsertedWorld;
    let client: pg.Client;
    let roleName: string;

    before(async () => {
      services = createServices({ db: database().db });
      a = await insertWorldWithStatements(
        database().db,
        services,
        { seed: 41, learners: 6, modules: 1, tenantName: 'Analyst A' },
        { seed: 1 },
      );
      b = await insertWorldWithStatements(
        database().db,
        services,
        { seed: 42, learners: 6, modules: 1, tenantName: 'Analyst B' },
        { seed: 2 },
      );
      // Imported outcomes of one learner in each tenant, one row of every kind.
      for (const w of [a, b]) {
        const personId = w.world.learners[0]!.personId;
        const tenant_id = w.world.tenantId;
        const importId = randomUUID();
        const db = database().db;
        const common = { tenant_id, person_id: personId, import_id: importId };
        await db
          .insertInto('outcome_payroll')
          .values({ ...common, period: '2026-01-01', deferral_pct: '6' })
          .execute();
        await db
          .insertInto('outcome_plan_participation')
          .values({ ...common, as_of: '2026-01-31', participating: true, opted_out: false })
          .execute();
        await db
          .insertInto('outcome_claim')
          .values({
            ...common,
            claim_id: `c-${tenant_id}`,
            claim_type: 'er',
            cost: '1200',
            service_date: '2026-02-03',
          })
          .execute();
        await db
          .insertInto('outcome_hris')
          .values({ ...common, period: '2026-01-01', absence_days: '2' })
          .execute();
      }
      const role = await services.analystAccess.create('Analyst A');
      roleName = role.roleName;
      const url = new URL(database().url);
      url.username = role.roleName;
      url.password = role.password;
      client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
    });
    after(async () => {
      await client?.end();
      if (roleName) await services.analystAccess.revoke('Analyst A', roleName);
    });

    it("sees its tenant's rows in every view, and none of another tenant's", async () => {
      for (const view of ['xapi_statements', 'lms_events', 'quiz_results', 'enrollments']) {
        const { rows } = await client.query<{ tenant_id: string; n: string }>(
          `SELECT tenant_id, count(*) AS n FROM ${view} GROUP BY tenant_id`,
        );
        assert.deepEqual(
          rows.map((r) => r.tenant_id),
          [a.world.tenantId],
          view,
        );
        assert.ok(Number(rows[0]!.n) > 0, view);
      }
      const { rows } = await client.query('SELECT count(*)::int AS n FROM xapi_statements');
      assert.equal(rows[0].n, a.statements.length);
    });

    it("sees its tenant's imported outcomes with the person's employee and LMS ids, and none of another tenant's", async () => {
      const person = a.world.learners[0]!;
      for (const view of [
        'outcome_payroll',
        'outcome_plan_participation',
        'outcome_claims',
        'outcome_hris',
      ]) {
        const { rows } = await client.query<{ tenant_id: string; person_id: string; user_id: string | null }>(
          `SELECT tenant_id, person_id, user_id FROM ${view}`,
        );
        assert.deepEqual(
          rows.map((r) => [r.tenant_id, r.person_id]),
          [[a.world.tenantId, person.personId]],
          view,
        );
        assert.equal(rows[0]!.user_id, person.userId, `${view} user id`);
      }
      const { rows } = await client.query<{ source: string; metric: string; value: string }>(
        'SELECT source, metric, value FROM outcomes WHERE tenant_id = $1 ORDER BY source, metric',
        [a.world.tenantId],
      );
      assert.deepEqual(
        rows.map((r) => [r.source, r.metric, Number(r.value)]),
        [
          ['claims', 'claim_cost:er', 1200],
          ['hris', 'absence_days', 2],
          ['payroll', 'deferral_pct', 6],
          ['plan_participation', 'opted_out', 0],
          ['plan_participation', 'participating', 1],
        ],
      );
      const other = await client.query('SELECT count(*)::int AS n FROM outcomes WHERE tenant_id <> $1', [
        a.world.tenantId,
      ]);
      assert.equal(other.rows[0].n, 0);
    });

    it('cannot read the tables under the views at all', async () => {
      for (const table of ['kpi_statement', 'enrollment', 'outcome_claim', 'person']) {
        await assert.rejects(
          client.query(`SELECT count(*) FROM public.${table} WHERE tenant_id = $1`, [b.world.tenantId]),
          /permission denied/,
          table,
        );
      }
    });

    it('cannot write anything, nor read what the views do not expose', async () => {
      const refused = async (statement: string) => {
        await assert.rejects(client.query(statement), /permission denied|read-only transaction/, statement);
      };
      await refused(`UPDATE public.kpi_statement SET voided = true`);
      await refused(`DELETE FROM public.enrollment`);
      await refused(`DELETE FROM public.outcome_claim`);
      await refused(`UPDATE public.outcome_hris SET absence_days = 0`);
      await refused(
        `INSERT INTO analytics.analyst_role (role_name, tenant_id) VALUES ('x', '${b.world.tenantId}')`,
      );
      await refused(`SELECT statement FROM public.xapi_statement LIMIT 1`);
      await refused(`SELECT email FROM public.lti_user LIMIT 1`);
      await client.query('SET default_transaction_read_only = off');
      await refused(`UPDATE public.kpi_statement SET voided = true`);
      await refused(`CREATE TABLE analytics.mine (x int)`);
      await refused(`UPDATE public.outcome_payroll SET deferral_pct = 0`);
      await refused(
        `INSERT INTO public.outcome_claim (tenant_id, claim_id, person_id, claim_type, cost, service_date, import_id)
         SELECT tenant_id, 'x', person_id, 'er', 1, '2026-01-01', import_id FROM public.outcome_claim LIMIT 1`,
      );
    });

    it("leaves the application's own access untouched", async () => {
      const rows = await database()
        .db.selectFrom('enrollment')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .execute();
      assert.ok(Number(rows[0]!.n) >= 12);
    });
  });
});
