import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, type CookieJar } from '../../support/lti-client.js';
import { createModuleRepository } from '../../../src/storage/repositories/module-repository.js';
import { ACTIVITY_TYPES, CATEGORIES, EXTENSIONS, VERBS } from '../../../src/learning/vocabulary.js';
import { formState, postPage } from '../../support/learner-client.js';
import { samplePackage } from '../../fixtures/cmi5-packages.js';

const LINK = 'safety-101-module-1';

interface Launched {
  url: URL;
  auth: string;
  sessionId: string;
  activityId: string;
  registration: string;
  actor: Record<string, unknown>;
}

/**
 * The LMS side of cmi5 for an imported package (cmi5 8-10): the sample course (two blocks, three AUs)
 * launched AU by AU as the dev LMS's learner Ben, over HTTP.
 */
describe('cmi5 AU sessions of an imported package', function () {
  this.timeout(90000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let tenantId: string;
  let packageId: string;
  let moduleId: string;
  let jar: CookieJar;
  before(async () => {
    h = await startLtiHarness(testDb());
    tenantId = (await h.services.tenants.getByName('Demo')).id;
    const imported = await h.services.contentPackages.importPackage(tenantId, samplePackage());
    packageId = imported.package.id;
    moduleId = imported.module.id;
    jar = (await launch(h.devLms, 'ben', 'safety-101', LINK)).jar;
    const ctx = (
      await sql<{ id: string }>`SELECT id FROM course_context WHERE context_id = 'safety-101'`.execute(
        testDb().db,
      )
    ).rows[0]!.id;
    await createModuleRepository(testDb().db).link(tenantId, ctx, LINK, moduleId);
  });
  after(async () => h?.close());

  const xapi = (path: string, auth: string, init: RequestInit = {}, scheme = 'Basic') =>
    fetch(`${h.url}/xapi${path}`, {
      ...init,
      headers: {
        'X-Experience-API-Version': '1.0.3',
        'content-type': 'application/json',
        origin: 'null',
        authorization: `${scheme} ${auth}`,
        ...(init.headers as Record<string, string>),
      },
    });

  async function launchAu(): Promise<Launched> {
    const page = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
    const { attempt } = formState(page);
    const res = await postPage(h.url, `/learn/${LINK}/au`, [['attempt', attempt]], jar);
    assert.equal(res.status, 303, await res.text());
    const url = new URL(res.headers.get('location')!);
    const p = url.searchParams;
    const token = (await (
      await fetch(p.get('fetch')!, { method: 'POST', headers: { origin: 'null' } })
    ).json()) as {
      'auth-token': string;
    };
    const actor = JSON.parse(p.get('actor')!) as Record<string, unknown>;
    const state = await xapi(
      `/activities/state?${new URLSearchParams({ activityId: p.get('activityId')!, agent: p.get('actor')!, registration: p.get('registration')!, stateId: 'LMS.LaunchData' })}`,
      token['auth-token'],
    );
    const launchData = (await state.json()) as { contextTemplate: { extensions: Record<string, string> } };
    return {
      url,
      auth: token['auth-token'],
      sessionId: launchData.contextTemplate.extensions[EXTENSIONS.sessionId]!,
      activityId: p.get('activityId')!,
      registration: p.get('registration')!,
      actor,
    };
  }

  const statement = (l: Launched, verb: keyof typeof VERBS, more: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    actor: l.actor,
    verb: { id: VERBS[verb] },
    object: { id: l.activityId, objectType: 'Activity' },
    context: {
      registration: l.registration,
      contextActivities: {
        category: [
          { id: CATEGORIES.cmi5 },
          ...(['completed', 'passed', 'failed'].includes(verb) ? [{ id: CATEGORIES.moveOn }] : []),
        ],
      },
      extensions: { [EXTENSIONS.sessionId]: l.sessionId },
    },
    timestamp: new Date().toISOString(),
    ...more,
  });
  const send = (l: Launched, statements: unknown[], scheme = 'Basic') =>
    xapi('/statements', l.auth, { method: 'POST', body: JSON.stringify(statements) }, scheme);

  const lmsStatements = async (verb: string) => {
    const { rows } = await sql<{ statement: string }>`
      SELECT statement FROM xapi_statement WHERE tenant_id = ${tenantId} AND verb_iri = ${verb} AND credential_id IS NULL ORDER BY seq`.execute(
      testDb().db,
    );
    return rows.map(
      (r) =>
        JSON.parse(r.statement) as {
          object: { id: string; definition?: { type?: string } };
          context: { extensions: Record<string, unknown> };
          result?: { duration?: string };
        },
    );
  };

  const continueStep = async () => {
    const page = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
    const { attempt, step } = formState(page);
    return postPage(
      h.url,
      `/learn/${LINK}/steps`,
      [
        ['attempt', attempt],
        ['step', step],
      ],
      jar,
    );
  };

  let intro: Launched;

  it('launches the first AU under /content with the launch parameters, LMS.LaunchData and a launched statement', async () => {
    const page = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
    assert.match(page, /Start &quot;Introduction&quot;|Start "Introduction"/);
    intro = await launchAu();
    assert.equal(
      intro.url.origin + intro.url.pathname,
      `${h.url}/content/${tenantId}/${packageId}/intro/index.html`,
    );
    assert.equal(intro.url.searchParams.get('endpoint'), `${h.url}/xapi/`);
    assert.match(intro.activityId, new RegExp(`/modules/${moduleId}/aus/`));
    const state = await xapi(
      `/activities/state?${new URLSearchParams({ activityId: intro.activityId, agent: JSON.stringify(intro.actor), registration: intro.registration, stateId: 'LMS.LaunchData' })}`,
      intro.auth,
    );
    const data = (await state.json()) as Record<string, unknown> & {
      contextTemplate: { contextActivities: { grouping: { id: string }[] } };
    };
    assert.equal(data.launchMode, 'Normal');
    assert.equal(data.moveOn, 'Completed');
    assert.equal(data.returnURL, `${h.url}/learn/${LINK}`);
    assert.ok(
      data.contextTemplate.contextActivities.grouping.some((g) => g.id === 'https://example.com/aus/intro'),
    );
    const launched = await lmsStatements(VERBS.launched);
    assert.ok(
      launched.some(
        (s) =>
          s.object.id === intro.activityId && s.context.extensions[EXTENSIONS.sessionId] === intro.sessionId,
      ),
    );
  });

  it('answers sandboxed content (Origin: null) on /xapi, while the session pages still refuse that origin', async () => {
    const preflight = await fetch(`${h.url}/xapi/statements`, {
      method: 'OPTIONS',
      headers: {
        origin: 'null',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-experience-api-version',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'null');
    const page = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
    const forged = await fetch(`${h.url}/learn/${LINK}/au`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), origin: 'null', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ attempt: formState(page).attempt }),
    });
    assert.equal(forged.status, 403);
  });

  it('refuses a first statement that is not initialized, naming cmi5 9.3.2', async () => {
    const res = await send(intro, [
      statement(intro, 'completed', { result: { completion: true, duration: 'PT5S' } }),
    ]);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /cmi5 9\.3\.2/);
  });

  it('refuses a statement without the session id, naming cmi5 9.6.3.1', async () => {
    const s = statement(intro, 'initialized');
    s.context.extensions = {} as never;
    const res = await send(intro, [s]);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /cmi5 9\.6\.3\.1/);
  });

  it('keeps the learner on the AU until it reports its moveOn', async () => {
    const res = await continueStep();
    assert.equal(res.status, 400);
    assert.match(await res.text(), /has not reported that you completed it yet/);
  });

  it('stores initialized, completed and terminated (the token as Bearer too), then refuses anything after terminated (9.3.8)', async () => {
    assert.equal((await send(intro, [statement(intro, 'initialized')])).status, 200);
    const done = await send(
      intro,
      [
        statement(intro, 'completed', { result: { completion: true, duration: 'PT30S' } }),
        statement(intro, 'terminated', { result: { duration: 'PT40S' } }),
      ],
      'Bearer',
    );
    assert.equal(done.status, 200, await done.text());
    const credential = await h.services.lrsCredentials.create({
      tenant: 'Demo',
      scopes: ['all'],
      homePage: h.url,
    });
    const basic = Buffer.from(`${credential.key}:${credential.secret}`).toString('base64');
    assert.equal(
      (await xapi('/statements?limit=1', basic, {}, 'Bearer')).status,
      401,
      'LRS credentials stay Basic',
    );
    const late = await send(intro, [statement(intro, 'progressed')]);
    assert.equal(late.status, 400);
    assert.match(await late.text(), /cmi5 9\.3\.8/);
    assert.equal((await continueStep()).status, 303);
    assert.deepEqual(await lmsStatements(VERBS.satisfied), [], 'one AU of two does not satisfy its block');
  });

  it('abandons a session launched again before it terminated, and satisfies the block when its last AU completes', async () => {
    const first = await launchAu();
    assert.equal((await send(first, [statement(first, 'initialized')])).status, 200);
    const second = await launchAu();
    const abandoned = await lmsStatements(VERBS.abandoned);
    assert.equal(abandoned.length, 1);
    assert.equal(abandoned[0]!.context.extensions[EXTENSIONS.sessionId], first.sessionId);
    assert.match(abandoned[0]!.result!.duration!, /^PT/);
    const stale = await send(first, [
      statement(first, 'completed', { result: { completion: true, duration: 'PT1S' } }),
    ]);
    assert.equal(stale.status, 400);
    assert.match(await stale.text(), /cmi5 9\.3\.6/);
    const ok = await send(second, [
      statement(second, 'initialized'),
      statement(second, 'completed', { result: { completion: true, duration: 'PT20S' } }),
      statement(second, 'terminated', { result: { duration: 'PT25S' } }),
    ]);
    assert.equal(ok.status, 200, await ok.text());
    const satisfied = await lmsStatements(VERBS.satisfied);
    assert.deepEqual(
      satisfied.map((s) => [s.object.definition?.type, s.context.extensions[EXTENSIONS.sessionId]]),
      [[ACTIVITY_TYPES.cmi5Block, second.sessionId]],
    );
    assert.equal((await continueStep()).status, 303);
  });

  it('refuses passed below the masteryScore (9.3.4); passed and completed satisfy the last block and the course; the grade follows', async () => {
    const quiz = await launchAu();
    const low = await send(quiz, [
      statement(quiz, 'initialized'),
      statement(quiz, 'passed', { result: { success: true, score: { scaled: 0.7 }, duration: 'PT1M' } }),
    ]);
    assert.equal(low.status, 400);
    assert.match(await low.text(), /cmi5 9\.3\.4/);
    const ok = await send(quiz, [
      statement(quiz, 'initialized'),
      statement(quiz, 'passed', { result: { success: true, score: { scaled: 0.9 }, duration: 'PT1M' } }),
      statement(quiz, 'completed', { result: { completion: true, duration: 'PT1M' } }),
      statement(quiz, 'terminated', { result: { duration: 'PT70S' } }),
    ]);
    assert.equal(ok.status, 200, await ok.text());
    const types = (await lmsStatements(VERBS.satisfied)).map((s) => s.object.definition?.type);
    assert.deepEqual(types, [ACTIVITY_TYPES.cmi5Block, ACTIVITY_TYPES.cmi5Block, ACTIVITY_TYPES.cmi5Course]);
    const end = await continueStep();
    assert.equal(end.status, 303);
    const results = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
    assert.match(results, /90/);
    const deadline = Date.now() + 20000;
    let scores: { scoreGiven?: number; scoreMaximum?: number; userId: string }[] = [];
    while (Date.now() < deadline) {
      scores = [...h.devLms.scores.values()].flat();
      if (scores.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(
      scores.map((s) => [s.userId, s.scoreGiven, s.scoreMaximum]),
      [['ben', 90, 100]],
    );
  });
});
