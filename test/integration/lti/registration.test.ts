import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { CookieJar, get, launch, postForm } from '../../support/lti-client.js';
import { createRequire } from 'node:module';
import { registrationUrl } from '../../../src/lti/registration/registration-token-service.js';

describe('LTI registration: dynamic registration waits for approval; the admin page registers and approves', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb());
  });
  after(async () => h?.close());

  const loginWith = (clientId: string) => {
    const q = new URLSearchParams({
      iss: h.devLms.issuer,
      login_hint: 'ana',
      target_link_uri: h.devLms.tool.launchUrl,
      client_id: clientId,
    });
    return get(`${h.devLms.tool.loginUrl}?${q}`, new CookieJar());
  };

  /** A one-time registration URL as the admin page shows it. */
  const createdOnAdminPage = async () => {
    const admin = await launch(h.devLms, 'ada', 'safety-101', 'safety-101-module-1');
    await get(`${h.url}/admin/platforms`, admin.jar);
    const page = await postForm(`${h.url}/admin/platforms/registration-url`, {}, admin.jar);
    const html = await page.text();
    assert.equal(page.status, 200, html);
    const url = /data-registration-url>([^<]+)</
      .exec(html)?.[1]
      ?.replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    assert.ok(url, 'the page shows a registration URL');
    return url;
  };

  it('registers with the LMS dynamically as pending, refuses its launches, and accepts them once an admin approves', async () => {
    const page = await get(h.devLms.dynamicRegistrationUrl(await createdOnAdminPage()), new CookieJar());
    const html = await page.text();
    assert.equal(page.status, 200, html);
    assert.match(html, /Waiting for approval/);
    assert.match(html, /org\.imsglobal\.lti\.close/);
    const reg = h.devLms.registrations.at(-1)!;
    assert.equal(reg.request.jwks_uri, `${h.url}/lti/keys`);
    assert.equal(reg.request.initiate_login_uri, `${h.url}/lti/login`);

    const refused = await loginWith(reg.clientId);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /Refused launch \(platform_pending\)/);

    const admin = await launch(h.devLms, 'ada', 'safety-101', 'safety-101-module-1');
    const list = await get(`${h.url}/admin/platforms`, admin.jar);
    const listHtml = await list.text();
    assert.equal(list.status, 200);
    assert.match(listHtml, new RegExp(reg.clientId));
    const tenant = await h.services.tenants.getByName('Demo');
    const pending = (await h.services.lti.platforms.list('Demo')).find((p) => p.clientId === reg.clientId)!;
    assert.equal(pending.status, 'pending');
    assert.deepEqual(pending.deploymentIds, [reg.deploymentId]);

    const approved = await postForm(`${h.url}/admin/platforms/${pending.id}/approve`, {}, admin.jar);
    assert.equal(approved.status, 303);
    assert.equal((await h.services.lti.platforms.get(tenant.id, pending.id)).status, 'active');
    const accepted = await loginWith(reg.clientId);
    assert.equal(accepted.status, 302);
    assert.match(accepted.headers.get('location')!, /^http:\/\/127\.0\.0\.1:\d+\/dev-lms\/auth\?/);
  });

  it('refuses dynamic registration without a registration token, fetching nothing', async () => {
    const before = h.devLms.registrations.length;
    for (const url of [
      h.devLms.tool.dynamicRegistrationUrl,
      `${h.devLms.tool.dynamicRegistrationUrl}?tenant=Demo`,
    ]) {
      const res = await get(h.devLms.dynamicRegistrationUrl(url), new CookieJar());
      assert.equal(res.status, 401);
      assert.match(await res.text(), /registration URL is not valid/);
    }
    assert.equal(h.devLms.registrations.length, before);
  });

  it('refuses a registration token the second time and once it has expired', async () => {
    const used = await createdOnAdminPage();
    assert.equal((await get(h.devLms.dynamicRegistrationUrl(used), new CookieJar())).status, 200);
    const again = await get(h.devLms.dynamicRegistrationUrl(used), new CookieJar());
    assert.equal(again.status, 401);
    const created = await h.services.lti.registrationTokens.create('Demo', 1);
    await testDb()
      .db.updateTable('lti_registration_token')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    const expired = registrationUrl(h.devLms.tool.dynamicRegistrationUrl, created.token);
    assert.equal((await get(h.devLms.dynamicRegistrationUrl(expired), new CookieJar())).status, 401);
    const stored = await testDb().db.selectFrom('lti_registration_token').select('token_hash').execute();
    assert.ok(stored.every((r) => r.token_hash !== created.token));
  });

  it("sends ltijs' own requests (platform keysets, tokens, AGS, NRPS) through the outbound guard", () => {
    const http = createRequire(import.meta.url)('ltijs/dist/Utils/Http.js');
    assert.equal(http[Symbol.for('yardstick.ltijs.guarded')], true);
  });

  it('registers a platform from the admin page for the admin tenant only', async () => {
    const admin = await launch(h.devLms, 'ada', 'safety-101', 'safety-101-module-1');
    await get(`${h.url}/admin/platforms`, admin.jar);
    const res = await postForm(
      `${h.url}/admin/platforms`,
      {
        issuer: 'https://moodle.example.edu',
        clientId: 'moodle-client-1',
        deploymentIds: '1, 2',
        authUrl: 'https://moodle.example.edu/mod/lti/auth.php',
        tokenUrl: 'https://moodle.example.edu/mod/lti/token.php',
        jwksUrl: 'https://moodle.example.edu/mod/lti/certs.php',
        name: 'Example Moodle',
      },
      admin.jar,
    );
    assert.equal(res.status, 303);
    const moodle = (await h.services.lti.platforms.list('Demo')).find(
      (p) => p.clientId === 'moodle-client-1',
    )!;
    assert.deepEqual(
      [moodle.name, moodle.status, moodle.source, moodle.deploymentIds],
      ['Example Moodle', 'active', 'admin', ['1', '2']],
    );
  });

  it('keeps instructors off the admin pages', async () => {
    const instructor = await launch(h.devLms, 'ines', 'safety-101', 'safety-101-module-1');
    const res = await get(`${h.url}/admin/platforms`, instructor.jar);
    assert.equal(res.status, 403);
  });
});
