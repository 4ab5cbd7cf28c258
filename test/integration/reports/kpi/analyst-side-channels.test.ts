import assert from 'node:assert/strict';
import pg from 'pg';
import { sql } from 'kysely';
import { useTestDatabase } from '../../../support/test-database.js';
import { createServices, type Services } from '../../../../src/services.js';
import { insertWorldWithStatements, type InsertedWorld } from '../../../fixtures/course-world.js';

const VIEWS = [
  'xapi_statements',
  'lms_events',
  'quiz_results',
  'enrollments',
  'outcome_payroll',
  'outcome_plan_participation',
  'outcome_claims',
  'outcome_hris',
  'outcomes',
];

interface PlanNode {
  'Node Type': string;
  'Actual Rows'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

/**
 * The attacks of issue #16 item 2, as tenant A's analyst login against tenant B's rows: each shows the
 * same probe firing on A's rows (so the test can fail) and never on B's.
 */
describe("an analyst login probing another tenant's rows", function () {
  this.timeout(120000);
  const database = useTestDatabase();
  describe('as an analyst of tenant A', () => {
    let services: Services;
    let a: InsertedWorld;
    let b: InsertedWorld;
    let url: URL;
    let roleName: string;
    const clients: pg.Client[] = [];

    async function connect(): Promise<pg.Client> {
      const client = new pg.Client({ connectionString: url.toString() });
      clients.push(client);
      await client.connect();
      return client;
    }

    async function asSuperuser(text: string): Promise<void> {
      await sql.raw(text).execute(database().db);
    }

    before(async () => {
      services = createServices({ db: database().db });
      a = await insertWorldWithStatements(
        database().db,
        services,
        { seed: 41, learners: 6, modules: 1, tenantName: 'Probe A' },
        { seed: 1 },
      );
      b = await insertWorldWithStatements(
        database().db,
        services,
        { seed: 42, learners: 7, modules: 1, tenantName: 'Probe B' },
        { seed: 2 },
      );
      // One imported outcome of every kind in each tenant.
      for (const w of [a, b]) {
        const db = database().db;
        const common = {
          tenant_id: w.world.tenantId,
          person_id: w.world.learners[0]!.personId,
          import_id: w.world.tenantId,
        };
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
          .values({ ...common, claim_id: 'c1', claim_type: 'er', cost: '1200', service_date: '2026-02-03' })
          .execute();
        await db
          .insertInto('outcome_hris')
          .values({ ...common, period: '2026-01-01', absence_days: '2' })
          .execute();
      }
      const role = await services.analystAccess.create('Probe A');
      roleName = role.roleName;
      url = new URL(database().url);
      url.username = role.roleName;
      url.password = role.password;
      // A function the analyst may call that reports every row it is given: marked LEAKPROOF (which
      // only a superuser can do), so a planner that pushes predicates under a security barrier would
      // push it first.
      await asSuperuser(`CREATE SCHEMA spy`);
      await asSuperuser(`GRANT USAGE ON SCHEMA spy TO yardstick_analyst`);
      await asSuperuser(`
        CREATE FUNCTION spy.saw(tenant uuid) RETURNS boolean LANGUAGE plpgsql COST 0.0001 LEAKPROOF AS $$
        BEGIN RAISE NOTICE 'saw %', tenant; RETURN true; END $$`);
    });
    // Each test closes its connections: the login may hold only three.
    afterEach(async () => {
      for (const client of clients.splice(0)) await client.end().catch(() => undefined);
    });
    after(async () => {
      if (roleName) await services.analystAccess.revoke('Probe A', roleName);
    });

    it('never evaluates a dividing-by-zero predicate on another tenant’s rows, in any view', async () => {
      const client = await connect();
      for (const view of VIEWS) {
        const probe = `SELECT count(*) FROM ${view}
          WHERE CASE WHEN tenant_id = $1 THEN 1 / (octet_length(tenant_id::text) - 36) = 1 ELSE true END`;
        await assert.rejects(client.query(probe, [a.world.tenantId]), /division by zero/, view);
        await client.query(probe, [b.world.tenantId]);
      }
    });

    it('never evaluates a failing cast on another tenant’s rows', async () => {
      const client = await connect();
      // The bound is the median actor name the analyst can see, so the probe fires on tenant A's rows.
      const { rows } = await client.query<{ bound: string | null }>(
        `SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY actor_name) AS bound FROM xapi_statements`,
      );
      const bound = rows[0]!.bound;
      assert.ok(bound, 'tenant A has named actors, so the probe can fire');
      const probe = `SELECT count(*) FROM xapi_statements
        WHERE CASE WHEN tenant_id = $1 AND actor_name >= $2 THEN (actor_name || 'x')::int = 1 ELSE true END`;
      await client.query(probe, [b.world.tenantId, bound]);
      await assert.rejects(
        client.query(probe, [a.world.tenantId, bound]),
        /invalid input syntax for type integer/,
      );
    });

    it("hands a leakproof function (a pg_sleep timer's stand-in) only its own tenant's rows", async () => {
      const client = await connect();
      const seen: string[] = [];
      client.on('notice', (notice) => seen.push(notice.message ?? ''));
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM xapi_statements WHERE spy.saw(tenant_id) AND tenant_id = $1`,
        [b.world.tenantId],
      );
      assert.equal(rows[0]!.n, 0);
      assert.equal(seen.length, a.statements.length, 'the spy saw every row the view returned');
      assert.deepEqual([...new Set(seen)], [`saw ${a.world.tenantId}`]);
    });

    it("counts only its own tenant's rows in EXPLAIN ANALYZE, and shows no scan of the tables", async () => {
      assert.notEqual(a.statements.length, b.statements.length, 'tenants of different sizes');
      const client = await connect();
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) SELECT * FROM xapi_statements WHERE tenant_id = $1`,
        [b.world.tenantId],
      );
      const nodes = planNodes(rows[0]!['QUERY PLAN'][0].Plan);
      assert.deepEqual(
        nodes.map((n) => n['Node Type']),
        ['Function Scan'],
      );
      assert.equal(nodes[0]!['Rows Removed by Filter'], a.statements.length);
      assert.equal(nodes[0]!['Actual Rows'], 0);
      assert.doesNotMatch(JSON.stringify(rows), /kpi_statement|lti_user/);
    });

    it('reads no column statistics of the tables under the views', async () => {
      await asSuperuser('ANALYZE kpi_statement');
      const all = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_stats WHERE tablename = 'kpi_statement'`.execute(database().db);
      assert.ok(all.rows[0]!.n > 0);
      const client = await connect();
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stats WHERE tablename IN ('kpi_statement', 'lti_user', 'person')`,
      );
      assert.equal(rows[0]!.n, 0);
    });

    it('cannot read the tables or the inner views under the analytics views', async () => {
      const client = await connect();
      for (const relation of [
        'public.kpi_statement',
        'public.enrollment',
        'public.outcome_claim',
        'public.person',
        'analytics_private.xapi_statements',
        'analytics.analyst_role',
      ]) {
        await assert.rejects(client.query(`SELECT count(*) FROM ${relation}`), /permission denied/, relation);
      }
    });

    it('cannot create functions, tables, views, schemas or temporary tables anywhere', async () => {
      const client = await connect();
      await client.query('SET default_transaction_read_only = off');
      for (const statement of [
        'CREATE TEMP TABLE mine (x int)',
        'CREATE TABLE public.mine (x int)',
        'CREATE TABLE analytics.mine (x int)',
        'CREATE VIEW public.mine AS SELECT 1',
        `CREATE FUNCTION public.mine() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
        `CREATE FUNCTION analytics.mine() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
        `CREATE FUNCTION pg_temp.mine() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
        'CREATE SCHEMA mine',
      ]) {
        await assert.rejects(client.query(statement), /permission denied/, statement);
      }
    });

    it('starts with capped session settings and at most three connections', async () => {
      const client = await connect();
      const show = async (name: string) => (await client.query(`SHOW ${name}`)).rows[0][name];
      assert.equal(await show('statement_timeout'), '2min');
      assert.equal(await show('idle_in_transaction_session_timeout'), '1min');
      assert.equal(await show('client_connection_check_interval'), '5s');
      assert.equal(await show('work_mem'), '32MB');
      assert.equal(await show('temp_file_limit'), '1GB');
      await connect();
      await connect();
      await assert.rejects(connect(), /too many connections for role/);
    });

    it('refuses to read while the session raised work_mem or lifted a timeout, and reads again after RESET', async () => {
      const client = await connect();
      for (const [setting, value] of [
        ['work_mem', '4GB'],
        ['hash_mem_multiplier', '100'],
        ['max_parallel_workers_per_gather', '8'],
        ['statement_timeout', '0'],
        ['idle_in_transaction_session_timeout', '0'],
        ['client_connection_check_interval', '0'],
      ]) {
        // The SET itself cannot be refused: these are user-settable parameters.
        await client.query(`SET ${setting} = '${value}'`);
        await assert.rejects(
          client.query('SELECT count(*) FROM enrollments'),
          new RegExp(`${setting} = .*analyst logins read data only with ${setting} at most`),
        );
        await client.query(`RESET ${setting}`);
        await client.query('SELECT count(*) FROM enrollments');
      }
    });

    it('is refused a statement running past its timeout', async () => {
      const client = await connect();
      await client.query(`SET statement_timeout = '200ms'`);
      await assert.rejects(
        client.query('SELECT count(*) FROM xapi_statements, pg_sleep(5)'),
        /canceling statement due to statement timeout/,
      );
    });
  });
});
