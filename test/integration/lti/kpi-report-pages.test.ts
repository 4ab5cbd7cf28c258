import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, type CookieJar } from '../../support/lti-client.js';
import { insertCourseWorld, storeStatements, worldStatements } from '../../fixtures/course-world.js';
import type { CourseWorld } from '../../../src/dev/synthetic/course-world.js';
import { reportCsvTables } from '../../../src/web/presenters/kpi-csv-tables.js';
import { toCsv } from '../../../src/web/presenters/csv.js';

describe('KPI report pages over real LTI launches', function () {
  this.timeout(120000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let world: CourseWorld;
  let courseA: string;
  let courseB: string;
  let instructorA: CookieJar;
  let instructorB: CookieJar;
  let learner: CookieJar;
  let admin: CookieJar;

  const landing = async (person: string, course: string) => {
    const { res, jar } = await launch(h.devLms, person, course, `${course}-module-1`);
    assert.equal(res.status, 303, await res.clone().text());
    return { jar, location: res.headers.get('location')! };
  };

  before(async () => {
    h = await startLtiHarness(testDb());
    const a = await landing('ines', 'safety-101');
    instructorA = a.jar;
    courseA = /\/courses\/([0-9a-f-]{36})\//.exec(a.location)![1]!;
    const b = await landing('ines', 'sales-201');
    instructorB = b.jar;
    courseB = /\/courses\/([0-9a-f-]{36})\//.exec(b.location)![1]!;
    learner = (await landing('ana', 'safety-101')).jar;
    admin = (await landing('ada', 'safety-101')).jar;
    const db = testDb().db;
    const tenant = await h.services.tenants.getByName('Demo');
    const ana = await db
      .selectFrom('lti_user')
      .select(['id', 'platform_id', 'xapi_home_page'])
      .where('tenant_id', '=', tenant.id)
      .where('sub', '=', 'ana')
      .executeTakeFirstOrThrow();
    ({ world } = await insertCourseWorld(db, {
      seed: 31,
      learners: 12,
      modules: 2,
      existing: {
        tenantId: tenant.id,
        tenantName: 'Demo',
        platformId: ana.platform_id,
        issuer: ana.xapi_home_page,
        courseId: courseA,
        learners: [{ userId: ana.id, sub: 'ana', name: 'Ana Alvarez' }],
      },
    }));
    await storeStatements(h.services, 'Demo', worldStatements(world, { seed: 4, neverStartShare: 0 }));
  });
  after(async () => h?.close());

  it('shows the instructor the course report with charts, tables and the freshness line', async () => {
    const res = await get(`${h.url}/courses/${courseA}/report`, instructorA);
    assert.equal(res.status, 200);
    const html = await res.text();
    for (const text of [
      'Module completion rate',
      'Time on task',
      'Pre/post knowledge check',
      'Post-test questions',
      'Reaction survey',
      'Manager observations',
      'Weekly starts and completions',
      'Data as of',
      'Sync roster',
      'Grade passback log',
    ]) {
      assert.ok(html.includes(text), `missing ${text}`);
    }
    assert.match(html, /<svg[^>]*role="img"/);
    // Free text is escaped, never markup.
    assert.ok(!html.includes('<b>formula</b>'));
  });

  it('exports a table as tidy CSV with the numbers the service computes', async () => {
    const res = await get(`${h.url}/courses/${courseA}/report?export=modules`, instructorA, 'text/csv');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(
      res.headers.get('content-disposition')!,
      /^attachment; filename="forklift-safety-101-modules-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const text = await res.text();
    const report = await h.services.kpiReports.build({ tenantId: world.tenantId, courseId: courseA });
    const expected = reportCsvTables(report).find((t) => t.id === 'modules')!;
    assert.equal(text, toCsv(expected.headers, expected.rows));
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 2);
    for (const r of rows) {
      assert.equal(r.completion_status, 'shown');
      for (const column of [
        'completion_rate_percent',
        'completion_ci_low_percent',
        'completion_ci_high_percent',
      ])
        assert.match(r[column]!, /^\d+(\.\d+)?$/, `${column} is a plain number`);
    }
  });

  it('filters by module and refuses a malformed filter with 400', async () => {
    const one = await get(
      `${h.url}/courses/${courseA}/report?module=${world.modules[0]!.id}&export=modules`,
      instructorA,
      'text/csv',
    );
    const rows = parse(await one.text()) as string[][];
    assert.equal(rows.length, 2);
    assert.equal(rows[1]![0], world.modules[0]!.title);
    const bad = await get(`${h.url}/courses/${courseA}/report?from=yesterday`, instructorA);
    assert.equal(bad.status, 400);
  });

  it('lists the learners and the roster a page at a time, and refuses a page number that is not one', async () => {
    const learners = await h.services.kpiReports.learnerCount({
      tenantId: world.tenantId,
      courseId: courseA,
    });
    const enrollments = (await h.services.lti.courses.rosterCounts(world.tenantId, courseA)).total;
    assert.ok(learners > 10 && learners <= 50, `${learners} learners fit one page`);
    const html = await (
      await get(`${h.url}/courses/${courseA}/report?page=7&roster_page=9`, instructorA)
    ).text();
    // A page past the end shows the last (here the only) one, without links to others.
    assert.ok(html.includes(`Showing 1–${learners} of ${learners}`), 'the learner pager');
    assert.ok(html.includes(`Showing 1–${enrollments} of ${enrollments}`), 'the roster pager');
    assert.ok(!html.includes('rel="next"') && !html.includes('rel="prev"'));
    assert.equal((html.match(/\/report\/learners\//g) ?? []).length, learners);
    const bad = await get(`${h.url}/courses/${courseA}/report?page=0`, instructorA);
    assert.equal(bad.status, 400);
  });

  it('lets the instructor drill down to a learner, without survey answers', async () => {
    const anaRow = (await h.services.kpiReports.roster({ tenantId: world.tenantId, courseId: courseA })).find(
      (l) => l.name === 'ana',
    )!;
    const res = await get(`${h.url}/courses/${courseA}/report/learners/${anaRow.userId}`, instructorA);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Ana Alvarez in Forklift Safety 101/);
    assert.ok(!/More examples|Too long for a Friday|Clear and short/.test(html));
  });

  it('answers 403 to an instructor of another course', async () => {
    for (const path of ['report', 'report/quality', 'report?export=modules']) {
      const res = await get(`${h.url}/courses/${courseA}/${path}`, instructorB);
      assert.equal(res.status, 403, path);
    }
    assert.equal((await get(`${h.url}/courses/${courseB}/report`, instructorB)).status, 200);
  });

  it('answers 403 to a learner on the course report, and shows the learner only their own progress', async () => {
    assert.equal((await get(`${h.url}/courses/${courseA}/report`, learner)).status, 403);
    assert.equal(
      (await get(`${h.url}/courses/${courseA}/report?export=modules`, learner, 'text/csv')).status,
      403,
    );
    assert.equal((await get(`${h.url}/courses/${courseB}/progress`, learner)).status, 403);
    const own = await get(`${h.url}/courses/${courseA}/progress`, learner);
    assert.equal(own.status, 200);
    const html = await own.text();
    assert.match(html, /My progress in Forklift Safety 101/);
    assert.ok(!html.includes(world.learners[0]!.name) || world.learners[0]!.sub === 'ana');
  });

  it('shows the data-quality panel', async () => {
    const res = await get(`${h.url}/courses/${courseA}/report/quality`, instructorA);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Statements without module_version/);
  });

  it('shows an admin the program KPIs with treatment and control side by side, and 403 to instructors', async () => {
    const res = await get(`${h.url}/admin/programs/${world.programId}/kpis`, admin);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Treatment and control side by side/);
    assert.match(html, /Completion by cohort/);
    assert.equal((await get(`${h.url}/admin/programs/${world.programId}/kpis`, instructorA)).status, 403);
  });
});
