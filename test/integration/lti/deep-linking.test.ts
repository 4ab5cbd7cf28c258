import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { CookieJar, get, launch, postForm, pageHeaders } from '../../support/lti-client.js';
import { CLAIM } from '../../../src/lti/launch/launch-checks.js';
import { DEMO_TENANT } from '../../../src/dev/lms/start-dev-lms.js';
import { fullModuleContent, onePageContent } from '../../fixtures/modules.js';

describe('LTI Deep Linking: the picker returns a signed response the development LMS verifies', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let gradedId: string;
  before(async () => {
    h = await startLtiHarness(testDb());
    const tenantId = (await h.services.tenants.getByName(DEMO_TENANT)).id;
    const publish = async (title: string, content: ReturnType<typeof onePageContent>) => {
      const m = await h.services.modules.create(tenantId, { title });
      await h.services.modules.saveDraft(tenantId, m.id, content);
      await h.services.modules.publish(tenantId, m.id);
      return m.id;
    };
    gradedId = await publish('Forklift load limits', fullModuleContent());
    await publish('Welcome page', onePageContent());
    const unpublished = await h.services.modules.create(tenantId, { title: 'Still a draft' });
    await h.services.modules.saveDraft(tenantId, unpublished.id, onePageContent());
  });
  after(async () => h?.close());

  it('lands a deep-linking request on the picker, and the chosen items reach the LMS with a line item', async () => {
    const { res, jar } = await launch(h.devLms, 'ines', 'sales-201', null, 'LtiDeepLinkingRequest');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/deep-link');
    const picker = await get(`${h.url}/deep-link`, jar);
    const html = await picker.text();
    assert.match(html, /Forklift load limits/);
    assert.match(html, /Welcome page/);
    assert.doesNotMatch(html, /Still a draft/, 'only published modules are offered');

    const body = new URLSearchParams([
      ['items', `module:${gradedId}`],
      ['items', 'course-report'],
    ]);
    const chosen = await fetch(`${h.url}/deep-link`, {
      method: 'POST',
      headers: {
        cookie: jar.header(),
        ...pageHeaders(h.url, jar),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      },
      body,
    });
    assert.equal(chosen.status, 200);
    const form = await chosen.text();
    const action = /action="([^"]+)"/.exec(form)![1]!;
    const jwt = /name="JWT" value="([^"]+)"/.exec(form)![1]!;
    assert.equal(action, h.devLms.urls.deepLinkReturn);

    const lineItemsBefore = h.devLms.lineItems.length;
    const returned = await postForm(action, { JWT: jwt }, new CookieJar());
    const page = await returned.text();
    assert.equal(returned.status, 200, page);
    assert.match(page, /Added 2 item\(s\) to Consultative Selling/);
    const last = h.devLms.deepLinkReturns.at(-1)!;
    assert.equal(last.verifiedClaims.iss, h.devLms.clientId);
    assert.equal(last.verifiedClaims[CLAIM.deploymentId], h.devLms.deploymentId);
    assert.deepEqual(
      last.contentItems.map((i) => [i.title, Boolean(i.lineItem)]),
      [
        ['Forklift load limits', true],
        ['Course report', false],
      ],
    );
    assert.equal((last.contentItems[0]!.custom as Record<string, string>).yardstick_module_id, gradedId);
    assert.equal((last.contentItems[0]!.lineItem as { scoreMaximum: number }).scoreMaximum, 100);
    assert.equal(h.devLms.lineItems.length - lineItemsBefore, 1, 'the graded item got its gradebook column');
  });

  it('has the development LMS reject a deep-linking response with a tampered signature', async () => {
    const { jar } = await launch(h.devLms, 'ines', 'sales-201', null, 'LtiDeepLinkingRequest');
    await get(`${h.url}/deep-link`, jar);
    const chosen = await fetch(`${h.url}/deep-link`, {
      method: 'POST',
      headers: {
        cookie: jar.header(),
        ...pageHeaders(h.url, jar),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ items: 'course-report' }),
    });
    const jwt = /name="JWT" value="([^"]+)"/.exec(await chosen.text())![1]!;
    const [header, payload, signature] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    claims[CLAIM.deploymentId] = 'someone-else';
    const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const returned = await postForm(h.devLms.urls.deepLinkReturn, { JWT: tampered }, new CookieJar());
    assert.equal(returned.status, 400);
    assert.match(await returned.text(), /signature verification failed/);
  });

  it('returns an ungraded module (no post-test) without a line item', async () => {
    const { jar } = await launch(h.devLms, 'ines', 'sales-201', null, 'LtiDeepLinkingRequest');
    const tenantId = (await h.services.tenants.getByName(DEMO_TENANT)).id;
    const items = await h.services.lti.deepLinking.catalog(tenantId);
    const welcome = items.find((i) => i.title === 'Welcome page')!;
    assert.equal(welcome.scoreMaximum, undefined);
    await get(`${h.url}/deep-link`, jar);
    const chosen = await fetch(`${h.url}/deep-link`, {
      method: 'POST',
      headers: {
        cookie: jar.header(),
        ...pageHeaders(h.url, jar),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ items: welcome.id }),
    });
    const jwt = /name="JWT" value="([^"]+)"/.exec(await chosen.text())![1]!;
    const returned = await postForm(h.devLms.urls.deepLinkReturn, { JWT: jwt }, new CookieJar());
    assert.equal(returned.status, 200);
    const [item] = h.devLms.deepLinkReturns.at(-1)!.contentItems;
    assert.equal(item!.lineItem, undefined);
    assert.equal(
      (item!.custom as Record<string, string>).yardstick_module_id,
      welcome.id.slice('module:'.length),
    );
  });

  it('keeps learners out of the picker', async () => {
    const { jar } = await launch(h.devLms, 'ana', 'sales-201', 'sales-201-module-1');
    const picker = await get(`${h.url}/deep-link`, jar);
    assert.equal(picker.status, 403);
  });
});
