import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type Frame, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { blockingAxeViolations } from '../support/axe.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';
import { repoRoot } from '../support/spawn-process.js';

const artifacts = path.join(repoRoot, 'test-artifacts');

/**
 * A learner's whole journey in the development LMS with a real browser: pre-test, content, relaunch
 * resumes, post-test, survey, results; the grade shows in the LMS gradebook; axe-core on every page.
 */
describe('Learner journey in the development LMS (headless Chromium)', function () {
  this.timeout(180000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let browser: Browser;
  before(async () => {
    h = await startLtiHarness(testDb());
    browser = await launchChromium();
    await mkdir(artifacts, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  async function launchAna(page: Page): Promise<Frame> {
    await page.goto(h.devLms.urls.home);
    await page
      .locator('section', { hasText: 'Forklift Safety 101' })
      .locator('p', { hasText: 'Module 1' })
      .locator('a[data-person="ana"]')
      .click();
    await page
      .frameLocator('iframe[name="tool"]')
      .locator('h1', { hasText: 'Load limits' })
      .waitFor({ timeout: 30000 });
    return page.frames().find((f) => f.url().startsWith(`${h.url}/learn/`))!;
  }

  async function check(frame: Frame, page: Page, name: string, seen: string[]) {
    await frame.locator('h2').first().waitFor();
    const blocking = await blockingAxeViolations(frame);
    assert.deepEqual(blocking, [], `${name}: ${JSON.stringify(blocking, null, 2)}`);
    await page
      .locator('iframe[name="tool"]')
      .screenshot({ path: path.join(artifacts, `learner-${name}.png`) });
    seen.push(name);
  }

  it('runs pre-test, content, relaunch, post-test and survey; the grade reaches the gradebook; every page passes axe', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const seen: string[] = [];
    let frame = await launchAna(page);
    await check(frame, page, '1-pre-test', seen);
    // Submitting with nothing answered: errors announced (role=alert) and focused.
    await frame.getByRole('button', { name: 'Submit answers' }).click();
    await frame.locator('#error-summary').waitFor();
    assert.match(await frame.locator('#error-summary').innerText(), /Question 1 has no answer yet/);
    await check(frame, page, '1b-pre-test-errors', seen);
    // Keyboard: labels select options.
    await frame.getByLabel('On the capacity plate').check();
    await frame.getByLabel('True', { exact: true }).check();
    await frame.getByRole('button', { name: 'Submit answers' }).click();
    await frame.locator('h2', { hasText: 'Read the capacity plate' }).waitFor();
    await check(frame, page, '2-content-page', seen);

    // Relaunch from the LMS: the open attempt resumes at the same step.
    frame = await launchAna(page);
    await frame.locator('h2', { hasText: 'Read the capacity plate' }).waitFor();
    assert.match(await frame.locator('.step-label').innerText(), /Step 2 of 5/);
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.locator('h2', { hasText: 'The stability triangle' }).waitFor();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.locator('h2', { hasText: 'Check what you learned' }).waitFor();
    await check(frame, page, '3-post-test', seen);
    await frame.getByLabel('On the capacity plate').check();
    await frame.getByLabel('False', { exact: true }).check();
    await frame.getByLabel('A clamp attachment').check();
    await frame.getByLabel('A longer load centre').check();
    await frame.getByLabel(/how many centimetres/).fill('15');
    await frame.getByLabel(/stability ____/).fill('triangle');
    await frame.getByRole('button', { name: 'Submit answers' }).click();
    await frame.locator('h2', { hasText: 'Tell us what you think' }).waitFor();
    await check(frame, page, '4-survey', seen);
    await frame.locator('fieldset', { hasText: 'daily work' }).getByLabel('Agree', { exact: true }).check();
    await frame.locator('fieldset', { hasText: 'recommend' }).getByLabel('9', { exact: true }).check();
    await frame.getByRole('button', { name: 'Send and finish' }).click();
    await frame.locator('h2', { hasText: 'Your results' }).waitFor();
    assert.match(await frame.locator('.result').innerText(), /You passed: 5 of 5 points/);
    await check(frame, page, '5-results', seen);

    // The gradebook of the development LMS shows the score once the passback job has run.
    const deadline = Date.now() + 30000;
    let row = '';
    while (Date.now() < deadline) {
      await page.goto(h.devLms.urls.home);
      const table = page.locator('table.gradebook[data-course="safety-101"]');
      if (await table.count()) {
        row = await table.locator('tbody tr').first().innerText();
        break;
      }
      await page.waitForTimeout(500);
    }
    assert.match(row, /Module 1: Load limits\s+Ana Alvarez\s+5 \/ 5\s+Completed, FullyGraded/);
    await page
      .locator('table.gradebook')
      .screenshot({ path: path.join(artifacts, 'learner-6-gradebook.png') });
    assert.equal(seen.length, 6);
  });

  it('lets an instructor observe a learner from the course report; the observation form passes axe', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    await page.goto(h.devLms.urls.home);
    await page
      .locator('section', { hasText: 'Forklift Safety 101' })
      .locator('p', { hasText: 'Module 1' })
      .locator('a[data-person="ines"]')
      .click();
    const tool = page.frameLocator('iframe[name="tool"]');
    await tool.getByRole('link', { name: 'Open the module of this link' }).click();
    await tool.getByRole('link', { name: 'Observe a learner of this course' }).click();
    await tool.locator('h1', { hasText: 'Observe a learner' }).waitFor();
    const frame = page.frames().find((f) => f.url().includes('/observe'))!;
    assert.deepEqual(await blockingAxeViolations(frame), []);
    await tool.getByLabel('Learner').selectOption({ label: 'Ana Alvarez' });
    await tool.locator('fieldset', { hasText: 'capacity plate' }).getByLabel('Often').check();
    await tool.locator('fieldset', { hasText: 'tilted back' }).getByLabel('Always').check();
    await page
      .locator('iframe[name="tool"]')
      .screenshot({ path: path.join(artifacts, 'learner-7-observation.png') });
    await tool.getByRole('button', { name: 'Save observation' }).click();
    await tool.getByText('Your observation of Ana Alvarez is saved.').waitFor();
  });

  it('is usable at 360 px: the learner page in the LMS frame does not scroll sideways', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    await page.goto(h.devLms.urls.home);
    await page
      .locator('section', { hasText: 'Forklift Safety 101' })
      .locator('p', { hasText: 'Module 1' })
      .locator('a[data-person="ben"]')
      .click();
    await page.frameLocator('iframe[name="tool"]').locator('h2').first().waitFor({ timeout: 30000 });
    const frame = page.frames().find((f) => f.url().startsWith(`${h.url}/learn/`))!;
    const { overflow, width } = await frame.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      width: window.innerWidth,
    }));
    assert.ok(width <= 360, `the frame is ${width}px wide`);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than its ${width}px frame`);
    assert.deepEqual(await blockingAxeViolations(frame), []);
    await page.screenshot({ path: path.join(artifacts, 'learner-360px.png'), fullPage: true });
  });
});
