import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, type CookieJar } from '../../support/lti-client.js';
import { createModuleRepository } from '../../../src/storage/repositories/module-repository.js';
import { abandonIdleAuSessions } from '../../../src/learning/flow/learning-jobs.js';
import { CATEGORIES, EXTENSIONS, VERBS } from '../../../src/learning/vocabulary.js';
import { formState, postPage } from '../../support/learner-client.js';
import { samplePackage } from '../../fixtures/cmi5-packages.js';

const LINK = 'safety-101-module-1';

/**
 * AU sessions nobody relaunches (cmi5 9.3.6): the learning job abandons those idle past
 * learning.auSessionTimeoutSeconds (3 hours by default), once each, without waiting for a launch.
 */
describe('cmi5 AU sessions abandoned by the idle sweep', function () {
  this.timeout(90000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let tenantId: string;
  let jar: CookieJar;
  before(async () => {
    h = await startLtiHarness(testDb());
    tenantId = (await h.services.tenants.getByName('Demo')).id;
    const imported = await h.services.contentPackages.importPackage(tenantId, samplePackage());
    jar = (await launch(h.devLms, 'ben', 'safety-101', LINK)).jar;
    const ctx = (
      await sql<{ id: string }>`SELECT id FROM course_context WHERE context_id = 'safety-101'`.execute(
        testDb().db,
      )
    ).rows[0]!.id;
    await createModuleRepository(testDb().db).link(tenantId, ctx, LINK, imported.module.id);
  });
  after(async () => h?.close());

  const sweep = () =>
    abandonIdleAuSessions({ tenants: h.services.tenants, auSessions: h.services.learning.auSessions });

  /** Launches the current AU and takes its fetch token: what the AU needs to send statements. */
  async function launchAu() {
    const page = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
    const res = await postPage(h.url, `/learn/${LINK}/au`, [['attempt', formState(page).attempt]], jar);
    assert.equal(res.status, 303, await res.text());
    const p = new URL(res.headers.get('location')!).searchParams;
    const fetched = await fetch(p.get('fetch')!, { method: 'POST', headers: { origin: 'null' } });
    const { 'auth-token': auth } = (await fetched.json()) as { 'auth-token': string };
    const launchId = new URL(p.get('fetch')!).pathname.split('/')[4]!;
    const { rows } = await sql<{ session_id: string }>`
      SELECT session_id FROM cmi5_launch WHERE id = ${launchId}`.execute(testDb().db);
    return {
      launchId,
      auth,
      sessionId: rows[0]!.session_id,
      activityId: p.get('activityId')!,
      registration: p.get('registration')!,
      actor: JSON.parse(p.get('actor')!) as Record<string, unknown>,
    };
  }
  type Launched = Awaited<ReturnType<typeof launchAu>>;

  const send = (l: Launched, verb: keyof typeof VERBS) =>
    fetch(`${h.url}/xapi/statements`, {
      method: 'POST',
      headers: {
        'X-Experience-API-Version': '1.0.3',
        'content-type': 'application/json',
        origin: 'null',
        authorization: `Basic ${l.auth}`,
      },
      body: JSON.stringify({
        id: randomUUID(),
        actor: l.actor,
        verb: { id: VERBS[verb] },
        object: { id: l.activityId, objectType: 'Activity' },
        context: {
          registration: l.registration,
          contextActivities: { category: [{ id: CATEGORIES.cmi5 }] },
          extensions: { [EXTENSIONS.sessionId]: l.sessionId },
        },
        timestamp: new Date().toISOString(),
      }),
    });

  const abandoned = async () => {
    const { rows } = await sql<{ statement: string }>`
      SELECT statement FROM xapi_statement
      WHERE tenant_id = ${tenantId} AND verb_iri = ${VERBS.abandoned} AND credential_id IS NULL ORDER BY seq`.execute(
      testDb().db,
    );
    return rows.map(
      (r) =>
        JSON.parse(r.statement) as {
          object: { id: string };
          context: { extensions: Record<string, unknown> };
          result: { duration: string };
        },
    );
  };
  /** Moves a launch (and its last statement) `hours` into the past. */
  const age = (launchId: string, hours: number) =>
    sql`UPDATE cmi5_launch SET created_at = created_at - make_interval(hours => ${hours}),
          last_statement_at = last_statement_at - make_interval(hours => ${hours})
        WHERE id = ${launchId}`.execute(testDb().db);

  it('leaves a session heard from within the timeout open', async () => {
    const l = await launchAu();
    assert.equal((await send(l, 'initialized')).status, 200);
    await age(l.launchId, 2);
    assert.equal(await sweep(), 0);
    assert.deepEqual(await abandoned(), []);
  });

  it('abandons a session idle past the timeout once, with its session id and a duration', async () => {
    const { rows } = await sql<{ id: string; session_id: string }>`
      SELECT id, session_id FROM cmi5_launch WHERE status IN ('launched', 'initialized')`.execute(
      testDb().db,
    );
    assert.equal(rows.length, 1);
    await age(rows[0]!.id, 2);
    assert.equal(await sweep(), 1);
    assert.equal(await sweep(), 0, 'a second tick finds nothing left');
    const [st, ...more] = await abandoned();
    assert.equal(more.length, 0);
    assert.equal(st!.context.extensions[EXTENSIONS.sessionId], rows[0]!.session_id);
    assert.match(st!.result.duration, /^PT/);
    const status = await sql<{
      status: string;
    }>`SELECT status FROM cmi5_launch WHERE id = ${rows[0]!.id}`.execute(testDb().db);
    assert.equal(status.rows[0]!.status, 'abandoned');
  });

  it('abandons a session launched and never initialized once when two servers sweep at the same time, then refuses its statements (9.3.6)', async () => {
    const l = await launchAu();
    await age(l.launchId, 4);
    const [a, b] = await Promise.all([sweep(), sweep()]);
    assert.equal(a + b, 1);
    const late = await send(l, 'initialized');
    assert.equal(late.status, 400);
    assert.match(await late.text(), /cmi5 9\.3\.6/);
    await launchAu();
    assert.equal((await abandoned()).length, 2, 'the relaunch finds nothing open to abandon');
  });
});
