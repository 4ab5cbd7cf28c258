import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { sql } from 'kysely';
import { type Browser } from 'playwright-core';
import { launchChromium, openAdminInDevLms } from '../support/browser.js';
import { useTestDatabase } from '../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../support/lti-harness.js';

const EVIL_ISSUER = 'https://evil.example';

/** A page on another site that, once framed, auto-submits a form registering an LMS platform. */
function attackerPage(target: string): string {
  const fields = {
    issuer: EVIL_ISSUER,
    clientId: 'attacker',
    deploymentIds: 'd1',
    authUrl: `${EVIL_ISSUER}/auth`,
    tokenUrl: `${EVIL_ISSUER}/token`,
    jwksUrl: `${EVIL_ISSUER}/jwks`,
  };
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`)
    .join('');
  return `<!doctype html><html><body><form id="f" method="post" action="${target}/admin/platforms">${inputs}</form><script>document.getElementById('f').submit()</script></body></html>`;
}

/**
 * The attack an outside tester ran (issue #16): inside the LMS page, where the admin's partitioned
 * session cookie lives, a frame from another site auto-submits a form to Yardstick. Before the CSRF
 * defence this created an active platform whose keys the attacker holds.
 */
describe('CSRF in a real browser: a cross-site form inside the LMS frame cannot register a platform', function () {
  this.timeout(120000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let browser: Browser;
  let attacker: Server;
  let attackerUrl: string;
  before(async () => {
    h = await startLtiHarness(testDb());
    browser = await launchChromium();
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(attackerPage(h.url));
    });
    // 127.0.0.2: loopback, but another site than the LMS (127.0.0.1) and Yardstick (localhost).
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.2', resolve));
    attackerUrl = `http://127.0.0.2:${(attacker.address() as { port: number }).port}/`;
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
    await h?.close();
  });

  it('refuses the forged post with 403 although the browser sent the admin’s session cookie, and stores nothing', async () => {
    const lms = await openAdminInDevLms(browser, h);
    const forged = lms.waitForResponse(
      (r) => r.url() === `${h.url}/admin/platforms` && r.request().method() === 'POST',
      { timeout: 30000 },
    );
    await lms.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      document.body.appendChild(frame);
    }, attackerUrl);
    const res = await forged;
    const headers = await res.request().allHeaders();
    assert.match(headers.cookie ?? '', /yardstick_lti=/, 'the attack really carries the session cookie');
    assert.equal(headers.origin, new URL(attackerUrl).origin);
    assert.equal(res.status(), 403);
    const n = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM lti_platform WHERE issuer = ${EVIL_ISSUER}`.execute(testDb().db);
    assert.equal(n.rows[0]!.n, 0);
  });
});
