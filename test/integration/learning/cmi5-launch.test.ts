import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, type CookieJar } from '../../support/lti-client.js';
import { createModuleRepository } from '../../../src/storage/repositories/module-repository.js';
import { EXTENSIONS, VERBS } from '../../../src/learning/vocabulary.js';
import { formState, postPage } from '../../support/learner-client.js';

const LINK = 'safety-101-survey';
const ACTIVITY = 'https://content.example/au/forklift-sim';

describe('External content launched with cmi5 parameters', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let tenantId: string;
  let jar: CookieJar;
  let params: URLSearchParams;
  let auth: string;
  before(async () => {
    h = await startLtiHarness(testDb());
    tenantId = (await h.services.tenants.getByName('Demo')).id;
    const modules = createModuleRepository(testDb().db);
    const m = await modules.insert(tenantId, { title: 'Forklift simulator' });
    await modules.saveDraft(tenantId, m.id, {
      pages: [],
      external: {
        url: 'https://content.example/au/index.html?lang=en',
        activityId: ACTIVITY,
        moveOn: 'Completed',
      },
    });
    await modules.publishDraft(tenantId, m.id);
    const launched = await launch(h.devLms, 'ben', 'safety-101', LINK);
    jar = launched.jar;
    const ctx = (
      await sql<{ id: string }>`SELECT id FROM course_context WHERE context_id = 'safety-101'`.execute(
        testDb().db,
      )
    ).rows[0]!.id;
    await modules.link(tenantId, ctx, LINK, m.id);
  });
  after(async () => h?.close());

  const xapi = (path: string, init: RequestInit & { auth?: string } = {}) =>
    fetch(`${h.url}/xapi${path}`, {
      ...init,
      headers: {
        'X-Experience-API-Version': '1.0.3',
        'content-type': 'application/json',
        authorization: `Basic ${init.auth ?? auth}`,
        ...(init.headers as Record<string, string>),
      },
    });

  it('opens the content with endpoint, fetch, actor, registration and activityId', async () => {
    const page = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
    assert.match(page, /Open the activity/);
    const res = await get(`${h.url}/learn/${LINK}/external`, jar);
    assert.equal(res.status, 303);
    const url = new URL(res.headers.get('location')!);
    assert.equal(url.origin + url.pathname, 'https://content.example/au/index.html');
    params = url.searchParams;
    assert.equal(params.get('lang'), 'en');
    assert.equal(params.get('endpoint'), `${h.url}/xapi/`);
    assert.equal(params.get('activityId'), ACTIVITY);
    assert.match(params.get('registration')!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(JSON.parse(params.get('actor')!).account.name, 'ben');
    assert.ok(params.get('fetch')!.startsWith(`${h.url}/cmi5/fetch/${tenantId}/`));
  });

  it('returns the auth-token once, then error-code 1; a forged fetch URL gets error-code 2', async () => {
    const first = await fetch(params.get('fetch')!, { method: 'POST' });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('access-control-allow-origin'), '*');
    const body = (await first.json()) as { 'auth-token': string };
    auth = body['auth-token'];
    assert.ok(auth);
    const again = await fetch(params.get('fetch')!, { method: 'POST' });
    assert.equal(((await again.json()) as Record<string, string>)['error-code'], '1');
    const forged = await fetch(`${params.get('fetch')!.slice(0, -4)}abcd`, { method: 'POST' });
    assert.equal(((await forged.json()) as Record<string, string>)['error-code'], '2');
  });

  const finish = async () => {
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

  it('keeps the learner on the external step until the content reports its moveOn (Completed)', async () => {
    const early = await finish();
    assert.equal(early.status, 400);
    assert.match(await early.text(), /has not reported that you completed it yet/);
  });

  it('authenticates the content to the LRS for its own actor and registration only', async () => {
    const registration = params.get('registration')!;
    const actor = JSON.parse(params.get('actor')!);
    const state = await xapi(
      `/activities/state?${new URLSearchParams({ activityId: ACTIVITY, agent: JSON.stringify(actor), registration, stateId: 'LMS.LaunchData' })}`,
    );
    assert.equal(state.status, 200);
    const launchData = (await state.json()) as {
      contextTemplate: { extensions: Record<string, string> };
      moveOn: string;
    };
    assert.equal(launchData.moveOn, 'Completed');
    const sessionId = launchData.contextTemplate.extensions[EXTENSIONS.sessionId];
    assert.ok(sessionId);
    const statement = (reg: string) => ({
      actor,
      verb: { id: VERBS.completed },
      object: { id: ACTIVITY },
      context: { registration: reg, extensions: { [EXTENSIONS.sessionId]: sessionId } },
    });
    const ok = await xapi('/statements', { method: 'POST', body: JSON.stringify(statement(registration)) });
    assert.equal(ok.status, 200, await ok.clone().text());
    const other = await xapi('/statements', {
      method: 'POST',
      body: JSON.stringify(statement('6f1c2b0e-0000-4000-8000-000000000001')),
    });
    assert.equal(other.status, 403);
    const someoneElse = await xapi(
      `/activities/state?${new URLSearchParams({ activityId: ACTIVITY, agent: JSON.stringify({ mbox: 'mailto:x@example.com' }), registration, stateId: 'x' })}`,
    );
    assert.equal(someoneElse.status, 403);
    const mine = await xapi('/statements');
    assert.equal(((await mine.json()) as { statements: unknown[] }).statements.length, 1);
    const stored = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM xapi_statement WHERE registration = ${registration} AND tenant_id = ${tenantId}`.execute(
      testDb().db,
    );
    assert.ok(
      Number(stored.rows[0]!.n) >= 3,
      'launched, initialized and the content statement share the registration',
    );
  });

  it('moves on once the content reported completed', async () => {
    const done = await finish();
    assert.equal(done.status, 303);
    const results = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
    assert.match(results, /You have finished this module/);
  });

  it('refuses a wrong secret and an expired launch', async () => {
    const [key] = Buffer.from(auth, 'base64').toString().split(':');
    const wrong = await xapi('/statements', { auth: Buffer.from(`${key}:nope`).toString('base64') });
    assert.equal(wrong.status, 401);
    await sql`UPDATE cmi5_launch SET expires_at = now() - interval '1 second'`.execute(testDb().db);
    const expired = await xapi('/statements');
    assert.equal(expired.status, 401);
  });
});
