/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type Frame, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { axeViolations, blocking } from '../support/axe.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';
import { repoRoot } from '../support/spawn-process.js';
import { fullModuleContent } from '../fixtures/modules.js';

const artifacts = path.join(repoRoot, 'test-artifacts');

/** axe-core on a frame: the serious and critical violations (the rest are listed on failure). */
async function blockingViolations(frame: Frame) {
  const all = await axeViolations(frame);
  return { blocking: blocking(all), all };
}

/**
 * An administrator authors a module inside the development LMS's iframe, in a 360 px wide window:
 * creates it, meets a per-field error (kept input, message next to the field), saves with the keyboard,
 * publishes; axe-core finds no serious or critical violation on the editor or the module page.
 */
describe('module authoring in the LMS frame (headless Chromium, 360 px)', function () {
  this.timeout(120000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let browser: Browser;
  let page: Page;

  before(async () => {
    h = await startLtiHarness(testDb());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 360, height: 900 } });
    await mkdir(artifacts, { recursive: true });
    // One admin launch from the LMS page; both tests work inside its frame.
    await page.goto(h.devLms.urls.home);
    await page.locator('section', { hasText: 'Forklift Safety 101' }).locator('a[data-person="ada"]').click();
    await page
      .frameLocator('iframe[name="tool"]')
      .getByRole('heading', { name: /Admin home/ })
      .waitFor({ timeout: 30000 });
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  const tool = () => page.frames().find((f) => f.url().startsWith(h.url))!;
  const frameShot = (name: string) =>
    page.locator('iframe[name="tool"]').screenshot({ path: path.join(artifacts, name) });

  it('creates a module, shows a per-field error, saves and publishes it', async () => {
    const frame = page.frameLocator('iframe[name="tool"]');
    await frame.getByRole('link', { name: 'Modules', exact: true }).first().click();
    await frame.getByRole('heading', { name: 'Learner modules' }).waitFor({ timeout: 30000 });

    await frame.getByLabel('Title').fill('Safe lifting');
    await frame.getByRole('button', { name: 'Create and edit the first draft' }).click();
    await frame.getByRole('heading', { name: 'Edit: Safe lifting' }).waitFor();

    // Enter in a text field presses the first submit button: "Save draft".
    const pageTitle = frame.locator('#f-pages-0-title');
    await pageTitle.fill('Bend your knees');
    await pageTitle.press('Enter');
    const bodyError = frame.locator('#f-pages-0-body-error');
    await bodyError.waitFor();
    assert.match(await bodyError.innerText(), /the page body is empty/);
    assert.equal(await frame.locator('#f-pages-0-title').inputValue(), 'Bend your knees');
    assert.equal(await frame.locator('#f-pages-0-body').getAttribute('aria-invalid'), 'true');
    assert.equal(
      await frame.locator('#f-pages-0-body').getAttribute('aria-describedby'),
      'f-pages-0-body-error',
    );
    assert.match(await frame.locator('.error-summary').innerText(), /fix 1 problem/);

    const noOverflow = await tool().evaluate(
      () => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1,
    );
    assert.ok(noOverflow, 'the editor needs no horizontal scrolling in a 360 px window');
    const editorAxe = await blockingViolations(tool());
    assert.deepEqual(editorAxe.blocking, [], JSON.stringify(editorAxe.all, null, 2));
    await frameShot('module-editor-field-error-360.png');

    await frame.locator('#f-pages-0-body').fill('Keep the load **close** to your body.');
    await frame.getByRole('button', { name: 'Save draft' }).first().click();
    await frame.getByText('Draft saved.').waitFor();

    await frame.getByRole('link', { name: 'Back to Safe lifting' }).click();
    await frame.getByRole('button', { name: 'Publish version 1' }).click();
    await frame.getByText('Published version 1.').waitFor();
    const moduleAxe = await blockingViolations(tool());
    assert.deepEqual(moduleAxe.blocking, [], JSON.stringify(moduleAxe.all, null, 2));
    await frameShot('module-published-360.png');

    const tenantId = (await h.services.tenants.getByName('Demo')).id;
    const [summary] = (await h.services.modules.list(tenantId)).filter((m) => m.title === 'Safe lifting');
    assert.deepEqual([summary!.publishedVersion, summary!.draftVersion], [1, null]);
  });

  it('lays out every section and question type of the editor accessibly at 360 px', async () => {
    const tenantId = (await h.services.tenants.getByName('Demo')).id;
    const m = await h.services.modules.create(tenantId, { title: 'Every question type' });
    await h.services.modules.saveDraft(tenantId, m.id, fullModuleContent());
    // Inside the LMS frame, where the admin session lives (its cookie is partitioned to the LMS site).
    const editor = tool();
    await editor.goto(`${h.url}/admin/modules/${m.id}/draft`);
    await editor.getByRole('heading', { name: 'Edit: Every question type' }).waitFor();
    assert.equal(await editor.locator('fieldset.item legend', { hasText: 'Post-test question' }).count(), 5);
    await editor.$$eval('details', (all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    const axe = await blockingViolations(editor);
    assert.deepEqual(axe.blocking, [], JSON.stringify(axe.all, null, 2));
    const size = await editor.evaluate(() => ({
      overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
      height: document.documentElement.scrollHeight,
    }));
    assert.equal(size.overflow, false, 'no horizontal scrolling at 360 px');
    // The LMS frame grows to the editor's height (as lti.frameResize makes real LMSs do), so each
    // section is painted in full for its screenshot.
    await page.locator('iframe[name="tool"]').evaluate((el, height) => {
      (el as HTMLIFrameElement).style.height = `${height}px`;
    }, size.height);
    // Chromium paints a cross-site frame only inside the window: make the window as tall as the page.
    const lmsHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 360, height: lmsHeight });
    await editor.waitForTimeout(300);
    for (const heading of ['Content pages', 'Post-test', 'Reaction survey (Level 1)']) {
      const section = editor.locator('section', {
        has: editor.getByRole('heading', { name: heading, exact: true }),
      });
      const name = heading
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/-$/, '');
      await section.screenshot({ path: path.join(artifacts, `module-editor-${name}-360.png`) });
    }
  });
});
