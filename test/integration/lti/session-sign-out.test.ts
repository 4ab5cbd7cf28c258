import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { CookieJar, get, launch } from '../../support/lti-client.js';
import { postPage } from '../../support/learner-client.js';
import type { LtiSession } from '../../../src/lti/model.js';

/**
 * Signing out (POST /logout) ends the launch session: its cookie and every session token (`yst`) issued
 * for it are refused at once, with a 401 that sends the user back to the LMS.
 */
describe('signing out of a launch session', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let jar: CookieJar;
  let report: string;
  let session: Pick<LtiSession, 'tenantId' | 'id' | 'userId' | 'contextId'>;
  before(async () => {
    h = await startLtiHarness(testDb());
    jar = (await launch(h.devLms, 'ines', 'safety-101', 'safety-101-module-1')).jar;
    const { rows } = await sql<{ tenant_id: string; id: string; user_id: string; context_id: string }>`
      SELECT s.tenant_id, s.id, s.user_id, s.context_id FROM lti_session s
      JOIN lti_user u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
      WHERE u.sub = 'ines' ORDER BY s.created_at DESC LIMIT 1`.execute(testDb().db);
    const r = rows[0]!;
    session = { tenantId: r.tenant_id, id: r.id, userId: r.user_id, contextId: r.context_id };
    report = `${h.url}/courses/${r.context_id}/report`;
  });
  after(async () => h?.close());

  const token = () => h.services.lti.sessionTokens.issue(session as LtiSession);
  const noCookie = () => new CookieJar();

  it('offers sign-out on the pages of a session', async () => {
    const res = await get(report, jar);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<form method="post" action="\/logout"/);
  });

  it('revokes the cookie and every token issued before it, answering 401 with what to do', async () => {
    const before = token();
    assert.equal((await get(`${report}?yst=${before}`, noCookie())).status, 200, 'the token works first');
    const out = await postPage(h.url, '/logout', [], jar);
    assert.equal(out.status, 200);
    assert.match(await out.text(), /Signed out of Yardstick/);
    const byToken = await get(`${report}?yst=${before}`, noCookie(), 'application/json');
    assert.equal(byToken.status, 401);
    const { error } = (await byToken.json()) as { error: { message: string } };
    assert.match(error.message, /session has ended/);
    assert.match(error.message, /Go back to the LMS and open the link again/);
    assert.equal((await get(report, jar)).status, 401, 'the cookie is refused too');
    assert.equal(
      (await get(`${report}?yst=${token()}`, noCookie())).status,
      401,
      'and a token made after it',
    );
  });

  it('refuses a sign-out without the CSRF token, ending nothing', async () => {
    const other = (await launch(h.devLms, 'ines', 'safety-101', 'safety-101-module-1')).jar;
    const res = await fetch(`${h.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: other.header(), origin: h.url, 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 403);
    assert.equal((await get(report, other)).status, 200);
  });
});
