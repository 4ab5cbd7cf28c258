import assert from 'node:assert/strict';
import pg from 'pg';
import { testCluster, type TestCluster } from './support/test-cluster.js';
import { launchAcross, testPlatform } from './support/test-platform.js';
import { summaryLine } from './support/statement-load.js';
import { get, type CookieJar } from '../support/lti-client.js';
import { formState } from '../support/learner-client.js';
import { VERBS } from '../../src/learning/vocabulary.js';

const COURSE = 'safety-101';
const LINK = 'safety-101-module-1';
/** The module's steps: pre-test, two pages, post-test, survey (test/integration/learning/learner-flow-http). */
const STEPS: [string, string][][] = [
  [
    ['a.plate', 'plate'],
    ['a.centre', 'false'],
  ],
  [],
  [],
  [
    ['a.plate', 'plate'],
    ['a.centre', 'false'],
    ['a.reduce', 'attachment'],
    ['a.reduce', 'long-centre'],
    ['a.height', ' 18 '],
    ['a.shape', '  Triangle '],
  ],
  [
    ['a.useful', '4'],
    ['a.recommend', '9'],
  ],
];
/** Questions answered in the pre-test (2) and post-test (5). */
const ANSWERED = 7;

describe('cluster LTI launch and learner session across app servers', function () {
  this.timeout(120000);
  it('launches with the login on one app server and the id_token post on the other, then moves a module attempt between them', async function () {
    const cluster = testCluster(this);
    const { urls } = cluster.state;
    const [app1, app2] = [urls.apps.app1, urls.apps.app2];
    const { lms } = await testPlatform(cluster);

    // The login's state cookie and nonce come from app1; app2 receives the id_token and checks them.
    const { res: launched, jar } = await launchAcross(lms, urls.front, app1, app2, 'ana', COURSE, LINK);
    assert.equal(
      launched.status,
      303,
      `the launch on app2 answered ${launched.status}: ${await launched.text()}`,
    );

    // The attempt starts on app1, answers go to app2, the step after each is read from app1.
    let html = await page(app1, jar);
    assert.match(html, /Step 1 of 5/);
    const { attempt } = formState(html);
    for (const [i, fields] of STEPS.entries()) {
      const res = await answer(app2, urls.front, jar, html, fields);
      assert.equal(res.status, 303, `step ${i + 1} on app2 answered ${res.status}: ${await res.text()}`);
      html = await page(i % 2 === 0 ? app1 : app2, jar);
    }
    assert.match(
      html,
      /You passed/,
      'the results page, read from whichever server, shows the finished attempt',
    );

    const answers = await answeredStatements(cluster, attempt);
    const presence = {
      present: answers.size,
      duplicated: [...answers.values()].filter((n) => n > 1).length,
      lost: ANSWERED - answers.size,
    };
    process.stdout.write(`${summaryLine('lti-session', ANSWERED, presence, 0)}\n`);
    assert.deepEqual(presence, { present: ANSWERED, duplicated: 0, lost: 0 });
  });
});

async function page(base: string, jar: CookieJar): Promise<string> {
  const res = await get(`${base}/learn/${LINK}`, jar);
  const html = await res.text();
  assert.equal(res.status, 200, `GET /learn on ${base} answered ${res.status}: ${html.slice(0, 500)}`);
  return html;
}

/** A step's form posted to `base` as the page at `front` (PUBLIC_URL) posts it: its Origin and CSRF token. */
async function answer(
  base: string,
  front: string,
  jar: CookieJar,
  html: string,
  fields: [string, string][],
): Promise<Response> {
  const { attempt, step } = formState(html);
  const res = await fetch(`${base}/learn/${LINK}/steps`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: jar.header(),
      origin: front,
      ...(jar.csrfToken ? { 'x-csrf-token': jar.csrfToken } : {}),
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
    },
    body: new URLSearchParams([['attempt', attempt], ['step', step], ...fields]),
  });
  jar.store(res);
  return res;
}

/** How often each question of `attempt` was recorded as answered (xAPI `answered` statements). */
async function answeredStatements(cluster: TestCluster, attempt: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: cluster.state.urls.migration });
  await client.connect();
  try {
    const { rows } = await client.query<{ object: string; n: string }>(
      `SELECT statement::jsonb #>> '{object,id}' AS object, count(*) AS n FROM xapi_statement
        WHERE tenant_id = $1 AND registration = $2 AND statement::jsonb #>> '{verb,id}' = $3
        GROUP BY 1`,
      [cluster.lrs.tenantId, attempt, VERBS.answered],
    );
    return new Map(rows.map((r) => [r.object, Number(r.n)]));
  } finally {
    await client.end();
  }
}
