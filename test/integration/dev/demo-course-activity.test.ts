import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch } from '../../support/lti-client.js';
import { seedDemoCourseActivity } from '../../../src/dev/demo/demo-course-activity.js';
import { startDevLms } from '../../../src/dev/lms/start-dev-lms.js';

describe('The demo course activity', function () {
  this.timeout(120000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb());
  });
  after(async () => h?.close());

  it("fills Forklift Safety 101 once, so the instructor's first launch shows a populated report", async () => {
    const seed = () =>
      seedDemoCourseActivity({ db: testDb().db, services: h.services, lms: h.devLms, tenantName: 'Demo' });
    const stored = await seed();
    assert.ok(stored > 1000, `stored ${stored} statements`);
    assert.equal(await seed(), 0, 'a second start adds nothing');

    const { res, jar } = await launch(h.devLms, 'ines', 'safety-101', 'safety-101-module-1');
    const courseId = /\/courses\/([0-9a-f-]{36})\//.exec(res.headers.get('location')!)![1]!;
    const report = await h.services.kpiReports.build({
      tenantId: (await h.services.tenants.getByName('Demo')).id,
      courseId,
    });
    const shown = report.modules.filter((m) => m.completion.status !== 'suppressed');
    assert.equal(shown.length, 3, 'the three sample modules are above the privacy minimum');
    const page = await get(`${h.url}/courses/${courseId}/report`, jar);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Employer match basics/);
  });

  it('adds nothing, and fails on nothing, when a restart on another port registers the LMS again', async () => {
    const seed = (lms = h.devLms) =>
      seedDemoCourseActivity({ db: testDb().db, services: h.services, lms, tenantName: 'Demo' });
    await seed();
    // npm start on another PORT: the development LMS has another issuer, so another platform row.
    const moved = (await startDevLms(
      { ...h.config, server: { ...h.config.server, publicUrl: 'http://localhost:1' } },
      h.services,
      testDb().db,
    ))!;
    assert.notEqual(moved.issuer, h.devLms.issuer);
    assert.equal(await seed(moved), 0);
    assert.equal(await seed(moved), 0);
  });
});
