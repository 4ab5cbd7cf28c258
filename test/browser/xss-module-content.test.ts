import assert from 'node:assert/strict';
import { type Browser, type Frame, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';
import { assertCleanFrame, assertNoXss, countDialogs, XSS_PAYLOAD, XSS_URL } from '../support/xss.js';
import { DEFAULT_KPI_SETTINGS } from '../../src/reports/kpi/kpi-settings.js';
import type { ModuleContent } from '../../src/learning/module-content.js';

/** Markdown that tries every way past the sanitizer we know of: links, raw HTML, entities, SVG, MathML. */
const HOSTILE_MARKDOWN = [
  `# ${XSS_PAYLOAD}`,
  `[a markdown link](${XSS_URL}) and [an autolink](<${XSS_URL}>)`,
  `<a href="JaVaScRiPt:window.__xss=1">mixed case</a> <a href="&#106;avascript:window.__xss=1">entity</a>`,
  `<a href="java\tscript:window.__xss=1">tab</a> <a href="javascript&colon;window.__xss=1">named entity</a>`,
  `<img src=x onerror="window.__xss=1"> <iframe src="${XSS_URL}"></iframe> <svg><script>window.__xss=1</script></svg>`,
  `<a href="data:text/html,<script>window.__xss=1</script>">data</a> <style>*{}</style>`,
  `<table><tr><td onmouseover="window.__xss=1">cell</td></tr></table>`,
].join('\n\n');

const HOSTILE_HTML =
  `<p title="${XSS_PAYLOAD.replace(/"/g, '&quot;')}">A paragraph</p>` +
  `<math><mi xlink:href="${XSS_URL}">m</mi></math><form action="${XSS_URL}"><button>go</button></form>` +
  `<noscript><p title="</noscript><img src=x onerror=window.__xss=1>"></p></noscript>` +
  `<a href="https://example.com/" target="_blank" onclick="window.__xss=1">a fine link</a>`;

/** A module whose every text field carries the payload. */
function hostileModule(): ModuleContent {
  return {
    pages: [
      { id: 'md', title: `Markdown ${XSS_PAYLOAD}`, format: 'markdown', body: HOSTILE_MARKDOWN },
      { id: 'html', title: `HTML ${XSS_PAYLOAD}`, format: 'html', body: HOSTILE_HTML },
    ],
    postTest: {
      masteryScore: 0.5,
      questions: [
        {
          id: 'q1',
          type: 'single-choice',
          prompt: `Prompt ${XSS_PAYLOAD}`,
          choices: [
            { id: 'a', text: `Choice ${XSS_PAYLOAD}` },
            { id: 'b', text: XSS_URL },
          ],
          correct: ['a'],
        },
      ],
    },
    survey: { anonymous: true, items: [{ id: 'comment', type: 'text', prompt: `Survey ${XSS_PAYLOAD}` }] },
  };
}

/**
 * Module content is authored by admins (and imported from files others wrote); survey answers are typed
 * by learners and read by instructors. An admin authors a module with the payload in its pages, question,
 * choices and survey; an instructor binds it to an LMS link; a learner takes it in Chromium and answers the
 * survey with the payload; the instructor reads the course report. No page runs script.
 */
describe('XSS through module content and survey answers (headless Chromium)', function () {
  this.timeout(180000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let browser: Browser;
  let tenantId: string;
  let moduleId: string;

  before(async () => {
    // One learner answers the survey: show aggregates of one so the comments table is on the page.
    h = await startLtiHarness(testDb(), {
      reports: { settings: { ...DEFAULT_KPI_SETTINGS, minimumGroupSize: 1 } },
    });
    tenantId = (await h.services.tenants.getByName('Demo')).id;
    const created = await h.services.modules.create(tenantId, { title: `Module ${XSS_PAYLOAD}` });
    moduleId = created.id;
    await h.services.modules.saveDraft(tenantId, moduleId, hostileModule());
    await h.services.modules.publish(tenantId, moduleId);
    await h.services.modules.saveDraft(tenantId, moduleId, hostileModule());
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  /** The LMS page with `person` launched into the Consultative Selling link (or the admin link). */
  async function launchInLms(
    person: string,
  ): Promise<{ page: Page; frame: Frame; dialogs: { opened: number } }> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 1400 } });
    const page = await context.newPage();
    const dialogs = countDialogs(page);
    await page.goto(h.devLms.urls.home);
    await page
      .locator('section', { hasText: 'Consultative Selling' })
      .locator(`a[data-person="${person}"]`)
      .first()
      .click();
    await page.frameLocator('iframe[name="tool"]').locator('h1').waitFor({ timeout: 30000 });
    return { page, frame: page.frame({ name: 'tool' })!, dialogs };
  }

  it('the module list, module page and the editor with its previews keep the payload inert', async () => {
    const { page, frame, dialogs } = await launchInLms('ada');
    await assertNoXss(frame, dialogs, `${h.url}/admin/modules`, `Module ${XSS_PAYLOAD}`);
    await assertNoXss(frame, dialogs, `${h.url}/admin/modules/${moduleId}`, `Module ${XSS_PAYLOAD}`);
    const editor = await assertNoXss(frame, dialogs, `${h.url}/admin/modules/${moduleId}/draft`);
    assert.match(
      editor,
      /<textarea[^>]*>[^<]*&lt;script&gt;window.__xss/,
      'the page source is shown as text',
    );
    await frame.$$eval('details', (all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    await frame.locator('.preview a', { hasText: 'a fine link' }).waitFor();
    await assertCleanFrame(frame, dialogs, 'the editor with its previews open');
    await page.context().close();
  });

  it('a learner takes the module and answers its survey with the payload; the course report lists it as text', async () => {
    const staff = await launchInLms('ines');
    const report = new URL(staff.frame.url()).pathname;
    const courseId = report.split('/')[2]!;
    // The development LMS's links start on the demo module; this link now opens the hostile one.
    await h.services.modules.link(tenantId, moduleId, courseId, 'sales-201-module-1');
    await staff.frame.goto(`${h.url}/learn/sales-201-module-1`);
    await staff.frame.locator('h2', { hasText: 'Markdown Eve<script>' }).waitFor();
    await assertCleanFrame(staff.frame, staff.dialogs, 'the instructor preview');

    const { page, frame, dialogs } = await launchInLms('ana');
    await frame.locator('h2', { hasText: 'Markdown Eve<script>' }).waitFor();
    await assertCleanFrame(frame, dialogs, 'the Markdown page');
    assert.deepEqual(
      await frame.$$eval('.content-page a', (as) => as.map((a) => a.getAttribute('href'))),
      [null, null, null, null, null, null, null],
      'no link of the Markdown page keeps a script or data URL',
    );
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.locator('h2', { hasText: 'HTML Eve<script>' }).waitFor();
    await assertCleanFrame(frame, dialogs, 'the HTML page');
    assert.equal(await frame.locator('.content-page a').getAttribute('rel'), 'noopener noreferrer');
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.locator('legend', { hasText: 'Prompt Eve<script>' }).waitFor();
    await assertCleanFrame(frame, dialogs, 'the post-test');
    await frame.getByLabel(`Choice ${XSS_PAYLOAD}`).check();
    await frame.getByRole('button', { name: /Submit/ }).click();
    await frame.locator('label', { hasText: 'Survey Eve<script>' }).waitFor();
    await assertCleanFrame(frame, dialogs, 'the survey');
    await frame.locator('textarea').fill(XSS_PAYLOAD);
    // The results page shows a score above the survey too: wait for the post's navigation, not an h2.
    await Promise.all([
      frame.waitForNavigation(),
      frame.getByRole('button', { name: 'Send and finish' }).click(),
    ]);
    await frame.locator('h2').first().waitFor();
    await assertCleanFrame(frame, dialogs, 'the results');
    await page.context().close();

    const html = await assertNoXss(staff.frame, staff.dialogs, `${h.url}${report}`, XSS_PAYLOAD);
    assert.match(html, /Free-text answers/);
    const charts = [...html.matchAll(/<svg[^]*?<\/svg>/g)].map((m) => m[0]);
    assert.ok(
      charts.some((svg) => svg.includes('Module Eve&lt;script&gt;')),
      'a chart labels the module with its escaped title',
    );
    assert.match(
      html,
      />Eve&lt;script&gt;window.__xss&#x3D;1&lt;\/script&gt;/,
      'the answer is a cell of its own',
    );
    await staff.page.context().close();
  });
});
