import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, type CookieJar } from '../../support/lti-client.js';
import { formState, postPage } from '../../support/learner-client.js';
import { startLtiWorkers } from '../../../src/lti/lti-jobs.js';

const LINK = 'safety-101-module-1';
const PRE: [string, string][] = [
  ['a.plate', 'manual'],
  ['a.centre', 'false'],
];
const POST_RIGHT: [string, string][] = [
  ['a.plate', 'plate'],
  ['a.centre', 'false'],
  ['a.reduce', 'attachment'],
  ['a.reduce', 'long-centre'],
  ['a.height', '18'],
  ['a.shape', 'Triangle'],
];

/**
 * The grade outbox (issue #16, "a grade can be lost"): the score row and its delivery job are written
 * in the transaction of the step that earns them. These tests run a server whose job workers never
 * start, which is what a process killed between the commit and the delivery leaves behind.
 */
describe('grade outbox: a grade commits with the step that earns it', function () {
  this.timeout(120000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb(), { workers: false });
  });
  after(async () => h?.close());
  const db = () => testDb().db;

  async function step(jar: CookieJar, html: string, fields: [string, string][] = []) {
    const { attempt, step } = formState(html);
    const res = await postPage(
      h.url,
      `/learn/${LINK}/steps`,
      [['attempt', attempt], ['step', step], ...fields],
      jar,
    );
    return res;
  }
  async function toPostTest(person: string) {
    const { res, jar } = await launch(h.devLms, person, 'safety-101', LINK);
    assert.equal(res.status, 303);
    let html = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
    for (const fields of [PRE, [], []] as [string, string][][]) {
      const r = await step(jar, html, fields);
      assert.equal(r.status, 303, await r.clone().text());
      html = await (await get(`${h.url}/learn/${LINK}`, jar)).text();
    }
    assert.match(html, /Check what you learned/);
    return { jar, html };
  }
  const passbacks = async () =>
    (
      await sql<{ id: string; status: string; user_sub: string }>`
        SELECT g.id, g.status, u.sub AS user_sub FROM lti_grade_passback g
        JOIN lti_user u ON u.tenant_id = g.tenant_id AND u.id = g.user_id ORDER BY g.created_at`.execute(db())
    ).rows;
  const passbackJobs = async () =>
    (
      await sql<{ id: string; state: string }>`
        SELECT data->>'id' AS id, state FROM pgboss.job WHERE name = 'lti-ags-passback'`.execute(db())
    ).rows;

  it('stores the score and its delivery job with the post-test answers, and delivers it once a worker runs', async () => {
    const { jar, html } = await toPostTest('ana');
    const res = await step(jar, html, POST_RIGHT);
    assert.equal(res.status, 303, await res.clone().text());

    const [row] = await passbacks();
    assert.equal(row?.status, 'queued');
    assert.equal(row?.user_sub, 'ana');
    assert.deepEqual(await passbackJobs(), [{ id: row!.id, state: 'created' }]);
    const attempt = (
      await sql<{ passback: string }>`
      SELECT results->>'passbackId' AS passback FROM learning_attempt`.execute(db())
    ).rows[0];
    assert.equal(attempt?.passback, row!.id, 'the attempt names its passback in the same commit');
    assert.equal([...h.devLms.scores.values()].flat().length, 0, 'nothing was sent while no worker ran');

    // The server comes back: its workers find the committed job and deliver the score.
    await startLtiWorkers(h.services.lti, h.jobs, { rosterSyncCron: '' });
    const deadline = Date.now() + 30000;
    let scores: { userId: string; scoreGiven?: number; scoreMaximum?: number }[] = [];
    while (Date.now() < deadline && !scores.length) {
      await new Promise((r) => setTimeout(r, 200));
      scores = [...h.devLms.scores.values()].flat();
    }
    assert.deepEqual(
      scores.map((s) => [s.userId, s.scoreGiven, s.scoreMaximum]),
      [['ana', 5, 5]],
    );
    assert.equal((await passbacks())[0]?.status, 'sent');
  });

  it('leaves no score and no job when the step that earns them rolls back', async () => {
    const { jar, html } = await toPostTest('ben');
    const before = (await passbacks()).length;
    // A fault after the score is queued: saving the attempt's progress fails inside the transaction.
    await sql`
      CREATE FUNCTION test_fail_progress() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full (simulated)'; END $$`.execute(db());
    await sql`
      CREATE TRIGGER test_fail_progress BEFORE UPDATE OF step ON learning_attempt
      FOR EACH ROW WHEN (NEW.step = 4) EXECUTE FUNCTION test_fail_progress()`.execute(db());
    try {
      const res = await step(jar, html, POST_RIGHT);
      assert.notEqual(res.status, 303, 'the step must fail');
    } finally {
      await sql`DROP TRIGGER test_fail_progress ON learning_attempt`.execute(db());
      await sql`DROP FUNCTION test_fail_progress()`.execute(db());
    }
    assert.equal((await passbacks()).length, before, 'no passback row for a step that did not commit');
    const jobs = await passbackJobs();
    const rows = await passbacks();
    assert.ok(
      jobs.every((j) => rows.some((r) => r.id === j.id)),
      'no delivery job without its score',
    );
    const progress = (
      await sql<{ step: number }>`
      SELECT a.step FROM learning_attempt a JOIN lti_user u ON u.tenant_id = a.tenant_id AND u.id = a.user_id
      WHERE u.sub = 'ben'`.execute(db())
    ).rows[0];
    assert.equal(progress?.step, 3, 'the learner is still at the post-test and can answer again');
  });
});
