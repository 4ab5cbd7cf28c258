import assert from 'node:assert/strict';
import { type Browser, type Frame, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';
import { launch } from '../support/lti-client.js';
import { assertNoXss, countDialogs, XSS_PAYLOAD } from '../support/xss.js';
import { insertCourseWorld, storeStatements, worldStatements } from '../fixtures/course-world.js';
import type { CourseWorld } from '../../src/dev/synthetic/course-world.js';

/**
 * Names, emails and course titles come from the LMS's id_token (OIDC standard claims, LTI Core 5.4.1
 * context claim), so any LMS user or course author controls them. The development LMS sends the payload
 * in all three; every page that shows them is opened in headless Chromium inside the LMS frame.
 */
describe('XSS through LTI names, emails and course titles (headless Chromium)', function () {
  this.timeout(180000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let browser: Browser;
  let world: CourseWorld;
  let courseId: string;
  let anaId: string;

  before(async () => {
    h = await startLtiHarness(testDb());
    Object.assign(h.devLms.person('ana')!, {
      name: XSS_PAYLOAD,
      givenName: XSS_PAYLOAD,
      familyName: XSS_PAYLOAD,
    });
    Object.assign(h.devLms.person('ben')!, { email: `"><img src=x onerror="window.__xss=1">@example.edu` });
    Object.assign(h.devLms.person('ines')!, { name: `Ines ${XSS_PAYLOAD}` });
    h.devLms.course('safety-101')!.title = `Forklift ${XSS_PAYLOAD}`;

    const first = await launch(h.devLms, 'ines', 'safety-101', 'safety-101-module-1');
    courseId = /\/courses\/([0-9a-f-]{36})\//.exec(first.res.headers.get('location')!)![1]!;
    const ana = await launch(h.devLms, 'ana', 'safety-101', 'safety-101-module-1');
    assert.equal(ana.res.status, 303);
    await launch(h.devLms, 'ben', 'safety-101', 'safety-101-module-1');

    const db = testDb().db;
    const tenant = await h.services.tenants.getByName('Demo');
    const anaRow = await db
      .selectFrom('lti_user')
      .select(['id', 'platform_id', 'xapi_home_page'])
      .where('tenant_id', '=', tenant.id)
      .where('sub', '=', 'ana')
      .executeTakeFirstOrThrow();
    anaId = anaRow.id;
    ({ world } = await insertCourseWorld(db, {
      seed: 16,
      learners: 12,
      modules: 2,
      existing: {
        tenantId: tenant.id,
        tenantName: 'Demo',
        platformId: anaRow.platform_id,
        issuer: anaRow.xapi_home_page,
        courseId,
        learners: [{ userId: anaRow.id, sub: 'ana', name: XSS_PAYLOAD }],
      },
    }));
    await storeStatements(h.services, 'Demo', worldStatements(world, { seed: 4, neverStartShare: 0 }));
    // Program write-ups an admin types (or pastes from a manager's mail) sit on the same pages.
    await h.services.economics.addEvidence(tenant.id, world.programId!, {
      kind: 'quote',
      title: XSS_PAYLOAD,
      author: XSS_PAYLOAD,
      body: `<p>Kept</p>${XSS_PAYLOAD}<a href="javascript:window.__xss=1">link</a><img src=x onerror="window.__xss=1">`,
    });
    await h.services.economics.addEvent(tenant.id, world.programId!, {
      startsOn: '2026-01-01',
      title: XSS_PAYLOAD,
      description: XSS_PAYLOAD,
    });

    // A passback row names its learner on the instructor's log.
    const cookie = ana.jar
      .header()
      .split('; ')
      .find((c) => c.startsWith('yardstick_lti='))!
      .slice('yardstick_lti='.length);
    const session = await h.services.lti.launches.findSession(decodeURIComponent(cookie));
    await h.services.lti.grades.submit(session!, {
      scoreGiven: 1,
      scoreMaximum: 2,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  /** The LMS page with `person` launched into Yardstick's frame (the first course's link). */
  async function launchInLms(
    person: string,
  ): Promise<{ page: Page; frame: Frame; dialogs: { opened: number } }> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 1400 } });
    const page = await context.newPage();
    const dialogs = countDialogs(page);
    await page.goto(h.devLms.urls.home);
    await page.locator(`a[data-person="${person}"]`).first().click();
    await page.frameLocator('iframe[name="tool"]').locator('h1').waitFor({ timeout: 30000 });
    assert.equal(
      await page.evaluate(() => (window as { __xss?: unknown }).__xss),
      undefined,
      'the LMS page ran it',
    );
    return { page, frame: page.frame({ name: 'tool' })!, dialogs };
  }

  it("an instructor's course report, roster, drill-down and passback log show the names and title as text", async () => {
    const { page, frame, dialogs } = await launchInLms('ines');
    const report = await assertNoXss(frame, dialogs, `${h.url}/courses/${courseId}/report`, XSS_PAYLOAD);
    assert.match(report, /Course report: Forklift Eve&lt;script&gt;/);
    assert.match(
      report,
      /&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;&quot;window.__xss&#x3D;1&quot;&gt;@example.edu/,
    );
    await assertNoXss(frame, dialogs, `${h.url}/courses/${courseId}/report/learners/${anaId}`, XSS_PAYLOAD);
    await assertNoXss(frame, dialogs, `${h.url}/courses/${courseId}/report/quality`);
    await assertNoXss(frame, dialogs, `${h.url}/courses/${courseId}/passbacks`, XSS_PAYLOAD);
    await page.context().close();
  });

  it("a learner's own progress and module pages show the course title as text", async () => {
    const { page, frame, dialogs } = await launchInLms('ana');
    await assertNoXss(frame, dialogs, `${h.url}/courses/${courseId}/progress`);
    await assertNoXss(frame, dialogs, `${h.url}/learn/safety-101-module-1`);
    await page.context().close();
  });

  it('the admin home and the program pages show the course title, evidence and events as text', async () => {
    const { page, frame, dialogs } = await launchInLms('ada');
    await assertNoXss(frame, dialogs, `${h.url}/admin`, `Forklift ${XSS_PAYLOAD}`);
    await assertNoXss(frame, dialogs, `${h.url}/admin/programs/${world.programId}/kpis`);
    await assertNoXss(frame, dialogs, `${h.url}/admin/programs/${world.programId}`);
    await assertNoXss(frame, dialogs, `${h.url}/admin/programs/${world.programId}/cohorts`);
    await assertNoXss(frame, dialogs, `${h.url}/admin/programs/${world.programId}/kirkpatrick`);
    // Its print button works from a script file, not an inline handler.
    await frame.evaluate(() => {
      const w = window as { printed?: number };
      w.printed = 0;
      window.print = () => void (w.printed! += 1);
    });
    await frame.getByRole('button', { name: 'Print this page' }).click();
    assert.equal(await frame.evaluate(() => (window as { printed?: number }).printed), 1);
    await assertNoXss(frame, dialogs, `${h.url}/admin/programs/${world.programId}/context`, XSS_PAYLOAD);
    await assertNoXss(frame, dialogs, `${h.url}/admin/programs/${world.programId}/board`);
    await page.context().close();
  });
});
