import assert from 'node:assert/strict';
import { type Browser, type Frame, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { axeViolations } from '../support/axe.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';

/**
 * The pages of issue #15 in the development LMS frame, at a desktop and a phone width: every role's
 * menu and breadcrumbs, the admin home, the course report, the learner module and its results. axe-core
 * finds no violation of any impact on any of them.
 */
describe('Role menus and main pages pass axe-core in the LMS frame (headless Chromium)', function () {
  this.timeout(240000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let browser: Browser;
  before(async () => {
    h = await startLtiHarness(testDb());
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  async function launch(page: Page, person: string): Promise<Frame> {
    await page.goto(h.devLms.urls.home);
    await page
      .locator('section', { hasText: 'Forklift Safety 101' })
      .locator(`a[data-person="${person}"]`)
      .first()
      .click();
    await page.frameLocator('iframe[name="tool"]').locator('main h1').first().waitFor({ timeout: 30000 });
    return page.frame({ name: 'tool' })!;
  }

  async function noViolations(frame: Frame, name: string): Promise<void> {
    await frame.locator('main h1').first().waitFor();
    const found = await axeViolations(frame);
    assert.deepEqual(found, [], `${name}: ${JSON.stringify(found, null, 2)}`);
  }

  async function open(frame: Frame, address: string): Promise<void> {
    await frame.goto(new URL(address, frame.url()).href);
  }

  for (const width of [1280, 390]) {
    it(`admin home, programs and LRS credentials at ${width} px`, async () => {
      const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
      const frame = await launch(page, 'ada');
      await noViolations(frame, 'admin home');
      await frame
        .getByRole('navigation', { name: 'Admin menu' })
        .getByRole('link', { name: 'Programs' })
        .click();
      await frame
        .locator('main h1', { hasText: /program/i })
        .first()
        .waitFor();
      await noViolations(frame, 'programs');
      await open(frame, '/admin/lrs-credentials');
      await noViolations(frame, 'LRS credentials');
      await page.context().close();
    });

    it(`course report and its menu pages at ${width} px`, async () => {
      const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
      const frame = await launch(page, 'ines');
      await noViolations(frame, 'course report');
      for (const label of ['Learner progress', 'Data quality', 'Grade passbacks']) {
        await frame
          .getByRole('navigation', { name: 'Course menu' })
          .getByRole('link', { name: label })
          .click();
        await frame.locator('main h1').first().waitFor();
        await noViolations(frame, label);
      }
      await page.context().close();
    });

    it(`learner module step at ${width} px`, async () => {
      const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
      const frame = await launch(page, width === 1280 ? 'ana' : 'ben');
      await noViolations(frame, 'learner step');
      await page.context().close();
    });
  }
});
