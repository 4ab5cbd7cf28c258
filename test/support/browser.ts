import { chromium, type Browser, type Page } from 'playwright-core';
import type { LtiHarness } from './lti-harness.js';

/** Debian's Chromium (apt-get install chromium); playwright-core brings no browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Chromium, headless, as every browser test drives it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-background-networking'],
  });
}

/**
 * The development LMS's home page with Ada (an admin) launched into Yardstick's frame, on a desktop-sized
 * page; resolves once the tool's admin home is shown.
 */
export async function openAdminInDevLms(browser: Browser, h: LtiHarness): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
  const lms = await context.newPage();
  await lms.goto(h.devLms.urls.home);
  await lms.locator('a[data-person="ada"]').first().click();
  await lms.frameLocator('iframe[name="tool"]').getByText('Admin home').waitFor({ timeout: 30000 });
  return lms;
}
