import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, type CookieJar } from '../../support/lti-client.js';
import { insertCourseWorld, storeStatements, worldStatements } from '../../fixtures/course-world.js';
import type { CourseWorld } from '../../../src/dev/synthetic/course-world.js';
import type { LtiSession } from '../../../src/lti/model.js';

/** The report's export links, as the page renders them (href unescaped), by table id. */
function exportLinks(html: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const m of html.matchAll(/<a href="([^"]+)" data-export="([^"]+)">/g))
    links.set(m[2]!, m[1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='));
  return links;
}

/** A request as a browser sends a download inside an LMS iframe that blocks third-party cookies. */
const withoutCookie = (url: string) => fetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });

describe('Signed CSV download links of the KPI reports', function () {
  this.timeout(120000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let world: CourseWorld;
  let courseA: string;
  let instructorA: CookieJar;
  let instructorB: CookieJar;
  let learner: CookieJar;

  const landing = async (person: string, course: string) => {
    const { res, jar } = await launch(h.devLms, person, course, `${course}-module-1`);
    assert.equal(res.status, 303, await res.clone().text());
    return { jar, location: res.headers.get('location')! };
  };
  const sessionOf = async (jar: CookieJar): Promise<LtiSession> => {
    const value = /(?:^|; )yardstick_lti=([^;]+)/.exec(jar.header())![1]!;
    return (await h.services.lti.launches.findSession(decodeURIComponent(value)))!;
  };
  const reportLinks = async () =>
    exportLinks(await (await get(`${h.url}/courses/${courseA}/report`, instructorA)).text());

  before(async () => {
    h = await startLtiHarness(testDb());
    const a = await landing('ines', 'safety-101');
    instructorA = a.jar;
    courseA = /\/courses\/([0-9a-f-]{36})\//.exec(a.location)![1]!;
    instructorB = (await landing('ines', 'sales-201')).jar;
    learner = (await landing('ana', 'safety-101')).jar;
    const db = testDb().db;
    const tenant = await h.services.tenants.getByName('Demo');
    const ana = await db
      .selectFrom('lti_user')
      .select(['id', 'platform_id', 'xapi_home_page'])
      .where('tenant_id', '=', tenant.id)
      .where('sub', '=', 'ana')
      .executeTakeFirstOrThrow();
    ({ world } = await insertCourseWorld(db, {
      seed: 32,
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
    await storeStatements(h.services, 'Demo', worldStatements(world, { seed: 5, neverStartShare: 0 }));
  });
  after(async () => h?.close());

  it('downloads every CSV link of the course report without a cookie, each once', async () => {
    const links = await reportLinks();
    for (const id of ['modules', 'time-on-task', 'pre-post', 'weekly', 'learners'])
      assert.ok(links.has(id), `a link for ${id}`);
    for (const [id, href] of links) {
      const res = await withoutCookie(`${h.url}${href}`);
      assert.equal(res.status, 200, `${id}: ${await res.clone().text()}`);
      assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.match(
        res.headers.get('content-disposition')!,
        new RegExp(`filename="forklift-safety-101-${id}-`),
      );
      parse(await res.text(), { columns: true });
    }
    const again = await withoutCookie(`${h.url}${links.get('modules')!}`);
    assert.equal(again.status, 403);
    assert.match(
      await again.text(),
      /already used.*Go back to the report, reload it, and click the download link again/s,
    );
  });

  it('exports one row per learner with numbers where numbers belong', async () => {
    const res = await withoutCookie(`${h.url}${(await reportLinks()).get('learners')!}`);
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    const count = await h.services.kpiReports.learnerCount({ tenantId: world.tenantId, courseId: courseA });
    assert.equal(rows.length, count);
    assert.equal(new Set(rows.map((r) => r.lms_user_id)).size, count, 'the LMS user id tells learners apart');
    const ana = rows.find((r) => r.lms_user_id === 'ana')!;
    assert.equal(ana.name, 'Ana Alvarez');
    const active = rows.filter((r) => r.time_on_task_minutes !== '');
    assert.ok(active.length > 0);
    for (const r of active) {
      assert.match(r.time_on_task_minutes!, /^\d+(\.\d+)?$/);
      // A date in a week with fewer active learners than the privacy minimum is withheld (issue #18).
      assert.match(r.last_activity_date!, /^(\d{4}-\d{2}-\d{2}|withheld)$/);
      assert.ok(['completed', 'in progress'].includes(r.status!));
    }
    for (const r of rows.filter((x) => x.pre_score_percent !== ''))
      assert.ok(Number(r.pre_score_percent) >= 0 && Number(r.pre_score_percent) <= 100);
  });

  it('refuses a link whose address was changed', async () => {
    const href = (await reportLinks()).get('modules')!;
    const res = await withoutCookie(`${h.url}${href.replace('export=modules', 'export=learners')}`);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /not valid for this file/);
  });

  it('grants a link no more than its session: another course, or a learner, gets 403', async () => {
    const links = h.services.lti.downloadLinks;
    for (const jar of [instructorB, learner]) {
      const target = `/courses/${courseA}/report?export=learners`;
      const token = links.mint(await sessionOf(jar), target);
      const res = await withoutCookie(`${h.url}${target}&link=${encodeURIComponent(token)}`);
      assert.equal(res.status, 403);
    }
  });

  it('does not render a page for a link, only its export', async () => {
    const target = `/courses/${courseA}/report`;
    const token = h.services.lti.downloadLinks.mint(await sessionOf(instructorA), target);
    const res = await withoutCookie(`${h.url}${target}?link=${encodeURIComponent(token)}`);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /works for a CSV export only/);
  });

  it('still serves the export to the session cookie without a link', async () => {
    const res = await get(
      `${h.url}/courses/${courseA}/report/quality?export=data-quality`,
      instructorA,
      'text/csv',
    );
    assert.equal(res.status, 200);
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    assert.ok(rows.every((r) => /^\d+$/.test(r.count!)));
  });
});
