import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';
import { launch } from '../support/lti-client.js';
import { insertCourseWorld, storeStatements, worldStatements } from '../fixtures/course-world.js';

/** Columns of each export that must hold numbers (or be empty where a value is withheld or absent). */
const NUMERIC: Record<string, string[]> = {
  modules: [
    'assigned_learners',
    'completion_rate_percent',
    'completion_ci_low_percent',
    'completion_ci_high_percent',
  ],
  'time-on-task': ['learners', 'time_on_task_median_minutes', 'time_on_task_p90_minutes', 'sessions'],
  'pre-post': [
    'learners_with_both',
    'pre_mean_percent',
    'post_mean_percent',
    'gain_points',
    'gain_ci_low',
    'gain_ci_high',
  ],
  weekly: ['started_learners', 'completed_learners', 'active_learners'],
  learners: [
    'modules_started',
    'modules_completed',
    'pre_score_percent',
    'post_score_percent',
    'time_on_task_minutes',
  ],
};

/**
 * The course report's CSV exports inside the development LMS frame, in a Chromium that blocks
 * third-party cookies (the tool on http://localhost is third party to the LMS on http://127.0.0.1): the
 * session cookie is partitioned and not sent with a download, so each link must carry its own proof.
 */
describe('KPI CSV exports inside the LMS frame with third-party cookies blocked (headless Chromium)', function () {
  this.timeout(180000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let browser: Browser;

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
      seed: 71,
      learners: 20,
      modules: 2,
      existing: {
        tenantId: tenant.id,
        tenantName: 'Demo',
        platformId: ana.platform_id,
        issuer: ana.xapi_home_page,
        courseId,
        learners: [{ userId: ana.id, sub: 'ana', name: 'Ana Alvarez' }],
      },
    });
    await storeStatements(h.services, 'Demo', worldStatements(world, { seed: 9, neverStartShare: 0 }));
    // Playwright's contexts are off the record, where Chromium blocks third-party cookies by default
    // (checked below with a probe cookie, since that is what the test relies on).
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  it('downloads and parses every CSV export of the course report, numbers where numbers belong', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 1400 },
      acceptDownloads: true,
    });
    // An unpartitioned third-party cookie: a browser that blocks third-party cookies never sends it to the tool.
    await context.addCookies([
      { name: 'probe', value: '1', domain: 'localhost', path: '/', sameSite: 'None', secure: true },
    ]);
    const toolCookies: string[] = [];
    // allHeaders() resolves after the request event: every check awaits the reads started before it.
    const reads: Promise<unknown>[] = [];
    const cookiesSent = async () => (await Promise.all(reads), toolCookies);
    const page = await context.newPage();
    page.on('request', (req) => {
      if (req.url().startsWith(h.url))
        reads.push(req.allHeaders().then((headers) => toolCookies.push(headers.cookie ?? '')));
    });
    await page.goto(h.devLms.urls.home);
    await page
      .locator('section', { hasText: 'Forklift Safety 101' })
      .locator('p', { hasText: 'Module 1' })
      .locator('a[data-person="ines"]')
      .click();
    const frame = page.frameLocator('iframe[name="tool"]');
    await frame.locator('h1', { hasText: 'Course report' }).waitFor({ timeout: 60000 });
    await cookiesSent();
    assert.ok(
      toolCookies.some((c) => /(^|; )yardstick_lti=/.test(c)),
      'the frame sends its partitioned session cookie (request headers show cookies)',
    );
    assert.ok(
      toolCookies.every((c) => !/(^|; )probe=/.test(c)),
      'third-party cookies are blocked: the unpartitioned probe cookie was never sent',
    );

    const links = frame.locator('a[data-export]');
    const ids = await links.evaluateAll((as) => as.map((a) => a.getAttribute('data-export')!));
    for (const id of Object.keys(NUMERIC)) assert.ok(ids.includes(id), `a link for ${id}`);
    for (const id of ids) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        frame.locator(`a[data-export="${id}"]`).click(),
      ]);
      assert.equal(await download.failure(), null, `${id} downloaded`);
      assert.match(
        download.suggestedFilename(),
        new RegExp(`^forklift-safety-101-${id}-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
      );
      const rows = parse(await readFile((await download.path())!, 'utf8'), { columns: true }) as Record<
        string,
        string
      >[];
      for (const column of NUMERIC[id] ?? []) {
        const values = rows.map((r) => r[column]);
        assert.ok(
          values.every((v) => v !== undefined),
          `${id} has a column ${column}`,
        );
        assert.ok(
          values.some((v) => v !== ''),
          `${id}.${column} has values`,
        );
        for (const v of values.filter((x) => x !== ''))
          assert.match(v!, /^-?\d+(\.\d+)?$/, `${id}.${column} holds numbers, not "${v}"`);
      }
    }
    // The probe is a cookie the browser sends first party: its absence above is the blocking.
    await cookiesSent();
    toolCookies.length = 0;
    await page.goto(`${h.url}/healthz`);
    await cookiesSent();
    assert.ok(
      toolCookies.some((c) => /(^|; )probe=1/.test(c)),
      'the probe is sent first party',
    );
    await context.close();
  });
});
