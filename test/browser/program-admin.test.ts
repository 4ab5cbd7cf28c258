import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, openAdminInDevLms } from '../support/browser.js';
import { blockingAxeViolations as axe } from '../support/axe.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';
import { repoRoot } from '../support/spawn-process.js';
import { insertPeople } from '../fixtures/people.js';

const artifacts = path.join(repoRoot, 'test-artifacts');

/**
 * Program setup and an outcome import in headless Chromium, as an admin launched from the development
 * LMS: the pages run inside the LMS iframe on another site, then in the same session at 360 px.
 */
describe('program admin pages in the browser (setup and outcome import)', function () {
  this.timeout(180000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let browser: Browser;
  let lms: Page;

  before(async () => {
    h = await startLtiHarness(testDb());
    const demo = await h.services.tenants.getByName('Demo');
    await insertPeople(testDb().db, demo.id, 30, 4);
    browser = await launchChromium();
    lms = await openAdminInDevLms(browser, h);
    await mkdir(artifacts, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  const tool = () => lms.frames().find((f) => f.url().startsWith(h.url))!;

  it('creates a program inside the LMS frame, with per-field errors first, and passes axe', async () => {
    const frame = lms.frameLocator('iframe[name="tool"]');
    await frame.getByRole('link', { name: 'Programs', exact: true }).first().click();
    await frame.getByRole('link', { name: 'Create a program' }).click();
    await frame.getByLabel('Name').waitFor();
    await frame.getByLabel('Pre window starts').fill('2026-03-31');
    await frame.getByLabel('Pre window ends').fill('2026-01-01');
    await frame.getByRole('button', { name: 'Create program' }).click();
    await frame.getByText('Please correct the form').waitFor();
    assert.match(await frame.locator('#name-error').innerText(), /give the program a name/);
    assert.match(await frame.locator('#preEnd-error').innerText(), /ends before it starts/);
    assert.equal(await frame.getByLabel('Name').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await axe(tool()), []);
    await lms.locator('iframe[name="tool"]').scrollIntoViewIfNeeded();
    await lms.screenshot({ path: path.join(artifacts, 'program-setup-errors.png'), fullPage: true });

    await frame.getByLabel('Name').fill('Match capture pilot');
    await frame.getByLabel('Pre window starts').fill('2026-01-01');
    await frame.getByLabel('Pre window ends').fill('2026-03-31');
    await frame.getByLabel('Post window starts').fill('2026-04-01');
    await frame.getByLabel('Post window ends').fill('2026-09-30');
    // Ticked from the keyboard: a mouse click at coordinates can land beside the box while the LMS
    // resizes the frame, which made this step flaky.
    const deferral = frame.getByLabel('401(k) deferral rate (deferral_pct)');
    await deferral.focus();
    await lms.keyboard.press('Space');
    assert.ok(await deferral.isChecked(), 'the deferral outcome is ticked');
    await frame.getByLabel('Horizon (years)').fill('2');
    // Keyboard: focus the submit button by tabbing from the last field, then press Enter.
    await frame.getByLabel('Effect decay (% lost a year)').focus();
    await lms.keyboard.press('Tab');
    await lms.keyboard.press('Enter');
    await frame.getByText('Program created').waitFor();
    const program = await h.services.programs.get(
      (await h.services.tenants.getByName('Demo')).id,
      'Match capture pilot',
    );
    assert.deepEqual(program.targetOutcomes, ['deferral_pct']);
    assert.equal(program.benefitHorizonYears, 2);
  });

  it('randomizes the program from its cohorts page and shows the balance table', async () => {
    const frame = lms.frameLocator('iframe[name="tool"]');
    await frame.getByRole('link', { name: 'Cohorts' }).click();
    await frame.getByLabel('Seed').fill('7');
    await frame.getByRole('button', { name: /Randomize once/ }).click();
    await frame.getByText(/Randomized \d+ people with seed 7\./).waitFor();
    await frame.getByRole('heading', { name: 'Balance' }).waitFor();
    assert.deepEqual(await axe(tool()), []);
  });

  it('imports a CSV: header mapped in the browser, upload with progress, quality report, accept', async () => {
    const frame = lms.frameLocator('iframe[name="tool"]');
    await frame.getByRole('link', { name: 'Outcome imports' }).last().click();
    await frame.getByLabel('What the file holds').selectOption('payroll');
    const lines = ['Emp No,Month,Deferral %,Match,Contribution'];
    for (let p = 1; p <= 30; p++)
      for (let m = 1; m <= 9; m++)
        lines.push(`E${String(p).padStart(6, '0')},2026-0${m},${(p % 7) + 2},${50 + p},${100 + p}`);
    await frame.getByLabel('CSV file').setInputFiles({
      name: 'payroll.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(lines.join('\n')),
    });
    await frame.getByLabel('Emp No').waitFor();
    await frame.getByLabel('Emp No').selectOption('employee_id');
    await frame.getByLabel('Match').selectOption('employer_match_amount');
    await frame.getByLabel('Contribution').selectOption('contribution_amount');
    assert.deepEqual(await axe(tool()), []);
    await lms.screenshot({ path: path.join(artifacts, 'outcome-import-mapping.png'), fullPage: true });
    await frame.getByRole('button', { name: 'Upload and check' }).press('Enter');
    await frame.getByRole('heading', { name: 'Data-quality report' }).waitFor({ timeout: 30000 });
    assert.match(await frame.locator('main').innerText(), /270 rows: 270 valid, 0 with errors/);
    assert.deepEqual(await axe(tool()), []);
    await lms.screenshot({ path: path.join(artifacts, 'outcome-import-report.png'), fullPage: true });
    // The accept POST itself (its answer is a redirect to the import page), then what that page says.
    const [accepted] = await Promise.all([
      lms.waitForResponse(
        (r) => /\/accept$/.test(new URL(r.url()).pathname) && r.request().method() === 'POST',
        {
          timeout: 60000,
        },
      ),
      // From the keyboard: the development LMS resizes its frame to the page, and a click at the
      // button's coordinates can land while the frame moves (see the program-setup test).
      frame.getByRole('button', { name: /Accept/ }).press('Enter'),
    ]);
    assert.equal(accepted.status(), 303, `accept answered ${accepted.status()}`);
    await frame.getByText('270 inserted').waitFor({ timeout: 60000 });
  });

  it('stays usable at 360 px in the same admin session', async () => {
    const small = await lms.context().newPage();
    await small.setViewportSize({ width: 360, height: 800 });
    for (const url of ['/admin/programs/new', '/admin/outcome-imports']) {
      await small.goto(`${h.url}${url}`);
      await small.locator('h1').waitFor();
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${url} scrolls sideways by ${overflow}px at 360px`);
      assert.deepEqual(await axe(small), []);
    }
    await small.screenshot({ path: path.join(artifacts, 'outcome-import-360.png'), fullPage: true });
  });
});
