import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { axeViolations, blocking } from '../support/axe.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';
import { launch } from '../support/lti-client.js';
import { insertCourseWorld, storeStatements, worldStatements } from '../fixtures/course-world.js';
import type { CourseWorld } from '../../src/dev/synthetic/course-world.js';

const artifacts = path.resolve(import.meta.dirname, '..', '..', 'test-artifacts');

/**
 * Every KPI report page in headless Chromium, launched from the development LMS: screenshots at 1024
 * and 360 px (test-artifacts/kpi-*.png), no horizontal scrolling of the page at 360 px, a print
 * rendering, and axe-core with no serious or critical violations.
 */
describe('KPI report pages in the development LMS (headless Chromium)', function () {
  this.timeout(180000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let browser: Browser;
  let world: CourseWorld;
  let courseId: string;

  before(async () => {
    h = await startLtiHarness(testDb());
    const first = await launch(h.devLms, 'ines', 'safety-101', 'safety-101-module-1');
    courseId = /\/courses\/([0-9a-f-]{36})\//.exec(first.res.headers.get('location')!)![1]!;
    await launch(h.devLms, 'ana', 'safety-101', 'safety-101-module-1');
    const db = testDb().db;
    const tenant = await h.services.tenants.getByName('Demo');
    const ana = await db
      .selectFrom('lti_user')
      .select(['id', 'platform_id', 'xapi_home_page'])
      .where('tenant_id', '=', tenant.id)
      .where('sub', '=', 'ana')
      .executeTakeFirstOrThrow();
    ({ world } = await insertCourseWorld(db, {
      seed: 61,
      learners: 30,
      modules: 3,
      existing: {
        tenantId: tenant.id,
        tenantName: 'Demo',
        platformId: ana.platform_id,
        issuer: ana.xapi_home_page,
        courseId,
        learners: [{ userId: ana.id, sub: 'ana', name: 'Ana Alvarez' }],
      },
    }));
    await storeStatements(h.services, 'Demo', worldStatements(world, { seed: 8, neverStartShare: 0 }));
    await mkdir(artifacts, { recursive: true });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Launches `person` from the LMS page; returns the LMS page with Yardstick in its frame. */
  async function launchInLms(person: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 1400 } });
    const page = await context.newPage();
    await page.goto(h.devLms.urls.home);
    const course = page.locator('section', { hasText: 'Forklift Safety 101' });
    const link =
      person === 'ada'
        ? course.locator('a[data-person="ada"]')
        : course.locator('p', { hasText: 'Module 1' }).locator(`a[data-person="${person}"]`);
    await link.click();
    await page.frameLocator('iframe[name="tool"]').locator('h1').waitFor({ timeout: 30000 });
    return page;
  }

  /**
   * Opens `url` inside the LMS's frame (the session cookie is partitioned to the LMS site, as in a real
   * LMS) at frame widths of 1024 and 360 px; screenshots with the frame grown to its content.
   */
  async function check(page: Page, url: string, name: string, heading: RegExp) {
    const iframe = page.locator('iframe[name="tool"]');
    const frame = page.frame({ name: 'tool' })!;
    for (const width of [1024, 360]) {
      await page.setViewportSize({ width: 1200, height: 900 });
      await iframe.evaluate((el, w) => {
        const f = el as HTMLIFrameElement;
        f.style.height = '640px';
        f.style.border = '0';
        f.style.width = `${w}px`;
      }, width);
      const res = await frame.goto(`${h.url}${url}`);
      assert.equal(res?.status(), 200, `${name} at ${width}`);
      assert.match(await frame.locator('h1').innerText(), heading);
      assert.equal(await frame.evaluate(() => window.innerWidth), width);
      const overflow = await frame.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name} scrolls sideways by ${overflow}px in a ${width}px frame`);
      const height = await frame.evaluate(() => document.documentElement.scrollHeight);
      await iframe.evaluate((el, h) => ((el as HTMLIFrameElement).style.height = `${h}px`), height);
      await iframe.screenshot({ path: path.join(artifacts, `kpi-${name}-${width}.png`) });
      if (width === 1024) {
        await page.emulateMedia({ media: 'print' });
        assert.equal(await frame.locator('.kpi-filters').isVisible(), false, 'filters are hidden in print');
        await iframe.screenshot({ path: path.join(artifacts, `kpi-${name}-print.png`) });
        await page.emulateMedia({ media: 'screen' });
        await frame.$$eval('details', (all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
        const violations = await axeViolations(frame);
        assert.deepEqual(blocking(violations), [], `${name}: ${JSON.stringify(violations, null, 2)}`);
      }
    }
  }

  it('renders the course report framed in the LMS and on its own, accessible at 1024 and 360 px', async () => {
    const lms = await launchInLms('ines');
    const frame = lms.frameLocator('iframe[name="tool"]');
    assert.match(await frame.locator('h1').innerText(), /Course report: Forklift Safety 101/);
    await lms.screenshot({ path: path.join(artifacts, 'kpi-course-report-in-lms.png'), fullPage: true });
    await check(lms, `/courses/${courseId}/report`, 'course-report', /Course report: Forklift Safety 101/);
    const anaId = (await h.services.kpiReports.roster({ tenantId: world.tenantId, courseId })).find(
      (l) => l.name === 'ana',
    )!.userId;
    await check(lms, `/courses/${courseId}/report/learners/${anaId}`, 'learner-drill-down', /Ana Alvarez/);
    await check(lms, `/courses/${courseId}/report/quality`, 'data-quality', /Data quality/);
    await lms.context().close();
  });

  it("renders a learner's own progress page", async () => {
    const lms = await launchInLms('ana');
    await check(lms, `/courses/${courseId}/progress`, 'learner-progress', /My progress/);
    await lms.context().close();
  });

  it('renders the admin program report', async () => {
    const lms = await launchInLms('ada');
    await check(lms, `/admin/programs/${world.programId}/kpis`, 'program-report', /KPIs/);
    await lms.context().close();
  });
});
