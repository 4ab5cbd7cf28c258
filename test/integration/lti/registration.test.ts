import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { CookieJar, get, launch, postForm } from '../../support/lti-client.js';

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

  it('registers with the LMS dynamically as pending, refuses its launches, and accepts them once an admin approves', async () => {
    const page = await get(h.devLms.dynamicRegistrationUrl('Demo'), new CookieJar());
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
