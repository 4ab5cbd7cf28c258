import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, type CookieJar } from '../../support/lti-client.js';
import { appRoutes, type AppRoute } from '../../support/app-routes.js';

/**
 * Routes that take unsafe methods without a launch session, each with what authenticates it instead.
 * Anything else that changes state must refuse a cross-site request (issue #16, CSRF to tenant takeover).
 */
const PUBLIC_UNSAFE: { path: RegExp; why: string }[] = [
  { path: /^\/xapi\//, why: 'xAPI Basic auth credentials, never the session cookie' },
  { path: /^\/cmi5\/fetch\//, why: 'a one-time cmi5 launch token in the URL' },
  { path: /^\/admin\/api\//, why: 'the admin bearer token' },
  {
    path: /^\/lti\/(login|launch)$/,
    why: 'posted cross-site by the LMS by design; verified by state, nonce and id_token',
  },
  { path: /^\/dev-lms(\/|$)/, why: 'the development LMS (development and test only), not Yardstick' },
];

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'ALL']);
const ANY_UUID = '00000000-0000-4000-8000-000000000000';
const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, ANY_UUID);
const isPublic = (r: AppRoute) => PUBLIC_UNSAFE.some((p) => p.path.test(r.path));

describe('CSRF: every state-changing route a session cookie reaches refuses a cross-site request', function () {
  this.timeout(120000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let admin: CookieJar;
  let routes: AppRoute[];
  before(async () => {
    h = await startLtiHarness(testDb());
    const launched = await launch(h.devLms, 'ada', 'safety-101', 'safety-101-module-1');
    admin = launched.jar;
    await get(`${h.url}/admin`, admin);
    routes = appRoutes(h.app).filter((r) => UNSAFE.has(r.method));
  });
  after(async () => h?.close());

  const send = (r: AppRoute, headers: Record<string, string>) =>
    fetch(`${h.url}${concrete(r.path)}`, {
      method: r.method === 'ALL' ? 'POST' : r.method,
      redirect: 'manual',
      headers: { cookie: admin.header(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: 'name=x',
    });

  it('finds the routes to try (the walk of the app is not empty)', () => {
    const session = routes.filter((r) => !isPublic(r));
    for (const expected of [
      'POST /admin/platforms',
      'POST /courses/:contextId/roster-sync',
      'POST /deep-link',
    ])
      assert.ok(
        session.some((r) => `${r.method} ${r.path}` === expected),
        `${expected} is not among ${session.length} session routes`,
      );
    assert.ok(session.length > 30, `only ${session.length} session routes were found`);
  });

  for (const [variant, headers] of [
    ['a foreign Origin', { origin: 'https://attacker.example' }],
    ['Origin: null', { origin: 'null' }],
    ['no Origin at all', {}],
    ['Sec-Fetch-Site: cross-site', { origin: 'PUBLIC', 'sec-fetch-site': 'cross-site' }],
    ['its own Origin but no CSRF token', { origin: 'PUBLIC' }],
    ['its own Origin and another session’s token', { origin: 'PUBLIC', 'x-csrf-token': 'forged' }],
  ] as [string, Record<string, string>][]) {
    it(`refuses ${variant} on every one of them with 403`, async () => {
      const own = new URL(h.url).origin;
      const hdrs = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v === 'PUBLIC' ? own : v]));
      const wrong: string[] = [];
      for (const r of routes.filter((r) => !isPublic(r))) {
        const res = await send(r, hdrs);
        if (res.status !== 403) wrong.push(`${r.method} ${r.path} answered ${res.status}`);
      }
      assert.deepEqual(wrong, []);
    });
  }

  it('lets the same post through with its own Origin and the page’s token (the checks are not blanket refusals)', async () => {
    assert.ok(admin.csrfToken, 'the admin page carries a CSRF token');
    const res = await fetch(`${h.url}/admin/platforms`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: admin.header(),
        origin: new URL(h.url).origin,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        _csrf: admin.csrfToken!,
        issuer: 'https://lms.example.edu',
        clientId: 'c1',
        deploymentIds: 'd1',
        authUrl: 'https://lms.example.edu/auth',
        tokenUrl: 'https://lms.example.edu/token',
        jwksUrl: 'https://lms.example.edu/jwks',
      }),
    });
    assert.equal(res.status, 303, await res.text());
    const n = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM lti_platform WHERE issuer = 'https://lms.example.edu'`.execute(
      testDb().db,
    );
    assert.equal(n.rows[0]!.n, 1);
  });

  it('leaves the public routes to their own credentials: a session cookie alone authenticates none of them', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter(isPublic).filter((r) => !r.path.startsWith('/dev-lms'))) {
      const res = await send(r, { origin: 'https://attacker.example' });
      // cmi5 8.2.3: the fetch URL answers 200 with an error-code body to every well-formed request.
      const cmi5Refusal = r.path.startsWith('/cmi5/') && 'error-code' in ((await res.json()) as object);
      if ((res.status < 400 || res.status >= 500) && !cmi5Refusal)
        wrong.push(`${r.method} ${r.path} answered ${res.status}`);
    }
    assert.deepEqual(wrong, []);
  });
});
