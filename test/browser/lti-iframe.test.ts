import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';
import { repoRoot } from '../support/spawn-process.js';

/**
 * A real browser: the development LMS page on http://127.0.0.1 frames Yardstick on http://localhost,
 * two different sites, so the launch only works if the state and session cookies are SameSite=None;
 * Secure and our frame-ancestors policy allows the LMS.
 */
describe('LTI in a cross-site iframe (headless Chromium)', function () {
  this.timeout(120000);
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

  it('launches a learner from the LMS page into the framed module page', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1500 } });
    const lmsUrl = h.devLms.urls.home;
    assert.match(lmsUrl, /^http:\/\/127\.0\.0\.1:/);
    assert.match(h.url, /^http:\/\/localhost:/);
    await page.goto(lmsUrl);
    await page
      .locator('section', { hasText: 'Forklift Safety 101' })
      .locator('p', { hasText: 'Module 1' })
      .locator('a[data-person="ana"]')
      .click();
    const frame = page.frameLocator('iframe[name="tool"]');
    await frame.locator('h1', { hasText: 'Load limits' }).waitFor({ timeout: 30000 });
    const toolFrame = page.frames().find((f) => f.url().startsWith(`${h.url}/learn/`));
    assert.ok(toolFrame, 'the frame shows Yardstick on localhost');
    const cookies = await page.context().cookies(h.url);
    const session = cookies.find((c) => c.name === 'yardstick_lti');
    assert.equal(session?.sameSite, 'None');
    assert.equal(session?.secure, true);
    const artifacts = path.join(repoRoot, 'test-artifacts');
    await mkdir(artifacts, { recursive: true });
    await page.locator('iframe[name="tool"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'lti-cross-site-iframe.png') });
  });

  it('cannot launch when the session cookie is SameSite=Lax: the cross-site path is really exercised', async () => {
    const lax = await startLtiHarness(testDb(), { lti: { cookieSameSite: 'Lax' } });
    try {
      const page = await browser.newPage();
      await page.goto(lax.devLms.urls.home);
      await page
        .locator('section', { hasText: 'Forklift Safety 101' })
        .locator('p', { hasText: 'Module 1' })
        .locator('a[data-person="ana"]')
        .click();
      const frame = page.frameLocator('iframe[name="tool"]');
      await frame.locator('h1').waitFor({ timeout: 30000 });
      assert.match(
        await frame.locator('section').innerText(),
        /could not be matched to its start|session has ended/,
      );
    } finally {
      await lax.close();
    }
  });
});
