import assert from 'node:assert/strict';
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

    it("cannot see another tenant's rows in the tables under the views either", async () => {
      const { rows } = await client.query('SELECT DISTINCT tenant_id FROM public.kpi_statement');
      assert.deepEqual(
        rows.map((r) => r.tenant_id),
        [a.world.tenantId],
      );
      const other = await client.query(
        'SELECT count(*)::int AS n FROM public.enrollment WHERE tenant_id = $1',
        [b.world.tenantId],
      );
      assert.equal(other.rows[0].n, 0);
    });

    it('cannot write anything, nor read what the views do not expose', async () => {
      const refused = async (statement: string) => {
        await assert.rejects(client.query(statement), /permission denied|read-only transaction/, statement);
      };
      await refused(`UPDATE public.kpi_statement SET voided = true`);
      await refused(`DELETE FROM public.enrollment`);
      await refused(
        `INSERT INTO analytics.analyst_role (role_name, tenant_id) VALUES ('x', '${b.world.tenantId}')`,
      );
      await refused(`SELECT statement FROM public.xapi_statement LIMIT 1`);
      await refused(`SELECT email FROM public.lti_user LIMIT 1`);
      await client.query('SET default_transaction_read_only = off');
      await refused(`UPDATE public.kpi_statement SET voided = true`);
      await refused(`CREATE TABLE analytics.mine (x int)`);
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
