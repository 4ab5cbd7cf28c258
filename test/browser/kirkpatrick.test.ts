import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, openAdminInDevLms } from '../support/browser.js';
import { blockingAxeViolations as axe } from '../support/axe.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';
import { repoRoot } from '../support/spawn-process.js';
import { DEMO_PROGRAMS, seedDemoPrograms } from '../../src/dev/demo/demo-seed.js';
import { createDemoPeopleRepository } from '../../src/dev/demo/demo-people-repository.js';

const artifacts = path.join(repoRoot, 'test-artifacts');

/**
 * The Kirkpatrick L1-L5 page of a demo program in headless Chromium, opened by an admin inside the
 * development LMS's iframe: reached from the program navigation, no serious axe-core violation,
 * keyboard reachable, usable at 360 px and printable.
 */
describe('Kirkpatrick page in the browser', function () {
  this.timeout(180000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let browser: Browser;
  let lms: Page;

  before(async () => {
    h = await startLtiHarness(testDb());
    await seedDemoPrograms({
      services: h.services,
      people: createDemoPeopleRepository(testDb().db),
      tenantName: 'Demo',
    });
    browser = await launchChromium();
    lms = await openAdminInDevLms(browser, h);
    await mkdir(artifacts, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  const tool = () => lms.frames().find((f) => f.url().startsWith(h.url))!;

  it('opens from the program navigation inside the LMS frame, names every level and passes axe', async () => {
    const frame = lms.frameLocator('iframe[name="tool"]');
    await frame.getByRole('link', { name: 'Programs', exact: true }).first().click();
    await frame.getByRole('link', { name: DEMO_PROGRAMS.retirement }).click();
    await frame.getByRole('link', { name: 'Kirkpatrick levels' }).click();
    await frame.getByRole('heading', { name: 'Level 5: Return on investment' }).waitFor();
    for (const h2 of ['Level 1: Reaction', 'Level 2: Learning', 'Level 3: Behaviour', 'Level 4: Results'])
      await frame.getByRole('heading', { name: h2 }).waitFor();
    const text = await frame.locator('main').innerText();
    assert.match(text, /randomized comparison/);
    assert.match(text, /Phillips ROI, confidence-adjusted/);
    assert.equal(await frame.locator('dt', { hasText: 'Data as of' }).count(), 5);
    assert.deepEqual(await axe(tool()), []);
    await lms.locator('iframe[name="tool"]').scrollIntoViewIfNeeded();
    await lms.screenshot({ path: path.join(artifacts, 'kirkpatrick.png'), fullPage: true });
  });

  it('moves between levels with the keyboard', async () => {
    const frame = lms.frameLocator('iframe[name="tool"]');
    await frame.getByRole('link', { name: 'Level 4: Results' }).focus();
    await lms.keyboard.press('Enter');
    await tool().waitForFunction(() => location.hash === '#level-4');
    await lms.keyboard.press('Tab');
    // Sequential focus continues from the level jumped to: its scrollable table region.
    assert.equal(await tool().evaluate(() => document.activeElement?.closest('section')?.id), 'level-4');
  });

  it('stays usable in a 360 px wide LMS frame and prints without the navigation', async () => {
    await lms.evaluate(() => {
      const f = document.querySelector<HTMLIFrameElement>('iframe[name="tool"]')!;
      f.style.width = '360px';
      f.style.minWidth = '360px';
      f.style.maxWidth = '360px';
    });
    const page = tool();
    await page.waitForFunction(() => window.innerWidth <= 360);
    assert.match(await page.locator('h1').innerText(), /Kirkpatrick levels 1 to 5/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px at 360px`);
    assert.deepEqual(await axe(page), []);
    await lms.locator('iframe[name="tool"]').scrollIntoViewIfNeeded();
    await lms.screenshot({ path: path.join(artifacts, 'kirkpatrick-360.png'), fullPage: true });
    await lms.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => ({
      nav: getComputedStyle(document.querySelector('.program-nav')!).display,
      toc: getComputedStyle(document.querySelector('.kp-toc')!).display,
      tables: document.querySelectorAll('.kirkpatrick table').length,
    }));
    assert.deepEqual([printed.nav, printed.toc], ['none', 'none']);
    assert.ok(printed.tables >= 2);
    await lms.emulateMedia({ media: 'screen' });
  });
});
