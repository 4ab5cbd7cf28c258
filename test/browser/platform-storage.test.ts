import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { type Browser, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';
import { launch } from '../support/lti-client.js';
import { insertCourseWorld, storeStatements, worldStatements } from '../fixtures/course-world.js';

/**
 * Launches through platform storage (LTI Client Side postMessages; docs/lti.md) from the development
 * LMS, in a Chromium that sends the tool no cookie at all: third-party cookies are blocked (proved by an
 * unpartitioned probe cookie) and Yardstick sets unpartitioned ones (lti.cookiePartitioned false), as in
 * Safari. State and nonce go through the LMS page's postMessage storage; after the launch the session
 * rides in the pages' links and forms.
 */
describe('LTI launches through platform storage with every third-party cookie blocked (headless Chromium)', function () {
  this.timeout(180000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let browser: Browser;

  before(async () => {
    h = await startLtiHarness(testDb(), { lti: { cookiePartitioned: false } });
    // A course world with enough learners for the report's exports (as in kpi-exports.test.ts).
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
      seed: 72,
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
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  interface Lms {
    context: BrowserContext;
    page: Page;
    frame: FrameLocator;
    /** The Cookie header of every request the browser sent to Yardstick. */
    toolCookies: string[];
    /** Every address the browser asked of Yardstick. */
    toolUrls: string[];
  }

  /** The development LMS with platform storage offered, a probe cookie set, and requests to the tool watched. */
  async function openLms(): Promise<Lms> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 1400 },
      acceptDownloads: true,
    });
    await context.addCookies([
      { name: 'probe', value: '1', domain: 'localhost', path: '/', sameSite: 'None', secure: true },
    ]);
    const page = await context.newPage();
    const toolCookies: string[] = [];
    const toolUrls: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(h.url)) return;
      toolUrls.push(req.url());
      void req.allHeaders().then((headers) => toolCookies.push(headers.cookie ?? ''));
    });
    await page.goto(`${h.devLms.urls.home}?platform_storage=1`);
    return { context, page, frame: page.frameLocator('iframe[name="tool"]'), toolCookies, toolUrls };
  }

  function launchLink(lms: Lms, person: string): Promise<void> {
    return lms.page
      .locator('section', { hasText: 'Forklift Safety 101' })
      .locator('p', { hasText: 'Module 1' })
      .locator(`a[data-person="${person}"]`)
      .click();
  }

  /** The launch went through platform storage and no cookie ever reached Yardstick. */
  function assertCookieless(lms: Lms): void {
    assert.ok(
      lms.toolUrls.some(
        (u) => u.startsWith(`${h.url}/lti/login`) && u.includes('lti_storage_target=_parent'),
      ),
      'the login offered platform storage',
    );
    assert.ok(
      lms.toolUrls.some((u) => /[?&]yst=/.test(u)),
      'pages after the launch carried the session token',
    );
    assert.ok(lms.toolCookies.length > 0, 'requests to the tool were seen');
    assert.ok(
      lms.toolCookies.every((c) => !/(^|; )(probe|yardstick_lti|state[0-9a-f]+)=/.test(c)),
      `no cookie reached Yardstick: ${lms.toolCookies.filter((c) => c !== '').join(' | ')}`,
    );
  }

  it('launches a learner, who answers the pre-test (posts with CSRF token) and moves on', async () => {
    const lms = await openLms();
    await launchLink(lms, 'ana');
    await lms.frame.locator('h1', { hasText: 'Load limits' }).waitFor({ timeout: 60000 });
    await lms.frame.getByRole('button', { name: 'Submit answers' }).click();
    await lms.frame.locator('#error-summary').waitFor();
    assert.match(await lms.frame.locator('#error-summary').innerText(), /Question 1 has no answer yet/);
    await lms.frame.getByLabel('On the capacity plate').check();
    await lms.frame.getByLabel('True', { exact: true }).check();
    await lms.frame.getByRole('button', { name: 'Submit answers' }).click();
    await lms.frame.locator('h2', { hasText: 'Read the capacity plate' }).waitFor();
    await lms.frame.getByRole('button', { name: 'Next' }).click();
    await lms.frame.locator('h2', { hasText: 'The stability triangle' }).waitFor();
    assertCookieless(lms);
    await lms.context.close();
  });

  it('launches an instructor, who moves between report pages and downloads a CSV export', async () => {
    const lms = await openLms();
    await launchLink(lms, 'ines');
    await lms.frame.locator('h1', { hasText: 'Course report' }).waitFor({ timeout: 60000 });
    await lms.frame.getByRole('link', { name: 'Learner progress' }).first().click();
    await lms.frame.locator('h1', { hasText: 'progress' }).waitFor();
    await lms.frame.getByRole('link', { name: 'Course report' }).first().click();
    await lms.frame.locator('h1', { hasText: 'Course report' }).waitFor();
    const [download] = await Promise.all([
      lms.page.waitForEvent('download'),
      lms.frame.locator('a[data-export="learners"]').click(),
    ]);
    assert.equal(await download.failure(), null, 'the export downloaded');
    const csv = await readFile((await download.path())!, 'utf8');
    assert.match(csv.split('\n')[0]!, /modules_started/, 'the learners export has its header');
    assert.ok(csv.trim().split('\n').length > 2, 'and rows');
    assertCookieless(lms);
    await lms.context.close();
  });

  it('launches an admin, who opens admin pages from the menu', async () => {
    const lms = await openLms();
    await lms.page.locator('a[data-person="ada"]').first().click();
    await lms.frame.getByText('Admin home').first().waitFor({ timeout: 60000 });
    await lms.frame.getByRole('link', { name: 'LMS platforms' }).first().click();
    await lms.frame.locator('h1', { hasText: 'LMS platforms' }).waitFor();
    await lms.frame.getByRole('link', { name: 'Programs' }).first().click();
    await lms.frame.locator('h1', { hasText: 'Programs' }).waitFor();
    assertCookieless(lms);
    await lms.context.close();
  });

  it('without platform storage offered, the same browser cannot launch (the cookie was the only way)', async () => {
    const lms = await openLms();
    await lms.page.goto(h.devLms.urls.home);
    await launchLink(lms, 'ana');
    await lms.frame.locator('h1').first().waitFor({ timeout: 60000 });
    assert.match(await lms.frame.locator('h1').first().innerText(), /could not|not valid|cookie/i);
    await lms.context.close();
  });
});
