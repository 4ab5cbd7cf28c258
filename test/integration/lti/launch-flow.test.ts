import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch } from '../../support/lti-client.js';

describe('LTI launch: the full OIDC flow against the development LMS', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb());
  });
  after(async () => h?.close());

  it('lands a learner on the module of the resource link, with a cross-site session cookie', async () => {
    const { res, jar } = await launch(h.devLms, 'ana', 'safety-101', 'safety-101-module-1');
    assert.equal(res.status, 303, await res.clone().text());
    assert.equal(res.headers.get('location'), '/learn/safety-101-module-1');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('yardstick_lti='))!;
    assert.match(cookie, /SameSite=None/i);
    assert.match(cookie, /Secure/);
    assert.match(cookie, /HttpOnly/);
    const page = await get(`${h.url}/learn/safety-101-module-1`, jar);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<h1>Load limits<\/h1>/);
    assert.match(html, /Step 1 of 5/);
    assert.match(
      page.headers.get('content-security-policy')!,
      /frame-ancestors 'self' http:\/\/127\.0\.0\.1:\d+/,
    );
  });

  it('lands an instructor and a teaching assistant on the course report', async () => {
    for (const person of ['ines', 'tom']) {
      const { res, jar } = await launch(h.devLms, person, 'safety-101', 'safety-101-module-1');
      assert.equal(res.status, 303);
      assert.match(res.headers.get('location')!, /^\/courses\/[0-9a-f-]{36}\/report$/);
      const page = await get(`${h.url}${res.headers.get('location')}`, jar);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Forklift Safety 101/);
    }
  });

  it('lands an institution administrator on the admin home', async () => {
    const { res, jar } = await launch(h.devLms, 'ada', 'safety-101', 'safety-101-module-1');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin');
    const page = await get(`${h.url}/admin`, jar);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Development LMS/);
  });

  it('records the learner, course, enrollment and xAPI actor under the tenant', async () => {
    await launch(h.devLms, 'ben', 'safety-101', 'safety-101-module-1');
    const db = testDb().db;
    const tenant = await h.services.tenants.getByName('Demo');
    const user = await db
      .selectFrom('lti_user')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .where('sub', '=', 'ben')
      .executeTakeFirstOrThrow();
    assert.equal(user.name, 'Ben Brooks');
    assert.equal(user.email, 'ben@example.edu');
    assert.equal(user.xapi_home_page, h.devLms.issuer);
    assert.equal(user.xapi_name, 'ben');
    const enrollment = await db
      .selectFrom('enrollment as e')
      .innerJoin('course_context as c', (j) =>
        j.onRef('c.tenant_id', '=', 'e.tenant_id').onRef('c.id', '=', 'e.context_id'),
      )
      .select(['e.role_kind', 'e.status', 'c.context_id', 'c.title', 'c.memberships_url'])
      .where('e.tenant_id', '=', tenant.id)
      .where('e.user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { ...enrollment, memberships_url: Boolean(enrollment.memberships_url) },
      {
        role_kind: 'learner',
        status: 'active',
        context_id: 'safety-101',
        title: 'Forklift Safety 101',
        memberships_url: true,
      },
    );
  });

  it('keeps one user row per (tenant, platform, sub) across launches', async () => {
    await launch(h.devLms, 'cara', 'safety-101', 'safety-101-module-1');
    await launch(h.devLms, 'cara', 'safety-101', 'safety-101-survey');
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM lti_user WHERE sub = 'cara'`.execute(testDb().db);
    assert.equal(rows[0]!.n, 1);
  });

  it('refuses a learner opening the instructor report', async () => {
    const { jar } = await launch(h.devLms, 'ana', 'safety-101', 'safety-101-module-1');
    const courses = await h.services.lti.courses.list((await h.services.tenants.getByName('Demo')).id);
    const page = await get(`${h.url}/courses/${courses[0]!.id}/report`, jar);
    assert.equal(page.status, 403);
  });

  it('publishes the tool keyset with the key ltijs generated for the platform', async () => {
    const res = await fetch(`${h.url}/lti/keys`);
    const body = (await res.json()) as { keys: { kid: string; kty: string; alg: string }[] };
    assert.ok(body.keys.length >= 1);
    assert.ok(body.keys.every((k) => k.kty === 'RSA' && k.alg === 'RS256'));
  });

  it('sends http://localhost/dev-lms to the development LMS on its own site (127.0.0.1)', async () => {
    const res = await fetch(`${h.url}/dev-lms`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), h.devLms.urls.home);
    const page = await fetch(h.devLms.urls.home);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Forklift Safety 101/);
  });
});
