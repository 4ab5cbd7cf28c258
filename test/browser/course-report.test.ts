import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type Frame, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { axeViolations, blocking } from '../support/axe.js';
import { developerText, visibleText } from '../support/page-text.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';
import { launch } from '../support/lti-client.js';
import { insertCourseWorld, storeStatements, worldStatements } from '../fixtures/course-world.js';

const screenshots = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');

/**
 * The course report as Ines Instructor sees it inside the development LMS's frame (issue #15): summary
 * cards at the top, a learner table that search and filters narrow, text for people only, no axe-core
 * violation, and screenshots of its top, learner table and question analysis at 1280 and 390 px
 * (docs/screenshots/course-report-*.png).
 */
describe('Course report for instructors in the development LMS (headless Chromium)', function () {
  this.timeout(240000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let browser: Browser;
  let lms: Page;
  let reportUrl: string;

  before(async () => {
    h = await startLtiHarness(testDb());
    const first = await launch(h.devLms, 'ines', 'safety-101', 'safety-101-module-1');
    const courseId = /\/courses\/([0-9a-f-]{36})\//.exec(first.res.headers.get('location')!)![1]!;
    await launch(h.devLms, 'ana', 'safety-101', 'safety-101-module-1');
    const db = testDb().db;
    const tenant = await h.services.tenants.getByName('Demo');
    const ana = await db
      .selectFrom('lti_user')
      .select(['id', 'platform_id', 'xapi_home_page'])
      .where('tenant_id', '=', tenant.id)
      .where('sub', '=', 'ana')
      .executeTakeFirstOrThrow();
    const { world } = await insertCourseWorld(db, {
      seed: 15,
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
    });
    await storeStatements(h.services, 'Demo', worldStatements(world, { seed: 15 }));
    reportUrl = `${h.url}/courses/${courseId}/report`;
    await mkdir(screenshots, { recursive: true });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    lms = await context.newPage();
    await lms.goto(h.devLms.urls.home);
    await lms
      .locator('section', { hasText: 'Forklift Safety 101' })
      .locator('p', { hasText: 'Module 1' })
      .locator('a[data-person="ines"]')
      .click();
    await lms.frameLocator('iframe[name="tool"]').locator('h1').waitFor({ timeout: 30000 });
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  const frame = (): Frame => lms.frame({ name: 'tool' })!;

  /** Sets the LMS frame's width and height (px). */
  async function frameSize(width: number, height: number) {
    await lms.locator('iframe[name="tool"]').evaluate(
      (el, [w, hh]) => {
        const f = el as HTMLIFrameElement;
        // Out of the LMS page's column, so that the frame is exactly this wide.
        Object.assign(f.style, {
          position: 'absolute',
          left: '0',
          top: '0',
          zIndex: '10',
          background: 'white',
        });
        f.style.border = '0';
        f.style.width = `${w}px`;
        f.style.height = `${hh}px`;
      },
      [width, height],
    );
  }

  /** Opens `url` in the frame and waits for its heading. */
  async function open(url: string) {
    const res = await frame().goto(url);
    assert.equal(res?.status(), 200, url);
    await frame().locator('h1').waitFor();
  }

  const learnerNames = () => frame().locator('table.kpi-learners tbody th[scope="row"]').allInnerTexts();

  it('shows the summary cards at the top of the page', async () => {
    await frameSize(1280, 900);
    await open(reportUrl);
    const cards = frame().locator('.kpi-card');
    assert.equal(await cards.count(), 7);
    const labels = await frame().locator('.kpi-card-label').allInnerTexts();
    assert.deepEqual(labels, [
      'Learners assigned',
      'Completion',
      'Mastery',
      'Median time on task',
      'Pre-to-post gain',
      'Net Promoter Score',
      'Reaction',
    ]);
    assert.match(await cards.first().locator('.kpi-card-value').innerText(), /^\d+$/);
    assert.match(
      await frame().locator('[data-card="completion"] .kpi-card-value').innerText(),
      /^\d+(\.\d)?%$/,
    );
    assert.match(await frame().locator('[data-card="time"] .kpi-card-value').innerText(), /\bmin\b/);
    // Every card is inside the first screen of the frame.
    const last = await cards.last().boundingBox();
    assert.ok(last && last.y + last.height < 900, `the last card ends at ${last?.y} + ${last?.height}`);
    for (const id of ['summary', 'charts', 'learners', 'questions', 'numbers', 'roster'])
      assert.equal(await frame().locator(`nav.kpi-toc a[href="#${id}"]`).count(), 1, `a link to #${id}`);
  });

  it('narrows the learner table by search and by filter, keeping both in the address', async () => {
    await frameSize(1280, 900);
    await open(reportUrl);
    const all = await learnerNames();
    assert.ok(all.length > 10, `${all.length} learners listed`);
    await frame().locator('input[name="q"]').fill('alvarez');
    await Promise.all([
      frame().waitForNavigation(),
      frame().getByRole('button', { name: 'Show learners' }).click(),
    ]);
    const found = await learnerNames();
    assert.ok(found.length >= 1 && found.length < all.length, `${found.length} of ${all.length} found`);
    for (const name of found) assert.match(name, /alvarez/i);
    assert.match(frame().url(), /[?&]q=alvarez/);

    await frame().locator('input[name="q"]').fill('');
    await frame().locator('select[name="show"]').selectOption('not-started');
    await Promise.all([
      frame().waitForNavigation(),
      frame().getByRole('button', { name: 'Show learners' }).click(),
    ]);
    const statuses = await frame().locator('table.kpi-learners tbody td:nth-child(2)').allInnerTexts();
    assert.ok(statuses.length < all.length, 'the filter narrows the table');
    for (const s of statuses) assert.match(s, /^Not started|^No learner matches/);
    assert.match(frame().url(), /[?&]show=not-started/);
  });

  it('shows only text for people: no long decimals, NaN, undefined, ISO timestamps or codes', async () => {
    await open(reportUrl);
    const report = developerText(visibleText(await frame().content()));
    assert.deepEqual(report, []);
    const first = await frame().locator('table.kpi-learners tbody th a').first().getAttribute('href');
    await open(`${h.url}${first!}`);
    assert.ok(await frame().getByRole('heading', { name: 'Attempts' }).count());
    assert.deepEqual(developerText(visibleText(await frame().content())), []);
  });

  it('has no axe-core violation, with every collapsed section open', async () => {
    await frameSize(1280, 900);
    await open(reportUrl);
    await frame().$$eval('details', (all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    const violations = await axeViolations(frame());
    assert.deepEqual(blocking(violations), [], JSON.stringify(violations, null, 2));
  });

  it('saves screenshots of the top, the learner table and the question analysis at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      await frameSize(width, 900);
      await open(reportUrl);
      await lms.locator('iframe[name="tool"]').screenshot({
        path: path.join(screenshots, `course-report-top-${width}.png`),
      });
      const overflow = await frame().evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the report scrolls sideways by ${overflow}px at ${width}px`);
      await frame()
        .locator('#questions details')
        .first()
        .evaluate((d) => ((d as HTMLDetailsElement).open = true));
      // The frame keeps the height of a screen: each picture is what a reader sees on arriving there.
      for (const [section, name] of [
        ['#learners', 'learners'],
        ['#questions', 'questions'],
      ] as const) {
        await frame()
          .locator(section)
          .evaluate((el) => el.scrollIntoView());
        await lms
          .locator('iframe[name="tool"]')
          .screenshot({ path: path.join(screenshots, `course-report-${name}-${width}.png`) });
      }
    }
  });
});
