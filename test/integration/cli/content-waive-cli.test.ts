import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { childEnv, runProcess } from '../../support/spawn-process.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch } from '../../support/lti-client.js';
import { formState } from '../../support/learner-client.js';
import { createModuleRepository } from '../../../src/storage/repositories/module-repository.js';
import { VERBS } from '../../../src/learning/vocabulary.js';
import { SAMPLE_AUS, samplePackage } from '../../fixtures/cmi5-packages.js';

const LINK = 'safety-101-module-1';

/** `npx yardstick content waive` in a real process: a waiver by registration, and its refusals. */
describe('the content waive command', function () {
  this.timeout(90000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let registration: string;
  before(async () => {
    h = await startLtiHarness(testDb());
    const tenantId = (await h.services.tenants.getByName('Demo')).id;
    const imported = await h.services.contentPackages.importPackage(tenantId, samplePackage());
    const jar = (await launch(h.devLms, 'ben', 'safety-101', LINK)).jar;
    const ctx = (
      await sql<{ id: string }>`SELECT id FROM course_context WHERE context_id = 'safety-101'`.execute(
        testDb().db,
      )
    ).rows[0]!.id;
    await createModuleRepository(testDb().db).link(tenantId, ctx, LINK, imported.module.id);
    registration = formState(await (await get(`${h.url}/learn/${LINK}`, jar)).text()).attempt;
  });
  after(async () => h?.close());

  const waive = (...args: string[]) =>
    runProcess(
      ['bin/yardstick.js', 'content', 'waive', '--tenant', 'Demo', ...args],
      childEnv({ DATABASE_URL: testDb().url }),
    );
  const waived = async () =>
    (
      await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM xapi_statement WHERE verb_iri = ${VERBS.waived}`.execute(testDb().db)
    ).rows[0]!.n;

  it('waives an AU of a registration and prints what it satisfied (JSON)', async () => {
    const r = await waive(
      '--registration',
      registration,
      '--au',
      SAMPLE_AUS[0].id,
      '--reason',
      'Equivalent Outside Activity',
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { auTitle: 'Introduction', satisfied: [] });
    assert.equal(await waived(), 1);
  });

  it('exits non-zero with the reason for a second waiver, an unknown reason or registration, storing nothing', async () => {
    const twice = await waive(
      '--registration',
      registration,
      '--au',
      SAMPLE_AUS[0].id,
      '--reason',
      'Administrative',
    );
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /already waived/);
    const reason = await waive(
      '--registration',
      registration,
      '--au',
      SAMPLE_AUS[1].id,
      '--reason',
      'Because',
    );
    assert.equal(reason.code, 1);
    assert.match(reason.stderr, /use one of: Tested Out/);
    const unknown = await waive(
      '--registration',
      'nope',
      '--au',
      SAMPLE_AUS[1].id,
      '--reason',
      'Administrative',
    );
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no registration nope in this tenant/);
    assert.equal(await waived(), 1);
  });
});
