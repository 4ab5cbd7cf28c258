import assert from 'node:assert/strict';
import { type Browser } from 'playwright-core';
import { launchChromium, openAdminInDevLms } from '../support/browser.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';
import { assertCleanFrame, assertNoXss, countDialogs, XSS_PAYLOAD } from '../support/xss.js';

/** One CSV cell: quoted, with its quotes doubled (RFC 4180, 2.7). */
const cell = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * Outcome files come from payroll, benefits and HRIS exports that others fill in. An admin uploads, on the
 * real page, a payroll CSV whose file name, a header, employee ids and cells carry the payload: the page's
 * script lists the headers, the data-quality report shows headers, ignored columns and row errors, and
 * the list of imports shows the file name. None runs script.
 */
describe('XSS through outcome import files (headless Chromium)', function () {
  this.timeout(180000);
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

  it('an uploaded file with the payload in its name, header, employee ids and cells is reported as text', async () => {
    const lms = await openAdminInDevLms(browser, h);
    const dialogs = countDialogs(lms);
    const frame = lms.frame({ name: 'tool' })!;
    await assertNoXss(frame, dialogs, `${h.url}/admin/outcome-imports`);

    const csv = [
      ['employee_id', 'period', 'deferral_pct', XSS_PAYLOAD].map(cell).join(','),
      ['E1', '2026-01', '5', XSS_PAYLOAD].map(cell).join(','),
      [XSS_PAYLOAD, '2026-01', '5', 'x'].map(cell).join(','),
      ['E2', XSS_PAYLOAD, XSS_PAYLOAD, 'x'].map(cell).join(','),
    ].join('\n');
    const fileName = `"><img src=x onerror="window.__xss=1;alert(1)">.csv`;
    await frame.setInputFiles('#file', { name: fileName, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await frame.locator('#mapping-rows label', { hasText: 'Eve<script>' }).waitFor();
    await assertCleanFrame(frame, dialogs, 'the column mapping the page script built');

    // The hostile column fills a field, so the report's column table shows its name too.
    await frame
      .locator('#mapping-rows tr', { hasText: 'Eve<script>' })
      .locator('select')
      .selectOption('employer_match_amount');
    await frame.locator('#createMissingPeople').check();
    await frame.locator('#upload').click();
    await frame.waitForURL(/\/admin\/outcome-imports\/[0-9a-f-]{36}$/, { timeout: 60000 });
    await frame.locator('h2', { hasText: 'Data-quality report' }).waitFor({ timeout: 60000 });
    await assertCleanFrame(frame, dialogs, 'the import report');
    const report = await assertNoXss(frame, dialogs, frame.url(), XSS_PAYLOAD);
    assert.match(report, /Import: &quot;&gt;&lt;img src&#x3D;x onerror/);
    assert.match(report, /<td>Eve&lt;script&gt;[^<]*<\/td><td>employer_match_amount<\/td>/);
    assert.match(report, /Rows with errors/);
    await assertNoXss(frame, dialogs, `${h.url}/admin/outcome-imports`, fileName);
    await lms.context().close();
  });
});
