import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, postForm, type CookieJar, pageHeaders } from '../../support/lti-client.js';
import { generateSigningKey, signJwt } from '../../../src/dev/lms/jwt.js';
import type { GradePassback, LtiSession } from '../../../src/lti/model.js';
import { createLtiPeopleRepository } from '../../../src/storage/repositories/lti-people-repository.js';

/** Polls until `check` returns a value (the queue works in the background); fails after `tries`. */
async function eventually<T>(check: () => Promise<T | undefined>, what: string, tries = 120): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('LTI Advantage: AGS and NRPS against the development LMS', function () {
  this.timeout(90000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb(), {
      lti: { passback: { retryLimit: 2, retryDelaySeconds: 1 } },
      rosterPageSize: 2,
    });
  });
  after(async () => h?.close());

  async function sessionFor(
    person: string,
  ): Promise<{ session: LtiSession; jar: CookieJar; location: string }> {
    const { res, jar } = await launch(h.devLms, person, 'safety-101', 'safety-101-module-1');
    assert.equal(res.status, 303);
    const cookie = jar
      .header()
      .split('; ')
      .find((c) => c.startsWith('yardstick_lti='))!
      .slice('yardstick_lti='.length);
    const session = await h.services.lti.launches.findSession(decodeURIComponent(cookie));
    // A browser lands on a page first; its forms carry the session's CSRF token.
    if (session?.contextId && session.roleKind !== 'learner')
      await get(`${h.url}/courses/${session.contextId}/passbacks`, jar);
    return { session: session!, jar, location: res.headers.get('location')! };
  }

  const passback = (s: LtiSession, id: string, status: GradePassback['status']) =>
    eventually(async () => {
      const row = (await h.services.lti.grades.log(s.tenantId, s.contextId!)).find((p) => p.id === id);
      return row?.status === status ? row : undefined;
    }, `passback ${id} to be ${status}`);

  const lineItemOf = (linkId: string) => h.devLms.lineItems.find((li) => li.resourceLinkId === linkId)!;

  it('sends a score to the gradebook column of the launched link, after the LMS verified our client assertion', async () => {
    const { session } = await sessionFor('ana');
    const tokensBefore = h.devLms.calls.token;
    const id = await h.services.lti.grades.submit(session, {
      scoreGiven: 8,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    const row = await passback(session, id, 'sent');
    assert.equal(row.attempts, 1);
    const scores = h.devLms.scores.get(lineItemOf('safety-101-module-1').id) ?? [];
    const sent = scores.find((s) => s.userId === 'ana');
    assert.deepEqual(
      { given: sent?.scoreGiven, max: sent?.scoreMaximum, activity: sent?.activityProgress },
      { given: 8, max: 10, activity: 'Completed' },
    );
    assert.ok(
      h.devLms.calls.token > tokensBefore || h.devLms.accessTokens.size > 0,
      'an access token was obtained with a client assertion',
    );
  });

  it('retries a passback that fails twice, then succeeds, keeping the score throughout', async () => {
    const { session } = await sessionFor('ben');
    h.devLms.failNextScorePosts(2);
    const failuresBefore = h.devLms.calls.scoreFailures;
    const id = await h.services.lti.grades.submit(session, {
      scoreGiven: 6,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    const row = await passback(session, id, 'sent');
    assert.equal(row.attempts, 3);
    assert.equal(h.devLms.calls.scoreFailures - failuresBefore, 2);
    assert.ok(
      (h.devLms.scores.get(lineItemOf('safety-101-module-1').id) ?? []).some(
        (s) => s.userId === 'ben' && s.scoreGiven === 6,
      ),
    );
  });

  it('shows instructors the passback log, and sends a failed score again when they retry', async () => {
    const learner = await sessionFor('cara');
    h.devLms.failNextScorePosts(3); // the first attempt and both retries fail
    const id = await h.services.lti.grades.submit(learner.session, {
      scoreGiven: 9,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    const failed = await passback(learner.session, id, 'failed');
    assert.equal(failed.attempts, 3);
    assert.match(failed.lastError!, /HTTP 503/);

    const instructor = await sessionFor('ines');
    const logUrl = `${h.url}/courses/${learner.session.contextId}/passbacks`;
    const page = await get(logUrl, instructor.jar);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Cara Chen/);
    assert.match(html, /data-status=['"]failed['"]/);

    const retried = await postForm(`${logUrl}/${id}/retry`, {}, instructor.jar);
    assert.equal(retried.status, 303);
    const sent = await passback(learner.session, id, 'sent');
    assert.equal(sent.attempts, 4);
  });

  it('has the development LMS refuse a client assertion not signed by the tool key', async () => {
    const forged = await signJwt(
      {
        iss: h.devLms.clientId,
        sub: h.devLms.clientId,
        aud: h.devLms.urls.token,
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 60,
        jti: randomUUID(),
      },
      generateSigningKey(),
    );
    const res = await fetch(h.devLms.urls.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: forged,
        scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      }),
    });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_client');
  });

  it('syncs the roster over NRPS page by page, then marks members who left inactive', async () => {
    const instructor = await sessionFor('ines');
    const contextId = instructor.session.contextId!;
    const pagesBefore = h.devLms.calls.memberPages;
    const res = await fetch(`${h.url}/courses/${contextId}/roster-sync`, {
      method: 'POST',
      headers: {
        cookie: instructor.jar.header(),
        ...pageHeaders(h.url, instructor.jar),
        accept: 'application/json',
      },
    });
    assert.equal(res.status, 200, await res.clone().text());
    const first = (await res.json()) as { active: number; deactivated: number };
    assert.deepEqual({ active: first.active, deactivated: first.deactivated }, { active: 5, deactivated: 0 });
    assert.equal(h.devLms.calls.memberPages - pagesBefore, 3, 'five members in pages of two');

    h.devLms.removeMember('safety-101', 'ben');
    const again = await h.services.lti.rosters.sync(instructor.session.tenantId, contextId);
    assert.deepEqual(again, {
      active: 4,
      deactivated: 1,
      joined: [],
      left: ['Ben Brooks'],
      unchanged: 4,
      samples: 0,
    });
    const roster = await h.services.lti.courses.roster(instructor.session.tenantId, contextId);
    assert.equal(roster.find((r) => r.sub === 'ben')?.status, 'inactive');
    assert.equal(roster.find((r) => r.sub === 'tom')?.roleKind, 'instructor');
  });

  it("refuses an instructor's roster sync of another course, page and post alike, and asks the LMS nothing", async () => {
    const instructor = await sessionFor('ines');
    const other = randomUUID();
    const pagesBefore = h.devLms.calls.memberPages;
    const page = await get(`${h.url}/courses/${other}/roster-sync`, instructor.jar);
    assert.equal(page.status, 403);
    const post = await postForm(`${h.url}/courses/${other}/roster-sync`, {}, instructor.jar);
    assert.equal(post.status, 403);
    assert.match(await post.text(), /belongs to another course/);
    assert.equal(h.devLms.calls.memberPages, pagesBefore);
  });

  it('filters the roster by role and only touches that role', async () => {
    const instructor = await sessionFor('ines');
    const contextId = instructor.session.contextId!;
    h.devLms.removeMember('safety-101', 'cara');
    const result = await h.services.lti.rosters.sync(instructor.session.tenantId, contextId, {
      role: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
    });
    assert.equal(result.active, 1, 'only Ana is still a learner');
    const roster = await h.services.lti.courses.roster(instructor.session.tenantId, contextId);
    assert.equal(roster.find((r) => r.sub === 'cara')?.status, 'inactive');
    assert.equal(
      roster.find((r) => r.sub === 'ines')?.status,
      'active',
      'instructors are outside the filter',
    );
  });

  it('asks before a roster sync, then says who joined, who left and how many stayed; sample learners stay', async () => {
    const instructor = await sessionFor('ines');
    const { tenantId, contextId } = {
      tenantId: instructor.session.tenantId,
      contextId: instructor.session.contextId!,
    };
    const people = createLtiPeopleRepository(testDb().db);
    const platform = (await h.services.lti.platforms.findByIssuer(h.devLms.issuer, h.devLms.clientId))!;
    const sample = await people.upsertUser({
      tenantId,
      platformId: platform.id,
      sub: 'sample-learner-1',
      name: 'Sam Sample',
      givenName: null,
      familyName: null,
      email: null,
      xapiHomePage: platform.issuer,
      xapiName: 'sample-learner-1',
    });
    const learnerRole = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'];
    await people.upsertEnrollment({
      tenantId,
      contextId,
      userId: sample.id,
      roles: learnerRole,
      roleKind: 'learner',
      source: 'sample',
    });
    await h.services.lti.rosters.sync(tenantId, contextId);
    h.devLms.removeMember('safety-101', 'tom');

    const confirm = await get(`${h.url}/courses/${contextId}/roster-sync`, instructor.jar);
    assert.equal(confirm.status, 200);
    const page = await confirm.text();
    assert.match(page, /members it no longer lists become <strong>inactive<\/strong>/);
    assert.match(page, /<form method="post" action="\/courses\/[0-9a-f-]{36}\/roster-sync"/);
    assert.equal((await h.services.lti.courses.get(tenantId, contextId)).rosterSyncedAt !== null, true);

    const done = await postForm(`${h.url}/courses/${contextId}/roster-sync`, {}, instructor.jar);
    const html = await done.text();
    assert.equal(done.status, 200, html.slice(0, 2000));
    assert.match(html, /<dt>Joined<\/dt><dd>None<\/dd>/);
    assert.match(html, /<dt>Left \(now inactive\)<\/dt><dd>1: Tom Assistant<\/dd>/);
    assert.match(html, /<dt>Unchanged<\/dt><dd>\d+ members<\/dd>/);
    assert.match(html, /<dt>Sample learners \(kept\)<\/dt><dd>1<\/dd>/);
    const roster = await h.services.lti.courses.roster(tenantId, contextId);
    assert.equal(roster.find((r) => r.sub === 'sample-learner-1')?.status, 'active', 'no LMS lists samples');
    assert.equal(roster.find((r) => r.sub === 'tom')?.status, 'inactive');
  });
});
