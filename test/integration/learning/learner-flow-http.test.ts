import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, type CookieJar } from '../../support/lti-client.js';
import { formState, postPage } from '../../support/learner-client.js';
import { cmi5OrderProblems } from '../../support/cmi5-order.js';
import { validateStatement } from '../../../src/xapi/rules/validate-statement.js';
import { ACTIVITY_TYPES, ANONYMOUS_HOME_PAGE, EXTENSIONS, VERBS } from '../../../src/learning/vocabulary.js';
import { createModuleRepository } from '../../../src/storage/repositories/module-repository.js';
import { abandonStaleSessions } from '../../../src/learning/flow/learning-jobs.js';

const LINK = 'safety-101-module-1';
const PRE_RIGHT: [string, string][] = [
  ['a.plate', 'plate'],
  ['a.centre', 'false'],
];
const POST_RIGHT: [string, string][] = [
  ['a.plate', 'plate'],
  ['a.centre', 'false'],
  ['a.reduce', 'attachment'],
  ['a.reduce', 'long-centre'],
  ['a.height', ' 18 '],
  ['a.shape', '  Triangle '],
];

describe('Learner flow over HTTP in the development LMS', function () {
  this.timeout(120000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let tenantId: string;
  before(async () => {
    h = await startLtiHarness(testDb());
    tenantId = (await h.services.tenants.getByName('Demo')).id;
  });
  after(async () => h?.close());

  const db = () => testDb().db;
  async function statements(registration?: string) {
    const rows = await sql<{ statement: string; tenant_id: string }>`
      SELECT statement, tenant_id FROM xapi_statement
      WHERE ${registration ? sql`registration = ${registration}` : sql`true`} ORDER BY seq`.execute(db());
    return rows.rows.map((r) => ({ ...JSON.parse(r.statement), tenant: r.tenant_id }));
  }
  const count = async () =>
    Number((await sql<{ n: string }>`SELECT count(*) AS n FROM xapi_statement`.execute(db())).rows[0]!.n);
  const verbs = (list: { verb: { id: string } }[]) =>
    list.map((s) => Object.entries(VERBS).find(([, id]) => id === s.verb.id)![0]);

  async function open(person: string, link = LINK, course = 'safety-101') {
    const { res, jar } = await launch(h.devLms, person, course, link);
    assert.equal(res.status, 303);
    const page = await get(`${h.url}/learn/${link}`, jar);
    return { jar, html: await page.text(), status: page.status };
  }
  async function answer(jar: CookieJar, html: string, fields: [string, string][], link = LINK) {
    const { attempt, step } = formState(html);
    const res = await postPage(
      h.url,
      `/learn/${link}/steps`,
      [['attempt', attempt], ['step', step], ...fields],
      jar,
    );
    return res;
  }
  async function next(jar: CookieJar, html: string, fields: [string, string][] = [], link = LINK) {
    const res = await answer(jar, html, fields, link);
    assert.equal(res.status, 303, await res.clone().text());
    return (await get(`${h.url}/learn/${link}`, jar)).text();
  }

  it('runs a whole attempt: pre-test, pages, post-test, survey, results; statements valid and in cmi5 order; the grade reaches the LMS', async () => {
    const opened = await open('ana');
    const jar = opened.jar;
    let html = opened.html;
    assert.match(html, /Step 1 of 5/);
    html = await next(jar, html, [
      ['a.plate', 'manual'],
      ['a.centre', 'false'],
    ]);
    assert.match(html, /Read the capacity plate/);
    html = await next(jar, html);
    assert.match(html, /The stability triangle/);
    html = await next(jar, html);
    assert.match(html, /Check what you learned/);
    html = await next(jar, html, POST_RIGHT);
    assert.match(html, /Tell us what you think/);
    html = await next(jar, html, [
      ['a.useful', '4'],
      ['a.recommend', '9'],
      ['a.comment', 'More pictures'],
    ]);
    assert.match(html, /You passed/);
    assert.match(html, /5 of 5 points/);
    assert.match(html, /1 of 2 points \(50%\)/);

    const attempt = (
      await sql<{ id: string; status: string }>`SELECT id, status FROM learning_attempt`.execute(db())
    ).rows[0]!;
    assert.equal(attempt.status, 'completed');
    const mine = await statements(attempt.id);
    assert.deepEqual(verbs(mine), [
      'launched',
      'initialized',
      'answered',
      'answered',
      'progressed',
      'experienced',
      'progressed',
      'experienced',
      'progressed',
      'answered',
      'answered',
      'answered',
      'answered',
      'answered',
      'passed',
      'progressed',
      'progressed',
      'completed',
      'terminated',
    ]);
    const all = await statements();
    for (const s of all) {
      const { tenant, ...statement } = s;
      assert.equal(tenant, tenantId);
      const v = validateStatement(statement, { version: '1.0.3' });
      assert.ok(v.ok, JSON.stringify(!v.ok && v.errors));
      assert.equal(statement.context.extensions[EXTENSIONS.assignmentId], LINK);
      assert.equal(typeof statement.context.extensions[EXTENSIONS.moduleVersion], 'number');
      assert.equal(EXTENSIONS.campaignId in statement.context.extensions, false);
    }
    assert.deepEqual(cmi5OrderProblems(all), []);
    const answered = mine.filter((s) => s.verb.id === VERBS.answered);
    const numeric = answered.find((s) => s.object.id.endsWith('/post-test/height'))!;
    assert.equal(numeric.object.definition.interactionType, 'numeric');
    assert.deepEqual(numeric.object.definition.correctResponsesPattern, ['10[:]20']);
    assert.equal(numeric.result.success, true);
    const fill = answered.find((s) => s.object.id.endsWith('/post-test/shape'))!;
    assert.equal(fill.result.response, 'Triangle');
    assert.equal(fill.result.success, true);
    const pre = answered.find((s) => s.object.id.endsWith('/pre-test/plate'))!;
    assert.equal(pre.result.success, false);
    assert.equal(pre.context.extensions[EXTENSIONS.phase], 'pre');
    const passed = mine.find((s) => s.verb.id === VERBS.passed)!;
    assert.deepEqual(passed.result.score, { scaled: 1, raw: 5, min: 0, max: 5 });
    assert.match(mine.at(-1).result.duration, /^PT/);
    // The anonymous survey: a fresh actor and registration, no correct responses, phase survey.
    const survey = all.filter((s) => s.context.extensions[EXTENSIONS.phase] === 'survey');
    assert.equal(survey.length, 3);
    assert.equal(survey[0].actor.account.homePage, ANONYMOUS_HOME_PAGE);
    assert.notEqual(survey[0].context.registration, attempt.id);
    assert.equal(new Set(survey.map((s) => s.context.registration)).size, 1);
    for (const s of survey) {
      assert.equal(s.object.definition.type, ACTIVITY_TYPES.interaction);
      assert.equal(s.object.definition.correctResponsesPattern, undefined);
      assert.equal(s.result.success, undefined);
    }
    // Grade passback: queued, delivered to the dev LMS gradebook.
    const deadline = Date.now() + 20000;
    let scores: { scoreGiven?: number; scoreMaximum?: number; userId: string }[] = [];
    while (Date.now() < deadline) {
      scores = [...h.devLms.scores.values()].flat();
      if (scores.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(
      scores.map((s) => [s.userId, s.scoreGiven, s.scoreMaximum]),
      [['ana', 5, 5]],
    );
  });

  it("keeps an instructor's survey answers under their own account, out of the anonymous results", async () => {
    const opened = await open('ines');
    let html = opened.html;
    assert.match(html, /Step 1 of 5/);
    html = await next(opened.jar, html, [
      ['a.plate', 'manual'],
      ['a.centre', 'false'],
    ]);
    html = await next(opened.jar, html);
    html = await next(opened.jar, html);
    html = await next(opened.jar, html, POST_RIGHT);
    assert.match(html, /Tell us what you think/);
    const anonymousBefore = (await statements()).filter(
      (s) => s.actor.account?.homePage === ANONYMOUS_HOME_PAGE,
    ).length;
    html = await next(opened.jar, html, [
      ['a.useful', '2'],
      ['a.recommend', '3'],
    ]);
    assert.match(html, /You passed/);
    const all = await statements();
    const survey = all.filter(
      (s) => s.context.extensions[EXTENSIONS.phase] === 'survey' && s.actor.account?.name === 'ines',
    );
    assert.equal(survey.length, 2, 'the preview answers carry the instructor account');
    assert.equal(
      all.filter((s) => s.actor.account?.homePage === ANONYMOUS_HOME_PAGE).length,
      anonymousBefore,
      'no new anonymous answer',
    );
  });

  it('refuses a replayed step, an answer after the attempt ended, and tampered ids, storing nothing', async () => {
    const opened = await open('ben');
    const jar = opened.jar;
    let html = opened.html;
    const preForm = html;
    // Tampered: an unknown question, an unknown choice, an unknown field.
    const before = await count();
    for (const fields of [
      [...PRE_RIGHT, ['a.ghost', 'x']],
      [
        ['a.plate', 'hacked'],
        ['a.centre', 'false'],
      ],
      [...PRE_RIGHT, ['score', '100']],
    ] as [string, string][][]) {
      const res = await answer(jar, preForm, fields);
      assert.equal(res.status, 400);
    }
    const tampered = await answer(jar, preForm, [...PRE_RIGHT, ['a.ghost', 'x']]);
    assert.match(await tampered.text(), /is not a question of this test/);
    assert.equal(await count(), before);
    html = await next(jar, preForm, PRE_RIGHT);
    const afterFirst = await count();
    // The same pre-test form again: 409, nothing stored twice.
    const replay = await answer(jar, preForm, PRE_RIGHT);
    assert.equal(replay.status, 409);
    assert.match(await replay.text(), /answered already/);
    assert.equal(await count(), afterFirst);
    // JSON clients get the error as JSON.
    const { attempt } = formState(preForm);
    const json = await postPage(
      h.url,
      `/learn/${LINK}/steps`,
      [['attempt', attempt], ['step', '0'], ...PRE_RIGHT],
      jar,
      'application/json',
    );
    assert.equal(json.status, 409);
    assert.equal((await json.json()).error.code, 'conflict');
    // Someone else's attempt id: not found.
    const other = await open('cara');
    const foreign = await answer(other.jar, html, []);
    assert.equal(foreign.status, 404);
    // Finish, then answer after termination.
    html = await next(jar, html);
    html = await next(jar, html);
    const postForm = html;
    html = await next(jar, html, POST_RIGHT);
    html = await next(jar, html, [
      ['a.useful', '5'],
      ['a.recommend', '10'],
    ]);
    assert.match(html, /Your results/);
    const ended = await count();
    const late = await answer(jar, postForm, POST_RIGHT);
    assert.equal(late.status, 409);
    assert.match(await late.text(), /attempt has ended/);
    assert.equal(await count(), ended);
  });

  it('resumes the open attempt after a relaunch; the earlier session ends as abandoned', async () => {
    const first = await open('ana', 'sales-201-module-1', 'sales-201');
    await next(first.jar, first.html, PRE_RIGHT, 'sales-201-module-1');
    const again = await open('ana', 'sales-201-module-1', 'sales-201');
    assert.match(again.html, /Step 2 of 5/);
    assert.match(again.html, /Read the capacity plate/);
    const { attempt } = formState(again.html);
    const list = await statements(attempt);
    assert.deepEqual(verbs(list).slice(-3), ['abandoned', 'launched', 'initialized']);
    assert.equal(list.at(-3).result.extensions[EXTENSIONS.durationEstimated], true);
    assert.deepEqual(cmi5OrderProblems(list), []);
    // The old page's session is over: its heartbeat and answers get 409.
    const beat = await postPage(
      h.url,
      '/learn/sales-201-module-1/heartbeat',
      [['attempt', attempt]],
      first.jar,
      'application/json',
    );
    assert.equal(beat.status, 409);
    const live = await postPage(
      h.url,
      '/learn/sales-201-module-1/heartbeat',
      [['attempt', attempt]],
      again.jar,
      'application/json',
    );
    assert.equal(live.status, 204);
  });

  it('keeps the attempt limit', async () => {
    const modules = createModuleRepository(db());
    const m = await modules.insert(tenantId, { title: 'One try' });
    await modules.saveDraft(tenantId, m.id, {
      pages: [{ id: 'p', title: 'Only page', format: 'markdown', body: 'Hello' }],
      attemptLimit: 1,
    });
    await modules.publishDraft(tenantId, m.id);
    const { res, jar } = await launch(h.devLms, 'cara', 'safety-101', 'safety-101-survey');
    assert.equal(res.status, 303);
    const ctx = (
      await sql<{ id: string }>`SELECT id FROM course_context WHERE context_id = 'safety-101'`.execute(db())
    ).rows[0]!.id;
    await modules.link(tenantId, ctx, 'safety-101-survey', m.id);
    let html = await (await get(`${h.url}/learn/safety-101-survey`, jar)).text();
    assert.match(html, /Only page/);
    html = await next(jar, html, [], 'safety-101-survey');
    assert.match(html, /used all attempts/);
    const again = await postPage(h.url, '/learn/safety-101-survey/attempts', [], jar, 'application/json');
    assert.equal(again.status, 409);
  });

  it('ends a stale session as abandoned with its time, and keeps per learner totals', async () => {
    const first = await open('ana', 'sales-201-module-1', 'sales-201');
    const { attempt } = formState(first.html);
    // The page went quiet 40 minutes ago after 95 s of activity; the job's run ends it.
    await sql`UPDATE learning_session SET last_seen_at = now() - interval '40 minutes', active_seconds = 95
              WHERE attempt_id = ${attempt} AND status = 'active'`.execute(db());
    const jobDeps = { tenants: h.services.tenants, flow: h.services.learning.flow };
    assert.equal(await abandonStaleSessions(jobDeps), 1);
    const list = await statements(attempt);
    const last = list.at(-1);
    assert.equal(last.verb.id, VERBS.abandoned);
    assert.equal(last.result.duration, 'PT1M35S');
    assert.equal(last.timestamp < new Date(Date.now() - 30 * 60_000).toISOString(), true);
    assert.equal(last.result.extensions[EXTENSIONS.durationEstimated], true);
    const user = (
      await sql<{
        user_id: string;
        module_id: string;
      }>`SELECT user_id, module_id FROM learning_attempt WHERE id = ${attempt}`.execute(db())
    ).rows[0]!;
    const total = await h.services.learning.flow.timeTotal(tenantId, user.user_id, user.module_id);
    assert.ok(total && total.sessions >= 1 && total.estimatedSessions >= 1);
    // A second run finds nothing left to end.
    assert.equal(await abandonStaleSessions(jobDeps), 0);
  });

  it('lets an instructor rate a learner on the observation form, once per form', async () => {
    const { res, jar } = await launch(h.devLms, 'ines', 'safety-101', LINK);
    assert.equal(res.status, 303);
    const page = await get(`${h.url}/learn/${LINK}/observe`, jar);
    const html = await page.text();
    assert.equal(page.status, 200, html);
    const observation = /name='observation' value='([^']+)'/.exec(html)![1]!;
    const ana =
      /<option value='([^']+)' >Ana Alvarez/.exec(html)?.[1] ??
      /<option value='([^']+)'[^>]*>Ana Alvarez/.exec(html)![1]!;
    const fields: [string, string][] = [
      ['observation', observation],
      ['learner', ana],
      ['a.checks-plate', '4'],
      ['a.low-carry', '5'],
    ];
    const saved = await postPage(h.url, `/learn/${LINK}/observe`, fields, jar);
    assert.equal(saved.status, 200, await saved.clone().text());
    const obs = await statements(observation);
    assert.equal(obs.length, 2);
    assert.equal(obs[0].context.extensions[EXTENSIONS.phase], 'observation');
    assert.equal(obs[0].context.extensions[EXTENSIONS.observedLearner].account.name, 'ana');
    assert.equal(obs[0].actor.account.name, 'ines');
    const replay = await postPage(h.url, `/learn/${LINK}/observe`, fields, jar);
    assert.equal(replay.status, 409);
    assert.equal((await statements(observation)).length, 2);
    // A learner cannot open it.
    const learner = await open('ben');
    const refused = await get(`${h.url}/learn/${LINK}/observe`, learner.jar);
    assert.equal(refused.status, 403);
  });

  it('stores captured statements in the launch tenant only, readable through /xapi there and nowhere else', async () => {
    await h.services.tenants.create('Other');
    const read = async (tenant: string) => {
      const { key, secret } = await h.services.lrsCredentials.create({
        tenant,
        scopes: ['all/read'],
        homePage: h.url,
      });
      const res = await fetch(`${h.url}/xapi/statements?verb=${encodeURIComponent(VERBS.passed)}`, {
        headers: {
          'X-Experience-API-Version': '1.0.3',
          authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
        },
      });
      assert.equal(res.status, 200);
      return ((await res.json()) as { statements: unknown[] }).statements.length;
    };
    assert.ok((await read('Demo')) >= 1);
    assert.equal(await read('Other'), 0);
  });
});
