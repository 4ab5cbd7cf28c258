import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, type CookieJar } from '../../support/lti-client.js';
import { createModuleRepository } from '../../../src/storage/repositories/module-repository.js';
import { CATEGORIES, EXTENSIONS, VERBS } from '../../../src/learning/vocabulary.js';
import { formState, postPage } from '../../support/learner-client.js';
import { SAMPLE_AUS, samplePackage } from '../../fixtures/cmi5-packages.js';

const LINK = 'safety-101-module-1';

interface Stored {
  actor: { account: { name: string } };
  object: { id: string; definition: { name: Record<string, string> } };
  result?: { success?: boolean; completion?: boolean; extensions?: Record<string, unknown> };
  context: {
    registration: string;
    instructor?: { account?: { name: string } };
    contextActivities: { category: { id: string }[]; grouping: { id: string }[] };
    extensions: Record<string, unknown>;
  };
}

/**
 * Waivers of cmi5 AUs (cmi5 9.3.7): the instructor Ines waives AUs of the sample course (two blocks,
 * three AUs) for the learner Ben, from the waiver page, over HTTP.
 */
describe('cmi5 AU waivers', function () {
  this.timeout(90000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let tenantId: string;
  let contextId: string;
  let benId: string;
  let registration: string;
  let ines: CookieJar;
  let ben: CookieJar;
  before(async () => {
    h = await startLtiHarness(testDb());
    tenantId = (await h.services.tenants.getByName('Demo')).id;
    const imported = await h.services.contentPackages.importPackage(tenantId, samplePackage());
    ben = (await launch(h.devLms, 'ben', 'safety-101', LINK)).jar;
    ines = (await launch(h.devLms, 'ines', 'safety-101', LINK)).jar;
    contextId = (
      await sql<{ id: string }>`SELECT id FROM course_context WHERE context_id = 'safety-101'`.execute(
        testDb().db,
      )
    ).rows[0]!.id;
    benId = (
      await sql<{ id: string }>`SELECT id FROM lti_user WHERE email = 'ben@example.edu'`.execute(testDb().db)
    ).rows[0]!.id;
    await createModuleRepository(testDb().db).link(tenantId, contextId, LINK, imported.module.id);
    registration = formState(await (await get(`${h.url}/learn/${LINK}`, ben)).text()).attempt;
  });
  after(async () => h?.close());

  const page = () => `/courses/${contextId}/learners/${benId}/waivers`;
  const waive = (fields: [string, string][], jar = ines) =>
    postPage(h.url, page(), fields, jar, 'application/json');
  const lms = async (verb: string) => {
    const { rows } = await sql<{ statement: string }>`
      SELECT statement FROM xapi_statement
      WHERE tenant_id = ${tenantId} AND verb_iri = ${verb} AND credential_id IS NULL ORDER BY seq`.execute(
      testDb().db,
    );
    return rows.map((r) => JSON.parse(r.statement) as Stored);
  };

  it("lists the learner's registration AU by AU, each still to do, with a form to waive it", async () => {
    const res = await get(`${h.url}${page()}`, ines);
    assert.equal(res.status, 200);
    const html = await res.text();
    for (const au of SAMPLE_AUS) assert.match(html, new RegExp(`name="au" value="${au.id}"`));
    assert.match(html, new RegExp(`name="registration" value="${registration}"`));
    assert.match(html, /To do: completed it/);
    assert.match(html, /<option>Tested Out<\/option>/);
  });

  it('stores the waived statement with the reason, success and completion, its own session id and the instructor', async () => {
    const res = await waive([
      ['registration', registration],
      ['au', SAMPLE_AUS[0].id],
      ['reason', 'Tested Out'],
    ]);
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { auTitle: 'Introduction', satisfied: [] });
    const [w, ...more] = await lms(VERBS.waived);
    assert.equal(more.length, 0);
    assert.equal(w!.context.registration, registration);
    assert.match(w!.object.id, /./);
    assert.deepEqual(w!.result, {
      success: true,
      completion: true,
      extensions: { [EXTENSIONS.reason]: 'Tested Out' },
    });
    const categories = w!.context.contextActivities.category.map((c) => c.id);
    assert.deepEqual(categories, [CATEGORIES.cmi5, CATEGORIES.moveOn]);
    assert.ok(w!.context.contextActivities.grouping.some((g) => g.id === SAMPLE_AUS[0].id));
    assert.ok(w!.context.instructor, 'the waiver names who gave it');
    const launches = await sql<{ session_id: string }>`SELECT session_id FROM cmi5_launch`.execute(
      testDb().db,
    );
    assert.ok(!launches.rows.some((l) => l.session_id === w!.context.extensions[EXTENSIONS.sessionId]));
  });

  it('satisfies the block once its last AU is waived too, in the waiver session', async () => {
    const res = await waive([
      ['registration', registration],
      ['au', SAMPLE_AUS[1].id],
      ['reason', 'Equivalent AU'],
    ]);
    assert.equal(res.status, 200);
    const satisfied = await lms(VERBS.satisfied);
    assert.equal(satisfied.length, 1, 'the first block only');
    assert.deepEqual(((await res.json()) as { satisfied: string[] }).satisfied, [
      satisfied[0]!.object.definition.name['en-US'],
    ]);
    assert.match(satisfied[0]!.object.id, /cmi5-block|block/);
    const waived = (await lms(VERBS.waived)).at(-1)!;
    assert.equal(
      satisfied[0]!.context.extensions[EXTENSIONS.sessionId],
      waived.context.extensions[EXTENSIONS.sessionId],
    );
  });

  it('refuses to waive an AU twice in a registration (409), storing nothing', async () => {
    const res = await waive([
      ['registration', registration],
      ['au', SAMPLE_AUS[0].id],
      ['reason', 'Administrative'],
    ]);
    assert.equal(res.status, 409);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /already waived/);
    assert.equal((await lms(VERBS.waived)).length, 2);
  });

  it('refuses an AU that is not in the course (404 naming its AUs), storing nothing', async () => {
    const res = await waive([
      ['registration', registration],
      ['au', 'https://example.com/aus/elsewhere'],
      ['reason', 'Administrative'],
    ]);
    assert.equal(res.status, 404);
    const { message } = ((await res.json()) as { error: { message: string } }).error;
    assert.match(message, /aus\/elsewhere is not in the course/);
    assert.match(message, /aus\/quiz/);
    assert.equal((await lms(VERBS.waived)).length, 2);
  });

  it('refuses a learner not enrolled in the course and a registration that is not theirs (404)', async () => {
    const stranger = await postPage(
      h.url,
      `/courses/${contextId}/learners/${randomUUID()}/waivers`,
      [
        ['registration', registration],
        ['au', SAMPLE_AUS[2].id],
        ['reason', 'Administrative'],
      ],
      ines,
      'application/json',
    );
    assert.equal(stranger.status, 404);
    assert.match(
      ((await stranger.json()) as { error: { message: string } }).error.message,
      /not enrolled in this course/,
    );
    const notTheirs = await waive([
      ['registration', randomUUID()],
      ['au', SAMPLE_AUS[2].id],
      ['reason', 'Administrative'],
    ]);
    assert.equal(notTheirs.status, 404);
    assert.match(
      ((await notTheirs.json()) as { error: { message: string } }).error.message,
      /not this learner's/,
    );
  });

  it('refuses a reason cmi5 does not define (400 naming the field) and a learner waiving for themselves (403)', async () => {
    const bad = await waive([
      ['registration', registration],
      ['au', SAMPLE_AUS[2].id],
      ['reason', 'Because'],
    ]);
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(await bad.json()), /reason/);
    const self = await waive(
      [
        ['registration', registration],
        ['au', SAMPLE_AUS[2].id],
        ['reason', 'Administrative'],
      ],
      ben,
    );
    assert.equal(self.status, 403);
    assert.equal((await lms(VERBS.waived)).length, 2);
  });

  it("refuses another tenant's registration: the service finds no such learner there", async () => {
    const other = await h.services.tenants.create(`Other ${randomUUID().slice(0, 8)}`);
    await assert.rejects(
      h.services.learning.waivers.waive({
        tenantId: other.id,
        contextId,
        learnerUserId: benId,
        registration,
        auId: SAMPLE_AUS[2].id,
        reason: 'Administrative',
      }),
      (e: Error & { code?: string }) => e.code === 'not_found' && /not enrolled/.test(e.message),
    );
    assert.equal((await lms(VERBS.waived)).length, 2);
  });

  it('satisfies the last block and the course when the last AU is waived, and offers nothing more to waive', async () => {
    const res = await waive([
      ['registration', registration],
      ['au', SAMPLE_AUS[2].id],
      ['reason', 'Equivalent Outside Activity'],
    ]);
    assert.equal(res.status, 200);
    const { satisfied } = (await res.json()) as { satisfied: string[] };
    assert.equal(satisfied.length, 2, satisfied.join(', '));
    assert.equal((await lms(VERBS.satisfied)).length, 3);
    const html = await (await get(`${h.url}${page()}`, ines)).text();
    assert.doesNotMatch(html, /name="au"/);
    assert.equal((html.match(/>Waived</g) ?? []).length, 3);
  });
});
